//! `cargo xtask bench [--quick]`: measures cdx and writes `target/bench/summary.json`.
//!
//! 1. Code generation, in this process: `xtask::codegen::generate` on the vendored spec
//!    (normalise + progenitor + format, nothing written), several runs, the median.
//! 2. The runtime benchmarks (call overhead, pagination, rendering): the `cdx-bench` binary of
//!    tests/bench (crate `cdx-bench`), release build, against its own canned server on 127.0.0.1.
//! 3. Peak RSS of the `cdx` binary (release, `--features cli`) redeeming a token against the
//!    `cdx-sim` binary (release, `--seed-demo`). Each run happens in a fresh copy of this
//!    program (`bench --rss-probe CDX SIM`) that has no other child when it reads
//!    `getrusage(RUSAGE_CHILDREN)`, so the figure is the `cdx` process's own peak, not cargo's
//!    or rustc's.
//!
//! 4. Instructions per call and per listing of cdx and the raw floor under callgrind
//!    ([`instr`]): `call_overhead_instr_ratio` and `pagination_instr_ratio`, which load cannot
//!    move.
//! 5. The command line as a user runs it ([`cli`]): `cdx consumer share list -o json` over
//!    10,000 shares against the same listing by a Python `requests` script, whole processes.
//!
//! `cdx-bench` also runs the peers (a Go program, a Python `requests` script) beside its own
//! variants, when Go and the virtualenv are there, and says which are missing.
//! Then it prints each figure beside its target. Targets are reported, never asserted.
//! See BENCHMARKS.md.
#![forbid(unsafe_code)]

use anyhow::{Context, Result, bail};
use cdx_stats::{median, round1};
use serde_json::{Map, Value, json};
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use xtask::setup::run as run_cmd;

mod cli;
mod instr;

/// Where the results go, relative to the workspace root.
pub const OUT_DIR: &str = "target/bench";

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string())
}

/// The target directory cargo builds into (honours `CARGO_TARGET_DIR`).
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => root.join(d),
        None => root.join("target"),
    }
}

