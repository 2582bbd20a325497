//! `cdx consumer redeem` and `cdx config render`: the token becomes files on disk, and nothing
//! is lost on the way.
//!
//! Order matters. Everything that can be checked is checked before the request is sent (token,
//! private-link account, output paths, group suffix), because a token works once. After the
//! redeem, the full redemption is saved first, then the config file is written, then the summary
//! is printed.

use crate::config::{ConfigOutputArgs, force_hint};
use crate::context::Context;
use crate::failure::Failure;
use crate::files::{TokenArgs, read_token, same_file};
use crate::network::network_rows;
use crate::output::{self, key_values, secret};
use crate::reach;
use cdx_ext::config::render;
use cdx_ext::file::{WriteError, check_writable, write_secret_file};
use cdx_ext::{Network, PrivateLinkAccount, Redemption};
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct RedeemArgs {
    #[command(flatten)]
    pub token: TokenArgs,
    /// Redeem over AWS PrivateLink from this AWS account (12 digits).
    #[arg(long, value_name = "ID", group = "private_link")]
    pub aws_account: Option<String>,
    /// Redeem over Azure Private Link from this subscription (a UUID).
    #[arg(long, value_name = "ID", group = "private_link")]
    pub azure_subscription: Option<String>,
    /// Redeem over GCP Private Service Connect from this project (e.g. my-project, or a
    /// domain-scoped example.com:my-project).
    #[arg(long, value_name = "ID", group = "private_link")]
    pub gcp_project: Option<String>,
    /// Redeem for the public internet even when the share's cluster is reachable only over
    /// private networking. Without it, cdx looks at the token's resources first (which does not
    /// spend it) and refuses such a redeem, naming the account flag of the cluster's cloud.
    #[arg(long, conflicts_with = "private_link")]
    pub public: bool,
    /// Where to save the redemption (credentials included), mode 0600. Default:
    /// `stream-share-<share id>.json` in the working directory, or `stream-share-<share
    /// id>-2.json`, `-3`, ... when that name is taken (an existing file is never replaced).
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigOutputArgs,
    /// Print the secrets instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
}

/// A write refused before the redeem.
fn refused(e: WriteError) -> Failure {
    Failure::usage(format!("{e}{}. Nothing was sent.", force_hint(&e)))
}

fn account(args: &RedeemArgs) -> Result<Option<PrivateLinkAccount>, Failure> {
    // clap's `private_link` group already refuses two accounts.
    Ok(
        match (
            &args.aws_account,
            &args.azure_subscription,
            &args.gcp_project,
        ) {
            (Some(id), _, _) => Some(PrivateLinkAccount::Aws(id.parse()?)),
            (_, Some(id), _) => Some(PrivateLinkAccount::Azure(id.parse()?)),
            (_, _, Some(id)) => Some(PrivateLinkAccount::Gcp(id.parse()?)),
            _ => None,
        },
    )
}

/// The default save path: `stream-share-<id>.json` in the working directory, or with a number
/// added when that name is taken (never overwritten without --save and --force). A name equal
/// to `config_file` counts as taken even while that file does not exist yet: the configuration
/// is written after the redemption is saved, and must neither fail on it nor (with --force)
/// replace it.
fn default_save_path(share_id: &str, config_file: Option<&Path>) -> PathBuf {
    let safe: String = share_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let taken = |p: &PathBuf| {
        // symlink_metadata: a dangling symlink is taken too (the write would refuse it).
        p.symlink_metadata().is_ok() || config_file.is_some_and(|c| same_file(p, c))
    };
    let first = PathBuf::from(format!("stream-share-{safe}.json"));
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|n| PathBuf::from(format!("stream-share-{safe}-{n}.json")))
        .find(|p| !taken(p))
        .expect("some name is free")
}

