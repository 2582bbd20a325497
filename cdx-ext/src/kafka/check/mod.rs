//! [`check()`]: the path from a share's settings to its data, one step at a time, each with its
//! outcome, its time and, on failure, one sentence of what to do.
//!
//! Order: resolve the bootstrap host → TCP connect → TLS handshake → SASL/PLAIN authentication
//! → metadata of each shared topic → the consumer group's authorization (an offset fetch,
//! which commits nothing and joins no group) → Schema Registry, when the share has it. A step
//! that fails stops the Kafka steps after it (they could only fail the same way); the Schema
//! Registry, a separate endpoint, is checked anyway. A Kafka step asks again, within its own
//! timeout, while the cluster answers with an error Kafka defines as transient (a coordinator
//! or leader being elected); a refusal is never asked again.
//!
//! Modules: `report` (the report and its steps), `options`, `network` (DNS, TCP, TLS),
//! `kafka` (authentication, topics, group), `retry` (the Kafka steps' retries of transient
//! errors), `registry` (Schema Registry).

mod kafka;
mod network;
mod options;
mod registry;
mod report;

pub use network::private_dns_hint;
pub use options::{CheckOptions, DEFAULT_STEP_TIMEOUT};
pub use report::{CheckReport, Problem, Step, StepKind, StepStatus};

use super::Target;

/// Runs every step of the check for `target`.
///
/// Never fails as a whole: every problem is a failed step in the report.
pub async fn check(target: &Target, options: &CheckOptions) -> CheckReport {
    let mut steps = Vec::new();
    let kafka_ok = network::network_steps(target, options, &mut steps).await;
    let kafka = kafka::kafka_steps(target, options, kafka_ok).await;
    steps.extend(kafka);
    if let Some(step) = registry::schema_registry_step(target, options).await {
        steps.push(step);
    }
    CheckReport { steps }
}
