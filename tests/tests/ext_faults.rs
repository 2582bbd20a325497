//! cdx-ext under faults: retries that never spend a token twice, typed errors for every bad
//! answer, pagination that neither truncates nor loops, and no secret in any output.

use cdx_ext::Operation;
use cdx_ext::{Client, ConsumerShareFilter, Error, RetryNotice, RetryPolicy, ShareToken};
use cdx_sim::{Fault, FaultAction, SimConfig, Simulator};
use cdx_tests::clients::{consumer, consumer_builder, fast_retries};
use futures::{StreamExt as _, TryStreamExt as _};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REDEEM: Operation = Operation::RedeemSharedToken;
const LIST: Operation = Operation::ListConsumerShares;

fn fault(operation: Operation, times: usize, action: FaultAction) -> Fault {
    Fault {
        operation_id: Some(operation),
        times,
        action,
    }
}

async fn with_invite() -> (Simulator, ShareToken) {
    let sim = Simulator::start(SimConfig::default()).await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    (sim, ShareToken::new(invite.token).unwrap())
}

#[tokio::test]
async fn a_redeem_that_may_have_reached_the_server_is_never_resent() {
    for action in [
        FaultAction::Status(500),
        FaultAction::Status(502),
        FaultAction::Html(502),
        FaultAction::NonJson(503),
        FaultAction::Truncate,
        FaultAction::ResetAfterProcessing,
    ] {
        let (sim, token) = with_invite().await;
        sim.inject(fault(REDEEM, 5, action.clone()));
        let err = consumer(&sim).redeem(&token, None).await.unwrap_err();
        assert_eq!(
            sim.count(REDEEM),
            1,
            "{action:?} must not be retried: {err}"
        );
        assert!(err.outcome_unknown(), "{action:?}: {err:?}");
        let text = err.to_string();
        assert!(
            text.contains("The token may have been redeemed: check the consumer shares list"),
            "{action:?}: {text}"
        );
        assert!(!text.contains(token.expose_secret()), "{action:?}: {text}");
    }
    // A timeout: the server got the request and is slow.
    let (sim, token) = with_invite().await;
    sim.inject(fault(REDEEM, 5, FaultAction::Delay(Duration::from_secs(3))));
    let client = consumer_builder(&sim)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.redeem(&token, None).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert!(err.to_string().contains("may have been redeemed"), "{err}");
    assert_eq!(sim.count(REDEEM), 1);
}

#[tokio::test]
async fn after_a_reset_once_processed_the_share_exists_and_a_resend_would_conflict() {
    let (sim, token) = with_invite().await;
    sim.inject(fault(REDEEM, 1, FaultAction::ResetAfterProcessing));
    let c = consumer(&sim);
    let err = c.redeem(&token, None).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                not_sent: false,
                ..
            }
        ),
        "{err}"
    );
    let shares: Vec<_> = c
        .consumer_shares(&ConsumerShareFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert!(shares.iter().any(|s| {
        s.status
            .as_ref()
            .is_some_and(|st| st.phase.as_ref().is_some_and(|p| p.as_str() == "ACTIVE"))
    }));
}

#[tokio::test]
async fn rate_limits_are_waited_out_with_each_header() {
    for (retry_after, reset, min_wait) in
        [(Some(1), None, 900), (None, Some(1), 900), (None, None, 0)]
    {
        let (sim, token) = with_invite().await;
        sim.inject(fault(
            REDEEM,
            1,
            FaultAction::RateLimited { retry_after, reset },
        ));
        let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = notices.clone();
        let c = consumer_builder(&sim)
            .on_retry(move |n| seen.lock().unwrap().push(n.clone()))
            .build()
            .unwrap();
        let started = Instant::now();
        c.redeem(&token, None).await.unwrap();
        assert_eq!(
            sim.count(REDEEM),
            2,
            "a 429 was never processed: the redeem is sent again"
        );
        assert!(
            started.elapsed() >= Duration::from_millis(min_wait),
            "{retry_after:?}/{reset:?}: waited {:?}",
            started.elapsed()
        );
        let notices = notices.lock().unwrap();
        assert!(notices.len() == 1 && notices[0].rate_limited);
        if let Some(secs) = retry_after.or(reset) {
            assert_eq!(notices[0].wait, Duration::from_secs(secs));
        }
    }
}

#[tokio::test]
async fn rate_limits_past_the_budget_give_up_with_the_wait() {
    let (sim, token) = with_invite().await;
    sim.inject(fault(
        REDEEM,
        1,
        FaultAction::RateLimited {
            retry_after: Some(120),
            reset: Some(120),
        },
    ));
    let err = consumer(&sim).redeem(&token, None).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)), "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert!(err.is_retryable());
    assert_eq!(sim.count(REDEEM), 1);
}

