//! [`peek()`]: a few records of the shared topics, read without a consumer group.
//!
//! The partitions are assigned, not subscribed to: the consumer joins no group, and with
//! auto-commit and the offset store off it commits no offset. Reading stops at each partition's high watermark as it
//! was when the peek started, so a quiet topic ends the peek instead of keeping it waiting.

use super::client::{self, Recorder};
use super::schema_registry::Registry;
use super::{Target, retry, wire};
use chrono::{DateTime, Utc};
use rdkafka::consumer::{BaseConsumer, Consumer as _};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Headers as _, Message as _};
use rdkafka::types::RDKafkaRespErr;
use rdkafka::{Offset, TopicPartitionList};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The suffix of the (never joined) consumer group id a peek's consumer carries.
const PEEK_GROUP_SUFFIX: &str = ".cdx-peek";

/// Where each partition is read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StartOffset {
    /// The oldest record still kept.
    #[default]
    Earliest,
    /// The newest records: the last `limit` of each partition, of which the newest `limit`
    /// are kept.
    Latest,
    /// This offset in every partition (the oldest kept one if it is older).
    At(i64),
}

/// `earliest`, `latest` or an offset.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid offset {0:?}: expected earliest, latest or a number (0 or more)")]
pub struct InvalidStartOffset(String);

impl FromStr for StartOffset {
    type Err = InvalidStartOffset;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "earliest" => Ok(Self::Earliest),
            "latest" => Ok(Self::Latest),
            n => n
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .map(Self::At)
                .ok_or_else(|| InvalidStartOffset(s.to_string())),
        }
    }
}

/// Choices for a [`peek()`].
#[derive(Clone, Debug)]
pub struct PeekOptions {
    /// The topic to read; default: every shared topic.
    pub topic: Option<String>,
    /// The most records returned (default 10).
    pub limit: usize,
    /// Where to start.
    pub offset: StartOffset,
    /// A PEM file of CA certificates to trust besides the system's (private or test clusters).
    pub ca_file: Option<PathBuf>,
    /// How long to wait for the cluster (metadata, watermarks, and all the records).
    pub timeout: Duration,
}

impl Default for PeekOptions {
    fn default() -> Self {
        Self {
            topic: None,
            limit: 10,
            offset: StartOffset::Earliest,
            ca_file: None,
            timeout: super::DEFAULT_STEP_TIMEOUT,
        }
    }
}

/// A record, as read.
#[derive(Clone, Debug, Serialize)]
pub struct PeekedRecord {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
    /// The record's timestamp, when it has one.
    pub timestamp: Option<DateTime<Utc>>,
    /// The key.
    #[serde(serialize_with = "opt_bytes")]
    pub key: Option<Vec<u8>>,
    /// The headers, in order.
    #[serde(serialize_with = "headers")]
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    /// The value.
    #[serde(serialize_with = "opt_bytes")]
    pub value: Option<Vec<u8>>,
    /// For a value in the Confluent wire format: its schema.
    pub schema: Option<RecordSchema>,
}

/// The schema of a wire-format value.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RecordSchema {
    /// The schema id the value starts with.
    pub id: u32,
    /// The shared subject whose latest version has this id (with Schema Registry access).
    pub subject: Option<String>,
    /// `AVRO`, `PROTOBUF`, `JSON`, … (with Schema Registry access).
    pub schema_type: Option<String>,
    /// The payload as JSON: an Avro value decoded with its schema, or a JSON Schema value.
    pub decoded: Option<serde_json::Value>,
    /// Why the schema or the decoded value is missing, if it is.
    pub note: Option<String>,
}

/// Bytes in JSON: `{"utf8": "…"}` when they are UTF-8, else `{"base64": "…"}`.
fn bytes_json(bytes: &[u8]) -> serde_json::Value {
    use base64::Engine as _;
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::json!({ "utf8": text }),
        Err(_) => serde_json::json!({
            "base64": base64::engine::general_purpose::STANDARD.encode(bytes)
        }),
    }
}

