//! No secret in any Debug, Display, error or trace output: the API secret, the Basic
//! credentials, a bearer access token, share tokens (also when the server echoes one back), and
//! the Kafka and Schema Registry secrets of a redemption (also of one cut short or incomplete).

use base64::Engine as _;
use cdx_ext::Operation;
use cdx_ext::{
    Client, ConsumerShareFilter, Error, PrivateLinkAccount, Redemption, RetryPolicy, ShareToken,
};
use cdx_sim::{Fault, FaultAction, Invite, SimConfig, Simulator};
use cdx_tests::clients::{consumer, consumer_builder};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Collects everything the tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything a test printed and traced, to be searched for secrets.
struct Output {
    captured: Captured,
    _guard: tracing::subscriber::DefaultGuard,
    printed: Vec<String>,
}

impl Output {
    /// Captures the trace (every level) of this thread from now on.
    fn capture() -> Self {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        Output {
            captured,
            _guard: tracing::subscriber::set_default(subscriber),
            printed: Vec::new(),
        }
    }

    /// An error as Display, Debug and pretty Debug.
    fn error(&mut self, err: &Error) -> String {
        let text = format!("{err} {err:?} {err:#?}");
        self.printed.push(text.clone());
        text
    }

    fn logs(&self) -> String {
        String::from_utf8(self.captured.0.lock().unwrap().clone()).unwrap()
    }

    /// Fails if any of `secrets` is in the trace or in what was printed.
    fn assert_hides(&self, secrets: &[String]) {
        let logs = self.logs();
        for secret in secrets {
            assert!(secret.len() >= 8, "a meaningful secret");
            assert!(
                !logs.contains(secret.as_str()),
                "a secret reached the trace output"
            );
            for text in &self.printed {
                assert!(
                    !text.contains(secret.as_str()),
                    "a secret reached Debug/Display/error output: {text}"
                );
            }
        }
    }

    /// Fails unless the trace shows `operation`'s requests with their ids.
    fn assert_traced(&self, operation: Operation) {
        let logs = self.logs();
        assert!(
            logs.contains(operation.id()) && logs.contains("request_id"),
            "the trace shows the requests:\n{logs}"
        );
    }
}

/// The consumer's API secret and the Basic credentials made of it.
fn api_credentials(sim: &Simulator) -> [String; 2] {
    let (key, secret) = sim.config().consumer_key.clone();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"));
    [secret, basic]
}

/// The Kafka and Schema Registry secrets of a redemption.
fn redemption_secrets(r: &Redemption) -> [String; 2] {
    [
        r.kafka_api_secret().expose_secret().to_string(),
        r.schema_registry()
            .expect("Schema Registry access")
            .api_secret
            .expose_secret()
            .to_string(),
    ]
}

/// A simulator with an invitation of its consumer, the consumer's client and the token.
async fn invited() -> (Simulator, Invite, Client, ShareToken) {
    let sim = Simulator::start(SimConfig::default()).await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let c = consumer(&sim);
    let token = ShareToken::new(&invite.token).unwrap();
    (sim, invite, c, token)
}

/// Seeds an invitation on `sim` and redeems it.
async fn seed_and_redeem(sim: &Simulator) -> (Invite, cdx_ext::Result<Redemption>) {
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let token = ShareToken::new(&invite.token).unwrap();
    let redeemed = consumer(sim).redeem(&token, None).await;
    (invite, redeemed)
}

#[tokio::test]
async fn clients_tokens_and_redemptions_show_no_secret() {
    let mut out = Output::capture();
    let (sim, invite, c, token) = invited().await;
    out.printed.push(format!(
        "{c:?} {:?} {token:?} {token}",
        consumer_builder(&sim)
    ));
    out.printed
        .push(format!("{:?}", c.inspect_token(&token).await.unwrap()));
    let account = "aws:000000000000".parse::<PrivateLinkAccount>().unwrap();
    let redemption = c
        .redeem(&token, Some(&account))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    out.printed.push(format!("{redemption:?} {redemption:#?}"));
    let again = c.redeem(&token, None).await.unwrap_err();
    out.error(&again);

    out.assert_traced(Operation::RedeemSharedToken);
    let mut secrets = vec![invite.token.clone()];
    secrets.extend(api_credentials(&sim));
    secrets.extend(redemption_secrets(&redemption));
    out.assert_hides(&secrets);
}

#[tokio::test]
async fn a_token_the_server_echoes_back_is_redacted_in_errors() {
    let mut out = Output::capture();
    let (sim, invite, c, token) = invited().await;
    // Answered instead of processing: none of them spends the token. They echo it back, as a
    // careless server or proxy might: the error must hold "<redacted>" in its place.
    let echoed = [
        FaultAction::Json(400, json!({"errors": [{"detail": invite.token.clone()}]})),
        FaultAction::Json(502, json!(format!("upstream rejected {}", invite.token))),
    ];
    for action in echoed {
        for operation in [
            Operation::RedeemSharedToken,
            Operation::ResourcesSharedToken,
        ] {
            sim.inject(Fault::once(operation, action.clone()));
            let err = if operation == Operation::RedeemSharedToken {
                c.redeem(&token, None).await.unwrap_err()
            } else {
                c.inspect_token(&token).await.map(drop).unwrap_err()
            };
            let text = out.error(&err);
            assert!(text.contains("<redacted>"), "{operation}: scrubbed: {text}");
        }
    }
    let mut secrets = vec![invite.token.clone()];
    secrets.extend(api_credentials(&sim));
    out.assert_hides(&secrets);
}

