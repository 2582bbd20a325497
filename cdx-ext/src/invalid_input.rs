//! [`InvalidInput`]: input rejected before anything is sent. A leaf: it depends on nothing else
//! of the crate, so every module that checks input can use it.

/// Input rejected before sending: which value, and why, never echoing a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct InvalidInput {
    /// What was wrong, e.g. "AWS account ID".
    pub what: String,
    /// Why, and how to fix it.
    pub reason: String,
}

impl InvalidInput {
    /// A new input error.
    pub fn new(what: &str, reason: &str) -> Self {
        Self {
            what: what.into(),
            reason: reason.into(),
        }
    }
}
