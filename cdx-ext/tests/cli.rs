//! The `cdx` binary against the simulator: every command's success path, the exit-status rules,
//! the no-loss rules of `redeem`, and what reaches stdout, stderr and the logs.
#![cfg(feature = "cli")]

use cdx_tests::sim::{Fault, FaultAction, SimConfig, Simulator};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const TOPIC: &str = "crn://confluent.cloud/organization=org-1/environment=env-1/schema-registry=lsrc-1/kafka=lkc-1/topic=orders";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `cdx` as the simulator's consumer (or provider) in `dir`, with `stdin` piped in.
fn cdx(sim: &Simulator, as_provider: bool, dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let config = sim.config();
    let (key, secret) = if as_provider {
        &config.provider_key
    } else {
        &config.consumer_key
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_cdx"))
        .args(args)
        .current_dir(dir)
        .env("CONFLUENT_CLOUD_API_KEY", key)
        .env("CONFLUENT_CLOUD_API_SECRET", secret)
        .env("CDX_API_URL", sim.base_url())
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cdx runs");
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    finish(child.wait_with_output().unwrap())
}

async fn sim() -> Simulator {
    Simulator::start(SimConfig {
        fixed_now: Some("2026-11-22T10:00:00Z".parse().unwrap()),
        ..SimConfig::default()
    })
    .await
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

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
    let run = cdx(
        &sim,
        false,
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
        None,
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
            "--group-suffix",
            "has space",
        ],
        vec![
            "consumer",
            "redeem",
            &invite.token,
            "--config-format",
            "toml",
        ],
        vec!["consumer", "redeem"],
        vec!["consumer", "redeem", "two words"],
    ];
    for args in cases {
        let run = cdx(&sim, false, dir.path(), &args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            !run.stderr.contains(&invite.token),
            "the token is not echoed"
        );
    }
    assert_eq!(sim.count("redeemCdxV1SharedToken"), 0, "nothing was sent");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("client.properties")).unwrap(),
        "mine",
        "not overwritten"
    );

    // With --force the file is replaced.
    let run = cdx(
        &sim,
        false,
        dir.path(),
        &[
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "client.properties",
            "--force",
        ],
        None,
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
        cdx(
            &sim,
            false,
            dir.path(),
            &["consumer", "redeem", &invite.token],
            None
        )
        .code,
        0
    );
    let again = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "redeem", &invite.token],
        None,
    );
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

    let mut bad = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "list"],
        None,
    );
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
        operation_id: Some("listCdxV1ConsumerShares".into()),
        times: 10,
        action: FaultAction::Html(502),
    });
    let html = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "list"],
        None,
    );
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
        operation_id: Some("listCdxV1ConsumerShares".into()),
        times: 1,
        action: FaultAction::RateLimited {
            retry_after: Some(1),
            reset: None,
        },
    });
    let limited = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "list"],
        None,
    );
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
    let json = cdx(
        &sim,
        false,
        dir.path(),
        &["-o", "json", "consumer", "share", "list"],
        None,
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(items.len(), 120);
    assert!(
        items[0]["id"].is_string() && items[0]["status"]["phase"].is_string(),
        "the API's objects"
    );
    let yaml = cdx(
        &sim,
        false,
        dir.path(),
        &["-o", "yaml", "consumer", "share", "list"],
        None,
    );
    assert!(yaml.stdout.starts_with("- "), "{}", yaml.stdout);

    let human = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "list"],
        None,
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumer_commands() {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    sim.set_network(&invite.shared_resource_id, "AWS");
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token.txt");
    std::fs::write(&token_file, &invite.token).unwrap();

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
            "token.txt",
        ],
        None,
    );
    assert_eq!(inspect.code, 0, "{}", inspect.stderr);
    let resources: Vec<serde_json::Value> = serde_json::from_str(&inspect.stdout).unwrap();
    assert!(!resources.is_empty());
    assert_eq!(
        sim.count("redeemCdxV1SharedToken"),
        0,
        "inspecting does not redeem"
    );

    let redeem = cdx(
        &sim,
        false,
        dir.path(),
        &[
            "consumer",
            "redeem",
            "--token-file",
            "token.txt",
            "--aws-account",
            "000000000000",
        ],
        None,
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
    let id = redeem
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Share ID:"))
        .unwrap()
        .trim()
        .to_string();

    let describe = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "describe", &id],
        None,
    );
    assert_eq!(describe.code, 0, "{}", describe.stderr);
    assert!(
        describe.stdout.contains("ACTIVE") && describe.stdout.contains("Network Kind"),
        "{}",
        describe.stdout
    );
    let resources = cdx(
        &sim,
        false,
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
        None,
    );
    let list: Vec<serde_json::Value> = serde_json::from_str(&resources.stdout).unwrap();
    let sr = list[0]["id"].as_str().unwrap();
    let one = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "resource", "describe", sr],
        None,
    );
    assert_eq!(one.code, 0, "{}", one.stderr);

    // Deleting needs a terminal or --force.
    let refused = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "delete", &id],
        None,
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"));
    assert_eq!(sim.count("deleteCdxV1ConsumerShare"), 0);
    let deleted = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "delete", &id, "--force"],
        None,
    );
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    assert!(
        deleted
            .stderr
            .contains(&format!("Deleted consumer share \"{id}\"."))
    );
    let gone = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "delete", "ss-nope", "--force"],
        None,
    );
    assert_eq!(gone.code, 1);
    assert!(gone.stderr.contains("not found"), "{}", gone.stderr);

    // Offline rendering of the saved redemption.
    let saved = format!("stream-share-{id}.json");
    let rendered = cdx(
        &sim,
        false,
        dir.path(),
        &[
            "config",
            "render",
            "--from",
            &saved,
            "--config-format",
            "librdkafka",
        ],
        None,
    );
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);
    assert!(
        rendered.stdout.contains("sasl.mechanisms=PLAIN"),
        "{}",
        rendered.stdout
    );
    let to_file = cdx(
        &sim,
        false,
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
        None,
    );
    assert_eq!(to_file.code, 0, "{}", to_file.stderr);
    assert_eq!(mode(&dir.path().join("app.properties")), 0o600);
    let again = cdx(
        &sim,
        false,
        dir.path(),
        &[
            "config",
            "render",
            "--from",
            &saved,
            "--config-file",
            "app.properties",
        ],
        None,
    );
    assert_eq!(again.code, 2, "no overwrite without --force");
    let not_json = cdx(
        &sim,
        false,
        dir.path(),
        &["config", "render", "--from", "token.txt"],
        None,
    );
    assert_eq!(not_json.code, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_commands() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let p = |args: &[&str]| cdx(&sim, true, dir.path(), args, None);
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
