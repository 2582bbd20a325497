//! Every `FaultAction` is observable over HTTP, and faults are consumed first-in first-out; a
//! body that breaks off is also shown to reach cdx-ext as a typed transport error.

use cdx_ext::Operation;
use std::time::{Duration, Instant};

use cdx_ext::{ConsumerShareFilter, Error, ShareToken};
use cdx_sim::{Fault, FaultAction, Invite, SimConfig, Simulator};
use cdx_tests::clients::consumer;
use reqwest::Response;
use serde_json::{Value, json};

const REDEEM: Operation = Operation::RedeemSharedToken;
const LIST_SHARES: Operation = Operation::ListConsumerShares;

struct Api {
    sim: Simulator,
    http: reqwest::Client,
    invite: Invite,
}

impl Api {
    async fn start() -> Api {
        let sim = Simulator::start(SimConfig::default()).await;
        let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
        Api {
            sim,
            http: reqwest::Client::new(),
            invite,
        }
    }

    fn fault(&self, operation: Operation, action: FaultAction) {
        self.sim.inject(Fault {
            operation_id: Some(operation),
            times: 1,
            action,
        });
    }

    async fn list(&self) -> reqwest::Result<Response> {
        self.http
            .get(format!("{}/cdx/v1/consumer-shares", self.sim.base_url()))
            .basic_auth("CONSUMERKEY", Some("consumer-secret"))
            .send()
            .await
    }

    async fn get(&self, provider: bool, path: &str) -> Response {
        let (k, s) = if provider {
            ("PROVIDERKEY", "provider-secret")
        } else {
            ("CONSUMERKEY", "consumer-secret")
        };
        self.http
            .get(format!("{}{path}", self.sim.base_url()))
            .basic_auth(k, Some(s))
            .send()
            .await
            .unwrap()
    }

    /// The provider's view of the invitation's share.
    async fn provider_share(&self) -> Value {
        let r = self.get(true, "/cdx/v1/provider-shares/ss-00001").await;
        r.json().await.unwrap()
    }

    /// The consumer's view of the invitation's shared resource, or of its `:network`.
    async fn consumer_resource(&self, suffix: &str) -> Value {
        let path = format!(
            "/cdx/v1/consumer-shared-resources/{}{suffix}",
            self.invite.shared_resource_id
        );
        self.get(false, &path).await.json().await.unwrap()
    }

    async fn redeem(&self, extra: Value) -> reqwest::Result<Response> {
        let mut body = json!({ "token": self.invite.token });
        if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
            b.extend(e);
        }
        self.http
            .post(format!(
                "{}/cdx/v1/shared-tokens:redeem",
                self.sim.base_url()
            ))
            .basic_auth("CONSUMERKEY", Some("consumer-secret"))
            .json(&body)
            .send()
            .await
    }

    async fn phase(&self) -> String {
        let v = self.provider_share().await;
        v["status"]["phase"].as_str().unwrap().to_string()
    }
}

fn header<'a>(r: &'a Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn status_faults_answer_a_failure_body_without_processing() {
    let api = Api::start().await;
    api.fault(REDEEM, FaultAction::Status(503));
    let r = api.redeem(json!({})).await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(header(&r, "x-request-id").is_some());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["status"], "503");
    assert_eq!(api.phase().await, "INVITED", "not processed");
    assert_eq!(api.sim.count(REDEEM), 1);

    api.fault(REDEEM, FaultAction::Status(401));
    let r = api.redeem(json!({})).await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(header(&r, "www-authenticate").is_some());

    api.fault(REDEEM, FaultAction::Status(429));
    let r = api.redeem(json!({})).await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(header(&r, "retry-after"), Some("1"));
    for h in [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ] {
        assert!(header(&r, h).is_some(), "{h}");
    }
    assert!(r.bytes().await.unwrap().is_empty());

    // The next redeem is processed.
    assert_eq!(api.redeem(json!({})).await.unwrap().status(), 200);
    assert_eq!(api.sim.count(REDEEM), 4);
}

#[tokio::test]
async fn rate_limited_fault_sends_exactly_the_given_headers() {
    let api = Api::start().await;
    api.fault(
        LIST_SHARES,
        FaultAction::RateLimited {
            retry_after: None,
            reset: Some(7),
        },
    );
    api.fault(
        LIST_SHARES,
        FaultAction::RateLimited {
            retry_after: Some(3),
            reset: None,
        },
    );
    let r = api.list().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(header(&r, "retry-after"), None);
    assert_eq!(header(&r, "x-ratelimit-reset"), Some("7"));
    let r = api.list().await.unwrap();
    assert_eq!(header(&r, "retry-after"), Some("3"));
    assert_eq!(header(&r, "x-ratelimit-reset"), None);
    assert_eq!(api.list().await.unwrap().status(), 200);
}

