//! Reading a client configuration file back: any format cdx writes (java, librdkafka, python,
//! spring-boot, json), into the settings a [`Target`] needs.
//!
//! Each format is read the way its real reader does: Java `.properties` with its escapes and
//! line continuations (then the JAAS option quoting of `sasl.jaas.config`), raw `key=value`
//! lines for librdkafka, `configparser` sections for python, JSON for json. The comments cdx
//! writes at the top (`# Topic: …`, `# Subject: …`, the consumer group prefix) name what was
//! shared. Errors name the setting, never its value.

use super::{SchemaRegistryTarget, Target};
use crate::config::Format;
use crate::{BootstrapServer, Secret};
use std::collections::BTreeMap;

/// A configuration file that cannot be used for a connection; the message names the setting
/// and the problem, never a value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(String);

impl ReadError {
    fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// The format of `text`, told from its shape: JSON starts with `{`, python has `[sections]`
/// (cdx writes `[kafka]`), spring-boot has `spring.` keys, java has `sasl.jaas.config`; anything else is
/// read as librdkafka lines.
pub fn detect_format(text: &str) -> Format {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return Format::Json;
    }
    let keys: Vec<&str> = text
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with(['#', '!', ';']))
        .collect();
    if keys.iter().any(|l| {
        let l = l.trim_end();
        l.starts_with('[') && l.ends_with(']')
    }) {
        Format::Python
    } else if keys.iter().any(|l| l.starts_with("spring.")) {
        Format::SpringBoot
    } else if keys.iter().any(|l| l.starts_with("sasl.jaas.config")) {
        Format::Java
    } else {
        Format::Librdkafka
    }
}

/// What the comments cdx writes say about the share.
#[derive(Default)]
struct Notes {
    share_id: Option<String>,
    topics: Vec<String>,
    subjects: Vec<String>,
    group_prefix: Option<String>,
}

impl Notes {
    fn read(text: &str) -> Self {
        let mut notes = Notes::default();
        for line in text.lines() {
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                continue;
            };
            let comment = comment.trim();
            if let Some(v) = comment.strip_prefix("Topic: ") {
                notes.topics.push(v.to_string());
            } else if let Some(v) = comment.strip_prefix("Subject: ") {
                notes.subjects.push(v.to_string());
            } else if let Some(v) = comment.strip_prefix("Share: ") {
                notes.share_id = Some(v.to_string());
            } else if let Some(v) = comment.strip_prefix("Consumer group ID requires a prefix of ")
            {
                notes.group_prefix = Some(v.to_string());
            }
        }
        notes
    }
}

/// Reads a configuration file in `format` (or the one [`detect_format`] finds).
pub fn read_config(text: &str, format: Option<Format>) -> Result<Target, ReadError> {
    let text = text.trim_start_matches('\u{feff}');
    let format = format.unwrap_or_else(|| detect_format(text));
    if format == Format::Json {
        return read_json(text);
    }
    let notes = Notes::read(text);
    let settings = match format {
        Format::Java => properties(text),
        Format::SpringBoot => spring(properties(text)),
        Format::Python => ini(text)?,
        _ => raw_lines(text),
    };
    target(&settings, notes)
}

fn read_json(text: &str) -> Result<Target, ReadError> {
    #[derive(serde::Deserialize)]
    struct Document {
        share_id: Option<String>,
        kafka: BTreeMap<String, String>,
        schema_registry: Option<BTreeMap<String, String>>,
        #[serde(default)]
        topics: Vec<String>,
        #[serde(default)]
        subjects: Vec<String>,
        group_prefix: Option<String>,
    }
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        ReadError::new(format!(
            "it is not a cdx json config (line {}, column {}: {})",
            e.line(),
            e.column(),
            match e.classify() {
                serde_json::error::Category::Data => "a field is missing or of the wrong type",
                _ => "not valid JSON",
            }
        ))
    })?;
    let mut settings = doc.kafka;
    if let Some(sr) = doc.schema_registry {
        for (key, value) in sr {
            let key = if key == "url" {
                "schema.registry.url".to_string()
            } else {
                key
            };
            settings.insert(key, value);
        }
    }
    target(
        &settings,
        Notes {
            share_id: doc.share_id,
            topics: doc.topics,
            subjects: doc.subjects,
            group_prefix: doc.group_prefix,
        },
    )
}

