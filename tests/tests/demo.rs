//! The offline demo (`cargo xtask demo`, i.e. the `cdx-demo` binary) runs to the end, writes its
//! files owner-only, masks secrets on screen, and leaves configuration files that the real Java
//! client reader and confluent-kafka (on librdkafka's mock cluster) accept.

use cdx_ext::config::Format;
use cdx_tests::expected::ExpectedConfig;
use cdx_tests::parsers::{confluent_kafka_read, java_read};
use serde_json::Value;
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
    let expected = ExpectedConfig::from_response(&redemption, Some(".demo"));
    // The default simulator answers like the spec example (`SASL://`).
    assert!(text(&redemption, "kafka_bootstrap_url").starts_with("SASL://"));
    assert_eq!(
        expected.group_id.as_deref(),
        Some("stream-share.ss-00001.demo")
    );
    let (_, _, sr_secret) = expected
        .schema_registry
        .clone()
        .expect("Schema Registry access");
    for s in [&expected.secret, &sr_secret] {
        assert!(
            !stdout.contains(s.as_str()),
            "a secret on screen:\n{stdout}"
        );
    }
    assert!(stdout.contains(&format!("API key {}, secret <redacted>", expected.key)));

    // Java: client.properties through Properties.load and Kafka's JAAS tokenizer; librdkafka:
    // client.config and client.ini (as its comments' code loads it) in real confluent-kafka
    // consumers on the mock cluster.
    let java = out.join("client.properties");
    let read = java_read(std::slice::from_ref(&java)).remove(0);
    expected.assert_java_read(Format::Java, &read, &java.display().to_string());
    let files = [
        (Format::Librdkafka, out.join("client.config")),
        (Format::Python, out.join("client.ini")),
    ];
    for ((format, path), read) in files.iter().zip(confluent_kafka_read(&files)) {
        expected.assert_confluent_kafka_read(*format, &read, &path.display().to_string());
    }

    // `cargo xtask demo` can be run again: the demo replaces its own files.
    run_demo(&out);
    assert_eq!(entries(&out), FILES);
}
