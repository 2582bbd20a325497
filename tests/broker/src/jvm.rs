//! The Java side of the real-broker tests: the jar folders `cargo xtask setup` fills from
//! `tests/kafka/*/pom.xml`, and our small Java sources compiled against them once per content
//! (the classes are cached under `target/kafka/`, keyed by a hash of the sources).

use cdx_test_tools::{require_program, workspace_root};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Which Maven project: the broker (Apache Kafka's server) or the clients (kafka-clients and
/// Spring Boot's Kafka binding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// `tests/kafka/broker`, jars in `target/kafka/broker-lib`.
    Broker,
    /// `tests/kafka/clients`, jars in `target/kafka/client-lib`.
    Clients,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Broker => "broker",
            Side::Clients => "clients",
        }
    }

    /// The folder with every jar of this side, or a failure saying how to get it.
    pub fn lib(self) -> PathBuf {
        let lib = workspace_root().join(match self {
            Side::Broker => "target/kafka/broker-lib",
            Side::Clients => "target/kafka/client-lib",
        });
        let stamp = lib.join(".pom");
        assert!(
            stamp.is_file(),
            "the Kafka jars are missing ({}): run `cargo xtask setup` (or `cargo xtask test`)",
            lib.display()
        );
        lib
    }

    /// The classpath: this side's jars and our classes compiled against them.
    pub fn classpath(self) -> String {
        let lib = self.lib();
        format!("{}/*:{}", lib.display(), self.classes().display())
    }

    /// Our Java sources of this side (`tests/kafka/<side>/src/*.java`), compiled once per
    /// content; returns the class folder.
    pub fn classes(self) -> PathBuf {
        let src = workspace_root()
            .join("tests/kafka")
            .join(self.name())
            .join("src");
        let mut sources: Vec<PathBuf> = std::fs::read_dir(&src)
            .unwrap_or_else(|e| panic!("reading {}: {e}", src.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "java"))
            .collect();
        sources.sort();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for path in &sources {
            path.file_name().hash(&mut hasher);
            std::fs::read(path).expect("java source").hash(&mut hasher);
        }
        let out = workspace_root().join(format!(
            "target/kafka/{}-classes-{:016x}",
            self.name(),
            hasher.finish()
        ));
        if out.is_dir() {
            return out;
        }
        // Compiled beside, then renamed: parallel test binaries never see half a folder.
        let tmp = tempfile::Builder::new()
            .prefix(".classes-")
            .tempdir_in(workspace_root().join("target/kafka"))
            .expect("temporary class folder");
        let status = Command::new(require_program("javac"))
            .arg("-nowarn")
            .arg("-d")
            .arg(tmp.path())
            .arg("-cp")
            .arg(format!("{}/*", self.lib().display()))
            .args(&sources)
            .status()
            .expect("running javac");
        assert!(status.success(), "javac failed on {}", src.display());
        let tmp = tmp.keep();
        if std::fs::rename(&tmp, &out).is_err() {
            // Another process won the race with the same classes.
            let _ = std::fs::remove_dir_all(&tmp);
        }
        out
    }
}

/// `java` with `-cp` for `side` and the flags every test JVM gets (small heap, quick start).
pub fn java(side: Side) -> Command {
    let mut cmd = Command::new(require_program("java"));
    cmd.args([
        "-Xms64m",
        "-Xmx512m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
    ])
    .arg("-cp")
    .arg(side.classpath());
    cmd
}

/// Hex of the bytes, for the Java helpers' line protocols.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex string (`None`: not hex).
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A path shown in errors.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}
