//! The one oracle of rendered config files: what each format must read back as, stated from the
//! credentials the API answered (never from the renderer), and the checks of what the real
//! readers ([`crate::parsers`]) and a JSON parser got from a file.

use crate::parsers::{ConfluentKafkaRead, JaasEntry, JavaRead, SchemaRegistryRead};
use cdx_ext::config::Format;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Kafka's PLAIN login module, which every JAAS config names.
pub const PLAIN: &str = "org.apache.kafka.common.security.plain.PlainLoginModule";

/// The values a redemption's files must carry.
#[derive(Clone, Debug)]
pub struct ExpectedConfig {
    /// The bootstrap server as `host:port` (no `SASL_SSL://` or `SASL://`).
    pub bootstrap: String,
    /// The Kafka API key.
    pub key: String,
    /// The Kafka API secret.
    pub secret: String,
    /// The Schema Registry's URL, key and secret; `None` when the share has no usable access.
    pub schema_registry: Option<(String, String, String)>,
    /// The consumer group's prefix, from the share's resources.
    pub group_prefix: String,
    /// The `group.id` the files set (`None`: no suffix was asked for, so they set none).
    pub group_id: Option<String>,
    /// The share's id.
    pub share_id: String,
    /// The shared topics.
    pub topics: Vec<String>,
    /// The shared Schema Registry subjects.
    pub subjects: Vec<String>,
}

