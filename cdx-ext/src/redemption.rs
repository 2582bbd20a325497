//! [`Redemption`]: what redeeming a share token gives the consumer, validated and easy to use.

use crate::Secret;
use crate::invalid_input::InvalidInput;
use cdx_client::types::{
    CdxV1RedeemTokenResponse, CdxV1RedeemTokenResponseApiVersion, CdxV1RedeemTokenResponseKind,
    CdxV1RedeemTokenResponseResourcesItem as Resource,
};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A Kafka bootstrap server as clients want it: `host:port`, no scheme.
///
/// The API returns `SASL://host:9092` (the spec's example), `SASL_SSL://host:9092` or a bare
/// `host:9092`; librdkafka rejects a `SASL://` prefix, so the scheme is always dropped. A missing
/// port means Kafka's default, 9092.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BootstrapServer {
    host: String,
    port: u16,
}

impl BootstrapServer {
    /// Parses `[scheme://]host[:port]` (IPv6 hosts in brackets).
    pub fn parse(value: &str) -> Result<Self, InvalidInput> {
        let invalid = |reason: &str| InvalidInput::new("Kafka bootstrap server", reason);
        let rest = value.trim();
        let rest = rest
            .split_once("://")
            .map_or(rest, |(_, r)| r)
            .trim_end_matches('/');
        if rest.is_empty() {
            return Err(invalid("it is empty"));
        }
        if rest.contains([',', '/', ' ', '@']) {
            return Err(invalid(&format!("{value:?} is not a single host:port")));
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6
                .split_once(']')
                .ok_or_else(|| invalid("an IPv6 host lacks its closing ']'"))?;
            (format!("[{host}]"), after.strip_prefix(':'))
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (rest.to_string(), None),
            }
        };
        let host_ok = !host.is_empty()
            && (host.starts_with('[')
                || host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')));
        if !host_ok {
            return Err(invalid(&format!("{value:?} has no valid host name")));
        }
        let port = match port {
            None => 9092,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| invalid(&format!("{value:?} has an invalid port")))?,
        };
        Ok(Self { host, port })
    }

    /// The host name (IPv6 addresses keep their brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl fmt::Display for BootstrapServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// What goes between a group prefix and `suffix`: a `.`, unless the suffix brings its own
/// separator (`.`, `-` or `_`).
pub(crate) fn group_separator(suffix: &str) -> &'static str {
    if suffix.starts_with(['.', '-', '_']) {
        ""
    } else {
        "."
    }
}

/// Schema Registry access that came with a redemption.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaRegistryAccess<'a> {
    /// The endpoint, e.g. `https://psrc-xxxxx.us-west-2.aws.confluent.cloud`.
    pub url: &'a str,
    /// The Schema Registry API key.
    pub api_key: &'a str,
    /// The Schema Registry API secret.
    pub api_secret: &'a Secret,
}

/// A redeemed share: credentials, endpoints and what was shared.
///
/// Built from the redeem response, checked to hold what a Kafka client needs (share id, API key
/// and secret, a usable bootstrap server). It serialises to and from the API's JSON shape,
/// **secrets included**, so it can be saved and rendered into client configs later; its `Debug`
/// redacts the secrets. An `api_version` or `kind` newer than this client knows (`cdx/v2`) is
/// kept as it came, not rejected.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(into = "CdxV1RedeemTokenResponse")]
pub struct Redemption {
    response: CdxV1RedeemTokenResponse,
    bootstrap: BootstrapServer,
}

/// A redeem response that lacks what a client needs (the server spent the token anyway).
#[derive(Clone, Debug, thiserror::Error)]
#[error("the redemption is incomplete: {}", missing.join(", "))]
pub struct IncompleteRedemption {
    /// What is missing or unusable.
    pub missing: Vec<String>,
    /// The response as received (its `Debug` redacts secrets), so nothing is lost.
    pub response: Box<CdxV1RedeemTokenResponse>,
}

impl TryFrom<CdxV1RedeemTokenResponse> for Redemption {
    type Error = IncompleteRedemption;

