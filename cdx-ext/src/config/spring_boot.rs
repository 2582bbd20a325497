//! `spring-boot`: `application.properties` for Spring Boot with Spring for Apache Kafka.
//!
//! The same settings as `java` (same JAAS quoting, same `.properties` escaping), under Spring's
//! keys: `spring.kafka.bootstrap-servers`, `spring.kafka.consumer.group-id`, and
//! `spring.kafka.properties.<key>` for the rest, which Spring passes to every Kafka client (and
//! so to the Schema Registry serdes). Spring resolves `${…}` placeholders in values, so a value
//! containing `${` is refused.

use super::{Format, Input, Line, Problem, RenderError, header, java, properties};

const FORMAT: Format = Format::SpringBoot;

fn spring_key(key: &str) -> String {
    match key {
        "bootstrap.servers" => "spring.kafka.bootstrap-servers".to_string(),
        "group.id" => "spring.kafka.consumer.group-id".to_string(),
        other => format!("spring.kafka.properties.{other}"),
    }
}

pub(super) fn render(input: &Input<'_>) -> Result<String, RenderError> {
    let mut lines = header::lines(input, FORMAT, "spring.kafka.consumer.group-id");
    lines.push(Line::Blank);
    for line in java::settings(input, FORMAT)? {
        match line {
            Line::Entry { key, value } => {
                let text = value.text();
                if let Some(at) = text.find("${") {
                    return Err(RenderError::Unrepresentable {
                        format: FORMAT,
                        field: value.field_at(at),
                        problem: Problem::Placeholder,
                    });
                }
                if key == "bootstrap.servers" {
                    lines.push(Line::comment(
                        "Spring Boot 3.1+ overrides spring.kafka.properties.bootstrap.servers \
                         with spring.kafka.bootstrap-servers, so the latter is used",
                    ));
                }
                lines.push(Line::Entry {
                    key: spring_key(&key).into(),
                    value,
                });
            }
            other => lines.push(other),
        }
    }
    Ok(properties::write(&lines))
}
