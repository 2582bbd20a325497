//! The simulator against the normalised spec, checked by schemathesis (`--checks all`): once
//! with the provider's Cloud API key on all 22 operations, and once with an STS bearer token on
//! the 13 provider operations (the spec's `confluent-sts-access-token` scheme, which only those
//! accept). The two runs use separate simulators and run in parallel.
//!
//! Each simulator runs in-process. Before schemathesis starts, the provider organization
//! (whose credentials schemathesis uses for every operation) is given data on both sides, so
//! that reads reach real objects: a shared resource on a private (AWS) cluster with a logo, an
//! invitation it redeemed itself (so the consumer operations see a share), and two unredeemed
//! tokens (from the other organization, so that schemathesis cannot revoke them) that
//! `tests/schemathesis/schemathesis.toml` feeds to the shared-token operations.

use cdx_ext::Operation;
use std::collections::BTreeMap;
use std::process::Command;
use std::time::Instant;

use base64::Engine as _;
use cdx_sim::{SimConfig, Simulator};
use cdx_test_tools as tools;

/// Deterministic by default; `CDX_SCHEMATHESIS_SEED` and `CDX_SCHEMATHESIS_MAX_EXAMPLES` explore
/// further (e.g. a nightly job with a random seed and more examples).
const SEED: &str = "20240501";
const MAX_EXAMPLES: &str = "50";
/// The bearer run re-checks the provider operations under the other authentication scheme; the
/// schemas were explored by the first run, so fewer examples keep CI time down.
const BEARER_MAX_EXAMPLES: &str = "10";

/// The operations that accept a bearer token: `provider-shared-resources*`, `provider-shares*`
/// and `opt-in`.
const PROVIDER_PATHS: &str = "^/cdx/v1/(provider-shared-resources|provider-shares|opt-in)";

