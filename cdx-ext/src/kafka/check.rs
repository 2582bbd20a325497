//! [`check()`]: the path from a share's settings to its data, one step at a time, each with its
//! outcome, its time and, on failure, one sentence of what to do.
//!
//! Order: resolve the bootstrap host → TCP connect → TLS handshake → SASL/PLAIN authentication
//! → metadata of each shared topic → the consumer group's authorization (an offset fetch,
//! which commits nothing and joins no group) → Schema Registry, when the share has it. A step
//! that fails stops the Kafka steps after it (they could only fail the same way); the Schema
//! Registry, a separate endpoint, is checked anyway.

use super::client::{self, Recorder};
use super::schema_registry::{Registry, SrError};
use super::{PrivateDns, Target};
use rdkafka::TopicPartitionList;
use rdkafka::consumer::{BaseConsumer, Consumer as _};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::types::RDKafkaRespErr;
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long one step may take unless [`CheckOptions::step_timeout`] says otherwise.
pub const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// The suffix of the consumer group id checked when the configuration sets none.
const CHECK_GROUP_SUFFIX: &str = ".cdx-check";

/// Choices for a [`check()`].
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The most one step may take ([`DEFAULT_STEP_TIMEOUT`]).
    pub step_timeout: Duration,
    /// A PEM file of CA certificates to trust besides the system's. Confluent Cloud uses public
    /// CAs: this is for private or test clusters.
    pub ca_file: Option<PathBuf>,
    /// The consumer group id to check, instead of the configuration's (or
    /// `<group prefix>.cdx-check`).
    pub group_id: Option<String>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            step_timeout: DEFAULT_STEP_TIMEOUT,
            ca_file: None,
            group_id: None,
        }
    }
}

/// What a check found: its steps, in order.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    /// Every step, in the order they ran (skipped ones included).
    pub steps: Vec<Step>,
}

impl CheckReport {
    /// True when no step failed.
    pub fn passed(&self) -> bool {
        !self.steps.iter().any(|s| s.status == StepStatus::Failed)
    }

    /// A report whose parse step failed: the file could not be used.
    pub fn unreadable(source: &str, reason: &str, hint: &str, elapsed: Duration) -> Self {
        let mut step = Step::new(StepKind::Parse, format!("Read {source}"));
        step.elapsed = elapsed;
        step.fail(Problem::Unreadable, reason, hint);
        Self { steps: vec![step] }
    }

    /// The report with a passed parse step first: the settings were read from `source`.
    pub fn after_parse(
        mut self,
        source: &str,
        detail: impl Into<String>,
        elapsed: Duration,
    ) -> Self {
        let mut step = Step::new(StepKind::Parse, format!("Read {source}"));
        step.elapsed = elapsed;
        step.pass(detail);
        self.steps.insert(0, step);
        self
    }

    /// The first failed step.
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == StepStatus::Failed)
    }
}

/// One step of a check.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// Which step.
    pub kind: StepKind,
    /// What it checks, e.g. `Resolve pkc-abc.us-west-2.aws.confluent.cloud`.
    pub title: String,
    /// How it went.
    pub status: StepStatus,
    /// How long it took.
    #[serde(rename = "elapsed_ms", serialize_with = "millis")]
    pub elapsed: Duration,
    /// What was found (on success) or what went wrong (on failure). Server text is kept as
    /// sent: escape it before printing on a terminal.
    pub detail: String,
    /// On failure, one sentence of what to do.
    pub hint: Option<String>,
    /// On failure, what kind of failure.
    pub problem: Option<Problem>,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis().try_into().unwrap_or(u64::MAX))
}

impl Step {
    fn new(kind: StepKind, title: String) -> Self {
        Self {
            kind,
            title,
            status: StepStatus::Passed,
            elapsed: Duration::ZERO,
            detail: String::new(),
            hint: None,
            problem: None,
        }
    }

    fn pass(&mut self, detail: impl Into<String>) {
        self.status = StepStatus::Passed;
        self.detail = detail.into();
    }

