//! `as_of=`: the instant an answer is asked for. A date means the end of that day in Tunisia
//! (UTC+1 all year); a date-time is taken as given (UTC when it has no offset). Pure, unit-tested.
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Tunisia's offset from UTC (no daylight saving time since 2009).
pub fn tunisia() -> FixedOffset {
    FixedOffset::east_opt(3600).expect("a one-hour offset is valid")
}

/// Today's date in Tunisia.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&tunisia()).date_naive()
}

/// Parse `as_of`; `None` when absent or empty. Errors say what to give instead.
pub fn parse(raw: Option<&str>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let fixed = raw.replace(' ', "+");
    let t = if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let next = d
            .succ_opt()
            .and_then(|n| n.and_hms_opt(0, 0, 0))
            .and_then(|n| tunisia().from_local_datetime(&n).single())
            .ok_or_else(|| format!("'as_of={raw}' is out of range"))?;
        next.with_timezone(&Utc) - Duration::microseconds(1)
    } else if let Ok(t) = DateTime::parse_from_rfc3339(&fixed) {
        t.with_timezone(&Utc)
    } else if let Ok(t) = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f") {
        t.and_utc()
    } else {
        return Err(format!(
            "'as_of={raw}' is not a date: give YYYY-MM-DD (the end of that day, Tunis time) \
             or an RFC 3339 date-time such as 2024-06-01T12:00:00+01:00"
        ));
    };
    if t.date_naive() < NaiveDate::from_ymd_opt(1956, 3, 20).unwrap_or_default() {
        return Err(format!(
            "'as_of={raw}' is before any data Mokhattat can hold"
        ));
    }
    if t > now + Duration::days(1) {
        return Err(format!(
            "'as_of={raw}' is in the future: as_of asks how things stood at a past date"
        ));
    }
    Ok(Some(t.min(now)))
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
        assert!(parse(Some("2030-01-01"), now())
            .unwrap_err()
            .contains("future"));
        assert!(parse(Some("1900-01-01"), now()).is_err());
        // today's date is allowed and means "now"
        assert_eq!(parse(Some("2025-03-01"), now()).unwrap(), Some(now()));
    }
}
