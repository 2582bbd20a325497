//! Real Kafka consumers configured from cdx's files, against a [`super::Broker`]: a Java
//! `KafkaConsumer` (`java` files as Kafka reads `.properties`; `spring-boot` files bound by
//! Spring Boot's own `Binder` to `KafkaProperties`), and a confluent-kafka Python `Consumer`
//! (`librdkafka` files as Confluent's examples read them; `python` INI files as their comments
//! say, with the `SchemaRegistryClient` of the `[schema_registry]` section). The only setting
//! added is test-only: the broker's throwaway CA.
//!
//! Jobs of one language run in one process (`tests/kafka/clients/src/ConsumeCheck.java`,
//! `tests/python/consume_check.py`), in order.

use super::Broker;
use super::jvm::{self, Side, unhex};
use cdx_test_tools::{python, workspace_root};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Which reader a configuration file gets (cdx's format of the same name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// Java `KafkaConsumer` from a `.properties` file.
    Java,
    /// Java `KafkaConsumer` from Spring Boot's `KafkaProperties` bound to the file.
    SpringBoot,
    /// confluent-kafka `Consumer` from a librdkafka `key=value` file.
    Librdkafka,
    /// confluent-kafka `Consumer` and `SchemaRegistryClient` from the INI file.
    Python,
}

impl Reader {
    fn name(self) -> &'static str {
        match self {
            Reader::Java => "java",
            Reader::SpringBoot => "spring-boot",
            Reader::Librdkafka => "librdkafka",
            Reader::Python => "python",
        }
    }

    fn is_java(self) -> bool {
        matches!(self, Reader::Java | Reader::SpringBoot)
    }
}

/// One consumer run: subscribe to `topic` with the file's settings (and `group` instead of its
/// `group.id`, if given), poll until `wanted` records or `timeout`, commit.
#[derive(Clone, Debug)]
pub struct Job {
    pub reader: Reader,
    pub config: PathBuf,
    pub topic: String,
    pub wanted: usize,
    pub timeout: Duration,
    pub group: Option<String>,
}

impl Job {
    /// Reads `wanted` records of `topic` with the file's own `group.id`, within a minute.
    pub fn new(reader: Reader, config: impl Into<PathBuf>, topic: &str, wanted: usize) -> Job {
        Job {
            reader,
            config: config.into(),
            topic: topic.to_string(),
            wanted,
            timeout: Duration::from_secs(60),
            group: None,
        }
    }

    /// The same job with `group.id` replaced.
    pub fn with_group(mut self, group: &str) -> Job {
        self.group = Some(group.to_string());
        self
    }

    /// The same job with another timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Job {
        self.timeout = timeout;
        self
    }
}

/// One record consumed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub partition: u32,
    pub offset: u64,
    pub key: Option<Vec<u8>>,
    pub value: Vec<u8>,
}

/// What a job read.
#[derive(Clone, Debug)]
pub struct Consumed {
    /// The `group.id` the consumer used.
    pub group: String,
    /// When the first record arrived (milliseconds since the Unix epoch).
    pub first_at_ms: u64,
    pub records: Vec<Record>,
    /// `python` only, with a `[schema_registry]` section: the subjects the
    /// `SchemaRegistryClient` lists, and the schema of each id found in a wire-format value.
    pub subjects: Option<Vec<String>>,
    pub schemas: BTreeMap<u32, String>,
}

/// Why a job failed: the client's error (`GroupAuthorizationException`,
/// `GROUP_AUTHORIZATION_FAILED`, `Timeout`, …) and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub error: String,
    pub message: String,
    /// Records read before the failure.
    pub records: usize,
}

fn text(v: &Value) -> String {
    v.as_str()
        .and_then(unhex)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

fn parse(line: &str) -> Result<Consumed, Refused> {
    let v: Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("a consumer check printed {line:?}: {e}"));
    if v["ok"] != Value::Bool(true) {
        return Err(Refused {
            error: v["error"].as_str().unwrap_or_default().to_string(),
            message: text(&v["message"]),
            records: v["records"].as_u64().unwrap_or(0) as usize,
        });
    }
    let records = v["records"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| Record {
            partition: r["p"].as_u64().unwrap_or(0) as u32,
            offset: r["o"].as_u64().unwrap_or(0),
            key: r["k"].as_str().and_then(unhex),
            value: r["v"].as_str().and_then(unhex).unwrap_or_default(),
        })
        .collect();
    Ok(Consumed {
        group: text(&v["group"]),
        first_at_ms: v["first_at"].as_u64().unwrap_or(0),
        records,
        subjects: v["subjects"]
            .as_array()
            .map(|s| s.iter().map(text).collect()),
        schemas: v["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(id, s)| Some((id.parse().ok()?, text(s))))
            .collect(),
    })
}

/// Runs `jobs` against `broker` (Java jobs in one JVM, Python jobs in one interpreter) and
/// returns their results in order.
pub fn consume(broker: &Broker, jobs: &[Job]) -> Vec<Result<Consumed, Refused>> {
    let mut results: Vec<Option<Result<Consumed, Refused>>> = vec![None; jobs.len()];
    for java in [true, false] {
        let picked: Vec<usize> = (0..jobs.len())
            .filter(|&i| jobs[i].reader.is_java() == java)
            .collect();
        if picked.is_empty() {
            continue;
        }
        let input: String = picked
            .iter()
            .map(|&i| {
                let j = &jobs[i];
                let mut fields = vec![
                    j.reader.name().to_string(),
                    j.config.display().to_string(),
                    broker.ca_pem().display().to_string(),
                    j.topic.clone(),
                    j.wanted.to_string(),
                    j.timeout.as_millis().to_string(),
                ];
                fields.extend(j.group.clone());
                fields.join("\t") + "\n"
            })
            .collect();
        let mut cmd = if java {
            let mut cmd = jvm::java(Side::Clients);
            cmd.arg("ConsumeCheck");
            cmd
        } else {
            let mut cmd = Command::new(python());
            cmd.arg(workspace_root().join("tests/python/consume_check.py"));
            cmd
        };
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting a consumer check");
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin.write_all(input.as_bytes()).expect("writing the jobs");
        drop(stdin);
        // Bounded by the jobs' own timeouts; the tools exit when their input ends.
        let out = child.wait_with_output().expect("consumer check output");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with('{')).collect();
        assert!(
            out.status.success() && lines.len() == picked.len(),
            "the {} consumer check failed ({}): {}\n{}",
            if java { "Java" } else { "Python" },
            out.status,
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
        for (&i, line) in picked.iter().zip(lines) {
            results[i] = Some(parse(line));
        }
    }
    results
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}
