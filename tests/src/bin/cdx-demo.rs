//! `cargo xtask demo`: Stream Sharing end to end, offline, against the in-process simulator.
//! A provider invites a consumer; the consumer lists the share, inspects and redeems the token,
//! and writes client configuration files (secrets masked on screen, 0600 on disk).
//!
//! With `--kafka` the share is real: a local Apache Kafka broker (see `cdx_broker`) holds
//! the provider's topic, the redemption's credentials and ACLs are the broker's, and at the end
//! a Java `KafkaConsumer` and a confluent-kafka Python `Consumer`, configured from the written
//! files, read the shared records.

use cdx_broker::clients::{Job, Reader, consume};
use cdx_broker::{Broker, confluent_wire};
use cdx_ext::config::{Format, RenderOptions, render};
use cdx_ext::file::{Overwrite, write_secret_file};
use cdx_ext::{ConsumerShareFilter, ShareToken};
use cdx_sim::{KafkaAccess, SimConfig, Simulator};
use cdx_tests::clients::{consumer, provider};
use clap::Parser;
use futures::TryStreamExt as _;
use std::path::PathBuf;

/// Stream Sharing end to end, offline: a provider invites, a consumer redeems and gets client
/// configuration files.
#[derive(Parser)]
#[command(name = "cdx-demo")]
struct Args {
    /// The directory the files are written to (created if missing). Files of an earlier demo
    /// run there are replaced.
    #[arg(default_value = "target/demo")]
    out_dir: PathBuf,
    /// Share a real topic: start a local Kafka broker and end with real consumers reading it
    /// (needs `cargo xtask setup`; `cargo xtask demo --kafka` runs it first).
    #[arg(long)]
    kafka: bool,
}

const TOPIC: &str = "crn://confluent.cloud/organization=org-acme/environment=env-1/schema-registry=lsrc-1/kafka=lkc-1/topic=orders";
const SUBJECT: &str = "crn://confluent.cloud/organization=org-acme/environment=env-1/schema-registry=lsrc-1/subject=orders-value";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    let out = args.out_dir;
    std::fs::create_dir_all(&out)?;
    let broker = args.kafka.then(|| {
        println!("Starting a local Apache Kafka broker (SASL_SSL, PLAIN, ACLs)...");
        let broker = Broker::shared();
        println!(
            "  listening on {}; its log and throwaway CA are in {}\n",
            broker.bootstrap(),
            broker.dir().display()
        );
        broker
    });
    let sim = Simulator::start(SimConfig {
        kafka: broker.map(KafkaAccess::new),
        ..SimConfig::default()
    })
    .await;
    let email = sim.config().consumer_email.clone();
    println!(
        "cdx demo: Stream Sharing end to end, offline, against the simulator at {}\n",
        sim.base_url()
    );

    println!("Provider");
    let p = provider(&sim);
    p.set_opt_in(true).await?;
    println!("  1. opted in to Stream Sharing");
    let produced = match broker {
        Some(broker) => provide_records(&sim, broker),
        None => 0,
    };
    let share = p.invite(&email, &[TOPIC, SUBJECT]).await?;
    let phase = share
        .status
        .as_ref()
        .and_then(|s| s.phase.as_ref())
        .map(ToString::to_string)
        .unwrap_or_default();
    println!(
        "  2. invited {email} to topic `orders` and subject `orders-value`: share {} ({phase})",
        share.id.as_deref().unwrap_or("?")
    );
    let token = sim
        .mailbox(&email)
        .pop()
        .ok_or("the simulator sent no invitation")?;
    println!(
        "     the invitation email carries a single-use token ({} characters)\n",
        token.len()
    );

    println!("Consumer ({email})");
    let c = consumer(&sim);
    let offered: Vec<_> = c
        .consumer_shares(&ConsumerShareFilter::default())
        .try_collect()
        .await?;
    for s in &offered {
        let status = s
            .status
            .as_ref()
            .and_then(|st| st.phase.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default();
        println!(
            "  3. share offered: {} from {} ({status})",
            s.id.as_deref().unwrap_or("?"),
            s.provider_organization_name.as_deref().unwrap_or("?")
        );
    }
    let token = ShareToken::new(token)?;
    for r in c.inspect_token(&token).await? {
        println!(
            "  4. inspected the token, without spending it: {} by {} on {}",
            r.display_name.as_deref().unwrap_or("?"),
            r.organization_name.as_deref().unwrap_or("?"),
            r.cloud.map(|c| c.to_string()).unwrap_or_default()
        );
    }
    let redemption = c.redeem(&token, None).await?;
    println!("  5. redeemed it (once): share {}", redemption.share_id());
    println!(
        "     bootstrap {}, API key {}, secret {}",
        redemption.bootstrap_server(),
        redemption.kafka_api_key(),
        redemption.kafka_api_secret()
    );
    if let Some(prefix) = redemption.group_prefix() {
        println!("     consumer group ids must start with {prefix}");
    }

    let mut json = serde_json::to_vec_pretty(&redemption)?;
    json.push(b'\n');
    // The directory is the demo's own output, and `cargo xtask demo` must be re-runnable: its
    // files (holding the simulator's credentials, worthless anywhere else) are replaced.
    let mut written = vec![(
        out.join("redemption.json"),
        "the redemption, secrets included".to_string(),
    )];
    write_secret_file(&written[0].0, &json, Overwrite::Replace)?;
    for format in [Format::Java, Format::Librdkafka, Format::Python] {
        // With a real broker, each file is its own application: a group of its own, so that
        // each reads the topic from the start.
        let suffix = match broker {
            Some(_) => format!(".demo-{}", format.name()),
            None => ".demo".into(),
        };
        let options = RenderOptions {
            group_suffix: Some(suffix),
            ..Default::default()
        };
        let path = out.join(format.default_file_name());
        write_secret_file(
            &path,
            render(&redemption, format, &options)?.as_bytes(),
            Overwrite::Replace,
        )?;
        written.push((path, format!("{format} client configuration")));
    }
    println!("  6. wrote (mode 0600):");
    for (path, what) in &written {
        println!("     {:<32} {what}", path.display());
    }
    if let Some(broker) = broker {
        read_records(broker, &out, produced)?;
    }
    println!("\nNext: the same flow against Confluent Cloud is one command:");
    println!("  cdx consumer redeem --token-file token.txt --config-file client.properties");
    sim.shutdown().await;
    Ok(())
}

