//! A real Apache Kafka broker for end-to-end tests: one KRaft node on 127.0.0.1 with a
//! SASL_SSL listener (PLAIN) behind a throwaway CA, the StandardAuthorizer (no access unless
//! granted), and the provider's admin actions (topics, records, stream-share ACLs).
//!
//! The broker runs in one JVM (`tests/kafka/broker/src/CdxBroker.java`, from Apache Kafka's jars
//! that `cargo xtask setup` resolves with Maven) which also serves the admin commands over its
//! standard input; when that input closes (this process exits, panics or drops the [`Broker`]),
//! the JVM stops at once, so no broker outlives its tests. Its log and files are kept in
//! `target/kafka/runs/<pid>-<n>/` for a failed run.
//!
//! Start one per test binary with [`Broker::shared`]:
//!
//! ```no_run
//! use cdx_broker::{Broker, confluent_wire};
//! let broker = Broker::shared();
//! broker.create_topic("orders", 1);
//! broker.produce("orders", Some(b"k1"), &confluent_wire(1, b"{}"));
//! broker.add_user("SHAREKEY1", "s3cret 'with' \"quotes\"");
//! broker.grant_share("SHAREKEY1", &["orders"], "stream-share.ss-00001");
//! println!("{} trusting {}", broker.bootstrap(), broker.ca_pem().display());
//! ```
#![forbid(unsafe_code)]

pub mod clients;
pub mod jvm;
mod tls;

use jvm::{Side, hex, unhex};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// How long the node may take to format, start and answer metadata (2 busy cores: ~10-20 s).
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// How long one admin command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// The provider's admin user on the SASL_SSL listener (a super user).
pub const ADMIN_USER: &str = "provider-admin";

/// A running broker; dropping it stops the JVM.
pub struct Broker {
    dir: PathBuf,
    port: u16,
    ca_pem: PathBuf,
    admin_password: String,
    users: Mutex<BTreeMap<String, String>>,
    control: Mutex<Control>,
}

struct Control {
    child: Child,
    stdin: Option<ChildStdin>,
    answers: Receiver<String>,
}

impl Drop for Broker {
    fn drop(&mut self) {
        let control = self.control.get_mut().unwrap_or_else(|e| e.into_inner());
        control.stdin.take();
        let _ = control.child.kill();
        let _ = control.child.wait();
    }
}

/// `n` free ports on 127.0.0.1 (bound together, then released: the broker binds them next).
fn free_ports<const N: usize>() -> [u16; N] {
    let listeners: Vec<std::net::TcpListener> = (0..N)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("a free port"))
        .collect();
    std::array::from_fn(|i| listeners[i].local_addr().expect("local address").port())
}