fn opt_bytes<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    v.as_deref().map(bytes_json).serialize(s)
}

fn headers<S: Serializer>(v: &[(String, Option<Vec<u8>>)], s: S) -> Result<S::Ok, S::Error> {
    let list: Vec<serde_json::Value> = v
        .iter()
        .map(|(k, v)| serde_json::json!({ "key": k, "value": v.as_deref().map(bytes_json) }))
        .collect();
    list.serialize(s)
}

/// Why a peek read nothing.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PeekError {
    /// No topic was named and the share lists none.
    #[error("no topic to read: the share names none; pass --topic")]
    NoTopic,
    /// The key and secret were refused.
    #[error(
        "the broker refused the API key and secret ({0}); run `cdx consumer check` to find out why"
    )]
    Authentication(String),
    /// The key may not read the topic, or it does not exist.
    #[error(
        "cannot read topic {topic:?}: {reason}; the share may have been revoked (run `cdx consumer check`)"
    )]
    Topic {
        /// The topic.
        topic: String,
        /// The broker's reason.
        reason: String,
    },
    /// Another failure.
    #[error("{0}; run `cdx consumer check` to find out why")]
    Kafka(String),
}

/// What a peek read.
#[derive(Clone, Debug, Serialize)]
pub struct Peeked {
    /// The records, ordered by topic, partition and offset (for [`StartOffset::Latest`]: the
    /// newest, oldest first).
    pub records: Vec<PeekedRecord>,
    /// True when the time ran out before the end of every partition (or the limit) was
    /// reached.
    pub timed_out: bool,
}

/// Reads up to `options.limit` records of the shared topics (or `options.topic`).
pub async fn peek(target: &Target, options: &PeekOptions) -> Result<Peeked, PeekError> {
    let topics: Vec<String> = match &options.topic {
        Some(t) => vec![t.clone()],
        None if target.topics.is_empty() => return Err(PeekError::NoTopic),
        None => target.topics.clone(),
    };
    let (t, o) = (target.clone(), options.clone());
    let mut peeked = tokio::task::spawn_blocking(move || read(&t, &o, &topics))
        .await
        .map_err(|e| PeekError::Kafka(e.to_string()))??;
    describe_schemas(target, options, &mut peeked.records).await;
    Ok(peeked)
}

/// Whether `outcome` is a transient error worth asking again: never once librdkafka has
/// recorded an authentication failure.
fn transient<T>(consumer: &BaseConsumer<Recorder>, outcome: &Result<T, KafkaError>) -> bool {
    let Err(e) = outcome else {
        return false;
    };
    client::take_errors(consumer);
    retry::is_transient(e)
        && consumer
            .context()
            .find(RDKafkaErrorCode::Authentication)
            .is_none()
}

fn kafka_error(consumer: &BaseConsumer<Recorder>, e: &KafkaError) -> PeekError {
    client::take_errors(consumer);
    match consumer.context().find(RDKafkaErrorCode::Authentication) {
        Some(reason) => PeekError::Authentication(reason),
        None => PeekError::Kafka(e.to_string()),
    }
}

