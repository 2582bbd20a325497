//! How the CLI fails: one clear message on stderr and an exit status (2: invalid usage or input,
//! nothing sent; 1: anything else).

use cdx_ext::OperationExt;
use std::fmt;
use std::process::ExitCode;

/// A failed command.
#[derive(Debug)]
pub struct Failure {
    /// The message (first line: one sentence).
    pub message: String,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Invalid usage or input, nothing sent: exit 2.
    Usage,
    /// Anything else: exit 1.
    Other,
    /// Standard output was closed by its reader (`cdx ... | head -1`).
    ClosedStdout,
    /// Interrupted by SIGINT or SIGTERM: exit 130, as a shell reports Ctrl-C.
    Interrupted,
}

impl Failure {
    /// Invalid usage or input: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: Kind::Usage,
        }
    }

    /// Any other failure: exit 1.
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: Kind::Other,
        }
    }

    /// Interrupted by a signal: exit 130.
    pub fn interrupted(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: Kind::Interrupted,
        }
    }

    /// The same message, as an interruption (exit 130).
    pub fn into_interrupted(self) -> Self {
        Self::interrupted(self.message)
    }

    /// The reader of standard output went away. Not reported: the reader chose to stop reading
    /// (`| head -1`, `| grep -q`), so the command ends quietly, like a complete one.
    pub fn closed_stdout() -> Self {
        Self {
            message: String::new(),
            kind: Kind::ClosedStdout,
        }
    }

    /// True when standard output was closed by its reader.
    pub fn is_closed_stdout(&self) -> bool {
        self.kind == Kind::ClosedStdout
    }

    /// The process exit status. A closed standard output exits 0: what the reader wanted was
    /// delivered (and exiting 1 would fail `set -o pipefail` scripts that take `| head -1`).
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self.kind {
            Kind::Usage => 2,
            Kind::Other => 1,
            Kind::ClosedStdout => 0,
            Kind::Interrupted => 130,
        })
    }

    /// Adds a line of detail under the message.
    pub fn with_note(mut self, note: &str) -> Self {
        self.message.push_str("\n  ");
        self.message.push_str(note);
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<cdx_ext::Error> for Failure {
    fn from(e: cdx_ext::Error) -> Self {
        use cdx_ext::Error as E;
        let usage = matches!(e, E::InvalidInput(_));
        let mut message = match &e {
            // The library also suggests an access token, which cdx cannot take: it reads only
            // the Cloud API key and secret.
            E::Unauthenticated(api) => format!(
                "Authentication failed: check the Cloud API key and secret (CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET).{}",
                api.details()
            ),
            _ => e.to_string(),
        };
        // After a redeem that may have spent the token, say where the share can be found.
        // (A 409 from looking at a token, before a redeem, means the same: it was spent.)
        let redeem = e.operation() == Some(cdx_ext::Operation::RedeemSharedToken);
        let token_op = e
            .operation()
            .is_some_and(cdx_ext::Operation::uses_share_token);
        let spent = matches!(e, E::Conflict(_)) && token_op;
        if (redeem && e.outcome_unknown()) || spent {
            message.push_str("\n  Run `cdx consumer share list` to find the share.");
        }
        if matches!(e, E::Timeout { .. }) {
            message.push_str("\n  Wait longer with --timeout SECONDS (or CDX_TIMEOUT).");
        }
        if usage {
            Self::usage(message)
        } else {
            Self::other(message)
        }
    }
}

impl From<cdx_ext::InvalidInput> for Failure {
    fn from(e: cdx_ext::InvalidInput) -> Self {
        Self::usage(e.to_string())
    }
}

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
            crate::output::escape(message),
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
