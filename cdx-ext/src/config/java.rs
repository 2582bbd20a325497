//! `java`: a `.properties` file for the Apache Kafka Java clients, with the content and the
//! comments of the Confluent Console's sample, JAAS-quoted and `.properties`-escaped.

use super::{Field, Format, Input, Line, RenderError, Value, header, jaas, properties};

/// The settings of a Java client, with the sample's comments, unescaped. Shared with
/// `spring-boot`, which renames the keys.
pub(super) fn settings<'a>(
    input: &Input<'a>,
    format: Format,
) -> Result<Vec<Line<'a>>, RenderError> {
    let r = input.redemption;
    let literal = Value::literal;
    let mut lines = vec![
        Line::comment("Required connection configs for Kafka producer, consumer, and admin"),
        Line::entry(
            "bootstrap.servers",
            Value::field(Field::BootstrapServer, r.bootstrap_server().to_string()),
        ),
        Line::entry("security.protocol", literal("SASL_SSL")),
        Line::entry(
            "sasl.jaas.config",
            jaas::plain_login(r.kafka_api_key(), r.kafka_api_secret().expose_secret()),
        ),
        Line::entry("sasl.mechanism", literal("PLAIN")),
        Line::comment("Required for correctness in Apache Kafka clients prior to 2.6"),
        Line::entry("client.dns.lookup", literal("use_all_dns_ips")),
        Line::comment("Best practice for higher availability in Apache Kafka clients prior to 3.0"),
        Line::entry("session.timeout.ms", literal("45000")),
        Line::comment("Best practice for Kafka producer to prevent data loss"),
        Line::entry("acks", literal("all")),
    ];
    if let Some(group_id) = &input.group_id {
        lines.push(Line::comment(
            "Consumer group ID: the share's required prefix plus your suffix",
        ));
        lines.push(Line::entry("group.id", group_id.clone()));
    }
    match super::schema_registry(r, format)? {
        Some(sr) => lines.extend([
            Line::comment("Required connection configs for Confluent Cloud Schema Registry"),
            Line::entry("schema.registry.url", sr.url),
            Line::entry("basic.auth.credentials.source", literal("USER_INFO")),
            Line::entry("basic.auth.user.info", sr.user_info),
        ]),
        None => lines.push(Line::comment(
            "No Schema Registry access came with this share, so its settings are left out.",
        )),
    }
    Ok(lines)
}

pub(super) fn render(input: &Input<'_>) -> Result<String, RenderError> {
    let mut lines = header::lines(input, Format::Java, "group.id");
    lines.push(Line::Blank);
    lines.extend(settings(input, Format::Java)?);
    Ok(properties::write(&lines))
}
