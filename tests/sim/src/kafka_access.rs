//! The simulator's real-Kafka mode ([`crate::SimConfig::kafka`]): a redemption hands out access
//! to a real broker ([`cdx_broker::Broker`]) as Confluent's stream-share role does, and
//! deactivating the share (provider or consumer delete) takes it away again.
//!
//! - Bootstrap: `SASL_SSL://127.0.0.1:<port>`, the upstream form.
//! - Credentials: the redemption's API key and secret become a PLAIN user of the broker. The
//!   secrets carry every character a config file must get right (`' " \ / = : # !`, spaces,
//!   non-ASCII).
//! - ACLs: READ and DESCRIBE on each shared topic, READ on consumer groups with the share's
//!   prefix (`(GROUP, stream-share.<share id>, PREFIXED)`). Deactivation deletes them: the key
//!   still authenticates but is authorized for nothing.

use crate::model::Share;
use cdx_broker::Broker;

/// A real broker the simulator's redemptions hand out access to.
#[derive(Clone, Copy)]
pub struct KafkaAccess {
    broker: &'static Broker,
}

impl std::fmt::Debug for KafkaAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaAccess")
            .field("bootstrap", &self.broker.bootstrap())
            .finish()
    }
}

impl KafkaAccess {
    /// Access to `broker` (usually [`Broker::shared`]).
    pub fn new(broker: &'static Broker) -> KafkaAccess {
        KafkaAccess { broker }
    }

    /// The broker.
    pub fn broker(&self) -> &'static Broker {
        self.broker
    }

    /// The `kafka_bootstrap_url` a redemption answers: `SASL_SSL://127.0.0.1:<port>`.
    pub fn bootstrap_url(&self) -> String {
        format!("SASL_SSL://{}", self.broker.bootstrap())
    }

    /// Makes the redeemed share's key a broker user and grants it the share's ACLs.
    pub(crate) fn grant(&self, share: &Share) {
        let Some(r) = &share.redemption else { return };
        self.broker.add_user(&r.api_key, &r.secret);
        let topics: Vec<&str> = share.topics.iter().map(String::as_str).collect();
        self.broker
            .grant_share(&r.api_key, &topics, &share.group_prefix());
    }

    /// Deletes the share's ACLs (a deactivated share reads nothing).
    pub(crate) fn revoke(&self, share: &Share) {
        if let Some(r) = &share.redemption {
            self.broker.revoke_share(&r.api_key);
        }
    }
}

/// The Kafka API key of a redemption in Kafka mode: unique in this process, so that simulators
/// sharing one broker (tests of one binary) never hand out the same broker user.
pub(crate) fn api_key() -> String {
    static KEYS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = KEYS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    format!("SHAREKEYK{n:07}")
}

/// The Kafka and Schema Registry secrets of share number `n` in Kafka mode: a random-looking
/// part, then the characters config files must quote or escape.
pub(crate) fn secrets(n: u64, pseudo: impl Fn(u64, usize) -> String) -> (String, String) {
    (
        format!(
            "{} q'uo\"te \\back/slash =:#! ünïcødé 日本 {}",
            pseudo(n, 16),
            pseudo(n + 1, 8)
        ),
        format!(
            "{}:sr 'x' \"y\" \\ / = # ! é {}",
            pseudo(n + 2, 16),
            pseudo(n + 3, 8)
        ),
    )
}
