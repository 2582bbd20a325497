//! [`ShareToken`]: the single-use invitation token a provider's email carries.

use crate::Secret;
use crate::error::InvalidInput;
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
    pub fn new(token: impl AsRef<str>) -> Result<Self, InvalidInput> {
        let token = token.as_ref().trim();
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
    fn debug_and_display_redact() {
        let t = ShareToken::new("s3cr3t-token").unwrap();
        assert!(!format!("{t:?} {t} {t:#?}").contains("s3cr3t"));
    }
}
