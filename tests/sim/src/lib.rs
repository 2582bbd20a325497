//! A stateful, in-process simulator of Confluent Cloud's Stream Sharing API (`cdx/v1`).
//!
//! It serves the 22 operations of `cdx-client/cdx-v1.normalised.json` over plain HTTP on
//! `127.0.0.1`, with two organizations (a provider and a consumer), deterministic ids
//! (`ss-00001`, `sr-00001`, `req-000001`), cursor pagination, per-key rate limits and injectable
//! faults. Tests either drive it over HTTP or set state up directly ([`Simulator::seed_invite`]).
//!
//! ```no_run
//! # async fn demo() {
//! use cdx_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default()).await;
//! let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
//! println!("{} {}", sim.base_url(), invite.token);
//! # }
//! ```

#![forbid(unsafe_code)]

mod auth;
mod conn;
mod consumer;
mod ctx;
mod faults;
mod http;
mod kafka_access;
mod model;
mod paging;
mod provider;
mod rate_limit;
mod registry;
mod route;
mod routes;
mod schema_registry;
mod server;
mod state;
mod util;
mod views;

use std::sync::{Arc, Mutex};

pub use faults::{Fault, FaultAction};
pub use kafka_access::KafkaAccess;

use state::Shared;

/// How the simulator behaves. [`SimConfig::default`] gives the documented demo set-up.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Cloud API key id/secret of the provider org's user.
    pub provider_key: (String, String),
    /// Cloud API key id/secret of the consumer org's user.
    pub consumer_key: (String, String),
    /// Accepted as `Authorization: Bearer` on provider operations only (the spec lists
    /// `confluent-sts-access-token` for provider-shared-resources*, provider-shares* and opt-in;
    /// consumer and shared-tokens operations are cloud-api-key only).
    pub bearer_tokens: Vec<String>,
    /// The consumer user's email; invites to it are visible to the consumer.
    pub consumer_email: String,
    /// `None`: unlimited (the `X-RateLimit-*` headers still describe a nominal window).
    pub rate_limit: Option<RateLimit>,
    /// If true, redeem answers `kafka_bootstrap_url` `SASL://pkc-….:9092` (like the spec
    /// example), else a bare `host:9092`.
    pub bootstrap_sasl_prefix: bool,
    /// Invitation expiry.
    pub token_ttl: chrono::Duration,
    /// Deterministic timestamps: every timestamp the simulator writes is this instant.
    pub fixed_now: Option<chrono::DateTime<chrono::Utc>>,
    /// Real-Kafka mode (`None`: off): redemptions hand out access to this broker, revoking takes
    /// it away, and a Schema Registry stand-in backs the redemptions' registry URL and key. See
    /// [`KafkaAccess`].
    pub kafka: Option<KafkaAccess>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            provider_key: ("PROVIDERKEY".into(), "provider-secret".into()),
            consumer_key: ("CONSUMERKEY".into(), "consumer-secret".into()),
            bearer_tokens: vec!["provider-access-token".into()],
            consumer_email: "jane.doe@example.com".into(),
            rate_limit: None,
            bootstrap_sasl_prefix: true,
            token_ttl: chrono::Duration::days(7),
            fixed_now: None,
            kafka: None,
        }
    }
}

/// A fixed window per API key (or bearer token): `limit` requests per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u32,
    pub window: std::time::Duration,
}

/// What [`Simulator::seed_invite`] created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    /// The stream share (`ss-…`); the consumer sees the same id once redeemed.
    pub provider_share_id: String,
    /// The shared resource (`sr-…`); the consumer sees the same id.
    pub shared_resource_id: String,
    /// The single-use invitation token.
    pub token: String,
}

/// One request as the simulator received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    /// The raw query string, without `?` (empty if none).
    pub query: String,
    /// Lower-case names; `authorization` is replaced by `<redacted>`.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The operation the router matched (`None`: no route).
    pub operation_id: Option<cdx_client::Operation>,
    /// The status of the answer (`None`: none was given, because the connection was reset, or
    /// not yet, because the request is still being served).
    pub status: Option<u16>,
}

/// A running simulator. Clones share it; dropping the last clone (or [`Simulator::shutdown`])
/// stops the server.
#[derive(Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    base_url: String,
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    stopped: Mutex<Option<tokio::sync::oneshot::Receiver<()>>>,
    /// Dropping it stops the Schema Registry stand-in (real-Kafka mode only).
    _schema_registry_stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.lock().unwrap().take() {
            let _ = stop.send(());
        }
    }
}

impl Simulator {
    /// Starts a simulator on `127.0.0.1` with an ephemeral port. The server runs on its own
    /// thread and runtime, so callers may block (e.g. wait for a child process) while it serves.
    pub async fn start(config: SimConfig) -> Simulator {
        Self::start_on(config, 0).await
    }

    /// Like [`Simulator::start`], on a chosen port (0: ephemeral). Panics if the port is taken.
    pub async fn start_on(config: SimConfig, port: u16) -> Simulator {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("cdx simulator: cannot bind 127.0.0.1:{port}: {e}"));
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("listener address");
        let base_url = format!("http://{addr}");
        let shared = Arc::new(Shared::new(config, base_url.clone()));
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        server::spawn(listener, Arc::clone(&shared), stop_rx, done_tx);
        let schema_registry_stop = shared.config.kafka.is_some().then(|| {
            let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
                .expect("cdx simulator: binding the Schema Registry stand-in");
            listener
                .set_nonblocking(true)
                .expect("non-blocking listener");
            let addr = listener.local_addr().expect("listener address");
            let _ = shared.schema_registry.url.set(format!("http://{addr}"));
            let (tx, rx) = tokio::sync::oneshot::channel();
            schema_registry::spawn(listener, Arc::clone(&shared), rx);
            tx
        });
        Simulator {
            inner: Arc::new(Inner {
                shared,
                base_url,
                stop: Mutex::new(Some(stop_tx)),
                stopped: Mutex::new(Some(done_rx)),
                _schema_registry_stop: schema_registry_stop,
            }),
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.inner.base_url.clone()
    }