/// A value in the Confluent wire format: byte 0, the 4-byte big-endian schema id, the payload.
pub fn confluent_wire(schema_id: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0];
    out.extend_from_slice(&schema_id.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

impl Broker {
    /// The broker of this test binary, started on first use and shared by its tests (one JVM
    /// per binary; it stops when the binary exits).
    pub fn shared() -> &'static Broker {
        static SHARED: OnceLock<Broker> = OnceLock::new();
        SHARED.get_or_init(Broker::start)
    }

    /// Starts a new node (free ports, a fresh CA, an empty log directory) and waits, at most
    /// two minutes, until it answers. Panics with the log's path if it does not.
    pub fn start() -> Broker {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let root = cdx_test_tools::workspace_root();
        let dir = root.join(format!(
            "target/kafka/runs/{}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).expect("creating the broker's run folder");
        let tls = tls::make(&dir);
        let [port, internal, controller] = free_ports::<3>();
        let admin_password = format!("admin-{}", std::process::id());
        let properties = server_properties(&dir, &tls, [port, internal, controller]);
        std::fs::write(dir.join("server.properties"), properties).expect("server.properties");

        let log = std::fs::File::create(dir.join("broker.log")).expect("broker.log");
        let mut child = jvm::java(Side::Broker)
            .arg(format!(
                "-Dcdx.credentials={}",
                dir.join("credentials").display()
            ))
            .arg("-Dorg.slf4j.simpleLogger.defaultLogLevel=info")
            .arg("CdxBroker")
            .arg(dir.join("server.properties"))
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("starting the broker JVM");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, answers) = channel();
        let transcript = dir.join("admin.log");
        std::thread::Builder::new()
            .name("kafka-broker-stdout".into())
            .spawn(move || {
                let mut transcript = std::fs::File::create(transcript).ok();
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if let Some(t) = transcript.as_mut() {
                        let _ = writeln!(t, "{line}");
                    }
                    if (line == "ready" || line.starts_with("ok") || line.starts_with("err"))
                        && tx.send(line).is_err()
                    {
                        break;
                    }
                }
            })
            .expect("stdout reader thread");
        let broker = Broker {
            dir,
            port,
            ca_pem: tls.ca_pem,
            admin_password,
            users: Mutex::new(BTreeMap::new()),
            control: Mutex::new(Control {
                child,
                stdin,
                answers,
            }),
        };
        broker.add_user(ADMIN_USER, &broker.admin_password.clone());
        let first = {
            let control = broker.control.lock().unwrap();
            control.answers.recv_timeout(START_TIMEOUT)
        };
        match first {
            Ok(line) if line == "ready" => broker,
            other => panic!(
                "the Kafka broker did not start ({}): see {}",
                describe(other),
                broker.dir.join("broker.log").display()
            ),
        }
    }

    /// The SASL_SSL listener, `127.0.0.1:<port>` (the upstream form adds `SASL_SSL://`).
    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The throwaway CA's certificate (PEM) that signed the broker's certificate. Test-only:
    /// pass it to clients out of band (`ssl.truststore.location` with `ssl.truststore.type=PEM`,
    /// or librdkafka's `ssl.ca.location`).
    pub fn ca_pem(&self) -> &Path {
        &self.ca_pem
    }

    /// The run folder: `broker.log`, `admin.log`, `server.properties`, the CA, the data.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The provider admin's SASL/PLAIN user name and password (a super user).
    pub fn admin_credentials(&self) -> (&str, &str) {
        (ADMIN_USER, &self.admin_password)
    }

    /// Lets `user` authenticate with `password` (any characters) on the SASL_SSL listener, from
    /// the next authentication on. Grants nothing: see [`Broker::grant_share`].
    pub fn add_user(&self, user: &str, password: &str) {
        let mut users = self.users.lock().unwrap();
        users.insert(user.to_string(), password.to_string());
        self.write_credentials(&users);
    }

    /// Stops `user` from authenticating (from the next authentication on).
    pub fn remove_user(&self, user: &str) {
        let mut users = self.users.lock().unwrap();
        users.remove(user);
        self.write_credentials(&users);
    }

    fn write_credentials(&self, users: &BTreeMap<String, String>) {
        let text: String = users
            .iter()
            .map(|(u, p)| format!("{} {}\n", hex(u.as_bytes()), hex(p.as_bytes())))
            .collect();
        // Written beside (owner-only) and renamed: the broker never reads half a file.
        use std::os::unix::fs::OpenOptionsExt as _;
        let tmp = self.dir.join("credentials.tmp");
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .expect("writing the broker's credentials");
        std::fs::rename(&tmp, self.dir.join("credentials")).expect("replacing the credentials");
    }

    /// Creates `topic` with `partitions` partitions. Panics if the broker refuses.
    pub fn create_topic(&self, topic: &str, partitions: u32) {
        self.command(&format!("topic {} {partitions}", hex(topic.as_bytes())))
            .unwrap_or_else(|e| panic!("creating topic {topic}: {e}"));
    }

    /// Produces one record (as the provider) and waits for its acknowledgement; returns
    /// (partition, offset).
    pub fn produce(&self, topic: &str, key: Option<&[u8]>, value: &[u8]) -> (u32, u64) {
        let key = key.map_or_else(|| "-".to_string(), hex);
        let answer = self
            .command(&format!(
                "produce {} {key} {}",
                hex(topic.as_bytes()),
                hex(value)
            ))
            .unwrap_or_else(|e| panic!("producing to {topic}: {e}"));
        let mut parts = answer.split_whitespace().map(|p| p.parse::<u64>());
        match (parts.next(), parts.next()) {
            (Some(Ok(partition)), Some(Ok(offset))) => (partition as u32, offset),
            _ => panic!("producing to {topic}: unexpected answer {answer:?}"),
        }
    }

    /// What Confluent's stream-share role grants `user`: READ and DESCRIBE on each topic
    /// (`LITERAL`), READ on consumer groups starting with `group_prefix` (`PREFIXED`).
    pub fn grant_share(&self, user: &str, topics: &[&str], group_prefix: &str) {
        let topics: Vec<String> = topics.iter().map(|t| hex(t.as_bytes())).collect();
        self.command(&format!(
            "grant {} {} {}",
            hex(user.as_bytes()),
            topics.join(","),
            hex(group_prefix.as_bytes())
        ))
        .unwrap_or_else(|e| panic!("granting {user} access: {e}"));
    }

    /// Deletes every ACL of `user` (its credentials still authenticate, authorized for nothing);
    /// returns how many were deleted.
    pub fn revoke_share(&self, user: &str) -> usize {
        let answer = self
            .command(&format!("revoke {}", hex(user.as_bytes())))
            .unwrap_or_else(|e| panic!("revoking {user}'s access: {e}"));
        answer.trim().parse().unwrap_or(0)
    }

    /// Sends one admin command; `Ok`: the rest of the `ok` line, `Err`: the broker's message.
    fn command(&self, line: &str) -> Result<String, String> {
        let mut control = self.control.lock().unwrap();
        let stdin = control.stdin.as_mut().ok_or("the broker is stopped")?;
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("the broker is gone ({e}): see {}", self.log()))?;
        match control.answers.recv_timeout(COMMAND_TIMEOUT) {
            Ok(answer) => {
                if let Some(rest) = answer.strip_prefix("ok") {
                    Ok(rest.trim().to_string())
                } else {
                    let message = answer.strip_prefix("err ").and_then(unhex);
                    Err(message
                        .map(|m| String::from_utf8_lossy(&m).into_owned())
                        .unwrap_or(answer))
                }
            }
            other => Err(format!("{}: see {}", describe(other), self.log())),
        }
    }

    fn log(&self) -> String {
        self.dir.join("broker.log").display().to_string()
    }
}