#[tokio::test]
async fn idempotent_requests_retry_transient_failures() {
    for action in [
        FaultAction::Html(502),
        FaultAction::Status(503),
        FaultAction::Reset,
    ] {
        let sim = Simulator::start(SimConfig::default()).await;
        sim.inject(fault(LIST, 1, action.clone()));
        consumer(&sim)
            .list_consumer_shares(&ConsumerShareFilter::default(), None)
            .await
            .unwrap();
        assert_eq!(sim.count(LIST), 2, "{action:?}");
    }
    // ... but not a 500 (it may be a bug, not a blip), and not forever.
    let sim = Simulator::start(SimConfig::default()).await;
    sim.inject(fault(LIST, 1, FaultAction::Status(500)));
    let err = consumer(&sim)
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err}");
    assert_eq!(sim.count(LIST), 1);
    sim.inject(fault(LIST, 10, FaultAction::Status(503)));
    consumer(&sim)
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    assert_eq!(sim.count(LIST), 1 + 3, "bounded by max_attempts");
}

#[tokio::test]
async fn every_bad_answer_is_a_typed_error() {
    let sim = Simulator::start(SimConfig::default()).await;
    let c = consumer_builder(&sim)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let all = ConsumerShareFilter::default();
    let list = || c.list_consumer_shares(&all, None);

    sim.inject(fault(LIST, 1, FaultAction::Html(502)));
    let err = list().await.unwrap_err();
    let Error::InvalidResponse(r) = &err else {
        panic!("{err}")
    };
    assert_eq!(r.status.map(|s| s.as_u16()), Some(502));
    assert!(
        r.excerpt
            .as_deref()
            .unwrap_or_default()
            .contains("502 Bad Gateway"),
        "{err}"
    );
    assert!(
        !err.to_string().contains("<html"),
        "HTML is summarised, not dumped: {err}"
    );

    sim.inject(fault(LIST, 1, FaultAction::NonJson(500)));
    let err = list().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidResponse(r) if r.status.map(|s| s.as_u16()) == Some(500)),
        "{err}"
    );

    sim.inject(fault(LIST, 1, FaultAction::Truncate));
    let err = list().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidResponse(_) | Error::Transport { .. }),
        "{err}"
    );

    sim.inject(fault(LIST, 1, FaultAction::Delay(Duration::from_secs(2))));
    assert!(matches!(list().await.unwrap_err(), Error::Timeout { .. }));

    sim.inject(fault(LIST, 1, FaultAction::Reset));
    assert!(matches!(list().await.unwrap_err(), Error::Transport { .. }));

    for (status, check) in [
        (400, "Rejected"),
        (401, "Unauthenticated"),
        (403, "PermissionDenied"),
        (500, "Server"),
    ] {
        sim.inject(fault(LIST, 1, FaultAction::Status(status)));
        let err = list().await.unwrap_err();
        let name = format!("{err:?}");
        assert!(name.starts_with(check), "{status}: {name}");
        assert!(err.request_id().is_some(), "{status}: {err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test]
async fn newer_servers_are_tolerated() {
    let (sim, token) = with_invite().await;
    let c = consumer(&sim);
    for action in [FaultAction::UnknownFields, FaultAction::UnknownEnumValues] {
        sim.inject(fault(LIST, 1, action.clone()));
        let page = c
            .list_consumer_shares(&ConsumerShareFilter::default(), None)
            .await
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        if action == FaultAction::UnknownEnumValues {
            let phase = page.items[0].status.as_ref().unwrap().phase.as_ref();
            assert_eq!(
                phase.unwrap().as_str(),
                "SUSPENDED",
                "the raw value is kept"
            );
        }
    }
    sim.inject(fault(REDEEM, 1, FaultAction::UnknownUnionKinds));
    let redemption = c.redeem(&token, None).await.unwrap();
    let unknown: Vec<_> = redemption.unknown_resources().collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["connector"], "c1", "kept as received");
    assert_eq!(redemption.topics(), ["orders"]);
}

#[tokio::test]
async fn pagination_walks_every_page_and_stops_on_errors_and_loops() {
    let sim = Simulator::start(SimConfig::default()).await;
    sim.seed_consumer_shares(250);
    let c = consumer(&sim);
    let all: Vec<_> = c
        .consumer_shares(&ConsumerShareFilter::default())
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<_> = all.iter().filter_map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), 250);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 250, "every share once");
    assert_eq!(sim.count(LIST), 3, "100 + 100 + 50");

    // An error on page 3 surfaces after the 200 items of pages 1 and 2.
    let strict = consumer_builder(&sim)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let filter = ConsumerShareFilter::default();
    let mut stream = std::pin::pin!(strict.consumer_shares(&filter));
    for _ in 0..200 {
        stream.next().await.unwrap().unwrap();
    }
    sim.inject(fault(LIST, 1, FaultAction::Status(500)));
    assert!(matches!(stream.next().await, Some(Err(Error::Server(_)))));
    assert!(
        stream.next().await.is_none(),
        "the stream ends after the error"
    );

    // A server that repeats its page token is caught.
    let page = |token: &str| {
        serde_json::json!({
            "api_version": "cdx/v1", "kind": "ConsumerShareList", "data": [{"id": "ss-loop"}],
            "metadata": {"next": format!("{}/cdx/v1/consumer-shares?page_size=100&page_token={token}", sim.base_url())}
        })
    };
    sim.inject(fault(LIST, 2, FaultAction::Json(200, page("AAAA"))));
    let got: Vec<_> = c.consumer_shares(&filter).collect().await;
    assert!(
        matches!(got.last(), Some(Err(Error::PaginationLoop { .. }))),
        "{got:?}"
    );
}

