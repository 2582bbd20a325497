//! No secret in any Debug, Display, error or trace output: the API secret, the Basic
//! credentials, a bearer access token, share tokens (also when the server echoes one back), and
//! the Kafka and Schema Registry secrets of a redemption (also of one cut short or incomplete).

use base64::Engine as _;
use cdx_ext::Operation;
use cdx_ext::{Client, ConsumerShareFilter, Error, PrivateLinkAccount, RetryPolicy, ShareToken};
use cdx_sim::{Fault, FaultAction, SimConfig, Simulator};
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

#[tokio::test]
async fn no_secret_in_debug_display_errors_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = Simulator::start(SimConfig::default()).await;
    let (key, api_secret) = sim_consumer_key(&sim);
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let c = consumer(&sim);
    let token = ShareToken::new(&invite.token).unwrap();
    let mut printed = Vec::<String>::new();

    printed.push(format!(
        "{c:?} {:?} {token:?} {token}",
        consumer_builder(&sim)
    ));
    printed.push(format!("{:?}", c.inspect_token(&token).await.unwrap()));
    // A truncated answer comes after the server did its work: shown on inspect, which spends
    // nothing.
    sim.inject(Fault::once(
        Operation::ResourcesSharedToken,
        FaultAction::Truncate,
    ));
    let err = c.inspect_token(&token).await.unwrap_err();
    printed.push(format!("{err} {err:?} {err:#?}"));
    // Faults answered instead of processing (none of them spends the token), then the real
    // redeem. Two of them echo the token back, as a careless server or proxy might: the error
    // must hold "<redacted>" in its place.
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
            let text = format!("{err} {err:?} {err:#?}");
            assert!(text.contains("<redacted>"), "{operation}: scrubbed: {text}");
            printed.push(text);
        }
    }
    for action in [
        FaultAction::Status(400),
        FaultAction::Status(404),
        FaultAction::Html(502),
        FaultAction::RateLimited {
            retry_after: Some(100),
            reset: None,
        },
    ] {
        sim.inject(Fault {
            operation_id: Some(Operation::RedeemSharedToken),
            times: 1,
            action,
        });
        let err = c.redeem(&token, None).await.unwrap_err();
        printed.push(format!("{err} {err:?} {err:#?}"));
    }
    let redemption = c
        .redeem(
            &token,
            Some(&"aws:000000000000".parse::<PrivateLinkAccount>().unwrap()),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    printed.push(format!("{redemption:?} {redemption:#?}"));
    let again = c.redeem(&token, None).await.unwrap_err();
    printed.push(format!("{again} {again:?}"));
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
    printed.push(format!("{err} {err:?}"));

    // A 200 redeem whose body is cut in half: the token is spent, the credentials are lost, and
    // the error must not quote what did arrive. A twin simulator, seeded the same way, redeems
    // the same share in full and so tells what the credentials were.
    let cut = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    sim.inject(Fault::once(
        Operation::RedeemSharedToken,
        FaultAction::Truncate,
    ));
    let err = c
        .redeem(&ShareToken::new(&cut.token).unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidResponse(_)), "{err:?}");
    printed.push(format!("{err} {err:?} {err:#?}"));
    let twin = Simulator::start(SimConfig::default()).await;
    twin.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let twin_cut = twin.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let lost = consumer(&twin)
        .redeem(&ShareToken::new(&twin_cut.token).unwrap(), None)
        .await
        .unwrap();
    assert_eq!(
        lost.share_id(),
        cut.provider_share_id,
        "the twin redeemed the same share, so its credentials are the ones cut off"
    );

    // A redemption without a bootstrap server: the secrets arrived, the error keeps them only
    // behind redacting types.
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
    let err = c
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
    let text = format!("{err} {err:?} {err:#?} {kept} {kept:?}");
    assert!(text.contains("kafka_bootstrap_url"), "{text}");
    printed.push(text);

    // A client authenticated with a bearer access token: its Debug, its calls (a provider
    // operation it may use, a consumer one it may not) and their errors.
    let access_token = sim.config().bearer_tokens[0].clone();
    let bearer_builder = Client::builder()
        .access_token(&access_token)
        .base_url(sim.base_url());
    let bearer = bearer_builder.clone().build().unwrap();
    printed.push(format!("{bearer_builder:?} {bearer:?}"));
    assert!(bearer.opt_in().await.unwrap());
    let err = bearer
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthenticated(_)), "{err}");
    printed.push(format!("{err} {err:?}"));

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:{api_secret}"));
    let secrets = [
        api_secret.clone(),
        basic,
        invite.token.clone(),
        cut.token.clone(),
        fresh.token.clone(),
        access_token.clone(),
        redemption.kafka_api_secret().expose_secret().to_string(),
        redemption
            .schema_registry()
            .unwrap()
            .api_secret
            .expose_secret()
            .to_string(),
        lost.kafka_api_secret().expose_secret().to_string(),
        lost.schema_registry()
            .unwrap()
            .api_secret
            .expose_secret()
            .to_string(),
        "incomplete-kafka-secret".to_string(),
        "incomplete-sr-secret".to_string(),
    ];
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("redeem_cdx_v1_shared_token") && logs.contains("request_id"),
        "the trace shows the requests:\n{logs}"
    );
    for secret in &secrets {
        assert!(secret.len() >= 8, "a meaningful secret");
        assert!(
            !logs.contains(secret.as_str()),
            "a secret reached the trace output"
        );
        for text in &printed {
            assert!(
                !text.contains(secret.as_str()),
                "a secret reached Debug/Display/error output: {text}"
            );
        }
    }
}

fn sim_consumer_key(sim: &Simulator) -> (String, String) {
    sim.config().consumer_key.clone()
}
