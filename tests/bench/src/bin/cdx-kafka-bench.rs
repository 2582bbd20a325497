//! `cdx-kafka-bench`: the time from redeem to the first record consumed on a real broker, for a
//! Java `KafkaConsumer` and a confluent-kafka Python `Consumer` (see BENCHMARKS.md).
//!
//! One local broker (`cdx_broker`), the simulator in real-Kafka mode. Each round, per
//! client: the provider shares a fresh topic holding one record; the clock starts; the consumer
//! redeems the token (cdx-ext), renders and writes the client's file (`java` or `python`), and a
//! new client process configured from that file subscribes and polls; the clock stops at the
//! first record (the client's wall clock). So a figure holds the redeem call, the file, the
//! client's start-up (a JVM or a Python interpreter), TLS, SASL, the group join and the fetch.
//!
//! Needs `cargo xtask setup`. Flags: `--rounds N` (default 5), `--out PATH` (JSON; default: print
//! only). Every loop is bounded; everything runs on 127.0.0.1.

use cdx_broker::Broker;
use cdx_broker::clients::{Job, Reader, consume};
use cdx_ext::ShareToken;
use cdx_ext::config::{Format, RenderOptions, render};
use cdx_ext::file::{Overwrite, write_secret_file};
use cdx_sim::{KafkaAccess, SimConfig, Simulator};
use cdx_tests::clients::consumer;
use clap::Parser;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Parser)]
#[command(name = "cdx-kafka-bench")]
struct Args {
    /// Rounds per client (the figure is their median).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Write the figures as JSON here.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// One round: milliseconds from redeem to the first record for `format`'s client.
async fn round(sim: &Simulator, dir: &std::path::Path, n: usize, format: Format) -> Result<u64> {
    let broker = Broker::shared();
    let topic = format!("bench-{}-{n}", format.name());
    broker.create_topic(&topic, 1);
    broker.produce(&topic, None, b"{\"id\":1}");
    let invite = sim.seed_invite(&sim.config().consumer_email, &[&topic], &[]);
    let token = ShareToken::new(invite.token)?;

    let start = now_ms();
    let redemption = consumer(sim).redeem(&token, None).await?;
    let path = dir.join(format!("{topic}-{}", format.default_file_name()));
    let options = RenderOptions {
        group_suffix: Some(".bench".into()),
        ..Default::default()
    };
    write_secret_file(
        &path,
        render(&redemption, format, &options)?.as_bytes(),
        Overwrite::Replace,
    )?;
    let reader = match format {
        Format::Java => Reader::Java,
        _ => Reader::Python,
    };
    let result = consume(broker, &[Job::new(reader, &path, &topic, 1)]).remove(0);
    let consumed = result.map_err(|e| format!("{format} consumer: {} {}", e.error, e.message))?;
    Ok(consumed.first_at_ms.saturating_sub(start))
}

fn median(sorted: &[u64]) -> u64 {
    sorted[sorted.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> Result<()> {
    let args = Args::parse();
    let rounds = args.rounds.clamp(1, 50);
    let broker = Broker::shared();
    let sim = Simulator::start(SimConfig {
        kafka: Some(KafkaAccess::new(broker)),
        ..SimConfig::default()
    })
    .await;
    let dir = tempfile::tempdir()?;
    let mut figures = serde_json::Map::new();
    for format in [Format::Java, Format::Python] {
        let mut ms = Vec::with_capacity(rounds);
        for n in 0..rounds {
            ms.push(round(&sim, dir.path(), n, format).await?);
        }
        let mut sorted = ms.clone();
        sorted.sort_unstable();
        println!(
            "redeem to first record, {:<6}: median {} ms, min {} ms, max {} ms ({} rounds: {ms:?})",
            format.name(),
            median(&sorted),
            sorted[0],
            sorted[sorted.len() - 1],
            rounds
        );
        figures.insert(
            format!("redeem_to_first_record_{}_ms", format.name()),
            serde_json::json!({ "median": median(&sorted), "rounds": ms }),
        );
    }
    if let Some(out) = args.out {
        std::fs::write(out, serde_json::to_vec_pretty(&figures)?)?;
    }
    Ok(())
}
