//! librdkafka clients for a [`Target`]: a read-only consumer that never commits, and a context
//! that keeps librdkafka's errors (to tell an authentication failure from a timeout) instead of
//! logging them.

use super::Target;
use rdkafka::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, Consumer as _, ConsumerContext};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// Keeps the errors librdkafka reports outside of a request's result; logs nothing (its log
/// lines could name hosts and settings the user did not ask to see).
#[derive(Default)]
pub(super) struct Recorder {
    errors: Mutex<Vec<(Option<RDKafkaErrorCode>, String)>>,
}

impl Recorder {
    /// The first recorded error with `code`, as librdkafka described it.
    pub(super) fn find(&self, code: RDKafkaErrorCode) -> Option<String> {
        let errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        errors
            .iter()
            .find(|(c, _)| *c == Some(code))
            .map(|(_, reason)| reason.clone())
    }

    fn note(&self, error: &KafkaError, reason: &str) {
        let mut errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        if errors.len() < 64 {
            let reason = if reason.is_empty() {
                error.to_string()
            } else {
                reason.to_string()
            };
            errors.push((error.rdkafka_error_code(), reason));
        }
    }
}

impl ClientContext for Recorder {
    fn log(&self, _level: RDKafkaLogLevel, _fac: &str, _log_message: &str) {}

    fn error(&self, error: KafkaError, reason: &str) {
        self.note(&error, reason);
    }
}

/// Records the errors waiting in the consumer's queue (a consumer gets librdkafka's errors, such
/// as a refused authentication, as events of its queue). Only for a consumer with nothing
/// assigned: a message polled here would be lost.
pub(super) fn take_errors(consumer: &BaseConsumer<Recorder>) {
    for _ in 0..64 {
        match consumer.poll(Duration::ZERO) {
            Some(Err(e)) => consumer.context().note(&e, ""),
            Some(Ok(_)) => {}
            None => break,
        }
    }
}

impl ConsumerContext for Recorder {}

/// A consumer that reads only what it is assigned and never commits: no auto-commit, no
/// offset store, and a group only when `group_id` is given (for an offset fetch).
pub(super) fn consumer(
    target: &Target,
    ca_file: Option<&Path>,
    group_id: Option<&str>,
    timeout: Duration,
) -> Result<BaseConsumer<Recorder>, KafkaError> {
    let mut config = ClientConfig::new();
    let ms = timeout.as_millis().clamp(1_000, 300_000).to_string();
    config
        .set("bootstrap.servers", target.bootstrap.to_string())
        .set("security.protocol", "SASL_SSL")
        .set("sasl.mechanisms", "PLAIN")
        .set("sasl.username", &target.username)
        .set("sasl.password", target.password.expose_secret())
        .set("client.id", "cdx")
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("allow.auto.create.topics", "false")
        .set("socket.timeout.ms", &ms)
        .set("socket.connection.setup.timeout.ms", &ms)
        // No reconnect storms while a check waits on a refused key.
        .set("reconnect.backoff.max.ms", "1000")
        .set("log.connection.close", "false");
    if let Some(ca) = ca_file {
        config.set("ssl.ca.location", ca.to_string_lossy());
    }
    if let Some(group) = group_id {
        config.set("group.id", group);
    }
    config.create_with_context(Recorder::default())
}
