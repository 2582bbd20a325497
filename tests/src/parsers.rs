//! The real parsers that rendered config files are checked with, run in batches (one process
//! for many files, since starting a JVM or a Python with confluent-kafka costs about a second).
//!
//! - [`java_read`]: `tests/java/ConfigCheck.java` loads each file with
//!   `java.util.Properties.load(InputStream)` and tokenises `sasl.jaas.config` exactly as Kafka's
//!   `JaasConfig` does.
//! - [`confluent_kafka_read`]: `tests/python/check_librdkafka.py` loads each `librdkafka` file
//!   (and runs the code each `python` file's comments show) into a real confluent-kafka
//!   `Consumer` on librdkafka's mock cluster, and a `python` file's Schema Registry settings
//!   into a real `SchemaRegistryClient`.
//!
//! Both report every string as the hex of its UTF-8 bytes, so what they read is compared byte
//! for byte. A checker that cannot start, or that fails on any file, fails the calling test with
//! what went wrong; Java and Python are required (`cargo xtask setup` installs them).

use cdx_ext::config::Format;
use cdx_test_tools as tools;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

/// One entry of a `sasl.jaas.config` value as Kafka's `JaasConfig` reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JaasEntry {
    /// The login module class.
    pub module: String,
    /// The control flag, upper-cased as Kafka normalises it (e.g. `REQUIRED`).
    pub flag: String,
    /// The module's options (`username`, `password`, …).
    pub options: BTreeMap<String, String>,
}

/// What the Java client read from one `.properties` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JavaRead {
    /// Every property, as `Properties.load` gave it back.
    pub props: BTreeMap<String, String>,
    /// The JAAS entries of the property whose key ends with `sasl.jaas.config` (`None`: no
    /// such property).
    pub jaas: Option<Vec<JaasEntry>>,
}

/// What confluent-kafka read from one `librdkafka` or `python` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfluentKafkaRead {
    /// The configuration the `Consumer` was created with (a `python` file: the one its comments'
    /// code handed to `Consumer`), before the checker points it at the mock cluster.
    pub kafka: BTreeMap<String, String>,
    /// Brokers in the metadata the `Consumer` fetched from the mock cluster.
    pub brokers: u64,
    /// A `python` file whose comments' code made a `SchemaRegistryClient`: what it got.
    pub schema_registry: Option<SchemaRegistryRead>,
}

/// What confluent-kafka's `SchemaRegistryClient` was given and made of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaRegistryRead {
    /// The configuration handed to `SchemaRegistryClient`.
    pub conf: BTreeMap<String, String>,
    /// The base URLs the client will call.
    pub urls: Vec<String>,
    /// The (user, password) of its basic authentication.
    pub auth: Option<(String, String)>,
}

