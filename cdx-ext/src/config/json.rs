//! `json`: a machine-readable document. `kafka` holds the librdkafka settings (hand it to any
//! librdkafka-based client), `schema_registry` the settings for confluent-kafka's
//! `SchemaRegistryClient` (`url`, `basic.auth.user.info`) or `null`; then the share id, the
//! topics, the subjects and the consumer group prefix. JSON carries any string, so nothing is
//! refused except a `:` in the Schema Registry API key.

use super::{Format, Input, Line, RenderError, librdkafka};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// Key/value pairs, serialised as a JSON object in their order.
struct Pairs(Vec<(String, String)>);

impl Serialize for Pairs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct Document<'a> {
    share_id: &'a str,
    kafka: Pairs,
    schema_registry: Option<Pairs>,
    topics: Vec<&'a str>,
    subjects: Vec<&'a str>,
    group_prefix: Option<&'a str>,
}

pub(super) fn render(input: &Input<'_>) -> Result<String, RenderError> {
    let r = input.redemption;
    let kafka = librdkafka::settings(input)
        .into_iter()
        .filter_map(|line| match line {
            Line::Entry { key, value } => Some((key.into_owned(), value.text())),
            _ => None,
        })
        .collect();
    let schema_registry = super::schema_registry(r, Format::Json)?.map(|sr| {
        Pairs(vec![
            ("url".to_string(), sr.url.text()),
            ("basic.auth.user.info".to_string(), sr.user_info.text()),
        ])
    });
    let document = Document {
        share_id: r.share_id(),
        kafka: Pairs(kafka),
        schema_registry,
        topics: r.topics(),
        subjects: r.subjects(),
        group_prefix: r.group_prefix(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("strings always serialise");
    text.push('\n');
    Ok(text)
}
