//! Runs the cdx/v1 simulator until killed.
//!
//! The first line of stdout is the base URL (`http://127.0.0.1:PORT`); the demo credentials
//! follow, one per line.
//!
//! Flags: `--port N` (default 0: any free port), `--rate-limit N` (requests per window and API
//! key), `--rate-window SECS` (default 60), `--seed-demo` (invite the consumer and print the
//! token).

use std::io::Write as _;
use std::time::Duration;

use cdx_tests::sim::{RateLimit, SimConfig, Simulator};

const USAGE: &str = "usage: cdx-sim [--port N] [--rate-limit N] [--rate-window SECS] [--seed-demo]";

struct Args {
    port: u16,
    rate_limit: Option<u32>,
    rate_window: u64,
    seed_demo: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 0,
        rate_limit: None,
        rate_window: 60,
        seed_demo: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--port" => {
                let v = value("--port")?;
                args.port = v.parse().map_err(|_| format!("--port: not a port: {v}"))?;
            }
            "--rate-limit" => {
                let v = value("--rate-limit")?;
                let n: u32 = v
                    .parse()
                    .map_err(|_| format!("--rate-limit: not a number: {v}"))?;
                if n == 0 {
                    return Err("--rate-limit must be at least 1".into());
                }
                args.rate_limit = Some(n);
            }
            "--rate-window" => {
                let v = value("--rate-window")?;
                args.rate_window = v
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("--rate-window: not a positive number: {v}"))?;
            }
            "--seed-demo" => args.seed_demo = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument: {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("cdx-sim: {e}");
            std::process::exit(2);
        }
    };
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
