//! "As of a date": the one definition every endpoint that takes a date uses (`/api/locate?at=`,
//! `/api/units?at=`, `/api/indicators?as_of=`, diagnosis, project context and assignments, and the
//! day bounds of OGC API – Features `datetime=`). See docs/dates.md.
//!
//! - A date `YYYY-MM-DD` is a day in Tunisia (Africa/Tunis, UTC+1 all year since 2009): "as of" a
//!   date means **the end of that day** (23:59:59.999999 Tunis time), so everything that happened
//!   during the day counts.
//! - An RFC 3339 date-time is taken as given; without an offset it is UTC. A `+` that a query string
//!   turned into a space is accepted.
//! - Dates after today (Tunis) are refused; today means now. Dates before 20 March 1956 are refused.
//!
//! Pure, unit-tested.
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Tunisia's offset from UTC (no daylight saving time since 2009).
pub fn tunisia() -> FixedOffset {
    FixedOffset::east_opt(3600).expect("a one-hour offset is valid")
}

/// Today's date in Tunisia.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&tunisia()).date_naive()
}

/// The first instant of day `d` in Tunisia.
pub fn day_start(d: NaiveDate) -> Option<DateTime<Utc>> {
    d.and_hms_opt(0, 0, 0)
        .and_then(|n| tunisia().from_local_datetime(&n).single())
        .map(|t| t.with_timezone(&Utc))
}

/// The last instant of day `d` in Tunisia (one microsecond before the next day starts).
pub fn day_end(d: NaiveDate) -> Option<DateTime<Utc>> {
    d.succ_opt()
        .and_then(day_start)
        .map(|t| t - Duration::microseconds(1))
}

/// A date or date-time, without range checks: a date is the end of that day in Tunisia.
pub fn instant_of(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return day_end(d);
    }
    let fixed = raw.replace(' ', "+");
    if let Ok(t) = DateTime::parse_from_rfc3339(&fixed) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// Parse the date parameter `name` (`as_of`, `at`); `None` when absent or empty. Errors say what
/// to give instead.
pub fn parse_named(
    name: &str,
    raw: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, String> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let t = instant_of(raw).ok_or_else(|| {
        format!(
            "'{name}={raw}' is not a date: give an ISO 8601 date YYYY-MM-DD (the end of that day, \
             Tunis time) or an RFC 3339 date-time such as 2024-06-01T12:00:00+01:00"
        )
    })?;
    if t.date_naive() < NaiveDate::from_ymd_opt(1956, 3, 20).unwrap_or_default() {
        return Err(format!(
            "'{name}={raw}' is before any data Mokhattat can hold"
        ));
    }
    if t > now + Duration::days(1) {
        return Err(format!(
            "'{name}={raw}' is in the future: {name} asks how things stood at a past date"
        ));
    }
    Ok(Some(t.min(now)))
}

/// `as_of=` (see [`parse_named`]).
pub fn parse(raw: Option<&str>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    parse_named("as_of", raw, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn dates_are_the_end_of_the_day_in_tunis() {
        let t = parse(Some("2024-06-01"), now()).unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2024-06-01T22:59:59.999999+00:00");
        assert_eq!(parse(None, now()).unwrap(), None);
        assert_eq!(parse(Some("  "), now()).unwrap(), None);
        let d = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        assert_eq!(
            day_start(d).unwrap().to_rfc3339(),
            "2024-05-31T23:00:00+00:00"
        );
    }

    #[test]
    fn date_times_and_errors() {
        let t = parse(Some("2024-06-01T12:00:00 01:00"), now())
            .unwrap()
            .unwrap();
        assert_eq!(t.to_rfc3339(), "2024-06-01T11:00:00+00:00");
        let t = parse(Some("2024-06-01T12:00:00"), now()).unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2024-06-01T12:00:00+00:00");
        assert!(parse(Some("yesterday"), now())
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(parse_named("at", Some("2030-01-01"), now())
            .unwrap_err()
            .contains("'at=2030-01-01' is in the future"));
        assert!(parse(Some("1900-01-01"), now()).is_err());
        // today's date is allowed and means "now"
        assert_eq!(parse(Some("2025-03-01"), now()).unwrap(), Some(now()));
    }
}