/// librdkafka's `key=value` lines: split at the first `=`, trimmed, `#` comments.
fn raw_lines(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Python's `configparser` (interpolation off): `[section]`s of `key = value` or `key: value`,
/// `#` and `;` comments. `[kafka]` as it is; `[schema_registry]`'s `url` is the registry's URL.
fn ini(text: &str) -> Result<BTreeMap<String, String>, ReadError> {
    let mut section = None;
    let mut settings = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.to_string());
            continue;
        }
        let Some(at) = line.find(['=', ':']) else {
            continue;
        };
        let (key, value) = (line[..at].trim(), line[at + 1..].trim().to_string());
        match (section.as_deref(), key) {
            (Some("kafka"), _) => settings.insert(key.to_string(), value),
            (Some("schema_registry"), "url") => {
                settings.insert("schema.registry.url".to_string(), value)
            }
            (Some("schema_registry"), _) => settings.insert(key.to_string(), value),
            _ => None,
        };
    }
    if !text.lines().any(|l| l.trim() == "[kafka]") {
        return Err(ReadError::new("it has no [kafka] section"));
    }
    Ok(settings)
}

/// Spring Boot's keys to the Kafka client's: `spring.kafka.properties.<key>` is `<key>`, and
/// `spring.kafka.bootstrap-servers` and `spring.kafka.consumer.group-id` win over theirs.
fn spring(settings: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut preferred = Vec::new();
    for (key, value) in settings {
        match key.as_str() {
            "spring.kafka.bootstrap-servers" => preferred.push(("bootstrap.servers", value)),
            "spring.kafka.consumer.group-id" => preferred.push(("group.id", value)),
            _ => {
                if let Some(k) = key.strip_prefix("spring.kafka.properties.") {
                    out.insert(k.to_string(), value);
                }
            }
        }
    }
    for (key, value) in preferred {
        out.insert(key.to_string(), value);
    }
    out
}

/// Java `Properties.load`: logical lines (an odd number of trailing `\` continues a line, the
/// next line's leading blanks dropped), `#`/`!` comments, the key up to the first unescaped
/// `=`, `:` or blank, and escapes (`\t \n \r \f`, `\uXXXX`, `\c` for any other `c`).
fn properties(text: &str) -> BTreeMap<String, String> {
    let mut settings = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(first) = lines.next() {
        let first = first.trim_start_matches([' ', '\t', '\u{c}']);
        if first.is_empty() || first.starts_with(['#', '!']) {
            continue;
        }
        let mut logical = String::new();
        let mut line = first;
        loop {
            let trailing = line.len() - line.trim_end_matches('\\').len();
            if !trailing.is_multiple_of(2) {
                logical.push_str(&line[..line.len() - 1]);
                match lines.next() {
                    Some(next) => line = next.trim_start_matches([' ', '\t', '\u{c}']),
                    None => break,
                }
            } else {
                logical.push_str(line);
                break;
            }
        }
        let (key, value) = split_property(&logical);
        settings.insert(unescape(key), unescape(value));
    }
    settings
}

/// Splits a logical line into its raw key and raw value.
fn split_property(line: &str) -> (&str, &str) {
    let mut escaped = false;
    let mut end = line.len();
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if matches!(c, '=' | ':' | ' ' | '\t' | '\u{c}') {
            end = i;
            break;
        }
    }
    let key = &line[..end];
    let mut rest = line[end..].trim_start_matches([' ', '\t', '\u{c}']);
    if let Some(r) = rest.strip_prefix(['=', ':']) {
        rest = r.trim_start_matches([' ', '\t', '\u{c}']);
    }
    (key, rest)
}

fn unescape(raw: &str) -> String {
    let mut units: Vec<u16> = Vec::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        let Some(next) = chars.next() else { break };
        let simple = match next {
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            'f' => '\u{c}',
            'u' => {
                let hex: String = chars.clone().take(4).collect();
                if let Ok(unit) = u16::from_str_radix(&hex, 16)
                    && hex.len() == 4
                {
                    units.push(unit);
                    for _ in 0..4 {
                        chars.next();
                    }
                    continue;
                }
                'u'
            }
            other => other,
        };
        let mut buf = [0u16; 2];
        units.extend_from_slice(simple.encode_utf16(&mut buf));
    }
    String::from_utf16_lossy(&units)
}