/// Entry point: the whole benchmark, or (`rss_probe`) one memory measurement.
pub fn run(
    root: &Path,
    quick: bool,
    rss_probe: Option<&[PathBuf]>,
    run_probe: Option<&Path>,
) -> Result<()> {
    if let Some(out) = run_probe {
        println!("{}", cli::probe(out)?);
        return Ok(());
    }
    if let Some(paths) = rss_probe {
        let [cdx, sim] = paths else {
            bail!("--rss-probe takes the cdx and cdx-sim binaries");
        };
        let m = rss_probe_once(cdx, sim)?;
        println!("{m}");
        return Ok(());
    }
    let started = Instant::now();
    let out_dir = root.join(OUT_DIR);
    std::fs::create_dir_all(&out_dir)?;
    let load_at_start = load_average();

    // 1. Code generation, in process.
    eprintln!("bench: code generation (in process)");
    let codegen = time_codegen(root, if quick { 3 } else { 7 })?;

    // 2. Release builds, then the runtime benchmarks.
    eprintln!("bench: building cdx-bench and cdx-sim (release)");
    run_cmd(Command::new(cargo()).current_dir(root).args([
        "build",
        "--release",
        "--quiet",
        "-p",
        "cdx-bench",
        "-p",
        "cdx-sim",
        "--bin",
        "cdx-bench",
        "--bin",
        "cdx-sim",
    ]))?;
    eprintln!("bench: building cdx (release, --features cli)");
    run_cmd(
        Command::new(cargo())
            .current_dir(root)
            .args(["build", "--release", "--quiet"])
            .args(cdx_test_tools::CDX_BINARY),
    )?;
    let runtime_json = out_dir.join("runtime.json");
    let _ = std::fs::remove_file(&runtime_json);
    eprintln!("bench: runtime benchmarks (cdx-bench)");
    let mut bench = Command::new(cargo());
    // The peers' Python: the project's virtualenv.
    bench.env("CDX_TEST_PYTHON", xtask::setup::python(root));
    bench.current_dir(root).args([
        "run",
        "--release",
        "--quiet",
        "-p",
        "cdx-bench",
        "--bin",
        "cdx-bench",
        "--",
    ]);
    if quick {
        bench.arg("--quick");
    }
    run_cmd(bench.arg("--out").arg(&runtime_json))?;
    let runtime: Value = serde_json::from_str(
        &std::fs::read_to_string(&runtime_json)
            .with_context(|| format!("reading {}", runtime_json.display()))?,
    )
    .context("cdx-bench wrote invalid JSON")?;

    // 3. Peak RSS of `cdx consumer redeem`, each run in a fresh probe process.
    let release = target_dir(root).join("release");
    let (cdx, sim) = (release.join("cdx"), release.join("cdx-sim"));
    let rss = measure_rss(&cdx, &sim, if quick { 1 } else { 5 })?;

    // 4. Instructions per call under callgrind (deterministic; the same with --quick).
    eprintln!("bench: instructions per call and per listing (valgrind --tool=callgrind, ~2 min)");
    let instructions = instr::measure(&release.join("cdx-bench"), &out_dir.join("callgrind"))
        .unwrap_or_else(|e| {
            eprintln!("bench: NO instruction counts: {e:#}");
            json!({ "instructions": { "missing": format!("{e:#}") } })
        });

    // 5. `cdx consumer share list -o json` against a Python script, whole processes.
    let cli_list = cli::measure(
        &release.join("cdx-bench"),
        &cdx,
        &xtask::setup::python(root),
        root,
        if quick { 2 } else { 7 },
    )?;

    // 6. The summary.
    let mut summary = Map::new();
    if let Value::Object(m) = &runtime {
        for (k, v) in m {
            if v.is_number() {
                summary.insert(k.clone(), v.clone());
            }
        }
    }
    summary.insert("codegen_ms".into(), codegen["median_ms"].clone());
    summary.insert("cdx_peak_rss_kib".into(), rss["median_kib"].clone());
    if let Value::Object(m) = instructions {
        summary.extend(m);
    }
    for (name, c) in cli_list["contenders"]
        .as_object()
        .cloned()
        .unwrap_or_default()
    {
        if c == "ran" {
            let v = &cli_list[&name];
            summary.insert(
                format!("cli_list_{name}_wall_ms"),
                v["median_wall_ms"].clone(),
            );
            summary.insert(
                format!("cli_list_{name}_peak_rss_kib"),
                v["median_peak_rss_kib"].clone(),
            );
        }
    }
    summary.insert("cli_list".into(), cli_list);
    summary.insert("codegen".into(), codegen);
    summary.insert("cdx_peak_rss".into(), rss);
    summary.insert("runtime".into(), runtime);
    summary.insert(
        "command".into(),
        json!(if quick {
            "cargo xtask bench --quick"
        } else {
            "cargo xtask bench"
        }),
    );
    summary.insert("quick".into(), json!(quick));
    summary.insert("machine".into(), machine(load_at_start));
    summary.insert("git_head".into(), json!(git_head(root)));
    summary.insert(
        "bench_seconds".into(),
        json!((started.elapsed().as_secs_f64() * 10.0).round() / 10.0),
    );
    let summary = Value::Object(summary);
    let path = out_dir.join("summary.json");
    std::fs::write(&path, serde_json::to_string_pretty(&summary)? + "\n")?;
    print_table(&summary);
    println!(
        "wrote {}",
        path.strip_prefix(root).unwrap_or(&path).display()
    );
    Ok(())
}

/// Median wall time of the in-memory pipeline (after one untimed run that warms the caches).
fn time_codegen(root: &Path, runs: usize) -> Result<Value> {
    let spec = root.join(xtask::codegen::SPEC);
    let mut times = Vec::with_capacity(runs);
    for i in 0..=runs {
        let t = Instant::now();
        let outputs = xtask::codegen::generate(&spec)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box(outputs);
        if i > 0 {
            times.push(ms);
        }
    }
    let profile = if cfg!(debug_assertions) {
        "dev (as `cargo xtask` builds it)"
    } else {
        "release"
    };
    Ok(json!({
        "median_ms": round1(median(&times)),
        "min_ms": round1(times.iter().copied().fold(f64::INFINITY, f64::min)),
        "runs_ms": times.iter().map(|t| round1(*t)).collect::<Vec<_>>(),
        "profile": profile,
        "spec": xtask::codegen::SPEC,
    }))
}