pub async fn run(ctx: &Context, args: RedeemArgs) -> Result<(), Failure> {
    // 1. Check everything before the single-use token is sent.
    let token = read_token(&args.token)?;
    let account = account(&args)?;
    let client = ctx.client()?;
    let policy = args.config.overwrite();
    if args.config.config_file.is_none()
        && (args.config.config_format.is_some() || args.config.group_suffix.is_some())
    {
        // They only shape the configuration file; without one they would be dropped silently
        // (and a summary line claiming a group.id was set up would be false).
        return Err(Failure::usage(
            "--config-format and --group-suffix apply to the configuration file: add --config-file PATH, or leave them out. Nothing was sent.",
        ));
    }
    match &args.save {
        Some(path) => check_writable(path, policy).map_err(refused)?,
        None => {
            tempfile::NamedTempFile::new_in(".")
                .map_err(|e| Failure::usage(format!("cannot write the redemption into the working directory ({e}); pass --save PATH. Nothing was sent.")))?;
        }
    }
    if let Some(path) = &args.config.config_file {
        check_writable(path, policy).map_err(refused)?;
        // Compared as the file system resolves them: `a.json` and `./a.json` are one file.
        if args
            .save
            .as_deref()
            .is_some_and(|save| same_file(save, path))
        {
            return Err(Failure::usage(
                "--save and --config-file name the same file; give them different paths. Nothing was sent.",
            ));
        }
    }
    let options = args.config.options();
    options
        .check()
        .map_err(|e| Failure::usage(format!("{e}. Nothing was sent.")))?;
    // A redeem without an account gives credentials for public endpoints: look at what the
    // token shares first (this does not spend it).
    if account.is_none() && !args.public {
        reach::require_public(&client.token_reach(&token).await?)?;
    }

    // 2. Redeem (once).
    let (answer, interrupted) = crate::interrupt::finish_through_one_signal(async {
        Ok(client.redeem_answer(&token, account.as_ref()).await?)
    })
    .await?;

    // 3. Save the answer exactly as it came, credentials included, before anything else can
    // fail (decoding included: a newer or broken answer must not take the spent token's
    // credentials with it).
    let id = answer.share_id().unwrap_or_else(|| "unknown".into());
    let save_path = args
        .save
        .clone()
        .unwrap_or_else(|| default_save_path(&id, args.config.config_file.as_deref()));
    if let Err(e) = write_secret_file(&save_path, answer.expose_body(), policy) {
        // The token is spent: the credentials must reach the user somehow.
        let printed = match std::str::from_utf8(answer.expose_body())
            .map_err(|_| Failure::other("not text"))
            .and_then(|text| output::stdout(&format!("{text}\n")))
        {
            Ok(()) => {
                "It was printed on standard output instead (it holds secrets: store it safely)."
            }
            Err(_) => "Printing it on standard output failed too: the credentials are lost.",
        };
        return Err(Failure::other(format!(
            "The token was redeemed, but the redemption could not be saved: {e}.\n  {printed}"
        )));
    }
    if interrupted {
        return Err(Failure::interrupted(format!(
            "Interrupted: the redeem finished and its answer is saved in {} (mode 0600); nothing else was done. Write a client configuration from it with `cdx config render --from {} --config-file PATH`.",
            save_path.display(),
            save_path.display()
        )));
    }
    let redemption = answer
        .decode()
        .map_err(|e| unreadable(e, &save_path, answer.is_complete()))?;
    let mut files = vec![(REDEMPTION, save_path.clone())];

    // 4. The client configuration.
    if let Some(path) = &args.config.config_file {
        let written = render(&redemption, args.config.format(), &options)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                write_secret_file(path, text.as_bytes(), policy).map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            return Err(Failure::other(format!(
                "The token was redeemed and saved to {}, but the configuration file was not written: {e}.\n  Render it from the saved redemption: cdx config render --from {} --config-format <FORMAT> --config-file <PATH>",
                save_path.display(),
                save_path.display()
            )));
        }
        files.push((CONFIGURATION, path.clone()));
    }

    // 5. Private networking: what the consumer's cloud needs to reach the cluster.
    let network = match &account {
        Some(_) => match client.consumer_share_network(redemption.share_id()).await {
            Ok(Some(network)) if network.cloud.is_some() => Some(network),
            // Said, not left for the user to infer from missing rows: they asked for a private
            // link and will look for its set-up.
            Ok(network) if network.as_ref().is_some_and(|n| n.dns_domain.is_some()) => {
                eprintln!(
                    "Warning: the shared cluster is private, but the API returned no private-link details for this account; check that it is an account of the cloud the cluster runs on (`cdx consumer resource list --stream-share {}` shows the cloud).",
                    redemption.share_id()
                );
                None
            }
            Ok(_) => {
                eprintln!(
                    "Note: the shared cluster is reached over the public internet, not a private link: there are no network details to set up."
                );
                None
            }
            Err(e) => {
                eprintln!(
                    "Warning: the share is redeemed, but its network details could not be read: {}",
                    output::escape(e.to_string().lines().next().unwrap_or_default())
                );
                None
            }
        },
        None => None,
    };

    // 6. The summary. The files are saved: a closed stdout must not hide where they went.
    let printed = summary(
        ctx,
        &redemption,
        &files,
        network.as_ref(),
        args.config.group_suffix.as_deref(),
        args.show_secrets,
    );
    if let Err(f) = printed {
        // Saved all the same: say where, on stderr, whatever happened to stdout.
        let paths: Vec<String> = files.iter().map(|(_, p)| p.display().to_string()).collect();
        let saved = format!("the redemption is saved ({})", paths.join(", "));
        if f.is_closed_stdout() {
            eprintln!("Standard output was closed before the summary was printed; {saved}.");
            return Err(f);
        }
        return Err(Failure::other(format!(
            "The token was redeemed and {saved}, but the summary could not be printed: {f}"
        )));
    }
    Ok(())
}