    fn fail(&mut self, problem: Problem, detail: impl Into<String>, hint: impl Into<String>) {
        self.status = StepStatus::Failed;
        self.problem = Some(problem);
        self.detail = detail.into();
        self.hint = Some(hint.into());
    }

    fn skip(&mut self, why: impl Into<String>) {
        self.status = StepStatus::Skipped;
        self.detail = why.into();
    }
}

/// The steps of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepKind {
    /// Reading the redemption or configuration file.
    Parse,
    /// Resolving the bootstrap host name.
    Resolve,
    /// Opening a TCP connection to the bootstrap server.
    Connect,
    /// The TLS handshake: the certificate is trusted and names the host.
    Tls,
    /// SASL/PLAIN authentication with the API key and secret.
    Authenticate,
    /// Metadata of one shared topic: partitions and leaders.
    Topic,
    /// The consumer group's authorization (an offset fetch, committing nothing).
    Group,
    /// Schema Registry authentication and the shared subjects.
    SchemaRegistry,
}

/// How a step went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// It worked.
    Passed,
    /// It failed: see the hint.
    Failed,
    /// It was not run (an earlier step failed, or there was nothing to check).
    Skipped,
}

/// What kind of failure a failed step met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// The file could not be read or lacks a setting.
    Unreadable,
    /// The host name does not resolve.
    UnresolvableHost,
    /// The connection was refused: nothing listens there.
    ConnectionRefused,
    /// No answer in time.
    Timeout,
    /// The connection failed otherwise (unreachable network, reset).
    Unreachable,
    /// The server's certificate is not trusted.
    UntrustedCertificate,
    /// The certificate does not name the host.
    HostnameMismatch,
    /// The server does not speak TLS there.
    NotTls,
    /// The API key and secret were refused.
    AuthenticationFailed,
    /// The key may not describe or read the topic (revoked share, or not shared).
    TopicNotAuthorized,
    /// The topic does not exist.
    UnknownTopic,
    /// A partition has no leader.
    NoLeader,
    /// The key may not use the consumer group.
    GroupNotAuthorized,
    /// The Schema Registry refused the key and secret.
    SchemaRegistryRefused,
    /// A shared subject is not visible.
    SubjectMissing,
    /// Anything else.
    Other,
}

/// Runs every step of the check for `target`.
///
/// Never fails as a whole: every problem is a failed step in the report.
pub async fn check(target: &Target, options: &CheckOptions) -> CheckReport {
    let mut steps = Vec::new();
    let kafka_ok = network_steps(target, options, &mut steps).await;
    let kafka = kafka_steps(target, options, kafka_ok).await;
    steps.extend(kafka);
    if let Some(step) = schema_registry_step(target, options).await {
        steps.push(step);
    }
    CheckReport { steps }
}

/// A step timed from `start`.
fn timed(mut step: Step, start: Instant) -> Step {
    step.elapsed = start.elapsed();
    step
}

fn seconds(d: Duration) -> String {
    format!("{:.0} s", d.as_secs_f64())
}

