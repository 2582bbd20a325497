//! Test fixtures shared by the unit tests of several modules.

use serde_json::{Value, json};

/// A complete redeem answer: a topic, a group prefix and a subject, with Schema Registry.
/// Tests change what they look at.
pub(crate) fn redeem_answer() -> Value {
    json!({
        "api_version": "cdx/v1", "kind": "RedeemTokenResponse", "id": "ss-12345",
        "api_key": "KAFKAKEY", "secret": "kafka-s3cret",
        "kafka_bootstrap_url": "SASL://pkc-abc.us-west-2.aws.confluent.cloud:9092",
        "schema_registry_api_key": "SRKEY", "schema_registry_secret": "sr-s3cret",
        "schema_registry_url": "https://psrc-xyz.us-west-2.aws.confluent.cloud",
        "resources": [
            {"kind": "Topic", "topic": "orders"},
            {"kind": "Group", "group_prefix": "stream-share.ss-12345"},
            {"kind": "Subject", "subject": "orders-value"}
        ]
    })
}

/// Headers of a 401 whose `WWW-Authenticate` challenge describes the problem.
pub(crate) fn auth_challenge_headers() -> reqwest::header::HeaderMap {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert(
        "www-authenticate",
        r#"Basic error="invalid_key", error_description="The API Key is invalid""#
            .parse()
            .unwrap(),
    );
    h
}
