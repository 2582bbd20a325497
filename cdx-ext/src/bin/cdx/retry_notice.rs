//! What the CLI says on stderr before it waits to retry a request: the library gives the cause
//! as a value, the CLI words it.

use crate::output::escape;
use cdx_ext::OperationExt as _;

/// What the CLI prints before a retry wait: why the attempt failed, then how long it waits.
pub fn retry_notice(notice: &cdx_ext::RetryNotice) -> String {
    use cdx_ext::RetryCause as C;
    let action = notice.operation.action();
    let cause = match &notice.cause {
        C::RateLimited => {
            return format!(
                "Rate limited by the API; retrying in {:.1} s (attempt {} failed).",
                notice.wait.as_secs_f64(),
                notice.attempt
            );
        }
        C::Unavailable { status } => format!(
            "The Confluent Cloud API failed with a server error (HTTP {}) trying to {action}",
            status.as_u16()
        ),
        C::Timeout { after } => format!(
            "Timed out trying to {action}: no response within {}; the request may still have reached the server",
            match after {
                Some(after) => format!("{} s (the request timeout)", after.as_secs_f64()),
                None => "the client's request timeout".to_string(),
            }
        ),
        C::Connection { message, not_sent } => format!(
            "Could not {action}: {}{}",
            escape(message),
            if *not_sent {
                " (the request was not sent)"
            } else {
                ""
            }
        ),
        // A cause this version does not know yet: still say that it waits.
        _ => format!("Could not {action}"),
    };
    format!(
        "{cause}. Retrying in {:.1} s (attempt {} failed).",
        notice.wait.as_secs_f64(),
        notice.attempt
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdx_ext::{Operation, RetryCause, RetryNotice};
    use std::time::Duration;

    fn notice(cause: RetryCause) -> String {
        retry_notice(&RetryNotice {
            operation: Operation::ListConsumerShares,
            attempt: 2,
            wait: Duration::from_millis(1500),
            rate_limited: cause == RetryCause::RateLimited,
            cause,
        })
    }

    #[test]
    fn retry_notices_word_each_cause_in_one_sentence() {
        assert_eq!(
            notice(RetryCause::RateLimited),
            "Rate limited by the API; retrying in 1.5 s (attempt 2 failed)."
        );
        assert_eq!(
            notice(RetryCause::Unavailable {
                status: reqwest::StatusCode::BAD_GATEWAY
            }),
            "The Confluent Cloud API failed with a server error (HTTP 502) trying to list consumer shares. Retrying in 1.5 s (attempt 2 failed)."
        );
        assert_eq!(
            notice(RetryCause::Timeout {
                after: Some(Duration::from_secs(5))
            }),
            "Timed out trying to list consumer shares: no response within 5 s (the request timeout); the request may still have reached the server. Retrying in 1.5 s (attempt 2 failed)."
        );
        let connection = notice(RetryCause::Connection {
            message: "connection refused\u{1b}[31m".into(),
            not_sent: true,
        });
        assert!(
            connection.starts_with("Could not list consumer shares: connection refused")
                && connection.ends_with(
                    " (the request was not sent). Retrying in 1.5 s (attempt 2 failed)."
                )
                && !connection.contains('\u{1b}'),
            "{connection}"
        );
    }
}
