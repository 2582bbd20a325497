//! `cdx-bench`: the runtime benchmarks of cdx-ext (run by `cargo xtask bench`).
//!
//! On loopback, against an in-process HTTP server that answers with canned, spec-shaped bytes:
//! 1. call overhead of `redeem`, `token inspect` and `get consumer share` (cdx-ext, the generated
//!    client alone, and the same request written by hand with reqwest + serde_json on cdx-ext's
//!    connection pool; also cdx-ext with the default retry policy and an idle tracing subscriber);
//! 2. pagination of 10,000 consumer shares (100 pages of 100);
//! 3. config files rendered per second (`java`, `librdkafka`).
//!
//! The peers (`bench::peers`: a Go program in the Go SDK's shape and a Python `requests`
//! script, each a worker process) make the same calls against the same server, taking turns
//! with the in-process variants; a peer that cannot run is reported as missing.
//!
//! Flags: `--quick` (fewer rounds), `--out PATH` (write the figures as JSON; default: print
//! them), `--only calls|paging|render` (repeatable; default: all), `--no-peers`, and:
//! - `--profile VARIANT:OPERATION:N` (e.g. `cdx:redeem:2000`, `raw:paging:20`), for profilers:
//!   after a short warm-up, make N calls (or N listings) that way and nothing else, timing
//!   nothing. Several specs, comma-separated, run one after the other, each preceded and the
//!   last followed by a call of `phase_boundary` (for `callgrind --dump-before`);
//! - `--serve`: only the canned server; print its URL, serve until stdin closes;
//! - `--check-peers`: build and run each peer once against the server and check its answers
//!   (exit 1 on any failure, a missing peer included).
//!
//! Every loop is bounded in count and in time; the server listens on 127.0.0.1 only.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cdx_bench::{calls, paging, peers, render, server::CannedServer};

/// The runtime benchmarks of cdx-ext (run by `cargo xtask bench`).
#[derive(clap::Parser)]
#[command(name = "cdx-bench")]
struct Args {
    /// Fewer rounds (figures are noisier).
    #[arg(long)]
    quick: bool,
    /// Write the figures as JSON here (default: print them).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Run only this section (repeatable; default: all).
    #[arg(long, value_name = "SECTION", value_parser = ["calls", "paging", "render"])]
    only: Vec<String>,
    /// For profilers: after a short warm-up, make N calls (or N listings) one way and nothing
    /// else, e.g. `cdx:redeem:2000` or `raw:paging:20`.
    #[arg(long, value_name = "VARIANT:OPERATION:N[,...]")]
    profile: Option<String>,
    /// Leave the peers (Go, Python) out.
    #[arg(long)]
    no_peers: bool,
    /// Only serve: print the canned server's URL, serve until stdin closes (at most 30 min).
    #[arg(long, conflicts_with_all = ["profile", "check_peers"])]
    serve: bool,
    /// Build and run each peer once against the canned server and check its answers.
    #[arg(long, conflicts_with = "profile")]
    check_peers: bool,
}

