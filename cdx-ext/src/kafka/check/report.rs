//! What a check found: [`CheckReport`], its [`Step`]s, and how each went.

use serde::Serialize;
use std::time::{Duration, Instant};

/// What a check found: its steps, in order.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    /// Every step, in the order they ran (skipped ones included).
    pub steps: Vec<Step>,
}

impl CheckReport {
    /// True when no step failed.
    pub fn passed(&self) -> bool {
        !self.steps.iter().any(|s| s.status == StepStatus::Failed)
    }

    /// A report whose parse step failed: the file could not be used.
    pub fn unreadable(source: &str, reason: &str, hint: &str, elapsed: Duration) -> Self {
        let mut step = Step::new(StepKind::Parse, format!("Read {source}"));
        step.elapsed = elapsed;
        step.fail(Problem::Unreadable, reason, hint);
        Self { steps: vec![step] }
    }

    /// The report with a passed parse step first: the settings were read from `source`.
    pub fn after_parse(
        mut self,
        source: &str,
        detail: impl Into<String>,
        elapsed: Duration,
    ) -> Self {
        let mut step = Step::new(StepKind::Parse, format!("Read {source}"));
        step.elapsed = elapsed;
        step.pass(detail);
        self.steps.insert(0, step);
        self
    }

    /// The first failed step.
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == StepStatus::Failed)
    }
}

/// One step of a check.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// Which step.
    pub kind: StepKind,
    /// What it checks, e.g. `Resolve pkc-abc.us-west-2.aws.confluent.cloud`.
    pub title: String,
    /// How it went.
    pub status: StepStatus,
    /// How long it took.
    #[serde(rename = "elapsed_ms", serialize_with = "millis")]
    pub elapsed: Duration,
    /// What was found (on success) or what went wrong (on failure). Server text is kept as
    /// sent: escape it before printing on a terminal.
    pub detail: String,
    /// On failure, one sentence of what to do.
    pub hint: Option<String>,
    /// On failure, what kind of failure.
    pub problem: Option<Problem>,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis().try_into().unwrap_or(u64::MAX))
}

impl Step {
    pub(super) fn new(kind: StepKind, title: String) -> Self {
        Self {
            kind,
            title,
            status: StepStatus::Passed,
            elapsed: Duration::ZERO,
            detail: String::new(),
            hint: None,
            problem: None,
        }
    }

    pub(super) fn pass(&mut self, detail: impl Into<String>) {
        self.status = StepStatus::Passed;
        self.detail = detail.into();
    }

    pub(super) fn fail(
        &mut self,
        problem: Problem,
        detail: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.status = StepStatus::Failed;
        self.problem = Some(problem);
        self.detail = detail.into();
        self.hint = Some(hint.into());
    }

    pub(super) fn skip(&mut self, why: impl Into<String>) {
        self.status = StepStatus::Skipped;
        self.detail = why.into();
    }
}

/// The steps of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepKind {
    /// Reading the redemption or configuration file.
    Parse,
    /// Resolving the bootstrap host name.
    Resolve,
    /// Opening a TCP connection to the bootstrap server.
    Connect,
    /// The TLS handshake: the certificate is trusted and names the host.
    Tls,
    /// SASL/PLAIN authentication with the API key and secret.
    Authenticate,
    /// Metadata of one shared topic: partitions and leaders.
    Topic,
    /// The consumer group's authorization (an offset fetch, committing nothing).
    Group,
    /// Schema Registry authentication and the shared subjects.
    SchemaRegistry,
}

/// How a step went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// It worked.
    Passed,
    /// It failed: see the hint.
    Failed,
    /// It was not run (an earlier step failed, or there was nothing to check).
    Skipped,
}

/// What kind of failure a failed step met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// The file could not be read or lacks a setting.
    Unreadable,
    /// The host name does not resolve.
    UnresolvableHost,
    /// The connection was refused: nothing listens there.
    ConnectionRefused,
    /// No answer in time.
    Timeout,
    /// The connection failed otherwise (unreachable network, reset).
    Unreachable,
    /// The server's certificate is not trusted.
    UntrustedCertificate,
    /// The certificate does not name the host.
    HostnameMismatch,
    /// The server does not speak TLS there.
    NotTls,
    /// The API key and secret were refused.
    AuthenticationFailed,
    /// The key may not describe or read the topic (revoked share, or not shared).
    TopicNotAuthorized,
    /// The topic does not exist.
    UnknownTopic,
    /// A partition has no leader.
    NoLeader,
    /// The key may not use the consumer group.
    GroupNotAuthorized,
    /// The Schema Registry refused the key and secret.
    SchemaRegistryRefused,
    /// A shared subject is not visible.
    SubjectMissing,
    /// Anything else.
    Other,
}
/// A step timed from `start`.
pub(super) fn timed(mut step: Step, start: Instant) -> Step {
    step.elapsed = start.elapsed();
    step
}

/// A duration in whole seconds, for messages.
pub(super) fn seconds(d: Duration) -> String {
    format!("{:.0} s", d.as_secs_f64())
}
/// A failure: its kind, what went wrong, and what to do.
pub(super) type Failed = (Problem, String, String);
