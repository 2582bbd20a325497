//! The Kafka steps: SASL/PLAIN authentication, each shared topic's metadata, and the consumer
//! group's authorization, through one librdkafka consumer on a blocking thread.

use super::options::CheckOptions;
use super::report::{Failed, Problem, Step, StepKind, StepStatus, seconds, timed};
use crate::kafka::Target;
use crate::kafka::client::{self, Recorder};
use crate::kafka::retry;
use rdkafka::TopicPartitionList;
use rdkafka::consumer::{BaseConsumer, Consumer as _};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::types::RDKafkaRespErr;
use std::time::{Duration, Instant};

/// The suffix of the consumer group id checked when the configuration sets none.
const CHECK_GROUP_SUFFIX: &str = ".cdx-check";
/// Authentication, topics, group: one librdkafka consumer, on a blocking thread.
pub(super) async fn kafka_steps(
    target: &Target,
    options: &CheckOptions,
    reachable: bool,
) -> Vec<Step> {
    let group_id = options
        .group_id
        .clone()
        .or_else(|| target.group_id.clone())
        .or_else(|| {
            target
                .group_prefix
                .as_ref()
                .map(|p| format!("{p}{CHECK_GROUP_SUFFIX}"))
        });
    if !reachable {
        let mut steps = vec![Step::new(
            StepKind::Authenticate,
            format!("Authenticate as {}", target.username),
        )];
        steps.extend(
            target
                .topics
                .iter()
                .map(|t| Step::new(StepKind::Topic, format!("Topic {t}"))),
        );
        steps.push(Step::new(StepKind::Group, group_title(group_id.as_deref())));
        for step in &mut steps {
            step.skip("not run: the broker was not reached");
        }
        return steps;
    }
    let target = target.clone();
    let options = options.clone();
    tokio::task::spawn_blocking(move || blocking_kafka_steps(&target, &options, group_id))
        .await
        .unwrap_or_else(|e| {
            let mut step = Step::new(StepKind::Authenticate, "Authenticate".into());
            step.fail(
                Problem::Other,
                e.to_string(),
                "Report this as a bug in cdx.",
            );
            vec![step]
        })
}

fn group_title(group: Option<&str>) -> String {
    match group {
        Some(g) => format!("Consumer group {g}"),
        None => "Consumer group".to_string(),
    }
}

fn blocking_kafka_steps(
    target: &Target,
    options: &CheckOptions,
    group_id: Option<String>,
) -> Vec<Step> {
    let t = options.step_timeout;
    let mut steps = Vec::new();
    let start = Instant::now();
    let mut auth = Step::new(
        StepKind::Authenticate,
        format!("Authenticate as {}", target.username),
    );
    let consumer = match client::consumer(target, options.ca_file.as_deref(), None, t) {
        Ok(c) => c,
        Err(e) => {
            auth.fail(Problem::Other, e.to_string(), "The settings were refused by librdkafka: write the file again with `cdx config render`.");
            steps.push(timed(auth, start));
            return steps;
        }
    };
    // Short metadata requests until one answers or librdkafka reports why not: a refused key
    // shows within a round trip, not at the end of the timeout.
    let outcome = retry::until_settled(
        start + t,
        |left| {
            consumer
                .fetch_metadata(None, left.min(Duration::from_millis(500)))
                .map(|m| m.brokers().len())
                .inspect_err(|_| client::take_errors(&consumer))
        },
        |r| matches!(r, Err(e) if retry::is_transient(e) && auth_failure(consumer.context()).is_none()),
    );
    match outcome {
        Ok(brokers) => auth.pass(format!("SASL/PLAIN accepted; the cluster has {brokers} broker(s)")),
        Err(e) => match auth_failure(consumer.context()) {
            Some((problem, detail, hint)) => auth.fail(problem, detail, hint),
            None if retry::is_transient(&e) => auth.fail(
                Problem::Timeout,
                format!("no metadata within {}", seconds(t)),
                "The broker did not answer after the handshake: check that this network reaches every broker of the cluster (not only the bootstrap host), or raise the step timeout.",
            ),
            None => auth.fail(Problem::Other, e.to_string(), "The cluster refused the request: run the check again, and if it keeps failing, ask the provider."),
        },
    }
    let authenticated = auth.status == StepStatus::Passed;
    steps.push(timed(auth, start));

    // Topics.
    let mut partitions = TopicPartitionList::new();
    for topic in &target.topics {
        let start = Instant::now();
        let mut step = Step::new(StepKind::Topic, format!("Topic {topic}"));
        if !authenticated {
            step.skip("not run: not authenticated");
            steps.push(step);
            continue;
        }
        topic_step(&consumer, topic, t, &mut step, &mut partitions, target);
        steps.push(timed(step, start));
    }
    if target.topics.is_empty() && authenticated {
        let mut step = Step::new(StepKind::Topic, "Topics".into());
        step.skip("no shared topic is named (a redemption lists them; in a config file, the `# Topic:` comments cdx writes)");
        steps.push(step);
    }

    // Group.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Group, group_title(group_id.as_deref()));
    match (&group_id, authenticated) {
        (_, false) => step.skip("not run: not authenticated"),
        (None, _) => step.skip("no group.id in the file and no consumer group prefix known"),
        (Some(_), _) if partitions.count() == 0 => {
            step.skip("not run: no readable topic to fetch the group's offsets for")
        }
        (Some(group), true) => group_step(target, options, group, &partitions, &mut step),
    }
    steps.push(timed(step, start));
    steps
}

