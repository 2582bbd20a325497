//! The proof that cdx's configuration files work: a real Kafka broker (one per test binary), the
//! simulator in real-Kafka mode, the `cdx` binary on the consumer side (inspect, redeem, write
//! the java, librdkafka, python and spring-boot files), and real clients configured with nothing
//! but those files (plus the broker's throwaway CA, test-only) consuming every record the
//! provider produced, with the file's `group.id`. Then the rules the broker enforces: the group
//! prefix, the shared topics only, and nothing after a revoke.

use cdx_broker::clients::{Consumed, Job, Reader, Refused, consume};
use cdx_broker::{Broker, confluent_wire};
use cdx_sim::{KafkaAccess, SimConfig, Simulator};
use cdx_test_tools::cdx_binary;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const SCHEMA: &str = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#;

/// A simulator handing out `Broker::shared()`'s access, on a runtime of its own.
fn kafka_sim() -> (tokio::runtime::Runtime, Simulator) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let sim = rt.block_on(Simulator::start(SimConfig {
        kafka: Some(KafkaAccess::new(Broker::shared())),
        ..SimConfig::default()
    }));
    (rt, sim)
}

/// Runs `cdx` as the simulator's consumer (or provider) in `dir`, `stdin` piped in; returns
/// stdout, failing with stderr on a non-zero exit.
fn cdx(sim: &Simulator, provider: bool, dir: &Path, args: &[&str], stdin: &str) -> String {
    let config = sim.config();
    let (key, secret) = if provider {
        &config.provider_key
    } else {
        &config.consumer_key
    };
    let mut child = Command::new(cdx_binary())
        .current_dir(dir)
        .env("CONFLUENT_CLOUD_API_KEY", key)
        .env("CONFLUENT_CLOUD_API_SECRET", secret)
        .env("CDX_API_URL", sim.base_url())
        .env_remove("RUST_LOG")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cdx runs");
    use std::io::Write as _;
    let _ = child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes());
    let out = child.wait_with_output().expect("cdx output");
    assert!(
        out.status.success(),
        "cdx {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A shared topic with `plain` JSON records then `wire` records in the Confluent wire format
/// (schema registered under `<topic>-value`); returns the values in order and the schema id.
fn provider_topic(sim: &Simulator, topic: &str, plain: usize, wire: usize) -> (Vec<Vec<u8>>, u32) {
    let broker = Broker::shared();
    broker.create_topic(topic, 1);
    let schema_id = sim.register_schema(&format!("{topic}-value"), "AVRO", SCHEMA);
    let mut values = Vec::new();
    for i in 0..plain + wire {
        let value = if i < plain {
            format!("{{\"id\":{i}}}").into_bytes()
        } else {
            confluent_wire(schema_id, &[i as u8 * 2])
        };
        broker.produce(topic, Some(format!("k{i}").as_bytes()), &value);
        values.push(value);
    }
    (values, schema_id)
}

/// The consumer's side with the cdx binary: inspect, then redeem writing the java file, then
/// the other files rendered from the saved redemption. Returns the share id and the files.
///
/// Each file's group suffix is `.<topic>.<format>`: the tests' simulators all number their
/// shares from ss-00001, and consumers of one group that subscribe to different topics would
/// share one assignment (needing every member's topics).
struct Files {
    share_id: String,
    group_prefix: String,
    java: PathBuf,
    spring_boot: PathBuf,
    librdkafka: PathBuf,
    python: PathBuf,
}

fn redeem_with_cdx(sim: &Simulator, token: &str, topic: &str, dir: &Path) -> Files {
    let shown = cdx(
        sim,
        false,
        dir,
        &["consumer", "token", "inspect", "--token-file", "-"],
        &format!("{token}\n"),
    );
    assert!(shown.contains(topic), "{shown}");
    cdx(
        sim,
        false,
        dir,
        &[
            "consumer",
            "redeem",
            "--token-file",
            "-",
            "--save",
            "redemption.json",
            "--config-file",
            "client.properties",
            "--config-format",
            "java",
            "--group-suffix",
            &format!(".{topic}.java"),
        ],
        &format!("{token}\n"),
    );
    let redemption: cdx_ext::Redemption =
        serde_json::from_slice(&std::fs::read(dir.join("redemption.json")).unwrap()).unwrap();
    for (format, file, suffix) in [
        ("spring-boot", "application.properties", "spring"),
        ("librdkafka", "librdkafka.config", "rdkafka"),
        ("python", "client.ini", "python"),
    ] {
        cdx(
            sim,
            false,
            dir,
            &[
                "config",
                "render",
                "--from",
                "redemption.json",
                "--config-format",
                format,
                "--config-file",
                file,
                "--group-suffix",
                &format!(".{topic}.{suffix}"),
            ],
            "",
        );
    }
    Files {
        share_id: redemption.share_id().to_string(),
        group_prefix: redemption
            .group_prefix()
            .expect("a group prefix")
            .to_string(),
        java: dir.join("client.properties"),
        spring_boot: dir.join("application.properties"),
        librdkafka: dir.join("librdkafka.config"),
        python: dir.join("client.ini"),
    }
}

fn values(consumed: &Consumed) -> Vec<Vec<u8>> {
    consumed.records.iter().map(|r| r.value.clone()).collect()
}

#[test]
fn every_file_consumes_every_shared_record_with_its_own_group_id() {
    let (_rt, sim) = kafka_sim();
    let topic = "orders-proof";
    let (produced, schema_id) = provider_topic(&sim, topic, 3, 3);
    let invite = sim.seed_invite(
        &sim.config().consumer_email,
        &[topic],
        &[&format!("{topic}-value")],
    );
    let dir = tempfile::tempdir().unwrap();
    let files = redeem_with_cdx(&sim, &invite.token, topic, dir.path());
    let n = produced.len();
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("redemption.json")).unwrap())
            .unwrap();
    for key in ["secret", "schema_registry_secret"] {
        let secret = saved[key].as_str().unwrap();
        for c in ['\'', '"', '\\', '/', '=', ':', '#', '!', ' ', 'é'] {
            assert!(
                secret.contains(c),
                "the {key} lacks {c:?}: the proof would be weaker"
            );
        }
    }

    let results = consume(
        Broker::shared(),
        &[
            Job::new(Reader::Java, &files.java, topic, n),
            Job::new(Reader::SpringBoot, &files.spring_boot, topic, n),
            Job::new(Reader::Librdkafka, &files.librdkafka, topic, n),
            Job::new(Reader::Python, &files.python, topic, n),
        ],
    );
    for (result, suffix) in results.iter().zip(["java", "spring", "rdkafka", "python"]) {
        let consumed = result
            .as_ref()
            .unwrap_or_else(|e| panic!("the {suffix} consumer failed: {e:?}"));
        assert_eq!(values(consumed), produced, "{suffix}");
        assert_eq!(
            consumed.group,
            format!("{}.{topic}.{suffix}", files.group_prefix)
        );
        assert!(
            consumed
                .group
                .starts_with(&format!("stream-share.{}", files.share_id))
        );
    }
    let python = results[3].as_ref().unwrap();
    assert_eq!(
        python.subjects.as_deref(),
        Some(&[format!("{topic}-value")][..]),
        "the SchemaRegistryClient lists the shared subject"
    );
    assert_eq!(
        python.schemas.get(&schema_id).map(String::as_str),
        Some(SCHEMA)
    );
}

