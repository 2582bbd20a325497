//! [`RetryPolicy`]: when a failed request is sent again, and how long to wait first.
//!
//! The rules, in order:
//! 1. A request that provably never reached the server (a 429, or a connection that was
//!    refused or could not be set up) may always be sent again, even a redeem.
//! 2. Idempotent requests (GET, DELETE) are also retried after 502, 503, 504, timeouts and
//!    broken connections.
//! 3. Nothing else is retried. In particular a redeem that may have reached the server (a 500,
//!    a 502, a timeout, a reset after sending) is never sent twice: a share token is
//!    single-use, and a second attempt would at best fail with 409 and at worst hide that the
//!    first one succeeded.
//!
//! The wait is `Retry-After` (seconds or an HTTP-date) when the server sends it, else `X-RateLimit-Reset` (relative
//! seconds), else exponential backoff with full jitter; attempts and total waiting are bounded.

use crate::error::Error;
use crate::operation::Operation;
use reqwest::StatusCode;
use std::time::Duration;

/// How failed requests are retried. The defaults suit interactive use.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry). Default 4.
    pub max_attempts: u32,
    /// First backoff step; it doubles per attempt. Default 250 ms.
    pub base_delay: Duration,
    /// Largest single backoff step (server-given waits are not capped by it). Default 8 s.
    pub max_delay: Duration,
    /// Most time spent waiting across all retries of one call; a server asking for longer
    /// ends the retries with the rate-limit error. Default 60 s.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_total_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether `operation` may be sent again after `error`, ignoring attempt limits.
    pub fn may_resend(operation: Operation, error: &Error) -> bool {
        if error.request_not_processed() {
            // A refused certificate would be refused again.
            return !matches!(error, Error::InvalidInput(_) | Error::Certificate { .. });
        }
        operation.is_idempotent() && error.is_retryable()
    }

    /// The wait before attempt `attempt + 1`, or `None` to give up. `waited` is the time
    /// already spent waiting in this call.
    pub fn next_wait(
        &self,
        operation: Operation,
        error: &Error,
        attempt: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !Self::may_resend(operation, error) {
            return None;
        }
        let wait = error.retry_after().unwrap_or_else(|| self.backoff(attempt));
        // Overflow (an absurd server-given wait) is simply over the budget.
        waited
            .checked_add(wait)
            .is_some_and(|total| total <= self.max_total_wait)
            .then_some(wait)
    }

    /// Exponential backoff with full jitter: uniform in `[0, min(max_delay, base * 2^(n-1))]`.
    fn backoff(&self, attempt: u32) -> Duration {
        let cap = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        // `try_`: a cap near `Duration::MAX` would make `mul_f64` panic on rounding.
        Duration::try_from_secs_f64(cap.as_secs_f64() * fastrand::f64())
            .unwrap_or(cap)
            .min(cap)
    }
}

/// Told to [`crate::ClientBuilder::on_retry`] before each wait, so an application can say why
/// it is waiting (the CLI prints it).
#[derive(Clone, Debug)]
pub struct RetryNotice {
    /// The operation being retried.
    pub operation: Operation,
    /// The attempt that failed (1 = the first).
    pub attempt: u32,
    /// How long the client waits before the next attempt.
    pub wait: Duration,
    /// True when the server rate-limited the request (the cause is [`RetryCause::RateLimited`]).
    pub rate_limited: bool,
    /// Why the attempt failed, for the application to word.
    pub cause: RetryCause,
}

/// Why a request is sent again: the failures [`RetryPolicy`] retries. Holds no secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryCause {
    /// HTTP 429: the server refused the request before processing it.
    RateLimited,
    /// The API answered 502, 503 or 504 (with an API error or an unreadable body).
    Unavailable {
        /// The HTTP status.
        status: StatusCode,
    },
    /// No response within the request timeout.
    Timeout {
        /// The request timeout that ran out, when known.
        after: Option<Duration>,
    },
    /// The connection failed, or broke while the response was read.
    Connection {
        /// What failed, from the HTTP library (holds no credential).
        message: String,
        /// True when the request provably never left this machine.
        not_sent: bool,
    },
}

