//! `librdkafka`: `key=value` lines for clients built on librdkafka, with only keys librdkafka
//! accepts (no JAAS, no Schema Registry keys, no `client.dns.lookup`, which librdkafka before
//! 2.2 rejects). There is no quoting or escaping in this format, so a value that a line-based
//! reader would change (a line break, a control character, leading or trailing whitespace,
//! which loaders trim) is refused.

use super::{Field, Format, Input, Line, Problem, RenderError, Value, header, is_line_break};

/// The librdkafka settings, unescaped. Shared with `python` (its `[kafka]` section) and
/// `json` (its `kafka` map).
pub(super) fn settings<'a>(input: &Input<'a>) -> Vec<Line<'a>> {
    let r = input.redemption;
    let mut lines = vec![
        Line::comment("Required connection configs for Kafka producer, consumer, and admin"),
        Line::entry(
            "bootstrap.servers",
            Value::field(Field::BootstrapServer, r.bootstrap_server().to_string()),
        ),
        Line::entry("security.protocol", Value::literal("SASL_SSL")),
        Line::entry("sasl.mechanisms", Value::literal("PLAIN")),
        Line::entry(
            "sasl.username",
            Value::field(Field::KafkaApiKey, r.kafka_api_key()),
        ),
        Line::entry(
            "sasl.password",
            Value::field(Field::KafkaApiSecret, r.kafka_api_secret().expose_secret()),
        ),
        Line::comment("Best practice for higher availability in librdkafka clients prior to 1.7"),
        Line::entry("session.timeout.ms", Value::literal("45000")),
    ];
    if let Some(group_id) = &input.group_id {
        lines.push(Line::comment(
            "Consumer group ID: the share's required prefix plus your suffix",
        ));
        lines.push(Line::entry("group.id", group_id.clone()));
    }
    lines
}

/// Checks that a raw value survives a line-based reader that trims: no line breaks or other
/// control characters, no leading or trailing whitespace.
pub(super) fn check_raw(format: Format, value: &Value<'_>) -> Result<(), RenderError> {
    let text = value.text();
    let refuse = |at: usize, problem| {
        Err(RenderError::Unrepresentable {
            format,
            field: value.field_at(at),
            problem,
        })
    };
    if let Some((at, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() || is_line_break(c))
    {
        let problem = if is_line_break(c) {
            Problem::LineBreak
        } else {
            Problem::ControlCharacter
        };
        return refuse(at, problem);
    }
    if text.starts_with(char::is_whitespace) {
        return refuse(0, Problem::LeadingWhitespace);
    }
    if let Some((at, c)) = text.char_indices().next_back()
        && c.is_whitespace()
    {
        return refuse(at, Problem::TrailingWhitespace);
    }
    Ok(())
}

pub(super) fn render(input: &Input<'_>) -> Result<String, RenderError> {
    const FORMAT: Format = Format::Librdkafka;
    let mut out = String::new();
    let mut lines = header::lines(input, FORMAT, "group.id");
    lines.extend([
        Line::comment(""),
        Line::comment("One setting per line, key=value, split at the first '=': values are raw,"),
        Line::comment("with no quotes and no escapes. kcat reads it with -F."),
        Line::comment(if input.redemption.schema_registry().is_some() {
            "Schema Registry settings are not here: librdkafka rejects their keys \
                 (render the python or json format for them)."
        } else {
            "No Schema Registry access came with this share."
        }),
        Line::Blank,
    ]);
    lines.extend(settings(input));
    for line in &lines {
        match line {
            Line::Comment(text) => header::write_comment(&mut out, text),
            Line::Blank => out.push('\n'),
            Line::Entry { key, value } => {
                check_raw(FORMAT, value)?;
                let text = value.text();
                if let Some(at) = text.find("\\=").or_else(|| text.find("\\:")) {
                    return Err(RenderError::Unrepresentable {
                        format: FORMAT,
                        field: value.field_at(at),
                        problem: Problem::KcatEscape,
                    });
                }
                out.push_str(key);
                out.push('=');
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<(), Problem> {
        check_raw(
            Format::Librdkafka,
            &Value::field(Field::KafkaApiSecret, text),
        )
        .map_err(|e| match e {
            RenderError::Unrepresentable { problem, field, .. } => {
                assert_eq!(field, Field::KafkaApiSecret);
                problem
            }
            other => panic!("{other}"),
        })
    }

    #[test]
    fn raw_values_must_survive_a_trimming_line_reader() {
        for ok in [
            "s3cret",
            "a b",
            "=#!:;'\"\\/%$",
            "caf\u{e9}\u{1F600}",
            "a\u{a0}b",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok:?}");
        }
        for (bad, problem) in [
            ("a\nb", Problem::LineBreak),
            ("a\rb", Problem::LineBreak),
            ("a\u{2028}b", Problem::LineBreak),
            ("a\u{85}b", Problem::LineBreak),
            ("a\u{1e}b", Problem::LineBreak),
            ("a\u{1f}b", Problem::ControlCharacter),
            ("a\tb", Problem::ControlCharacter),
            ("a\u{0}b", Problem::ControlCharacter),
            ("a\u{7f}b", Problem::ControlCharacter),
            (" a", Problem::LeadingWhitespace),
            ("\u{3000}a", Problem::LeadingWhitespace),
            ("a ", Problem::TrailingWhitespace),
            ("a\u{a0}", Problem::TrailingWhitespace),
        ] {
            assert_eq!(check(bad), Err(problem), "{bad:?}");
        }
    }
}