fn refused(result: &Result<Consumed, Refused>) -> &Refused {
    match result {
        Ok(c) => panic!("expected a refusal, read {} records", c.records.len()),
        Err(e) => e,
    }
}

#[test]
fn the_broker_enforces_the_group_prefix_the_shared_topics_and_the_revoke() {
    let (_rt, sim) = kafka_sim();
    let topic = "orders-rules";
    let (produced, _) = provider_topic(&sim, topic, 2, 0);
    provider_topic(&sim, "not-shared", 1, 0);
    let invite = sim.seed_invite(&sim.config().consumer_email, &[topic], &[]);
    let dir = tempfile::tempdir().unwrap();
    let files = redeem_with_cdx(&sim, &invite.token, topic, dir.path());
    let quick = Duration::from_secs(30);
    let outside = "not-the-share-prefix.app";

    let results = consume(
        Broker::shared(),
        &[
            Job::new(Reader::Java, &files.java, topic, 1)
                .with_group(outside)
                .with_timeout(quick),
            Job::new(Reader::Librdkafka, &files.librdkafka, topic, 1)
                .with_group(outside)
                .with_timeout(quick),
            Job::new(Reader::Java, &files.java, "not-shared", 1).with_timeout(quick),
            Job::new(Reader::Librdkafka, &files.librdkafka, "not-shared", 1).with_timeout(quick),
            Job::new(Reader::Java, &files.java, topic, produced.len()),
        ],
    );
    assert_eq!(refused(&results[0]).error, "GroupAuthorizationException");
    assert_eq!(refused(&results[1]).error, "GROUP_AUTHORIZATION_FAILED");
    assert_eq!(refused(&results[2]).error, "TopicAuthorizationException");
    assert_eq!(refused(&results[3]).error, "TOPIC_AUTHORIZATION_FAILED");
    assert_eq!(values(results[4].as_ref().unwrap()), produced);

    // The provider revokes the share: the next attempt is not authorized.
    cdx(
        &sim,
        true,
        dir.path(),
        &["provider", "share", "delete", "--force", &files.share_id],
        "",
    );
    let results = consume(
        Broker::shared(),
        &[
            Job::new(Reader::Java, &files.java, topic, 1).with_timeout(quick),
            Job::new(Reader::Python, &files.python, topic, 1).with_timeout(quick),
        ],
    );
    let java = refused(&results[0]);
    assert!(
        java.error.ends_with("AuthorizationException"),
        "Java after the revoke: {java:?}"
    );
    let python = refused(&results[1]);
    assert!(
        python.error.ends_with("_AUTHORIZATION_FAILED"),
        "Python after the revoke: {python:?}"
    );
}