/// The `username` and `password` options of a `sasl.jaas.config` value, as Kafka's JAAS
/// tokenizer reads them: quoted (`"…"` or `'…'`, with `\` escapes) or bare words.
fn jaas_credentials(value: &str) -> Result<(String, String), ReadError> {
    let mut options = BTreeMap::new();
    let mut chars = value.chars().peekable();
    let mut words: Vec<String> = Vec::new();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() || c == ';' => {
                chars.next();
            }
            '=' => {
                chars.next();
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                let v = match chars.peek() {
                    Some(&q @ ('"' | '\'')) => {
                        chars.next();
                        let mut s = String::new();
                        while let Some(c) = chars.next() {
                            match c {
                                c if c == q => break,
                                '\\' => match chars.next() {
                                    Some('n') => s.push('\n'),
                                    Some('r') => s.push('\r'),
                                    Some('t') => s.push('\t'),
                                    Some(other) => s.push(other),
                                    None => {}
                                },
                                c => s.push(c),
                            }
                        }
                        s
                    }
                    _ => {
                        let mut s = String::new();
                        while let Some(&c) = chars.peek() {
                            if c.is_whitespace() || c == ';' {
                                break;
                            }
                            s.push(c);
                            chars.next();
                        }
                        s
                    }
                };
                if let Some(key) = words.pop() {
                    options.insert(key, v);
                }
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == ';' || c == '=' {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                words.push(w);
            }
        }
    }
    match (options.remove("username"), options.remove("password")) {
        (Some(u), Some(p)) => Ok((u, p)),
        _ => Err(ReadError::new(
            "sasl.jaas.config lacks a username or a password option",
        )),
    }
}

