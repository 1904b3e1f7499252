//! Per-IP rate limiting for anonymous writes (see docs/limits.md).
//!
//! [`RateLimiter`] is a keyed token bucket: each client address owns a bucket of `burst` tokens
//! refilled at `per_minute / 60` tokens a second; a request takes one token, and a request that finds
//! the bucket empty is refused with 429 and `Retry-After` (seconds until a token is back). Memory is
//! bounded: buckets that have refilled completely are forgotten (a new one would be identical), and
//! once [`MAX_ADDRESSES`] addresses are tracked the newcomers share one overflow bucket.
//!
//! [`RateLimitLayer`] (`layer.rs`) puts it in front of routes: it limits the non-safe methods
//! (anything but GET, HEAD, OPTIONS) of the routes it wraps. Callers presenting a valid API key are
//! exempt: they are accountable partners and planners. A key that fails to authenticate gets its 401
//! at once, without taking a token (it can write nothing; the 401 is what clients and OGC checks
//! expect).
mod layer;

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    extract::connect_info::ConnectInfo,
    http::{request::Parts, HeaderMap},
};

pub use layer::RateLimitLayer;

use crate::config::RateLimit;

/// Addresses tracked individually; past this, new addresses share one bucket.
pub const MAX_ADDRESSES: usize = 100_000;
/// Table size below which idle buckets are not swept.
const SWEEP_FLOOR: usize = 1024;

/// What a bucket is keyed by: an IPv4 address, an IPv6 /64 (what one subscriber usually gets), or the
/// shared overflow bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    V4(u32),
    V6(u64),
    Overflow,
}

impl Key {
    fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Key::V4(v4.into()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Key::V4(v4.into()),
                None => Key::V6((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

#[derive(Debug)]
struct Table {
    buckets: HashMap<Key, Bucket>,
    /// Table size at which the next newcomer triggers a sweep (doubles, so sweeping is amortised).
    next_sweep: usize,
    /// When the table was last swept (a full table is swept at most once a second).
    swept: Option<Instant>,
}

/// A keyed token bucket (one bucket per client address).
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    table: Mutex<Table>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit: RateLimit {
                per_minute: limit.per_minute,
                burst: limit.burst.max(1),
            },
            table: Mutex::new(Table {
                buckets: HashMap::new(),
                next_sweep: SWEEP_FLOOR,
                swept: None,
            }),
        }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    pub fn enabled(&self) -> bool {
        self.limit.per_minute > 0
    }

    /// Take a token for `ip`: `Err(seconds)` to wait when there is none.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.check_at(ip, Instant::now())
    }

    /// Addresses currently tracked.
    pub fn tracked(&self) -> usize {
        self.table.lock().map(|t| t.buckets.len()).unwrap_or(0)
    }

    fn rate(&self) -> f64 {
        f64::from(self.limit.per_minute) / 60.0
    }

    /// Time for an empty bucket to fill up again; a bucket untouched for that long is forgotten.
    fn refill_time(&self) -> Duration {
        Duration::from_secs_f64(f64::from(self.limit.burst) / self.rate())
    }

    fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        if !self.enabled() {
            return Ok(());
        }
        let (rate, burst) = (self.rate(), f64::from(self.limit.burst));
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let mut key = Key::of(ip);
        if !table.buckets.contains_key(&key) && table.buckets.len() >= table.next_sweep {
            let recently = table
                .swept
                .is_some_and(|t| now.saturating_duration_since(t) < Duration::from_secs(1));
            if table.buckets.len() < MAX_ADDRESSES || !recently {
                let refill = self.refill_time();
                table
                    .buckets
                    .retain(|_, b| now.saturating_duration_since(b.updated) < refill);
                table.next_sweep = (table.buckets.len() * 2).clamp(SWEEP_FLOOR, MAX_ADDRESSES);
                table.swept = Some(now);
            }
            if table.buckets.len() >= MAX_ADDRESSES {
                key = Key::Overflow;
            }
        }
        let bucket = table.buckets.entry(key).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - bucket.tokens) / rate).ceil() as u64).max(1))
        }
    }
}

/// The client's address: the TCP peer, or with `trust_forwarded_for` the right-most hop of the last
/// `X-Forwarded-For` header (what the nearest proxy saw), falling back to the peer when absent or
/// unreadable.
pub fn client_ip(parts: &Parts, trust_forwarded_for: bool) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if trust_forwarded_for {
        if let Some(ip) = forwarded_for(&parts.headers) {
            return Some(ip);
        }
    }
    peer
}

fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let hop = last.to_str().ok()?.rsplit(',').next()?.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// A limiter of `per_minute` with `burst`, and the instant its clock starts.
    fn limiter(per_minute: u32, burst: u32) -> (RateLimiter, Instant) {
        (
            RateLimiter::new(RateLimit { per_minute, burst }),
            Instant::now(),
        )
    }

    #[test]
    fn burst_then_rate() {
        let (l, t0) = limiter(60, 3);
        for _ in 0..3 {
            assert_eq!(l.check_at(ip("10.0.0.1"), t0), Ok(()));
        }
        assert_eq!(l.check_at(ip("10.0.0.1"), t0), Err(1));
        // another address has its own bucket
        assert_eq!(l.check_at(ip("10.0.0.2"), t0), Ok(()));
        // one token a second
        let t1 = t0 + Duration::from_millis(1000);
        assert_eq!(l.check_at(ip("10.0.0.1"), t1), Ok(()));
        assert_eq!(l.check_at(ip("10.0.0.1"), t1), Err(1));
    }

    #[test]
    fn retry_after_rounds_up() {
        let (l, t0) = limiter(6, 1);
        assert!(l.check_at(ip("10.0.0.1"), t0).is_ok());
        assert_eq!(l.check_at(ip("10.0.0.1"), t0), Err(10));
        assert_eq!(
            l.check_at(ip("10.0.0.1"), t0 + Duration::from_millis(500)),
            Err(10)
        );
        assert_eq!(
            l.check_at(ip("10.0.0.1"), t0 + Duration::from_millis(1500)),
            Err(9)
        );
    }

    #[test]
    fn ipv6_is_keyed_by_its_64() {
        let (l, t0) = limiter(60, 1);
        assert!(l.check_at(ip("2001:db8:1:2::1"), t0).is_ok());
        assert!(l.check_at(ip("2001:db8:1:2::ffff"), t0).is_err());
        assert!(l.check_at(ip("2001:db8:1:3::1"), t0).is_ok());
        // an IPv4-mapped address is the IPv4 address
        assert!(l.check_at(ip("192.0.2.1"), t0).is_ok());
        assert!(l.check_at(ip("::ffff:192.0.2.1"), t0).is_err());
    }

    #[test]
    fn memory_is_bounded() {
        let (l, t0) = limiter(60, 2);
        for i in 0..5000u32 {
            assert!(l.check_at(IpAddr::from(i.to_be_bytes()), t0).is_ok());
        }
        assert_eq!(l.tracked(), 5000);
        // two seconds later those buckets are full again: the next sweep (at 8192) forgets them
        let t1 = t0 + Duration::from_secs(2);
        for i in 0..4000u32 {
            assert!(l
                .check_at(IpAddr::from((1_000_000 + i).to_be_bytes()), t1)
                .is_ok());
        }
        assert_eq!(l.tracked(), 4000);
    }

    #[test]
    fn a_full_table_puts_newcomers_in_one_bucket() {
        let (l, t0) = limiter(60, 2);
        for i in 0..MAX_ADDRESSES as u32 {
            assert!(l.check_at(IpAddr::from(i.to_be_bytes()), t0).is_ok());
        }
        let newcomer = |n: u32| l.check_at(IpAddr::from((u32::MAX - n).to_be_bytes()), t0);
        assert!(newcomer(0).is_ok());
        assert!(newcomer(1).is_ok());
        assert!(newcomer(2).is_err(), "the overflow bucket is shared");
        assert!(l.tracked() <= MAX_ADDRESSES + 1);
        // known addresses keep their own bucket
        assert!(l.check_at(IpAddr::from(7u32.to_be_bytes()), t0).is_ok());
    }

    #[test]
    fn disabled_limits_nothing() {
        let (l, _) = limiter(0, 1);
        for _ in 0..100 {
            assert!(l.check(ip("10.0.0.1")).is_ok());
        }
    }

    #[test]
    fn forwarded_for_takes_the_right_most_hop() {
        let mut h = HeaderMap::new();
        assert_eq!(forwarded_for(&h), None);
        h.append(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(forwarded_for(&h), Some(ip("198.51.100.7")));
        h.append("x-forwarded-for", " 192.0.2.44 ".parse().unwrap());
        assert_eq!(forwarded_for(&h), Some(ip("192.0.2.44")));
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", "[2001:db8::1]:443".parse().unwrap());
        assert_eq!(forwarded_for(&h), Some(ip("2001:db8::1")));
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", "unknown".parse().unwrap());
        assert_eq!(forwarded_for(&h), None);
    }
}
