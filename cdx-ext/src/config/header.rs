//! The comment header every commented format starts with, and comment-safe text.

use super::{Format, Input, Line};
use std::borrow::Cow;

/// The header's lines: what was shared, the consumer group rule, and a word on the secrets.
///
/// `group_key` is the format's name for the consumer group id (e.g. `group.id`).
pub(super) fn lines<'a>(input: &Input<'a>, format: Format, group_key: &str) -> Vec<Line<'a>> {
    let r = input.redemption;
    let mut lines = vec![
        Line::comment(format!(
            "Confluent Cloud Stream Sharing: Kafka client configuration for {}",
            format.description()
        )),
        Line::comment(format!("Share: {}", r.share_id())),
    ];
    let topics = r.topics();
    if topics.is_empty() {
        lines.push(Line::comment("Topics: none listed in the redemption"));
    }
    lines.extend(topics.iter().map(|t| Line::comment(format!("Topic: {t}"))));
    let subjects = r.subjects();
    if subjects.is_empty() {
        lines.push(Line::comment("Subjects: none listed in the redemption"));
    }
    lines.extend(
        subjects
            .iter()
            .map(|s| Line::comment(format!("Subject: {s}"))),
    );
    match r.group_prefix() {
        Some(prefix) => {
            lines.push(Line::comment(format!(
                "Consumer group ID requires a prefix of {prefix}"
            )));
            lines.push(Line::comment(format!(
                "Example: {group_key} = {prefix}.[Add optional consumer group suffix]"
            )));
            if input.group_id.is_some() {
                lines.push(Line::comment(format!(
                    "This file sets {group_key} to that prefix plus the suffix you chose."
                )));
            }
        }
        None => lines.push(Line::comment(
            "The redemption named no consumer group prefix.",
        )),
    }
    lines.push(Line::comment(
        "This file holds credentials: keep it private (owner-only) and out of version control.",
    ));
    lines
}

/// `text` made safe for a one-line comment: control characters and line separators become
/// `\u{…}` so that nothing from the redemption can end the comment or hide text.
pub(super) fn comment_text(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes `# text` (or a bare `#` for an empty comment) and a newline.
pub(super) fn write_comment(out: &mut String, text: &str) {
    if text.is_empty() {
        out.push_str("#\n");
    } else {
        out.push_str("# ");
        out.push_str(&comment_text(text));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_cannot_be_broken_out_of() {
        assert_eq!(comment_text("orders"), "orders");
        assert_eq!(comment_text("caf\u{e9} \u{1F600}"), "caf\u{e9} \u{1F600}");
        assert_eq!(
            comment_text("a\nb=c\r\u{2028}\u{85}\u{0}\t"),
            "a\\u{a}b=c\\u{d}\\u{2028}\\u{85}\\u{0}\\u{9}"
        );
        let mut out = String::new();
        write_comment(&mut out, "x\ny");
        write_comment(&mut out, "");
        assert_eq!(out, "# x\\u{a}y\n#\n");
    }
}
