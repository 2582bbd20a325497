//! Canned, spec-shaped response bodies (`cdx-client/cdx-v1.normalised.json`), built once before
//! the server starts, and checked to decode into the generated types.

use cdx_client::types;
use serde_json::{Value, json};

/// The number of consumer shares the pagination benchmark streams, and the page size.
pub const PAGE_SIZE: usize = 100;
pub const PAGES: usize = 100;
pub const TOTAL_SHARES: usize = PAGE_SIZE * PAGES;

const ORG: &str = "9bb441c4-edef-46ac-8a41-c49e44a3fd9a";
const API: &str = "https://api.confluent.cloud";

/// The id the get-share benchmark asks for.
pub const SHARE_ID: &str = "ss-00042";

/// A realistic token (opaque, a few hundred characters).
pub fn token() -> String {
    let mut t = String::from("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.");
    while t.len() < 360 {
        t.push_str("c2hhcmUtdG9rZW4tZm9yLWJlbmNobWFya3Mtb25seQ");
    }
    t.push_str(".sig_Q2RYLWJlbmNo");
    t
}

fn meta(self_url: String, crn: String) -> Value {
    json!({
        "self": self_url,
        "resource_name": crn,
        "created_at": "2024-05-01T12:00:00Z",
        "updated_at": "2024-05-01T12:30:00Z",
    })
}

/// One `cdx.v1.ConsumerShare`.
pub fn consumer_share(n: usize) -> Value {
    let id = format!("ss-{n:05}");
    json!({
        "api_version": "cdx/v1",
        "kind": "ConsumerShare",
        "id": id,
        "metadata": meta(
            format!("{API}/cdx/v1/consumer-shares/{id}"),
            format!("crn://confluent.cloud/organization={ORG}/consumer-share={id}"),
        ),
        "provider_organization_name": "Example Corp",
        "provider_user_name": "Jane Doe",
        "invite_expires_at": "2024-05-08T12:00:00Z",
        "consumer_organization_name": "Acme Analytics",
        "consumer_user_name": "John Smith",
        "consumer_user": {
            "id": "u-a1b2c3",
            "related": format!("{API}/iam/v2/users/u-a1b2c3"),
            "resource_name": format!("crn://confluent.cloud/organization={ORG}/user=u-a1b2c3"),
        },
        "status": { "phase": if n.is_multiple_of(7) { "INVITED" } else { "ACTIVE" } },
    })
}

/// One `cdx.v1.ConsumerSharedResource`.
fn consumer_shared_resource(n: usize) -> Value {
    let id = format!("sr-{n:05}");
    json!({
        "api_version": "cdx/v1",
        "kind": "ConsumerSharedResource",
        "id": id,
        "metadata": meta(
            format!("{API}/cdx/v1/consumer-shared-resources/{id}"),
            format!("crn://confluent.cloud/organization={ORG}/consumer-shared-resource={id}"),
        ),
        "cloud": "AWS",
        "network_connection_types": [],
        "display_name": "Stock Trades",
        "description": "This topic provides realtime data for the orders placed through the website",
        "tags": ["recent", "pending"],
        "schemas": [{
            "subject": "orders-value",
            "version": 1,
            "id": 100001,
            "schema_type": "AVRO",
            "schema": "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"double\"}]}",
        }],
        "organization_name": "ABC Corp",
        "organization_description": "ABC Corp is the biggest online retailer",
        "organization_contact": "jane.doe@example.com",
        "logo_url": format!("{API}/cdx/v1/consumer-shared-resources/{id}/images/logo"),
    })
}

