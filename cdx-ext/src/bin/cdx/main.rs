//! `cdx`: Confluent Cloud Stream Sharing from the command line.
#![forbid(unsafe_code)]

mod args;
mod check;
mod config;
mod consumer;
mod context;
mod failure;
mod files;
mod filters;
mod interrupt;
mod network;
mod output;
mod parse;
mod peek;
mod prompt;
mod provider;
mod reach;
mod redeem;
mod remove;
mod retry_notice;

use args::{Cli, Command};
use clap::CommandFactory as _;
use context::Context;
use failure::Failure;
use output::Printer;
use std::process::ExitCode;

/// Logs go to stderr, off unless RUST_LOG asks. cdx's own events never hold a secret; the HTTP
/// stack's lowest levels are capped so that no library prints request internals.
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let Ok(spec) = std::env::var("RUST_LOG") else {
        return;
    };
    let mut filter = EnvFilter::new(spec);
    for cap in [
        "hyper=info",
        "hyper_util=info",
        "reqwest=info",
        "h2=info",
        "native_tls=info",
        "rustls=info",
    ] {
        filter = filter.add_directive(cap.parse().expect("valid directive"));
    }
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        // Colour codes only for a terminal: a log redirected to a file or a pipe stays plain.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn main() -> ExitCode {
    let cli = parse::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.is_closed_stdout() => failure.exit_code(),
        Err(failure) => {
            // Messages quote the server (error details, names): no control character of theirs
            // reaches the terminal.
            eprintln!(
                "Error: {}",
                output::escape_keeping_lines(&failure.to_string())
            );
            failure.exit_code()
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let ctx = Context {
        // Empty (`CDX_API_URL=` in a script) means the default, as an unset variable does.
        api_url: cli.api_url.filter(|url| !url.trim().is_empty()),
        timeout: cli.timeout,
        printer: Printer(cli.output),
    };
    match cli.command {
        Command::Consumer(command) => consumer::run(&ctx, command).await,
        Command::Provider(command) => provider::run(&ctx, command).await,
        Command::Config(command) => config::run(command),
        Command::Completions { shell } => {
            // Generated into memory: clap_complete panics when its writer fails, and a closed
            // pipe (`| head -1`) must end cdx quietly.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cdx", &mut script);
            output::stdout(&String::from_utf8_lossy(&script))
        }
    }
}
