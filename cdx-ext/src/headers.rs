//! Reading the response headers errors and retries need: `X-Request-Id`, `Retry-After` and
//! `X-RateLimit-Reset`, and the `WWW-Authenticate` challenge of a 401.

use reqwest::header::HeaderMap;
use std::time::Duration;

/// A header's value as text, when present and visible ASCII.
pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The longest wait a rate-limit header is taken to ask for. Larger values (a bug, or an epoch
/// where seconds were meant) are capped; the retry budget then gives up with the error.
const MAX_HEADER_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// A rate-limit header in whole seconds, capped at [`MAX_HEADER_WAIT`].
pub(crate) fn seconds(headers: &HeaderMap, name: &str) -> Option<Duration> {
    let text = header(headers, name)?;
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: a parse failure can only be overflow, which is past the cap anyway.
    let secs = text.parse::<u64>().unwrap_or(u64::MAX);
    Some(Duration::from_secs(secs).min(MAX_HEADER_WAIT))
}

/// How long a rate-limited response asks to wait: `Retry-After` (delay-seconds, or an
/// HTTP-date, taken relative to this machine's clock), else `X-RateLimit-Reset` (seconds).
/// A date in the past means now; waits are capped at [`MAX_HEADER_WAIT`].
pub(crate) fn rate_limit_wait(headers: &HeaderMap) -> Option<Duration> {
    seconds(headers, "retry-after")
        .or_else(|| http_date_wait(headers, std::time::SystemTime::now()))
        .or_else(|| seconds(headers, "x-ratelimit-reset"))
}

/// `Retry-After` as an HTTP-date, as the wait from `now`.
fn http_date_wait(headers: &HeaderMap, now: std::time::SystemTime) -> Option<Duration> {
    let date = httpdate::parse_http_date(header(headers, "retry-after")?.trim()).ok()?;
    Some(
        date.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_HEADER_WAIT),
    )
}

/// The `X-Request-Id` of a response, for Confluent support.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    header(headers, "x-request-id")
}

/// The `error_description` of a `WWW-Authenticate` challenge, or the whole header.
pub(crate) fn auth_challenge(headers: &HeaderMap) -> Option<String> {
    let value = header(headers, "www-authenticate")?;
    let description = value.split("error_description=").nth(1).map(|rest| {
        let rest = rest.trim_start();
        match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or_default().to_string(),
            None => rest
                .split(',')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string(),
        }
    });
    Some(description.unwrap_or(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_headers_are_whole_seconds_capped_at_a_day() {
        let wait = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert("retry-after", value.parse().unwrap());
            seconds(&h, "retry-after")
        };
        assert_eq!(wait(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(wait("0"), Some(Duration::ZERO));
        assert_eq!(wait("86401"), Some(MAX_HEADER_WAIT));
        assert_eq!(wait("18446744073709551615"), Some(MAX_HEADER_WAIT));
        assert_eq!(wait("99999999999999999999999999"), Some(MAX_HEADER_WAIT));
        for bad in ["", "-1", "1.5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            assert_eq!(wait(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let with = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().unwrap());
            }
            h
        };
        let now = std::time::SystemTime::now();
        let in_two_minutes = httpdate::fmt_http_date(now + Duration::from_secs(120));
        let h = with(&[("retry-after", &in_two_minutes)]);
        let wait = http_date_wait(&h, now).unwrap();
        // HTTP-dates have whole seconds: the fraction of `now` is lost.
        assert!(
            wait > Duration::from_secs(118) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        assert!(rate_limit_wait(&h).is_some_and(|w| w <= Duration::from_secs(120)));
        let past = with(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]);
        assert_eq!(rate_limit_wait(&past), Some(Duration::ZERO));
        let far = httpdate::fmt_http_date(now + Duration::from_secs(10 * 86_400));
        let far = with(&[("retry-after", &far)]);
        assert_eq!(rate_limit_wait(&far), Some(MAX_HEADER_WAIT));
        // Seconds win; an unreadable Retry-After falls back to X-RateLimit-Reset.
        let both = with(&[("retry-after", "3"), ("x-ratelimit-reset", "9")]);
        assert_eq!(rate_limit_wait(&both), Some(Duration::from_secs(3)));
        let bad = with(&[("retry-after", "soon"), ("x-ratelimit-reset", "9")]);
        assert_eq!(rate_limit_wait(&bad), Some(Duration::from_secs(9)));
        assert_eq!(rate_limit_wait(&with(&[])), None);
    }

    #[test]
    fn auth_challenge_takes_the_description() {
        let mut h = crate::fixtures::auth_challenge_headers();
        assert_eq!(
            auth_challenge(&h).as_deref(),
            Some("The API Key is invalid")
        );
        h.insert("www-authenticate", "Basic realm=x".parse().unwrap());
        assert_eq!(auth_challenge(&h).as_deref(), Some("Basic realm=x"));
    }
}