    /// The configuration it was started with (keys, consumer email, …).
    pub fn config(&self) -> &SimConfig {
        &self.inner.shared.config
    }

    /// Stops the server (for every clone) and waits until it has stopped.
    pub async fn shutdown(self) {
        if let Some(stop) = self.inner.stop.lock().unwrap().take() {
            let _ = stop.send(());
        }
        let stopped = self.inner.stopped.lock().unwrap().take();
        if let Some(stopped) = stopped {
            let _ = stopped.await;
        }
    }

    /// The Schema Registry stand-in's URL, `http://127.0.0.1:<port>` (real-Kafka mode only).
    pub fn schema_registry_url(&self) -> Option<String> {
        self.inner.shared.schema_registry.url.get().cloned()
    }

    /// Registers `schema` (`schema_type`: `AVRO`, `JSON` or `PROTOBUF`) under `subject` in the
    /// Schema Registry stand-in, as the provider would; returns its id, the one values in the
    /// Confluent wire format carry ([`cdx_broker::confluent_wire`]).
    pub fn register_schema(&self, subject: &str, schema_type: &str, schema: &str) -> u32 {
        self.inner
            .shared
            .schema_registry
            .register(subject, schema_type, schema)
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.shared.log.lock().unwrap().clone()
    }

    /// How many requests hit `operation` (including faulted ones).
    pub fn count(&self, operation: cdx_client::Operation) -> usize {
        self.inner
            .shared
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.operation_id == Some(operation))
            .count()
    }

    /// Queues a fault. Faults are consumed first-in first-out by the requests they match; one
    /// request consumes at most one fault.
    pub fn inject(&self, fault: Fault) {
        self.inner.shared.faults.lock().unwrap().push_back(fault);
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.inner.shared.faults.lock().unwrap().clear();
    }

    /// As if the provider had invited `email` to `topics` and `subjects` (bypassing HTTP, the
    /// opt-in and the one-invitation-per-email rule; it does opt the provider in). The shared
    /// resource is reused when the first topic is already shared.
    pub fn seed_invite(&self, email: &str, topics: &[&str], subjects: &[&str]) -> Invite {
        let shared = &self.inner.shared;
        let mut st = shared.state.lock().unwrap();
        st.orgs[model::PROVIDER].opted_in = true;
        let resources = util::default_crns(topics, subjects);
        let (share, sr) =
            st.create_share(&shared.config, model::PROVIDER, email, "EMAIL", &resources);
        let token = st.shares[&share].token.clone();
        Invite {
            provider_share_id: share,
            shared_resource_id: sr,
            token,
        }
    }

    /// `n` extra invitations to the consumer's email, from the provider (one topic each,
    /// `seeded-topic-<k>`), e.g. for pagination tests. Ids continue the deterministic counters.
    pub fn seed_consumer_shares(&self, n: usize) {
        let shared = &self.inner.shared;
        let mut st = shared.state.lock().unwrap();
        st.orgs[model::PROVIDER].opted_in = true;
        let email = shared.config.consumer_email.clone();
        for _ in 0..n {
            st.seeded += 1;
            let topic = format!("seeded-topic-{}", st.seeded);
            let resources = util::default_crns(&[&topic], &[]);
            st.create_share(&shared.config, model::PROVIDER, &email, "EMAIL", &resources);
        }
    }

    /// The invitation tokens "emailed" to `email` (case-insensitive), oldest first: one per
    /// invitation created (over HTTP or seeded) and one per resend (the same token again).
    pub fn mailbox(&self, email: &str) -> Vec<String> {
        let st = self.inner.shared.state.lock().unwrap();
        st.mail
            .iter()
            .filter(|(to, _)| to.eq_ignore_ascii_case(email))
            .map(|(_, token)| token.clone())
            .collect()
    }

    /// Makes the shared resource's cluster private-link on `cloud` (`AWS`, `AZURE` or `GCP`).
    /// Panics on an unknown resource or cloud.
    pub fn set_network(&self, shared_resource_id: &str, cloud: &str) {
        let cloud = model::Cloud::parse(cloud)
            .unwrap_or_else(|| panic!("set_network: unknown cloud {cloud:?} (AWS, AZURE or GCP)"));
        let mut st = self.inner.shared.state.lock().unwrap();
        let sr = st
            .resources
            .get_mut(shared_resource_id)
            .unwrap_or_else(|| panic!("set_network: no shared resource {shared_resource_id}"));
        sr.cloud = cloud;
        sr.private = true;
    }

    /// Makes the invitation behind `token` expire now (phase EXPIRED, the token answers 404).
    /// Panics on an unknown token.
    pub fn expire_token(&self, token: &str) {
        let shared = &self.inner.shared;
        let now = shared.now();
        let mut st = shared.state.lock().unwrap();
        let id = st
            .tokens
            .get(token)
            .cloned()
            .unwrap_or_else(|| panic!("expire_token: unknown token"));
        let share = st.shares.get_mut(&id).expect("token's share");
        share.expired = true;
        if share.expires_at > now {
            share.expires_at = now;
        }
    }
}
