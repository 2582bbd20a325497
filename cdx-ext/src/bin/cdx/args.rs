//! The command line's top level, as clap types: the global options and the command groups. Each
//! group's flags live with its handler (`consumer`, `provider`, `config`). It mirrors the
//! Confluent CLI's `stream-share` commands.

use crate::config::ConfigCommand;
use crate::consumer::ConsumerCommand;
use crate::output::Output;
use crate::provider::ProviderCommand;
use clap::{Parser, Subcommand};

/// Confluent Cloud Stream Sharing: from an emailed token to a working Kafka client config.
///
/// Credentials come from CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET (a Cloud API
/// key). RUST_LOG=debug shows each request (never a secret).
#[derive(Debug, Parser)]
#[command(name = "cdx", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The API's base URL (its default, `cdx_ext::DEFAULT_API_URL`, is shown in the help).
    #[arg(long, global = true, env = "CDX_API_URL", value_name = "URL",
          help = format!("The API's base URL [default: {}]. An empty value means the default", cdx_ext::DEFAULT_API_URL))]
    pub api_url: Option<String>,
    /// Seconds to wait for each answer of the API (the request timeout), 1 to 3600 [default:
    /// 30]. Setting up a connection waits at most 10 s of it.
    #[arg(long, global = true, env = "CDX_TIMEOUT", value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,
    /// Output format. json and yaml print the API's objects for list, describe and inspect
    /// commands, and cdx's summary (files written, secrets masked) for redeem.
    #[arg(short, long, global = true, value_enum, default_value_t = Output::Human)]
    pub output: Output,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Shares offered to you: list, inspect and redeem tokens, manage what you redeemed.
    #[command(subcommand)]
    Consumer(ConsumerCommand),
    /// Shares you offer: invite, resend, list, revoke; your shared resources; opt in or out.
    #[command(subcommand)]
    Provider(ProviderCommand),
    /// Client configuration files.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::error::ErrorKind;
    use clap::{CommandFactory as _, Parser as _};

    /// Every command path, e.g. `["consumer", "share", "list"]`.
    fn paths(command: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands() {
            let mut path = prefix.clone();
            path.push(sub.get_name().to_string());
            paths(sub, path.clone(), out);
            out.push(path);
        }
    }

    /// clap checks a subcommand's definitions (an argument id used twice, a global option
    /// clashing with a subcommand's field of the same id) only when that subcommand is parsed:
    /// this asks every one for its help, as `cdx ... --help` does.
    #[test]
    fn every_command_shows_its_help() {
        let mut all = Vec::new();
        paths(&Cli::command(), Vec::new(), &mut all);
        assert!(all.len() > 25, "{all:?}");
        for path in all {
            let argv = std::iter::once("cdx".to_string())
                .chain(path.iter().cloned())
                .chain(["--help".to_string()]);
            let kind = Cli::try_parse_from(argv).map(drop).map_err(|e| e.kind());
            assert_eq!(
                kind,
                Err(ErrorKind::DisplayHelp),
                "cdx {} --help",
                path.join(" ")
            );
        }
    }

    /// A subcommand's argument with a global option's id (a field `timeout` beside the global
    /// `--timeout`) passes clap's checks and `--help`, then panics when the command runs: clap
    /// hands the one id's value to both, of different types.
    #[test]
    fn no_argument_shares_a_global_options_id() {
        fn check(command: &clap::Command, globals: &[String], path: &str) {
            for sub in command.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                for arg in sub.get_arguments().filter(|a| !a.is_global_set()) {
                    let id = arg.get_id().as_str();
                    assert!(
                        !globals.iter().any(|g| g == id),
                        "`{path}` has an argument with the id of the global option `{id}`"
                    );
                }
                check(sub, globals, &path);
            }
        }
        let cli = Cli::command();
        let globals: Vec<String> = cli
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().to_string())
            .collect();
        assert_eq!(globals, ["api_url", "timeout", "output"]);
        check(&cli, &globals, "cdx");
    }
}