/// Resolve, connect, TLS. True when all passed.
async fn network_steps(target: &Target, options: &CheckOptions, steps: &mut Vec<Step>) -> bool {
    let t = options.step_timeout;
    let host = target
        .bootstrap
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = target.bootstrap.port();

    // Resolve.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Resolve, format!("Resolve {host}"));
    let addrs: Vec<SocketAddr> =
        match tokio::time::timeout(t, tokio::net::lookup_host((host, port))).await {
            Ok(Ok(addrs)) => addrs.collect(),
            Ok(Err(e)) => {
                step.fail(
                    Problem::UnresolvableHost,
                    e.to_string(),
                    resolve_hint(target, host),
                );
                Vec::new()
            }
            Err(_) => {
                step.fail(
                    Problem::Timeout,
                    format!("no answer from DNS within {}", seconds(t)),
                    resolve_hint(target, host),
                );
                Vec::new()
            }
        };
    if step.status == StepStatus::Passed {
        if addrs.is_empty() {
            step.fail(
                Problem::UnresolvableHost,
                "no addresses",
                resolve_hint(target, host),
            );
        } else {
            let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            step.pass(shown.join(", "));
        }
    }
    let resolved = step.status == StepStatus::Passed;
    steps.push(timed(step, start));
    let title = format!("Connect to {}", target.bootstrap);
    if !resolved {
        skip_rest(steps, &title, target, "the host did not resolve");
        return false;
    }

    // Connect: the first address that accepts, as a client does.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Connect, title);
    let mut connected = None;
    let mut last_error = None;
    for addr in &addrs {
        match tokio::time::timeout(t, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => {
                connected = Some(*addr);
                break;
            }
            Ok(Err(e)) => last_error = Some(Err(e)),
            Err(_) => last_error = Some(Ok(())),
        }
    }
    let firewall = "check that this network may reach it (firewall rules, security groups, a proxy), and for a private-link share that the private endpoint is set up and accepted";
    match (connected, last_error) {
        (Some(addr), _) => step.pass(format!("connected to {addr}")),
        (None, Some(Err(e))) if e.kind() == std::io::ErrorKind::ConnectionRefused => step.fail(
            Problem::ConnectionRefused,
            format!("connection refused ({e})"),
            format!("Nothing accepts connections on port {port} there: check the port in bootstrap.servers (Confluent Cloud uses 9092), then {firewall}."),
        ),
        (None, Some(Err(e))) => step.fail(
            Problem::Unreachable,
            e.to_string(),
            format!("The server cannot be reached from here: {firewall}."),
        ),
        (None, _) => step.fail(
            Problem::Timeout,
            format!("no answer within {}", seconds(t)),
            format!("Connections are dropped on the way: {firewall}."),
        ),
    }
    let addr = connected;
    steps.push(timed(step, start));
    let title = format!("TLS handshake with {host}");
    let Some(addr) = addr else {
        skip_rest(steps, &title, target, "no connection");
        return false;
    };

    // TLS.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Tls, title);
    match tls_handshake(host, addr, options).await {
        Ok(detail) => step.pass(detail),
        Err((problem, detail, hint)) => step.fail(problem, detail, hint),
    }
    let ok = step.status == StepStatus::Passed;
    steps.push(timed(step, start));
    if !ok {
        skip_rest(steps, "", target, "the TLS handshake failed");
    }
    ok
}

/// What to do when the bootstrap host does not resolve: for a private-link share, name what
/// must resolve inside the consumer's network.
fn resolve_hint(target: &Target, host: &str) -> String {
    let private = target
        .private_dns
        .clone()
        .or_else(|| guess_private_dns(host));
    match private {
        Some(dns) => private_dns_hint(&dns),
        None => format!(
            "Check the host name in bootstrap.servers ({host}) and that this machine's DNS resolves public names."
        ),
    }
}

/// What to do when a private-link cluster's host does not resolve: name the DNS domain and
/// the zonal subdomains that must resolve inside the consumer's network.
pub fn private_dns_hint(dns: &PrivateDns) -> String {
    let zonal = if dns.zonal_subdomains.is_empty() {
        "its zonal subdomains (`cdx consumer share describe` lists them)".to_string()
    } else {
        format!("its zonal subdomains ({})", dns.zonal_subdomains.join(", "))
    };
    format!(
        "This is a private-link cluster: the DNS domain {} and {zonal} must resolve inside your network, so create the private DNS zone for your private endpoint and run the check from a machine in that network.",
        dns.dns_domain
    )
}

/// Confluent Cloud's private-link host names carry the network's DNS domain after the
/// cluster's label, and that domain starts with a `dom…` label (public ones do not).
fn guess_private_dns(host: &str) -> Option<PrivateDns> {
    let (_, domain) = host.split_once('.')?;
    let first = domain.split('.').next()?;
    (first.starts_with("dom") && first.len() > 3 && domain.ends_with(".confluent.cloud")).then(
        || PrivateDns {
            dns_domain: domain.to_string(),
            zonal_subdomains: Vec::new(),
        },
    )
}