fn read(target: &Target, options: &PeekOptions, topics: &[String]) -> Result<Peeked, PeekError> {
    let deadline = Instant::now() + options.timeout;
    let left = || deadline.saturating_duration_since(Instant::now());
    // librdkafka assigns partitions only to a consumer with a group id. One with the share's
    // prefix is authorized; it is never joined (assign, not subscribe) and nothing is committed
    // (no auto-commit, no offset store), so the broker keeps no trace of it.
    let group = format!(
        "{}{PEEK_GROUP_SUFFIX}",
        target.group_prefix.as_deref().unwrap_or("cdx")
    );
    let consumer = client::consumer(
        target,
        options.ca_file.as_deref(),
        Some(&group),
        options.timeout,
    )
    .map_err(|e| PeekError::Kafka(e.to_string()))?;
    let limit = i64::try_from(options.limit).unwrap_or(i64::MAX);
    // Per partition: where reading starts, and the high watermark where it stops.
    let mut ranges: BTreeMap<(String, i32), (i64, i64)> = BTreeMap::new();
    for topic in topics {
        // A cluster electing a leader answers with a transient error: asked again in time.
        let metadata = retry::until_settled(
            deadline,
            |left| consumer.fetch_metadata(Some(topic), left),
            |r| transient(&consumer, r),
        )
        .map_err(|e| kafka_error(&consumer, &e))?;
        let found = metadata
            .topics()
            .iter()
            .find(|m| m.name() == topic)
            .ok_or_else(|| PeekError::Topic {
                topic: topic.clone(),
                reason: "it is not in the cluster's metadata".into(),
            })?;
        if let Some(err) = found.error() {
            let reason = match err {
                RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED => {
                    "this key may not read it (TOPIC_AUTHORIZATION_FAILED)".to_string()
                }
                RDKafkaRespErr::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART => {
                    "it does not exist (UNKNOWN_TOPIC_OR_PARTITION)".to_string()
                }
                other => format!("{other:?}"),
            };
            return Err(PeekError::Topic {
                topic: topic.clone(),
                reason,
            });
        }
        for p in found.partitions() {
            let (low, high) = retry::until_settled(
                deadline,
                |left| consumer.fetch_watermarks(topic, p.id(), left),
                |r| transient(&consumer, r),
            )
            .map_err(|e| kafka_error(&consumer, &e))?;
            let start = match options.offset {
                StartOffset::Earliest => low,
                StartOffset::Latest => (high - limit).max(low),
                StartOffset::At(n) => n.max(low),
            };
            if start < high {
                ranges.insert((topic.clone(), p.id()), (start, high));
            }
        }
    }
    let mut records = Vec::new();
    if ranges.is_empty() || options.limit == 0 {
        return Ok(Peeked {
            records,
            timed_out: false,
        });
    }
    let mut assignment = TopicPartitionList::new();
    for ((topic, partition), (start, _)) in &ranges {
        assignment
            .add_partition_offset(topic, *partition, Offset::Offset(*start))
            .map_err(|e| PeekError::Kafka(e.to_string()))?;
    }
    consumer
        .assign(&assignment)
        .map_err(|e| PeekError::Kafka(e.to_string()))?;
    // Latest keeps reading every partition to its end, then keeps the newest.
    let enough = |n: usize| options.offset != StartOffset::Latest && n >= options.limit;
    let mut open: HashMap<(String, i32), i64> = ranges
        .iter()
        .map(|(k, (_, high))| (k.clone(), *high))
        .collect();
    let mut timed_out = false;
    while !open.is_empty() && !enough(records.len()) {
        let wait = left();
        if wait.is_zero() {
            timed_out = true;
            break;
        }
        let Some(polled) = consumer.poll(wait.min(Duration::from_millis(500))) else {
            continue;
        };
        let message = match polled {
            Ok(m) => m,
            Err(KafkaError::PartitionEOF(_)) => continue,
            // The group is only a name here: a coordinator that refuses it does not stop a
            // fetch of assigned partitions.
            Err(e)
                if e.rdkafka_error_code() == Some(RDKafkaErrorCode::GroupAuthorizationFailed) =>
            {
                continue;
            }
            Err(e) => return Err(kafka_error(&consumer, &e)),
        };
        let key = (message.topic().to_string(), message.partition());
        let Some(&high) = open.get(&key) else {
            continue;
        };
        if message.offset() >= high {
            open.remove(&key);
            continue;
        }
        if message.offset() + 1 >= high {
            open.remove(&key);
        }
        records.push(PeekedRecord {
            topic: key.0,
            partition: key.1,
            offset: message.offset(),
            timestamp: message
                .timestamp()
                .to_millis()
                .and_then(DateTime::from_timestamp_millis),
            key: message.key().map(<[u8]>::to_vec),
            headers: message
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|h| (h.key.to_string(), h.value.map(<[u8]>::to_vec)))
                        .collect()
                })
                .unwrap_or_default(),
            value: message.payload().map(<[u8]>::to_vec),
            schema: None,
        });
    }
    if options.offset == StartOffset::Latest {
        records.sort_by_key(|r| (r.timestamp, r.topic.clone(), r.partition, r.offset));
        let extra = records.len().saturating_sub(options.limit);
        records.drain(..extra);
    } else {
        records.sort_by(|a, b| {
            (&a.topic, a.partition, a.offset).cmp(&(&b.topic, b.partition, b.offset))
        });
        records.truncate(options.limit);
    }
    Ok(Peeked { records, timed_out })
}