#[test]
fn a_consumer_leaving_the_share_loses_its_access() {
    let (_rt, sim) = kafka_sim();
    let topic = "orders-leave";
    let (produced, _) = provider_topic(&sim, topic, 1, 0);
    let invite = sim.seed_invite(&sim.config().consumer_email, &[topic], &[]);
    let dir = tempfile::tempdir().unwrap();
    let files = redeem_with_cdx(&sim, &invite.token, topic, dir.path());
    let job = Job::new(Reader::Java, &files.java, topic, produced.len())
        .with_timeout(Duration::from_secs(30));
    let before = consume(Broker::shared(), std::slice::from_ref(&job));
    assert!(before[0].is_ok(), "{before:?}");

    cdx(
        &sim,
        false,
        dir.path(),
        &["consumer", "share", "delete", "--force", &files.share_id],
        "",
    );
    let after = consume(Broker::shared(), &[job]);
    assert!(
        refused(&after[0]).error.ends_with("AuthorizationException"),
        "{after:?}"
    );
}

#[test]
fn the_schema_registry_stand_in_serves_the_shares_subjects_to_its_key_only() {
    let (rt, sim) = kafka_sim();
    let topic = "orders-registry";
    let (_, schema_id) = provider_topic(&sim, topic, 0, 0);
    let other_id = sim.register_schema("not-shared-value", "JSON", "{}");
    let subject = format!("{topic}-value");
    let invite = sim.seed_invite(&sim.config().consumer_email, &[topic], &[&subject]);
    let token = cdx_ext::ShareToken::new(invite.token).unwrap();
    let client = cdx_tests::clients::consumer(&sim);
    let redemption = rt.block_on(client.redeem(&token, None)).unwrap();
    let access = redemption.schema_registry().expect("registry access");
    let url = access.url.trim_end_matches('/').to_string();
    assert_eq!(Some(url.clone()), sim.schema_registry_url());
    let (key, secret) = (
        access.api_key.to_string(),
        access.api_secret.expose_secret().to_string(),
    );

    let http = reqwest::Client::new();
    let get = |path: &str, auth: Option<(&str, &str)>| {
        let mut request = http.get(format!("{url}{path}"));
        if let Some((user, password)) = auth {
            request = request.basic_auth(user, Some(password));
        }
        rt.block_on(async {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        })
    };
    let auth = Some((key.as_str(), secret.as_str()));
    assert_eq!(get("/subjects", auth), (200, serde_json::json!([subject])));
    let (status, latest) = get(&format!("/subjects/{subject}/versions/latest"), auth);
    assert_eq!(status, 200);
    assert_eq!(latest["id"], schema_id);
    assert_eq!(latest["schema"], SCHEMA);
    let (status, by_id) = get(&format!("/schemas/ids/{schema_id}"), auth);
    assert_eq!((status, by_id["schema"].as_str()), (200, Some(SCHEMA)));
    // Another share's subject and schema are not this key's.
    assert_eq!(
        get("/subjects/not-shared-value/versions/latest", auth).0,
        403
    );
    assert_eq!(get(&format!("/schemas/ids/{other_id}"), auth).0, 404);
    // No credentials, or a wrong secret: 401 with the registry's error code.
    let (status, body) = get("/subjects", None);
    assert_eq!((status, body["error_code"].as_u64()), (401, Some(40101)));
    assert_eq!(get("/subjects", Some((key.as_str(), "wrong"))).0, 401);
    // After the consumer leaves the share, its key opens nothing.
    rt.block_on(client.delete_consumer_share(redemption.share_id()))
        .unwrap();
    assert_eq!(get("/subjects", auth).0, 401);
}