#[tokio::test]
async fn html_and_non_json_bodies() {
    let api = Api::start().await;
    api.fault(LIST_SHARES, FaultAction::Html(502));
    api.fault(LIST_SHARES, FaultAction::NonJson(503));
    api.fault(LIST_SHARES, FaultAction::Json(418, json!({"teapot": true})));
    let r = api.list().await.unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(header(&r, "content-type"), Some("text/html"));
    assert!(r.text().await.unwrap().contains("<h1>502 Bad Gateway</h1>"));
    let r = api.list().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(header(&r, "content-type"), Some("text/plain"));
    assert_eq!(
        r.text().await.unwrap(),
        "upstream connect error or disconnect/reset before headers"
    );
    let r = api.list().await.unwrap();
    assert_eq!(r.status(), 418);
    assert!(header(&r, "x-request-id").is_some());
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"teapot": true}));
}

#[tokio::test]
async fn truncate_sends_half_the_body_with_a_matching_length() {
    let api = Api::start().await;
    let full = api.list().await.unwrap().bytes().await.unwrap();
    api.fault(LIST_SHARES, FaultAction::Truncate);
    let r = api.list().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.content_length(), Some((full.len() / 2) as u64));
    let half = r.bytes().await.unwrap();
    assert_eq!(&half[..], &full[..full.len() / 2]);
    assert!(serde_json::from_slice::<Value>(&half).is_err());
}

#[tokio::test]
async fn break_body_announces_the_whole_length_then_breaks_off() {
    let api = Api::start().await;
    let full = api.list().await.unwrap().bytes().await.unwrap();
    api.fault(LIST_SHARES, FaultAction::BreakBody);
    let mut r = api.list().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(header(&r, "x-request-id").is_some());
    assert_eq!(r.content_length(), Some(full.len() as u64));
    let mut received = Vec::new();
    let err = loop {
        match r.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => panic!("the body ended normally after {} bytes", received.len()),
            Err(e) => break e,
        }
    };
    assert!(err.is_body() || err.is_decode(), "{err:?}");
    // At most the first half arrived (the reset may discard what was not read yet).
    assert!(received.len() <= full.len() / 2, "{} bytes", received.len());
    assert!(full.starts_with(&received));

    // The request was processed: a redeem whose answer broke off still happened.
    api.fault(REDEEM, FaultAction::BreakBody);
    let r = api.redeem(json!({})).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.is_err());
    assert_eq!(api.phase().await, "ACTIVE");
}

#[tokio::test]
async fn cdx_ext_reports_a_broken_body_as_a_transport_error_and_never_resends_a_redeem() {
    let api = Api::start().await;
    let token = ShareToken::new(&api.invite.token).unwrap();
    api.fault(REDEEM, FaultAction::BreakBody);
    let err = consumer(&api.sim).redeem(&token, None).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                not_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("broke off"), "{message}");
    assert!(message.contains("may have been redeemed"), "{message}");
    for secret in [api.invite.token.as_str(), "consumer-secret"] {
        assert!(!message.contains(secret) && !format!("{err:?}").contains(secret));
    }
    assert_eq!(
        api.sim.count(REDEEM),
        1,
        "it reached the server: not resent"
    );
    assert_eq!(api.phase().await, "ACTIVE");

    // A read is safe to repeat: it is retried and succeeds.
    api.fault(LIST_SHARES, FaultAction::BreakBody);
    let page = consumer(&api.sim)
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(api.sim.count(LIST_SHARES), 2);
}