    fn try_from(response: CdxV1RedeemTokenResponse) -> Result<Self, Self::Error> {
        let mut missing = Vec::new();
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&response.id) {
            missing.push("the share id (`id`)".to_string());
        }
        if blank(&response.api_key) {
            missing.push("the Kafka API key (`api_key`)".to_string());
        }
        if response.secret.as_ref().is_none_or(|s| s.is_empty()) {
            missing.push("the Kafka API secret (`secret`)".to_string());
        }
        let bootstrap = match response
            .kafka_bootstrap_url
            .as_deref()
            .map(BootstrapServer::parse)
        {
            Some(Ok(b)) => Some(b),
            Some(Err(e)) => {
                missing.push(format!("a usable bootstrap server ({})", e.reason));
                None
            }
            None => {
                missing.push("the bootstrap server (`kafka_bootstrap_url`)".to_string());
                None
            }
        };
        match bootstrap {
            Some(bootstrap) if missing.is_empty() => Ok(Self {
                response,
                bootstrap,
            }),
            _ => Err(IncompleteRedemption {
                missing,
                response: Box::new(response),
            }),
        }
    }
}

impl<'de> Deserialize<'de> for Redemption {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = serde_json::Value::deserialize(deserializer)?;
        let response = response_from_value(value).map_err(D::Error::custom)?;
        Self::try_from(response).map_err(D::Error::custom)
    }
}

/// Decodes a redeem response, forward compatibly: an `api_version` or `kind` value this client
/// does not know (the generated types take exactly `cdx/v1` and `RedeemTokenResponse`) is kept
/// in `extra`, where it serialises back as it came. On failure, the error is the one of the
/// strict decoding of `bytes` (it has a line and column).
pub(crate) fn decode_response(bytes: &[u8]) -> serde_json::Result<CdxV1RedeemTokenResponse> {
    serde_json::from_slice(bytes).or_else(|strict| {
        serde_json::from_slice(bytes)
            .and_then(response_from_value)
            .map_err(|_| strict)
    })
}

fn response_from_value(
    mut value: serde_json::Value,
) -> serde_json::Result<CdxV1RedeemTokenResponse> {
    let mut newer = serde_json::Map::new();
    if let Some(object) = value.as_object_mut() {
        let known = |field: &str, v: &serde_json::Value| match field {
            "api_version" => {
                serde_json::from_value::<CdxV1RedeemTokenResponseApiVersion>(v.clone()).is_ok()
            }
            _ => serde_json::from_value::<CdxV1RedeemTokenResponseKind>(v.clone()).is_ok(),
        };
        for field in ["api_version", "kind"] {
            if let Some(v) = object.get(field)
                && v.is_string()
                && !known(field, v)
                && let Some(v) = object.remove(field)
            {
                newer.insert(field.to_string(), v);
            }
        }
    }
    let mut response: CdxV1RedeemTokenResponse = serde_json::from_value(value)?;
    response.extra.extend(newer);
    Ok(response)
}

impl From<Redemption> for CdxV1RedeemTokenResponse {
    fn from(r: Redemption) -> Self {
        r.response
    }
}

impl Redemption {
    /// The consumer share this redemption created (`ss-…`).
    pub fn share_id(&self) -> &str {
        self.response.id.as_deref().unwrap_or_default()
    }

    /// The Kafka bootstrap server, `host:port`.
    pub fn bootstrap_server(&self) -> &BootstrapServer {
        &self.bootstrap
    }

    /// The Kafka API key (the SASL/PLAIN username).
    pub fn kafka_api_key(&self) -> &str {
        self.response.api_key.as_deref().unwrap_or_default()
    }

    /// The Kafka API secret (the SASL/PLAIN password).
    pub fn kafka_api_secret(&self) -> &Secret {
        self.response
            .secret
            .as_ref()
            .expect("checked on construction")
    }