/// An authentication or TLS failure librdkafka reported.
fn auth_failure(recorder: &Recorder) -> Option<Failed> {
    if let Some(reason) = recorder.find(RDKafkaErrorCode::Authentication) {
        return Some((
            Problem::AuthenticationFailed,
            reason,
            "The broker refused the API key and secret: use the ones from this share's redemption (a share's key works only for its own cluster), and if they are right the share may have been deleted or revoked.".to_string(),
        ));
    }
    recorder.find(RDKafkaErrorCode::SSL).map(|reason| {
        (
            Problem::UntrustedCertificate,
            reason,
            "librdkafka could not complete TLS: Confluent Cloud's certificates chain to public CAs, so check the system's CA certificates; for a private or test cluster, pass its CA with --ca-file.".to_string(),
        )
    })
}

fn topic_step(
    consumer: &BaseConsumer<Recorder>,
    topic: &str,
    t: Duration,
    step: &mut Step,
    partitions: &mut TopicPartitionList,
    target: &Target,
) {
    let revoked = match &target.share_id {
        Some(id) => format!("the share may have been revoked or deleted (`cdx consumer share describe {id}` shows its state)"),
        None => "the share may have been revoked or deleted (`cdx consumer share list --include-deleted` shows its state)".to_string(),
    };
    // A topic whose leaders are being elected is retried until they are, or the time is up.
    let metadata = retry::until_settled(
        Instant::now() + t,
        |left| consumer.fetch_metadata(Some(topic), left),
        |r| match r {
            Err(e) => retry::is_transient(e),
            Ok(m) => m.topics().iter().any(|found| {
                found.name() == topic
                    && (found
                        .error()
                        .is_some_and(|code| retry::is_retriable(code.into()))
                        || found.partitions().iter().any(|p| p.leader() < 0))
            }),
        },
    );
    let metadata = match metadata {
        Ok(m) => m,
        Err(e) => {
            step.fail(Problem::Other, e.to_string(), "The cluster did not describe the topic: run the check again, and if it keeps failing, ask the provider.");
            return;
        }
    };
    let Some(found) = metadata.topics().iter().find(|m| m.name() == topic) else {
        step.fail(
            Problem::UnknownTopic,
            "not in the metadata",
            format!("The topic is not visible to this key: {revoked}."),
        );
        return;
    };
    match found.error() {
        None => {}
        Some(RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) => {
            step.fail(
                Problem::TopicNotAuthorized,
                "TOPIC_AUTHORIZATION_FAILED",
                format!("This key may not read the topic: {revoked}; if the share is active, ask the provider to share this topic."),
            );
            return;
        }
        Some(RDKafkaRespErr::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) => {
            step.fail(Problem::UnknownTopic, "UNKNOWN_TOPIC_OR_PARTITION", "The topic does not exist on the cluster: check its name, or ask the provider whether it was deleted or renamed.");
            return;
        }
        Some(other) => {
            step.fail(Problem::Other, format!("{other:?}"), "The cluster refused to describe the topic: run the check again, and if it keeps failing, ask the provider.");
            return;
        }
    }
    let parts = found.partitions();
    if parts.is_empty() {
        step.fail(
            Problem::UnknownTopic,
            "no partitions",
            "The topic has no partitions visible to this key: ask the provider.",
        );
        return;
    }
    let leaderless: Vec<String> = parts
        .iter()
        .filter(|p| p.leader() < 0)
        .map(|p| p.id().to_string())
        .collect();
    let mut leaders: Vec<i32> = parts
        .iter()
        .map(|p| p.leader())
        .filter(|l| *l >= 0)
        .collect();
    leaders.sort_unstable();
    leaders.dedup();
    for p in parts {
        partitions.add_partition(topic, p.id());
    }
    if leaderless.is_empty() {
        let leaders: Vec<String> = leaders.iter().map(ToString::to_string).collect();
        step.pass(format!(
            "{} partition(s), every one with a leader (broker {})",
            parts.len(),
            leaders.join(", ")
        ));
    } else {
        step.fail(
            Problem::NoLeader,
            format!("partition(s) {} have no leader", leaderless.join(", ")),
            "The cluster cannot serve these partitions right now: wait and run the check again, and if it persists, tell the provider.",
        );
    }
}

