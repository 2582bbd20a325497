//! How the CLI fails: one clear message on stderr and an exit status (2: invalid usage or input,
//! nothing sent; 1: anything else).

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
        let mut message = e.to_string();
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
