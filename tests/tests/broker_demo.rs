//! `cargo xtask demo --kafka` (the `cdx-demo --kafka` binary): the offline demo on a local Kafka
//! broker ends with a Java and a Python consumer reading every shared record from the files it
//! wrote, and prints no secret.

use std::process::Command;

#[test]
fn the_kafka_demo_ends_with_real_consumers_reading_the_shared_records() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cdx-demo"))
        .arg(out.path())
        .arg("--kafka")
        .output()
        .expect("cdx-demo starts");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert!(
        output.status.success(),
        "cdx-demo --kafka failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("produced 5 records (2 in the Confluent wire format"),
        "{stdout}"
    );
    for (who, group) in [
        ("a Java KafkaConsumer", "demo-java"),
        ("a confluent-kafka Python Consumer", "demo-python"),
    ] {
        let line = stdout
            .lines()
            .find(|l| l.contains(&format!("{who} configured from")))
            .unwrap_or_else(|| panic!("no line for {who}: {stdout}"));
        assert!(
            line.ends_with(&format!(
                "read 5 records with group.id stream-share.ss-00001.{group}"
            )),
            "{line}"
        );
    }
    assert!(
        stdout
            .contains(r#"SchemaRegistryClient lists ["orders-value"] and resolved schema ids [1]"#),
        "{stdout}"
    );
    let redemption: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("redemption.json")).unwrap())
            .unwrap();
    for key in ["secret", "schema_registry_secret"] {
        let secret = redemption[key].as_str().expect("a secret");
        assert!(!stdout.contains(secret), "{key} printed:\n{stdout}");
    }
    // Every character a file must quote reached the broker intact.
    let secret = redemption["secret"].as_str().unwrap();
    for c in ['\'', '"', '\\', '/', '=', ':', '#', '!', ' ', 'ü', '日'] {
        assert!(secret.contains(c), "the secret lacks {c:?}");
    }
}