/// Adds the steps that cannot run any more, as skipped.
fn skip_rest(steps: &mut Vec<Step>, next_title: &str, target: &Target, why: &str) {
    let kinds: &[StepKind] = match steps.last().map(|s| s.kind) {
        Some(StepKind::Resolve) => &[StepKind::Connect, StepKind::Tls],
        Some(StepKind::Connect) => &[StepKind::Tls],
        _ => &[],
    };
    let host = target.bootstrap.host();
    for (i, kind) in kinds.iter().enumerate() {
        let title = if i == 0 && !next_title.is_empty() {
            next_title.to_string()
        } else {
            match kind {
                StepKind::Tls => format!("TLS handshake with {host}"),
                _ => format!("Connect to {}", target.bootstrap),
            }
        };
        let mut step = Step::new(*kind, title);
        step.skip(format!("not run: {why}"));
        steps.push(step);
    }
}

type Failed = (Problem, String, String);

/// A TLS handshake on its own connection: trusted certificate, naming the host.
async fn tls_handshake(
    host: &str,
    addr: SocketAddr,
    options: &CheckOptions,
) -> Result<String, Failed> {
    let t = options.step_timeout;
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(path) = &options.ca_file {
        let pem = std::fs::read(path).map_err(|e| {
            (
                Problem::Other,
                format!("cannot read the CA file {}: {e}", path.display()),
                "Pass a readable PEM file with --ca-file.".to_string(),
            )
        })?;
        let certs = native_tls::Certificate::stack_from_pem(&pem).map_err(|e| {
            (
                Problem::Other,
                format!("the CA file {} is not PEM: {e}", path.display()),
                "Pass a PEM file of CA certificates with --ca-file.".to_string(),
            )
        })?;
        for cert in certs {
            builder.add_root_certificate(cert);
        }
    }
    let connector = builder.build().map_err(|e| {
        (
            Problem::Other,
            format!("cannot set up TLS: {e}"),
            "Check the system's OpenSSL installation.".to_string(),
        )
    })?;
    let host_owned = host.to_string();
    let handshake =
        tokio::task::spawn_blocking(move || -> std::io::Result<Result<String, String>> {
            let stream = std::net::TcpStream::connect_timeout(&addr, t)?;
            stream.set_read_timeout(Some(t))?;
            stream.set_write_timeout(Some(t))?;
            match connector.connect(&host_owned, stream) {
                Ok(tls) => {
                    let subject = tls
                        .peer_certificate()
                        .ok()
                        .flatten()
                        .map(|_| "certificate trusted and valid for the host".to_string())
                        .unwrap_or_else(|| "handshake complete".to_string());
                    Ok(Ok(subject))
                }
                Err(native_tls::HandshakeError::Failure(e)) => Ok(Err(e.to_string())),
                Err(native_tls::HandshakeError::WouldBlock(_)) => {
                    Ok(Err("the handshake did not complete in time".to_string()))
                }
            }
        });
    let outcome = tokio::time::timeout(t + Duration::from_secs(1), handshake).await;
    let text = match outcome {
        Ok(Ok(Ok(Ok(detail)))) => return Ok(detail),
        Ok(Ok(Ok(Err(text)))) => text,
        Ok(Ok(Err(io))) => io.to_string(),
        Ok(Err(join)) => join.to_string(),
        Err(_) => {
            return Err((
                Problem::Timeout,
                format!("no TLS answer within {}", seconds(t)),
                "The server accepted the connection but did not complete a TLS handshake: check that the port is the cluster's SASL_SSL listener (9092 on Confluent Cloud).".to_string(),
            ));
        }
    };
    Err(classify_tls(host, &text))
}