fn main() {
    let args = <Args as clap::Parser>::parse();
    let wants = |s: &str| args.only.is_empty() || args.only.iter().any(|o| o == s);
    let started = Instant::now();
    let server = CannedServer::start();
    if args.serve {
        serve_until_stdin_closes(&server);
        return;
    }
    if args.check_peers {
        std::process::exit(check_peers(server.base_url()));
    }
    // The client side runs on this thread (a single-threaded runtime), the server on its own:
    // one core each on a 2-core machine.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let clients = calls::Clients::new(server.base_url(), &cdx_bench::bodies::token());
    if let Some(spec) = &args.profile {
        if let Err(e) = rt.block_on(profile(&clients, spec)) {
            eprintln!("cdx-bench: {e} (see --help)");
            std::process::exit(2);
        }
        return;
    }
    let mut out = serde_json::Map::new();
    let mut merge = |v: serde_json::Value| {
        if let serde_json::Value::Object(m) = v {
            out.extend(m);
        }
    };

    if wants("calls") {
        let plan = if args.quick {
            calls::Plan {
                warmup: 100,
                rounds: 10,
                batch: 100,
                deadline: Duration::from_secs(30),
            }
        } else {
            calls::Plan {
                warmup: 1000,
                rounds: 40,
                batch: 250,
                // The peers take most of each round (Python ~1 ms a call).
                deadline: Duration::from_secs(300),
            }
        };
        eprintln!(
            "cdx-bench: call overhead ({} rounds x {} calls per operation and variant)",
            plan.rounds, plan.batch
        );
        let (mut workers, status) = peers::start_all(
            server.base_url(),
            &cdx_bench::bodies::token(),
            !args.no_peers,
        );
        merge(serde_json::json!({ "peers": status }));
        merge(rt.block_on(calls::run(&clients, &plan, &mut workers)));
    }
    if wants("paging") {
        let plan = if args.quick {
            paging::Plan {
                warmup: 1,
                rounds: 12,
                deadline: Duration::from_secs(30),
            }
        } else {
            paging::Plan {
                warmup: 2,
                rounds: 100,
                // The peers take most of each round (~0.2 s a listing each).
                deadline: Duration::from_secs(240),
            }
        };
        eprintln!(
            "cdx-bench: pagination ({} rounds of {} shares per variant)",
            plan.rounds,
            cdx_bench::bodies::TOTAL_SHARES
        );
        // Fresh workers, so each peer's peak RSS is its listing's.
        let (mut workers, _) = peers::start_all(
            server.base_url(),
            &cdx_bench::bodies::token(),
            !args.no_peers,
        );
        merge(rt.block_on(paging::run(&clients, &plan, &mut workers)));
    }
    if wants("render") {
        let plan = if args.quick {
            render::Plan {
                batch: 2000,
                rounds: 5,
                deadline: Duration::from_secs(20),
            }
        } else {
            render::Plan {
                batch: 5000,
                rounds: 20,
                deadline: Duration::from_secs(60),
            }
        };
        eprintln!(
            "cdx-bench: rendering ({} rounds of {} files per format)",
            plan.rounds, plan.batch
        );
        merge(render::run(&plan));
    }
    drop(clients);
    drop(rt);
    drop(server);

    out.insert("quick".into(), args.quick.into());
    out.insert(
        "runtime_seconds".into(),
        cdx_stats::round3(started.elapsed().as_secs_f64()).into(),
    );
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(out)).expect("json") + "\n";
    match &args.out {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).expect("create the output directory");
            }
            std::fs::write(path, text).expect("write the output");
            eprintln!("cdx-bench: wrote {}", path.display());
        }
        None => print!("{text}"),
    }
}

/// Marks the start and end of each `--profile` phase: `callgrind --dump-before=*phase_boundary*`
/// writes the counts of each phase to a file of its own.
#[inline(never)]
fn phase_boundary() {
    std::hint::black_box(());
}

enum Work {
    Calls(calls::Variant, calls::Op),
    Paging(paging::Variant),
}

fn parse_spec(spec: &str) -> Result<(Work, usize), String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [variant, op, n] = parts[..] else {
        return Err(format!("--profile {spec:?}: expected VARIANT:OPERATION:N"));
    };
    let n: usize = n
        .parse()
        .ok()
        .filter(|n| (1..=1_000_000).contains(n))
        .ok_or_else(|| format!("--profile: N must be 1 to 1000000, not {n:?}"))?;
    if op == "paging" {
        let v = paging::Variant::ALL
            .into_iter()
            .find(|v| v.name() == variant)
            .ok_or_else(|| format!("--profile: unknown paging variant {variant:?}"))?;
        return Ok((Work::Paging(v), n));
    }
    let v = calls::Variant::ALL
        .into_iter()
        .find(|v| v.name() == variant)
        .ok_or_else(|| format!("--profile: unknown variant {variant:?}"))?;
    let op = calls::Op::ALL
        .into_iter()
        .find(|o| o.name() == op)
        .ok_or_else(|| format!("--profile: unknown operation {op:?}"))?;
    Ok((Work::Calls(v, op), n))
}

