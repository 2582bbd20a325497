//! `cdx consumer check`: does the share work from here? Each step with ✓ or ✗, its time, and
//! on failure one sentence of what to do.

use crate::context::Context;
use crate::failure::Failure;
use crate::output;
use cdx_ext::Redemption;
use cdx_ext::config::Format;
use cdx_ext::kafka::{
    CheckOptions, CheckReport, DEFAULT_STEP_TIMEOUT, PrivateDns, Step, StepKind, StepStatus,
    Target, check, escape_text, private_dns_hint,
};
use clap::Args;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where the settings come from, and how to reach the cluster; shared with `peek`.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// A redemption saved by `cdx consumer redeem` (`stream-share-<share id>.json`).
    #[arg(
        long,
        value_name = "REDEMPTION.json",
        conflicts_with = "config_file",
        required_unless_present = "config_file"
    )]
    pub from: Option<PathBuf>,
    /// A client configuration file cdx wrote, in any of its formats (told from the content).
    #[arg(long, value_name = "PATH")]
    pub config_file: Option<PathBuf>,
    /// The configuration file's format, if its content does not show it.
    #[arg(long, value_name = "FORMAT", value_parser = crate::config::format_parser(), requires = "config_file")]
    pub config_format: Option<Format>,
    /// Also trust the CA certificates in this PEM file. Confluent Cloud uses public CAs: this
    /// is for private or test clusters.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Seconds one step (or a peek's wait for records) may take.
    #[arg(long = "step-timeout", value_name = "SECONDS", default_value_t = DEFAULT_STEP_TIMEOUT.as_secs_f64())]
    pub step_timeout: f64,
}

impl SourceArgs {
    /// The file named, for messages.
    pub fn path(&self) -> &Path {
        self.from
            .as_deref()
            .or(self.config_file.as_deref())
            .expect("clap requires one")
    }

    /// `--step-timeout` as a duration, refused when it is not a positive number of seconds.
    pub fn step_timeout(&self) -> Result<Duration, Failure> {
        Duration::try_from_secs_f64(self.step_timeout)
            .ok()
            .filter(|d| !d.is_zero() && *d <= Duration::from_secs(3600))
            .ok_or_else(|| {
                Failure::usage(
                    "--step-timeout must be a number of seconds above 0 and at most 3600",
                )
            })
    }

    /// `--ca-file`, checked to be readable before anything is sent.
    pub fn ca_file(&self) -> Result<Option<PathBuf>, Failure> {
        if let Some(path) = &self.ca_file {
            std::fs::metadata(path).map_err(|e| {
                Failure::usage(format!("cannot read the CA file {}: {e}", path.display()))
            })?;
        }
        Ok(self.ca_file.clone())
    }

    /// The settings in the file, with a sentence on what it is; `Err` is (reason, hint).
    pub fn target(&self) -> Result<(Target, String), (String, String)> {
        let path = self.path();
        let text = std::fs::read_to_string(path).map_err(|e| {
            (
                format!("cannot read {}: {e}", path.display()),
                "Check the path (the redemption is saved as stream-share-<share id>.json in the directory where you redeemed).".to_string(),
            )
        })?;
        if self.from.is_some() {
            let r: Redemption = serde_json::from_str(&text).map_err(|e| {
                (
                    format!(
                        "not a saved redemption: {}",
                        e.to_string().lines().next().unwrap_or_default()
                    ),
                    "Pass the stream-share-<share id>.json that `cdx consumer redeem` saved, or a configuration file with --config-file.".to_string(),
                )
            })?;
            let target = Target::from_redemption(&r);
            let what = format!("redemption of share {}", r.share_id());
            return Ok((target, what));
        }
        let format = self
            .config_format
            .unwrap_or_else(|| cdx_ext::kafka::detect_format(&text));
        let target = Target::from_config_file(&text, Some(format)).map_err(|e| {
            let hint = if serde_json::from_str::<Redemption>(&text).is_ok() {
                "This is a saved redemption: pass it with --from instead of --config-file."
            } else {
                "Write the file again from the saved redemption: cdx config render --from stream-share-<share id>.json --config-format <FORMAT> --config-file <PATH>."
            };
            (format!("{format} config: {e}"), hint.to_string())
        })?;
        Ok((target, format!("{format} config file")))
    }
}