fn classify_tls(host: &str, text: &str) -> Failed {
    let lower = text.to_ascii_lowercase();
    if lower.contains("hostname mismatch") || lower.contains("ip address mismatch") {
        (
            Problem::HostnameMismatch,
            text.to_string(),
            format!(
                "The server's certificate does not name {host}: use the bootstrap host exactly as the redemption gives it (not an IP address or an alias)."
            ),
        )
    } else if lower.contains("certificate verify failed")
        || lower.contains("self-signed")
        || lower.contains("self signed")
        || lower.contains("unable to get local issuer")
    {
        (
            Problem::UntrustedCertificate,
            text.to_string(),
            "The server's certificate is not trusted: Confluent Cloud's certificates chain to public CAs, so install the system's CA certificates (Debian: ca-certificates) or route around a TLS-intercepting proxy; for a private or test cluster, pass its CA with --ca-file.".to_string(),
        )
    } else if lower.contains("wrong version number")
        || lower.contains("packet length too long")
        || lower.contains("unexpected eof")
        || lower.contains("record layer failure")
        || lower.contains("http request")
    {
        (
            Problem::NotTls,
            text.to_string(),
            "The server there does not speak TLS: check that bootstrap.servers names the cluster's SASL_SSL endpoint and port (9092 on Confluent Cloud).".to_string(),
        )
    } else {
        (
            Problem::Other,
            text.to_string(),
            "The TLS handshake failed: check that bootstrap.servers names the cluster's SASL_SSL endpoint, and that no proxy intercepts TLS.".to_string(),
        )
    }
}

/// Authentication, topics, group: one librdkafka consumer, on a blocking thread.
async fn kafka_steps(target: &Target, options: &CheckOptions, reachable: bool) -> Vec<Step> {
    let group_id = options
        .group_id
        .clone()
        .or_else(|| target.group_id.clone())
        .or_else(|| {
            target
                .group_prefix
                .as_ref()
                .map(|p| format!("{p}{CHECK_GROUP_SUFFIX}"))
        });
    if !reachable {
        let mut steps = vec![Step::new(
            StepKind::Authenticate,
            format!("Authenticate as {}", target.username),
        )];
        steps.extend(
            target
                .topics
                .iter()
                .map(|t| Step::new(StepKind::Topic, format!("Topic {t}"))),
        );
        steps.push(Step::new(StepKind::Group, group_title(group_id.as_deref())));
        for step in &mut steps {
            step.skip("not run: the broker was not reached");
        }
        return steps;
    }
    let target = target.clone();
    let options = options.clone();
    tokio::task::spawn_blocking(move || blocking_kafka_steps(&target, &options, group_id))
        .await
        .unwrap_or_else(|e| {
            let mut step = Step::new(StepKind::Authenticate, "Authenticate".into());
            step.fail(
                Problem::Other,
                e.to_string(),
                "Report this as a bug in cdx.",
            );
            vec![step]
        })
}

fn group_title(group: Option<&str>) -> String {
    match group {
        Some(g) => format!("Consumer group {g}"),
        None => "Consumer group".to_string(),
    }
}

