//! Text from a server made safe for a terminal: nothing it holds can move the cursor, clear the
//! screen or hide itself.

/// `text` with control characters and line separators escaped (`\n`, `\t`, `\u{1b}`, …);
/// printable characters, non-ASCII included, are kept.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_char(&mut out, c);
    }
    out
}

fn push_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\\' => out.push_str("\\\\"),
        c if c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c) =>
        {
            out.extend(c.escape_unicode())
        }
        c => out.push(c),
    }
}

/// Bytes as text: valid UTF-8 as [`escape_text`] shows it, every byte that is not part of a
/// valid UTF-8 sequence as `\xNN`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut out, c);
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_printables_kept() {
        assert_eq!(escape_text("café 😀"), "café 😀");
        assert_eq!(
            escape_text("a\nb\u{1b}[2J\u{202e}\\"),
            "a\\nb\\u{1b}[2J\\u{202e}\\\\"
        );
        assert_eq!(
            escape_bytes(b"\x00\x05ok\xff\xfe"),
            "\\u{0}\\u{5}ok\\xff\\xfe"
        );
    }
}