fn measure_rss(cdx: &Path, sim: &Path, runs: usize) -> Result<Value> {
    let me = std::env::current_exe().context("locating the xtask binary")?;
    let mut kib = Vec::new();
    let mut wall = Vec::new();
    for i in 0..runs {
        eprintln!(
            "bench: peak RSS of `cdx consumer redeem`, run {}/{runs}",
            i + 1
        );
        let out = Command::new(&me)
            .args(["bench", "--rss-probe"])
            .arg(cdx)
            .arg(sim)
            .stderr(Stdio::inherit())
            .output()
            .context("starting the RSS probe")?;
        if !out.status.success() {
            bail!("the RSS probe failed ({})", out.status);
        }
        let m: Value = serde_json::from_slice(&out.stdout).context("RSS probe output")?;
        kib.push(m["peak_rss_kib"].as_f64().context("peak_rss_kib")?);
        wall.push(m["wall_ms"].as_f64().unwrap_or_default());
    }
    Ok(json!({
        "median_kib": median(&kib),
        "max_kib": kib.iter().copied().fold(0.0, f64::max),
        "runs_kib": kib,
        "median_wall_ms": round1(median(&wall)),
        "command": "cdx consumer redeem <token> --config-file <tmp>/client.properties --save <tmp>/r.json",
        "method": "getrusage(RUSAGE_CHILDREN).ru_maxrss in a probe process whose only waited-for child is cdx",
    }))
}

