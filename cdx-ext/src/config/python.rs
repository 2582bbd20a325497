//! `python`: an INI file for Python's `configparser`, with a `[kafka]` section to hand to
//! confluent-kafka's `Consumer` and a `[schema_registry]` section (`url`,
//! `basic.auth.user.info`) to hand to its `SchemaRegistryClient`, unchanged.
//!
//! `configparser` (with `interpolation=None`) gives values back raw, minus leading and
//! trailing whitespace, and a line break would start a new line; so values follow the
//! `librdkafka` rules: no control characters, no leading or trailing whitespace.

use super::{Format, Input, Line, RenderError, header, librdkafka};

const FORMAT: Format = Format::Python;

/// `text` as a Python string literal (for the example in the comments).
fn python_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\U{:08x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write_lines(out: &mut String, lines: &[Line<'_>]) -> Result<(), RenderError> {
    for line in lines {
        match line {
            Line::Comment(text) => header::write_comment(out, text),
            Line::Blank => out.push('\n'),
            Line::Entry { key, value } => {
                librdkafka::check_raw(FORMAT, value)?;
                out.push_str(key);
                out.push_str(" = ");
                out.push_str(&value.text());
                out.push('\n');
            }
        }
    }
    Ok(())
}

pub(super) fn render(input: &Input<'_>) -> Result<String, RenderError> {
    let r = input.redemption;
    let sr = super::schema_registry(r, FORMAT)?;
    let mut lines = header::lines(input, FORMAT, "group.id");
    lines.extend([
        Line::comment(""),
        Line::comment("An INI file for Python's configparser: [kafka] is the configuration for"),
        Line::comment("confluent-kafka's Consumer (or Producer, AdminClient)."),
    ]);
    lines.push(Line::comment(if sr.is_some() {
        "[schema_registry] is the configuration for its SchemaRegistryClient."
    } else {
        "No Schema Registry access came with this share, so there is no [schema_registry]."
    }));
    lines.extend([
        Line::comment("Values are raw (no quotes, no escapes): read the file as UTF-8 with"),
        Line::comment("interpolation=None, and hand the sections over as they are:"),
        Line::comment(""),
        Line::comment("    import configparser"),
        Line::comment("    from confluent_kafka import Consumer"),
    ]);
    if sr.is_some() {
        lines.push(Line::comment(
            "    from confluent_kafka.schema_registry import SchemaRegistryClient",
        ));
    }
    lines.extend([
        Line::comment("    config = configparser.ConfigParser(interpolation=None)"),
        Line::comment(format!(
            "    with open({}, encoding=\"utf-8\") as f:",
            python_str(
                input
                    .file_name
                    .unwrap_or_else(|| FORMAT.default_file_name())
            )
        )),
        Line::comment("        config.read_file(f)"),
    ]);
    if input.group_id.is_some() {
        lines.push(Line::comment(
            "    consumer = Consumer(dict(config[\"kafka\"]))",
        ));
    } else {
        let example = match r.group_prefix() {
            Some(prefix) => format!("{prefix}.my-app"),
            None => "my-app".to_string(),
        };
        lines.push(Line::comment(format!(
            "    consumer = Consumer({{**config[\"kafka\"], \"group.id\": {}}})",
            python_str(&example)
        )));
    }
    if sr.is_some() {
        lines.push(Line::comment(
            "    schema_registry = SchemaRegistryClient(dict(config[\"schema_registry\"]))",
        ));
    }
    lines.push(Line::Blank);

    let mut out = String::new();
    write_lines(&mut out, &lines)?;
    out.push_str("[kafka]\n");
    write_lines(&mut out, &librdkafka::settings(input))?;
    if let Some(sr) = sr {
        out.push_str("\n[schema_registry]\n");
        write_lines(
            &mut out,
            &[
                Line::entry("url", sr.url),
                Line::entry("basic.auth.user.info", sr.user_info),
            ],
        )?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(python_str("a.b"), "\"a.b\"");
        assert_eq!(python_str("a\"\\b"), "\"a\\\"\\\\b\"");
        assert_eq!(python_str("\n\u{2028}é"), "\"\\U0000000a\\U00002028é\"");
    }

    #[test]
    fn the_example_opens_the_file_by_the_name_it_is_saved_under() {
        let r = super::super::tests::redemption();
        let default = super::super::render(&r, FORMAT, &Default::default()).unwrap();
        assert!(default.contains("with open(\"client.ini\""), "{default}");
        let options = super::super::RenderOptions {
            file_name: Some("shared-orders.ini".into()),
            ..Default::default()
        };
        let named = super::super::render(&r, FORMAT, &options).unwrap();
        assert!(named.contains("with open(\"shared-orders.ini\""), "{named}");
    }
}
