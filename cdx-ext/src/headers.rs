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
    fn auth_challenge_takes_the_description() {
        let mut h = HeaderMap::new();
        h.insert(
            "www-authenticate",
            r#"Basic error="invalid_key", error_description="The API Key is invalid""#
                .parse()
                .unwrap(),
        );
        assert_eq!(
            auth_challenge(&h).as_deref(),
            Some("The API Key is invalid")
        );
        h.insert("www-authenticate", "Basic realm=x".parse().unwrap());
        assert_eq!(auth_challenge(&h).as_deref(), Some("Basic realm=x"));
    }
}
