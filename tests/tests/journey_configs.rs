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
use cdx_tests::parsers::{JaasEntry, SchemaRegistryRead, confluent_kafka_read, java_read};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const PLAIN: &str = "org.apache.kafka.common.security.plain.PlainLoginModule";

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

/// What the simulator answered, field by field.
struct Answer {
    bootstrap: String,
    key: String,
    secret: String,
    sr_url: String,
    sr_key: String,
    sr_secret: String,
    group_id: String,
}

fn answer(r: &Redeemed) -> Answer {
    let v = serde_json::to_value(r.redemption.response()).unwrap();
    let s = |k: &str| {
        v[k].as_str()
            .unwrap_or_else(|| panic!("{}: no {k} in {v}", r.label))
            .to_string()
    };
    let url = s("kafka_bootstrap_url");
    assert_eq!(url.starts_with("SASL://"), r.sasl_prefix, "{url}");
    let bootstrap = url.strip_prefix("SASL://").unwrap_or(&url).to_string();
    assert!(!bootstrap.contains('/'), "{bootstrap}: host:port");
    let prefix = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["group_prefix"].as_str())
        .expect("a group prefix")
        .to_string();
    let group_id = match &r.options.group_suffix {
        Some(suffix) => format!("{prefix}{suffix}"),
        // The python example's own group.id; the other formats then set none.
        None => format!("{prefix}.my-app"),
    };
    Answer {
        bootstrap,
        key: s("api_key"),
        secret: s("secret"),
        sr_url: s("schema_registry_url"),
        sr_key: s("schema_registry_api_key"),
        sr_secret: s("schema_registry_secret"),
        group_id,
    }
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

/// The Java client settings of a `java` file (a `spring-boot` file: under Spring's keys).
fn expected_java(a: &Answer, group: bool, format: Format) -> BTreeMap<String, String> {
    let mut m = vec![
        ("bootstrap.servers", a.bootstrap.clone()),
        ("security.protocol", "SASL_SSL".into()),
        ("sasl.mechanism", "PLAIN".into()),
        ("client.dns.lookup", "use_all_dns_ips".into()),
        ("session.timeout.ms", "45000".into()),
        ("acks", "all".into()),
        ("schema.registry.url", a.sr_url.clone()),
        ("basic.auth.credentials.source", "USER_INFO".into()),
        (
            "basic.auth.user.info",
            format!("{}:{}", a.sr_key, a.sr_secret),
        ),
    ];
    if group {
        m.push(("group.id", a.group_id.clone()));
    }
    m.into_iter()
        .map(|(k, v)| {
            let k = match (format, k) {
                (Format::SpringBoot, "bootstrap.servers") => {
                    "spring.kafka.bootstrap-servers".into()
                }
                (Format::SpringBoot, "group.id") => "spring.kafka.consumer.group-id".into(),
                (Format::SpringBoot, k) => format!("spring.kafka.properties.{k}"),
                (_, k) => k.to_string(),
            };
            (k, v)
        })
        .collect()
}

/// The librdkafka settings of a `librdkafka` file (or a `python` file's `[kafka]`).
fn expected_librdkafka(a: &Answer, group: bool) -> BTreeMap<String, String> {
    let mut m: BTreeMap<String, String> = [
        ("bootstrap.servers", a.bootstrap.as_str()),
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanisms", "PLAIN"),
        ("sasl.username", a.key.as_str()),
        ("sasl.password", a.secret.as_str()),
        ("session.timeout.ms", "45000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if group {
        m.insert("group.id".into(), a.group_id.clone());
    }
    m
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
                Format::Json => check_json(r, &path),
            }
        }
    }

    assert_eq!((java_files.len(), kafka_files.len()), (16, 16));

    let paths: Vec<PathBuf> = java_files.iter().map(|f| f.2.clone()).collect();
    for ((i, format, path), mut read) in java_files.iter().zip(java_read(&paths)) {
        let r = &redeemed[*i];
        let a = answer(r);
        let jaas_key = match format {
            Format::SpringBoot => "spring.kafka.properties.sasl.jaas.config",
            _ => "sasl.jaas.config",
        };
        assert!(read.props.remove(jaas_key).is_some(), "{}", path.display());
        let group = r.options.group_suffix.is_some();
        assert_eq!(
            read.props,
            expected_java(&a, group, *format),
            "{}",
            path.display()
        );
        assert_eq!(
            read.jaas,
            Some(vec![JaasEntry {
                module: PLAIN.into(),
                flag: "REQUIRED".into(),
                options: BTreeMap::from([
                    ("password".into(), a.secret.clone()),
                    ("username".into(), a.key.clone()),
                ]),
            }]),
            "{}",
            path.display()
        );
    }

    let jobs: Vec<(Format, PathBuf)> = kafka_files.iter().map(|f| (f.1, f.2.clone())).collect();
    for ((i, format, path), read) in kafka_files.iter().zip(confluent_kafka_read(&jobs)) {
        let r = &redeemed[*i];
        let a = answer(r);
        assert_eq!(
            read.brokers,
            1,
            "{}: metadata from the mock",
            path.display()
        );
        // A python file's example sets its own group.id when the file has none.
        let group = r.options.group_suffix.is_some() || *format == Format::Python;
        assert_eq!(
            read.kafka,
            expected_librdkafka(&a, group),
            "{}",
            path.display()
        );
        let sr = (*format == Format::Python).then(|| SchemaRegistryRead {
            conf: BTreeMap::from([
                ("url".into(), a.sr_url.clone()),
                (
                    "basic.auth.user.info".into(),
                    format!("{}:{}", a.sr_key, a.sr_secret),
                ),
            ]),
            urls: vec![a.sr_url.clone()],
            auth: Some((a.sr_key.clone(), a.sr_secret.clone())),
        });
        assert_eq!(read.schema_registry, sr, "{}", path.display());
    }
}

/// The `json` format, read with a JSON parser.
fn check_json(r: &Redeemed, path: &Path) {
    let a = answer(r);
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let kafka: BTreeMap<String, String> = serde_json::from_value(doc["kafka"].clone()).unwrap();
    let group = r.options.group_suffix.is_some();
    assert_eq!(kafka, expected_librdkafka(&a, group), "{}", path.display());
    assert_eq!(doc["schema_registry"]["url"], a.sr_url.as_str());
    assert_eq!(
        doc["schema_registry"]["basic.auth.user.info"],
        format!("{}:{}", a.sr_key, a.sr_secret)
    );
    assert_eq!(doc["share_id"], r.redemption.share_id());
}