/// Fills in each wire-format value's schema: the id always; with Schema Registry access, the
/// type, the shared subject it belongs to, and the payload decoded (Avro, JSON Schema).
async fn describe_schemas(target: &Target, options: &PeekOptions, records: &mut [PeekedRecord]) {
    let registry = target
        .schema_registry
        .as_ref()
        .map(|sr| Registry::new(sr, options.ca_file.as_deref(), options.timeout));
    // The shared subjects' latest schema ids, to name a value's subject.
    let mut subject_ids: Vec<(u32, String)> = Vec::new();
    if let Some(Ok(registry)) = &registry {
        for subject in &target.subjects {
            if let Ok(latest) = registry.latest(subject).await
                && let Some(id) = latest.id
            {
                subject_ids.push((id, subject.clone()));
            }
        }
    }
    let mut schemas: HashMap<u32, Result<super::schema_registry::Schema, String>> = HashMap::new();
    for record in records.iter_mut() {
        let Some((id, payload)) = record.value.as_deref().and_then(wire::split) else {
            continue;
        };
        let mut schema = RecordSchema {
            id,
            subject: subject_ids
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, s)| s.clone()),
            ..Default::default()
        };
        let fetched = match &registry {
            None => Err("no Schema Registry access came with this share".to_string()),
            Some(Err(e)) => Err(e.clone()),
            Some(Ok(registry)) => match schemas.get(&id) {
                Some(known) => known.clone(),
                None => {
                    let got = registry
                        .schema(id)
                        .await
                        .map_err(|e| format!("Schema Registry: {e}"));
                    schemas.insert(id, got.clone());
                    got
                }
            },
        };
        match fetched {
            Ok(found) => {
                schema.schema_type = Some(found.schema_type.clone());
                match found.schema_type.as_str() {
                    "AVRO" => match wire::decode_avro(&found.schema, payload) {
                        Ok(v) => schema.decoded = Some(v),
                        Err(e) => schema.note = Some(e),
                    },
                    "JSON" => match serde_json::from_slice(payload) {
                        Ok(v) => schema.decoded = Some(v),
                        Err(_) => schema.note = Some("the payload is not JSON".into()),
                    },
                    other => {
                        schema.note = Some(format!("{other} values are shown as bytes"));
                    }
                }
            }
            Err(e) => schema.note = Some(e),
        }
        record.schema = Some(schema);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse() {
        assert_eq!("earliest".parse(), Ok(StartOffset::Earliest));
        assert_eq!("latest".parse(), Ok(StartOffset::Latest));
        assert_eq!("42".parse(), Ok(StartOffset::At(42)));
        for bad in ["-1", "first", ""] {
            assert!(bad.parse::<StartOffset>().is_err(), "{bad}");
        }
    }

    #[test]
    fn bytes_are_utf8_or_base64_in_json() {
        assert_eq!(bytes_json(b"hi"), serde_json::json!({"utf8": "hi"}));
        assert_eq!(
            bytes_json(&[0xff, 0]),
            serde_json::json!({"base64": "/wA="})
        );
    }
}
