//! Runs the cdx/v1 simulator until killed.
//!
//! The first line of stdout is the base URL (`http://127.0.0.1:PORT`); the demo credentials
//! follow, one per line. `cdx-sim --help` lists the flags.

use std::io::Write as _;
use std::time::Duration;

use cdx_sim::{RateLimit, SimConfig, Simulator};
use clap::Parser;

/// A stateful simulator of the Confluent Cloud Stream Sharing API (cdx/v1), on 127.0.0.1.
#[derive(Parser)]
#[command(name = "cdx-sim")]
struct Args {
    /// The port to listen on (0: any free port).
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// Requests per window and API key; above it, 429 (default: unlimited).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit: Option<u32>,
    /// The rate-limit window, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    rate_window: u64,
    /// Invite the consumer to a topic and a subject, and print the invitation token.
    #[arg(long)]
    seed_demo: bool,
}

fn main() {
    let args = Args::parse();
    let config = SimConfig {
        rate_limit: args.rate_limit.map(|limit| RateLimit {
            limit,
            window: Duration::from_secs(args.rate_window),
        }),
        ..SimConfig::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sim = rt.block_on(Simulator::start_on(config.clone(), args.port));

    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", sim.base_url());
    let _ = writeln!(
        out,
        "provider api key: {}:{}",
        config.provider_key.0, config.provider_key.1
    );
    let _ = writeln!(
        out,
        "consumer api key: {}:{}",
        config.consumer_key.0, config.consumer_key.1
    );
    for t in &config.bearer_tokens {
        let _ = writeln!(out, "provider bearer token: {t}");
    }
    let _ = writeln!(out, "consumer email: {}", config.consumer_email);
    if args.seed_demo {
        let invite = sim.seed_invite(&config.consumer_email, &["orders"], &["orders-value"]);
        let _ = writeln!(out, "provider share: {}", invite.provider_share_id);
        let _ = writeln!(out, "shared resource: {}", invite.shared_resource_id);
        let _ = writeln!(out, "invite token: {}", invite.token);
    }
    let _ = out.flush();
    drop(out);

    // Serve until killed.
    loop {
        std::thread::park();
    }
}
