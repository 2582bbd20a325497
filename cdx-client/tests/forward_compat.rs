//! The generated types accept what a newer server sends: unknown fields, unknown values of open
//! enums and unknown union kinds decode, and the raw values are kept.

use cdx_client::types::*;
use serde_json::json;

#[test]
fn unknown_fields_are_ignored_everywhere() {
    let share: CdxV1ConsumerShare = serde_json::from_value(json!({
        "id": "ss-1", "x_new_top_level": {"a": 1},
        "status": {"phase": "ACTIVE", "x_new_nested": true},
        "consumer_user": {"id": "u-1", "related": "https://x", "resource_name": "crn://x", "x_more": []},
    }))
    .unwrap();
    assert_eq!(share.id.as_deref(), Some("ss-1"));
    assert_eq!(
        share.status.unwrap().phase,
        CdxV1ConsumerShareStatusPhase::Active
    );

    let failure: Failure = serde_json::from_value(json!({
        "errors": [{"status": "400", "code": "invalid_filter", "x_trace": "abc"}]
    }))
    .unwrap();
    assert_eq!(failure.errors[0].code.as_deref(), Some("invalid_filter"));
}

#[test]
fn unknown_enum_values_are_kept_raw() {
    let share: CdxV1ConsumerShare =
        serde_json::from_value(json!({"status": {"phase": "SUSPENDED"}})).unwrap();
    let phase = share.status.unwrap().phase;
    assert_eq!(
        phase,
        CdxV1ConsumerShareStatusPhase::Unknown("SUSPENDED".into())
    );
    assert_eq!(phase.to_string(), "SUSPENDED");
    assert_eq!(serde_json::to_value(&phase).unwrap(), json!("SUSPENDED"));

    let resource: CdxV1ConsumerSharedResource = serde_json::from_value(json!({
        "cloud": "ORACLE", "network_connection_types": ["PRIVATELINK", "TRANSIT_GATEWAY"]
    }))
    .unwrap();
    assert_eq!(resource.cloud, Some(CdxV1Cloud::Unknown("ORACLE".into())));
    let types = serde_json::to_value(&resource.network_connection_types).unwrap();
    assert_eq!(types, json!(["PRIVATELINK", "TRANSIT_GATEWAY"]));

    let share: CdxV1ProviderShare =
        serde_json::from_value(json!({"delivery_method": "CARRIER_PIGEON"})).unwrap();
    assert_eq!(
        share.delivery_method,
        Some(CdxV1ProviderShareDeliveryMethod::Unknown(
            "CARRIER_PIGEON".into()
        ))
    );
    // Values differing only in case are kept as sent (lossless), not folded.
    let share: CdxV1ProviderShare =
        serde_json::from_value(json!({"delivery_method": "Email"})).unwrap();
    assert_eq!(share.delivery_method.unwrap().as_str(), "Email");
}

#[test]
fn unknown_union_kinds_are_kept_raw() {
    let redeemed: CdxV1RedeemTokenResponse = serde_json::from_value(json!({
        "id": "ss-1",
        "resources": [
            {"kind": "Topic", "topic": "orders"},
            {"kind": "Connector", "connector": "c-1", "config": {"x": 1}},
            {"no_kind_at_all": true}
        ]
    }))
    .unwrap();
    assert!(
        matches!(&redeemed.resources[0], CdxV1RedeemTokenResponseResourcesItem::Topic(t) if t.topic == "orders")
    );
    let CdxV1RedeemTokenResponseResourcesItem::Unknown(raw) = &redeemed.resources[1] else {
        panic!("{:?}", redeemed.resources[1])
    };
    assert_eq!(raw["connector"], "c-1");
    assert_eq!(redeemed.resources[1].kind(), Some("Connector"));
    assert_eq!(redeemed.resources[2].kind(), None);
    // Re-serialising gives back exactly what came.
    assert_eq!(
        serde_json::to_value(&redeemed.resources[1]).unwrap(),
        json!({"kind": "Connector", "connector": "c-1", "config": {"x": 1}})
    );

    let network: CdxV1Network =
        serde_json::from_value(json!({"cloud": {"kind": "OracleNetwork", "ocid": "o1"}})).unwrap();
    assert_eq!(
        network.cloud.as_ref().and_then(|c| c.kind()),
        Some("OracleNetwork")
    );
    let network: CdxV1Network = serde_json::from_value(json!({"cloud": {"kind": "AwsNetwork", "private_link_endpoint_service": "com.amazonaws.vpce.x"}})).unwrap();
    assert!(matches!(
        network.cloud,
        Some(CdxV1NetworkCloud::AwsNetwork(_))
    ));

    let share: CdxV1ProviderShare = serde_json::from_value(
        json!({"consumer_restriction": {"kind": "Domain", "domain": "example.com"}}),
    )
    .unwrap();
    assert!(matches!(
        share.consumer_restriction,
        Some(CdxV1ProviderShareConsumerRestriction::Unknown(_))
    ));
}

#[test]
fn a_known_kind_with_a_broken_body_is_an_error_not_a_silent_unknown() {
    let err = serde_json::from_value::<CdxV1RedeemTokenResponse>(
        json!({"resources": [{"kind": "Topic"}]}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("kind Topic"), "{err}");
}

#[test]
fn secrets_never_print() {
    let redeemed: CdxV1RedeemTokenResponse = serde_json::from_value(json!({
        "api_key": "KEY", "secret": "kafka-s3cret", "schema_registry_secret": "sr-s3cret"
    }))
    .unwrap();
    let printed = format!(
        "{redeemed:?} {redeemed:#?} {}",
        redeemed.secret.as_ref().unwrap()
    );
    assert!(!printed.contains("s3cret"), "{printed}");
    assert_eq!(
        redeemed.secret.as_ref().unwrap().expose_secret(),
        "kafka-s3cret"
    );
    // Serialising keeps the value: a saved redemption must still work.
    assert_eq!(
        serde_json::to_value(&redeemed).unwrap()["secret"],
        "kafka-s3cret"
    );
}

#[test]
fn types_describe_themselves_as_json_schema() {
    let schema = serde_json::to_value(schemars::schema_for!(CdxV1RedeemTokenResponse)).unwrap();
    assert!(schema["properties"]["resources"].is_object(), "{schema}");
    let cloud = serde_json::to_value(schemars::schema_for!(CdxV1Cloud)).unwrap();
    assert_eq!(cloud["enum"], json!(["AWS", "AZURE", "GCP"]));
}
