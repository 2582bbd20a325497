//! Snapshots of every config format for a fixed redemption: with and without a consumer group
//! suffix, without Schema Registry access, and with secrets that need escaping.

use cdx_ext::Redemption;
use cdx_ext::config::{Format, RenderOptions, render};
use serde_json::{Value, json};

fn response() -> Value {
    json!({
        "api_version": "cdx/v1", "kind": "RedeemTokenResponse", "id": "ss-3vpvd",
        "api_key": "ABCDEFGHIJKLMNOP",
        "secret": "ABCD+hzdHX2aTWVT5+OcD0CPhzMPl+ScjpjBdPN8b1RZu2h9efHeZULkLACpVmko",
        "kafka_bootstrap_url": "SASL_SSL://pkc-abc123.us-central1.gcp.confluent.cloud:9092",
        "schema_registry_api_key": "EXAMPLE6THZZR5GY",
        "schema_registry_secret": "g13tSFeALOM2nPpaF+V368MG+JNPxOoUbDKlFTPB2kRabTgf3vO9jtvClexample",
        "schema_registry_url": "https://psrc-1a2xyz.us-central1.gcp.confluent.cloud",
        "resources": [
            {"kind": "Topic", "topic": "Users"},
            {"kind": "Topic", "topic": "orders.v1"},
            {"kind": "Group", "group_prefix": "stream-share.ss-3vpvd"},
            {"kind": "Subject", "subject": "Users-value"}
        ]
    })
}

fn redemption(v: Value) -> Redemption {
    serde_json::from_value(v).expect("a valid redemption")
}

fn no_suffix() -> RenderOptions {
    RenderOptions::default()
}

fn suffix() -> RenderOptions {
    RenderOptions {
        group_suffix: Some(".billing".into()),
        ..Default::default()
    }
}

fn snapshot(case: &str, r: &Redemption, options: &RenderOptions, formats: &[Format]) {
    for &format in formats {
        let text = render(r, format, options).unwrap_or_else(|e| panic!("{case} {format}: {e}"));
        assert_eq!(
            text,
            render(r, format, options).unwrap(),
            "deterministic output"
        );
        insta::assert_snapshot!(format!("{format}_{case}"), text);
    }
}

#[test]
fn with_schema_registry() {
    snapshot("sr", &redemption(response()), &no_suffix(), &Format::ALL);
}

#[test]
fn with_a_group_suffix() {
    snapshot("sr_group", &redemption(response()), &suffix(), &Format::ALL);
}

#[test]
fn without_schema_registry() {
    let mut v = response();
    for key in [
        "schema_registry_api_key",
        "schema_registry_secret",
        "schema_registry_url",
    ] {
        v.as_object_mut().unwrap().remove(key);
    }
    v["resources"] = json!([
        {"kind": "Topic", "topic": "Users"},
        {"kind": "Group", "group_prefix": "stream-share.ss-3vpvd"}
    ]);
    snapshot("no_sr", &redemption(v), &suffix(), &Format::ALL);
}

#[test]
fn secrets_that_need_escaping() {
    let mut v = response();
    v["api_key"] = json!(" KEY=1:#!");
    v["secret"] = json!("pa\"ss'w\\0rd/*x*/ //;\tnew\nline caf\u{e9} \u{1F600} ");
    v["schema_registry_secret"] = json!("sr\\secret\"\u{20ac}");
    v["resources"][0] = json!({"kind": "Topic", "topic": "evil\n# injected=1"});
    snapshot(
        "escaped",
        &redemption(v),
        &suffix(),
        &[Format::Java, Format::SpringBoot, Format::Json],
    );
}
