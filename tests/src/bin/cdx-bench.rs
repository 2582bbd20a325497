//! `cdx-bench`: the runtime benchmarks of cdx-ext (run by `cargo xtask bench`).
//!
//! On loopback, against an in-process HTTP server that answers with canned, spec-shaped bytes:
//! 1. call overhead of `redeem`, `token inspect` and `get consumer share` (cdx-ext, the generated
//!    client alone, and the same request written by hand with reqwest + serde_json on cdx-ext's
//!    connection pool; also cdx-ext with the default retry policy and an idle tracing subscriber);
//! 2. pagination of 10,000 consumer shares (100 pages of 100);
//! 3. config files rendered per second (`java`, `librdkafka`).
//!
//! Flags: `--quick` (fewer rounds), `--out PATH` (write the figures as JSON; default: print
//! them), `--only calls|paging|render` (repeatable; default: all), and for profilers
//! `--profile VARIANT:OPERATION:N` (e.g. `cdx:redeem:2000`, `raw:paging:20`): after a short
//! warm-up, make N calls (or N listings) that way and nothing else, timing nothing.
//!
//! Every loop is bounded in count and in time; the server listens on 127.0.0.1 only.

#[path = "../bench/mod.rs"]
mod bench;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bench::{calls, paging, render, server::CannedServer};

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
    #[arg(long, value_name = "VARIANT:OPERATION:N")]
    profile: Option<String>,
}

fn main() {
    let args = <Args as clap::Parser>::parse();
    let wants = |s: &str| args.only.is_empty() || args.only.iter().any(|o| o == s);
    let started = Instant::now();
    let server = CannedServer::start();
    // The client side runs on this thread (a single-threaded runtime), the server on its own:
    // one core each on a 2-core machine.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let clients = calls::Clients::new(server.base_url(), &bench::bodies::token());
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
                deadline: Duration::from_secs(150),
            }
        };
        eprintln!(
            "cdx-bench: call overhead ({} rounds x {} calls per operation and variant)",
            plan.rounds, plan.batch
        );
        merge(rt.block_on(calls::run(&clients, &plan)));
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
                deadline: Duration::from_secs(120),
            }
        };
        eprintln!(
            "cdx-bench: pagination ({} rounds of {} shares per variant)",
            plan.rounds,
            bench::bodies::TOTAL_SHARES
        );
        merge(rt.block_on(paging::run(&clients, &plan)));
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
        bench::stats::round3(started.elapsed().as_secs_f64()).into(),
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

/// `--profile VARIANT:OPERATION:N`: a fixed amount of one kind of work, for callgrind or perf.
async fn profile(clients: &calls::Clients, spec: &str) -> Result<(), String> {
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
        paging::list_all(clients, v).await;
        for _ in 0..n {
            paging::list_all(clients, v).await;
        }
        return Ok(());
    }
    let v = calls::Variant::ALL
        .into_iter()
        .find(|v| v.name() == variant)
        .ok_or_else(|| format!("--profile: unknown variant {variant:?}"))?;
    let op = calls::Op::ALL
        .into_iter()
        .find(|o| o.name() == op)
        .ok_or_else(|| format!("--profile: unknown operation {op:?}"))?;
    let _guard = (v == calls::Variant::CdxRetryTracing)
        .then(|| tracing::dispatcher::set_default(&clients.tracing));
    for _ in 0..(n + 10) {
        calls::call(clients, op, v).await;
    }
    Ok(())
}