fn blocking_kafka_steps(
    target: &Target,
    options: &CheckOptions,
    group_id: Option<String>,
) -> Vec<Step> {
    let t = options.step_timeout;
    let mut steps = Vec::new();
    let start = Instant::now();
    let mut auth = Step::new(
        StepKind::Authenticate,
        format!("Authenticate as {}", target.username),
    );
    let consumer = match client::consumer(target, options.ca_file.as_deref(), None, t) {
        Ok(c) => c,
        Err(e) => {
            auth.fail(Problem::Other, e.to_string(), "The settings were refused by librdkafka: write the file again with `cdx config render`.");
            steps.push(timed(auth, start));
            return steps;
        }
    };
    // Short metadata requests until one answers or librdkafka reports why not: a refused key
    // shows within a round trip, not at the end of the timeout.
    let deadline = start + t;
    let mut outcome = None;
    while Instant::now() < deadline {
        let slice = (deadline - Instant::now()).min(Duration::from_millis(500));
        match consumer.fetch_metadata(None, slice) {
            Ok(m) => {
                outcome = Some(Ok(m.brokers().len()));
                break;
            }
            Err(e) => {
                client::take_errors(&consumer);
                if let Some(reason) = auth_failure(consumer.context()) {
                    outcome = Some(Err(reason));
                    break;
                }
                if !matches!(
                    e.rdkafka_error_code(),
                    Some(
                        RDKafkaErrorCode::OperationTimedOut
                            | RDKafkaErrorCode::BrokerTransportFailure
                            | RDKafkaErrorCode::AllBrokersDown
                    )
                ) {
                    outcome = Some(Err((Problem::Other, e.to_string(), "The cluster refused the request: run the check again, and if it keeps failing, ask the provider.".to_string())));
                    break;
                }
            }
        }
    }
    match outcome {
        Some(Ok(brokers)) => auth.pass(format!("SASL/PLAIN accepted; the cluster has {brokers} broker(s)")),
        Some(Err((problem, detail, hint))) => auth.fail(problem, detail, hint),
        None => auth.fail(
            Problem::Timeout,
            format!("no metadata within {}", seconds(t)),
            "The broker did not answer after the handshake: check that this network reaches every broker of the cluster (not only the bootstrap host), or raise the step timeout.",
        ),
    }
    let authenticated = auth.status == StepStatus::Passed;
    steps.push(timed(auth, start));

    // Topics.
    let mut partitions = TopicPartitionList::new();
    for topic in &target.topics {
        let start = Instant::now();
        let mut step = Step::new(StepKind::Topic, format!("Topic {topic}"));
        if !authenticated {
            step.skip("not run: not authenticated");
            steps.push(step);
            continue;
        }
        topic_step(&consumer, topic, t, &mut step, &mut partitions, target);
        steps.push(timed(step, start));
    }
    if target.topics.is_empty() && authenticated {
        let mut step = Step::new(StepKind::Topic, "Topics".into());
        step.skip("no shared topic is named (a redemption lists them; in a config file, the `# Topic:` comments cdx writes)");
        steps.push(step);
    }

    // Group.
    let start = Instant::now();
    let mut step = Step::new(StepKind::Group, group_title(group_id.as_deref()));
    match (&group_id, authenticated) {
        (_, false) => step.skip("not run: not authenticated"),
        (None, _) => step.skip("no group.id in the file and no consumer group prefix known"),
        (Some(_), _) if partitions.count() == 0 => {
            step.skip("not run: no readable topic to fetch the group's offsets for")
        }
        (Some(group), true) => group_step(target, options, group, &partitions, &mut step),
    }
    steps.push(timed(step, start));
    steps
}

/// An authentication or TLS failure librdkafka reported.
fn auth_failure(recorder: &Recorder) -> Option<Failed> {
    if let Some(reason) = recorder.find(RDKafkaErrorCode::Authentication) {
        return Some((
            Problem::AuthenticationFailed,
            reason,
            "The broker refused the API key and secret: use the ones from this share's redemption (a share's key works only for its own cluster), and if they are right the share may have been deleted or revoked.".to_string(),
        ));
    }
    recorder.find(RDKafkaErrorCode::SSL).map(|reason| {
        (
            Problem::UntrustedCertificate,
            reason,
            "librdkafka could not complete TLS: Confluent Cloud's certificates chain to public CAs, so check the system's CA certificates; for a private or test cluster, pass its CA with --ca-file.".to_string(),
        )
    })
}