/// Reads `paths` (`.properties` files) with the Java client's reader, in one JVM.
pub fn java_read(paths: &[PathBuf]) -> Vec<JavaRead> {
    let mut command = Command::new(tools::require_program("java"));
    command
        .args(["-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(java_classes())
        .arg("ConfigCheck");
    let input: String = paths.iter().map(|p| format!("{}\n", utf8(p))).collect();
    run_batch(command, input, paths.len(), "java ConfigCheck")
        .into_iter()
        .map(|v| JavaRead {
            props: unhex_map(&v["props"]),
            jaas: v["jaas"].as_array().map(|entries| {
                entries
                    .iter()
                    .map(|e| JaasEntry {
                        module: unhex(str_of(&e["module"])),
                        flag: str_of(&e["flag"]).to_string(),
                        options: unhex_map(&e["options"]),
                    })
                    .collect()
            }),
        })
        .collect()
}

/// Loads each `(format, path)` into confluent-kafka, in one Python process. `format` must be
/// [`Format::Librdkafka`] or [`Format::Python`].
pub fn confluent_kafka_read(jobs: &[(Format, PathBuf)]) -> Vec<ConfluentKafkaRead> {
    let checker = tools::workspace_root().join("tests/python/check_librdkafka.py");
    let mut command = Command::new(tools::python());
    command.arg(checker);
    let input: String = jobs
        .iter()
        .map(|(format, path)| {
            assert!(
                matches!(format, Format::Librdkafka | Format::Python),
                "confluent-kafka reads librdkafka and python files, not {format}"
            );
            format!("{format}\t{}\n", utf8(path))
        })
        .collect();
    run_batch(command, input, jobs.len(), "python check_librdkafka.py")
        .into_iter()
        .map(|v| ConfluentKafkaRead {
            kafka: unhex_map(&v["kafka"]),
            brokers: v["brokers"].as_u64().expect("a broker count"),
            schema_registry: (!v["schema_registry"].is_null()).then(|| SchemaRegistryRead {
                conf: unhex_map(&v["schema_registry"]),
                urls: v["sr_urls"]
                    .as_array()
                    .expect("the client's URLs")
                    .iter()
                    .map(|u| unhex(str_of(u)))
                    .collect(),
                auth: v["sr_auth"].as_array().map(|a| {
                    assert_eq!(a.len(), 2, "basic auth is (user, password)");
                    (unhex(str_of(&a[0])), unhex(str_of(&a[1])))
                }),
            }),
        })
        .collect()
}

fn utf8(path: &Path) -> &str {
    // The checkers take one path per line: a path that is not UTF-8 (or holds a line break)
    // could not be passed intact.
    let s = path.to_str().expect("UTF-8 paths");
    assert!(
        !s.contains(['\n', '\r', '\t']),
        "{s:?}: no line breaks or tabs"
    );
    s
}

fn str_of(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("a string from the checker, got {v}"))
}

/// The text whose UTF-8 bytes `hex` spells.
fn unhex(hex: &str) -> String {
    let bytes = cdx_broker::jvm::unhex(hex).unwrap_or_else(|| panic!("hex of whole bytes: {hex}"));
    String::from_utf8(bytes).expect("the checker read valid UTF-8 (no lone surrogates)")
}

fn unhex_map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .unwrap_or_else(|| panic!("a map from the checker, got {v}"))
        .iter()
        .map(|(k, v)| (unhex(k), unhex(str_of(v))))
        .collect()
}

/// Runs a checker with `input` on stdin; its stdout as JSON lines, one per job, each `ok`.
fn run_batch(mut command: Command, input: String, jobs: usize, what: &str) -> Vec<Value> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {what}: {e}: run `cargo xtask setup`"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Written from another thread: a large batch would fill the pipes both ways otherwise.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("the checker runs");
    writer
        .join()
        .expect("the writer thread")
        .expect("the checker reads its input");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}): {stderr}",
        out.status
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines.len(),
        jobs,
        "{what} answered every job; stderr: {stderr}"
    );
    eprintln!("{what}: {jobs} files in {:.1?}", started.elapsed());
    for (i, line) in lines.iter().enumerate() {
        assert!(
            line["ok"] == true,
            "{what}, file {i}: {}",
            unhex(line["error"].as_str().unwrap_or(""))
        );
    }
    lines
}

/// `tests/java/ConfigCheck.java`, compiled once per test process (into a temporary directory
/// that lives as long as the process).
fn java_classes() -> &'static Path {
    static CLASSES: OnceLock<tempfile::TempDir> = OnceLock::new();
    CLASSES
        .get_or_init(|| {
            let javac = tools::require_program("javac");
            let dir = tempfile::tempdir().expect("a temporary directory");
            let source = tools::workspace_root().join("tests/java/ConfigCheck.java");
            let out = Command::new(javac)
                .args(["-Xlint:all", "-Werror", "-d"])
                .arg(dir.path())
                .arg(&source)
                .output()
                .expect("javac runs");
            assert!(
                out.status.success(),
                "javac {}: {}",
                source.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            dir
        })
        .path()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decodes_to_utf8() {
        assert_eq!(unhex(""), "");
        assert_eq!(unhex("41c3a9f09f9880"), "A\u{e9}\u{1F600}");
        let map = serde_json::json!({"6b": "76"});
        assert_eq!(unhex_map(&map), BTreeMap::from([("k".into(), "v".into())]));
    }
}
