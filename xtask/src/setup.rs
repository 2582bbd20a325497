//! `cargo xtask setup` and `cargo xtask test`: the tools the test suite needs, installed by the
//! project itself (idempotently), then the tests.
//!
//! - A Python virtualenv at `target/py` with `tests/requirements.txt` (schemathesis,
//!   confluent-kafka, openapi-spec-validator). Reinstalled only when the requirements change.
//! - A JDK (`java` and `javac`), from Debian's `default-jdk-headless` when missing, and
//!   util-linux `script` (Debian's `bsdutils`) for the CLI's terminal tests.
//! - For the real-broker tests: Maven and openssl (Debian) and the jars of `tests/kafka/broker`
//!   (Apache Kafka) and `tests/kafka/clients` (kafka-clients, Spring Boot's Kafka binding) copied
//!   into `target/kafka/{broker,client}-lib`. Resolved again only when a pom changes; Maven's
//!   cache (`~/.m2`) makes that fast.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the test suite's virtualenv lives, relative to the workspace root.
pub const VENV: &str = "target/py";

/// Runs a command to completion; a non-zero exit is an error naming the command.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The virtualenv's Python.
pub fn python(root: &Path) -> PathBuf {
    root.join(VENV).join("bin/python")
}

fn ensure_python(root: &Path) -> Result<()> {
    let requirements = std::fs::read_to_string(root.join("tests/requirements.txt"))?;
    let stamp = root.join(VENV).join(".requirements");
    if python(root).exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == requirements) {
        return Ok(());
    }
    let system_python = ["python3", "python"]
        .into_iter()
        .find(|p| have(p, "--version"))
        .context(
            "no python3 found: install Python 3.9+ (Debian: apt-get install python3 python3-venv)",
        )?;
    eprintln!("setup: creating {VENV} with tests/requirements.txt");
    run(Command::new(system_python)
        .args(["-m", "venv", "--clear"])
        .arg(root.join(VENV)))?;
    run(Command::new(python(root))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(root.join("tests/requirements.txt")))?;
    std::fs::write(stamp, requirements)?;
    Ok(())
}

/// Installs Debian `package` with apt-get unless `present` already holds; `what` says who needs
/// it, for the error on machines without apt.
fn ensure_debian_package(present: bool, package: &str, what: &str) -> Result<()> {
    if present {
        return Ok(());
    }
    if !have("apt-get", "--version") {
        bail!("{what}: install it (Debian package {package})");
    }
    eprintln!("setup: installing {package} with apt-get");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends", package])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(())
}

/// Copies the jars of the Maven project `tests/kafka/<project>` into `target/kafka/<lib>`,
/// unless that folder's stamp shows the same pom.
fn ensure_jars(root: &Path, project: &str, lib: &str) -> Result<()> {
    let pom = root.join("tests/kafka").join(project).join("pom.xml");
    let wanted = std::fs::read_to_string(&pom).with_context(|| format!("reading {pom:?}"))?;
    let out = root.join("target/kafka").join(lib);
    let stamp = out.join(".pom");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(());
    }
    eprintln!("setup: resolving tests/kafka/{project} with Maven into target/kafka/{lib}");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    run(Command::new("mvn")
        .args(["-q", "-B", "-f"])
        .arg(&pom)
        .arg("dependency:copy-dependencies")
        .arg(format!("-DoutputDirectory={}", out.display())))?;
    std::fs::write(stamp, wanted)?;
    Ok(())
}

/// Installs what the tests need.
pub fn setup(root: &Path) -> Result<()> {
    ensure_python(root)?;
    ensure_debian_package(
        have("java", "-version") && have("javac", "-version"),
        "default-jdk-headless",
        "java and javac (a JDK, 17 or later) are needed by the config-file tests",
    )?;
    ensure_debian_package(
        have("script", "--version"),
        "bsdutils",
        "util-linux `script` runs the CLI on a pseudo-terminal in its tests",
    )?;
    ensure_debian_package(
        have("mvn", "--version"),
        "maven",
        "Maven resolves the Kafka broker and clients for the real-broker tests",
    )?;
    ensure_debian_package(
        have("openssl", "version"),
        "openssl",
        "openssl makes the real-broker tests' throwaway CA",
    )?;
    ensure_jars(root, "broker", "broker-lib")?;
    ensure_jars(root, "clients", "client-lib")?;
    Ok(())
}

/// Sets up, then runs the whole test suite.
pub fn test(root: &Path, extra: &[String]) -> Result<()> {
    setup(root)?;
    run(Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["test", "--workspace", "--all-features", "--locked"])
        .args(extra)
        .env("CDX_TEST_PYTHON", python(root)))
}

/// Runs the offline demo (the simulator and cdx-ext, from the tests crate); with `kafka`, on a
/// local Kafka broker, after installing the tools it needs.
pub fn demo(root: &Path, kafka: bool) -> Result<()> {
    if kafka {
        setup(root)?;
    }
    run(Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--package",
            "cdx-tests",
            "--bin",
            "cdx-demo",
            "--",
        ])
        .arg(root.join("target/demo"))
        .args(kafka.then_some("--kafka"))
        .env("CDX_TEST_PYTHON", python(root)))
}
