//! The Schema Registry step: authentication (`GET /subjects`) and the shared subjects. A
//! separate endpoint, so it runs whatever the Kafka steps found.

use super::options::CheckOptions;
use super::report::{Problem, Step, StepKind, timed};
use crate::kafka::Target;
use crate::kafka::schema_registry::{Registry, SrError};
use std::time::Instant;

/// Schema Registry: authentication (`GET /subjects`) and the shared subjects.
pub(super) async fn schema_registry_step(target: &Target, options: &CheckOptions) -> Option<Step> {
    let sr = target.schema_registry.as_ref()?;
    let start = Instant::now();
    let mut step = Step::new(
        StepKind::SchemaRegistry,
        format!("Schema Registry {}", sr.url),
    );
    let registry = match Registry::new(sr, options.ca_file.as_deref(), options.step_timeout) {
        Ok(r) => r,
        Err(e) => {
            step.fail(
                Problem::Other,
                e,
                "Check schema.registry.url (an https:// URL from the redemption).",
            );
            return Some(timed(step, start));
        }
    };
    match registry.subjects().await {
        Ok(visible) => {
            let missing: Vec<&str> = target.subjects.iter().map(String::as_str).filter(|s| !visible.iter().any(|v| v == s)).collect();
            if missing.is_empty() {
                step.pass(if target.subjects.is_empty() {
                    format!("authenticated; {} subject(s) visible", visible.len())
                } else {
                    format!("authenticated; shared subject(s) visible: {}", target.subjects.join(", "))
                });
            } else {
                step.fail(
                    Problem::SubjectMissing,
                    format!("not visible: {}", missing.join(", ")),
                    "The key authenticates but does not see every shared subject: the share may have been revoked, or the provider has not registered a schema yet.",
                );
            }
        }
        Err(SrError::Refused(status)) => step.fail(
            Problem::SchemaRegistryRefused,
            format!("HTTP {status}"),
            "Schema Registry refused the key and secret: use the schema_registry_api_key and secret of this share's redemption (basic.auth.user.info is KEY:SECRET), not the Kafka ones.",
        ),
        Err(e @ SrError::Transport(_)) => step.fail(
            Problem::Unreachable,
            e.to_string(),
            "Schema Registry cannot be reached: check schema.registry.url and that this network may reach it (for a private-link share, over its private endpoint).",
        ),
        Err(e) => step.fail(
            Problem::Other,
            e.to_string(),
            "Schema Registry did not answer as expected: check schema.registry.url (the redemption's schema_registry_url).",
        ),
    }
    Some(timed(step, start))
}