fn topic_step(
    consumer: &BaseConsumer<Recorder>,
    topic: &str,
    t: Duration,
    step: &mut Step,
    partitions: &mut TopicPartitionList,
    target: &Target,
) {
    let revoked = match &target.share_id {
        Some(id) => format!("the share may have been revoked or deleted (`cdx consumer share describe {id}` shows its state)"),
        None => "the share may have been revoked or deleted (`cdx consumer share list --include-deleted` shows its state)".to_string(),
    };
    let metadata = match consumer.fetch_metadata(Some(topic), t) {
        Ok(m) => m,
        Err(e) => {
            step.fail(Problem::Other, e.to_string(), "The cluster did not describe the topic: run the check again, and if it keeps failing, ask the provider.");
            return;
        }
    };
    let Some(found) = metadata.topics().iter().find(|m| m.name() == topic) else {
        step.fail(
            Problem::UnknownTopic,
            "not in the metadata",
            format!("The topic is not visible to this key: {revoked}."),
        );
        return;
    };
    match found.error() {
        None => {}
        Some(RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) => {
            step.fail(
                Problem::TopicNotAuthorized,
                "TOPIC_AUTHORIZATION_FAILED",
                format!("This key may not read the topic: {revoked}; if the share is active, ask the provider to share this topic."),
            );
            return;
        }
        Some(RDKafkaRespErr::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) => {
            step.fail(Problem::UnknownTopic, "UNKNOWN_TOPIC_OR_PARTITION", "The topic does not exist on the cluster: check its name, or ask the provider whether it was deleted or renamed.");
            return;
        }
        Some(other) => {
            step.fail(Problem::Other, format!("{other:?}"), "The cluster refused to describe the topic: run the check again, and if it keeps failing, ask the provider.");
            return;
        }
    }
    let parts = found.partitions();
    if parts.is_empty() {
        step.fail(
            Problem::UnknownTopic,
            "no partitions",
            "The topic has no partitions visible to this key: ask the provider.",
        );
        return;
    }
    let leaderless: Vec<String> = parts
        .iter()
        .filter(|p| p.leader() < 0)
        .map(|p| p.id().to_string())
        .collect();
    let mut leaders: Vec<i32> = parts
        .iter()
        .map(|p| p.leader())
        .filter(|l| *l >= 0)
        .collect();
    leaders.sort_unstable();
    leaders.dedup();
    for p in parts {
        partitions.add_partition(topic, p.id());
    }
    if leaderless.is_empty() {
        let leaders: Vec<String> = leaders.iter().map(ToString::to_string).collect();
        step.pass(format!(
            "{} partition(s), every one with a leader (broker {})",
            parts.len(),
            leaders.join(", ")
        ));
    } else {
        step.fail(
            Problem::NoLeader,
            format!("partition(s) {} have no leader", leaderless.join(", ")),
            "The cluster cannot serve these partitions right now: wait and run the check again, and if it persists, tell the provider.",
        );
    }
}

/// An offset fetch for the group: authorized only when the key may read the group; commits
/// nothing and joins nothing.
fn group_step(
    target: &Target,
    options: &CheckOptions,
    group: &str,
    partitions: &TopicPartitionList,
    step: &mut Step,
) {
    let t = options.step_timeout;
    let prefix_hint = match &target.group_prefix {
        Some(prefix) if !group.starts_with(prefix.as_str()) => format!(
            "The group.id {group:?} does not start with the share's prefix {prefix:?}: use a group.id that does, e.g. {prefix}.my-app (`cdx config render --group-suffix .my-app` writes one)."
        ),
        Some(_) => "The broker refused this group although it has the share's prefix: the share may have been revoked or deleted.".to_string(),
        None => "The broker refused this consumer group: use a group.id that starts with the share's consumer group prefix (the redemption's Group resource).".to_string(),
    };
    let consumer = match client::consumer(target, options.ca_file.as_deref(), Some(group), t) {
        Ok(c) => c,
        Err(e) => {
            step.fail(
                Problem::Other,
                e.to_string(),
                "librdkafka refused the group.id: check its value.",
            );
            return;
        }
    };
    match consumer.committed_offsets(partitions.clone(), t) {
        Ok(list) => {
            let denied = list.elements().iter().any(|e| {
                matches!(
                    e.error(),
                    Err(KafkaError::OffsetFetch(
                        RDKafkaErrorCode::GroupAuthorizationFailed
                    ))
                )
            });
            if denied {
                step.fail(
                    Problem::GroupNotAuthorized,
                    "GROUP_AUTHORIZATION_FAILED",
                    prefix_hint,
                );
                return;
            }
            let committed = list
                .elements()
                .iter()
                .filter(|e| e.offset().to_raw().is_some_and(|o| o >= 0))
                .count();
            step.pass(if committed == 0 {
                "this key may use the group (it has no committed offsets; none were written)".to_string()
            } else {
                format!("this key may use the group ({committed} partition(s) have committed offsets; none were written)")
            });
        }
        Err(e) => match e.rdkafka_error_code() {
            Some(RDKafkaErrorCode::GroupAuthorizationFailed) => step.fail(
                Problem::GroupNotAuthorized,
                "GROUP_AUTHORIZATION_FAILED",
                prefix_hint,
            ),
            Some(RDKafkaErrorCode::OperationTimedOut) => {
                client::take_errors(&consumer);
                if consumer
                    .context()
                    .find(RDKafkaErrorCode::GroupAuthorizationFailed)
                    .is_some()
                {
                    step.fail(
                        Problem::GroupNotAuthorized,
                        "GROUP_AUTHORIZATION_FAILED",
                        prefix_hint,
                    )
                } else {
                    step.fail(Problem::Timeout, format!("no answer from the group coordinator within {}", seconds(t)), "The group coordinator did not answer: check that this network reaches every broker of the cluster, or raise the step timeout.")
                }
            }
            _ => step.fail(Problem::Other, e.to_string(), prefix_hint),
        },
    }
}

