//! `cdx consumer redeem` when things go wrong around a single-use token: answers that do not
//! decode, output paths that cannot be written, shares the consumer could not reach,
//! interruptions, and what the terminal is shown.
#![cfg(feature = "cli")]

mod support;

use cdx_ext::Operation;
use cdx_sim::{Fault, FaultAction};
use serde_json::json;
use support::{cdx, consumer, mode, provider, redeem, sim};

const REDEEM: Operation = Operation::RedeemSharedToken;

fn answer(api_version: &str, kind: &str) -> serde_json::Value {
    json!({
        "api_version": api_version, "kind": kind, "id": "ss-future",
        "api_key": "FUTUREKEY", "secret": "future-kafka-s3cret",
        "kafka_bootstrap_url": "SASL_SSL://pkc-future.us-west-2.aws.confluent.cloud:9092",
        "resources": [
            {"kind": "Topic", "topic": "orders"},
            {"kind": "Group", "group_prefix": "stream-share.ss-future"}
        ],
        "x_new_field": {"nested": [1, 2]}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_answer_is_saved_raw_and_redeems() {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let dir = tempfile::tempdir().unwrap();
    let sent = answer("cdx/v2", "RedeemTokenResponseV2");
    sim.inject(Fault::once(REDEEM, FaultAction::Json(200, sent.clone())));
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--config-file", "client.properties"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let saved = dir.path().join("stream-share-ss-future.json");
    let raw: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(raw, sent, "saved exactly as received");
    assert_eq!(mode(&saved), 0o600);
    let config = std::fs::read_to_string(dir.path().join("client.properties")).unwrap();
    assert!(
        config.contains("pkc-future.us-west-2.aws.confluent.cloud:9092"),
        "{config}"
    );
    assert!(
        !run.stdout.contains("future-kafka-s3cret"),
        "{}",
        run.stdout
    );
    // The saved answer renders again, offline.
    let again = consumer(
        &sim,
        dir.path(),
        &[
            "config",
            "render",
            "--from",
            "stream-share-ss-future.json",
            "--config-format",
            "python",
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("pkc-future"), "{}", again.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_answer_is_saved_and_the_error_says_where() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    // A number where the API key belongs; --save chooses the path.
    let mut sent = answer("cdx/v1", "RedeemTokenResponse");
    sent["api_key"] = json!(12345);
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    sim.inject(Fault::once(REDEEM, FaultAction::Json(200, sent.clone())));
    let run = redeem(&sim, dir.path(), &invite.token, &["--save", "kept.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let saved = dir.path().join("kept.json");
    let raw: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(raw, sent);
    assert_eq!(mode(&saved), 0o600);
    assert!(
        run.stderr.contains("The token was redeemed")
            && run.stderr.contains("kept.json")
            && run.stderr.contains("cdx consumer share list"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("future-kafka-s3cret"),
        "{}",
        run.stderr
    );

    // Not JSON at all, and no --save: the default name says the id is unknown.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    sim.inject(Fault::once(REDEEM, FaultAction::Truncate));
    let run = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let saved = dir.path().join("stream-share-unknown.json");
    assert!(saved.exists(), "{}", run.stderr);
    assert!(
        run.stderr.contains("stream-share-unknown.json") && run.stderr.contains("truncated"),
        "{}",
        run.stderr
    );
    assert_eq!(sim.count(REDEEM), 2, "each token sent once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_output_path_is_checked_before_the_token_is_sent() {
    let sim = sim().await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("existing")).unwrap();
    let cases: [&[&str]; 6] = [
        &["--config-file", "out/"],
        &["--config-file", "existing/"],
        &["--config-file", "existing/."],
        &["--save", "newdir/"],
        &["--save", "newdir/kept.json"],
        &["--save", "existing/..", "--force"],
    ];
    for extra in cases {
        let mut args = vec!["consumer", "redeem", &invite.token];
        args.extend_from_slice(extra);
        let run = consumer(&sim, dir.path(), &args);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("Nothing was sent") && !run.stderr.contains(&invite.token),
            "{extra:?}: {}",
            run.stderr
        );
        if extra[1].ends_with('/') {
            assert!(run.stderr.contains("add a file name"), "{}", run.stderr);
        }
    }
    assert_eq!(sim.count(REDEEM), 0, "nothing was sent");
    assert!(!dir.path().join("out").exists() && !dir.path().join("newdir").exists());

    // `config render` checks its output path too.
    std::fs::write(
        dir.path().join("saved.json"),
        serde_json::to_vec(&answer("cdx/v1", "RedeemTokenResponse")).unwrap(),
    )
    .unwrap();
    let run = consumer(
        &sim,
        dir.path(),
        &[
            "config",
            "render",
            "--from",
            "saved.json",
            "--config-file",
            "out/",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("add a file name"), "{}", run.stderr);
}

const INSPECT: Operation = Operation::ResourcesSharedToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_only_shares_are_refused_without_an_account() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    for (cloud, flag) in [
        ("AWS", "--aws-account"),
        ("AZURE", "--azure-subscription"),
        ("GCP", "--gcp-project"),
    ] {
        // One topic per cluster: invitations to one topic share its resource.
        let topic = format!("orders-{cloud}");
        let invite = sim.seed_invite("jane.doe@example.com", &[&topic], &[]);
        sim.set_network(&invite.shared_resource_id, cloud);
        let run = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
        assert_eq!(run.code, 2, "{cloud}: {}", run.stderr);
        assert!(
            run.stderr.contains(flag)
                && run.stderr.contains("--public")
                && run.stderr.contains("The token was not spent"),
            "{cloud}: {}",
            run.stderr
        );
        assert_eq!(sim.count(REDEEM), 0, "{cloud}: the token was kept");
    }
    // --public says the user means it.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders-AWS"], &[]);
    sim.set_network(&invite.shared_resource_id, "AWS");
    let run = redeem(&sim, dir.path(), &invite.token, &["--public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sim.count(REDEEM), 1);
    // --public with an account is a contradiction.
    let invite = sim.seed_invite("jane.doe@example.com", &["public-orders"], &[]);
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--public", "--aws-account", "000000000000"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);

    // A public share is redeemed after one look at its resources.
    let inspected = sim.count(INSPECT);
    let run = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sim.count(INSPECT), inspected + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_connection_types_and_clouds_are_warned_about() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    // An unknown connection type: warned about, then redeemed (no guess either way).
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    sim.set_network(&invite.shared_resource_id, "AWS");
    sim.inject(Fault::once(INSPECT, FaultAction::UnknownEnumValues));
    let run = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Warning:") && run.stderr.contains("TRANSIT_GATEWAY"),
        "{}",
        run.stderr
    );

    // Private-only on a cloud cdx does not know: warned about, and refused naming every flag.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let resources = json!({"consumer_shared_resources": [
        {"id": "sr-x", "cloud": "ORACLE", "network_connection_types": ["PRIVATELINK"]}
    ]});
    sim.inject(Fault::once(INSPECT, FaultAction::Json(200, resources)));
    let before = sim.count(REDEEM);
    let run = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("ORACLE")
            && ["--aws-account", "--azure-subscription", "--gcp-project"]
                .iter()
                .all(|f| run.stderr.contains(f)),
        "{}",
        run.stderr
    );
    assert_eq!(sim.count(REDEEM), before);
}

/// Starts a redeem the simulator answers after `delay`, and returns once the request arrived.
fn slow_redeem(
    sim: &cdx_sim::Simulator,
    dir: &std::path::Path,
    token: &str,
    delay: std::time::Duration,
) -> std::process::Child {
    use std::process::Stdio;
    sim.inject(Fault::once(REDEEM, FaultAction::Delay(delay)));
    let before = sim.count(REDEEM);
    let mut child = support::command(sim, false, dir)
        .args(["consumer", "redeem", token])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..1000 {
        if sim.count(REDEEM) > before {
            return child;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the redeem never reached the simulator");
}

fn signal(child: &std::process::Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits at most 30 s for `child`.
fn wait(mut child: std::process::Child) -> support::Run {
    for _ in 0..3000 {
        if child.try_wait().unwrap().is_some() {
            return support::finish(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    panic!("cdx did not end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_during_a_redeem_waits_for_the_answer_and_saves_it() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let child = slow_redeem(
        &sim,
        dir.path(),
        &invite.token,
        std::time::Duration::from_secs(2),
    );
    signal(&child, "INT");
    let run = wait(child);
    assert_eq!(run.code, 130, "{}", run.stderr);
    assert!(
        run.stderr.contains("the redeem is finishing"),
        "{}",
        run.stderr
    );
    let saved = dir
        .path()
        .join(format!("stream-share-{}.json", invite.provider_share_id));
    assert_eq!(mode(&saved), 0o600, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&saved.file_name().unwrap().to_string_lossy().into_owned())
            && run.stderr.contains("cdx config render"),
        "{}",
        run.stderr
    );
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert!(kept["secret"].is_string(), "the credentials are saved");

    // SIGTERM, then SIGINT: the second abandons the redeem.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let child = slow_redeem(
        &sim,
        dir.path(),
        &invite.token,
        std::time::Duration::from_secs(5),
    );
    signal(&child, "TERM");
    std::thread::sleep(std::time::Duration::from_millis(200));
    signal(&child, "INT");
    let run = wait(child);
    assert_eq!(run.code, 130, "{}", run.stderr);
    assert!(
        run.stderr.contains("may have been redeemed")
            && run.stderr.contains("check `cdx consumer share list`"),
        "{}",
        run.stderr
    );
    assert!(
        !dir.path()
            .join(format!("stream-share-{}.json", invite.provider_share_id))
            .exists()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_stdout_after_a_redeem_still_says_where_the_files_are() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    let out = support::command(&sim, false, dir.path())
        .args([
            "consumer",
            "redeem",
            &invite.token,
            "--config-file",
            "client.config",
            "--config-format",
            "librdkafka",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(full)
        .output()
        .unwrap();
    let run = support::finish(out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let saved = format!("stream-share-{}.json", invite.provider_share_id);
    assert!(
        run.stderr.contains("The token was redeemed")
            && run.stderr.contains(&saved)
            && run.stderr.contains("client.config")
            && run.stderr.contains("standard output"),
        "{}",
        run.stderr
    );
    assert_eq!(mode(&dir.path().join(&saved)), 0o600);
    assert_eq!(mode(&dir.path().join("client.config")), 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mistyped_flags_get_clap_suggestions_and_never_show_the_token() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let token = invite.token.as_str();
    std::fs::write(dir.path().join("token.txt"), token).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["consumer", "redeem", "--froce", token], "--force"),
        (&["consumer", "redeem", token, "--froce"], "--force"),
        (&["consumer", "redeem", "--tokne", token], "--token-file"),
        (
            &["consumer", "token", "inspect", "--tokne-file", "token.txt"],
            "--token-file",
        ),
        (&["consumer", "redeem", token, token], ""),
    ];
    for (args, suggestion) in cases {
        let run = consumer(&sim, dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("unexpected argument"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("'{suggestion}")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains(token) && !run.stdout.contains(token),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(
        sim.count(REDEEM) + sim.count(INSPECT),
        0,
        "nothing was sent"
    );
    // A token that begins with '-' is still a token (here: an unknown one, refused by the API).
    let run = consumer(
        &sim,
        dir.path(),
        &["consumer", "token", "inspect", "-Ab3_xYz0123456789"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("not found"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_files_from_other_tools_are_cleaned_or_refused() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let token = invite.token.as_str();
    let refused = [
        format!("\"{token}\"\n"),
        format!("'{token}'"),
        format!("\u{201c}{token}\u{201d}"),
        format!("{token}\u{200b}\n"),
        format!("\u{2060}{token}"),
    ];
    for (n, text) in refused.iter().enumerate() {
        let name = format!("bad-{n}.txt");
        std::fs::write(dir.path().join(&name), text).unwrap();
        let run = consumer(
            &sim,
            dir.path(),
            &["consumer", "redeem", "--token-file", &name],
        );
        assert_eq!(run.code, 2, "{text:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("invalid share token") && !run.stderr.contains(token),
            "{text:?}: {}",
            run.stderr
        );
    }
    assert_eq!(
        sim.count(REDEEM) + sim.count(INSPECT),
        0,
        "nothing was sent"
    );

    // A byte-order mark, CRLF and blank lines, as Windows editors save it: redeemed.
    std::fs::write(
        dir.path().join("token.txt"),
        format!("\u{feff}{token}\r\n\r\n"),
    )
    .unwrap();
    let run = consumer(
        &sim,
        dir.path(),
        &["consumer", "redeem", "--token-file", "token.txt"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // And the same from standard input.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let run = cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "token", "inspect", "--token-file", "-"],
        Some(&format!("\u{feff}  {}\n", invite.token)),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_scoped_gcp_projects_are_sent_as_given() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    sim.set_network(&invite.shared_resource_id, "GCP");
    let bad = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--gcp-project", "example:My-Project"],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("example.com:my-project"),
        "{}",
        bad.stderr
    );
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &["--gcp-project", "example.com:my-project"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent: Vec<serde_json::Value> = sim
        .requests()
        .iter()
        .filter(|r| r.operation_id == Some(REDEEM))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["gcp_project"], "example.com:my-project");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_suffixes_get_a_separator_and_an_empty_prefix_is_reported() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &[
            "--config-file",
            "client.properties",
            "--group-suffix",
            "billing",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let group = format!("stream-share.{}.billing", invite.provider_share_id);
    let config = std::fs::read_to_string(dir.path().join("client.properties")).unwrap();
    assert!(
        config.contains(&format!("\ngroup.id={group}\n")),
        "{config}"
    );
    assert!(run.stdout.contains(&group), "{}", run.stdout);

    // An empty prefix from the server: reported, never shown as ".my-app".
    let mut sent = answer("cdx/v1", "RedeemTokenResponse");
    sent["resources"][1]["group_prefix"] = json!("");
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    sim.inject(Fault::once(REDEEM, FaultAction::Json(200, sent.clone())));
    let run = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains(".my-app"), "{}", run.stdout);
    assert!(
        run.stderr.contains("empty consumer group prefix"),
        "{}",
        run.stderr
    );
    // With a suffix, the configuration cannot be written; the redemption is kept.
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    sent["id"] = json!("ss-empty-prefix");
    sim.inject(Fault::once(REDEEM, FaultAction::Json(200, sent)));
    let run = redeem(
        &sim,
        dir.path(),
        &invite.token,
        &[
            "--config-file",
            "other.properties",
            "--group-suffix",
            "billing",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no group.id can be derived")
            && run.stderr.contains("stream-share-ss-empty-prefix.json"),
        "{}",
        run.stderr
    );
    assert!(
        dir.path()
            .join("stream-share-ss-empty-prefix.json")
            .exists()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_same_share_twice_deletes_it_once() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let redeemed = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(redeemed.code, 0, "{}", redeemed.stderr);
    let id = invite.provider_share_id.as_str();
    let run = consumer(
        &sim,
        dir.path(),
        &["consumer", "share", "delete", id, id, "--force"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sim.count(Operation::DeleteConsumerShare), 1);
    assert_eq!(
        run.stderr.matches("Deleted consumer share").count(),
        1,
        "{}",
        run.stderr
    );

    let other = sim.seed_invite("john.doe@example.com", &["payments"], &[]);
    let id = other.provider_share_id.as_str();
    let run = provider(
        &sim,
        dir.path(),
        &["provider", "share", "delete", id, id, "--force"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sim.count(Operation::DeleteProviderShare), 1);
}

/// True when `text` holds a character that can drive a terminal.
fn has_terminal_controls(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_strings_cannot_drive_the_terminal() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let hostile = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J\rForged line\u{202e}";
    let shares = json!({"api_version": "cdx/v1", "kind": "ConsumerShareList", "metadata": {},
        "data": [{"id": "ss-1", "provider_user_name": hostile,
                  "provider_organization_name": hostile, "status": {"phase": hostile}}]});
    sim.inject(Fault::once(
        Operation::ListConsumerShares,
        FaultAction::Json(200, shares),
    ));
    let run = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!has_terminal_controls(&run.stdout), "{:?}", run.stdout);
    assert!(
        run.stdout.contains("evil\\u{1b}]0;pwned\\u{7}"),
        "{}",
        run.stdout
    );

    let resource = json!({"id": "sr-1", "display_name": hostile, "organization_name": hostile,
        "description": format!("line one\n{hostile}")});
    sim.inject(Fault::once(
        Operation::GetConsumerSharedResource,
        FaultAction::Json(200, resource),
    ));
    let run = consumer(
        &sim,
        dir.path(),
        &["consumer", "resource", "describe", "sr-1"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!has_terminal_controls(&run.stdout), "{:?}", run.stdout);
    assert_eq!(
        run.stdout.lines().count(),
        7,
        "no forged line: {}",
        run.stdout
    );

    // Error details too.
    let failure =
        json!({"errors": [{"code": "bad", "detail": format!("{hostile}\nError: forged")}]});
    sim.inject(Fault::once(
        Operation::ListConsumerShares,
        FaultAction::Json(400, failure),
    ));
    let run = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!has_terminal_controls(&run.stderr), "{:?}", run.stderr);
    assert!(run.stderr.contains("pwned"), "{}", run.stderr);
    let starts = run.stderr.lines().filter(|l| l.starts_with("Error:"));
    assert_eq!(starts.count(), 1, "no forged line: {}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_over_the_size_cap_is_saved_then_refused() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
    let cap = cdx_ext::DEFAULT_MAX_RESPONSE_BYTES;
    let mut sent = answer("cdx/v1", "RedeemTokenResponse");
    sent["padding"] = json!("x".repeat(cap));
    sim.inject(Fault::once(REDEEM, FaultAction::Json(200, sent)));
    let run = consumer(&sim, dir.path(), &["consumer", "redeem", &invite.token]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("larger than the 16 MiB response size limit")
            && run.stderr.contains("The beginning of the server's answer")
            && run.stderr.contains("stream-share-unknown.json"),
        "{}",
        run.stderr
    );
    let saved = dir.path().join("stream-share-unknown.json");
    assert_eq!(
        std::fs::metadata(&saved).unwrap().len(),
        cap as u64,
        "the first 16 MiB"
    );
    assert_eq!(mode(&saved), 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_answers_over_the_size_cap_are_refused_unread() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let cap = cdx_ext::DEFAULT_MAX_RESPONSE_BYTES;
    let list = json!({"api_version": "cdx/v1", "kind": "ConsumerShareList", "metadata": {},
        "data": [{"id": "ss-1", "provider_user_name": "x".repeat(cap)}]});
    sim.inject(Fault {
        operation_id: Some(Operation::ListConsumerShares),
        times: 4,
        action: FaultAction::Json(200, list),
    });
    let run = consumer(&sim, dir.path(), &["consumer", "share", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("larger than the 16 MiB response size limit, so it was not read"),
        "{}",
        run.stderr
    );
    assert_eq!(sim.count(Operation::ListConsumerShares), 1, "not retried");
}
