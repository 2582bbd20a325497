//! No secret in any Debug, Display, error or trace output: the API secret, the Basic
//! credentials, the share token, and the Kafka and Schema Registry secrets of a redemption.

use base64::Engine as _;
use cdx_ext::{ConsumerShareFilter, PrivateLinkAccount, RetryPolicy, ShareToken};
use cdx_tests::clients::{consumer, consumer_builder};
use cdx_tests::sim::{Fault, FaultAction, SimConfig, Simulator};
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
        "resourcesCdxV1SharedToken",
        FaultAction::Truncate,
    ));
    let err = c.inspect_token(&token).await.unwrap_err();
    printed.push(format!("{err} {err:?} {err:#?}"));
    // Faults answered instead of processing (none of them spends the token), then the real
    // redeem.
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
            operation_id: Some("redeemCdxV1SharedToken".into()),
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

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:{api_secret}"));
    let secrets = [
        api_secret.clone(),
        basic,
        invite.token.clone(),
        redemption.kafka_api_secret().expose_secret().to_string(),
        redemption
            .schema_registry()
            .unwrap()
            .api_secret
            .expose_secret()
            .to_string(),
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