/// The token was redeemed and its answer saved to `saved`, but it does not give a usable
/// redemption: say so, and where the answer is.
fn unreadable(e: cdx_ext::Error, saved: &Path, complete: bool) -> Failure {
    let what = if complete {
        "The server's answer is saved, exactly as received,"
    } else {
        "The beginning of the server's answer, up to the limit, is saved"
    };
    let saved = format!("{what} in {} (mode 0600).", saved.display());
    let message = match e {
        cdx_ext::Error::InvalidResponse(r) => format!(
            "The token was redeemed, but the credentials could not be read from the answer: {}.\n  {saved}\n  The share exists: `cdx consumer share list` shows it.{}",
            r.reason,
            r.request_id
                .map(|id| format!("\n  request id {id}"))
                .unwrap_or_default()
        ),
        other => format!("{other}\n  {saved}"),
    };
    Failure::other(message)
}

/// Shown as an example `group.id` when the user chose no suffix.
const EXAMPLE_GROUP_SUFFIX: &str = ".my-app";

/// What a redeem printed: one value, serialized for `-o json|yaml` (its fields in this order)
/// or shown as `Field: value` rows. Secrets in it are masked unless the user asked to see them;
/// it is therefore never `Debug`.
#[derive(Serialize)]
struct Summary<'a> {
    share_id: &'a str,
    kafka_bootstrap_server: String,
    kafka_api_key: &'a str,
    kafka_api_secret: String,
    schema_registry_url: Option<&'a str>,
    schema_registry_api_key: Option<&'a str>,
    schema_registry_api_secret: Option<String>,
    topics: Vec<&'a str>,
    subjects: Vec<&'a str>,
    /// Resources of kinds this cdx does not know, as they came.
    other_resources: Vec<&'a serde_json::Map<String, serde_json::Value>>,
    group_prefix: Option<&'a str>,
    /// The group.id the chosen suffix gives.
    group_id: Option<String>,
    /// The group.id the chosen suffix, or an example one, gives.
    example_group_id: Option<String>,
    files: Vec<SavedFile>,
    network: Option<&'a Network>,
}

/// A file the redeem wrote.
#[derive(Serialize)]
struct SavedFile {
    /// `redemption` or `configuration`.
    kind: &'static str,
    path: String,
}

