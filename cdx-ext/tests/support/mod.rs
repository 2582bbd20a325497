//! What the `cdx` binary's test files share: running it against the simulator.
#![allow(dead_code)] // each test file uses its own part

use cdx_sim::{SimConfig, Simulator};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// A finished `cdx` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `cdx` with the simulator's consumer (or provider) credentials and URL, run in `dir`.
pub fn command(sim: &Simulator, as_provider: bool, dir: &Path) -> Command {
    let config = sim.config();
    let (key, secret) = if as_provider {
        &config.provider_key
    } else {
        &config.consumer_key
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_cdx"));
    command
        .current_dir(dir)
        .env("CONFLUENT_CLOUD_API_KEY", key)
        .env("CONFLUENT_CLOUD_API_SECRET", secret)
        .env("CDX_API_URL", sim.base_url())
        .env_remove("RUST_LOG");
    command
}

/// Runs `cdx` as the simulator's consumer (or provider) in `dir`, with `stdin` piped in.
pub fn cdx(
    sim: &Simulator,
    as_provider: bool,
    dir: &Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Run {
    let mut child = command(sim, as_provider, dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cdx runs");
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        // A cdx that stops reading early (a capped token file) closes the pipe: not an error.
        let _ = pipe.write_all(text.as_bytes());
    }
    drop(pipe);
    finish(child.wait_with_output().unwrap())
}

/// Runs `cdx` as the simulator's consumer in `dir`, with nothing on standard input.
pub fn consumer(sim: &Simulator, dir: &Path, args: &[&str]) -> Run {
    cdx(sim, false, dir, args, None)
}

/// Runs `cdx consumer redeem TOKEN ARGS...` as the simulator's consumer in `dir`.
pub fn redeem(sim: &Simulator, dir: &Path, token: &str, args: &[&str]) -> Run {
    let all: Vec<&str> = ["consumer", "redeem", token]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    consumer(sim, dir, &all)
}

/// Runs `cdx` as the simulator's provider in `dir`, with nothing on standard input.
pub fn provider(sim: &Simulator, dir: &Path, args: &[&str]) -> Run {
    cdx(sim, true, dir, args, None)
}

pub async fn sim() -> Simulator {
    Simulator::start(SimConfig {
        fixed_now: Some("2026-11-22T10:00:00Z".parse().unwrap()),
        ..SimConfig::default()
    })
    .await
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
