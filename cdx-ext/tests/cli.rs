//! The `cdx` binary against the simulator: every command's success path, the exit-status rules,
//! the no-loss rules of `redeem`, and what reaches stdout, stderr and the logs.
#![cfg(feature = "cli")]

mod support;

use cdx_ext::Operation;
use cdx_sim::{Fault, FaultAction, Simulator};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use support::{Run, cdx, command, consumer, finish, mode, provider, redeem, sim};

const TOPIC: &str = "crn://confluent.cloud/organization=org-1/environment=env-1/schema-registry=lsrc-1/kafka=lkc-1/topic=orders";

/// Replaces the values that change between runs (ports, random keys) for snapshots.
fn stable(text: &str, sim: &Simulator) -> String {
    text.replace(&sim.base_url(), "http://SIM")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeem_saves_then_writes_the_config_then_prints_a_masked_summary() {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let dir = tempfile::tempdir().unwrap();
    let run = cdx(
        &sim,
        false,
        dir.path(),
        &[
            "consumer",
            "redeem",
            "--token-file",
            "-",
            "--config-file",
            "client.properties",
            "--group-suffix",
            ".app",
        ],
        Some(&format!("{}\n", invite.token)),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let saved = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("stream-share-"))
        .unwrap();
    let redemption: cdx_ext::Redemption =
        serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    let secret = redemption.kafka_api_secret().expose_secret().to_string();
    assert_eq!(mode(&saved), 0o600);
    let config = dir.path().join("client.properties");
    assert_eq!(mode(&config), 0o600);
    let properties = std::fs::read_to_string(&config).unwrap();
    assert!(
        properties.contains(&format!(
            "group.id={}.app",
            redemption.group_prefix().unwrap()
        )),
        "{properties}"
    );
    assert!(
        !run.stdout.contains(&secret) && !run.stderr.contains(&secret),
        "secrets are masked"
    );
    assert!(!run.stdout.contains(&invite.token) && !run.stderr.contains(&invite.token));
    for label in [
        "Share ID",
        "Kafka Bootstrap Server",
        "Kafka API Key",
        "Schema Registry URL",
        "Topics",
        "Consumer Group Prefix",
        "group.id",
        "Saved Redemption",
        "Configuration File",
    ] {
        assert!(
            run.stdout.contains(label),
            "{label} missing:\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("SASL://"), "bootstrap is host:port");
    let share_id = redemption.share_id();
    let summary = stable(&run.stdout, &sim)
        .replace(redemption.kafka_api_key(), "KAFKA_KEY")
        .replace(redemption.schema_registry().unwrap().api_key, "SR_KEY");
    insta::assert_snapshot!("redeem_human", summary.replace(share_id, "SHARE_ID"));

    // With --show-secrets and -o json the secrets are printed, on request.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let run = consumer(
        &sim,
        dir.path(),
        &[
            "-o",
            "json",
            "consumer",
            "redeem",
            &invite.token,
            "--save",
            "two.json",
            "--show-secrets",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let saved: cdx_ext::Redemption =
        serde_json::from_slice(&std::fs::read(dir.path().join("two.json")).unwrap()).unwrap();
    assert_eq!(
        summary["kafka_api_secret"],
        saved.kafka_api_secret().expose_secret()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeem_checks_everything_before_sending_anything() {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.properties"), "mine").unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "client.properties",
        ],
        vec![
            "consumer",
            "redeem",
            &invite.token,
            "--aws-account",
            "12345",
        ],
        vec![
            "consumer",
            "redeem",
            &invite.token,
            "--aws-account",
            "000000000000",
            "--gcp-project",
            "my-project-1",
        ],
        vec![
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "no/such/dir/x.properties",
        ],
        vec![
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "x.properties",
            "--group-suffix",
            "has space",
        ],
        vec![
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "x.properties",
            "--config-format",
            "toml",
        ],
        vec!["consumer", "redeem"],
        vec!["consumer", "redeem", "two words"],
    ];
    for args in cases {
        let run = consumer(&sim, dir.path(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            !run.stderr.contains(&invite.token),
            "the token is not echoed"
        );
    }
    assert_eq!(
        sim.count(Operation::RedeemSharedToken),
        0,
        "nothing was sent"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("client.properties")).unwrap(),
        "mine",
        "not overwritten"
    );

    // With --force the file is replaced.
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--config-file", "client.properties", "--force"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(dir.path().join("client.properties"))
            .unwrap()
            .contains("bootstrap.servers=")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeem_errors_are_one_sentence_then_details() {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]).code,
        0
    );
    let again = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .starts_with("Error: This token has already been redeemed"),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("cdx consumer share list") && again.stderr.contains("request id"),
        "{}",
        again.stderr
    );

    let mut bad = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(bad.code, 0, "{}", bad.stderr);
    let config = sim.config();
    let wrong = Command::new(env!("CARGO_BIN_EXE_cdx"))
        .args(["consumer", "share", "list"])
        .env("CONFLUENT_CLOUD_API_KEY", &config.consumer_key.0)
        .env("CONFLUENT_CLOUD_API_SECRET", "not-the-secret")
        .env("CDX_API_URL", sim.base_url())
        .output()
        .unwrap();
    bad = finish(wrong);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("check the Cloud API key and secret"),
        "{}",
        bad.stderr
    );

    sim.inject(Fault {
        operation_id: Some(Operation::ListConsumerShares),
        times: 10,
        action: FaultAction::Html(502),
    });
    let html = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(html.code, 1);
    assert!(
        html.stderr.contains("502 Bad Gateway")
            && !html.stderr.contains("<html")
            && !html.stderr.contains("<body"),
        "{}",
        html.stderr
    );
    sim.clear_faults();

    sim.inject(Fault {
        operation_id: Some(Operation::ListConsumerShares),
        times: 1,
        action: FaultAction::RateLimited {
            retry_after: Some(1),
            reset: None,
        },
    });
    let limited = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(limited.code, 0, "{}", limited.stderr);
    assert!(
        limited.stderr.contains("Rate limited") && limited.stderr.contains("1.0 s"),
        "{}",
        limited.stderr
    );

    let missing = Command::new(env!("CARGO_BIN_EXE_cdx"))
        .args(["consumer", "share", "list"])
        .env_remove("CONFLUENT_CLOUD_API_KEY")
        .output()
        .unwrap();
    let missing = finish(missing);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("CONFLUENT_CLOUD_API_KEY"),
        "{}",
        missing.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_walk_every_page_as_tables_or_json_arrays() {
    let sim = sim().await;
    sim.seed_consumer_shares(120);
    let dir = tempfile::tempdir().unwrap();
    let json = consumer(
        &sim,
        dir.path(),
        &["-o", "json", "consumer", "share", "list"],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(items.len(), 120);
    assert!(
        items[0]["id"].is_string() && items[0]["status"]["phase"].is_string(),
        "the API's objects"
    );
    let yaml = consumer(
        &sim,
        dir.path(),
        &["-o", "yaml", "consumer", "share", "list"],
    );
    assert!(yaml.stdout.starts_with("- "), "{}", yaml.stdout);

    let human = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    let header = human.stdout.lines().next().unwrap();
    for column in [
        "ID",
        "Provider Name",
        "Provider Organization Name",
        "Status",
        "Invite Expires At",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert_eq!(human.stdout.lines().count(), 2 + 120);
    let head: String = human.stdout.lines().take(5).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!("consumer_share_list_human", head);
}

/// Terminal columns a cell takes: two for the wide characters (CJK, emoji) this file uses.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| if "数据流📈".contains(c) { 2 } else { 1 })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_align_wide_characters_by_display_width() {
    let sim = sim().await;
    let email = sim.config().consumer_email.clone();
    let wide = sim.seed_invite(&email, &["metrics"], &[]);
    sim.seed_invite(&email, &["orders"], &[]);
    let (key, secret) = &sim.config().provider_key;
    let provider = cdx_ext::ClientBuilder::new()
        .cloud_api_key(key, secret)
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let rename = cdx_ext::SharedResourceUpdate {
        display_name: Some("数据流📈".into()),
        ..Default::default()
    };
    provider
        .update_provider_shared_resource(&wide.shared_resource_id, &rename)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let list = consumer(&sim, dir.path(), &["consumer", "resource", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.contains("| 数据流📈 "), "{}", list.stdout);
    // Every line has its separators at the same terminal columns.
    let columns = |line: &str| -> Vec<usize> {
        line.char_indices()
            .filter(|(_, c)| matches!(c, '|' | '+'))
            .map(|(i, _)| display_width(&line[..i]))
            .collect()
    };
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", list.stdout);
    for line in &lines[1..] {
        assert_eq!(columns(line), columns(lines[0]), "{}", list.stdout);
    }
    insta::assert_snapshot!("consumer_resource_list_wide", list.stdout);
}

/// A simulator with one AWS private-link invitation, its token saved as `token.txt` in `dir`.
async fn invited() -> (Simulator, tempfile::TempDir) {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    sim.set_network(&invite.shared_resource_id, "AWS");
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token.txt");
    std::fs::write(&token_file, &invite.token).unwrap();
    (sim, dir)
}

/// Redeems the invitation of [`invited`] over private link; the consumer share's id.
fn redeemed(sim: &Simulator, dir: &Path) -> String {
    let redeem = consumer(
        sim,
        dir,
        &[
            "consumer",
            "redeem",
            "--token-file",
            "token.txt",
            "--aws-account",
            "000000000000",
        ],
    );
    assert_eq!(redeem.code, 0, "{}", redeem.stderr);
    for label in [
        "Network DNS Domain",
        "Network Zones",
        "Network Kind",
        "Private Link Endpoint Service",
    ] {
        assert!(redeem.stdout.contains(label), "{label}:\n{}", redeem.stdout);
    }
    redeem
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Share ID:"))
        .unwrap()
        .trim()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspecting_a_token_redeems_nothing() {
    let (sim, dir) = invited().await;
    let inspect = consumer(
        &sim,
        dir.path(),
        &[
            "-o",
            "json",
            "consumer",
            "token",
            "inspect",
            "--token-file",
            "token.txt",
        ],
    );
    assert_eq!(inspect.code, 0, "{}", inspect.stderr);
    let resources: Vec<serde_json::Value> = serde_json::from_str(&inspect.stdout).unwrap();
    assert!(!resources.is_empty());
    assert_eq!(
        sim.count(Operation::RedeemSharedToken),
        0,
        "inspecting does not redeem"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redeemed_share_describes_its_network_and_resources() {
    let (sim, dir) = invited().await;
    let id = redeemed(&sim, dir.path());
    let describe = consumer(&sim, dir.path(), &["consumer", "share", "describe", &id]);
    assert_eq!(describe.code, 0, "{}", describe.stderr);
    assert!(
        describe.stdout.contains("ACTIVE") && describe.stdout.contains("Network Kind"),
        "{}",
        describe.stdout
    );
    let resources = consumer(
        &sim,
        dir.path(),
        &[
            "-o",
            "json",
            "consumer",
            "resource",
            "list",
            "--stream-share",
            &id,
        ],
    );
    let list: Vec<serde_json::Value> = serde_json::from_str(&resources.stdout).unwrap();
    let sr = list[0]["id"].as_str().unwrap();
    let one = consumer(&sim, dir.path(), &["consumer", "resource", "describe", sr]);
    assert_eq!(one.code, 0, "{}", one.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumer_share_delete_needs_force_then_reports_a_missing_share() {
    let (sim, dir) = invited().await;
    let id = redeemed(&sim, dir.path());
    // Deleting needs a terminal or --force, and the refusal comes before any request.
    let sent = sim.requests().len();
    let refused = consumer(&sim, dir.path(), &["consumer", "share", "delete", &id]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .starts_with("Error: Refusing to delete consumer share")
            && refused.stderr.contains("--force")
            && refused.stderr.contains("Nothing was sent."),
        "{}",
        refused.stderr
    );
    assert_eq!(sim.requests().len(), sent, "nothing was sent");
    let deleted = consumer(
        &sim,
        dir.path(),
        &["consumer", "share", "delete", &id, "--force"],
    );
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    assert!(
        deleted
            .stderr
            .contains(&format!("Deleted consumer share \"{id}\"."))
    );
    let gone = consumer(
        &sim,
        dir.path(),
        &["consumer", "share", "delete", "ss-nope", "--force"],
    );
    assert_eq!(gone.code, 1);
    // The error rule: one sentence, then the API's details and the request id.
    assert!(
        gone.stderr.starts_with("Error: Not found: ")
            && gone.stderr.contains("ss-nope")
            && gone.stderr.contains("HTTP 404, request id req-")
            && gone.stderr.contains("Nothing was deleted."),
        "{}",
        gone.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_render_writes_a_saved_redemption_offline() {
    let (sim, dir) = invited().await;
    let id = redeemed(&sim, dir.path());
    // Offline rendering of the saved redemption.
    let saved = format!("stream-share-{id}.json");
    let rendered = consumer(
        &sim,
        dir.path(),
        &[
            "config",
            "render",
            "--from",
            &saved,
            "--config-format",
            "librdkafka",
        ],
    );
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);
    assert!(
        rendered.stdout.contains("sasl.mechanisms=PLAIN"),
        "{}",
        rendered.stdout
    );
    let to_file = consumer(
        &sim,
        dir.path(),
        &[
            "config",
            "render",
            "--from",
            &saved,
            "--config-file",
            "app.properties",
            "--config-format",
            "spring-boot",
        ],
    );
    assert_eq!(to_file.code, 0, "{}", to_file.stderr);
    assert_eq!(mode(&dir.path().join("app.properties")), 0o600);
    let again = consumer(
        &sim,
        dir.path(),
        &[
            "config",
            "render",
            "--from",
            &saved,
            "--config-file",
            "app.properties",
        ],
    );
    assert_eq!(again.code, 2, "no overwrite without --force");
    let not_json = consumer(
        &sim,
        dir.path(),
        &["config", "render", "--from", "token.txt"],
    );
    assert_eq!(not_json.code, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_commands() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let p = |args: &[&str]| provider(&sim, dir.path(), args);
    assert_eq!(p(&["provider", "opt-in"]).code, 0);
    let created = p(&[
        "-o",
        "json",
        "provider",
        "invite",
        "create",
        "--email",
        "jane.doe@example.com",
        "--resource",
        TOPIC,
    ]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let share: serde_json::Value = serde_json::from_str(&created.stdout).unwrap();
    let id = share["id"].as_str().unwrap().to_string();
    let resend = p(&["provider", "invite", "resend", &id]);
    assert!(
        resend
            .stderr
            .contains(&format!("Sent invitation for \"{id}\".")),
        "{}",
        resend.stderr
    );

    let list = p(&["provider", "share", "list"]);
    let header = list.stdout.lines().next().unwrap();
    for column in [
        "ID",
        "Consumer Name",
        "Consumer Organization Name",
        "Status",
        "Delivery Method",
        "Redeemed At",
        "Invited At",
        "Invite Expires At",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert!(
        p(&["provider", "share", "describe", &id])
            .stdout
            .contains("INVITED")
    );
    let resources = p(&["-o", "json", "provider", "resource", "list"]);
    let resources: Vec<serde_json::Value> = serde_json::from_str(&resources.stdout).unwrap();
    assert_eq!(
        p(&[
            "provider",
            "resource",
            "describe",
            resources[0]["id"].as_str().unwrap()
        ])
        .code,
        0
    );
    assert_eq!(p(&["provider", "share", "delete", &id, "--force"]).code, 0);
    let bad = p(&[
        "provider",
        "invite",
        "create",
        "--email",
        "nope",
        "--resource",
        TOPIC,
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);

    let refused = p(&["provider", "opt-out"]);
    assert_eq!(
        refused.code, 2,
        "no terminal, no --force: {}",
        refused.stderr
    );
    let out = p(&["-o", "json", "provider", "opt-out", "--force"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()["stream_share_enabled"],
        false
    );

    let completions = p(&["completions", "bash"]);
    assert!(completions.code == 0 && completions.stdout.contains("cdx"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_show_requests_and_never_secrets() {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let dir = tempfile::tempdir().unwrap();
    let config = sim.config();
    let out = Command::new(env!("CARGO_BIN_EXE_cdx"))
        .args(["consumer", "redeem", &invite.token, "--save", "r.json"])
        .current_dir(dir.path())
        .env("CONFLUENT_CLOUD_API_KEY", &config.consumer_key.0)
        .env("CONFLUENT_CLOUD_API_SECRET", &config.consumer_key.1)
        .env("CDX_API_URL", sim.base_url())
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    let run = finish(out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for shown in [
        "redeem_cdx_v1_shared_token",
        "/cdx/v1/shared-tokens:redeem",
        "status=200",
        "request_id",
        "attempt=1",
        "elapsed_ms",
    ] {
        assert!(
            run.stderr.contains(shown),
            "{shown} missing from the log:\n{}",
            run.stderr
        );
    }
    let saved: cdx_ext::Redemption =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    for secret in [
        config.consumer_key.1.as_str(),
        invite.token.as_str(),
        saved.kafka_api_secret().expose_secret(),
        saved.schema_registry().unwrap().api_secret.expose_secret(),
    ] {
        assert!(
            !run.stderr.contains(secret) && !run.stdout.contains(secret),
            "a secret reached the output"
        );
    }
}

/// Replaces what differs between shares and runs in a redemption's output: the share id and
/// the API keys.
fn stable_redemption(text: &str, sim: &Simulator, r: &cdx_ext::Redemption) -> String {
    let mut text = stable(text, sim).replace(r.kafka_api_key(), "KAFKA_KEY");
    if let Some(sr) = r.schema_registry() {
        text = text.replace(sr.api_key, "SR_KEY");
    }
    text.replace(r.share_id(), "SHARE_ID")
}

fn saved_redemption(path: &Path) -> cdx_ext::Redemption {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The secrets of a saved redemption, none of which may be printed without --show-secrets.
fn secrets_of(r: &cdx_ext::Redemption) -> Vec<String> {
    let mut secrets = vec![r.kafka_api_secret().expose_secret().to_string()];
    secrets.extend(
        r.schema_registry()
            .map(|sr| sr.api_secret.expose_secret().to_string()),
    );
    secrets
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeem_json_and_yaml_summaries_are_masked() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let json = consumer(
        &sim,
        dir.path(),
        &[
            "-o",
            "json",
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "client.json",
            "--config-format",
            "json",
            "--group-suffix",
            ".billing",
        ],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let saved = saved_redemption(
        &dir.path()
            .join(format!("stream-share-{}.json", invite.provider_share_id)),
    );
    for secret in secrets_of(&saved) {
        assert!(!json.stdout.contains(&secret) && !json.stderr.contains(&secret));
    }
    serde_json::from_str::<serde_json::Value>(&json.stdout).expect("one JSON document");
    insta::assert_snapshot!("redeem_json", stable_redemption(&json.stdout, &sim, &saved));

    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let yaml = consumer(
        &sim,
        dir.path(),
        &["-o", "yaml", "consumer", "redeem", &invite.token],
    );
    assert_eq!(yaml.code, 0, "{}", yaml.stderr);
    let saved = saved_redemption(
        &dir.path()
            .join(format!("stream-share-{}.json", invite.provider_share_id)),
    );
    for secret in secrets_of(&saved) {
        assert!(!yaml.stdout.contains(&secret) && !yaml.stderr.contains(&secret));
    }
    // The `cli` feature's YAML library (this test runs with that feature) reads it back.
    let summary: serde_json::Value = serde_norway::from_str(&yaml.stdout).unwrap();
    assert_eq!(summary["kafka_api_secret"], "******** (use --show-secrets)");
    assert_eq!(
        summary["schema_registry_api_secret"],
        "******** (use --show-secrets)"
    );
    assert!(!yaml.stdout.contains(&invite.token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_prints_the_apis_objects() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    sim.seed_consumer_shares(1);
    let list = consumer(
        &sim,
        dir.path(),
        &["-o", "json", "consumer", "share", "list"],
    );
    assert_eq!(list.code, 0, "{}", list.stderr);
    insta::assert_snapshot!("consumer_share_list_json", stable(&list.stdout, &sim));

    let inspect = cdx(
        &sim,
        false,
        dir.path(),
        &[
            "-o",
            "json",
            "consumer",
            "token",
            "inspect",
            "--token-file",
            "-",
        ],
        Some(&invite.token),
    );
    assert_eq!(inspect.code, 0, "{}", inspect.stderr);
    assert!(!inspect.stdout.contains(&invite.token));
    insta::assert_snapshot!("token_inspect_json", stable(&inspect.stdout, &sim));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeem_compares_paths_as_the_file_system_resolves_them() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let id = invite.provider_share_id.clone();

    // (a) One file spelt two ways is refused before the token is sent.
    for (save, config) in [
        ("a.json", "./a.json"),
        ("sub/../a.json", "a.json"),
        ("./sub/a.json", "sub/a.json"),
    ] {
        let run = redeem(
            &sim,
            dir.path(),
            &invite.token,
            &["--save", save, "--config-file", config],
        );
        assert_eq!(run.code, 2, "{save} vs {config}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("--save and --config-file name the same file"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        sim.count(Operation::RedeemSharedToken),
        0,
        "nothing was sent"
    );

    // (b) The default save name skips the configuration file's name: both files are written.
    let default_name = format!("stream-share-{id}.json");
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--config-file", &format!("./{default_name}")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let saved_path = dir.path().join(format!("stream-share-{id}-2.json"));
    let saved = saved_redemption(&saved_path);
    assert_eq!(saved.share_id(), id);
    assert_eq!(mode(&saved_path), 0o600);
    assert!(
        std::fs::read_to_string(dir.path().join(&default_name))
            .unwrap()
            .contains("bootstrap.servers="),
        "the configuration has the name asked for"
    );
    assert!(
        run.stdout.contains(&format!(
            "Saved Redemption:           stream-share-{id}-2.json"
        )),
        "{}",
        run.stdout
    );

    // With --force the configuration replaces an existing file of that name, and the saved
    // redemption still goes elsewhere.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let id = invite.provider_share_id.clone();
    let default_name = format!("stream-share-{id}.json");
    std::fs::write(dir.path().join(&default_name), "old").unwrap();
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--config-file", &default_name, "--force"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        saved_redemption(&dir.path().join(format!("stream-share-{id}-2.json"))).share_id(),
        id
    );
    assert!(
        std::fs::read_to_string(dir.path().join(&default_name))
            .unwrap()
            .contains("bootstrap.servers=")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_with_nothing_to_apply_to_are_refused() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    for extra in [
        &["--config-format", "python"][..],
        &["--group-suffix", ".app"][..],
    ] {
        let mut args = vec!["consumer", "redeem", &invite.token];
        args.extend(extra);
        let run = consumer(&sim, dir.path(), &args);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("add --config-file PATH")
                && run.stderr.contains("Nothing was sent."),
            "{}",
            run.stderr
        );
    }
    assert!(sim.requests().is_empty(), "nothing was sent");

    // A configuration is rendered from a saved redemption, never over it (even with --force).
    let run = redeem(&sim, dir.path(), &invite.token, &["--save", "r.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = std::fs::read(dir.path().join("r.json")).unwrap();
    for target in ["r.json", "./r.json"] {
        let run = consumer(
            &sim,
            dir.path(),
            &[
                "config",
                "render",
                "--from",
                "r.json",
                "--config-file",
                target,
                "--force",
            ],
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("saved redemption"), "{}", run.stderr);
    }
    assert_eq!(std::fs::read(dir.path().join("r.json")).unwrap(), before);
}

/// Runs `cdx` with a standard output whose reader is already gone.
fn with_closed_stdout(sim: &Simulator, dir: &Path, args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = command(sim, false, dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    finish(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_ends_cdx_quietly() {
    let sim = sim().await;
    sim.seed_consumer_shares(3);
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["consumer", "share", "list"][..],
        &["-o", "json", "consumer", "share", "list"][..],
        &["completions", "bash"][..],
    ] {
        let run = with_closed_stdout(&sim, dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    }

    // After a redeem the files are saved; stderr says where, since the summary was lost.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let run = with_closed_stdout(
        &sim,
        dir.path(),
        &[
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "client.properties",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let saved = format!("stream-share-{}.json", invite.provider_share_id);
    assert_eq!(
        saved_redemption(&dir.path().join(&saved)).share_id(),
        invite.provider_share_id
    );
    assert!(dir.path().join("client.properties").exists());
    assert!(
        run.stderr.contains("Standard output was closed") && run.stderr.contains(&saved),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructive_commands_refuse_without_a_terminal_before_sending_anything() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let cases: [(bool, &[&str]); 4] = [
        (
            false,
            &["consumer", "share", "delete", "ss-00001", "ss-nope"],
        ),
        (
            true,
            &["provider", "share", "delete", &invite.provider_share_id],
        ),
        (true, &["provider", "share", "delete", "ss-nope"]),
        (true, &["provider", "opt-out"]),
    ];
    for (as_provider, args) in cases {
        let run = cdx(&sim, as_provider, dir.path(), args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        let first = run.stderr.lines().next().unwrap();
        assert!(
            first.starts_with("Error: Refusing to ")
                && first.contains("--force")
                && first.ends_with("Nothing was sent."),
            "{first}"
        );
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

/// Runs `cdx` on a pseudo-terminal (util-linux `script`, which `cargo xtask setup` installs
/// when missing), typing `input`; stdout and stderr arrive mixed, as on a screen.
fn on_terminal(sim: &Simulator, as_provider: bool, dir: &Path, args: &[&str], input: &str) -> Run {
    cdx_test_tools::require_program("script");
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let line = std::iter::once(env!("CARGO_BIN_EXE_cdx"))
        .chain(args.iter().copied())
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ");
    // The same environment as `command` gives cdx, passed through `script`.
    let base = command(sim, as_provider, dir);
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .envs(base.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    finish(child.wait_with_output().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_cdx_asks() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    // The token prompt: `--token-file -` on a terminal says what it waits for.
    let inspect = on_terminal(
        &sim,
        false,
        dir.path(),
        &["consumer", "token", "inspect", "--token-file", "-"],
        &format!("{}\n", invite.token),
    );
    assert_eq!(inspect.code, 0, "{}", inspect.stdout);
    // (Whether the token is echoed depends on when `script` types it, before or after cdx
    // turns echo off, so only the prompt and the result are checked.)
    assert!(
        inspect
            .stdout
            .contains("Paste the share token (hidden), then press Enter: "),
        "{}",
        inspect.stdout
    );
    assert!(inspect.stdout.contains("orders"), "{}", inspect.stdout);

    // Declining: "Operation terminated.", exit 0, nothing deleted.
    for (as_provider, args) in [
        (
            true,
            vec!["provider", "share", "delete", &invite.provider_share_id],
        ),
        (true, vec!["provider", "opt-out"]),
    ] {
        let run = on_terminal(&sim, as_provider, dir.path(), &args, "n\n");
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert!(
            run.stdout.contains("[y/N]") && run.stdout.contains("Operation terminated."),
            "{}",
            run.stdout
        );
    }
    assert_eq!(sim.count(Operation::DeleteProviderShare), 0);
    assert_eq!(sim.count(Operation::UpdateOptIn), 0);
    let yes = on_terminal(
        &sim,
        true,
        dir.path(),
        &["provider", "share", "delete", &invite.provider_share_id],
        "y\n",
    );
    assert_eq!(yes.code, 0, "{}", yes.stdout);
    assert_eq!(sim.count(Operation::DeleteProviderShare), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_are_one_sentence_then_the_apis_details() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();

    // 401: only what cdx reads is named, and the server's words appear once.
    let out = command(&sim, false, dir.path())
        .env("CONFLUENT_CLOUD_API_SECRET", "not-the-secret")
        .args(["consumer", "share", "list"])
        .output()
        .unwrap();
    let denied = finish(out);
    assert_eq!(denied.code, 1);
    assert!(
        denied.stderr.starts_with(
            "Error: Authentication failed: check the Cloud API key and secret (CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET).\n"
        ),
        "{}",
        denied.stderr
    );
    assert!(!denied.stderr.contains("access token"), "{}", denied.stderr);
    assert_eq!(
        denied
            .stderr
            .to_lowercase()
            .matches("the api key is invalid")
            .count(),
        1,
        "{}",
        denied.stderr
    );
    assert!(denied.stderr.contains("HTTP 401, request id req-"));

    // A retry notice ends the reason's sentence before "Retrying".
    sim.inject(Fault::once(
        Operation::ListConsumerShares,
        FaultAction::Status(503),
    ));
    let retried = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(retried.code, 0, "{}", retried.stderr);
    let notice = retried.stderr.lines().next().unwrap();
    assert!(
        notice.contains(". Retrying in ") && !notice.contains(".. "),
        "{notice}"
    );

    // A text/plain error body is summarised: status, type, request id, a short excerpt.
    sim.inject(Fault::once(
        Operation::ListConsumerShares,
        FaultAction::NonJson(500),
    ));
    let plain = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    assert!(
        plain.stderr.starts_with("Error: The API's answer to ")
            && plain
                .stderr
                .contains("HTTP 500, text/plain, request id req-")
            && plain
                .stderr
                .contains("body: upstream connect error or disconnect/reset before headers"),
        "{}",
        plain.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_and_completions_list_the_values() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let help = consumer(&sim, dir.path(), &["consumer", "redeem", "--help"]);
    assert_eq!(help.code, 0);
    for shown in [
        "java:",
        "librdkafka:",
        "python:",
        "spring-boot:",
        "json:",
        "-2.json",
        "cdx's summary",
        "the API's objects",
    ] {
        assert!(help.stdout.contains(shown), "{shown}:\n{}", help.stdout);
    }
    let delete = consumer(&sim, dir.path(), &["consumer", "share", "delete", "--help"]);
    assert!(
        delete.stdout.contains("Operation terminated.") && delete.stdout.contains("exits 0"),
        "{}",
        delete.stdout
    );
    let completions = consumer(&sim, dir.path(), &["completions", "bash"]);
    assert!(
        completions
            .stdout
            .contains("java librdkafka python spring-boot json"),
        "the formats complete"
    );
    let bad = consumer(
        &sim,
        dir.path(),
        &[
            "consumer",
            "redeem",
            "t",
            "--config-file",
            "c",
            "--config-format",
            "toml",
        ],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("spring-boot"), "{}", bad.stderr);

    // Several CRNs after one --resource, and --resource repeated, add up.
    let subject = TOPIC.replace("/kafka=lkc-1/topic=orders", "/subject=orders-value");
    let payments = TOPIC.replace("orders", "payments");
    let p = |args: &[&str]| provider(&sim, dir.path(), args);
    assert_eq!(p(&["provider", "opt-in"]).code, 0);
    let created = p(&[
        "-o",
        "json",
        "provider",
        "invite",
        "create",
        "--email",
        "a@example.com",
        "--resource",
        TOPIC,
        &subject,
        "--resource",
        &payments,
    ]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let invite = sim
        .requests()
        .into_iter()
        .rfind(|r| r.method == "POST")
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&invite.body).unwrap();
    let sent = body.to_string();
    for crn in [TOPIC, subject.as_str(), payments.as_str()] {
        assert!(sent.contains(crn), "{crn} missing from {sent}");
    }

    // A token may begin with '-'; a mistyped option is not sent as one.
    let hyphen = consumer(
        &sim,
        dir.path(),
        &[
            "consumer",
            "token",
            "inspect",
            "-Xq3vN0tAr3alT0kEn_but-a-Wellformed-0ne",
        ],
    );
    assert_eq!(hyphen.code, 1, "sent, and not found: {}", hyphen.stderr);
    assert!(hyphen.stderr.contains("HTTP 404"), "{}", hyphen.stderr);
    let before =
        sim.count(Operation::ResourcesSharedToken) + sim.count(Operation::RedeemSharedToken);
    let typo = consumer(&sim, dir.path(), &["consumer", "redeem", "--show-secret"]);
    assert_eq!(typo.code, 2, "{}", typo.stderr);
    assert!(typo.stderr.contains("--show-secret"), "{}", typo.stderr);
    assert_eq!(
        sim.count(Operation::ResourcesSharedToken) + sim.count(Operation::RedeemSharedToken),
        before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_input_is_capped_and_checked() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.log"), vec![b'a'; 10 * 1024 * 1024]).unwrap();
    std::fs::write(
        dir.path().join("image.png"),
        [0x89, b'P', b'N', b'G', 0xff, 0xfe],
    )
    .unwrap();
    let started = std::time::Instant::now();
    let big = consumer(
        &sim,
        dir.path(),
        &["consumer", "redeem", "--token-file", "big.log"],
    );
    assert_eq!(big.code, 2, "{}", big.stderr);
    assert!(
        big.stderr
            .contains("the token file big.log holds more than a token can be"),
        "{}",
        big.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let binary = consumer(
        &sim,
        dir.path(),
        &["consumer", "redeem", "--token-file", "image.png"],
    );
    assert_eq!(binary.code, 2);
    assert!(binary.stderr.contains("is not text"), "{}", binary.stderr);
    let piped = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "token", "inspect", "--token-file", "-"],
        Some(&"b".repeat(1024 * 1024)),
    );
    assert_eq!(piped.code, 2, "{}", piped.stderr);
    assert!(
        piped
            .stderr
            .contains("standard input holds more than a token can be")
    );
    // A token with the whitespace a file or a pipe adds is read.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    std::fs::write(
        dir.path().join("t.txt"),
        format!("\n{}\r\n\n", invite.token),
    )
    .unwrap();
    let ok = consumer(
        &sim,
        dir.path(),
        &["consumer", "token", "inspect", "--token-file", "t.txt"],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(sim.requests().len() == 1, "only the last inspect was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_link_redeems_show_the_network_or_say_there_is_none() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();

    // A private-link account on a public cluster: said, not left to be guessed.
    let public = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let run = redeem(
        &sim,
        dir.path(),
        &public.token,
        &["--aws-account", "000000000000"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("public internet, not a private link")
            && !run.stdout.contains("Network"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "Secrets are masked above: the saved files (mode 0600) hold them, and --show-secrets prints them."
        ),
        "{}",
        run.stderr
    );

    for (cloud, flag, account) in [
        (
            "AZURE",
            "--azure-subscription",
            "11111111-2222-3333-4444-555555555555",
        ),
        ("GCP", "--gcp-project", "my-project-1"),
    ] {
        let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
        sim.set_network(&invite.shared_resource_id, cloud);
        let run = redeem(&sim, dir.path(), &invite.token, &[flag, account]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let saved = saved_redemption(
            &dir.path()
                .join(format!("stream-share-{}.json", invite.provider_share_id)),
        );
        let summary = stable_redemption(&run.stdout, &sim, &saved)
            .replace(&invite.shared_resource_id, "SR_ID");
        insta::assert_snapshot!(format!("redeem_{}_human", cloud.to_lowercase()), summary);
    }

    // Machine output of describe prints the share object alone: no network requests.
    let before = sim.count(Operation::ListConsumerSharedResources);
    let networks = sim.count(Operation::NetworkConsumerSharedResource);
    let described = consumer(
        &sim,
        dir.path(),
        &[
            "-o",
            "json",
            "consumer",
            "share",
            "describe",
            &public.provider_share_id,
        ],
    );
    assert_eq!(described.code, 0, "{}", described.stderr);
    assert_eq!(sim.count(Operation::ListConsumerSharedResources), before);
    assert_eq!(
        sim.count(Operation::NetworkConsumerSharedResource),
        networks
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_statuses_clouds_and_kinds_print_as_they_came() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    sim.set_network(&invite.shared_resource_id, "AWS");

    sim.inject(Fault::once(
        Operation::RedeemSharedToken,
        FaultAction::UnknownUnionKinds,
    ));
    let redeem = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--aws-account", "000000000000"],
    );
    assert_eq!(redeem.code, 0, "{}", redeem.stderr);
    assert!(
        redeem
            .stdout
            .lines()
            .any(|l| l.starts_with("Other Resources:")
                && l.ends_with(r#" {"kind":"Connector","connector":"c1"}"#)),
        "{}",
        redeem.stdout
    );
    let id = invite.provider_share_id.as_str();

    sim.inject(Fault::once(
        Operation::ListConsumerShares,
        FaultAction::UnknownEnumValues,
    ));
    let shares = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(shares.code, 0, "{}", shares.stderr);
    assert!(shares.stdout.contains("SUSPENDED"), "{}", shares.stdout);

    sim.inject(Fault::once(
        Operation::ListConsumerSharedResources,
        FaultAction::UnknownEnumValues,
    ));
    let resources = consumer(&sim, dir.path(), &["consumer", "resource", "list"]);
    assert_eq!(resources.code, 0, "{}", resources.stderr);
    assert!(
        resources.stdout.contains("ORACLE") && resources.stdout.contains("TRANSIT_GATEWAY"),
        "{}",
        resources.stdout
    );

    sim.inject(Fault::once(
        Operation::NetworkConsumerSharedResource,
        FaultAction::UnknownUnionKinds,
    ));
    let describe = consumer(&sim, dir.path(), &["consumer", "share", "describe", id]);
    assert_eq!(describe.code, 0, "{}", describe.stderr);
    assert!(
        describe.stdout.contains("Network Kind:") && describe.stdout.contains("OracleNetwork"),
        "{}",
        describe.stdout
    );

    sim.inject(Fault::once(
        Operation::ListProviderShares,
        FaultAction::UnknownEnumValues,
    ));
    let provider = provider(&sim, dir.path(), &["provider", "share", "list"]);
    assert_eq!(provider.code, 0, "{}", provider.stderr);
    assert!(
        provider.stdout.contains("SUSPENDED") && provider.stdout.contains("CARRIER_PIGEON"),
        "{}",
        provider.stdout
    );
}
