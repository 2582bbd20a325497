//! The simulator over plain HTTP (reqwest): authentication, the provider and consumer journeys,
//! private networking, pagination, rate limits and the `cdx-sim` binary.

use cdx_ext::Operation;
use std::time::Duration;

use cdx_sim::{Invite, RateLimit, SimConfig, Simulator};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

const SUBJECT_CRN: &str = "crn://confluent.cloud/organization=org-acme/environment=env-7/schema-registry=lsrc-1/subject=orders-value";

fn topic_crn(topic: &str) -> String {
    format!(
        "crn://confluent.cloud/organization=org-acme/environment=env-7/schema-registry=lsrc-1/kafka=lkc-7/topic={topic}"
    )
}

/// Who sends a request.
#[derive(Clone, Copy)]
enum As {
    Provider,
    Consumer,
    Bearer(&'static str),
    Nobody,
}

struct Api {
    sim: Simulator,
    http: reqwest::Client,
}

impl Api {
    async fn start(config: SimConfig) -> Api {
        Api {
            sim: Simulator::start(config).await,
            http: reqwest::Client::new(),
        }
    }

    fn request(&self, who: As, method: Method, path: &str) -> reqwest::RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.sim.base_url())
        };
        let rb = self.http.request(method, url);
        let cfg = self.sim.config();
        match who {
            As::Provider => rb.basic_auth(&cfg.provider_key.0, Some(&cfg.provider_key.1)),
            As::Consumer => rb.basic_auth(&cfg.consumer_key.0, Some(&cfg.consumer_key.1)),
            As::Bearer(t) => rb.bearer_auth(t),
            As::Nobody => rb,
        }
    }

    async fn get(&self, who: As, path: &str) -> Response {
        self.request(who, Method::GET, path).send().await.unwrap()
    }

    async fn post(&self, who: As, path: &str, body: Value) -> Response {
        self.request(who, Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn patch(&self, who: As, path: &str, body: Value) -> Response {
        self.request(who, Method::PATCH, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn delete(&self, who: As, path: &str) -> Response {
        self.request(who, Method::DELETE, path)
            .send()
            .await
            .unwrap()
    }

    /// GET that must answer 200; its JSON.
    async fn ok(&self, who: As, path: &str) -> Value {
        json_of(self.get(who, path).await, 200).await
    }

    async fn opt_in(&self) {
        let r = self
            .patch(
                As::Provider,
                "/cdx/v1/opt-in",
                json!({"stream_share_enabled": true}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }

    /// A redeem with `body`, as the consumer.
    async fn redeem(&self, body: Value) -> Response {
        self.post(As::Consumer, "/cdx/v1/shared-tokens:redeem", body)
            .await
    }

    /// An inspection of `token`, as the consumer.
    async fn inspect(&self, token: &str) -> Response {
        self.post(
            As::Consumer,
            "/cdx/v1/shared-tokens:resources",
            json!({"token": token}),
        )
        .await
    }

    async fn invite(&self, email: &str, resources: &[String]) -> Response {
        self.post(
            As::Provider,
            "/cdx/v1/provider-shares",
            json!({
                "consumer_restriction": {"kind": "Email", "email": email},
                "delivery_method": "Email",
                "resources": resources,
            }),
        )
        .await
    }
}

fn header<'a>(r: &'a Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Asserts the status and returns the JSON body.
async fn json_of(r: Response, status: u16) -> Value {
    let got = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(got.as_u16(), status, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts an error status and returns its first `errors` item.
async fn error_of(r: Response, status: u16) -> Value {
    assert!(header(&r, "x-request-id").is_some());
    let body = json_of(r, status).await;
    let e = body["errors"][0].clone();
    assert_eq!(e["status"], status.to_string(), "{body}");
    assert!(e["detail"].as_str().is_some_and(|d| !d.is_empty()));
    e
}

#[tokio::test]
async fn authentication_failures_are_401_with_a_challenge() {
    let api = Api::start(SimConfig::default()).await;
    let r = api.get(As::Nobody, "/cdx/v1/consumer-shares").await;
    assert_eq!(
        header(&r, "www-authenticate"),
        Some(r#"Basic error="invalid_key", error_description="The API Key is invalid""#)
    );
    let e = error_of(r, 401).await;
    assert_eq!(e["code"], "user_unauthenticated");

    let r = api
        .request(As::Nobody, Method::GET, "/cdx/v1/provider-shares")
        .basic_auth("PROVIDERKEY", Some("wrong"))
        .send()
        .await
        .unwrap();
    assert!(
        header(&r, "www-authenticate")
            .unwrap()
            .starts_with("Basic ")
    );
    error_of(r, 401).await;

    // Bearer tokens: provider operations only.
    let bearer = As::Bearer("provider-access-token");
    for (path, status) in [
        ("/cdx/v1/provider-shares", 200),
        ("/cdx/v1/opt-in", 200),
        ("/cdx/v1/consumer-shares", 401),
    ] {
        assert_eq!(api.get(bearer, path).await.status(), status, "{path}");
    }
    let r = api
        .post(
            bearer,
            "/cdx/v1/shared-tokens:redeem",
            json!({"token": "x"}),
        )
        .await;
    error_of(r, 401).await;
    let r = api
        .get(As::Bearer("forged"), "/cdx/v1/provider-shares")
        .await;
    assert!(
        header(&r, "www-authenticate")
            .unwrap()
            .starts_with("Bearer ")
    );
    error_of(r, 401).await;

    // Auth comes before everything else, even a 404.
    let r = api
        .get(As::Nobody, "/cdx/v1/provider-shares/ss-99999")
        .await;
    error_of(r, 401).await;
    // The request log redacts credentials.
    let log = api.sim.requests();
    assert!(log.iter().all(|r| {
        r.headers
            .iter()
            .all(|(k, v)| k != "authorization" || v == "<redacted>")
    }));
    assert_eq!(log[0].operation_id, Some(Operation::ListConsumerShares));
}

#[tokio::test]
async fn routing_errors_and_request_ids() {
    let api = Api::start(SimConfig::default()).await;
    let r = api.get(As::Provider, "/cdx/v1/nothing-here").await;
    error_of(r, 404).await;
    let r = api
        .request(As::Provider, Method::PUT, "/cdx/v1/opt-in")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "allow"), Some("GET, PATCH"));
    error_of(r, 405).await;
    let a = api.get(As::Provider, "/cdx/v1/opt-in").await;
    let b = api.get(As::Provider, "/cdx/v1/opt-in").await;
    assert_ne!(header(&a, "x-request-id"), header(&b, "x-request-id"));
    for r in [&a, &b] {
        for h in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            assert!(header(r, h).unwrap().parse::<u64>().is_ok(), "{h}");
        }
    }
}

/// The address the provider journeys invite, and what they share.
const EMAIL: &str = "consumer@partner.example";

fn shared() -> Vec<String> {
    vec![topic_crn("orders"), SUBJECT_CRN.to_string()]
}

/// A provider opted in who invited [`EMAIL`] to [`shared`]: the share's JSON and its
/// `Location`.
async fn invited(api: &Api) -> (Value, String) {
    api.opt_in().await;
    let r = api.invite(EMAIL, &shared()).await;
    let location = header(&r, "location").unwrap().to_string();
    (json_of(r, 201).await, location)
}

#[tokio::test]
async fn a_provider_must_opt_in_before_inviting() {
    let api = Api::start(SimConfig::default()).await;
    assert_eq!(
        api.ok(As::Provider, "/cdx/v1/opt-in").await,
        json!({"api_version": "cdx/v1", "kind": "OptIn", "stream_share_enabled": false})
    );
    let e = error_of(api.invite(EMAIL, &shared()).await, 403).await;
    assert_eq!(e["code"], "user_unauthorized");
    api.opt_in().await;
    assert_eq!(api.invite(EMAIL, &shared()).await.status(), 201);
}

#[tokio::test]
async fn bad_invitations_are_refused_with_a_pointer_to_the_field() {
    let api = Api::start(SimConfig::default()).await;
    api.opt_in().await;
    let r = api
        .request(As::Provider, Method::POST, "/cdx/v1/provider-shares")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r, 400).await["source"]["pointer"], "");
    let restriction = json!({"kind": "Email", "email": EMAIL});
    for (body, pointer) in [
        (
            json!({"delivery_method": "EMAIL", "resources": shared()}),
            "/consumer_restriction",
        ),
        (
            json!({"consumer_restriction": restriction, "delivery_method": 7, "resources": shared()}),
            "/delivery_method",
        ),
    ] {
        let r = api
            .post(As::Provider, "/cdx/v1/provider-shares", body)
            .await;
        assert_eq!(error_of(r, 400).await["source"]["pointer"], pointer);
    }
    let r = api
        .invite(EMAIL, &["crn://confluent.cloud/kafka=lkc-1".to_string()])
        .await;
    assert_eq!(error_of(r, 422).await["source"]["pointer"], "/resources/0");
    let r = api.invite("not-an-email", &shared()).await;
    assert_eq!(
        error_of(r, 400).await["source"]["pointer"],
        "/consumer_restriction/email"
    );
    assert!(api.sim.mailbox(EMAIL).is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_invitation_creates_a_share_a_shared_resource_and_a_mail() {
    let api = Api::start(SimConfig::default()).await;
    let (share, location) = invited(&api).await;
    let id = share["id"].as_str().unwrap().to_string();
    assert_eq!(id, "ss-00001");
    assert_eq!(
        location,
        format!("{}/cdx/v1/provider-shares/{id}", api.sim.base_url())
    );
    assert_eq!(share["status"]["phase"], "INVITED");
    assert_eq!(share["delivery_method"], "EMAIL");
    assert_eq!(
        share["consumer_restriction"],
        json!({"kind": "Email", "email": EMAIL})
    );
    assert_eq!(share["cloud_cluster"]["id"], "lkc-7");
    assert_eq!(share["cloud_cluster"]["environment"], "env-7");
    assert_eq!(api.sim.mailbox(EMAIL).len(), 1);
    assert_eq!(api.sim.mailbox(EMAIL)[0].len(), 120);

    let list = api
        .ok(As::Provider, "/cdx/v1/provider-shared-resources")
        .await;
    assert_eq!(list["kind"], "ProviderSharedResourceList");
    assert_eq!(list["metadata"]["total_size"], 1);
    let sr = &list["data"][0];
    assert_eq!(sr["id"], "sr-00001");
    assert_eq!(sr["display_name"], "orders");
    assert_eq!(sr["resources"], json!(shared()));
    let filtered = api
        .ok(
            As::Provider,
            &format!("/cdx/v1/provider-shared-resources?stream_share={id}"),
        )
        .await;
    assert_eq!(filtered["metadata"]["total_size"], 1);

    let list = api.ok(As::Provider, "/cdx/v1/provider-shares").await;
    assert_eq!(list["kind"], "ProviderShareList");
    assert_eq!(list["data"][0]["id"], id.as_str());
    assert!(list["metadata"].get("next").is_none());
    let got = api
        .ok(As::Provider, &format!("/cdx/v1/provider-shares/{id}"))
        .await;
    assert_eq!(got, share);
}

#[tokio::test]
async fn a_second_invitation_while_one_is_pending_is_a_conflict() {
    let api = Api::start(SimConfig::default()).await;
    let (_, location) = invited(&api).await;
    let r = api.invite(EMAIL, &[topic_crn("payments")]).await;
    assert_eq!(header(&r, "location"), Some(location.as_str()));
    assert_eq!(error_of(r, 409).await["code"], "resource_already_exists");
    assert_eq!(api.sim.mailbox(EMAIL).len(), 1, "no second mail");
}

#[tokio::test]
async fn resending_mails_the_same_token_again() {
    let api = Api::start(SimConfig::default()).await;
    let (share, _) = invited(&api).await;
    let r = api
        .request(
            As::Provider,
            Method::POST,
            &format!(
                "/cdx/v1/provider-shares/{}:resend",
                share["id"].as_str().unwrap()
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(header(&r, "x-ratelimit-limit").is_some());
    let mail = api.sim.mailbox(EMAIL);
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[0], mail[1]);
}

#[tokio::test]
async fn a_shared_resource_is_updated_and_a_bad_contact_refused() {
    let api = Api::start(SimConfig::default()).await;
    invited(&api).await;
    let path = "/cdx/v1/provider-shared-resources/sr-00001";
    let r = api
        .patch(
            As::Provider,
            path,
            json!({"display_name": "Orders", "organization_contact": "data@acme.example"}),
        )
        .await;
    let sr = json_of(r, 200).await;
    assert_eq!(sr["display_name"], "Orders");
    assert_eq!(sr["organization_contact"], "data@acme.example");
    let r = api
        .patch(
            As::Provider,
            path,
            json!({"organization_contact": "nobody"}),
        )
        .await;
    assert_eq!(
        error_of(r, 422).await["source"]["pointer"],
        "/organization_contact"
    );
    assert_eq!(api.ok(As::Provider, path).await["display_name"], "Orders");
}

#[tokio::test]
async fn revoking_deactivates_the_share_and_kills_its_token() {
    let api = Api::start(SimConfig::default()).await;
    let (share, _) = invited(&api).await;
    let path = format!("/cdx/v1/provider-shares/{}", share["id"].as_str().unwrap());
    assert_eq!(api.delete(As::Provider, &path).await.status(), 204);
    error_of(api.get(As::Provider, &path).await, 404).await;
    let list = api.ok(As::Provider, "/cdx/v1/provider-shares").await;
    assert_eq!(list["metadata"]["total_size"], 0);
    let list = api
        .ok(As::Provider, "/cdx/v1/provider-shares?include_deleted=true")
        .await;
    assert_eq!(list["data"][0]["status"]["phase"], "DEACTIVATED");
    assert!(list["data"][0]["metadata"]["deleted_at"].is_string());
    let token = &api.sim.mailbox(EMAIL)[0];
    let r = api.inspect(token).await;
    error_of(r, 404).await;
    // A revoked invitation can be sent again.
    let r = api.invite(EMAIL, &shared()).await;
    assert_eq!(json_of(r, 201).await["id"], "ss-00002");
}

/// A simulator at a fixed time with one invitation of its consumer to `orders` (and
/// `orders-value`): `ss-00001`, `sr-00001`.
async fn consumer_invited() -> (Api, Invite) {
    let config = SimConfig {
        fixed_now: Some("2024-05-01T12:00:00Z".parse().unwrap()),
        ..SimConfig::default()
    };
    let api = Api::start(config.clone()).await;
    let invite = api
        .sim
        .seed_invite(&config.consumer_email, &["orders"], &["orders-value"]);
    assert_eq!(invite.provider_share_id, "ss-00001");
    assert_eq!(invite.shared_resource_id, "sr-00001");
    (api, invite)
}

#[tokio::test]
async fn a_consumer_lists_only_its_own_invitations() {
    let (api, _) = consumer_invited().await;
    let list = api.ok(As::Consumer, "/cdx/v1/consumer-shares").await;
    assert_eq!(list["kind"], "ConsumerShareList");
    assert_eq!(list["metadata"]["total_size"], 1);
    let share = &list["data"][0];
    assert_eq!(share["id"], "ss-00001");
    assert_eq!(share["status"]["phase"], "INVITED");
    assert_eq!(share["invite_expires_at"], "2024-05-08T12:00:00Z");
    api.sim
        .seed_invite("someone@else.example", &["orders"], &[]);
    let list = api.ok(As::Consumer, "/cdx/v1/consumer-shares").await;
    assert_eq!(list["metadata"]["total_size"], 1);
}

#[tokio::test]
async fn inspecting_a_token_shows_its_resources_and_spends_nothing() {
    let (api, invite) = consumer_invited().await;
    for _ in 0..2 {
        let inspected = json_of(api.inspect(&invite.token).await, 200).await;
        let csr = &inspected["consumer_shared_resources"][0];
        assert_eq!(csr["id"], "sr-00001");
        assert_eq!(csr["display_name"], "orders");
        assert_eq!(csr["cloud"], "AWS");
        assert_eq!(csr["network_connection_types"], json!([]));
        assert_eq!(csr["schemas"][0]["subject"], "orders-value");
    }
    let share = api
        .ok(As::Consumer, "/cdx/v1/consumer-shares/ss-00001")
        .await;
    assert_eq!(share["status"]["phase"], "INVITED");
}

#[tokio::test]
async fn bad_redeem_bodies_and_unknown_tokens_are_refused() {
    let (api, invite) = consumer_invited().await;
    let token = invite.token.as_str();
    for (body, status, pointer) in [
        (json!({}), 400, Some("/token")),
        (json!({"token": 5}), 400, Some("/token")),
        (json!({"token": "nope"}), 404, None),
        (
            json!({"token": token, "aws_account": "000000000000", "gcp_project": "p"}),
            400,
            None,
        ),
        (
            json!({"token": token, "azure_subscription": ""}),
            400,
            Some("/azure_subscription"),
        ),
    ] {
        let e = error_of(api.redeem(body.clone()).await, status).await;
        if let Some(pointer) = pointer {
            assert_eq!(e["source"]["pointer"], pointer, "{body}");
        }
    }
    // None of them spent the token.
    assert_eq!(api.redeem(json!({"token": token})).await.status(), 200);
}

#[tokio::test]
async fn a_token_redeems_once_into_credentials() {
    let (api, invite) = consumer_invited().await;
    let r = api.redeem(json!({"token": invite.token})).await;
    let redeemed = json_of(r, 200).await;
    assert_eq!(redeemed["kind"], "RedeemTokenResponse");
    assert_eq!(redeemed["id"], "ss-00001");
    assert_eq!(redeemed["api_key"], "SHAREKEY00000001");
    assert_eq!(redeemed["secret"].as_str().unwrap().len(), 64);
    assert_eq!(
        redeemed["kafka_bootstrap_url"],
        "SASL://pkc-00001.us-west-2.aws.confluent.cloud:9092"
    );
    assert!(
        redeemed["schema_registry_url"]
            .as_str()
            .unwrap()
            .starts_with("https://psrc-")
    );
    assert_eq!(
        redeemed["resources"],
        json!([
            {"kind": "Topic", "topic": "orders"},
            {"kind": "Group", "group_prefix": "stream-share.ss-00001"},
            {"kind": "Subject", "subject": "orders-value"},
        ])
    );

    // Again: 409 pointing at the share, for a redeem and an inspection alike.
    let r = api.redeem(json!({"token": invite.token})).await;
    assert_eq!(
        header(&r, "location"),
        Some(format!("{}/cdx/v1/consumer-shares/ss-00001", api.sim.base_url()).as_str())
    );
    error_of(r, 409).await;
    error_of(api.inspect(&invite.token).await, 409).await;
    assert_eq!(api.sim.count(Operation::RedeemSharedToken), 2);
}

#[tokio::test]
async fn a_redeemed_share_is_active_on_both_sides() {
    let (api, invite) = consumer_invited().await;
    json_of(api.redeem(json!({"token": invite.token})).await, 200).await;
    let share = api
        .ok(As::Consumer, "/cdx/v1/consumer-shares/ss-00001")
        .await;
    assert_eq!(share["status"]["phase"], "ACTIVE");
    assert_eq!(share["consumer_user"]["id"], "u-consumer1");
    let provider = api
        .ok(As::Provider, "/cdx/v1/provider-shares/ss-00001")
        .await;
    assert_eq!(provider["status"]["phase"], "ACTIVE");
    assert_eq!(provider["redeemed_at"], "2024-05-01T12:00:00Z");
    assert_eq!(provider["consumer_user_name"], "Jane Doe");
    assert_eq!(provider["service_account"]["id"], "sa-00001");
    let csrs = api
        .ok(
            As::Consumer,
            "/cdx/v1/consumer-shared-resources?stream_share=ss-00001",
        )
        .await;
    assert_eq!(csrs["data"][0]["id"], "sr-00001");
    let network = api
        .ok(
            As::Consumer,
            "/cdx/v1/consumer-shared-resources/sr-00001:network",
        )
        .await;
    assert_eq!(network["kind"], "Network");
    assert!(network.get("cloud").is_none(), "{network}");
    assert_eq!(network["zones"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn an_expired_token_is_not_found_and_its_share_expired() {
    let (api, _) = consumer_invited().await;
    let late = api
        .sim
        .seed_invite(&api.sim.config().consumer_email, &["late"], &[]);
    api.sim.expire_token(&late.token);
    error_of(api.redeem(json!({"token": late.token})).await, 404).await;
    let expired = api
        .ok(
            As::Consumer,
            &format!("/cdx/v1/consumer-shares/{}", late.provider_share_id),
        )
        .await;
    assert_eq!(expired["status"]["phase"], "EXPIRED");
}

#[tokio::test]
async fn leaving_a_share_deactivates_it_on_both_sides() {
    let (api, invite) = consumer_invited().await;
    json_of(api.redeem(json!({"token": invite.token})).await, 200).await;
    let path = "/cdx/v1/consumer-shares/ss-00001";
    assert_eq!(api.delete(As::Consumer, path).await.status(), 204);
    error_of(api.get(As::Consumer, path).await, 404).await;
    let list = api.ok(As::Consumer, "/cdx/v1/consumer-shares").await;
    assert_eq!(list["metadata"]["total_size"], 0);
    let list = api
        .ok(As::Consumer, "/cdx/v1/consumer-shares?include_deleted=true")
        .await;
    assert_eq!(list["data"][0]["id"], "ss-00001");
    assert_eq!(list["data"][0]["status"]["phase"], "DEACTIVATED");
    let provider = api
        .ok(As::Provider, "/cdx/v1/provider-shares?include_deleted=true")
        .await;
    assert_eq!(provider["data"][0]["status"]["phase"], "DEACTIVATED");
}

#[tokio::test]
async fn private_link_redeem_on_each_cloud() {
    let api = Api::start(SimConfig {
        bootstrap_sasl_prefix: false,
        ..SimConfig::default()
    })
    .await;
    let email = api.sim.config().consumer_email.clone();
    for (cloud, field, account, kind, key) in [
        (
            "AWS",
            "aws_account",
            "000000000000",
            "AwsNetwork",
            "private_link_endpoint_service",
        ),
        (
            "AZURE",
            "azure_subscription",
            "00000000-0000-0000-0000-000000000000",
            "AzureNetwork",
            "private_link_service_aliases",
        ),
        (
            "GCP",
            "gcp_project",
            "my-project",
            "GcpNetwork",
            "private_service_connect_service_attachments",
        ),
    ] {
        let invite = api
            .sim
            .seed_invite(&email, &[&format!("topic-{cloud}")], &[]);
        let sr = invite.shared_resource_id.clone();
        api.sim.set_network(&sr, cloud);
        let csr = api
            .ok(
                As::Consumer,
                &format!("/cdx/v1/consumer-shared-resources/{sr}"),
            )
            .await;
        assert_eq!(csr["cloud"], cloud);
        assert_eq!(csr["network_connection_types"], json!(["PRIVATELINK"]));

        // An account on another cloud does not fit.
        let wrong = if cloud == "GCP" {
            "aws_account"
        } else {
            "gcp_project"
        };
        let r = api
            .post(
                As::Consumer,
                "/cdx/v1/shared-tokens:redeem",
                json!({"token": invite.token, wrong: "x"}),
            )
            .await;
        assert_eq!(
            error_of(r, 400).await["source"]["pointer"],
            format!("/{wrong}")
        );

        // Before redeeming, the network has no cloud details.
        let network = api
            .ok(
                As::Consumer,
                &format!("/cdx/v1/consumer-shared-resources/{sr}:network"),
            )
            .await;
        assert!(network.get("cloud").is_none());

        let r = api
            .post(
                As::Consumer,
                "/cdx/v1/shared-tokens:redeem",
                json!({"token": invite.token, field: account}),
            )
            .await;
        let redeemed = json_of(r, 200).await;
        let bootstrap = redeemed["kafka_bootstrap_url"].as_str().unwrap();
        assert!(
            !bootstrap.contains("://") && bootstrap.ends_with(":9092"),
            "{bootstrap}"
        );

        let network = api
            .ok(
                As::Consumer,
                &format!("/cdx/v1/consumer-shared-resources/{sr}:network"),
            )
            .await;
        assert_eq!(network["cloud"]["kind"], kind, "{network}");
        assert!(!network["cloud"][key].is_null(), "{network}");
        let zones: Vec<&str> = network["zones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| z.as_str().unwrap())
            .collect();
        assert_eq!(zones.len(), 3);
        assert!(
            network["dns_domain"]
                .as_str()
                .unwrap()
                .ends_with("confluent.cloud")
        );
        for z in &zones {
            assert!(network["zonal_subdomains"][z].is_string(), "{network}");
            if kind != "AwsNetwork" {
                assert!(network["cloud"][key][z].is_string(), "{network}");
            }
        }
    }
}

#[tokio::test]
async fn images_round_trip_and_reach_the_consumer() {
    let api = Api::start(SimConfig::default()).await;
    let invite = api
        .sim
        .seed_invite("jane.doe@example.com", &["orders"], &[]);
    let path = format!(
        "/cdx/v1/provider-shared-resources/{}/images/logo",
        invite.shared_resource_id
    );
    let png = b"\x89PNG\r\n\x1a\n-not-really-a-png".to_vec();
    let r = api
        .request(As::Provider, Method::POST, &path)
        .header("content-type", "text/plain")
        .body(png.clone())
        .send()
        .await
        .unwrap();
    error_of(r, 400).await;
    error_of(api.get(As::Provider, &path).await, 404).await;
    let r = api
        .request(As::Provider, Method::POST, &path)
        .header("content-type", "image/png")
        .body(png.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        header(&r, "location"),
        Some(format!("{}{path}", api.sim.base_url()).as_str())
    );
    let r = api.get(As::Provider, &path).await;
    assert_eq!(header(&r, "content-type"), Some("image/png"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    let sr = api
        .ok(
            As::Provider,
            &format!(
                "/cdx/v1/provider-shared-resources/{}",
                invite.shared_resource_id
            ),
        )
        .await;
    assert!(sr["logo_url"].as_str().unwrap().ends_with("/images/logo"));
    let r = api
        .get(
            As::Consumer,
            &format!(
                "/cdx/v1/consumer-shared-resources/{}/images/logo",
                invite.shared_resource_id
            ),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    assert_eq!(api.delete(As::Provider, &path).await.status(), 204);
    error_of(api.get(As::Provider, &path).await, 404).await;
}

#[tokio::test]
async fn pagination_over_250_shares() {
    let api = Api::start(SimConfig::default()).await;
    api.sim.seed_consumer_shares(250);

    // Default page size.
    let first = api.ok(As::Consumer, "/cdx/v1/consumer-shares").await;
    assert_eq!(first["data"].as_array().unwrap().len(), 10);
    assert_eq!(first["metadata"]["total_size"], 250);

    let mut seen = std::collections::BTreeSet::new();
    let mut url = "/cdx/v1/consumer-shares?include_deleted=false&page_size=100".to_string();
    let mut pages = 0;
    loop {
        let page = api.ok(As::Consumer, &url).await;
        pages += 1;
        assert_eq!(page["metadata"]["total_size"], 250);
        for s in page["data"].as_array().unwrap() {
            assert!(
                seen.insert(s["id"].as_str().unwrap().to_string()),
                "{} twice",
                s["id"]
            );
        }
        match page["metadata"].get("next").and_then(Value::as_str) {
            Some(next) => {
                assert!(next.starts_with(&api.sim.base_url()), "{next}");
                assert!(next.contains("include_deleted=false"), "{next}");
                assert!(next.contains("page_size=100"), "{next}");
                let token = next.split("page_token=").nth(1).unwrap();
                assert!(
                    token.parse::<u64>().is_err(),
                    "page tokens are opaque: {token}"
                );
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 250);
    assert!(seen.contains("ss-00001") && seen.contains("ss-00250"));

    // The same items per resource.
    let csrs = api
        .ok(
            As::Consumer,
            "/cdx/v1/consumer-shared-resources?page_size=100",
        )
        .await;
    assert_eq!(csrs["metadata"]["total_size"], 250);

    for bad in ["page_size=101", "page_size=0", "page_size=ten"] {
        let r = api
            .get(As::Consumer, &format!("/cdx/v1/consumer-shares?{bad}"))
            .await;
        assert_eq!(
            error_of(r, 400).await["source"]["parameter"],
            "page_size",
            "{bad}"
        );
    }
    let r = api
        .get(As::Consumer, "/cdx/v1/consumer-shares?page_token=10")
        .await;
    assert_eq!(error_of(r, 400).await["source"]["parameter"], "page_token");
    let r = api
        .get(As::Consumer, "/cdx/v1/consumer-shares?colour=red")
        .await;
    assert_eq!(error_of(r, 400).await["source"]["parameter"], "colour");
    let r = api
        .get(
            As::Consumer,
            "/cdx/v1/consumer-shares?include_deleted=maybe",
        )
        .await;
    assert_eq!(
        error_of(r, 400).await["source"]["parameter"],
        "include_deleted"
    );
    // The provider sees them all too.
    let p = api
        .ok(As::Provider, "/cdx/v1/provider-shares?page_size=1")
        .await;
    assert_eq!(p["metadata"]["total_size"], 250);
}

#[tokio::test]
async fn rate_limit_answers_429_with_headers() {
    let api = Api::start(SimConfig {
        rate_limit: Some(RateLimit {
            limit: 3,
            window: Duration::from_millis(1500),
        }),
        ..SimConfig::default()
    })
    .await;
    for remaining in ["2", "1", "0"] {
        let r = api.get(As::Consumer, "/cdx/v1/consumer-shares").await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "x-ratelimit-limit"), Some("3"));
        assert_eq!(header(&r, "x-ratelimit-remaining"), Some(remaining));
    }
    let r = api.get(As::Consumer, "/cdx/v1/consumer-shares").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&r, "x-request-id").is_some());
    assert_eq!(header(&r, "x-ratelimit-limit"), Some("3"));
    assert_eq!(header(&r, "x-ratelimit-remaining"), Some("0"));
    let retry: u64 = header(&r, "retry-after").unwrap().parse().unwrap();
    let reset: u64 = header(&r, "x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(
        (1..=2).contains(&retry) && (1..=2).contains(&reset),
        "{retry} {reset}"
    );
    assert!(r.bytes().await.unwrap().is_empty());
    // Per key: the provider is not limited by the consumer's traffic.
    assert_eq!(api.get(As::Provider, "/cdx/v1/opt-in").await.status(), 200);
    // The window resets.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(
        api.get(As::Consumer, "/cdx/v1/consumer-shares")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn error_answers_carry_the_rate_limit_headers_of_the_requests_they_counted() {
    let api = Api::start(SimConfig {
        rate_limit: Some(RateLimit {
            limit: 5,
            window: Duration::from_secs(60),
        }),
        ..SimConfig::default()
    })
    .await;
    let answers = [
        (
            api.get(As::Consumer, "/cdx/v1/consumer-shares/ss-99999")
                .await,
            404,
        ),
        (
            api.get(As::Consumer, "/cdx/v1/consumer-shares?page_size=0")
                .await,
            400,
        ),
        (
            api.post(
                As::Consumer,
                "/cdx/v1/shared-tokens:redeem",
                json!({"token": "x"}),
            )
            .await,
            404,
        ),
        (
            api.invite("jane.doe@example.com", &[topic_crn("orders")])
                .await,
            403,
        ),
    ];
    // Four counted requests of the consumer's key, then one of the provider's.
    for ((r, status), remaining) in answers.iter().zip(["4", "3", "2", "4"]) {
        assert_eq!(r.status(), *status);
        assert_eq!(header(r, "x-ratelimit-limit"), Some("5"), "{status}");
        assert_eq!(
            header(r, "x-ratelimit-remaining"),
            Some(remaining),
            "{status}"
        );
        let reset: u64 = header(r, "x-ratelimit-reset").unwrap().parse().unwrap();
        assert!((1..=60).contains(&reset), "{reset}");
    }
    // A 401 is not counted (whose window would it be?), so it has none.
    let r = api
        .get(As::Bearer("forged"), "/cdx/v1/provider-shares")
        .await;
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "x-ratelimit-remaining"), None);
    let r = api.get(As::Consumer, "/cdx/v1/consumer-shares").await;
    assert_eq!(header(&r, "x-ratelimit-remaining"), Some("1"));
}

/// The vendored (upstream) spec declares a bodiless 429 with `Retry-After` and the three
/// `X-RateLimit-*` headers for every operation; the normalised spec drops bodiless errors (the
/// generated client cannot take them), so schemathesis never sees a 429. This checks the 429
/// of every operation against the upstream declaration instead.
#[tokio::test]
async fn every_operation_answers_429_as_the_vendored_spec_declares_it() {
    let root = cdx_test_tools::workspace_root();
    let mut spec = xtask::spec::load(&root.join(xtask::codegen::SPEC)).unwrap();
    // Operations refer to the shared `RateLimitError` response: read it in place.
    xtask::normalise::inline_shared_components(&mut spec);
    let api = Api::start(SimConfig {
        rate_limit: Some(RateLimit {
            limit: 1,
            window: Duration::from_secs(300),
        }),
        ..SimConfig::default()
    })
    .await;
    assert_eq!(api.get(As::Provider, "/cdx/v1/opt-in").await.status(), 200);
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                continue;
            };
            if op.get("operationId").is_none() {
                continue;
            }
            operations += 1;
            let id = op["operationId"].as_str().unwrap();
            let declared = op["responses"]["429"]["headers"]
                .as_object()
                .unwrap_or_else(|| panic!("{id}: the vendored spec declares a 429"));
            // The ids do not matter: the rate limit is checked before anything else but
            // authentication.
            let url = path
                .replace("{id}", "sr-00001")
                .replace("{file_name}", "logo");
            let mut request = api.request(As::Provider, method.clone(), &url);
            if op.get("requestBody").is_some() {
                request = request.json(&json!({}));
            }
            let r = request.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{id}");
            for (name, declaration) in declared {
                let value = header(&r, name).unwrap_or_else(|| panic!("{id}: no {name}"));
                match declaration["schema"]["type"].as_str() {
                    Some("integer") => {
                        assert!(value.parse::<u64>().is_ok(), "{id}: {name}: {value}");
                    }
                    Some("string") => assert!(!value.is_empty(), "{id}: {name}"),
                    other => panic!("{id}: {name}: an undeclared type {other:?}"),
                }
            }
            assert!(r.bytes().await.unwrap().is_empty(), "{id}: a bodiless 429");
        }
    }
    assert_eq!(operations, 22);
}