/// Records the provider shares in `--kafka` mode.
const PLAIN_RECORDS: usize = 3;
const WIRE_RECORDS: usize = 2;

/// The provider's topic `orders` on the broker: JSON records, then records in the Confluent wire
/// format whose schema is registered under `orders-value`. Returns how many.
fn provide_records(sim: &Simulator, broker: &Broker) -> usize {
    broker.create_topic("orders", 1);
    let schema_id = sim.register_schema(
        "orders-value",
        "AVRO",
        r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#,
    );
    for i in 0..PLAIN_RECORDS {
        broker.produce("orders", None, format!("{{\"id\":{i}}}").as_bytes());
    }
    for i in 0..WIRE_RECORDS {
        broker.produce("orders", None, &confluent_wire(schema_id, &[i as u8 * 2]));
    }
    let n = PLAIN_RECORDS + WIRE_RECORDS;
    println!(
        "     created topic `orders` on the broker and produced {n} records \
         ({WIRE_RECORDS} in the Confluent wire format, schema id {schema_id} under `orders-value`)"
    );
    n
}

/// Real consumers configured from the written files (plus the broker's CA, test-only: Confluent
/// Cloud's certificates chain to public CAs) read the shared records.
fn read_records(broker: &Broker, out: &std::path::Path, n: usize) -> Result<()> {
    let java = out.join(Format::Java.default_file_name());
    let python = out.join(Format::Python.default_file_name());
    let results = consume(
        broker,
        &[
            Job::new(Reader::Java, &java, "orders", n),
            Job::new(Reader::Python, &python, "orders", n),
        ],
    );
    for (result, step, who, file) in [
        (&results[0], 7, "a Java KafkaConsumer", &java),
        (&results[1], 8, "a confluent-kafka Python Consumer", &python),
    ] {
        let consumed = result
            .as_ref()
            .map_err(|e| format!("{who} failed: {} {}", e.error, e.message))?;
        println!(
            "  {step}. {who} configured from {} read {} records with group.id {}",
            file.display(),
            consumed.records.len(),
            consumed.group
        );
        if let Some(subjects) = &consumed.subjects {
            println!(
                "     its SchemaRegistryClient lists {subjects:?} and resolved schema ids {:?}",
                consumed.schemas.keys().collect::<Vec<_>>()
            );
        }
    }
    println!("     (the clients trusted the broker's throwaway CA, a test-only setting)");
    Ok(())
}
