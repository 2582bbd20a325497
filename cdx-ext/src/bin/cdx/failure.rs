//! How the CLI fails: one clear message on stderr and an exit status (2: invalid usage or input,
//! nothing sent; 1: anything else).

use std::fmt;
use std::process::ExitCode;

/// A failed command.
#[derive(Debug)]
pub struct Failure {
    /// The message (first line: one sentence).
    pub message: String,
    /// True when the input was invalid and nothing was sent.
    pub usage: bool,
}

impl Failure {
    /// Invalid usage or input: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            usage: true,
        }
    }

    /// Any other failure: exit 1.
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            usage: false,
        }
    }

    /// The process exit status.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(if self.usage { 2 } else { 1 })
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
        let mut message = e.to_string();
        // After a redeem that may have spent the token, say where the share can be found.
        let redeem = e.operation() == Some(cdx_ext::Operation::RedeemSharedToken);
        let maybe_spent = matches!(
            e,
            E::Conflict(_)
                | E::Timeout { .. }
                | E::Transport {
                    not_sent: false,
                    ..
                }
                | E::InvalidResponse(_)
        );
        if redeem && maybe_spent {
            message.push_str("\n  Run `cdx consumer share list` to find the share.");
        }
        Self { message, usage }
    }
}

impl From<cdx_ext::InvalidInput> for Failure {
    fn from(e: cdx_ext::InvalidInput) -> Self {
        Self::usage(e.to_string())
    }
}
