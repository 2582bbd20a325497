//! `cdx consumer check` and `cdx consumer peek` against a real Kafka broker (SASL_SSL, PLAIN,
//! ACLs like a stream share's): a healthy share passes every step, each way of breaking it
//! fails its own step with its own hint, and peek reads exactly what was produced without
//! leaving a consumer group or a committed offset behind.
#![cfg(feature = "cli")]

use cdx_broker::{Broker, confluent_wire};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One share on the shared broker: its own key, topic and group prefix.
struct Share {
    key: String,
    secret: String,
    topic: String,
    prefix: String,
    dir: tempfile::TempDir,
}

fn share(name: &str, partitions: u32) -> Share {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let broker = Broker::shared();
    let share = Share {
        key: format!("CHECKKEY{n}{name}"),
        // Every character the config formats must carry (none that librdkafka files refuse).
        secret: format!("s3cr'et \"{n}\" \\ / = : # ! é"),
        topic: format!("check-{name}-{n}"),
        prefix: format!("stream-share.ss-{name}{n}"),
        dir: tempfile::tempdir().unwrap(),
    };
    broker.create_topic(&share.topic, partitions);
    broker.add_user(&share.key, &share.secret);
    broker.grant_share(&share.key, &[&share.topic], &share.prefix);
    share
}

impl Share {
    /// A saved redemption as `cdx consumer redeem` writes it, with these changes.
    fn redemption(&self, bootstrap: &str, secret: &str) -> PathBuf {
        let body = json!({
            "api_version": "cdx/v1", "kind": "RedeemTokenResponse",
            "id": format!("ss-{}", self.key), "api_key": self.key, "secret": secret,
            "kafka_bootstrap_url": format!("SASL_SSL://{bootstrap}"),
            "resources": [
                {"kind": "Topic", "topic": self.topic},
                {"kind": "Group", "group_prefix": self.prefix}
            ]
        });
        let path = self
            .dir
            .path()
            .join(format!("stream-share-{}.json", self.key));
        std::fs::write(&path, serde_json::to_vec_pretty(&body).unwrap()).unwrap();
        path
    }