#[tokio::test]
async fn failed_calls_show_no_secret() {
    let mut out = Output::capture();
    let (sim, invite, c, token) = invited().await;
    // A truncated answer comes after the server did its work: shown on inspect, which spends
    // nothing.
    sim.inject(Fault::once(
        Operation::ResourcesSharedToken,
        FaultAction::Truncate,
    ));
    let err = c.inspect_token(&token).await.unwrap_err();
    out.error(&err);
    for action in [
        FaultAction::Status(400),
        FaultAction::Status(404),
        FaultAction::Html(502),
        FaultAction::RateLimited {
            retry_after: Some(100),
            reset: None,
        },
    ] {
        sim.inject(Fault::once(Operation::RedeemSharedToken, action));
        let err = c.redeem(&token, None).await.unwrap_err();
        out.error(&err);
    }
    // A GET that times out is retried by default; a single attempt shows the timeout error.
    let slow = consumer_builder(&sim)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    sim.inject(Fault {
        operation_id: None,
        times: 1,
        action: FaultAction::Delay(Duration::from_secs(1)),
    });
    let err = slow
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    out.error(&err);

    out.assert_traced(Operation::RedeemSharedToken);
    let mut secrets = vec![invite.token.clone()];
    secrets.extend(api_credentials(&sim));
    out.assert_hides(&secrets);
}

#[tokio::test]
async fn a_redemption_cut_off_quotes_nothing_that_arrived() {
    let mut out = Output::capture();
    // A 200 redeem whose body is cut in half: the token is spent, the credentials are lost, and
    // the error must not quote what did arrive. A twin simulator, seeded the same way, redeems
    // the same share in full and so tells what the credentials were.
    let sim = Simulator::start(SimConfig::default()).await;
    sim.inject(Fault::once(
        Operation::RedeemSharedToken,
        FaultAction::Truncate,
    ));
    let (cut, redeemed) = seed_and_redeem(&sim).await;
    let err = redeemed.unwrap_err();
    assert!(matches!(err, Error::InvalidResponse(_)), "{err:?}");
    out.error(&err);
    let twin = Simulator::start(SimConfig::default()).await;
    let lost = seed_and_redeem(&twin).await.1.unwrap();
    assert_eq!(
        lost.share_id(),
        cut.provider_share_id,
        "the twin redeemed the same share, so its credentials are the ones cut off"
    );
    let mut secrets = vec![cut.token.clone()];
    secrets.extend(redemption_secrets(&lost));
    out.assert_hides(&secrets);
}

#[tokio::test]
async fn an_incomplete_redemption_keeps_its_secrets_behind_redacting_types() {
    let mut out = Output::capture();
    let sim = Simulator::start(SimConfig::default()).await;
    // A redemption without a bootstrap server: the secrets arrived, the error keeps them.
    let fresh = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let incomplete = json!({
        "api_version": "cdx/v1", "kind": "RedeemTokenResponse", "id": "ss-incomplete",
        "api_key": "INCOMPLETEKEY", "secret": "incomplete-kafka-secret",
        "schema_registry_api_key": "INCOMPLETESRKEY",
        "schema_registry_secret": "incomplete-sr-secret",
        "schema_registry_url": "https://psrc-1.us-west-2.aws.confluent.cloud",
        "resources": [{"kind": "Topic", "topic": "orders"}]
    });
    sim.inject(Fault::once(
        Operation::RedeemSharedToken,
        FaultAction::Json(200, incomplete),
    ));
    let err = consumer(&sim)
        .redeem(&ShareToken::new(&fresh.token).unwrap(), None)
        .await
        .unwrap_err();
    let Error::IncompleteRedemption(kept) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        kept.response
            .secret
            .as_ref()
            .map(|s| s.expose_secret().to_string()),
        Some("incomplete-kafka-secret".to_string()),
        "nothing the server sent is lost"
    );
    let text = format!("{} {kept} {kept:?}", out.error(&err));
    assert!(text.contains("kafka_bootstrap_url"), "{text}");
    out.printed.push(text);
    out.assert_hides(&[
        fresh.token.clone(),
        "incomplete-kafka-secret".into(),
        "incomplete-sr-secret".into(),
    ]);
}

#[tokio::test]
async fn a_bearer_token_client_shows_no_token() {
    let mut out = Output::capture();
    let sim = Simulator::start(SimConfig::default()).await;
    // Its Debug, its calls (a provider operation it may use, a consumer one it may not) and
    // their errors.
    let access_token = sim.config().bearer_tokens[0].clone();
    let bearer_builder = Client::builder()
        .access_token(&access_token)
        .base_url(sim.base_url());
    let bearer = bearer_builder.clone().build().unwrap();
    out.printed.push(format!("{bearer_builder:?} {bearer:?}"));
    bearer
        .opt_in()
        .await
        .expect("a provider operation the token may use");
    let err = bearer
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthenticated(_)), "{err}");
    out.error(&err);
    out.assert_traced(Operation::ListConsumerShares);
    out.assert_hides(&[access_token]);
}