async fn work(clients: &calls::Clients, w: &Work, n: usize) {
    match *w {
        Work::Paging(v) => {
            for _ in 0..n {
                paging::list_all(clients, v).await;
            }
        }
        Work::Calls(v, op) => {
            let _guard = (v == calls::Variant::CdxRetryTracing)
                .then(|| tracing::dispatcher::set_default(&clients.tracing));
            for _ in 0..n {
                calls::call(clients, op, v).await;
            }
        }
    }
}

/// `--profile VARIANT:OPERATION:N[,...]`: a fixed amount of one kind of work per phase, for
/// callgrind or perf. Every kind is warmed up first (10 calls or one listing).
async fn profile(clients: &calls::Clients, specs: &str) -> Result<(), String> {
    let phases = specs
        .split(',')
        .map(parse_spec)
        .collect::<Result<Vec<_>, _>>()?;
    for (w, _) in &phases {
        work(
            clients,
            w,
            if matches!(w, Work::Paging(_)) { 1 } else { 10 },
        )
        .await;
    }
    for (w, n) in &phases {
        phase_boundary();
        work(clients, w, *n).await;
    }
    phase_boundary();
    Ok(())
}

/// `--serve`: prints the URL, then serves until stdin reaches its end (bounded in time).
fn serve_until_stdin_closes(server: &CannedServer) {
    use std::io::{BufRead as _, Write as _};
    println!("{}", server.base_url());
    let _ = std::io::stdout().flush();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if line.is_err() {
                break;
            }
        }
        let _ = tx.send(());
    });
    if rx.recv_timeout(Duration::from_secs(30 * 60)).is_err() {
        eprintln!("cdx-bench --serve: stopping after 30 minutes");
    }
}

/// `--check-peers`: each peer once, every operation, the answers checked; the exit code.
fn check_peers(base_url: &str) -> i32 {
    let token = cdx_bench::bodies::token();
    let mut failures = 0;
    for peer in peers::Peer::ALL {
        let result = (|| -> Result<String, String> {
            let mut w = peers::Worker::start(peer, base_url, &token)?;
            let mut seen = Vec::new();
            for (op, n, want) in [
                ("redeem", 2, 5),
                ("token_inspect", 2, 2),
                ("get_consumer_share", 2, 1),
                ("list", 1, cdx_bench::bodies::TOTAL_SHARES),
            ] {
                let b = w.run(op, n)?;
                if b.items != want || b.samples.len() != n {
                    return Err(format!(
                        "{op}: {} items in {} timings, expected {want} in {n}",
                        b.items,
                        b.samples.len()
                    ));
                }
                seen.push(format!("{op}={}", b.items));
            }
            if peer == peers::Peer::Python {
                // The whole-process script `cargo xtask bench` times against `cdx`.
                let mut cmd = peers::prepare(peer)?;
                peers::configure(&mut cmd, base_url, &token);
                let out = cmd
                    .arg("list-json")
                    .stdin(std::process::Stdio::null())
                    .output()
                    .map_err(|e| e.to_string())?;
                let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
                    .map_err(|e| format!("list-json printed no JSON array: {e}"))?;
                if !out.status.success() || listed.len() != cdx_bench::bodies::TOTAL_SHARES {
                    return Err(format!(
                        "list-json: {} shares ({})",
                        listed.len(),
                        out.status
                    ));
                }
                seen.push(format!("list-json={}", listed.len()));
            }
            Ok(seen.join(" "))
        })();
        match result {
            Ok(seen) => println!("peer {}: ok ({seen})", peer.name()),
            Err(e) => {
                failures += 1;
                println!("peer {}: FAILED: {e}", peer.name());
            }
        }
    }
    i32::from(failures > 0)
}
