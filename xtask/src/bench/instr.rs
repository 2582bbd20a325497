//! Instructions per call and per listing, from callgrind: a figure the machine's load cannot
//! move, for cdx and the hand-written floor (`raw`).
//!
//! One run of `cdx-bench --profile` under `valgrind --tool=callgrind`, with phases of N1 and N2
//! calls (or listings) of each variant and operation, every phase between two calls of
//! `phase_boundary`; `--dump-before=*phase_boundary*` writes each phase's counts to a file of its
//! own. Per call = (phase of N2 − phase of N1) / (N2 − N1): whatever a phase costs once (the
//! dump itself, a first call's cache misses) cancels, and start-up is in no phase at all.

use anyhow::{Context, Result, bail};
use cdx_stats::round4;
use serde_json::{Map, Value, json};
use std::path::Path;
use std::process::{Command, Stdio};

/// The operations measured (`cdx-bench` names) and the variants (for calls also `generated`,
/// which splits cdx's extra instructions between the generated client and cdx-ext).
const OPS: [&str; 3] = ["redeem", "token_inspect", "get_consumer_share"];
const VARIANTS: [&str; 2] = ["raw", "cdx"];
/// Calls per phase, and listings per phase.
const CALLS: (u64, u64) = (100, 400);
const LISTINGS: (u64, u64) = (1, 2);

fn valgrind_present() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Installs valgrind with apt-get when it is missing (and apt-get is there); says why not.
pub fn ensure_valgrind() -> Result<(), String> {
    if valgrind_present() {
        return Ok(());
    }
    eprintln!("bench: valgrind is missing; installing it with apt-get");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if apt(&["update", "-qq"])
        && apt(&[
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "valgrind",
        ])
        && valgrind_present()
    {
        Ok(())
    } else {
        Err("valgrind is missing and could not be installed (Debian package valgrind)".into())
    }
}

/// The instruction counts, or an error saying why there are none.
pub fn measure(bench: &Path, work_dir: &Path) -> Result<Value> {
    ensure_valgrind().map_err(anyhow::Error::msg)?;
    let mut phases = Vec::new();
    for op in OPS {
        for v in VARIANTS.into_iter().chain(["generated"]) {
            phases.push((format!("{v}:{op}"), CALLS));
        }
    }
    for v in VARIANTS {
        phases.push((format!("{v}:paging"), LISTINGS));
    }
    let specs: Vec<String> = phases
        .iter()
        .flat_map(|(p, (a, b))| [format!("{p}:{a}"), format!("{p}:{b}")])
        .collect();
    let _ = std::fs::remove_dir_all(work_dir);
    std::fs::create_dir_all(work_dir)?;
    let out_file = work_dir.join("callgrind.out");
    let status = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--dump-before=*phase_boundary*",
            "--dump-instr=no",
        ])
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(bench)
        .arg("--profile")
        .arg(specs.join(","))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("starting valgrind")?;
    if !status.success() {
        bail!(
            "valgrind --tool=callgrind {} failed ({status})",
            bench.display()
        );
    }
    // Dump k (1-based) holds what ran before the k-th boundary: dump 1 is start-up and warm-up,
    // dump k + 1 is phase k.
    let mut totals = Vec::new();
    for k in 1..=specs.len() + 1 {
        let f = work_dir.join(format!("callgrind.out.{k}"));
        let text = std::fs::read_to_string(&f)
            .with_context(|| format!("reading {} (did --dump-before match?)", f.display()))?;
        let total = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("summary:")
                    .or_else(|| l.strip_prefix("totals:"))
            })
            .and_then(|n| n.split_whitespace().next()?.parse::<u64>().ok())
            .with_context(|| format!("no instruction count in {}", f.display()))?;
        totals.push(total);
    }
    let phase = |i: usize| totals[i + 1] as f64;
    let mut per = Map::new();
    for (i, (name, (a, b))) in phases.iter().enumerate() {
        let diff = phase(2 * i + 1) - phase(2 * i);
        per.insert(name.clone(), json!((diff / (b - a) as f64).round()));
    }
    let ratio = |op: &str| {
        per[&format!("cdx:{op}")].as_f64().unwrap_or(0.0)
            / per[&format!("raw:{op}")].as_f64().unwrap_or(f64::NAN)
    };
    let mut by_op = Map::new();
    let mut worst: f64 = 0.0;
    for op in OPS {
        let r = ratio(op);
        worst = worst.max(r);
        by_op.insert(
            op.into(),
            json!({
                "raw": per[&format!("raw:{op}")],
                "generated": per[&format!("generated:{op}")],
                "cdx": per[&format!("cdx:{op}")],
                "ratio": round4(r),
            }),
        );
    }
    by_op.insert(
        "paging".into(),
        json!({
            "raw": per["raw:paging"],
            "cdx": per["cdx:paging"],
            "ratio": round4(ratio("paging")),
        }),
    );
    Ok(json!({
        "call_overhead_instr_ratio": round4(worst),
        "pagination_instr_ratio": round4(ratio("paging")),
        "instructions": {
            "per_call_or_listing": by_op,
            "calls_per_phase": [CALLS.0, CALLS.1],
            "listings_per_phase": [LISTINGS.0, LISTINGS.1],
            "startup_and_warmup": totals[0],
            "method": "valgrind --tool=callgrind --dump-before=*phase_boundary* cdx-bench --profile ...: (phase of N2 - phase of N1) / (N2 - N1); counts include the in-process server thread",
        },
    }))
}
