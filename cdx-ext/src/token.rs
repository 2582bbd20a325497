//! [`ShareToken`]: the single-use invitation token a provider's email carries.

use crate::Secret;
use crate::invalid_input::InvalidInput;
use std::fmt;

/// A share token, validated and redacted.
///
/// A token is a secret: whoever holds it can redeem the share, once. `Debug` and `Display`
/// never show it; [`ShareToken::expose_secret`] does, and only the request body uses it.
#[derive(Clone, PartialEq, Eq)]
pub struct ShareToken(Secret);

impl ShareToken {
    /// The longest token accepted. Real tokens are a few hundred characters; anything this long
    /// is a pasted file or email, not a token.
    pub const MAX_LEN: usize = 8192;

    /// Validates a token: surrounding whitespace (a pasted line) is trimmed; it must then be
    /// non-empty, at most [`Self::MAX_LEN`] bytes, and free of whitespace and control characters.
    ///
    /// A UTF-8 byte-order mark (which some editors write at the start of a file) is dropped with
    /// the whitespace. Quotes around the token, and invisible or typographic characters picked up
    /// while copying it, are refused (naming the character, never the token) rather than sent.
    pub fn new(token: impl AsRef<str>) -> Result<Self, InvalidInput> {
        let token = token
            .as_ref()
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let invalid = |reason: &str| InvalidInput::new("share token", reason);
        if token.is_empty() {
            return Err(invalid(
                "it is empty; pass the token from the invitation email",
            ));
        }
        if token.len() > Self::MAX_LEN {
            return Err(invalid(&format!(
                "it is {} bytes long, more than the {} a token can be; pass only the token",
                token.len(),
                Self::MAX_LEN
            )));
        }
        if let Some(q) = token.chars().find(|c| {
            matches!(
                c,
                '"' | '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}'
            )
        }) {
            return Err(invalid(&format!(
                "it contains the quote character {q:?}; pass the token without quotes around it"
            )));
        }
        if let Some(c) = token.chars().find(|c| !c.is_ascii() && !c.is_whitespace()) {
            return Err(invalid(&format!(
                "it contains the character U+{:04X}, which no token has (an invisible or typographic character picked up when copying it); copy the token again, or type it",
                u32::from(c)
            )));
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                "it contains whitespace or control characters; pass the token alone, on one line",
            ));
        }
        Ok(Self(Secret::new(token)))
    }

    /// The token itself. Each call is a place where it could leak: keep them few.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// The token as the request bodies take it, without exposing it.
    pub(crate) fn as_secret(&self) -> &Secret {
        &self.0
    }
}

impl std::str::FromStr for ShareToken {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Debug for ShareToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ShareToken(<redacted>)")
    }
}

impl fmt::Display for ShareToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted share token>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_the_token() {
        let t = ShareToken::new("  abc.DEF-123_=\n").unwrap();
        assert_eq!(t.expose_secret(), "abc.DEF-123_=");
    }

    #[test]
    fn rejects_empty_long_and_spaced_tokens_without_echoing_them() {
        for bad in ["", "   \n", "abc def", "ab\u{7}c"] {
            let err = ShareToken::new(bad).unwrap_err();
            assert!(
                err.to_string().starts_with("invalid share token: "),
                "{err}"
            );
        }
        let long = "x".repeat(ShareToken::MAX_LEN + 1);
        let err = ShareToken::new(&long).unwrap_err().to_string();
        assert!(err.contains("8193 bytes") && !err.contains("xxxx"), "{err}");
        let err = ShareToken::new("secret token").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn byte_order_marks_are_dropped_and_quotes_and_invisibles_refused() {
        let t = ShareToken::new("\u{feff}abc-DEF_123\r\n").unwrap();
        assert_eq!(t.expose_secret(), "abc-DEF_123");
        for (bad, says) in [
            ("\"abc\"", "quote"),
            ("'abc'", "quote"),
            ("\u{201c}abc\u{201d}", "quote"),
            ("abc\u{200b}", "U+200B"),
            ("\u{2060}abc", "U+2060"),
            ("ab\u{feff}c", "U+FEFF"),
        ] {
            let err = ShareToken::new(bad).unwrap_err().to_string();
            assert!(err.contains(says) && !err.contains("abc"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn debug_and_display_redact() {
        let t = ShareToken::new("s3cr3t-token").unwrap();
        assert!(!format!("{t:?} {t} {t:#?}").contains("s3cr3t"));
    }
}
