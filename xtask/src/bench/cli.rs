//! The command line as a user runs it: `cdx consumer share list -o json` over 10,000 shares,
//! a whole process (release build), against the same listing by the Python `requests` script
//! (`tests/bench-peers/python/peer.py list-json`), both against `cdx-bench --serve`.
//!
//! Each run is a fresh probe process (`cargo xtask bench --run-probe OUT`, hidden, the command
//! in `CDX_BENCH_PROBE_ARGV`) whose only child is the command: after reaping it, the probe's
//! `getrusage(RUSAGE_CHILDREN)` is that command's own peak RSS and CPU time. Both print the
//! shares as one JSON array (cdx indented, the script compact, its fastest); the item count of
//! each is checked.

use anyhow::{Context, Result, bail};
use cdx_stats::{median, round1};
use serde_json::{Map, Value, json};
use std::io::BufRead as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable that carries the probed command (a JSON array).
const ARGV_VAR: &str = "CDX_BENCH_PROBE_ARGV";
const SHARES: usize = 10_000;

/// Kills (and reaps) a child when dropped.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One contender: its name and the command with its environment.
struct Contender {
    name: &'static str,
    argv: Vec<String>,
    env: Vec<(&'static str, String)>,
}

/// Runs every contender `runs` times (alternating the order), the medians.
pub fn measure(bench: &Path, cdx: &Path, python: &Path, root: &Path, runs: usize) -> Result<Value> {
    let mut server = Command::new(bench)
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {} --serve", bench.display()))?;
    let stdout = server.stdout.take().context("server stdout")?;
    let server = Reaped(server);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let url = rx
        .recv_timeout(Duration::from_secs(30))
        .context("cdx-bench --serve printed no URL")?
        .trim()
        .to_string();
    if !url.starts_with("http://127.0.0.1:") {
        bail!("cdx-bench --serve printed {url:?}, not a loopback URL");
    }
    let mut contenders = vec![Contender {
        name: "cdx",
        argv: ["consumer", "share", "list", "-o", "json"]
            .into_iter()
            .map(String::from)
            .collect(),
        env: vec![
            ("CONFLUENT_CLOUD_API_KEY", "BENCHKEY".into()),
            ("CONFLUENT_CLOUD_API_SECRET", "bench-secret".into()),
            ("CDX_API_URL", url.clone()),
        ],
    }];
    contenders[0].argv.insert(0, cdx.display().to_string());
    let mut status = Map::new();
    status.insert("cdx".into(), "ran".into());
    let has_requests = Command::new(python)
        .args(["-c", "import requests"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_requests {
        status.insert("python".into(), "ran".into());
        contenders.push(Contender {
            name: "python",
            argv: vec![
                python.display().to_string(),
                root.join("tests/bench-peers/python/peer.py")
                    .display()
                    .to_string(),
                "list-json".into(),
            ],
            env: vec![
                ("CDX_BENCH_URL", url.clone()),
                ("CDX_BENCH_KEY", "BENCHKEY".into()),
                ("CDX_BENCH_SECRET", "bench-secret".into()),
            ],
        });
    } else {
        let why = format!(
            "missing: no Python with `requests` at {} (run `cargo xtask setup`)",
            python.display()
        );
        eprintln!("bench: the Python script is MISSING from the command-line comparison: {why}");
        status.insert("python".into(), why.into());
    }

    let me = std::env::current_exe().context("locating the xtask binary")?;
    let out = std::env::temp_dir().join(format!("cdx-bench-list-{}.json", std::process::id()));
    let mut figures: Vec<Vec<Value>> = vec![Vec::new(); contenders.len()];
    for run in 0..runs {
        for k in 0..contenders.len() {
            let i = (k + run) % contenders.len();
            let c = &contenders[i];
            eprintln!(
                "bench: `{}` listing {SHARES} shares as a process, run {}/{runs}",
                c.name,
                run + 1
            );
            let mut probe = Command::new(&me);
            probe
                .args(["bench", "--run-probe"])
                .arg(&out)
                .env(ARGV_VAR, serde_json::to_string(&c.argv)?)
                .env_remove("RUST_LOG")
                .stdin(Stdio::null())
                .stderr(Stdio::inherit());
            for (k, v) in &c.env {
                probe.env(k, v);
            }
            let o = probe.output().context("starting the probe")?;
            if !o.status.success() {
                bail!("the probe of {} failed ({})", c.name, o.status);
            }
            let m: Value = serde_json::from_slice(&o.stdout).context("probe output")?;
            let listed: Vec<Value> = serde_json::from_slice(&std::fs::read(&out)?)
                .with_context(|| format!("{} printed no JSON array", c.name))?;
            if listed.len() != SHARES {
                bail!("{} listed {} shares, not {SHARES}", c.name, listed.len());
            }
            figures[i].push(m);
        }
    }
    let _ = std::fs::remove_file(&out);
    drop(server);

    let mut result = Map::new();
    for (i, c) in contenders.iter().enumerate() {
        let col = |k: &str| {
            figures[i]
                .iter()
                .filter_map(|m| m[k].as_f64())
                .collect::<Vec<_>>()
        };
        result.insert(
            c.name.into(),
            json!({
                "median_wall_ms": round1(median(&col("wall_ms"))),
                "median_cpu_ms": round1(median(&col("cpu_ms"))),
                "median_peak_rss_kib": median(&col("peak_rss_kib")),
                "runs": figures[i],
            }),
        );
    }
    result.insert("contenders".into(), Value::Object(status));
    result.insert(
        "command".into(),
        json!("cdx consumer share list -o json  vs  python peer.py list-json (requests.Session)"),
    );
    result.insert("shares".into(), json!(SHARES));
    Ok(Value::Object(result))
}

/// The probe: run the command in `CDX_BENCH_PROBE_ARGV` with stdout to `out`, reap it, and
/// report its wall time, CPU time and peak RSS (it is this process's only child).
pub fn probe(out: &Path) -> Result<Value> {
    let argv: Vec<String> = serde_json::from_str(
        &std::env::var(ARGV_VAR).with_context(|| format!("{ARGV_VAR} is not set"))?,
    )
    .with_context(|| format!("{ARGV_VAR} is not a JSON array of strings"))?;
    let (program, args) = argv.split_first().context("an empty command")?;
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
        }
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            bail!("{program} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .context("getrusage")?;
    let secs = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 * 1e-6;
    let cpu_ms = (secs(usage.user_time()) + secs(usage.system_time())) * 1e3;
    if !status.success() {
        bail!(
            "{program} failed ({status}): {}",
            reader.join().unwrap_or_default().trim()
        );
    }
    Ok(json!({
        "wall_ms": round1(wall_ms),
        "cpu_ms": round1(cpu_ms),
        "peak_rss_kib": usage.max_rss(),
    }))
}