    /// Schema Registry access, when the share came with it (URL, key and secret all present).
    pub fn schema_registry(&self) -> Option<SchemaRegistryAccess<'_>> {
        let r = &self.response;
        Some(SchemaRegistryAccess {
            url: r
                .schema_registry_url
                .as_deref()
                .filter(|u| !u.trim().is_empty())?
                .trim_end_matches('/'),
            api_key: r
                .schema_registry_api_key
                .as_deref()
                .filter(|k| !k.is_empty())?,
            api_secret: r.schema_registry_secret.as_ref()?,
        })
    }

    /// The shared topics.
    pub fn topics(&self) -> Vec<&str> {
        self.resources()
            .filter_map(|r| {
                if let Resource::Topic(t) = r {
                    t.topic.as_deref()
                } else {
                    None
                }
            })
            .collect()
    }

    /// The shared Schema Registry subjects.
    pub fn subjects(&self) -> Vec<&str> {
        self.resources()
            .filter_map(|r| {
                if let Resource::Subject(s) = r {
                    s.subject.as_deref()
                } else {
                    None
                }
            })
            .collect()
    }

    /// The prefix every consumer `group.id` must start with (e.g. `stream-share.ss-12345`). An
    /// empty or blank prefix from the server counts as none (see
    /// [`Redemption::has_blank_group_prefix`]): it would make every group id look allowed.
    pub fn group_prefix(&self) -> Option<&str> {
        self.group_prefixes().find(|p| !p.trim().is_empty())
    }

    /// True when the server sent a `Group` resource whose prefix is empty or blank, and no
    /// usable one: the consumer cannot tell which group ids the share allows.
    pub fn has_blank_group_prefix(&self) -> bool {
        self.group_prefix().is_none() && self.group_prefixes().next().is_some()
    }

    fn group_prefixes(&self) -> impl Iterator<Item = &str> {
        self.resources().filter_map(|r| {
            if let Resource::Group(g) = r {
                g.group_prefix.as_deref()
            } else {
                None
            }
        })
    }

    /// A consumer group id that satisfies the prefix rule: the prefix, then `suffix`, joined by
    /// a `.` unless the suffix starts with `.`, `-` or `_` (`billing` and `.billing` both give
    /// `stream-share.ss-12345.billing`).
    pub fn group_id(&self, suffix: &str) -> Option<String> {
        self.group_prefix()
            .map(|p| format!("{p}{}{suffix}", group_separator(suffix)))
    }

    /// Resources of kinds this client does not know, exactly as received.
    pub fn unknown_resources(
        &self,
    ) -> impl Iterator<Item = &serde_json::Map<String, serde_json::Value>> {
        self.resources().filter_map(|r| {
            if let Resource::Unknown(o) = r {
                Some(o)
            } else {
                None
            }
        })
    }

    /// Every shared resource, as the API sent them.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.response.resources.iter()
    }

    /// The response as received.
    pub fn response(&self) -> &CdxV1RedeemTokenResponse {
        &self.response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The shared answer with a trailing slash on the Schema Registry URL and a resource kind
    /// this client does not use.
    fn response() -> serde_json::Value {
        let mut v = crate::fixtures::redeem_answer();
        v["schema_registry_url"] = json!("https://psrc-xyz.us-west-2.aws.confluent.cloud/");
        let resources = v["resources"].as_array_mut().unwrap();
        resources.push(json!({"kind": "Connector", "connector": "c-1"}));
        v
    }

    #[test]
    fn bootstrap_forms_normalise_to_host_port() {
        for (input, out) in [
            (
                "SASL://pkc-1.aws.confluent.cloud:9092",
                "pkc-1.aws.confluent.cloud:9092",
            ),
            ("SASL_SSL://pkc-1:9092", "pkc-1:9092"),
            ("pkc-1:9093", "pkc-1:9093"),
            ("  pkc-1  ", "pkc-1:9092"),
            ("[::1]:9092", "[::1]:9092"),
        ] {
            assert_eq!(
                BootstrapServer::parse(input).unwrap().to_string(),
                out,
                "{input}"
            );
        }
        for bad in [
            "", "SASL://", "h:0", "h:99999", "a:1,b:2", "user@h:1", "h:x",
        ] {
            assert!(BootstrapServer::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn accessors_read_the_response() {
        let r: Redemption = serde_json::from_value(response()).unwrap();
        assert_eq!(r.share_id(), "ss-12345");
        assert_eq!(
            r.bootstrap_server().to_string(),
            "pkc-abc.us-west-2.aws.confluent.cloud:9092"
        );
        assert_eq!(r.kafka_api_key(), "KAFKAKEY");
        assert_eq!(r.kafka_api_secret().expose_secret(), "kafka-s3cret");
        let sr = r.schema_registry().unwrap();
        assert_eq!(
            (sr.url, sr.api_key, sr.api_secret.expose_secret()),
            (
                "https://psrc-xyz.us-west-2.aws.confluent.cloud",
                "SRKEY",
                "sr-s3cret"
            )
        );
        assert_eq!(r.topics(), ["orders"]);
        assert_eq!(r.subjects(), ["orders-value"]);
        assert_eq!(r.group_prefix(), Some("stream-share.ss-12345"));
        assert_eq!(r.group_id(".app"), Some("stream-share.ss-12345.app".into()));
        assert_eq!(r.group_id("app"), Some("stream-share.ss-12345.app".into()));
        assert_eq!(r.group_id("-app"), Some("stream-share.ss-12345-app".into()));
        assert!(!r.has_blank_group_prefix());
        let mut v = response();
        v["resources"][1]["group_prefix"] = json!(" ");
        let blank: Redemption = serde_json::from_value(v).unwrap();
        assert_eq!(blank.group_prefix(), None);
        assert_eq!(blank.group_id(".app"), None);
        assert!(blank.has_blank_group_prefix());
        assert_eq!(r.unknown_resources().count(), 1);
    }

    #[test]
    fn round_trips_the_api_json_with_secrets_and_redacts_debug() {
        let r: Redemption = serde_json::from_value(response()).unwrap();
        let saved = serde_json::to_value(&r).unwrap();
        assert_eq!(
            saved,
            response(),
            "the API's shape, secrets and unknown kinds included"
        );
        let debug = format!("{r:?}");
        assert!(
            !debug.contains("kafka-s3cret") && !debug.contains("sr-s3cret"),
            "{debug}"
        );
    }

    #[test]
    fn newer_api_versions_and_kinds_decode_and_are_kept() {
        let mut v = response();
        v["api_version"] = json!("cdx/v2");
        v["kind"] = json!("RedeemTokenResponseV2");
        let bytes = serde_json::to_vec(&v).unwrap();
        let r = Redemption::try_from(decode_response(&bytes).unwrap()).unwrap();
        assert_eq!(r.share_id(), "ss-12345");
        let saved = serde_json::to_value(&r).unwrap();
        assert_eq!(saved["api_version"], "cdx/v2");
        assert_eq!(saved["kind"], "RedeemTokenResponseV2");
        let again: Redemption = serde_json::from_value(saved).unwrap();
        assert_eq!(again, r);
        // A string where an object belongs is still refused, with the strict error's position.
        let err = decode_response(br#"{"id": "ss-1", "metadata": "x"}"#).unwrap_err();
        assert_eq!(err.line(), 1, "{err}");
    }

    #[test]
    fn incomplete_responses_say_what_is_missing_and_keep_the_response() {
        let mut v = response();
        v.as_object_mut().unwrap().remove("secret");
        v["kafka_bootstrap_url"] = json!("SASL://");
        let raw: CdxV1RedeemTokenResponse = serde_json::from_value(v).unwrap();
        let err = Redemption::try_from(raw).unwrap_err();
        assert_eq!(err.missing.len(), 2, "{err}");
        assert_eq!(err.response.api_key.as_deref(), Some("KAFKAKEY"));
        let text = format!("{err} {err:?}");
        assert!(!text.contains("sr-s3cret"), "{text}");
    }
}
