//! Retries: which failures are tried again, how long to wait (exponential backoff with jitter,
//! or the server's `Retry-After`), and the clock the waits run on.

use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use reqwest::header::HeaderMap;

/// When and how often a call is tried again.
///
/// By default a call is tried up to 3 times when the connection fails, an attempt times out,
/// or the server answers 408, 429, 502, 503 or 504. The waits grow exponentially from 500 ms
/// up to 30 s, with jitter; a `Retry-After` header (seconds or an HTTP date) is followed
/// instead, unless it asks for more than the maximum wait, in which case the response is
/// returned. Only idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) are retried, and POST
/// and PATCH too for operations with an idempotency-key header, unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) says otherwise.
///
/// ```
/// use __crate__::{Client, RetryPolicy};
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_delay(Duration::from_millis(200))
///     .max_delay(Duration::from_secs(10))
///     .retry_non_idempotent(true);
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080")
///     .retry(policy)
///     .build()?;
/// // One call without retries: client.some_operation(..).retry(RetryPolicy::none())
/// # drop(client);
/// # Ok::<(), __crate__::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    jitter: bool,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: true,
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never try again: one attempt.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// How many attempts at most, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each further wait doubles it.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest wait, for backoff and for `Retry-After`.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether waits are randomised (between half and all of the backoff), so that many
    /// clients do not retry in step. On by default.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Whether POST and PATCH are retried too. Off by default: the server may have acted on
    /// the first attempt.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn allows_non_idempotent(&self) -> bool {
        self.non_idempotent
    }

    /// The wait before retry number `retry` (1 for the first), or what the server asked for.
    /// `None` when the server asked for longer than the maximum wait.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(asked) = retry_after {
            return (asked <= self.max_delay).then_some(asked);
        }
        let factor = 2_u32.saturating_pow(retry.saturating_sub(1));
        let backoff = self
            .initial_delay
            .saturating_mul(factor)
            .min(self.max_delay);
        if !self.jitter {
            return Some(backoff);
        }
        let half = backoff / 2;
        let spread = u64::try_from((backoff - half).as_nanos()).unwrap_or(u64::MAX);
        let extra = random_u64()
            .checked_rem(spread.saturating_add(1))
            .unwrap_or(0);
        Some(half + Duration::from_nanos(extra))
    }
}

/// What a [`Clock`] sleep returns.
///
/// ```
/// let done: __crate__::SleepFuture = Box::pin(std::future::ready(()));
/// # drop(done);
/// ```
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The clock retries wait on: the time now (for `Retry-After` dates) and sleeping. The default
/// is the system time and tokio's timer; tests can give a virtual one, so that retries never
/// really wait. Timeouts always use tokio's timer.
///
/// ```
/// use __crate__::{Client, Clock, SleepFuture};
/// use std::sync::Mutex;
/// use std::time::{Duration, SystemTime};
///
/// /// Records the waits and returns at once.
/// #[derive(Default)]
/// struct Recorded(Mutex<Vec<Duration>>);
///
/// impl Clock for Recorded {
///     fn now(&self) -> SystemTime {
///         SystemTime::UNIX_EPOCH
///     }
///     fn sleep(&self, duration: Duration) -> SleepFuture {
///         self.0.lock().unwrap().push(duration);
///         Box::pin(std::future::ready(()))
///     }
/// }
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080")
///     .clock(Recorded::default())
///     .build()?;
/// # drop(client);
/// # Ok::<(), __crate__::BuildError>(())
/// ```
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;

    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> SleepFuture;
}

/// The system time and tokio's timer.
pub(crate) struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Whether a response with this status is worth trying again.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

/// Whether sending a request with this method twice has the effect of sending it once.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::PUT,
        Method::DELETE,
        Method::TRACE,
    ]
    .contains(method)
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date (a date in the past asks
/// for no wait).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = parse_http_date(text)?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// An IMF-fixdate, as `Sun, 06 Nov 1994 08:49:37 GMT` (the HTTP date form servers send).
fn parse_http_date(text: &str) -> Option<SystemTime> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u64 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    if parts.next()? != "GMT" {
        return None;
    }
    let mut field = |limit: u64| {
        clock
            .next()?
            .parse::<u64>()
            .ok()
            .filter(|value| *value < limit)
    };
    let (hour, minute, second) = (field(24)?, field(60)?, field(61)?);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| *name == month)? as i64 + 1;
    if !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, i64::try_from(day).ok()?);
    let seconds = days * 86_400 + i64::try_from(hour * 3600 + minute * 60 + second).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A random number, from the standard library's per-process hash keys.
fn random_u64() -> u64 {
    RandomState::new().hash_one(SystemTime::now())
}

/// A random key for an idempotency-key header, formatted as a version 4 UUID.
pub(crate) fn idempotency_key() -> String {
    let high = random_u64();
    let low = random_u64();
    let bytes = ((u128::from(high) << 64) | u128::from(low)) & !(0xf << 76) & !(0x3 << 62)
        | (0x4 << 76)
        | (0x2 << 62);
    let hex = format!("{bytes:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_up_to_the_maximum_without_jitter() {
        let policy = RetryPolicy::default()
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(300))
            .jitter(false);
        let delays: Vec<Option<Duration>> =
            (1..=3).map(|retry| policy.delay(retry, None)).collect();
        assert_eq!(
            delays,
            [100, 200, 300].map(|ms| Some(Duration::from_millis(ms)))
        );
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_backoff() {
        let policy = RetryPolicy::default().initial_delay(Duration::from_millis(400));
        for _ in 0..50 {
            let delay = policy.delay(1, None).unwrap();
            assert!(delay >= Duration::from_millis(200) && delay <= Duration::from_millis(400));
        }
    }

    #[test]
    fn retry_after_longer_than_the_maximum_is_not_waited_for() {
        let policy = RetryPolicy::default().max_delay(Duration::from_secs(5));
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(5))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(policy.delay(1, Some(Duration::from_secs(6))), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:49 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(12)));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Sat, 05 Nov 1994 08:49:49 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn http_dates_match_known_instants() {
        let parsed = parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(parsed, Some(UNIX_EPOCH));
        let parsed = parse_http_date("Tue, 29 Feb 2000 23:59:59 GMT");
        assert_eq!(parsed, Some(UNIX_EPOCH + Duration::from_secs(951_868_799)));
        assert_eq!(parse_http_date("Tue, 29 Feb 2000 24:00:00 GMT"), None);
    }

    #[test]
    fn only_idempotent_methods_are_idempotent() {
        assert!(is_idempotent(&Method::GET) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }

    #[test]
    fn idempotency_keys_look_like_version_4_uuids() {
        let key = idempotency_key();
        assert_eq!(key.len(), 36);
        assert_eq!(key.as_bytes()[14], b'4');
        assert!(
            matches!(key.as_bytes()[19], b'8' | b'9' | b'a' | b'b'),
            "{key}"
        );
        assert_ne!(key, idempotency_key());
    }
}