    fn healthy(&self) -> PathBuf {
        self.redemption(&Broker::shared().bootstrap(), &self.secret)
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cdx(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cdx"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("cdx runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ca() -> String {
    Broker::shared().ca_pem().display().to_string()
}

/// `cdx consumer check --from FILE --ca-file CA -o json EXTRA…`: the exit code and the report.
fn check(from: &Path, extra: &[&str]) -> (i32, Value, Run) {
    let from = from.display().to_string();
    let ca = ca();
    let mut args = vec![
        "consumer",
        "check",
        "--from",
        &from,
        "--step-timeout",
        "8",
        "-o",
        "json",
    ];
    if !extra.contains(&"--no-ca") {
        args.extend(["--ca-file", &ca]);
    }
    args.extend(extra.iter().filter(|a| **a != "--no-ca"));
    let run = cdx(&args);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, report, run)
}

/// The steps as (kind, status, problem).
fn steps(report: &Value) -> Vec<(String, String, String)> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
                s["problem"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The one failed step: (kind, problem, hint). Panics unless exactly one step failed.
fn failure(report: &Value) -> (String, String, String) {
    let failed: Vec<&Value> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{report:#}");
    let s = failed[0];
    (
        s["kind"].as_str().unwrap().to_string(),
        s["problem"].as_str().unwrap().to_string(),
        s["hint"].as_str().unwrap().to_string(),
    )
}

fn assert_no_secret(run: &Run, secret: &str) {
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(secret), "a secret was printed: {text}");
    }
}

#[test]
fn a_healthy_share_passes_every_step() {
    let s = share("healthy", 3);
    let (code, report, run) = check(&s.healthy(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["passed"], true);
    let kinds: Vec<(String, String, String)> = steps(&report);
    let expected = [
        "parse",
        "resolve",
        "connect",
        "tls",
        "authenticate",
        "topic",
        "group",
    ];
    assert_eq!(
        kinds.iter().map(|k| k.0.as_str()).collect::<Vec<_>>(),
        expected,
        "{report:#}"
    );
    assert!(kinds.iter().all(|k| k.1 == "passed"), "{report:#}");
    let topic = &report["steps"][5];
    assert!(
        topic["detail"]
            .as_str()
            .unwrap()
            .starts_with("3 partition(s)"),
        "{topic}"
    );
    assert!(
        report["steps"][6]["title"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{}.cdx-check", s.prefix)),
        "{report:#}"
    );
    assert_no_secret(&run, &s.secret);

    // For people: a ✓ per step, and the closing sentence.
    let from = s.healthy().display().to_string();
    let human = cdx(&["consumer", "check", "--from", &from, "--ca-file", &ca()]);
    assert_eq!(human.code, 0, "{}{}", human.stdout, human.stderr);
    assert_eq!(human.stdout.matches('✓').count(), 7, "{}", human.stdout);
    assert!(
        human.stdout.contains("All 7 steps passed"),
        "{}",
        human.stdout
    );
    assert_no_secret(&human, &s.secret);
}

#[test]
fn every_config_format_cdx_writes_is_checked_the_same() {
    let s = share("formats", 1);
    let from = s.healthy().display().to_string();
    for format in ["java", "librdkafka", "python", "spring-boot", "json"] {
        let file = s.dir.path().join(format!("client.{format}"));
        let file_s = file.display().to_string();
        let render = cdx(&[
            "config",
            "render",
            "--from",
            &from,
            "--config-format",
            format,
            "--group-suffix",
            ".app",
            "--config-file",
            &file_s,
        ]);
        assert_eq!(render.code, 0, "{}", render.stderr);
        let run = cdx(&[
            "consumer",
            "check",
            "--config-file",
            &file_s,
            "--ca-file",
            &ca(),
            "-o",
            "json",
        ]);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(run.code, 0, "{format}: {report:#}");
        let group = report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|st| st["kind"] == "group")
            .unwrap();
        assert!(
            group["title"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{}.app", s.prefix)),
            "{format}: the file's group.id is the one checked: {group}"
        );
        assert!(
            report["steps"][0]["detail"]
                .as_str()
                .unwrap()
                .starts_with(format),
            "{format}: {report:#}"
        );
        assert_no_secret(&run, &s.secret);
    }
}

#[test]
fn a_wrong_password_fails_authentication() {
    let s = share("password", 1);
    let (code, report, run) = check(&s.redemption(&Broker::shared().bootstrap(), "not-it"), &[]);
    assert_eq!(code, 1);
    let (kind, problem, hint) = failure(&report);
    assert_eq!(
        (kind.as_str(), problem.as_str()),
        ("authenticate", "authentication_failed")
    );
    assert!(hint.contains("refused the API key and secret"), "{hint}");
    assert_no_secret(&run, "not-it");
}

#[test]
fn a_revoked_share_fails_at_its_topic() {
    let s = share("revoked", 1);
    assert!(Broker::shared().revoke_share(&s.key) > 0);
    let (code, report, _) = check(&s.healthy(), &[]);
    assert_eq!(code, 1);
    let (kind, problem, hint) = failure(&report);
    assert_eq!(
        (kind.as_str(), problem.as_str()),
        ("topic", "topic_not_authorized")
    );
    assert!(hint.contains("revoked"), "{hint}");
    // The group could not be checked without a readable topic: skipped, not passed.
    let group = steps(&report).into_iter().find(|s| s.0 == "group").unwrap();
    assert_eq!(group.1, "skipped");
}

#[test]
fn a_group_outside_the_prefix_is_refused() {
    let s = share("group", 1);
    let (code, report, _) = check(&s.healthy(), &["--group-id", "my-app"]);
    assert_eq!(code, 1);
    let (kind, problem, hint) = failure(&report);
    assert_eq!(
        (kind.as_str(), problem.as_str()),
        ("group", "group_not_authorized")
    );
    assert!(
        hint.contains(&format!(
            "does not start with the share's prefix \"{}\"",
            s.prefix
        )),
        "{hint}"
    );
}

#[test]
fn an_unresolvable_host_fails_to_resolve() {
    let s = share("dns", 1);
    let (code, report, _) = check(&s.redemption("no-such-host.invalid:9092", &s.secret), &[]);
    assert_eq!(code, 1);
    let (kind, _, hint) = failure(&report);
    assert_eq!(kind, "resolve");
    assert!(hint.contains("no-such-host.invalid"), "{hint}");
    let all = steps(&report);
    assert!(all.iter().skip(2).all(|s| s.1 == "skipped"), "{report:#}");
}

#[test]
fn a_closed_port_refuses_the_connection() {
    let s = share("port", 1);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, report, _) = check(&s.redemption(&format!("127.0.0.1:{port}"), &s.secret), &[]);
    assert_eq!(code, 1);
    let (kind, problem, hint) = failure(&report);
    assert_eq!(
        (kind.as_str(), problem.as_str()),
        ("connect", "connection_refused")
    );
    assert!(hint.contains(&format!("port {port}")), "{hint}");
}

#[test]
fn an_untrusted_certificate_fails_the_handshake() {
    let s = share("tls", 1);
    let (code, report, _) = check(&s.healthy(), &["--no-ca"]);
    assert_eq!(code, 1);
    let (kind, problem, hint) = failure(&report);
    assert_eq!(
        (kind.as_str(), problem.as_str()),
        ("tls", "untrusted_certificate")
    );
    assert!(hint.contains("--ca-file"), "{hint}");
}

#[test]
fn peek_reads_exactly_what_was_produced_and_commits_nothing() {
    let s = share("peek", 2);
    let broker = Broker::shared();
    let mut produced = Vec::new();
    for i in 0..6u8 {
        let value = if i % 2 == 0 {
            format!("plain {i}").into_bytes()
        } else {
            confluent_wire(7, &[i, 0xff])
        };
        let key = format!("k{i}");
        let (partition, offset) = broker.produce(&s.topic, Some(key.as_bytes()), &value);
        produced.push((partition, offset, key, value));
    }
    produced.sort_by_key(|p| (p.0, p.1));
    let from = s.healthy().display().to_string();
    let run = cdx(&[
        "consumer",
        "peek",
        "--from",
        &from,
        "--ca-file",
        &ca(),
        "--limit",
        "100",
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(out["timed_out"], false);
    let records = out["records"].as_array().unwrap();
    assert_eq!(records.len(), produced.len(), "{out:#}");
    for (record, (partition, offset, key, value)) in records.iter().zip(&produced) {
        assert_eq!(record["topic"], s.topic.as_str());
        assert_eq!(record["partition"], *partition);
        assert_eq!(record["offset"], *offset);
        assert_eq!(record["key"]["utf8"], key.as_str());
        match std::str::from_utf8(value) {
            Ok(text) if !value.starts_with(&[0]) => {
                assert_eq!(record["value"]["utf8"], text);
                assert_eq!(record["schema"], Value::Null);
            }
            _ => {
                use base64::Engine as _;
                let b64 = base64::engine::general_purpose::STANDARD.encode(value);
                assert_eq!(record["value"]["base64"], b64.as_str());
                assert_eq!(record["schema"]["id"], 7, "{record}");
            }
        }
    }

    // A limit, and the newest records.
    let limited = cdx(&[
        "consumer",
        "peek",
        "--from",
        &from,
        "--ca-file",
        &ca(),
        "--limit",
        "2",
        "--offset",
        "latest",
        "-o",
        "json",
    ]);
    let out: Value = serde_json::from_str(&limited.stdout).unwrap();
    assert_eq!(out["records"].as_array().unwrap().len(), 2, "{out:#}");

    // From an offset, in every partition.
    let from_one = cdx(&[
        "consumer",
        "peek",
        "--from",
        &from,
        "--ca-file",
        &ca(),
        "--offset",
        "1",
        "--limit",
        "100",
        "-o",
        "json",
    ]);
    let out: Value = serde_json::from_str(&from_one.stdout).unwrap();
    let offsets: Vec<(u64, u64)> = out["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["partition"].as_u64().unwrap(),
                r["offset"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(u64, u64)> = produced
        .iter()
        .filter(|p| p.1 >= 1)
        .map(|p| (u64::from(p.0), p.1))
        .collect();
    assert_eq!(offsets, expected);

    // For people: escaped bytes, the schema id.
    let human = cdx(&["consumer", "peek", "--from", &from, "--ca-file", &ca()]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stdout.contains("value: \"plain 0\""),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("schema id 7"), "{}", human.stdout);
    assert!(human.stdout.contains("\"\\u{1}\\xff\""), "{}", human.stdout);
    assert_no_secret(&human, &s.secret);

    // Nothing left behind: no consumer group exists with the share's prefix.
    let groups = admin_groups();
    assert!(
        !groups.iter().any(|g| g.starts_with(&s.prefix)),
        "peek left a consumer group: {groups:?}"
    );
}

/// Every consumer group on the broker, listed as the provider's admin.
fn admin_groups() -> Vec<String> {
    use rdkafka::ClientConfig;
    use rdkafka::consumer::{BaseConsumer, Consumer as _};
    let broker = Broker::shared();
    let (user, password) = broker.admin_credentials();
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("security.protocol", "SASL_SSL")
        .set("sasl.mechanisms", "PLAIN")
        .set("sasl.username", user)
        .set("sasl.password", password)
        .set("ssl.ca.location", ca())
        .create()
        .unwrap();
    let list = consumer
        .fetch_group_list(None, std::time::Duration::from_secs(20))
        .unwrap();
    list.groups().iter().map(|g| g.name().to_string()).collect()
}

/// The simulator's consumer credentials and URL, as `cdx` reads them from the environment.
fn consumer_env(sim: &cdx_sim::Simulator) -> Vec<(&'static str, String)> {
    let (key, secret) = sim.config().consumer_key.clone();
    vec![
        ("CONFLUENT_CLOUD_API_KEY", key),
        ("CONFLUENT_CLOUD_API_SECRET", secret),
        ("CDX_API_URL", sim.base_url()),
    ]
}

/// `cdx ARGS` in `dir` with `env`, `stdin` piped in.
fn cdx_in(dir: &Path, env: &[(&str, String)], args: &[&str], stdin: Option<String>) -> Run {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cdx"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A private-link share whose host does not resolve here: the hint names the network's DNS
/// domain and zonal subdomains, read from the API (no broker needed).
#[tokio::test(flavor = "multi_thread")]
async fn an_unresolvable_private_link_host_names_the_dns_to_set_up() {
    use cdx_sim::{SimConfig, Simulator};
    let sim = Simulator::start(SimConfig::default()).await;
    let invite = sim.seed_invite(&sim.config().consumer_email, &["orders"], &[]);
    sim.set_network(&invite.shared_resource_id, "AWS");
    let dir = tempfile::tempdir().unwrap();
    let env = consumer_env(&sim);
    let cwd = dir.path().to_path_buf();
    let token = invite.token.clone();
    tokio::task::spawn_blocking(move || {
        let redeem = cdx_in(
            &cwd,
            &env,
            &[
                "consumer",
                "redeem",
                "--token-file",
                "-",
                "--aws-account",
                "000000000000",
                "-o",
                "json",
            ],
            Some(token),
        );
        assert_eq!(redeem.code, 0, "{}", redeem.stderr);
        let summary: Value = serde_json::from_str(&redeem.stdout).unwrap();
        let saved = summary["files"][0]["path"].as_str().unwrap().to_string();
        let domain = summary["network"]["dns_domain"]
            .as_str()
            .unwrap()
            .to_string();
        let check = cdx_in(
            &cwd,
            &env,
            &[
                "consumer",
                "check",
                "--from",
                &saved,
                "--step-timeout",
                "3",
                "-o",
                "json",
            ],
            None,
        );
        let report: Value = serde_json::from_str(&check.stdout).unwrap();
        assert_eq!(check.code, 1, "{report:#}");
        let resolve = &report["steps"][1];
        assert_eq!(
            (&resolve["kind"], &resolve["status"]),
            (&json!("resolve"), &json!("failed"))
        );
        let hint = resolve["hint"].as_str().unwrap();
        assert!(hint.contains(&format!("the DNS domain {domain}")), "{hint}");
        assert!(
            hint.contains(&format!(".{domain}")),
            "the zonal subdomains: {hint}"
        );
    })
    .await
    .unwrap();
    sim.shutdown().await;
}

const ORDER_SCHEMA: &str = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"item","type":"string"}]}"#;

/// The issue's "done when": against the simulator's real broker, a consumer redeems, checks
/// (Schema Registry included) and peeks at the provider's records, Avro decoded.
#[tokio::test(flavor = "multi_thread")]
async fn redeem_then_check_then_peek_against_the_simulators_broker() {
    use cdx_sim::{KafkaAccess, SimConfig, Simulator};
    let broker = Broker::shared();
    let sim = Simulator::start(SimConfig {
        kafka: Some(KafkaAccess::new(broker)),
        ..SimConfig::default()
    })
    .await;
    broker.create_topic("journey-orders", 1);
    let id = sim.register_schema("journey-orders-value", "AVRO", ORDER_SCHEMA);
    // {"id": 21, "item": "ab"}, then a plain text value.
    broker.produce(
        "journey-orders",
        Some(b"o-21"),
        &confluent_wire(id, &[42, 4, b'a', b'b']),
    );
    broker.produce("journey-orders", None, b"not avro");
    let invite = sim.seed_invite(
        &sim.config().consumer_email,
        &["journey-orders"],
        &["journey-orders-value"],
    );
    let dir = tempfile::tempdir().unwrap();
    let env = consumer_env(&sim);
    let cwd = dir.path().to_path_buf();
    let run = move |args: &[&str], stdin: Option<String>| cdx_in(&cwd, &env, args, stdin);
    let ca = ca();
    let dir_path = dir.path().to_path_buf();
    let token = invite.token.clone();
    tokio::task::spawn_blocking(move || {
        let redeem = run(
            &["consumer", "redeem", "--token-file", "-", "-o", "json"],
            Some(token),
        );
        assert_eq!(redeem.code, 0, "{}", redeem.stderr);
        let summary: Value = serde_json::from_str(&redeem.stdout).unwrap();
        let saved = summary["files"][0]["path"].as_str().unwrap().to_string();
        let saved_path = dir_path.join(&saved);
        let r: Value = serde_json::from_slice(&std::fs::read(&saved_path).unwrap()).unwrap();
        let kafka_secret = r["secret"].as_str().unwrap().to_string();
        let sr_secret = r["schema_registry_secret"].as_str().unwrap().to_string();

        let check = run(&["consumer", "check", "--from", &saved, "--ca-file", &ca, "-o", "json"], None);
        let report: Value = serde_json::from_str(&check.stdout).unwrap();
        assert_eq!(check.code, 0, "{report:#}");
        let kinds: Vec<(String, String, String)> = steps(&report);
        assert_eq!(kinds.last().unwrap().0, "schema_registry", "{report:#}");
        assert!(
            report["steps"].as_array().unwrap().last().unwrap()["detail"]
                .as_str()
                .unwrap()
                .contains("journey-orders-value"),
            "{report:#}"
        );
        for text in [&check.stdout, &check.stderr, &redeem.stdout, &redeem.stderr] {
            assert!(!text.contains(&kafka_secret) && !text.contains(&sr_secret), "{text}");
        }

        let peek = run(&["consumer", "peek", "--from", &saved, "--ca-file", &ca, "--limit", "5", "-o", "json"], None);
        assert_eq!(peek.code, 0, "{}", peek.stderr);
        let out: Value = serde_json::from_str(&peek.stdout).unwrap();
        let records = out["records"].as_array().unwrap();
        assert_eq!(records.len(), 2, "{out:#}");
        assert_eq!(records[0]["key"]["utf8"], "o-21");
        let schema = &records[0]["schema"];
        assert_eq!(schema["id"], id, "{schema}");
        assert_eq!(schema["subject"], "journey-orders-value", "{schema}");
        assert_eq!(schema["schema_type"], "AVRO", "{schema}");
        assert_eq!(schema["decoded"], json!({"id": 21, "item": "ab"}), "{schema}");
        assert_eq!(records[1]["value"]["utf8"], "not avro");
        let human = run(&["consumer", "peek", "--from", &saved, "--ca-file", &ca], None);
        assert!(
            human.stdout.contains(&format!(
                "value (schema id {id}, subject journey-orders-value, AVRO): {{\"id\":21,\"item\":\"ab\"}}"
            )),
            "{}",
            human.stdout
        );

        // A wrong Schema Registry secret fails that step alone, with its own hint.
        let mut wrong = r.clone();
        wrong["schema_registry_secret"] = json!("not-the-sr-secret");
        let wrong_path = dir_path.join("wrong-sr.json");
        std::fs::write(&wrong_path, serde_json::to_vec(&wrong).unwrap()).unwrap();
        let bad = run(&["consumer", "check", "--from", "wrong-sr.json", "--ca-file", &ca, "-o", "json"], None);
        let report: Value = serde_json::from_str(&bad.stdout).unwrap();
        assert_eq!(bad.code, 1);
        let (kind, problem, hint) = failure(&report);
        assert_eq!((kind.as_str(), problem.as_str()), ("schema_registry", "schema_registry_refused"));
        assert!(hint.contains("schema_registry_api_key"), "{hint}");
    })
    .await
    .unwrap();
    sim.shutdown().await;
}

/// A file that cannot be used fails the first step with what to do, and nothing is contacted.
#[test]
fn an_unusable_file_fails_the_parse_step() {
    let dir = tempfile::tempdir().unwrap();
    let redemption = dir.path().join("stream-share-ss-1.json");
    std::fs::write(
        &redemption,
        r#"{"id":"ss-1","api_key":"K","secret":"TOPSECRET","kafka_bootstrap_url":"127.0.0.1:1","resources":[]}"#,
    )
    .unwrap();
    let garbage = dir.path().join("notes.txt");
    std::fs::write(&garbage, "hello\nsasl.password=TOPSECRET\n").unwrap();
    for (flag, path, hint) in [
        ("--config-file", &redemption, "pass it with --from"),
        ("--from", &garbage, "stream-share-<share id>.json"),
        ("--config-file", &garbage, "cdx config render"),
    ] {
        let path = path.display().to_string();
        let run = cdx(&["consumer", "check", flag, &path, "-o", "json"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["steps"].as_array().unwrap().len(), 1, "{report:#}");
        let (kind, problem, text) = failure(&report);
        assert_eq!((kind.as_str(), problem.as_str()), ("parse", "unreadable"));
        assert!(text.contains(hint), "{flag} {path}: {text}");
        assert_no_secret(&run, "TOPSECRET");
    }
    // A peek of it is refused as invalid input (exit 2), before anything is sent.
    let path = garbage.display().to_string();
    let run = cdx(&["consumer", "peek", "--config-file", &path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_no_secret(&run, "TOPSECRET");
}
