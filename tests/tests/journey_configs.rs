//! The consumer journey's last step on the simulator's real redemptions: a provider invites
//! (cdx-ext), the consumer redeems (cdx-ext) over the public internet and from an AWS, an Azure
//! and a GCP private-link account, with bootstrap URLs with and without the spec example's
//! `SASL://` prefix; every redemption is rendered in all five formats, written with
//! `write_secret_file`, and read back by the real parsers: the `java` and `spring-boot` files in
//! one Java run, the `librdkafka` and `python` files in one confluent-kafka run.
//!
//! The expected values come from the redemption as the simulator answered it, not from the
//! renderer.

use cdx_ext::config::{Format, RenderOptions, render};
use cdx_ext::file::{Overwrite, write_secret_file};
use cdx_ext::{PrivateLinkAccount, Redemption, ShareToken};
use cdx_sim::{SimConfig, Simulator};
use cdx_tests::clients::{consumer, provider};
use cdx_tests::expected::ExpectedConfig;
use cdx_tests::parsers::{confluent_kafka_read, java_read};
use std::path::{Path, PathBuf};

/// A private-link redemption: the shared cluster's cloud, the account redeemed from, and the
/// `:network` cloud kind that account must then see.
type PrivateLink = (&'static str, &'static str, &'static str);

/// How the consumer redeems: a label and, for private networking, how.
const WAYS: [(&str, Option<PrivateLink>); 4] = [
    ("public", None),
    ("aws", Some(("AWS", "aws:000000000000", "AwsNetwork"))),
    (
        "azure",
        Some((
            "AZURE",
            "azure:00000000-0000-0000-0000-000000000000",
            "AzureNetwork",
        )),
    ),
    ("gcp", Some(("GCP", "gcp:my-project-123", "GcpNetwork"))),
];

fn crn(tail: &str) -> String {
    format!(
        "crn://confluent.cloud/organization=org-acme/environment=env-7/schema-registry=lsrc-1/{tail}"
    )
}

/// One redemption and the options its files are rendered with.
struct Redeemed {
    label: String,
    sasl_prefix: bool,
    redemption: Redemption,
    options: RenderOptions,
}

/// Redeems one invitation in each of [`WAYS`] on a simulator with `sasl_prefix`.
async fn redeem_every_way(sasl_prefix: bool) -> Vec<Redeemed> {
    let sim = Simulator::start(SimConfig {
        bootstrap_sasl_prefix: sasl_prefix,
        ..SimConfig::default()
    })
    .await;
    let email = sim.config().consumer_email.clone();
    let p = provider(&sim);
    let c = consumer(&sim);
    p.set_opt_in(true).await.unwrap();
    let mut out = Vec::new();
    for (i, (way, private_link)) in WAYS.into_iter().enumerate() {
        let topic = format!("orders-{way}");
        p.invite(
            &email,
            &[
                crn(&format!("kafka=lkc-7/topic={topic}")),
                crn(&format!("subject={topic}-value")),
            ],
        )
        .await
        .unwrap();
        let token = ShareToken::new(sim.mailbox(&email).pop().expect("an invitation")).unwrap();
        let shared = c.inspect_token(&token).await.unwrap();
        let sr = shared[0].id.clone().expect("a shared resource id");
        if let Some((cloud, _, _)) = private_link {
            sim.set_network(&sr, cloud);
        }
        let account: Option<PrivateLinkAccount> =
            private_link.map(|(_, account, _)| account.parse().unwrap());
        let redemption = c.redeem(&token, account.as_ref()).await.unwrap();
        let network = c.consumer_shared_resource_network(&sr).await.unwrap();
        assert_eq!(
            network.cloud.as_ref().and_then(|n| n.kind()),
            private_link.map(|(_, _, kind)| kind),
            "{way}: the network details for the account's cloud"
        );
        let label = format!("{way}-{}", if sasl_prefix { "sasl" } else { "bare" });
        // Half the files set a group.id; every other python file is saved under a name of its
        // own, which its example must open.
        let options = RenderOptions {
            group_suffix: (i % 2 == 0).then(|| ".journey".to_string()),
            file_name: sasl_prefix.then(|| format!("{label}.ini")),
        };
        out.push(Redeemed {
            label,
            sasl_prefix,
            redemption,
            options,
        });
    }
    sim.shutdown().await;
    out
}

/// What the files must read back as: the redemption as the simulator answered it.
fn expected(r: &Redeemed) -> ExpectedConfig {
    let v = serde_json::to_value(r.redemption.response()).unwrap();
    let url = v["kafka_bootstrap_url"].as_str().unwrap_or_default();
    assert_eq!(
        url.starts_with("SASL://"),
        r.sasl_prefix,
        "{}: {url}",
        r.label
    );
    ExpectedConfig::from_response(&v, r.options.group_suffix.as_deref())
}

/// Renders `r` in every format and writes the files (owner-only) under `dir/<label>/`.
fn write_all(r: &Redeemed, dir: &Path) -> Vec<(Format, PathBuf)> {
    let dir = dir.join(&r.label);
    std::fs::create_dir(&dir).unwrap();
    Format::ALL
        .into_iter()
        .map(|format| {
            let text = render(&r.redemption, format, &r.options)
                .unwrap_or_else(|e| panic!("{}: {format}: {e}", r.label));
            let name = match (&r.options.file_name, format) {
                (Some(name), Format::Python) => name.as_str(),
                _ => format.default_file_name(),
            };
            let path = dir.join(name);
            write_secret_file(&path, text.as_bytes(), Overwrite::Refuse).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{}", path.display());
            }
            (format, path)
        })
        .collect()
}

#[tokio::test]
async fn every_redemption_renders_to_files_the_real_clients_read_back() {
    let mut redeemed = redeem_every_way(true).await;
    redeemed.extend(redeem_every_way(false).await);
    let dir = tempfile::tempdir().unwrap();

    let mut java_files = Vec::new();
    let mut kafka_files = Vec::new();
    for (i, r) in redeemed.iter().enumerate() {
        for (format, path) in write_all(r, dir.path()) {
            match format {
                Format::Java | Format::SpringBoot => java_files.push((i, format, path)),
                Format::Librdkafka | Format::Python => kafka_files.push((i, format, path)),
                Format::Json => expected(r).assert_json(
                    &std::fs::read_to_string(&path).unwrap(),
                    &path.display().to_string(),
                ),
            }
        }
    }

    assert_eq!((java_files.len(), kafka_files.len()), (16, 16));

    let paths: Vec<PathBuf> = java_files.iter().map(|f| f.2.clone()).collect();
    for ((i, format, path), read) in java_files.iter().zip(java_read(&paths)) {
        expected(&redeemed[*i]).assert_java_read(*format, &read, &path.display().to_string());
    }

    let jobs: Vec<(Format, PathBuf)> = kafka_files.iter().map(|f| (f.1, f.2.clone())).collect();
    for ((i, format, path), read) in kafka_files.iter().zip(confluent_kafka_read(&jobs)) {
        expected(&redeemed[*i]).assert_confluent_kafka_read(
            *format,
            &read,
            &path.display().to_string(),
        );
    }
}
