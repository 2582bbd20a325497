//! `cdx config ...`, and the configuration-file options `cdx consumer redeem` shares.

use crate::failure::Failure;
use crate::files::same_file;
use crate::output;
use cdx_ext::Redemption;
use cdx_ext::config::{Format, RenderOptions, render};
use cdx_ext::file::{Overwrite, WriteError, check_writable, write_secret_file};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Config file output options, shared by `redeem` and `config render`.
#[derive(Debug, Args)]
pub struct ConfigOutputArgs {
    /// Write a Kafka client configuration file here (mode 0600). Without it, `redeem` writes
    /// none (so --config-format and --group-suffix need it) and `config render` prints the
    /// configuration on standard output.
    #[arg(long, value_name = "PATH")]
    pub config_file: Option<PathBuf>,
    /// The configuration file's format [default: java].
    #[arg(long, value_name = "FORMAT", value_parser = format_parser())]
    pub config_format: Option<Format>,
    /// Write `group.id=<group prefix>.<SUFFIX>` into the configuration: `billing` and
    /// `.billing` both give `stream-share.ss-12345.billing` (no `.` is added before a suffix that
    /// starts with `.`, `-` or `_`).
    #[arg(long, value_name = "SUFFIX")]
    pub group_suffix: Option<String>,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

impl ConfigOutputArgs {
    /// The chosen format, or the default.
    pub fn format(&self) -> Format {
        self.config_format.unwrap_or(Format::Java)
    }

    /// Whether existing files may be replaced (`--force`).
    pub fn overwrite(&self) -> Overwrite {
        if self.force {
            Overwrite::Replace
        } else {
            Overwrite::Refuse
        }
    }

    /// The rendering options: the group suffix, and the file name the file's comments show.
    pub fn options(&self) -> RenderOptions {
        RenderOptions {
            group_suffix: self.group_suffix.clone(),
            file_name: file_name(self.config_file.as_deref()),
        }
    }
}

/// `--config-format`'s values, from the library's list: help and shell completions show them
/// (with who reads each), and a typo is refused by clap with the list.
pub fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        Format::ALL.map(|f| PossibleValue::new(f.name()).help(f.description())),
    )
    .map(|name| {
        name.parse::<Format>()
            .expect("the possible values are Format::ALL's names")
    })
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Render a saved redemption into a client configuration, offline.
    Render {
        /// The redemption JSON saved by `cdx consumer redeem`.
        #[arg(long, value_name = "REDEMPTION.json")]
        from: PathBuf,
        #[command(flatten)]
        config: ConfigOutputArgs,
    },
}

/// What a refused write adds when `--force` would let it through.
pub fn force_hint(e: &WriteError) -> &'static str {
    if matches!(e, WriteError::Exists { .. }) {
        "; pass --force to replace it"
    } else {
        ""
    }
}

pub fn run(command: ConfigCommand) -> Result<(), Failure> {
    match command {
        ConfigCommand::Render { from, config } => render_saved(&from, &config),
    }
}

/// The file name of a config path, for the comments that show how to load the file.
fn file_name(path: Option<&Path>) -> Option<String> {
    Some(path?.file_name()?.to_string_lossy().into_owned())
}

/// `cdx config render`: a saved redemption into a client configuration, offline.
fn render_saved(from: &Path, config: &ConfigOutputArgs) -> Result<(), Failure> {
    let bytes = std::fs::read(from)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", from.display())))?;
    let redemption: Redemption = serde_json::from_slice(&bytes).map_err(|e| {
        Failure::usage(format!(
            "{} is not a saved redemption (as `cdx consumer redeem --save` writes): {}",
            from.display(),
            e.to_string().lines().next().unwrap_or_default()
        ))
    })?;
    let options = config.options();
    if let Some(path) = &config.config_file {
        // Even with --force: replacing the saved redemption by a configuration would lose
        // what the spent token returned.
        if same_file(path, from) {
            return Err(Failure::usage(format!(
                "--config-file names the saved redemption {} itself; write the configuration to another path",
                from.display()
            )));
        }
        check_writable(path, config.overwrite())
            .map_err(|e| Failure::usage(format!("{e}{}", force_hint(&e))))?;
    }
    let format = config.format();
    let text = render(&redemption, format, &options).map_err(|e| Failure::usage(e.to_string()))?;
    match &config.config_file {
        Some(path) => {
            write_secret_file(path, text.as_bytes(), config.overwrite())
                .map_err(|e| Failure::other(e.to_string()))?;
            eprintln!("Wrote {} ({format} format, mode 0600).", path.display());
        }
        None => output::stdout(&text)?,
    }
    Ok(())
}