/// Collects the retry notices of a client.
fn notices() -> (
    Arc<Mutex<Vec<RetryNotice>>>,
    impl Fn(&RetryNotice) + Send + Sync + 'static,
) {
    let all = Arc::new(Mutex::new(Vec::new()));
    let seen = all.clone();
    (all, move |n: &RetryNotice| {
        seen.lock().unwrap().push(n.clone())
    })
}

#[tokio::test]
async fn a_redeem_is_resent_when_the_connection_was_refused() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (seen, hook) = notices();
    let c = Client::builder()
        .cloud_api_key("CONSUMERKEY", "consumer-secret")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries())
        .on_retry(hook)
        .build()
        .unwrap();
    let token = ShareToken::new("token-never-sent").unwrap();
    let err = c.redeem(&token, None).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { not_sent: true, .. }),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    let text = err.to_string();
    assert!(
        text.contains("(the request was not sent)") && !text.contains("may have been redeemed"),
        "{text}"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.len() as u32 + 1,
        fast_retries().max_attempts,
        "every attempt was made: a refused connection spends nothing"
    );
    assert!(
        seen.iter()
            .all(|n| !n.rate_limited && n.operation == cdx_ext::Operation::RedeemSharedToken)
    );
}

#[tokio::test]
async fn retry_after_wins_over_the_rate_limit_reset() {
    let (sim, token) = with_invite().await;
    // Reset alone would exceed the 5 s budget and fail; Retry-After 0 is taken.
    sim.inject(fault(
        REDEEM,
        1,
        FaultAction::RateLimited {
            retry_after: Some(0),
            reset: Some(30),
        },
    ));
    let (seen, hook) = notices();
    let c = consumer_builder(&sim).on_retry(hook).build().unwrap();
    c.redeem(&token, None).await.unwrap();
    assert_eq!(sim.count(REDEEM), 2);
    assert_eq!(seen.lock().unwrap()[0].wait, Duration::ZERO);

    // And the error, when not retried, reports Retry-After's wait.
    sim.inject(fault(
        LIST,
        1,
        FaultAction::RateLimited {
            retry_after: Some(7),
            reset: Some(30),
        },
    ));
    let err = consumer_builder(&sim)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.to_string().contains("retry in 7 s"), "{err}");
}

#[tokio::test]
async fn without_rate_limit_headers_the_backoff_stays_within_the_policy() {
    let (sim, token) = with_invite().await;
    let policy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(25),
        max_total_wait: Duration::from_secs(5),
    };
    sim.inject(fault(
        REDEEM,
        3,
        FaultAction::RateLimited {
            retry_after: None,
            reset: None,
        },
    ));
    let (seen, hook) = notices();
    let c = consumer_builder(&sim)
        .retry_policy(policy)
        .on_retry(hook)
        .build()
        .unwrap();
    c.redeem(&token, None).await.unwrap();
    assert_eq!(sim.count(REDEEM), 4, "three 429s, then the redeem");
    let waits: Vec<_> = seen.lock().unwrap().iter().map(|n| n.wait).collect();
    // Full jitter: uniform up to base * 2^(attempt-1), capped at max_delay.
    let caps = [10, 20, 25].map(Duration::from_millis);
    assert_eq!(waits.len(), 3);
    for (wait, cap) in waits.iter().zip(caps) {
        assert!(*wait <= cap, "{waits:?}");
    }
}

#[tokio::test]
async fn an_absurd_retry_after_gives_up_with_the_error_instead_of_panicking() {
    let (sim, token) = with_invite().await;
    // A whole second waited first: u64::MAX seconds plus that overflows a Duration.
    sim.inject(fault(
        REDEEM,
        1,
        FaultAction::RateLimited {
            retry_after: Some(1),
            reset: None,
        },
    ));
    sim.inject(fault(
        REDEEM,
        1,
        FaultAction::RateLimited {
            retry_after: Some(u64::MAX),
            reset: Some(u64::MAX),
        },
    ));
    let err = consumer(&sim).redeem(&token, None).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)), "{err}");
    assert_eq!(
        err.retry_after(),
        Some(Duration::from_secs(24 * 60 * 60)),
        "capped at a day"
    );
    assert_eq!(sim.count(REDEEM), 2);
}
