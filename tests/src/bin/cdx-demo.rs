//! `cargo xtask demo`: Stream Sharing end to end, offline, against the in-process simulator.
//! A provider invites a consumer; the consumer lists the share, inspects and redeems the token,
//! and writes client configuration files (secrets masked on screen, 0600 on disk).

use cdx_ext::config::{Format, RenderOptions, render};
use cdx_ext::file::{Overwrite, write_secret_file};
use cdx_ext::{ConsumerShareFilter, ShareToken};
use cdx_tests::clients::{consumer, provider};
use cdx_tests::sim::{SimConfig, Simulator};
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
}

const TOPIC: &str = "crn://confluent.cloud/organization=org-acme/environment=env-1/schema-registry=lsrc-1/kafka=lkc-1/topic=orders";
const SUBJECT: &str = "crn://confluent.cloud/organization=org-acme/environment=env-1/schema-registry=lsrc-1/subject=orders-value";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let out = Args::parse().out_dir;
    std::fs::create_dir_all(&out)?;
    let sim = Simulator::start(SimConfig::default()).await;
    let email = sim.config().consumer_email.clone();
    println!(
        "cdx demo: Stream Sharing end to end, offline, against the simulator at {}\n",
        sim.base_url()
    );

    println!("Provider");
    let p = provider(&sim);
    p.set_opt_in(true).await?;
    println!("  1. opted in to Stream Sharing");
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
    let options = RenderOptions {
        group_suffix: Some(".demo".into()),
        ..Default::default()
    };
    for format in [Format::Java, Format::Librdkafka, Format::Python] {
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
    println!("\nNext: the same flow against Confluent Cloud is one command:");
    println!("  cdx consumer redeem --token-file token.txt --config-file client.properties");
    sim.shutdown().await;
    Ok(())
}