/// Whether `op` is one of the operations [`PROVIDER_PATHS`] matches (13 of the 22).
fn takes_bearer(op: Operation) -> bool {
    ["/provider-shared-resources", "/provider-shares", "/opt-in"]
        .iter()
        .any(|p| op.path().starts_with(&format!("/cdx/v1{p}")))
}

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn basic(id: &str, secret: &str) -> String {
    let raw = format!("{id}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// A simulator with the data described above; the environment the config file reads.
async fn seeded_simulator() -> (Simulator, Vec<(&'static str, String)>) {
    let config = SimConfig::default();
    let auth = basic(&config.provider_key.0, &config.provider_key.1);
    let sim = Simulator::start(config.clone()).await;
    let base = sim.base_url();
    let http = reqwest::Client::new();

    // A private AWS cluster's topic and subject, redeemed by the provider org itself.
    let own = sim.seed_invite(&config.consumer_email, &["orders"], &["orders-value"]);
    sim.set_network(&own.shared_resource_id, "AWS");
    let r = http
        .post(format!("{base}/cdx/v1/shared-tokens:redeem"))
        .header("authorization", &auth)
        .json(&serde_json::json!({ "token": own.token, "aws_account": "000000000000" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let r = http
        .post(format!(
            "{base}/cdx/v1/provider-shared-resources/{}/images/logo",
            own.shared_resource_id
        ))
        .header("authorization", &auth)
        .header("content-type", "image/png")
        .body(png.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // The shared-token operations' tokens come from invitations of the *other* organization,
    // which schemathesis (as the provider) cannot revoke while it explores DELETE: the tokens
    // stay valid for the whole run.
    let other = basic(&config.consumer_key.0, &config.consumer_key.1);
    let r = http
        .patch(format!("{base}/cdx/v1/opt-in"))
        .header("authorization", &other)
        .json(&serde_json::json!({ "stream_share_enabled": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut tokens = Vec::new();
    for (email, topic) in [
        ("someone@example.org", "payments"),
        ("someone.else@example.org", "refunds"),
    ] {
        let crn = format!(
            "crn://confluent.cloud/organization=org-other/environment=env-9/schema-registry=lsrc-9/kafka=lkc-9/topic={topic}"
        );
        let r = http
            .post(format!("{base}/cdx/v1/provider-shares"))
            .header("authorization", &other)
            .json(&serde_json::json!({
                "consumer_restriction": { "kind": "Email", "email": email },
                "delivery_method": "EMAIL",
                "resources": [crn],
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        tokens.push(sim.mailbox(email).pop().expect("an invitation"));
    }
    let env = vec![
        ("CDX_SIM_SHARED_RESOURCE", own.shared_resource_id),
        ("CDX_SIM_SHARE", own.provider_share_id),
        ("CDX_SIM_TOKEN_INSPECT", tokens.remove(0)),
        ("CDX_SIM_TOKEN_REDEEM", tokens.remove(0)),
    ];
    (sim, env)
}

/// Runs schemathesis against `sim` with `authorization` on every request (and `extra`
/// arguments); fails the test with its report unless it passes. Blocks: the simulator serves
/// from its own thread.
fn schemathesis(
    sim: &Simulator,
    env: &[(&str, String)],
    authorization: &str,
    max_examples: &str,
    extra: &[&str],
) {
    let python = tools::python();
    let root = tools::workspace_root();
    let started = Instant::now();
    let before = sim.requests().len();
    let output = Command::new(&python)
        .args(["-m", "schemathesis.cli"])
        .arg("--config-file")
        .arg(root.join("tests/schemathesis/schemathesis.toml"))
        .arg("run")
        .arg(root.join("cdx-client/cdx-v1.normalised.json"))
        .args(["--url", &sim.base_url()])
        .args(["--checks", "all"])
        .args(["--header", &format!("Authorization: {authorization}")])
        .args(["--max-examples", max_examples])
        .args(["--seed", &setting("CDX_SCHEMATHESIS_SEED", SEED)])
        .args(["--workers", "1"])
        .args(["--generation-database", "none"])
        .args(["--request-timeout", "10"])
        .arg("--no-color")
        .args(extra)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "schemathesis {extra:?} finished in {:.1}s after {} requests",
        started.elapsed().as_secs_f64(),
        sim.requests().len() - before
    );
    assert!(
        output.status.success(),
        "schemathesis failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}

/// Per operation, the statuses it answered from index `from` of the log on.
fn statuses_since(sim: &Simulator, from: usize) -> BTreeMap<Operation, Vec<u16>> {
    let mut statuses: BTreeMap<Operation, Vec<u16>> = BTreeMap::new();
    for r in &sim.requests()[from..] {
        if let Some(op) = r.operation_id {
            statuses.entry(op).or_default().extend(r.status);
        }
    }
    statuses
}

#[tokio::test]
async fn schemathesis_accepts_the_simulator() {
    let (sim, env) = seeded_simulator().await;
    let config = sim.config().clone();
    let from = sim.requests().len();
    schemathesis(
        &sim,
        &env,
        &basic(&config.provider_key.0, &config.provider_key.1),
        &setting("CDX_SCHEMATHESIS_MAX_EXAMPLES", MAX_EXAMPLES),
        &[],
    );
    // It really exercised every operation, and the shared-token operations with their real
    // tokens.
    let statuses = statuses_since(&sim, from);
    for op in Operation::ALL {
        assert!(statuses.contains_key(op), "schemathesis never called {op}");
    }
    for op in [
        Operation::ResourcesSharedToken,
        Operation::RedeemSharedToken,
    ] {
        assert!(statuses[&op].contains(&200), "{op}: {:?}", statuses[&op]);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn schemathesis_accepts_bearer_tokens_on_the_provider_operations() {
    let (sim, env) = seeded_simulator().await;
    let token = sim.config().bearer_tokens[0].clone();
    let from = sim.requests().len();
    schemathesis(
        &sim,
        &env,
        &format!("Bearer {token}"),
        &setting("CDX_SCHEMATHESIS_MAX_EXAMPLES", BEARER_MAX_EXAMPLES),
        &["--include-path-regex", PROVIDER_PATHS],
    );
    let statuses = statuses_since(&sim, from);
    let (provider, consumer): (Vec<Operation>, Vec<Operation>) =
        Operation::ALL.iter().partition(|&&op| takes_bearer(op));
    assert_eq!((provider.len(), consumer.len()), (13, 9));
    for op in provider {
        // Schemathesis also sends requests without the token (they must be 401s); at least one
        // answer that is not a 401 shows the token itself was accepted.
        let answered = statuses.get(&op).map(Vec::as_slice).unwrap_or_default();
        assert!(
            answered.iter().any(|s| *s != 401),
            "{op} never accepted the bearer token: {answered:?}"
        );
    }
    for op in consumer {
        assert!(!statuses.contains_key(&op), "{op} takes no bearer token");
    }
    sim.shutdown().await;
}
