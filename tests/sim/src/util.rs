//! Small helpers: percent-encoding, query strings, emails, CRNs, time and randomness.

use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::PROVIDER_ORG_ID;

/// Decodes `%XX` escapes (and `+` as space when `plus` is set). Invalid escapes stay as they are.
pub(crate) fn percent_decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `a=1&b=2` as decoded pairs, in order (empty pieces are skipped).
pub(crate) fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k, true), percent_decode(v, true)),
            None => (percent_decode(p, true), String::new()),
        })
        .collect()
}

/// RFC 3339, UTC, whole seconds: `2024-05-01T12:00:00Z`.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A pragmatic `addr-spec` check (dot-atom local part, dotted host name).
pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    const SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";
    let atom_ok = |a: &str| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
    };
    if local.is_empty() || local.len() > 64 || !local.split('.').all(atom_ok) {
        return false;
    }
    if domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// What a shareable CRN names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CrnTarget {
    Topic {
        name: String,
        environment: Option<String>,
        cluster: Option<String>,
    },
    Subject {
        name: String,
    },
}

/// Parses `crn://confluent.cloud/…/topic=<t>` or `crn://confluent.cloud/…/subject=<s>`.
pub(crate) fn parse_crn(crn: &str) -> Option<CrnTarget> {
    let rest = crn.strip_prefix("crn://")?;
    let mut segments = rest.split('/');
    let authority = segments.next()?;
    if authority.is_empty() {
        return None;
    }
    let pairs: Vec<(&str, &str)> = segments
        .map(|s| s.split_once('='))
        .collect::<Option<Vec<_>>>()?;
    let (last_key, last_value) = *pairs.last()?;
    if last_value.is_empty() || pairs.iter().any(|(k, v)| k.is_empty() || v.is_empty()) {
        return None;
    }
    let find = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    };
    match last_key {
        "topic" => {
            let legal = last_value.len() <= 249
                && last_value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
            legal.then(|| CrnTarget::Topic {
                name: last_value.to_string(),
                environment: find("environment"),
                cluster: find("kafka").or_else(|| find("cloud-cluster")),
            })
        }
        "subject" => Some(CrnTarget::Subject {
            name: last_value.to_string(),
        }),
        _ => None,
    }
}

/// The CRNs the CLI builds, in the provider's default environment and cluster.
pub(crate) fn default_crns(topics: &[&str], subjects: &[&str]) -> Vec<String> {
    let base = format!(
        "crn://confluent.cloud/organization={PROVIDER_ORG_ID}/environment=env-00001/schema-registry=lsrc-00001"
    );
    topics
        .iter()
        .map(|t| format!("{base}/kafka=lkc-00001/topic={t}"))
        .chain(subjects.iter().map(|s| format!("{base}/subject={s}")))
        .collect()
}

/// `n` random bytes (from v4 UUIDs: the workspace already depends on `uuid`).
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 16);
    while out.len() < n {
        out.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    out.truncate(n);
    out
}

/// A URL-safe random token of `chars` characters (base64url without padding).
pub(crate) fn random_token(chars: usize) -> String {
    let bytes = random_bytes(chars * 3 / 4 + 3);
    let mut s = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    s.truncate(chars);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_email("jane.doe@example.com"));
        assert!(is_email("a+b!#@x-y.co"));
        assert!(!is_email("jane"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@example.com"));
        assert!(!is_email("a..b@example.com"));
    }

    #[test]
    fn crns() {
        assert_eq!(
            parse_crn("crn://confluent.cloud/environment=env-1/kafka=lkc-2/topic=orders"),
            Some(CrnTarget::Topic {
                name: "orders".into(),
                environment: Some("env-1".into()),
                cluster: Some("lkc-2".into())
            })
        );
        assert_eq!(
            parse_crn("crn://confluent.cloud/schema-registry=lsrc-1/subject=orders-value"),
            Some(CrnTarget::Subject {
                name: "orders-value".into()
            })
        );
        assert_eq!(parse_crn("crn://x"), None);
        assert_eq!(parse_crn("crn://confluent.cloud/kafka=lkc-1"), None);
        assert_eq!(parse_crn("https://example.com/topic=a"), None);
    }

    #[test]
    fn percent() {
        assert_eq!(percent_decode("a%20b+c%zz", true), "a b c%zz");
        assert_eq!(percent_encode("a b/c"), "a%20b%2Fc");
        assert_eq!(
            parse_query("a=1&b=x%3Dy&c"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x=y".into()),
                ("c".into(), String::new())
            ]
        );
    }
}