/// The settings (with the Kafka client's key names) and notes, checked, as a [`Target`].
fn target(settings: &BTreeMap<String, String>, notes: Notes) -> Result<Target, ReadError> {
    let get = |key: &str| {
        settings
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let servers = get("bootstrap.servers")
        .or_else(|| get("metadata.broker.list"))
        .ok_or_else(|| ReadError::new("it has no bootstrap.servers setting"))?;
    // A list is fine for a client; the check follows the first server, as a client starts with.
    let first = servers.split(',').next().unwrap_or_default();
    let bootstrap = BootstrapServer::parse(first)
        .map_err(|e| ReadError::new(format!("bootstrap.servers: {}", e.reason)))?;
    match get("security.protocol") {
        Some(p) if p.eq_ignore_ascii_case("SASL_SSL") => {}
        Some(_) => {
            return Err(ReadError::new(
                "security.protocol is not SASL_SSL, which Confluent Cloud requires",
            ));
        }
        None => {
            return Err(ReadError::new(
                "it has no security.protocol setting (Confluent Cloud requires SASL_SSL)",
            ));
        }
    }
    match get("sasl.mechanisms").or_else(|| get("sasl.mechanism")) {
        Some(m) if m.eq_ignore_ascii_case("PLAIN") => {}
        _ => {
            return Err(ReadError::new(
                "its SASL mechanism (sasl.mechanism or sasl.mechanisms) is not PLAIN, which a share's API key needs",
            ));
        }
    }
    let (username, password) = match (get("sasl.username"), settings.get("sasl.password")) {
        (Some(u), Some(p)) => (u.to_string(), p.clone()),
        _ => match get("sasl.jaas.config") {
            Some(jaas) => jaas_credentials(jaas)?,
            None => {
                return Err(ReadError::new(
                    "it has no credentials (sasl.username and sasl.password, or sasl.jaas.config)",
                ));
            }
        },
    };
    let schema_registry = match (get("schema.registry.url"), get("basic.auth.user.info")) {
        (Some(url), Some(info)) => {
            let (key, secret) = info
                .split_once(':')
                .ok_or_else(|| ReadError::new("basic.auth.user.info is not KEY:SECRET"))?;
            Some(SchemaRegistryTarget {
                url: url.trim_end_matches('/').to_string(),
                api_key: key.to_string(),
                api_secret: Secret::new(secret),
            })
        }
        _ => None,
    };
    Ok(Target {
        share_id: notes.share_id,
        bootstrap,
        username,
        password: Secret::new(password),
        group_id: get("group.id").map(str::to_string),
        group_prefix: notes.group_prefix,
        topics: notes.topics,
        subjects: notes.subjects,
        schema_registry,
        private_dns: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Redemption;
    use crate::config::{RenderOptions, render};
    use serde_json::json;

    /// The shared answer with these secrets and a second topic.
    fn redemption(secret: &str, sr_secret: &str) -> Redemption {
        let mut v = crate::fixtures::redeem_answer();
        v["secret"] = json!(secret);
        v["schema_registry_secret"] = json!(sr_secret);
        v["kafka_bootstrap_url"] = json!("SASL_SSL://pkc-abc.us-west-2.aws.confluent.cloud:9092");
        let resources = v["resources"].as_array_mut().unwrap();
        resources.insert(1, json!({"kind": "Topic", "topic": "payments"}));
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn every_format_cdx_writes_reads_back() {
        // What each format can carry: librdkafka and python refuse control characters and
        // surrounding blanks, so they get a secret without them.
        let hard = "p' \"q\" \\ / = : # ! é\u{1F600}\\u0041;";
        for format in Format::ALL {
            let secret = match format {
                Format::Java | Format::SpringBoot | Format::Json => format!(" {hard}\n\t"),
                _ => hard.to_string(),
            };
            let r = redemption(&secret, "sr:s3cret\\");
            let options = RenderOptions {
                group_suffix: Some(".app".into()),
                ..Default::default()
            };
            let text = render(&r, format, &options).unwrap();
            assert_eq!(detect_format(&text), format, "{text}");
            let t = read_config(&text, None).unwrap_or_else(|e| panic!("{format}: {e}"));
            assert_eq!(
                t.bootstrap.to_string(),
                "pkc-abc.us-west-2.aws.confluent.cloud:9092"
            );
            assert_eq!(t.username, "KAFKAKEY", "{format}");
            assert_eq!(t.password.expose_secret(), secret, "{format}");
            assert_eq!(t.group_id.as_deref(), Some("stream-share.ss-12345.app"));
            assert_eq!(t.group_prefix.as_deref(), Some("stream-share.ss-12345"));
            assert_eq!(t.topics, ["orders", "payments"], "{format}");
            assert_eq!(t.subjects, ["orders-value"], "{format}");
            assert_eq!(t.share_id.as_deref(), Some("ss-12345"), "{format}");
            match (format, &t.schema_registry) {
                (Format::Librdkafka, None) => {}
                (_, Some(sr)) => {
                    assert_eq!(sr.url, "https://psrc-xyz.us-west-2.aws.confluent.cloud");
                    assert_eq!(sr.api_key, "SRKEY");
                    assert_eq!(sr.api_secret.expose_secret(), "sr:s3cret\\");
                }
                (f, None) => panic!("{f}: no Schema Registry settings read"),
            }
        }
    }

    #[test]
    fn what_is_missing_or_wrong_is_named_without_values() {
        for (text, expected) in [
            ("security.protocol=SASL_SSL\n", "no bootstrap.servers"),
            (
                "bootstrap.servers=h:1\nsasl.mechanisms=PLAIN\n",
                "no security.protocol",
            ),
            (
                "bootstrap.servers=h:1\nsecurity.protocol=PLAINTEXT\nsasl.password=TOPSECRET\n",
                "not SASL_SSL",
            ),
            (
                "bootstrap.servers=h:1\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=SCRAM-SHA-256\n",
                "not PLAIN",
            ),
            (
                "bootstrap.servers=h:1\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\nsasl.password=TOPSECRET\n",
                "no credentials",
            ),
            (
                "bootstrap.servers=h:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=x required password=\"TOPSECRET\";\n",
                "lacks a username",
            ),
            (
                "{\"kafka\": 1, \"secret\": \"TOPSECRET\"}",
                "not a cdx json config",
            ),
            ("[other]\nx = 1\n", "no [kafka] section"),
        ] {
            let err = read_config(text, None).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(!err.contains("TOPSECRET"), "{err}");
        }
    }

    #[test]
    fn properties_follow_java_rules() {
        let text = "a = one\\\n    two\nb:x\\:y\nc\\ d=\\u0041\\t\n! comment\n e f\n";
        let p = properties(text);
        assert_eq!(p["a"], "onetwo");
        assert_eq!(p["b"], "x:y");
        assert_eq!(p["c d"], "A\t");
        assert_eq!(p["e"], "f");
    }

    #[test]
    fn jaas_values_may_be_single_quoted_or_bare() {
        assert_eq!(
            jaas_credentials("m required username='K' password='a\"b';").unwrap(),
            ("K".into(), "a\"b".into())
        );
        assert_eq!(
            jaas_credentials("m required username=K password=s;").unwrap(),
            ("K".into(), "s".into())
        );
    }
}
