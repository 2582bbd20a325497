//! What a check may be told: the step timeout, extra CA certificates, the group to check.

use std::path::PathBuf;
use std::time::Duration;

/// How long one step may take unless [`CheckOptions::step_timeout`] says otherwise.
pub const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// Choices for a [`check()`](super::check()).
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The most one step may take ([`DEFAULT_STEP_TIMEOUT`]).
    pub step_timeout: Duration,
    /// A PEM file of CA certificates to trust besides the system's. Confluent Cloud uses public
    /// CAs: this is for private or test clusters.
    pub ca_file: Option<PathBuf>,
    /// The consumer group id to check, instead of the configuration's (or
    /// `<group prefix>.cdx-check`).
    pub group_id: Option<String>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            step_timeout: DEFAULT_STEP_TIMEOUT,
            ca_file: None,
            group_id: None,
        }
    }
}
