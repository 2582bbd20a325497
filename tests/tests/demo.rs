//! The offline demo (`cargo xtask demo`, i.e. the `cdx-demo` binary) runs to the end, writes its
//! files owner-only, masks secrets on screen, and leaves configuration files that the real Java
//! client reader and confluent-kafka (on librdkafka's mock cluster) accept.

use cdx_ext::config::Format;
use cdx_tests::parsers::{JaasEntry, confluent_kafka_read, java_read};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const FILES: [&str; 4] = [
    "client.config",
    "client.ini",
    "client.properties",
    "redemption.json",
];

/// Runs the demo into `out`; its stdout.
fn run_demo(out: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_cdx-demo"))
        .arg(out)
        .output()
        .expect("cdx-demo starts");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert!(
        output.status.success(),
        "cdx-demo failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("redemption.json has no {key}: {v}"))
}

#[test]
fn the_demo_leaves_files_that_real_clients_accept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let stdout = run_demo(&out);

    // Only the files it announces, owner-only, no temporary file left behind.
    assert_eq!(entries(&out), FILES);
    #[cfg(unix)]
    for name in FILES {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    for step in [
        "opted in",
        "invited jane.doe@example.com",
        "share offered: ss-00001",
        "inspected the token",
        "redeemed it (once)",
        "wrote (mode 0600)",
    ] {
        assert!(stdout.contains(step), "{step:?} in:\n{stdout}");
    }

    // What the simulator answered, as the demo saved it.
    let redemption: Value =
        serde_json::from_slice(&std::fs::read(out.join("redemption.json")).unwrap()).unwrap();
    let key = text(&redemption, "api_key");
    let secret = text(&redemption, "secret");
    let sr_key = text(&redemption, "schema_registry_api_key");
    let sr_secret = text(&redemption, "schema_registry_secret");
    let sr_url = text(&redemption, "schema_registry_url");
    let url = text(&redemption, "kafka_bootstrap_url");
    // The default simulator answers like the spec example; a client config wants host:port.
    let bootstrap = url
        .strip_prefix("SASL://")
        .expect("a SASL:// bootstrap URL");
    let group_id = "stream-share.ss-00001.demo";
    for s in [secret, sr_secret] {
        assert!(!stdout.contains(s), "a secret on screen:\n{stdout}");
    }
    assert!(stdout.contains(&format!("API key {key}, secret <redacted>")));

    // Java: client.properties through Properties.load and Kafka's JAAS tokenizer.
    let java = java_read(&[out.join("client.properties")]).remove(0);
    let props = |k: &str| java.props.get(k).map(String::as_str);
    assert_eq!(props("bootstrap.servers"), Some(bootstrap));
    assert_eq!(props("security.protocol"), Some("SASL_SSL"));
    assert_eq!(props("sasl.mechanism"), Some("PLAIN"));
    assert_eq!(props("group.id"), Some(group_id));
    assert_eq!(props("schema.registry.url"), Some(sr_url));
    assert_eq!(props("basic.auth.credentials.source"), Some("USER_INFO"));
    let user_info = format!("{sr_key}:{sr_secret}");
    assert_eq!(props("basic.auth.user.info"), Some(user_info.as_str()));
    assert_eq!(
        java.jaas,
        Some(vec![JaasEntry {
            module: "org.apache.kafka.common.security.plain.PlainLoginModule".into(),
            flag: "REQUIRED".into(),
            options: BTreeMap::from([
                ("password".into(), secret.into()),
                ("username".into(), key.into()),
            ]),
        }])
    );

    // librdkafka: client.config and client.ini (as its comments' code loads it) in real
    // confluent-kafka consumers on the mock cluster.
    let reads = confluent_kafka_read(&[
        (Format::Librdkafka, out.join("client.config")),
        (Format::Python, out.join("client.ini")),
    ]);
    let kafka: BTreeMap<String, String> = [
        ("bootstrap.servers", bootstrap),
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanisms", "PLAIN"),
        ("sasl.username", key),
        ("sasl.password", secret),
        ("session.timeout.ms", "45000"),
        ("group.id", group_id),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for read in &reads {
        assert_eq!(read.brokers, 1, "metadata from the mock cluster");
        assert_eq!(read.kafka, kafka);
    }
    assert_eq!(reads[0].schema_registry, None);
    let sr = reads[1]
        .schema_registry
        .as_ref()
        .expect("a SchemaRegistryClient");
    assert_eq!(sr.urls, [sr_url]);
    assert_eq!(sr.auth, Some((sr_key.to_string(), sr_secret.to_string())));

    // `cargo xtask demo` can be run again: the demo replaces its own files.
    run_demo(&out);
    assert_eq!(entries(&out), FILES);
}
