//! The peers: the same calls made by what a user would pick instead of cdx — a Go program in
//! the shape of Confluent's Go SDK (`tests/bench-peers/go`) and a Python `requests` script
//! (`tests/bench-peers/python/peer.py`) — each a worker process driven over stdin/stdout
//! against the same canned server.
//!
//! Protocol: the driver writes `OP N` (OP: redeem, token_inspect, get_consumer_share, list);
//! the worker performs N operations and answers one JSON line with the wall time of each
//! (`ns`), its own CPU time over the batch (`cpu_ns`, user + system from `getrusage`), the item
//! count of the last operation (`items`) and its peak RSS (`maxrss_kib`).

use std::io::{BufRead as _, Write as _};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use cdx_stats::Samples;

/// The API key the workers send (the canned server accepts anything).
pub const KEY: &str = "BENCHKEY";
pub const SECRET: &str = "bench-secret";

/// How long one batch may take before the worker is given up.
const BATCH_TIMEOUT: Duration = Duration::from_secs(180);

/// A peer program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    /// `tests/bench-peers/go`: net/http + encoding/json, in the Go SDK's shape.
    Go,
    /// `tests/bench-peers/python/peer.py`: `requests.Session`.
    Python,
}

impl Peer {
    pub const ALL: [Peer; 2] = [Peer::Go, Peer::Python];

    pub fn name(self) -> &'static str {
        match self {
            Peer::Go => "go",
            Peer::Python => "python",
        }
    }
}

/// `tests/bench-peers` in the source tree.
pub fn peers_dir() -> PathBuf {
    cdx_test_tools::workspace_root().join("tests/bench-peers")
}

fn output_of(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    match cmd.stdin(Stdio::null()).output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "{shown} failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!("{shown} could not start: {e}")),
    }
}

/// Builds (Go) or locates (Python) a peer, returning the command that starts its worker, or
/// why it cannot run (plainly, for the report).
pub fn prepare(peer: Peer) -> Result<Command, String> {
    match peer {
        Peer::Go => {
            // Next to the running binary (target/release or target/debug); the Go build cache
            // makes a rebuild of an unchanged program a matter of a second.
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            let out = exe
                .parent()
                .ok_or("no directory for the Go peer")?
                .join("cdx-bench-go-peer");
            output_of(
                Command::new("go")
                    .current_dir(peers_dir().join("go"))
                    .args(["build", "-o"])
                    .arg(&out)
                    .arg("."),
            )
            .map_err(|e| {
                format!("the Go peer did not build (is Go installed? `cargo xtask setup` installs it): {e}")
            })?;
            Ok(Command::new(out))
        }
        Peer::Python => {
            let python = cdx_test_tools::venv_python();
            output_of(Command::new(&python).args(["-c", "import requests"])).map_err(|e| {
                format!(
                    "no Python with `requests` at {} (run `cargo xtask setup`): {e}",
                    python.display()
                )
            })?;
            let mut cmd = Command::new(python);
            cmd.arg(peers_dir().join("python/peer.py"));
            Ok(cmd)
        }
    }
}

/// Sets the environment a peer reads: server URL, API key and secret, share token.
pub fn configure(cmd: &mut Command, base_url: &str, token: &str) {
    cmd.env("CDX_BENCH_URL", base_url)
        .env("CDX_BENCH_KEY", KEY)
        .env("CDX_BENCH_SECRET", SECRET)
        .env("CDX_BENCH_TOKEN", token);
}

/// One batch's answer.
#[derive(Debug, Default)]
pub struct Batch {
    pub samples: Samples,
    pub cpu: Duration,
    pub items: usize,
    pub maxrss_kib: u64,
}

/// A running worker; told to quit (then killed if it lingers) when dropped.
pub struct Worker {
    pub peer: Peer,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Worker {
    /// Starts a peer's worker against `base_url`.
    pub fn start(peer: Peer, base_url: &str, token: &str) -> Result<Worker, String> {
        let mut cmd = prepare(peer)?;
        configure(&mut cmd, base_url, token);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting the {} peer: {e}", peer.name()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stdin = child.stdin.take();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker {
            peer,
            child,
            stdin,
            lines,
        })
    }

    /// `n` operations `op`; an error if the worker fails, answers nonsense or takes too long.
    pub fn run(&mut self, op: &str, n: usize) -> Result<Batch, String> {
        let who = self.peer.name();
        let stdin = self.stdin.as_mut().ok_or("worker closed")?;
        writeln!(stdin, "{op} {n}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("{who} peer: {e}"))?;
        let line = self
            .lines
            .recv_timeout(BATCH_TIMEOUT)
            .map_err(|_| format!("{who} peer: no answer to `{op} {n}` (exited or timed out)"))?;
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{who} peer answered {line:?}: {e}"))?;
        if let Some(e) = v["error"].as_str() {
            return Err(format!("{who} peer: {e}"));
        }
        let ns = v["ns"]
            .as_array()
            .ok_or_else(|| format!("{who} peer: no ns"))?;
        if ns.len() != n {
            return Err(format!(
                "{who} peer: {} timings for {n} operations",
                ns.len()
            ));
        }
        let mut batch = Batch {
            cpu: Duration::from_nanos(v["cpu_ns"].as_u64().unwrap_or_default()),
            items: v["items"].as_u64().unwrap_or_default() as usize,
            maxrss_kib: v["maxrss_kib"].as_u64().unwrap_or_default(),
            ..Batch::default()
        };
        for t in ns {
            batch
                .samples
                .push(Duration::from_nanos(t.as_u64().ok_or("bad timing")?));
        }
        Ok(batch)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = writeln!(stdin, "quit");
        }
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts every peer that can run; says plainly, on stderr and in the result, which cannot.
pub fn start_all(base_url: &str, token: &str, wanted: bool) -> (Vec<Worker>, Value) {
    let mut workers = Vec::new();
    let mut status = serde_json::Map::new();
    for peer in Peer::ALL {
        if !wanted {
            status.insert(peer.name().into(), "not run (--no-peers)".into());
            continue;
        }
        match Worker::start(peer, base_url, token) {
            Ok(w) => {
                status.insert(peer.name().into(), "ran".into());
                workers.push(w);
            }
            Err(e) => {
                eprintln!(
                    "cdx-bench: the {} peer is MISSING from this run: {e}",
                    peer.name()
                );
                status.insert(peer.name().into(), format!("missing: {e}").into());
            }
        }
    }
    (workers, Value::Object(status))
}
