//! `cdx consumer redeem` and `cdx config render`: the token becomes files on disk, and nothing
//! is lost on the way.
//!
//! Order matters. Everything that can be checked is checked before the request is sent (token,
//! private-link account, output paths, group suffix), because a token works once. After the
//! redeem, the full redemption is saved first, then the config file is written, then the summary
//! is printed.

use crate::Context;
use crate::args::{ConfigOutputArgs, RedeemArgs};
use crate::consumer::{network_rows, share_network};
use crate::failure::Failure;
use crate::files::{read_token, same_file};
use crate::output::{self, key_values, secret};
use crate::reach;
use cdx_ext::config::{RenderOptions, render};
use cdx_ext::file::{Overwrite, WriteError, check_writable, write_secret_file};
use cdx_ext::{Network, PrivateLinkAccount, Redemption};
use serde_json::json;
use std::path::{Path, PathBuf};

fn overwrite(force: bool) -> Overwrite {
    if force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    }
}

fn refused(e: WriteError) -> Failure {
    let hint = if matches!(e, WriteError::Exists { .. }) {
        "; pass --force to replace it"
    } else {
        ""
    };
    Failure::usage(format!("{e}{hint}. Nothing was sent."))
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
    let policy = overwrite(args.config.force);
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
    let options = RenderOptions {
        group_suffix: args.config.group_suffix.clone(),
        file_name: file_name(args.config.config_file.as_deref()),
    };
    options
        .check()
        .map_err(|e| Failure::usage(format!("{e}. Nothing was sent.")))?;
    // A redeem without an account gives credentials for public endpoints: look at what the
    // token shares first (this does not spend it).
    if account.is_none() && !args.public {
        let resources = client.inspect_token(&token).await?;
        reach::require_public(&resources)?;
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
    let mut files = vec![("Redemption", save_path.clone())];

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
        files.push(("Configuration", path.clone()));
    }

    // 5. Private networking: what the consumer's cloud needs to reach the cluster.
    let network = match &account {
        Some(_) => match share_network(&client, redemption.share_id()).await {
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

fn summary(
    ctx: &Context,
    r: &Redemption,
    files: &[(&str, PathBuf)],
    network: Option<&Network>,
    group_suffix: Option<&str>,
    show: bool,
) -> Result<(), Failure> {
    let sr = r.schema_registry();
    let chosen_group = group_suffix.and_then(|s| r.group_id(s));
    let example_group = r.group_id(group_suffix.unwrap_or(EXAMPLE_GROUP_SUFFIX));
    let others: Vec<&serde_json::Map<String, serde_json::Value>> = r.unknown_resources().collect();
    let machine = json!({
        "share_id": r.share_id(),
        "kafka_bootstrap_server": r.bootstrap_server().to_string(),
        "kafka_api_key": r.kafka_api_key(),
        "kafka_api_secret": secret(r.kafka_api_secret(), show),
        "schema_registry_url": sr.as_ref().map(|s| s.url),
        "schema_registry_api_key": sr.as_ref().map(|s| s.api_key),
        "schema_registry_api_secret": sr.as_ref().map(|s| secret(s.api_secret, show)),
        "topics": r.topics(),
        "subjects": r.subjects(),
        "other_resources": others,
        "group_prefix": r.group_prefix(),
        "group_id": chosen_group,
        "example_group_id": example_group,
        "files": files.iter().map(|(what, p)| json!({"kind": what.to_lowercase(), "path": p.display().to_string()})).collect::<Vec<_>>(),
        "network": network,
    });
    if ctx.printer.machine(&machine)? {
        return Ok(());
    }
    let mut rows: Vec<(&str, String)> = vec![
        ("Share ID", r.share_id().to_string()),
        ("Kafka Bootstrap Server", r.bootstrap_server().to_string()),
        ("Kafka API Key", r.kafka_api_key().to_string()),
        ("Kafka API Secret", secret(r.kafka_api_secret(), show)),
    ];
    if let Some(sr) = &sr {
        rows.push(("Schema Registry URL", sr.url.to_string()));
        rows.push(("Schema Registry API Key", sr.api_key.to_string()));
        rows.push(("Schema Registry API Secret", secret(sr.api_secret, show)));
    }
    rows.push(("Topics", r.topics().join(", ")));
    rows.push(("Subjects", r.subjects().join(", ")));
    if !others.is_empty() {
        // Kinds this version of cdx does not know, shown as they came.
        let text: Vec<String> = others
            .iter()
            .map(|o| serde_json::Value::Object((*o).clone()).to_string())
            .collect();
        rows.push(("Other Resources", text.join(", ")));
    }
    if let Some(prefix) = r.group_prefix() {
        rows.push(("Consumer Group Prefix", prefix.to_string()));
        match chosen_group {
            Some(group) => rows.push(("group.id", group)),
            None => rows.push(("Example group.id", example_group.unwrap_or_default())),
        }
    }
    for (what, path) in files {
        rows.push((
            if *what == "Redemption" {
                "Saved Redemption"
            } else {
                "Configuration File"
            },
            path.display().to_string(),
        ));
    }
    if let Some(n) = network {
        rows.extend(network_rows(n));
    }
    output::stdout(&key_values(&rows))?;
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

/// The file name of a config path, for the comments that show how to load the file.
fn file_name(path: Option<&Path>) -> Option<String> {
    Some(path?.file_name()?.to_string_lossy().into_owned())
}

/// `cdx config render`: a saved redemption into a client configuration, offline.
pub fn render_saved(from: &Path, config: &ConfigOutputArgs) -> Result<(), Failure> {
    let bytes = std::fs::read(from)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", from.display())))?;
    let redemption: Redemption = serde_json::from_slice(&bytes).map_err(|e| {
        Failure::usage(format!(
            "{} is not a saved redemption (as `cdx consumer redeem --save` writes): {}",
            from.display(),
            e.to_string().lines().next().unwrap_or_default()
        ))
    })?;
    let options = RenderOptions {
        group_suffix: config.group_suffix.clone(),
        file_name: file_name(config.config_file.as_deref()),
    };
    if let Some(path) = &config.config_file {
        // Even with --force: replacing the saved redemption by a configuration would lose
        // what the spent token returned.
        if same_file(path, from) {
            return Err(Failure::usage(format!(
                "--config-file names the saved redemption {} itself; write the configuration to another path",
                from.display()
            )));
        }
        check_writable(path, overwrite(config.force)).map_err(|e| {
            let hint = if matches!(e, WriteError::Exists { .. }) {
                "; pass --force to replace it"
            } else {
                ""
            };
            Failure::usage(format!("{e}{hint}"))
        })?;
    }
    let format = config.format();
    let text = render(&redemption, format, &options).map_err(|e| Failure::usage(e.to_string()))?;
    match &config.config_file {
        Some(path) => {
            write_secret_file(path, text.as_bytes(), overwrite(config.force))
                .map_err(|e| Failure::other(e.to_string()))?;
            eprintln!("Wrote {} ({format} format, mode 0600).", path.display());
        }
        None => output::stdout(&text)?,
    }
    Ok(())
}
