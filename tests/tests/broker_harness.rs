//! The real-broker harness itself: one Apache Kafka node started for this binary, its admin
//! actions (topics, records, stream-share ACLs) and its TLS material.

use cdx_broker::clients::{Job, Reader, consume};
use cdx_broker::{Broker, confluent_wire};
use std::time::Duration;

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

/// A Java client file written by hand for `user`.
fn properties(
    dir: &std::path::Path,
    user: &str,
    password: &str,
    group: &str,
) -> std::path::PathBuf {
    let path = dir.join(format!("{user}-{password}.properties"));
    let text = format!(
        "bootstrap.servers={}\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n\
         sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \
         username='{user}' password='{password}';\ngroup.id={group}\n",
        Broker::shared().bootstrap()
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn only_known_users_with_their_password_and_a_grant_read_a_topic() {
    let broker = Broker::shared();
    broker.create_topic("harness-auth", 1);
    broker.produce("harness-auth", None, b"only record");
    broker.add_user("AUTHKEY", "right");
    let dir = tempfile::tempdir().unwrap();
    let quick = Duration::from_secs(30);
    let job = |password: &str, group: &str| {
        Job::new(
            Reader::Java,
            properties(dir.path(), "AUTHKEY", password, group),
            "harness-auth",
            1,
        )
        .with_timeout(quick)
    };

    let before = consume(broker, &[job("wrong", "auth.g"), job("right", "auth.g")]);
    let wrong = before[0].as_ref().expect_err("a wrong password is refused");
    assert_eq!(wrong.error, "SaslAuthenticationException", "{wrong:?}");
    let ungranted = before[1].as_ref().expect_err("no ACL, no read");
    assert_eq!(
        ungranted.error, "TopicAuthorizationException",
        "{ungranted:?}"
    );

    broker.grant_share("AUTHKEY", &["harness-auth"], "auth.");
    let after = consume(broker, &[job("right", "auth.g")]);
    let read = after[0].as_ref().expect("granted");
    assert_eq!(read.records[0].value, b"only record");
    // The provider's admin is a super user: any topic, any group, no grant.
    let (admin, admin_password) = broker.admin_credentials();
    let provider = Job::new(
        Reader::Java,
        properties(dir.path(), admin, admin_password, "provider-own-group"),
        "harness-auth",
        1,
    )
    .with_timeout(quick);
    assert!(consume(broker, &[provider])[0].is_ok());

    broker.remove_user("AUTHKEY");
    let removed = consume(broker, &[job("right", "auth.g")]);
    assert_eq!(
        removed[0]
            .as_ref()
            .expect_err("a removed user is refused")
            .error,
        "SaslAuthenticationException"
    );
}