fn describe(answer: Result<String, RecvTimeoutError>) -> String {
    match answer {
        Ok(line) => format!("it answered {line:?}"),
        Err(RecvTimeoutError::Timeout) => "no answer in time".into(),
        Err(RecvTimeoutError::Disconnected) => "the JVM exited".into(),
    }
}

/// The node's configuration: KRaft combined mode, SASL_SSL (PLAIN, our credentials file) for
/// clients, PLAINTEXT for the controller and the admin (ANONYMOUS, a super user).
fn server_properties(dir: &Path, tls: &tls::Tls, [port, internal, controller]: [u16; 3]) -> String {
    let cluster_id = loop {
        // 16 bytes, base64url without padding, as Kafka's Uuid prints them; like Kafka's own
        // Uuid.randomUuid(), never one starting with '-' (the format tool would take it for an
        // option).
        use base64::Engine as _;
        let bytes = uuid::Uuid::new_v4().into_bytes();
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        if !id.starts_with('-') {
            break id;
        }
    };
    let entries = [
        ("cdx.cluster.id", cluster_id),
        ("cdx.internal.bootstrap", format!("127.0.0.1:{internal}")),
        ("process.roles", "broker,controller".into()),
        ("node.id", "1".into()),
        (
            "controller.quorum.bootstrap.servers",
            format!("127.0.0.1:{controller}"),
        ),
        ("controller.listener.names", "CONTROLLER".into()),
        (
            "listeners",
            format!(
                "SASL_SSL://127.0.0.1:{port},INTERNAL://127.0.0.1:{internal},CONTROLLER://127.0.0.1:{controller}"
            ),
        ),
        (
            "advertised.listeners",
            format!("SASL_SSL://127.0.0.1:{port},INTERNAL://127.0.0.1:{internal}"),
        ),
        (
            "listener.security.protocol.map",
            "SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT".into(),
        ),
        ("inter.broker.listener.name", "INTERNAL".into()),
        ("sasl.enabled.mechanisms", "PLAIN".into()),
        (
            "listener.name.sasl_ssl.plain.sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required;".into(),
        ),
        (
            "listener.name.sasl_ssl.plain.sasl.server.callback.handler.class",
            "CdxPlainAuth".into(),
        ),
        ("ssl.keystore.type", "PEM".into()),
        ("ssl.keystore.location", jvm::shown(&tls.broker_keystore)),
        (
            "authorizer.class.name",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer".into(),
        ),
        ("allow.everyone.if.no.acl.found", "false".into()),
        ("super.users", format!("User:ANONYMOUS;User:{ADMIN_USER}")),
        ("log.dirs", jvm::shown(&dir.join("data"))),
        ("num.partitions", "1".into()),
        ("offsets.topic.replication.factor", "1".into()),
        ("offsets.topic.num.partitions", "1".into()),
        ("transaction.state.log.replication.factor", "1".into()),
        ("transaction.state.log.min.isr", "1".into()),
        (
            "share.coordinator.state.topic.replication.factor",
            "1".into(),
        ),
        ("share.coordinator.state.topic.min.isr", "1".into()),
        ("group.initial.rebalance.delay.ms", "0".into()),
        ("auto.create.topics.enable", "false".into()),
    ];
    entries
        .iter()
        .map(|(k, v)| format!("{k}={}\n", v.replace('\\', "\\\\")))
        .collect()
}