impl RetryCause {
    /// The cause of a retried `error`; `None` for an error that is never retried.
    pub fn of(error: &Error) -> Option<Self> {
        match error {
            Error::RateLimited(_) => Some(Self::RateLimited),
            Error::Timeout { after, .. } => Some(Self::Timeout { after: *after }),
            Error::Transport {
                message, not_sent, ..
            } => Some(Self::Connection {
                message: message.clone(),
                not_sent: *not_sent,
            }),
            other => other
                .status()
                .filter(|s| matches!(s.as_u16(), 502..=504))
                .map(|status| Self::Unavailable { status }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    fn api(status: u16, retry_after: Option<Duration>) -> Box<ApiError> {
        Box::new(ApiError {
            operation: Operation::RedeemSharedToken,
            status: StatusCode::from_u16(status).unwrap(),
            request_id: None,
            errors: Vec::new(),
            auth_challenge: None,
            retry_after,
            credentials: None,
        })
    }

    #[test]
    fn a_huge_server_wait_is_over_budget_not_a_panic() {
        let policy = RetryPolicy::default();
        let op = Operation::RedeemSharedToken;
        let huge = Error::RateLimited(api(429, Some(Duration::from_secs(u64::MAX))));
        assert_eq!(policy.next_wait(op, &huge, 1, Duration::ZERO), None);
        assert_eq!(
            policy.next_wait(op, &huge, 1, Duration::from_secs(59)),
            None
        );
        let small = Error::RateLimited(api(429, Some(Duration::from_secs(2))));
        assert_eq!(policy.next_wait(op, &small, 1, Duration::MAX), None);
        assert_eq!(
            policy.next_wait(op, &small, 1, Duration::from_secs(58)),
            Some(Duration::from_secs(2)),
            "exactly the budget is still allowed"
        );
        assert_eq!(
            policy.next_wait(op, &small, 1, Duration::from_secs(59)),
            None
        );
    }

    #[test]
    fn backoff_stays_within_its_bounds_even_with_extreme_settings() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for attempt in 1..40 {
            let cap =
                Duration::from_millis(100 * (1u64 << (attempt - 1).min(16))).min(policy.max_delay);
            for _ in 0..20 {
                assert!(policy.backoff(attempt) <= cap, "attempt {attempt}");
            }
        }
        let extreme = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..RetryPolicy::default()
        };
        for attempt in [1, 2, 17, u32::MAX] {
            let _ = extreme.backoff(attempt);
        }
    }

    #[test]
    fn only_requests_that_provably_were_not_processed_are_resent_when_not_idempotent() {
        let redeem = Operation::RedeemSharedToken;
        let list = Operation::ListConsumerShares;
        let transport = |not_sent| Error::Transport {
            operation: redeem,
            message: "x".into(),
            not_sent,
        };
        assert!(RetryPolicy::may_resend(
            redeem,
            &Error::RateLimited(api(429, None))
        ));
        assert!(RetryPolicy::may_resend(redeem, &transport(true)));
        assert!(!RetryPolicy::may_resend(redeem, &transport(false)));
        assert!(RetryPolicy::may_resend(list, &transport(false)));
        for status in [500, 502, 503, 504] {
            assert!(!RetryPolicy::may_resend(
                redeem,
                &Error::Server(api(status, None))
            ));
            assert_eq!(
                RetryPolicy::may_resend(list, &Error::Server(api(status, None))),
                status != 500,
                "{status}"
            );
        }
        let timeout = Error::Timeout {
            operation: redeem,
            after: None,
        };
        assert!(!RetryPolicy::may_resend(redeem, &timeout));
        assert!(RetryPolicy::may_resend(list, &timeout));
    }

    #[test]
    fn every_retried_error_has_a_cause_and_no_other_does() {
        let list = Operation::ListConsumerShares;
        let retried = [
            (Error::RateLimited(api(429, None)), RetryCause::RateLimited),
            (
                Error::Server(api(503, None)),
                RetryCause::Unavailable {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                },
            ),
            (
                Error::Timeout {
                    operation: list,
                    after: Some(Duration::from_secs(3)),
                },
                RetryCause::Timeout {
                    after: Some(Duration::from_secs(3)),
                },
            ),
            (
                Error::Transport {
                    operation: list,
                    message: "reset".into(),
                    not_sent: false,
                },
                RetryCause::Connection {
                    message: "reset".into(),
                    not_sent: false,
                },
            ),
        ];
        for (error, cause) in &retried {
            assert!(RetryPolicy::may_resend(list, error), "{error:?}");
            assert_eq!(RetryCause::of(error).as_ref(), Some(cause), "{error:?}");
        }
        for error in [
            Error::Server(api(500, None)),
            Error::Rejected(api(400, None)),
            Error::NotFound(api(404, None)),
        ] {
            assert!(!RetryPolicy::may_resend(list, &error), "{error:?}");
            assert_eq!(RetryCause::of(&error), None, "{error:?}");
        }
    }
}
