//! The fault matrix: every kind of injected fault against redeem, inspect token, invite, delete
//! consumer share and list consumer shares. Each gives the expected typed error or success,
//! never a panic; the simulator's request counts prove a redeem is sent exactly once whenever it
//! may have reached the server, and again only after a 429.

use cdx_ext::{Client, Error, Operation, ShareToken};
use cdx_sim::{Fault, FaultAction, SimConfig, Simulator};
use cdx_tests::clients::{
    Targets, call, consumer_builder, fast_retries, outcome, provider_builder,
};
use serde_json::json;
use std::time::Duration;

/// The operations of the matrix, in the column order of [`matrix`].
const OPS: [Operation; 5] = [
    Operation::RedeemSharedToken,
    Operation::ResourcesSharedToken,
    Operation::CreateProviderShare,
    Operation::DeleteConsumerShare,
    Operation::ListConsumerShares,
];

/// Short enough to keep the matrix fast, long enough for a loaded machine.
const TIMEOUT: Duration = Duration::from_millis(400);

/// A row: the fault, the outcome for each of [`OPS`], and whether GET/DELETE retry it.
struct Row {
    action: FaultAction,
    outcomes: [&'static str; 5],
    idempotent_retry: bool,
}

fn row(action: FaultAction, outcomes: [&'static str; 5], idempotent_retry: bool) -> Row {
    Row {
        action,
        outcomes,
        idempotent_retry,
    }
}

fn matrix() -> Vec<Row> {
    use FaultAction as F;
    let all = |o| [o; 5];
    let mut rows = vec![
        row(F::Status(400), all("Rejected"), false),
        row(F::Status(401), all("Unauthenticated"), false),
        row(F::Status(403), all("PermissionDenied"), false),
        row(F::Status(404), all("NotFound"), false),
        row(F::Status(409), all("Conflict"), false),
        row(F::Status(422), all("Rejected"), false),
        row(F::Status(500), all("Server"), false),
    ];
    for status in [502, 503, 504] {
        rows.push(row(F::Status(status), all("Server"), true));
    }
    rows.extend([
        row(F::Html(502), all("InvalidResponse"), true),
        row(F::NonJson(503), all("InvalidResponse"), true),
        // A DELETE's 204 has no body to cut.
        row(
            F::Truncate,
            [
                "InvalidResponse",
                "InvalidResponse",
                "InvalidResponse",
                "Ok",
                "InvalidResponse",
            ],
            false,
        ),
        row(F::Delay(TIMEOUT * 3), all("Timeout"), true),
        row(F::Reset, all("Transport"), true),
        row(F::ResetAfterProcessing, all("Transport"), true),
        row(F::UnknownFields, all("Ok"), false),
        row(F::UnknownEnumValues, all("Ok"), false),
        row(F::UnknownUnionKinds, all("Ok"), false),
        row(
            F::RateLimited {
                retry_after: Some(0),
                reset: None,
            },
            all("RateLimited"),
            true,
        ),
        row(
            F::Json(
                400,
                json!({"errors": [{"code": "invalid_request", "detail": "injected detail"}]}),
            ),
            all("Rejected"),
            false,
        ),
        // A 200 with an empty object: a redeem lacks its credentials; invite (201) and delete
        // (204) did not document a 200; an empty list or resource list is fine.
        row(
            F::Json(200, json!({})),
            [
                "IncompleteRedemption",
                "Ok",
                "InvalidResponse",
                "InvalidResponse",
                "Ok",
            ],
            false,
        ),
    ]);
    rows
}

/// What each operation of a row addresses: a fresh token for redeem and for inspect, a new
/// email for invite, a freshly redeemed share for delete.
async fn targets(sim: &Simulator, consumer: &Client, row: usize, op: Operation) -> Targets {
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let mut targets = Targets {
        token: ShareToken::new(&invite.token).unwrap(),
        invite_email: format!("new.consumer.{row}@example.com"),
        ..Targets::default()
    };
    if op == Operation::DeleteConsumerShare {
        targets.consumer_share_id = consumer
            .redeem(&targets.token, None)
            .await
            .unwrap()
            .share_id()
            .to_string();
    }
    targets
}

/// The fault on every attempt of `op`, then the call. Returns the outcome and how many requests
/// of `op` the server saw.
async fn fire(
    sim: Simulator,
    (consumer, provider): (Client, Client),
    targets: Targets,
    op: Operation,
    action: FaultAction,
) -> (cdx_ext::Result<()>, usize) {
    let before = sim.count(op);
    sim.inject(Fault {
        operation_id: Some(op),
        times: 10,
        action,
    });
    let result = call(op, &consumer, &provider, &targets).await;
    (result, sim.count(op) - before)
}

#[tokio::test]
async fn every_fault_gives_a_typed_answer_and_a_token_is_never_spent_twice() {
    let attempts = fast_retries().max_attempts as usize;
    // One simulator and one pair of clients for the whole matrix (building a client loads TLS
    // roots, which is slow); operations are told apart by their own request counts and faults.
    let sim = Simulator::start(SimConfig::default()).await;
    let build = |b: cdx_ext::ClientBuilder| -> Client {
        b.retry_policy(fast_retries())
            .timeout(TIMEOUT)
            .build()
            .unwrap()
    };
    let clients = (build(consumer_builder(&sim)), build(provider_builder(&sim)));
    for (n, row) in matrix().into_iter().enumerate() {
        // Faults a row did not use up (10 per operation) must not reach the next one.
        sim.clear_faults();
        let mut prepared = Vec::new();
        for op in OPS {
            prepared.push(targets(&sim, &clients.0, n, op).await);
        }
        let tokens: Vec<String> = prepared
            .iter()
            .map(|t| t.token.expose_secret().to_string())
            .collect();
        // The five operations of a row run concurrently, each in a task of its own so that a
        // panic in the client is reported as this cell's failure.
        let cells: Vec<_> = OPS
            .iter()
            .zip(prepared)
            .map(|(&op, targets)| {
                let run = fire(
                    sim.clone(),
                    clients.clone(),
                    targets,
                    op,
                    row.action.clone(),
                );
                tokio::spawn(run)
            })
            .collect();
        for (((&op, cell), expected), token) in OPS.iter().zip(cells).zip(row.outcomes).zip(tokens)
        {
            let case = format!("{:?} on {op:?}", row.action);
            let (result, sent) = cell
                .await
                .unwrap_or_else(|e| panic!("{case}: the client panicked: {e}"));
            assert_eq!(outcome(&result), expected, "{case}: {result:?}");

            let idempotent = matches!(op.method(), "GET" | "DELETE");
            let rate_limited = matches!(result, Err(Error::RateLimited(_)));
            let retried = rate_limited || (row.idempotent_retry && idempotent);
            assert_eq!(
                sent,
                if retried { attempts } else { 1 },
                "{case}: requests the server saw"
            );

            let Err(err) = result else { continue };
            let text = format!("{err} {err:?}");
            assert!(!text.contains(&token), "{case}: the token leaked: {text}");
            if let Error::Transport { not_sent, .. } = &err {
                assert!(!not_sent, "{case}: the request was sent");
            }
            if op == Operation::RedeemSharedToken {
                // Sent once whenever it may have reached the server, and the error says so.
                let unknown = err.outcome_unknown();
                assert_eq!(
                    unknown,
                    matches!(
                        expected,
                        "Server" | "InvalidResponse" | "Timeout" | "Transport"
                    ),
                    "{case}"
                );
                assert_eq!(
                    err.to_string().contains("The token may have been redeemed"),
                    unknown,
                    "{case}: {err}"
                );
                if unknown {
                    assert_eq!(sent, 1, "{case}");
                }
            }
        }
    }
}
