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
        /// With --spec: the directory to write the normalised spec and the generated Rust to.
        #[arg(long, hide = true, requires = "spec")]
        out: Option<PathBuf>,
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

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
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
    match cli.command {
        Command::Codegen {
            spec: Some(spec),
            out: Some(dir),
            ..
        } => {
            std::fs::create_dir_all(&dir)?;
            for o in codegen::generate(&spec)?.outputs {
                let name = std::path::Path::new(o.path).file_name().expect("file name");
                std::fs::write(dir.join(name), &o.content)?;
            }
            Ok(())
        }
        Command::Codegen { check, .. } => codegen::run(&workspace_root(), check),
        Command::Bench { quick, rss_probe } => {
            bench::run(&workspace_root(), quick, rss_probe.as_deref())
        }
        Command::Setup => setup::setup(&workspace_root()),
        Command::Demo { kafka } => setup::demo(&workspace_root(), kafka),
        Command::Test { args } => setup::test(&workspace_root(), &args),
    }
}
