//! The real-broker harness itself: one Apache Kafka node started for this binary, its admin
//! actions (topics, records, stream-share ACLs) and its TLS material.

use cdx_tests::broker::{Broker, confluent_wire};

#[test]
fn the_provider_creates_topics_produces_and_grants_then_revokes_share_access() {
    let broker = Broker::shared();
    assert!(broker.bootstrap().starts_with("127.0.0.1:"));
    let ca = std::fs::read_to_string(broker.ca_pem()).expect("the CA file");
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");

    broker.create_topic("harness-orders", 1);
    assert_eq!(
        broker.produce("harness-orders", Some(b"k"), b"first"),
        (0, 0)
    );
    assert_eq!(
        broker.produce("harness-orders", None, &confluent_wire(7, b"{}")),
        (0, 1)
    );

    broker.add_user("HARNESSKEY", "pa ss 'x' \"y\" \\ / = : # ! é");
    broker.grant_share("HARNESSKEY", &["harness-orders"], "stream-share.ss-harness");
    // READ and DESCRIBE on the topic, READ on the group prefix.
    assert_eq!(broker.revoke_share("HARNESSKEY"), 3);
    assert_eq!(broker.revoke_share("HARNESSKEY"), 0);
}

#[test]
fn confluent_wire_values_start_with_zero_and_the_big_endian_schema_id() {
    assert_eq!(confluent_wire(0x0102_0304, b"x"), [0, 1, 2, 3, 4, b'x']);
}