/// `POST /cdx/v1/shared-tokens:redeem` → `cdx.v1.RedeemTokenResponse`.
pub fn redeem() -> Value {
    json!({
        "api_version": "cdx/v1",
        "kind": "RedeemTokenResponse",
        "id": "ss-12345",
        "metadata": meta(
            format!("{API}/cdx/v1/redeem-token-responses/rtr-12345"),
            format!("crn://confluent.cloud/organization={ORG}/redeem-token-response=rtr-12345"),
        ),
        "api_key": "KAFKAKEY7Q2XWRLM",
        "secret": "kS9vX2mQ7pL4tR8wZ1nB6cY3hJ5fD0gA2eU7iO9kS9vX2mQ7pL4tR8wZ1nB6cY3h",
        "kafka_bootstrap_url": "SASL://pkc-abc12.us-west-2.aws.confluent.cloud:9092",
        "schema_registry_api_key": "SRKEY4H7J2K9L1M3",
        "schema_registry_secret": "sR8tY2uI4oP6aS8dF0gH2jK4lZ6xC8vB0nM2qW4eR6tY8uI0oP2aS4dF6gH8jK0l",
        "schema_registry_url": "https://psrc-xyz12.us-west-2.aws.confluent.cloud",
        "resources": [
            {"kind": "Topic", "topic": "orders"},
            {"kind": "Topic", "topic": "payments"},
            {"kind": "Group", "group_prefix": "stream-share.ss-12345"},
            {"kind": "Subject", "subject": "orders-value"},
            {"kind": "Subject", "subject": "payments-value"},
        ],
    })
}

/// `POST /cdx/v1/shared-tokens:resources` → `{consumer_shared_resources: [...]}`.
pub fn inspect() -> Value {
    json!({ "consumer_shared_resources": [consumer_shared_resource(1), consumer_shared_resource(2)] })
}

/// `GET /cdx/v1/consumer-shares?page_token=p<page>` → one `cdx.v1.ConsumerShareList` page;
/// `next` is absolute and points at this server.
pub fn share_page(base: &str, page: usize) -> Value {
    let data: Vec<Value> = (0..PAGE_SIZE)
        .map(|i| consumer_share(page * PAGE_SIZE + i))
        .collect();
    let mut metadata = json!({
        "first": format!("{base}/cdx/v1/consumer-shares?page_size={PAGE_SIZE}"),
        "total_size": TOTAL_SHARES,
    });
    if page + 1 < PAGES {
        metadata["next"] = json!(format!(
            "{base}/cdx/v1/consumer-shares?page_size={PAGE_SIZE}&page_token=p{}",
            page + 1
        ));
    }
    if page > 0 {
        metadata["prev"] = json!(format!(
            "{base}/cdx/v1/consumer-shares?page_size={PAGE_SIZE}&page_token=p{}",
            page - 1
        ));
    }
    json!({
        "api_version": "cdx/v1",
        "kind": "ConsumerShareList",
        "metadata": metadata,
        "data": data,
    })
}

/// Every body, serialised, after checking that each decodes into its generated type (a bench
/// that measured decoding errors would measure nothing).
pub struct Bodies {
    pub redeem: Vec<u8>,
    pub inspect: Vec<u8>,
    pub share: Vec<u8>,
    pub pages: Vec<Vec<u8>>,
}

impl Bodies {
    pub fn build(base: &str) -> Bodies {
        fn encode<T: serde::de::DeserializeOwned>(what: &str, v: &Value) -> Vec<u8> {
            let bytes = serde_json::to_vec(v).expect("serialise");
            if let Err(e) = serde_json::from_slice::<T>(&bytes) {
                panic!("canned {what} body does not decode into the generated type: {e}");
            }
            bytes
        }
        let pages = (0..PAGES)
            .map(|p| encode::<types::CdxV1ConsumerShareList>("page", &share_page(base, p)))
            .collect();
        Bodies {
            redeem: encode::<types::CdxV1RedeemTokenResponse>("redeem", &redeem()),
            inspect: encode::<types::ResourcesCdxV1SharedTokenResponse>("inspect", &inspect()),
            share: encode::<types::CdxV1ConsumerShare>("consumer share", &consumer_share(42)),
            pages,
        }
    }
}
