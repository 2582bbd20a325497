//! The simulator against the normalised spec, checked by schemathesis (`--checks all`).
//!
//! The simulator runs in-process. Before schemathesis starts, the provider organization
//! (whose API key schemathesis uses for every operation) is given data on both sides, so that
//! reads reach real objects: a shared resource on a private (AWS) cluster with a logo, an
//! invitation it redeemed itself (so the consumer operations see a share), and two unredeemed
//! tokens that `tests/schemathesis/schemathesis.toml` feeds to the shared-token operations.

use std::process::Command;
use std::time::Instant;

use base64::Engine as _;
use cdx_tests::sim::{SimConfig, Simulator};
use cdx_tests::tools;

/// Deterministic by default; `CDX_SCHEMATHESIS_SEED` and `CDX_SCHEMATHESIS_MAX_EXAMPLES` explore
/// further (e.g. a nightly job with a random seed and more examples).
const SEED: &str = "20240501";
const MAX_EXAMPLES: &str = "50";

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

#[tokio::test]
async fn schemathesis_accepts_the_simulator() {
    let python = tools::python();
    let root = tools::workspace_root();
    let spec = root.join("cdx-client/cdx-v1.normalised.json");
    let config_file = root.join("tests/schemathesis/schemathesis.toml");

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
    let inspect = sim.seed_invite("someone@example.org", &["payments"], &[]);
    let redeem = sim.seed_invite("someone.else@example.org", &["refunds"], &["refunds-value"]);

    let started = Instant::now();
    let output = Command::new(&python)
        .args(["-m", "schemathesis.cli"])
        .arg("--config-file")
        .arg(&config_file)
        .arg("run")
        .arg(&spec)
        .args(["--url", &base])
        .args(["--checks", "all"])
        .args(["--header", &format!("Authorization: {auth}")])
        .args([
            "--max-examples",
            &setting("CDX_SCHEMATHESIS_MAX_EXAMPLES", MAX_EXAMPLES),
        ])
        .args(["--seed", &setting("CDX_SCHEMATHESIS_SEED", SEED)])
        .args(["--workers", "1"])
        .args(["--generation-database", "none"])
        .args(["--request-timeout", "10"])
        .arg("--no-color")
        .env("CDX_SIM_SHARED_RESOURCE", &own.shared_resource_id)
        .env("CDX_SIM_SHARE", &own.provider_share_id)
        .env("CDX_SIM_TOKEN_INSPECT", &inspect.token)
        .env("CDX_SIM_TOKEN_REDEEM", &redeem.token)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "schemathesis finished in {:.1}s after {} requests",
        started.elapsed().as_secs_f64(),
        sim.requests().len()
    );
    assert!(
        output.status.success(),
        "schemathesis failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    // It really exercised every operation.
    for op in [
        "listCdxV1ProviderSharedResources",
        "getCdxV1ProviderSharedResource",
        "updateCdxV1ProviderSharedResource",
        "upload_imageCdxV1ProviderSharedResource",
        "view_imageCdxV1ProviderSharedResource",
        "delete_imageCdxV1ProviderSharedResource",
        "listCdxV1ProviderShares",
        "createCdxV1ProviderShare",
        "getCdxV1ProviderShare",
        "deleteCdxV1ProviderShare",
        "resendCdxV1ProviderShare",
        "listCdxV1ConsumerSharedResources",
        "getCdxV1ConsumerSharedResource",
        "imageCdxV1ConsumerSharedResource",
        "networkCdxV1ConsumerSharedResource",
        "listCdxV1ConsumerShares",
        "getCdxV1ConsumerShare",
        "deleteCdxV1ConsumerShare",
        "resourcesCdxV1SharedToken",
        "redeemCdxV1SharedToken",
        "getCdxV1OptIn",
        "updateCdxV1OptIn",
    ] {
        assert!(sim.count(op) > 0, "schemathesis never called {op}");
    }
    sim.shutdown().await;
}
