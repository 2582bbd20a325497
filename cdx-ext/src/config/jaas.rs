//! Kafka's `sasl.jaas.config` value for SASL/PLAIN, quoted for Kafka's JAAS parser.
//!
//! Kafka parses the value with a `java.io.StreamTokenizer` (`JaasConfig`): an unquoted value
//! ends at whitespace, `;`, `=`, a quote, or `/` (which starts a comment), so values are always
//! quoted. Inside `"…"` the tokenizer reads `\` escapes (`\\`, `\"`, `\n`, `\r`, …, and octal
//! after a digit), and a raw CR or LF ends the string. Hence: wrap in `"`, escape `\` and `"`,
//! and write CR and LF as `\r` and `\n`; every other character stands for itself.

use super::{Field, Value};

/// The login module for SASL/PLAIN.
pub(super) const PLAIN_LOGIN_MODULE: &str =
    "org.apache.kafka.common.security.plain.PlainLoginModule";

/// `text` as a double-quoted JAAS option value.
pub(super) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `PlainLoginModule required username="…" password="…";`
pub(super) fn plain_login<'a>(username: &str, password: &str) -> Value<'a> {
    Value::from_parts(vec![
        (
            None,
            format!("{PLAIN_LOGIN_MODULE} required username=").into(),
        ),
        (Some(Field::KafkaApiKey), quote(username).into()),
        (None, " password=".into()),
        (Some(Field::KafkaApiSecret), quote(password).into()),
        (None, ";".into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_backslash_quote_and_line_breaks() {
        for (raw, quoted) in [
            ("plain", "\"plain\""),
            ("", "\"\""),
            ("it's", "\"it's\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("a\\0b", "\"a\\\\0b\""),
            ("a\nb\rc", "\"a\\nb\\rc\""),
            ("/* x */ // y ; = \t", "\"/* x */ // y ; = \t\""),
            ("\u{1F600}\u{0}", "\"\u{1F600}\u{0}\""),
        ] {
            assert_eq!(quote(raw), quoted, "{raw:?}");
        }
    }

    #[test]
    fn plain_login_names_its_fields() {
        let v = plain_login("K", "S\"");
        assert_eq!(
            v.text(),
            "org.apache.kafka.common.security.plain.PlainLoginModule required \
             username=\"K\" password=\"S\\\"\";"
        );
        let secret_at = v.text().find("S\\").unwrap();
        assert_eq!(v.field_at(secret_at), Field::KafkaApiSecret);
    }
}