fn owned(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A key of the `java` format under the `spring-boot` format's names.
fn spring_key(key: &str) -> String {
    match key {
        "bootstrap.servers" => "spring.kafka.bootstrap-servers".into(),
        "group.id" => "spring.kafka.consumer.group-id".into(),
        other => format!("spring.kafka.properties.{other}"),
    }
}

/// The `group.id` for `prefix` and the suffix asked for: joined by a `.` unless the suffix
/// starts with a separator of its own (`.`, `-`, `_`); `None` without a suffix.
pub fn group_id(prefix: &str, suffix: Option<&str>) -> Option<String> {
    suffix.map(|s| {
        let separator = if s.starts_with(['.', '-', '_']) {
            ""
        } else {
            "."
        };
        format!("{prefix}{separator}{s}")
    })
}

impl ExpectedConfig {
    /// What the files of a redemption must carry, from its response as the API sent it (JSON)
    /// and the consumer group suffix they were rendered with.
    pub fn from_response(v: &Value, group_suffix: Option<&str>) -> Self {
        let s = |k: &str| {
            v[k].as_str()
                .unwrap_or_else(|| panic!("no {k} in {v}"))
                .to_string()
        };
        let url = s("kafka_bootstrap_url");
        let bootstrap = ["SASL_SSL://", "SASL://"]
            .iter()
            .find_map(|scheme| url.strip_prefix(scheme))
            .unwrap_or(&url)
            .to_string();
        assert!(!bootstrap.contains('/'), "{bootstrap}: host:port");
        let resources = |field: &str| -> Vec<String> {
            v["resources"]
                .as_array()
                .unwrap_or_else(|| panic!("no resources in {v}"))
                .iter()
                .filter_map(|r| r[field].as_str().map(String::from))
                .collect()
        };
        let group_prefix = resources("group_prefix").pop().expect("a group prefix");
        let schema_registry = v["schema_registry_api_key"]
            .as_str()
            .filter(|k| !k.is_empty())
            .map(|_| {
                (
                    s("schema_registry_url"),
                    s("schema_registry_api_key"),
                    s("schema_registry_secret"),
                )
            });
        ExpectedConfig {
            bootstrap,
            key: s("api_key"),
            secret: s("secret"),
            schema_registry,
            group_id: group_id(&group_prefix, group_suffix),
            group_prefix,
            share_id: s("id"),
            topics: resources("topic"),
            subjects: resources("subject"),
        }
    }

    /// The `basic.auth.user.info` of Schema Registry, `key:secret`.
    fn sr_user_info(&self) -> Option<(&str, String)> {
        self.schema_registry
            .as_ref()
            .map(|(url, k, s)| (url.as_str(), format!("{k}:{s}")))
    }

    /// The Java client settings of a `java` file, or of a `spring-boot` file under Spring's
    /// keys, besides `sasl.jaas.config`.
    pub fn java(&self, format: Format) -> BTreeMap<String, String> {
        let mut m = owned(&[
            ("bootstrap.servers", &self.bootstrap),
            ("security.protocol", "SASL_SSL"),
            ("sasl.mechanism", "PLAIN"),
            ("client.dns.lookup", "use_all_dns_ips"),
            ("session.timeout.ms", "45000"),
            ("acks", "all"),
        ]);
        if let Some(g) = &self.group_id {
            m.insert("group.id".into(), g.clone());
        }
        if let Some((url, info)) = self.sr_user_info() {
            m.insert("schema.registry.url".into(), url.into());
            m.insert("basic.auth.credentials.source".into(), "USER_INFO".into());
            m.insert("basic.auth.user.info".into(), info);
        }
        match format {
            Format::SpringBoot => m.into_iter().map(|(k, v)| (spring_key(&k), v)).collect(),
            _ => m,
        }
    }

    /// The librdkafka settings of a `librdkafka` file (and of the `json` format's `kafka`).
    pub fn librdkafka(&self) -> BTreeMap<String, String> {
        let mut m = owned(&[
            ("bootstrap.servers", &self.bootstrap),
            ("security.protocol", "SASL_SSL"),
            ("sasl.mechanisms", "PLAIN"),
            ("sasl.username", &self.key),
            ("sasl.password", &self.secret),
            ("session.timeout.ms", "45000"),
        ]);
        if let Some(g) = &self.group_id {
            m.insert("group.id".into(), g.clone());
        }
        m
    }

    /// Checks what Java read from a `java` or `spring-boot` file; `file` names it in failures.
    pub fn assert_java_read(&self, format: Format, read: &JavaRead, file: &str) {
        let jaas_key = match format {
            Format::SpringBoot => spring_key("sasl.jaas.config"),
            _ => "sasl.jaas.config".into(),
        };
        let mut props = read.props.clone();
        assert!(props.remove(&jaas_key).is_some(), "{jaas_key} in {file}");
        assert_eq!(props, self.java(format), "{format} settings of {file}");
        let jaas = JaasEntry {
            module: PLAIN.into(),
            flag: "REQUIRED".into(),
            options: owned(&[("password", &self.secret), ("username", &self.key)]),
        };
        assert_eq!(read.jaas, Some(vec![jaas]), "{format} JAAS of {file}");
    }

    /// Checks what confluent-kafka read from a `librdkafka` or `python` file.
    pub fn assert_confluent_kafka_read(
        &self,
        format: Format,
        read: &ConfluentKafkaRead,
        file: &str,
    ) {
        assert_eq!(read.brokers, 1, "metadata from the mock cluster ({file})");
        let mut kafka = self.librdkafka();
        if format == Format::Python && self.group_id.is_none() {
            // The comments' example sets a group.id of its own.
            kafka.insert("group.id".into(), format!("{}.my-app", self.group_prefix));
        }
        assert_eq!(read.kafka, kafka, "{format} settings of {file}");
        let sr = self
            .schema_registry
            .as_ref()
            .filter(|_| format == Format::Python)
            .map(|(url, k, s)| SchemaRegistryRead {
                conf: owned(&[("url", url), ("basic.auth.user.info", &format!("{k}:{s}"))]),
                urls: vec![url.clone()],
                auth: Some((k.clone(), s.clone())),
            });
        assert_eq!(read.schema_registry, sr, "Schema Registry of {file}");
    }

    /// Checks a `json` file's text with a JSON parser.
    pub fn assert_json(&self, text: &str, file: &str) {
        let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let kafka: BTreeMap<String, String> = serde_json::from_value(doc["kafka"].clone())
            .unwrap_or_else(|e| panic!("{file}: kafka of strings: {e}"));
        assert_eq!(kafka, self.librdkafka(), "{file}");
        let sr = self
            .sr_user_info()
            .map(|(url, info)| json!({"url": url, "basic.auth.user.info": info}));
        assert_eq!(doc["schema_registry"], sr.unwrap_or(Value::Null), "{file}");
        assert_eq!(doc["share_id"], self.share_id.as_str(), "{file}");
        assert_eq!(doc["topics"], json!(self.topics), "{file}");
        assert_eq!(doc["subjects"], json!(self.subjects), "{file}");
        assert_eq!(doc["group_prefix"], self.group_prefix.as_str(), "{file}");
    }
}
