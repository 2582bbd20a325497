//! The generated types accept what a newer (or sloppier) server sends: unknown fields, unknown
//! values of open enums and unknown union kinds decode and are kept raw; fields the spec marks
//! required may be missing.

use cdx_client::types::*;
use serde_json::json;

#[test]
fn unknown_fields_are_kept_everywhere() {
    let sent = json!({
        "id": "ss-1", "x_new_top_level": {"a": 1},
        "status": {"phase": "ACTIVE", "x_new_nested": true},
        "consumer_user": {"id": "u-1", "related": "https://x", "resource_name": "crn://x", "x_more": []},
    });
    let share: CdxV1ConsumerShare = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(share.id.as_deref(), Some("ss-1"));
    let status = share.status.as_ref().unwrap();
    assert_eq!(status.phase, Some(CdxV1ConsumerShareStatusPhase::Active));
    assert_eq!(status.extra["x_new_nested"], true);
    assert_eq!(share.extra["x_new_top_level"], json!({"a": 1}));
    // Serialising gives back what came, new fields included.
    assert_eq!(serde_json::to_value(&share).unwrap(), sent);

    let failure: Failure = serde_json::from_value(json!({
        "errors": [{"status": "400", "code": "invalid_filter", "x_trace": "abc"}]
    }))
    .unwrap();
    let errors = failure.errors.unwrap();
    assert_eq!(errors[0].code.as_deref(), Some("invalid_filter"));
    assert_eq!(errors[0].extra["x_trace"], "abc");

    let redeemed: CdxV1RedeemTokenResponse = serde_json::from_value(json!({
        "id": "ss-1", "secret": "s", "kafka_rest_url": "https://pkc-1.example:443"
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&redeemed).unwrap()["kafka_rest_url"],
        "https://pkc-1.example:443",
        "a saved redemption keeps what a newer API adds"
    );
}

#[test]
fn fields_the_spec_requires_may_be_missing() {
    // Confluent's own CLI mock leaves most of these out; a response must not be rejected whole.
    let list: CdxV1ConsumerShareList = serde_json::from_value(
        json!({"data": [{"id": "ss-1", "status": {}, "consumer_user": {"id": "u-1"}}]}),
    )
    .unwrap();
    let share = &list.data.as_ref().unwrap()[0];
    assert_eq!(share.status.as_ref().unwrap().phase, None);
    assert_eq!(share.consumer_user.as_ref().unwrap().related, None);
    assert!(list.metadata.is_none() && list.api_version.is_none() && list.kind.is_none());

    let empty: CdxV1ConsumerShareList = serde_json::from_value(json!({})).unwrap();
    assert!(empty.data.is_none());
    let meta: ObjectMeta =
        serde_json::from_value(json!({"created_at": "2026-11-30T10:00:00Z"})).unwrap();
    assert!(meta.self_.is_none());
    let failure: Failure = serde_json::from_value(json!({})).unwrap();
    assert!(failure.errors.is_none());
}

#[test]
fn unknown_enum_values_are_kept_raw() {
    let share: CdxV1ConsumerShare =
        serde_json::from_value(json!({"status": {"phase": "SUSPENDED"}})).unwrap();
    let phase = share.status.unwrap().phase.unwrap();
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
        matches!(&redeemed.resources[0], CdxV1RedeemTokenResponseResourcesItem::Topic(t) if t.topic.as_deref() == Some("orders"))
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
        json!({"resources": [{"kind": "Topic", "topic": 42}]}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("kind Topic"), "{err}");
}

#[test]
fn share_tokens_never_print_in_requests() {
    let body = CdxV1RedeemTokenRequest {
        token: Secret::new("tok-s3cret"),
        aws_account: Some("000000000000".into()),
        azure_subscription: None,
        gcp_project: None,
    };
    assert!(!format!("{body:?} {body:#?}").contains("s3cret"));
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"token": "tok-s3cret", "aws_account": "000000000000"}),
        "the wire carries the token, and only the fields that are set"
    );
    let inspect = CdxV1SharedToken {
        token: Secret::new("tok-s3cret"),
    };
    assert!(!format!("{inspect:?}").contains("s3cret"));
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
