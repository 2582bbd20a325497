//! All 22 operations through cdx-ext, table-driven: each error status becomes its typed error
//! with the status and `X-Request-Id`, retries happen exactly where the policy allows (counted
//! on the simulator's side), and every request carries only the headers it should.

use cdx_ext::{Error, Operation, RetryPolicy};
use cdx_sim::{Fault, FaultAction, SimConfig, Simulator};
use cdx_tests::clients::{
    Targets, call, consumer, consumer_builder, outcome, provider, provider_builder,
};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn every_operation_types_each_error_and_retries_only_where_safe() {
    let sim = Simulator::start(SimConfig::default()).await;
    // The default policy's rules and attempts, with waits short enough for a test.
    let policy = RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
        ..RetryPolicy::default()
    };
    let attempts = policy.max_attempts as usize;
    let c = consumer_builder(&sim)
        .retry_policy(policy.clone())
        .build()
        .unwrap();
    let p = provider_builder(&sim).retry_policy(policy).build().unwrap();
    let targets = Targets::default();

    for status in [404, 403, 500, 502, 503, 504, 429] {
        let action = if status == 429 {
            // A 429 with `Retry-After: 0`, so the retries do not wait.
            FaultAction::RateLimited {
                retry_after: Some(0),
                reset: None,
            }
        } else {
            FaultAction::Status(status)
        };
        // The operations run concurrently; faults are queued per operation id.
        let runs = Operation::ALL.iter().map(|&op| {
            let (sim, c, p, targets, action) = (&sim, &c, &p, &targets, action.clone());
            async move {
                let before = sim.count(op);
                sim.inject(Fault {
                    operation_id: Some(op),
                    times: attempts,
                    action,
                });
                let result = call(op, c, p, targets).await;
                (op, result, sim.count(op) - before)
            }
        });
        let results = futures::future::join_all(runs).await;
        sim.clear_faults();

        let mut request_ids = HashSet::new();
        for (op, result, sent) in results {
            let case = format!("{op:?} answered {status}");
            let expected = match status {
                403 => "PermissionDenied",
                404 => "NotFound",
                429 => "RateLimited",
                _ => "Server",
            };
            assert_eq!(outcome(&result), expected, "{case}: {result:?}");
            let err = result.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{case}");
            assert_eq!(err.operation(), Some(op), "{case}");
            let request_id = err.request_id().unwrap_or_else(|| panic!("{case}: no id"));
            assert!(request_id.starts_with("req-"), "{case}: {request_id}");
            assert!(
                request_ids.insert(request_id.to_string()),
                "{case}: each error carries its own response's id"
            );
            assert!(err.to_string().contains(request_id), "{case}: {err}");

            let retried = status == 429 || (op.is_idempotent() && (502..=504).contains(&status));
            assert_eq!(
                sent,
                if retried { attempts } else { 1 },
                "{case}: requests the server saw"
            );
            assert_eq!(err.is_retryable(), status == 429 || status >= 502, "{case}");
            let spent_hint = err.to_string().contains("may have been redeemed");
            assert_eq!(
                spent_hint,
                op == Operation::RedeemSharedToken && status >= 500,
                "{case}: {err}"
            );
        }
    }
}

#[tokio::test]
async fn every_operation_is_sent_with_exactly_the_headers_it_should() {
    let sim = Simulator::start(SimConfig::default()).await;
    let (c, p) = (consumer(&sim), provider(&sim));
    let targets = Targets::default();
    for &op in Operation::ALL {
        // Answered before any lookup, so made-up ids do.
        sim.inject(Fault::once(op, FaultAction::Status(404)));
        call(op, &c, &p, &targets).await.unwrap_err();
    }
    let requests = sim.requests();
    assert_eq!(requests.len(), 22);
    let version = cdx_ext::USER_AGENT
        .strip_prefix("cdx/")
        .expect("User-Agent is cdx/<version>");
    assert!(
        version.split('.').count() == 3
            && version
                .split('.')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        "{version}"
    );
    for (&op, request) in Operation::ALL.iter().zip(&requests) {
        assert_eq!(request.operation_id, Some(op), "{op:?}");
        assert_eq!(request.method, op.method(), "{op:?}");
        let header = |name: &str| {
            request
                .headers
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(header("user-agent"), [cdx_ext::USER_AGENT], "{op:?}");
        assert_eq!(
            header("authorization").len(),
            1,
            "{op:?}: authenticated once"
        );
        assert!(
            header("api-version").is_empty(),
            "{op:?}: the API defines no api-version header"
        );
    }
}

#[tokio::test]
async fn a_consumer_sees_the_image_the_provider_uploaded() {
    let sim = Simulator::start(SimConfig::default()).await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let (c, p) = (consumer(&sim), provider(&sim));
    let sr = &invite.shared_resource_id;
    p.upload_shared_resource_image(sr, "logo", cdx_tests::clients::PNG.to_vec())
        .await
        .unwrap();
    let image = c.consumer_shared_resource_image(sr, "logo").await.unwrap();
    assert_eq!(image.bytes, cdx_tests::clients::PNG);
    assert_eq!(image.content_type.as_deref(), Some("image/png"));
    // Another name is not there.
    assert!(matches!(
        c.consumer_shared_resource_image(sr, "banner").await,
        Err(Error::NotFound(_))
    ));
}
