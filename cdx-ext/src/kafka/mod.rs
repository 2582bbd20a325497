//! Know a share works before writing an application (feature `kafka`): [`check()`] walks the
//! path from a redemption or a configuration file to the data, step by step, and [`peek()`]
//! reads a few records without joining a consumer group or committing anything.
//!
//! Both take a [`Target`]: the connection settings, from a saved [`crate::Redemption`]
//! ([`Target::from_redemption`]) or from a configuration file in any format cdx writes
//! ([`Target::from_config_file`]). The Kafka client is librdkafka (through `rdkafka`), built
//! from source and linked statically.
//!
//! ```no_run
//! use cdx_ext::kafka::{CheckOptions, Target, check};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let text = std::fs::read_to_string("client.properties")?;
//! let target = Target::from_config_file(&text, None)?;
//! let report = check(&target, &CheckOptions::default()).await;
//! for step in &report.steps {
//!     println!("{:?} {}: {}", step.status, step.title, step.detail);
//! }
//! assert!(report.passed());
//! # Ok(())
//! # }
//! ```

mod check;
mod client;
mod peek;
mod read;
mod retry;
mod schema_registry;
mod text;
mod wire;

pub use check::{
    CheckOptions, CheckReport, DEFAULT_STEP_TIMEOUT, Problem, Step, StepKind, StepStatus, check,
    private_dns_hint,
};
pub use peek::{
    InvalidStartOffset, PeekError, PeekOptions, Peeked, PeekedRecord, RecordSchema, StartOffset,
    peek,
};
pub use read::{ReadError, detect_format};
pub use text::{escape_bytes, escape_text};

use crate::{Redemption, Secret};

/// Where and how to connect: what a check or a peek needs from a redemption or a config file.
#[derive(Clone, Debug)]
pub struct Target {
    /// The share id, when known.
    pub share_id: Option<String>,
    /// The Kafka bootstrap server.
    pub bootstrap: crate::BootstrapServer,
    /// The SASL/PLAIN username (the share's Kafka API key).
    pub username: String,
    /// The SASL/PLAIN password (the share's Kafka API secret).
    pub password: Secret,
    /// The consumer group id the configuration sets, if any.
    pub group_id: Option<String>,
    /// The prefix every consumer group id must start with, when known.
    pub group_prefix: Option<String>,
    /// The shared topics.
    pub topics: Vec<String>,
    /// The shared Schema Registry subjects.
    pub subjects: Vec<String>,
    /// Schema Registry access, if the share came with it.
    pub schema_registry: Option<SchemaRegistryTarget>,
    /// The private DNS names a private-link share needs, when known (from the share's network).
    pub private_dns: Option<PrivateDns>,
}

/// Schema Registry access.
#[derive(Clone, Debug)]
pub struct SchemaRegistryTarget {
    /// The registry's URL, without a trailing `/`.
    pub url: String,
    /// The API key.
    pub api_key: String,
    /// The API secret.
    pub api_secret: Secret,
}

/// What must resolve inside the consumer's network for a private-link share.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrivateDns {
    /// The network's DNS domain (`dns_domain`).
    pub dns_domain: String,
    /// The zonal subdomains (`zonal_subdomains`), `zone=subdomain`.
    pub zonal_subdomains: Vec<String>,
}

impl PrivateDns {
    /// From a share's network (`cdx consumer share describe`), when it has a DNS domain.
    pub fn from_network(network: &crate::Network) -> Option<Self> {
        Some(Self {
            dns_domain: network.dns_domain.clone().filter(|d| !d.is_empty())?,
            zonal_subdomains: network
                .zonal_subdomains
                .iter()
                .map(|(zone, sub)| format!("{zone}={sub}"))
                .collect(),
        })
    }
}

impl Target {
    /// Everything a saved redemption holds.
    pub fn from_redemption(r: &Redemption) -> Self {
        Self {
            share_id: Some(r.share_id().to_string()),
            bootstrap: r.bootstrap_server().clone(),
            username: r.kafka_api_key().to_string(),
            password: r.kafka_api_secret().clone(),
            group_id: None,
            group_prefix: r.group_prefix().map(str::to_string),
            topics: r.topics().into_iter().map(str::to_string).collect(),
            subjects: r.subjects().into_iter().map(str::to_string).collect(),
            schema_registry: r.schema_registry().map(|sr| SchemaRegistryTarget {
                url: sr.url.to_string(),
                api_key: sr.api_key.to_string(),
                api_secret: sr.api_secret.clone(),
            }),
            private_dns: None,
        }
    }

    /// A configuration file's text in `format`, or in the format its shape shows
    /// ([`detect_format`]). The shared topics, subjects and group prefix come from the comments
    /// cdx writes at the top (json: from its fields).
    pub fn from_config_file(
        text: &str,
        format: Option<crate::config::Format>,
    ) -> Result<Self, ReadError> {
        read::read_config(text, format)
    }
}