/// An offset fetch for the group: authorized only when the key may read the group; commits
/// nothing and joins nothing.
fn group_step(
    target: &Target,
    options: &CheckOptions,
    group: &str,
    partitions: &TopicPartitionList,
    step: &mut Step,
) {
    let t = options.step_timeout;
    let prefix_hint = match &target.group_prefix {
        Some(prefix) if !group.starts_with(prefix.as_str()) => format!(
            "The group.id {group:?} does not start with the share's prefix {prefix:?}: use a group.id that does, e.g. {prefix}.my-app (`cdx config render --group-suffix .my-app` writes one)."
        ),
        Some(_) => "The broker refused this group although it has the share's prefix: the share may have been revoked or deleted.".to_string(),
        None => "The broker refused this consumer group: use a group.id that starts with the share's consumer group prefix (the redemption's Group resource).".to_string(),
    };
    let consumer = match client::consumer(target, options.ca_file.as_deref(), Some(group), t) {
        Ok(c) => c,
        Err(e) => {
            step.fail(
                Problem::Other,
                e.to_string(),
                "librdkafka refused the group.id: check its value.",
            );
            return;
        }
    };
    // A coordinator being elected or loading answers with a retriable error, for the request
    // or for each partition: asked again until it settles. A refusal is never asked again.
    let fetched = retry::until_settled(
        Instant::now() + t,
        |left| consumer.committed_offsets(partitions.clone(), left),
        |r| match r {
            Err(e) => {
                client::take_errors(&consumer);
                retry::is_transient(e)
                    && consumer
                        .context()
                        .find(RDKafkaErrorCode::GroupAuthorizationFailed)
                        .is_none()
            }
            Ok(list) => {
                let errors: Vec<KafkaError> = list
                    .elements()
                    .iter()
                    .filter_map(|e| e.error().err())
                    .collect();
                errors.iter().any(retry::is_transient)
                    && !errors.iter().any(|e| !retry::is_transient(e))
            }
        },
    );
    match fetched {
        Ok(list) => {
            let denied = list.elements().iter().any(|e| {
                matches!(
                    e.error(),
                    Err(KafkaError::OffsetFetch(
                        RDKafkaErrorCode::GroupAuthorizationFailed
                    ))
                )
            });
            if denied {
                step.fail(
                    Problem::GroupNotAuthorized,
                    "GROUP_AUTHORIZATION_FAILED",
                    prefix_hint,
                );
                return;
            }
            // Still transient when the step's time ran out: neither a pass nor a refusal.
            if let Some(e) = list
                .elements()
                .iter()
                .filter_map(|e| e.error().err())
                .find(retry::is_transient)
            {
                coordinator_not_ready(step, t, &e);
                return;
            }
            let committed = list
                .elements()
                .iter()
                .filter(|e| e.offset().to_raw().is_some_and(|o| o >= 0))
                .count();
            step.pass(if committed == 0 {
                "this key may use the group (it has no committed offsets; none were written)".to_string()
            } else {
                format!("this key may use the group ({committed} partition(s) have committed offsets; none were written)")
            });
        }
        Err(e) => match e.rdkafka_error_code() {
            Some(RDKafkaErrorCode::GroupAuthorizationFailed) => step.fail(
                Problem::GroupNotAuthorized,
                "GROUP_AUTHORIZATION_FAILED",
                prefix_hint,
            ),
            Some(RDKafkaErrorCode::OperationTimedOut) => {
                client::take_errors(&consumer);
                if consumer
                    .context()
                    .find(RDKafkaErrorCode::GroupAuthorizationFailed)
                    .is_some()
                {
                    step.fail(
                        Problem::GroupNotAuthorized,
                        "GROUP_AUTHORIZATION_FAILED",
                        prefix_hint,
                    )
                } else {
                    step.fail(Problem::Timeout, format!("no answer from the group coordinator within {}", seconds(t)), "The group coordinator did not answer: check that this network reaches every broker of the cluster, or raise the step timeout.")
                }
            }
            _ if retry::is_transient(&e) => coordinator_not_ready(step, t, &e),
            _ => step.fail(Problem::Other, e.to_string(), prefix_hint),
        },
    }
}

/// The group step's failure when the coordinator still answered with a transient error
/// (`NOT_COORDINATOR`, `COORDINATOR_LOAD_IN_PROGRESS`, ...) at the end of the step's time.
fn coordinator_not_ready(step: &mut Step, t: std::time::Duration, e: &KafkaError) {
    step.fail(
        Problem::Timeout,
        format!("the group coordinator was not ready within {}: {e}", seconds(t)),
        "The cluster is still electing or loading the group coordinator: run the check again in a moment, or raise the step timeout.",
    );
}