impl<'a> Summary<'a> {
    fn new(
        r: &'a Redemption,
        files: &[(&'static str, PathBuf)],
        network: Option<&'a Network>,
        group_suffix: Option<&str>,
        show: bool,
    ) -> Self {
        let sr = r.schema_registry();
        Summary {
            share_id: r.share_id(),
            kafka_bootstrap_server: r.bootstrap_server().to_string(),
            kafka_api_key: r.kafka_api_key(),
            kafka_api_secret: secret(r.kafka_api_secret(), show),
            schema_registry_url: sr.as_ref().map(|s| s.url),
            schema_registry_api_key: sr.as_ref().map(|s| s.api_key),
            schema_registry_api_secret: sr.as_ref().map(|s| secret(s.api_secret, show)),
            topics: r.topics(),
            subjects: r.subjects(),
            other_resources: r.unknown_resources().collect(),
            group_prefix: r.group_prefix(),
            group_id: group_suffix.and_then(|s| r.group_id(s)),
            example_group_id: r.group_id(group_suffix.unwrap_or(EXAMPLE_GROUP_SUFFIX)),
            files: files
                .iter()
                .map(|(kind, path)| SavedFile {
                    kind,
                    path: path.display().to_string(),
                })
                .collect(),
            network,
        }
    }

    /// The summary for people.
    fn rows(&self) -> Vec<(&'static str, String)> {
        let mut rows: Vec<(&str, String)> = vec![
            ("Share ID", self.share_id.to_string()),
            (
                "Kafka Bootstrap Server",
                self.kafka_bootstrap_server.clone(),
            ),
            ("Kafka API Key", self.kafka_api_key.to_string()),
            ("Kafka API Secret", self.kafka_api_secret.clone()),
        ];
        if let (Some(url), Some(key), Some(secret)) = (
            self.schema_registry_url,
            self.schema_registry_api_key,
            &self.schema_registry_api_secret,
        ) {
            rows.push(("Schema Registry URL", url.to_string()));
            rows.push(("Schema Registry API Key", key.to_string()));
            rows.push(("Schema Registry API Secret", secret.clone()));
        }
        rows.push(("Topics", self.topics.join(", ")));
        rows.push(("Subjects", self.subjects.join(", ")));
        if !self.other_resources.is_empty() {
            let text: Vec<String> = self
                .other_resources
                .iter()
                .map(|o| serde_json::Value::Object((*o).clone()).to_string())
                .collect();
            rows.push(("Other Resources", text.join(", ")));
        }
        if let Some(prefix) = self.group_prefix {
            rows.push(("Consumer Group Prefix", prefix.to_string()));
            match &self.group_id {
                Some(group) => rows.push(("group.id", group.clone())),
                None => rows.push((
                    "Example group.id",
                    self.example_group_id.clone().unwrap_or_default(),
                )),
            }
        }
        for file in &self.files {
            let label = if file.kind == REDEMPTION {
                "Saved Redemption"
            } else {
                "Configuration File"
            };
            rows.push((label, file.path.clone()));
        }
        if let Some(n) = self.network {
            rows.extend(network_rows(n));
        }
        rows
    }
}

/// The kinds of [`SavedFile`].
const REDEMPTION: &str = "redemption";
const CONFIGURATION: &str = "configuration";

fn summary(
    ctx: &Context,
    r: &Redemption,
    files: &[(&'static str, PathBuf)],
    network: Option<&Network>,
    group_suffix: Option<&str>,
    show: bool,
) -> Result<(), Failure> {
    let summary = Summary::new(r, files, network, group_suffix, show);
    if ctx.printer.machine(&summary)? {
        return Ok(());
    }
    output::stdout(&key_values(&summary.rows()))?;
    if r.has_blank_group_prefix() {
        eprintln!(
            "Warning: the server sent an empty consumer group prefix, so cdx cannot tell which group.id the share allows; ask the provider."
        );
    }
    if !show {
        eprintln!(
            "Secrets are masked above: the saved files (mode 0600) hold them, and --show-secrets prints them."
        );
    }
    Ok(())
}
