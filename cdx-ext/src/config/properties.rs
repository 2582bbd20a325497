//! Java `.properties` writing, for readers that use `Properties.load(InputStream)` (ISO-8859-1
//! with `\uXXXX` escapes, as Kafka's tools do) and for Spring Boot's loader.
//!
//! Every key and value is pure ASCII: every character outside `0x20..=0x7E` is a `\uXXXX` escape
//! of its UTF-16 code units (so U+1F600 is `\uD83D\uDE00`), which reads back the same whether
//! the loader decodes the file as ISO-8859-1 or as UTF-8. Comments keep names (of topics,
//! subjects) as UTF-8 for people to read; loaders skip comment lines whatever their bytes.

use super::{Line, header};

/// Escapes a key as `Properties.store` does: also every space and `= : # !`.
pub(super) fn escape_key(key: &str) -> String {
    escape(key, true)
}

/// Escapes a value so that `Properties.load` reads back exactly `value`.
///
/// Escaped: `\`, tab, LF, CR, FF (as `\t \n \r \f`), a leading space (leading whitespace is
/// skipped by the loader), and everything outside printable ASCII (`\uXXXX`). `= : # !` need no
/// escape in a value: the key ends at the first unescaped `=`, and a comment is only a line
/// whose first non-blank character is `#` or `!`, which a value never is.
pub(super) fn escape_value(value: &str) -> String {
    escape(value, false)
}

fn escape(text: &str, is_key: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, unit) in text.encode_utf16().enumerate() {
        match unit {
            0x5C => out.push_str("\\\\"),
            0x09 => out.push_str("\\t"),
            0x0A => out.push_str("\\n"),
            0x0D => out.push_str("\\r"),
            0x0C => out.push_str("\\f"),
            0x20 if is_key || i == 0 => out.push_str("\\ "),
            0x3D | 0x3A | 0x23 | 0x21 if is_key => {
                out.push('\\');
                out.push(char::from(unit as u8));
            }
            0x20..=0x7E => out.push(char::from(unit as u8)),
            _ => out.push_str(&format!("\\u{unit:04X}")),
        }
    }
    out
}

/// Writes the lines as a `.properties` file: `# comment`, blank lines, `key=value`.
pub(super) fn write(lines: &[Line<'_>]) -> String {
    let mut out = String::new();
    for line in lines {
        match line {
            Line::Comment(text) => header::write_comment(&mut out, text),
            Line::Blank => out.push('\n'),
            Line::Entry { key, value } => {
                out.push_str(&escape_key(key));
                out.push('=');
                out.push_str(&escape_value(&value.text()));
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_escape_what_the_loader_would_change() {
        for (raw, escaped) in [
            ("plain", "plain"),
            ("", ""),
            ("a\\b", "a\\\\b"),
            (" lead", "\\ lead"),
            ("  two", "\\  two"),
            ("mid dle ", "mid dle "),
            ("\ttab", "\\ttab"),
            ("a\nb\rc\u{c}d", "a\\nb\\rc\\fd"),
            ("#!=:", "#!=:"),
            ("\"quoted\" 'x'", "\"quoted\" 'x'"),
            ("https://h/p?q=1", "https://h/p?q=1"),
            ("\u{0}\u{1f}\u{7f}", "\\u0000\\u001F\\u007F"),
            ("caf\u{e9}", "caf\\u00E9"),
            ("\u{20ac}", "\\u20AC"),
            ("\u{1F600}", "\\uD83D\\uDE00"),
            ("\\u0041", "\\\\u0041"),
        ] {
            assert_eq!(escape_value(raw), escaped, "{raw:?}");
        }
    }

    #[test]
    fn keys_escape_separators_and_every_space() {
        assert_eq!(escape_key("a b=c:d#e!f"), "a\\ b\\=c\\:d\\#e\\!f");
        assert_eq!(
            escape_key("spring.kafka.bootstrap-servers"),
            "spring.kafka.bootstrap-servers"
        );
    }

    #[test]
    fn output_is_ascii() {
        let all: String = (0..0x3000u32)
            .chain([0x1F600, 0x10FFFF])
            .filter_map(char::from_u32)
            .collect();
        let escaped = escape_value(&all);
        assert!(escaped.bytes().all(|b| (0x20..0x7F).contains(&b)));
    }
}