/// The parse step's detail: what the file holds (never a secret).
pub fn describe(target: &Target, what: &str) -> String {
    let mut parts = vec![what.to_string()];
    parts.push(format!("{} topic(s)", target.topics.len()));
    if let Some(group) = &target.group_id {
        parts.push(format!("group.id {group}"));
    } else if let Some(prefix) = &target.group_prefix {
        parts.push(format!("group prefix {prefix}"));
    }
    parts.push(if target.schema_registry.is_some() {
        "Schema Registry access".to_string()
    } else {
        "no Schema Registry access".to_string()
    });
    parts.join(", ")
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Check this consumer group id instead of the file's group.id (default without one:
    /// `<group prefix>.cdx-check`). Nothing is committed and no group is joined.
    #[arg(long, value_name = "ID")]
    pub group_id: Option<String>,
}

pub async fn run(ctx: &Context, args: CheckArgs) -> Result<(), Failure> {
    let options = CheckOptions {
        step_timeout: args.source.step_timeout()?,
        ca_file: args.source.ca_file()?,
        group_id: args.group_id.clone(),
    };
    let start = Instant::now();
    let source = args.source.path().display().to_string();
    let report = match args.source.target() {
        Ok((target, what)) => {
            let parsed = start.elapsed();
            let mut report = check(&target, &options).await.after_parse(
                &source,
                describe(&target, &what),
                parsed,
            );
            name_private_dns(ctx, &target, &mut report, options.step_timeout).await;
            report
        }
        Err((reason, hint)) => CheckReport::unreadable(&source, &reason, &hint, start.elapsed()),
    };
    print(ctx, &source, &report)?;
    if report.passed() {
        return Ok(());
    }
    let failed = report
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Failed)
        .count();
    let first = report
        .first_failure()
        .map(|s| s.title.clone())
        .unwrap_or_default();
    Err(Failure::other(format!(
        "the check failed: {failed} step(s) failed, the first at \"{}\"",
        escape_text(&first)
    )))
}

/// When the bootstrap host did not resolve and Cloud API credentials are set, the share's
/// network (from the API) names exactly the DNS domain and zonal subdomains that must resolve.
/// Best effort: without credentials, or if the API does not answer, the hint stays as it is.
async fn name_private_dns(
    ctx: &Context,
    target: &Target,
    report: &mut CheckReport,
    timeout: Duration,
) {
    let Some(step) = report
        .steps
        .iter_mut()
        .find(|s| s.kind == StepKind::Resolve && s.status == StepStatus::Failed)
    else {
        return;
    };
    let Some(share_id) = &target.share_id else {
        return;
    };
    if std::env::var_os(cdx_ext::ENV_API_KEY).is_none() {
        return;
    }
    let Ok(client) = ctx.client() else {
        return;
    };
    if let Ok(Ok(Some(network))) =
        tokio::time::timeout(timeout, client.consumer_share_network(share_id)).await
        && let Some(dns) = PrivateDns::from_network(&network)
    {
        step.hint = Some(private_dns_hint(&dns));
    }
}

fn mark(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Passed => "✓",
        StepStatus::Failed => "✗",
        StepStatus::Skipped => "-",
    }
}

fn line(step: &Step) -> String {
    let mut text = format!("{} {}", mark(step.status), escape_text(&step.title));
    if step.status != StepStatus::Skipped {
        text.push_str(&format!(" ({} ms)", step.elapsed.as_millis()));
    }
    if !step.detail.is_empty() {
        text.push_str(": ");
        text.push_str(&escape_text(&step.detail));
    }
    text.push('\n');
    if let Some(hint) = &step.hint {
        text.push_str("    ");
        text.push_str(&escape_text(hint));
        text.push('\n');
    }
    text
}

fn print(ctx: &Context, source: &str, report: &CheckReport) -> Result<(), Failure> {
    let machine = json!({
        "source": source,
        "passed": report.passed(),
        "steps": report.steps,
    });
    if ctx.printer.machine(&machine)? {
        return Ok(());
    }
    let mut text: String = report.steps.iter().map(line).collect();
    let passed = report
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Passed)
        .count();
    if report.passed() {
        text.push_str(&format!(
            "All {passed} steps passed: the share works from here.\n"
        ));
    }
    output::stdout(&text)
}