/// Kills (and reaps) a child when dropped, so no path leaves a simulator running.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One measurement: start the simulator, redeem its demo token with `cdx`, read the peak RSS of
/// the children waited for so far (only `cdx`), then stop the simulator.
fn rss_probe_once(cdx: &Path, sim: &Path) -> Result<Value> {
    for b in [cdx, sim] {
        if !b.is_file() {
            bail!("{} is missing: build it first", b.display());
        }
    }
    let tmp = std::env::temp_dir().join(format!(
        "cdx-bench-rss-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&tmp)?;
    let result = probe_in(cdx, sim, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn probe_in(cdx: &Path, sim: &Path, tmp: &Path) -> Result<Value> {
    let mut child = Command::new(sim)
        .arg("--seed-demo")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", sim.display()))?;
    let stdout = child.stdout.take().context("simulator stdout")?;
    let sim_proc = Reaped(child);

    // Read the simulator's banner on a thread, so a silent simulator cannot block us.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().take(64) {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut url, mut key, mut token) = (None, None, None);
    let deadline = Instant::now() + Duration::from_secs(20);
    while token.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .context("the simulator did not print its invite token in time")?;
        if url.is_none() {
            url = Some(line.trim().to_string());
        } else if let Some(k) = line.strip_prefix("consumer api key: ") {
            key = k
                .trim()
                .split_once(':')
                .map(|(a, b)| (a.to_string(), b.to_string()));
        } else if let Some(t) = line.strip_prefix("invite token: ") {
            token = Some(t.trim().to_string());
        }
    }
    let url = url.context("no base URL")?;
    if !url.starts_with("http://127.0.0.1:") {
        bail!("the simulator printed an unexpected base URL: {url}");
    }
    let (key, secret) = key.unwrap_or_else(|| ("CONSUMERKEY".into(), "consumer-secret".into()));
    let token = token.context("no token")?;

    let config = tmp.join("client.properties");
    let saved = tmp.join("r.json");
    let started = Instant::now();
    let mut redeem = Command::new(cdx)
        .args(["consumer", "redeem", &token, "--config-file"])
        .arg(&config)
        .arg("--save")
        .arg(&saved)
        .env("CONFLUENT_CLOUD_API_KEY", &key)
        .env("CONFLUENT_CLOUD_API_SECRET", &secret)
        .env("CDX_API_URL", &url)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", cdx.display()))?;
    let stderr = redeem.stderr.take();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
        }
        text
    });
    let status = loop {
        if let Some(status) = redeem.try_wait()? {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = redeem.kill();
            let _ = redeem.wait();
            bail!("cdx consumer redeem did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    // Read now: `cdx` is the only child waited for so far (the simulator still runs).
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .context("getrusage")?;
    let peak_kib = usage.max_rss(); // kilobytes on Linux
    drop(sim_proc);
    let stderr = stderr_reader.join().unwrap_or_default();
    if !status.success() {
        bail!("cdx consumer redeem failed ({status}): {}", stderr.trim());
    }
    for f in [&config, &saved] {
        if !f.is_file() {
            bail!("cdx consumer redeem did not write {}", f.display());
        }
    }
    Ok(json!({ "peak_rss_kib": peak_kib, "wall_ms": round1(wall_ms) }))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn machine(load_at_start: String) -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .and_then(|r| r.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    json!({
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "cpu_model": model,
        "load_average_at_start": load_at_start,
        "load_average_at_end": load_average(),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
    })
}

fn git_head(root: &Path) -> String {
    let out = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => "unknown".into(),
    }
}

/// One line of the table: a figure, what it is, its target (if any) and whether it is met.
struct Row<'a> {
    name: &'a str,
    note: &'a str,
    value: Option<f64>,
    target: &'a str,
    met: Option<bool>,
}

/// Prints each figure, its target and whether it is met.
fn print_table(s: &Value) {
    let num = |k: &str| s[k].as_f64();
    let at_most = |k: &str, limit: f64| num(k).map(|v| v <= limit);
    let plain = |name, note| Row {
        name,
        note,
        value: num(name),
        target: "-",
        met: None,
    };
    let rows = [
        Row {
            name: "call_overhead_ratio",
            note: "cdx/raw, worst median",
            value: num("call_overhead_ratio"),
            target: "<= 1.05",
            met: at_most("call_overhead_ratio", 1.05),
        },
        Row {
            name: "pagination_ratio",
            note: "cdx/raw, 10,000 shares",
            value: num("pagination_ratio"),
            target: "<= 1.05",
            met: at_most("pagination_ratio", 1.05),
        },
        Row {
            name: "call_overhead_instr_ratio",
            note: "cdx/raw instructions, worst op",
            value: num("call_overhead_instr_ratio"),
            target: "<= 1.05",
            met: at_most("call_overhead_instr_ratio", 1.05),
        },
        Row {
            name: "pagination_instr_ratio",
            note: "cdx/raw instructions per listing",
            value: num("pagination_instr_ratio"),
            target: "<= 1.05",
            met: at_most("pagination_instr_ratio", 1.05),
        },
        plain("pagination_items_per_s", "cdx stream"),
        plain("render_java_per_s", "files/s"),
        plain("render_librdkafka_per_s", "files/s"),
        Row {
            name: "codegen_ms",
            note: s["codegen"]["profile"].as_str().unwrap_or(""),
            value: num("codegen_ms"),
            target: "< 1000",
            met: num("codegen_ms").map(|v| v < 1000.0),
        },
        plain("cdx_peak_rss_kib", "cdx consumer redeem"),
    ];
    println!();
    println!(
        "{:<26} {:>14}  {:<8} {:<6} note",
        "figure", "value", "target", "result"
    );
    for Row {
        name,
        note,
        value,
        target,
        met,
    } in rows
    {
        let value = value.map_or_else(|| "n/a".to_string(), format_value);
        let result = match met {
            Some(true) => "pass",
            Some(false) => "MISS",
            None => "",
        };
        println!("{name:<26} {value:>14}  {target:<8} {result:<6} {note}");
    }
    let ops = &s["runtime"]["call_overhead"]["operations"];
    if let Value::Object(ops) = ops {
        println!();
        println!(
            "{:<20} {:>10} {:>10} {:>10} {:>10} {:>8} {:>8}",
            "operation (median)",
            "raw us",
            "gen us",
            "cdx us",
            "cdx+rt us",
            "cdx/raw",
            "cdx+rt/raw"
        );
        for (op, v) in ops {
            let us = |variant: &str| v[variant]["median_us"].as_f64().unwrap_or_default();
            let ratio = |variant: &str| v[variant]["ratio_to_raw"].as_f64().unwrap_or_default();
            println!(
                "{op:<20} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>8.3} {:>8.3}",
                us("raw"),
                us("generated"),
                us("cdx"),
                us("cdx_retry_tracing"),
                ratio("cdx"),
                ratio("cdx_retry_tracing")
            );
        }
        println!("(cdx+rt: default retry policy and a tracing subscriber installed at INFO)");
    }
    print_peers(s);
    println!();
    println!(
        "cold build of cdx-ext: run scripts/cold-build.sh separately (target: <= 45 s on 2 cores)"
    );
}

/// Every variant and peer side by side: calls, listing, and the command line.
fn print_peers(s: &Value) {
    let rt = &s["runtime"];
    println!();
    match rt["peers"].as_object() {
        Some(peers) => {
            for (name, status) in peers {
                println!("peer {name}: {}", status.as_str().unwrap_or("?"));
            }
        }
        None => println!("peers: none reported"),
    }
    let names = [
        "raw",
        "generated",
        "cdx",
        "cdx_retry_tracing",
        "go",
        "python",
    ];
    if let Value::Object(ops) = &rt["call_overhead"]["operations"] {
        println!();
        println!(
            "{:<20} {:<18} {:>10} {:>10} {:>10} {:>8} {:>8} {:>8}",
            "operation", "variant", "median us", "p99 us", "cpu us", "/raw", "/cdx", "cpu/cdx"
        );
        for (op, v) in ops {
            let cdx = &v["cdx"];
            for name in names {
                let x = &v[name];
                if x.is_null() {
                    continue;
                }
                let f = |k: &str| x[k].as_f64().unwrap_or(f64::NAN);
                println!(
                    "{op:<20} {name:<18} {:>10.1} {:>10.1} {:>10.1} {:>8.3} {:>8.3} {:>8.3}",
                    f("median_us"),
                    f("p99_us"),
                    f("cpu_us_per_call"),
                    x["ratio_to_raw"].as_f64().unwrap_or(1.0),
                    f("median_us") / cdx["median_us"].as_f64().unwrap_or(f64::NAN),
                    f("cpu_us_per_call") / cdx["cpu_us_per_call"].as_f64().unwrap_or(f64::NAN),
                );
            }
        }
    }
    if let Value::Object(variants) = &rt["pagination"]["variants"] {
        println!();
        println!(
            "{:<24} {:>10} {:>10} {:>10} {:>10} {:>8} {:>10}",
            "listing 10,000 shares", "median ms", "p99 ms", "cpu ms", "items/s", "/cdx", "rss KiB"
        );
        let cdx = variants
            .get("cdx")
            .and_then(|c| c["median_ms"].as_f64())
            .unwrap_or(f64::NAN);
        for (name, x) in variants {
            let f = |k: &str| x[k].as_f64().unwrap_or(f64::NAN);
            let rss = x["peak_rss_kib"]
                .as_f64()
                .map_or_else(|| "in-process".to_string(), |r| format!("{r:.0}"));
            println!(
                "{name:<24} {:>10.1} {:>10.1} {:>10.1} {:>10.0} {:>8.3} {rss:>10}",
                f("median_ms"),
                f("p99_ms"),
                f("cpu_ms_per_listing"),
                f("items_per_s"),
                f("median_ms") / cdx
            );
        }
    }
    if let Value::Object(m) = &s["instructions"]["per_call_or_listing"] {
        println!();
        println!(
            "{:<20} {:>14} {:>14} {:>14} {:>8}",
            "instructions", "raw", "generated", "cdx", "cdx/raw"
        );
        for (op, x) in m {
            let f = |k: &str| x[k].as_f64().unwrap_or(f64::NAN);
            println!(
                "{op:<20} {:>14.0} {:>14.0} {:>14.0} {:>8.4}",
                f("raw"),
                f("generated"),
                f("cdx"),
                f("ratio")
            );
        }
    } else if let Some(why) = s["instructions"]["missing"].as_str() {
        println!();
        println!("instruction counts: MISSING ({why})");
    }
    let cli = &s["cli_list"];
    if let Value::Object(contenders) = &cli["contenders"] {
        println!();
        println!(
            "{:<44} {:>10} {:>10} {:>12}",
            "whole process, 10,000 shares (median)", "wall ms", "cpu ms", "peak RSS KiB"
        );
        for (name, status) in contenders {
            let x = &cli[name];
            if status != "ran" {
                println!("{name:<44} {}", status.as_str().unwrap_or("?"));
                continue;
            }
            let label = if name == "cdx" {
                "cdx consumer share list -o json".to_string()
            } else {
                format!("{name} (requests script, same JSON)")
            };
            let f = |k: &str| x[k].as_f64().unwrap_or(f64::NAN);
            println!(
                "{label:<44} {:>10.1} {:>10.1} {:>12.0}",
                f("median_wall_ms"),
                f("median_cpu_ms"),
                f("median_peak_rss_kib")
            );
        }
    }
}

fn format_value(v: f64) -> String {
    if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}