/// Schema Registry: authentication (`GET /subjects`) and the shared subjects.
async fn schema_registry_step(target: &Target, options: &CheckOptions) -> Option<Step> {
    let sr = target.schema_registry.as_ref()?;
    let start = Instant::now();
    let mut step = Step::new(
        StepKind::SchemaRegistry,
        format!("Schema Registry {}", sr.url),
    );
    let registry = match Registry::new(sr, options.ca_file.as_deref(), options.step_timeout) {
        Ok(r) => r,
        Err(e) => {
            step.fail(
                Problem::Other,
                e,
                "Check schema.registry.url (an https:// URL from the redemption).",
            );
            return Some(timed(step, start));
        }
    };
    match registry.subjects().await {
        Ok(visible) => {
            let missing: Vec<&str> = target.subjects.iter().map(String::as_str).filter(|s| !visible.iter().any(|v| v == s)).collect();
            if missing.is_empty() {
                step.pass(if target.subjects.is_empty() {
                    format!("authenticated; {} subject(s) visible", visible.len())
                } else {
                    format!("authenticated; shared subject(s) visible: {}", target.subjects.join(", "))
                });
            } else {
                step.fail(
                    Problem::SubjectMissing,
                    format!("not visible: {}", missing.join(", ")),
                    "The key authenticates but does not see every shared subject: the share may have been revoked, or the provider has not registered a schema yet.",
                );
            }
        }
        Err(SrError::Refused(status)) => step.fail(
            Problem::SchemaRegistryRefused,
            format!("HTTP {status}"),
            "Schema Registry refused the key and secret: use the schema_registry_api_key and secret of this share's redemption (basic.auth.user.info is KEY:SECRET), not the Kafka ones.",
        ),
        Err(e @ SrError::Transport(_)) => step.fail(
            Problem::Unreachable,
            e.to_string(),
            "Schema Registry cannot be reached: check schema.registry.url and that this network may reach it (for a private-link share, over its private endpoint).",
        ),
        Err(e) => step.fail(
            Problem::Other,
            e.to_string(),
            "Schema Registry did not answer as expected: check schema.registry.url (the redemption's schema_registry_url).",
        ),
    }
    Some(timed(step, start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_link_domains_are_recognised() {
        let dns = guess_private_dns("lkc-abc12.dom1x2y3z.us-east-1.aws.confluent.cloud").unwrap();
        assert_eq!(dns.dns_domain, "dom1x2y3z.us-east-1.aws.confluent.cloud");
        assert_eq!(
            guess_private_dns("pkc-abc.us-west-2.aws.confluent.cloud"),
            None
        );
        assert_eq!(guess_private_dns("localhost"), None);
    }

    #[test]
    fn tls_failures_are_told_apart() {
        let host = "h";
        for (text, problem) in [
            (
                "error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:ssl/statem/statem_clnt.c:1889: (self-signed certificate in certificate chain)",
                Problem::UntrustedCertificate,
            ),
            (
                "error:0A000086:SSL routines::certificate verify failed: (Hostname mismatch)",
                Problem::HostnameMismatch,
            ),
            (
                "error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
                Problem::NotTls,
            ),
            ("something else", Problem::Other),
        ] {
            assert_eq!(classify_tls(host, text).0, problem, "{text}");
        }
    }
}