#[tokio::test]
async fn delay_processes_then_answers_late() {
    let api = Api::start().await;
    api.fault(REDEEM, FaultAction::Delay(Duration::from_millis(400)));
    // A client that gives up early: the redeem still happened.
    let r = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap()
        .post(format!(
            "{}/cdx/v1/shared-tokens:redeem",
            api.sim.base_url()
        ))
        .basic_auth("CONSUMERKEY", Some("consumer-secret"))
        .json(&json!({ "token": api.invite.token }))
        .send()
        .await;
    assert!(r.unwrap_err().is_timeout());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(api.phase().await, "ACTIVE");

    api.fault(LIST_SHARES, FaultAction::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    let r = api.list().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn reset_drops_the_connection_without_processing() {
    let api = Api::start().await;
    api.fault(REDEEM, FaultAction::Reset);
    let err = api.redeem(json!({})).await.unwrap_err();
    assert!(!err.is_timeout() && !err.is_status(), "{err:?}");
    assert_eq!(api.sim.requests()[0].status, None, "no answer was given");
    assert_eq!(api.phase().await, "INVITED");
    assert_eq!(api.sim.count(REDEEM), 1);
    assert_eq!(api.redeem(json!({})).await.unwrap().status(), 200);
}

#[tokio::test]
async fn reset_after_processing_changes_state_then_drops_the_connection() {
    let api = Api::start().await;
    api.fault(REDEEM, FaultAction::ResetAfterProcessing);
    let err = api.redeem(json!({})).await.unwrap_err();
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(api.phase().await, "ACTIVE");
    // Retrying the same token now conflicts.
    assert_eq!(api.redeem(json!({})).await.unwrap().status(), 409);
}

#[tokio::test]
async fn unknown_fields_are_added_everywhere() {
    let api = Api::start().await;
    api.fault(LIST_SHARES, FaultAction::UnknownFields);
    let v: Value = api.list().await.unwrap().json().await.unwrap();
    assert!(v["x_future_field"].is_object());
    assert!(v["metadata"]["x_future_field"].is_object());
    assert!(v["data"][0]["x_future_field"].is_object());
    assert!(v["data"][0]["status"]["x_future_field"].is_object());
    assert_eq!(v["data"][0]["status"]["phase"], "INVITED");
}

#[tokio::test]
async fn unknown_enum_values_replace_the_open_enums() {
    let api = Api::start().await;
    api.fault(LIST_SHARES, FaultAction::UnknownEnumValues);
    let v: Value = api.list().await.unwrap().json().await.unwrap();
    assert_eq!(v["data"][0]["status"]["phase"], "SUSPENDED");

    api.fault(
        Operation::GetConsumerSharedResource,
        FaultAction::UnknownEnumValues,
    );
    let v = api.consumer_resource("").await;
    assert_eq!(v["cloud"], "ORACLE");
    assert_eq!(v["network_connection_types"], json!(["TRANSIT_GATEWAY"]));

    api.fault(Operation::GetProviderShare, FaultAction::UnknownEnumValues);
    let v = api.provider_share().await;
    assert_eq!(v["delivery_method"], "CARRIER_PIGEON");
    assert_eq!(v["status"]["phase"], "SUSPENDED");
}

#[tokio::test]
async fn unknown_union_kinds_appear_in_each_union() {
    let api = Api::start().await;
    api.fault(REDEEM, FaultAction::UnknownUnionKinds);
    let v: Value = api.redeem(json!({})).await.unwrap().json().await.unwrap();
    let resources = v["resources"].as_array().unwrap();
    assert_eq!(
        resources.last().unwrap(),
        &json!({"kind": "Connector", "connector": "c1"})
    );
    assert_eq!(resources[0], json!({"kind": "Topic", "topic": "orders"}));

    api.fault(
        Operation::NetworkConsumerSharedResource,
        FaultAction::UnknownUnionKinds,
    );
    let v = api.consumer_resource(":network").await;
    assert_eq!(v["cloud"]["kind"], "OracleNetwork");

    api.fault(Operation::GetProviderShare, FaultAction::UnknownUnionKinds);
    let v = api.provider_share().await;
    assert_eq!(
        v["consumer_restriction"],
        json!({"kind": "Domain", "domain": "example.com"})
    );
}

#[tokio::test]
async fn faults_are_fifo_per_matching_request_and_clearable() {
    let api = Api::start().await;
    // Any operation, twice; then one for the list only.
    api.sim.inject(Fault {
        operation_id: None,
        times: 2,
        action: FaultAction::Status(500),
    });
    api.fault(LIST_SHARES, FaultAction::Status(502));
    // A redeem consumes one use of the first fault.
    assert_eq!(api.redeem(json!({})).await.unwrap().status(), 500);
    assert_eq!(api.list().await.unwrap().status(), 500);
    assert_eq!(api.list().await.unwrap().status(), 502);
    assert_eq!(api.list().await.unwrap().status(), 200);
    assert_eq!(api.sim.count(LIST_SHARES), 3);

    api.fault(LIST_SHARES, FaultAction::Status(500));
    api.sim.clear_faults();
    assert_eq!(api.list().await.unwrap().status(), 200);

    // The log: every request, in order, with its operation.
    let log = api.sim.requests();
    assert_eq!(log.len(), 5);
    assert_eq!(log[0].operation_id, Some(REDEEM));
    assert_eq!(log[0].method, "POST");
    assert_eq!(log[0].status, Some(500));
    assert_eq!(log[4].status, Some(200));
    assert_eq!(log[0].path, "/cdx/v1/shared-tokens:redeem");
    let body: Value = serde_json::from_slice(&log[0].body).unwrap();
    assert_eq!(body["token"], api.invite.token.as_str());
    assert!(
        log[0]
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == "<redacted>")
    );
}
