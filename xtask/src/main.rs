//! `cargo xtask`: workspace automation for cdx.

use xtask::{codegen, setup};

mod bench;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Workspace automation for cdx")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate cdx-client from openapi/cdx-v1.yaml.
    Codegen {
        /// Do not write: fail with a diff when the committed code is stale.
        #[arg(long)]
        check: bool,
        /// Generate from another spec file (for experiments): the committed files are left
        /// alone, and the output goes to --out.
        #[arg(long, hide = true, requires = "out", conflicts_with = "check")]
        spec: Option<PathBuf>,
        /// With --spec: the directory to write the outputs to, each at its workspace path.
        #[arg(long, hide = true, requires = "spec")]
        out: Option<PathBuf>,
    },
    /// Manage the vendored spec.
    Spec {
        #[command(subcommand)]
        command: SpecCommand,
    },
    /// Play a provider and a consumer against the built-in simulator, offline; writes client
    /// configuration files under target/demo.
    Demo {
        /// Share a real topic of a local Kafka broker and end with real consumers reading it
        /// (sets up the test tools first).
        #[arg(long)]
        kafka: bool,
    },
    /// Benchmarks: call overhead, pagination, rendering, code generation and peak memory;
    /// writes target/bench/summary.json (see BENCHMARKS.md).
    Bench {
        /// A short run: fewer rounds, noisier figures.
        #[arg(long)]
        quick: bool,
        /// Internal: one peak-RSS measurement of `cdx consumer redeem` against `cdx-sim`.
        #[arg(long, hide = true, num_args = 2, value_names = ["CDX", "SIM"])]
        rss_probe: Option<Vec<PathBuf>>,
        /// Internal: run the command in CDX_BENCH_PROBE_ARGV, stdout to OUT; report its wall
        /// time, CPU time and peak RSS.
        #[arg(long, hide = true, value_name = "OUT", conflicts_with = "rss_probe")]
        run_probe: Option<PathBuf>,
    },
    /// Install what the test suite needs (a Python virtualenv in target/py, a JDK).
    Setup,
    /// Set up, then run every test of the workspace (`cargo test --workspace --all-features`).
    Test {
        /// Passed on to `cargo test`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Subcommand)]
enum SpecCommand {
    /// Vendor a spec Confluent publishes (the whole Confluent Cloud API document, or a cdx/v1
    /// one in any published layout) as openapi/cdx-v1.yaml, and print what changed. Then run
    /// `cargo xtask codegen` and `cargo insta review`.
    Import {
        /// The OpenAPI 3.0.x document, YAML or JSON.
        file: PathBuf,
    },
}

fn main() -> std::process::ExitCode {
    // Errors print as one readable chain, without a backtrace even when RUST_BACKTRACE is set.
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let workspace_root = || xtask::workspace::root();
    match cli.command {
        Command::Codegen {
            spec: Some(spec),
            out: Some(dir),
            ..
        } => {
            // Each output at its workspace path under --out (two of them are `generated.rs`).
            for o in codegen::generate(&spec)?.outputs {
                let path = dir.join(o.path);
                std::fs::create_dir_all(path.parent().expect("a file in a directory"))?;
                std::fs::write(path, &o.content)?;
            }
            Ok(())
        }
        Command::Codegen { check, .. } => codegen::run(&workspace_root()?, check),
        Command::Spec {
            command: SpecCommand::Import { file },
        } => {
            let changes = xtask::import::run(&workspace_root()?, &file)?;
            if changes.is_empty() {
                println!("{}: no operation, schema or field changed", codegen::SPEC);
            } else {
                println!("{}:", codegen::SPEC);
                for c in changes {
                    println!("  {c}");
                }
            }
            println!("next: `cargo xtask codegen`, then `cargo insta review`");
            Ok(())
        }
        Command::Bench {
            quick,
            rss_probe,
            run_probe,
        } => bench::run(
            &workspace_root()?,
            quick,
            rss_probe.as_deref(),
            run_probe.as_deref(),
        ),
        Command::Setup => setup::setup(&workspace_root()?),
        Command::Demo { kafka } => setup::demo(&workspace_root()?, kafka),
        Command::Test { args } => setup::test(&workspace_root()?, &args),
    }
}
