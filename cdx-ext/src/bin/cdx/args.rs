//! The command line, as clap types. It mirrors the Confluent CLI's `stream-share` commands.

use cdx_ext::config::Format;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Tables and sentences.
    Human,
    /// JSON: the API's objects (list, describe, inspect), or cdx's redeem summary.
    Json,
    /// YAML: the same values as json.
    Yaml,
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

#[derive(Debug, Subcommand)]
pub enum ConsumerCommand {
    /// Consumer shares (shares offered to, or redeemed by, your organization).
    #[command(subcommand)]
    Share(ConsumerShareCommand),
    /// Consumer shared resources (the data streams shared with you).
    #[command(subcommand)]
    Resource(ConsumerResourceCommand),
    /// Share tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Redeem a share token and write the client configuration.
    Redeem(RedeemArgs),
    /// Check that a redeemed share works from here, step by step (exit 0 when all pass).
    Check(crate::check::CheckArgs),
    /// Print a few records of the shared topics, without a consumer group or committing.
    Peek(crate::peek::PeekArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConsumerShareCommand {
    /// List consumer shares (every page).
    List {
        /// Only shares of this shared resource (sr-…).
        #[arg(long, value_name = "ID")]
        shared_resource: Option<String>,
        /// Include deleted and revoked shares.
        #[arg(long)]
        include_deleted: bool,
    },
    /// Describe a consumer share, with its network when it is private.
    Describe {
        /// The share id (ss-…).
        id: String,
    },
    /// Delete consumer shares: their credentials stop working.
    ///
    /// Every id is checked first, then one confirmation is asked on the terminal; answering
    /// anything but "y" prints "Operation terminated." and exits 0 having changed nothing.
    /// Without a terminal (a script, a pipe) --force is required: without it cdx exits 2 and
    /// sends nothing.
    Delete {
        /// Share ids (ss-…).
        #[arg(required = true)]
        ids: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConsumerResourceCommand {
    /// List consumer shared resources (every page).
    List {
        /// Only resources of this share (ss-…).
        #[arg(long, value_name = "ID")]
        stream_share: Option<String>,
        /// Include deactivated resources.
        #[arg(long)]
        include_deleted: bool,
    },
    /// Describe a consumer shared resource.
    Describe {
        /// The resource id (sr-…).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Show what a token shares, without spending it.
    Inspect(TokenArgs),
}

/// Where the token comes from.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The token from the invitation email. Prefer --token-file, which keeps it out of shell
    /// history and the process list.
    // Tokens are base64url: one may well begin with '-'.
    #[arg(value_name = "TOKEN", allow_hyphen_values = true)]
    pub token: Option<String>,
    /// Read the token from this file, or from standard input with `-` (on a terminal, cdx asks
    /// for it without echoing it).
    #[arg(long, value_name = "PATH", conflicts_with = "token")]
    pub token_file: Option<PathBuf>,
}

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

#[derive(Debug, Subcommand)]
pub enum ProviderCommand {
    /// Invitations.
    #[command(subcommand)]
    Invite(InviteCommand),
    /// Provider shares (the invitations you sent and their state).
    #[command(subcommand)]
    Share(ProviderShareCommand),
    /// Provider shared resources (the data streams you share).
    #[command(subcommand)]
    Resource(ProviderResourceCommand),
    /// Opt your organization in to Stream Sharing.
    OptIn,
    /// Opt your organization out of Stream Sharing: existing shares become inaccessible.
    ///
    /// Asks for confirmation on the terminal; answering anything but "y" prints "Operation
    /// terminated." and exits 0 having changed nothing. Without a terminal (a script, a pipe)
    /// --force is required: without it cdx exits 2 and sends nothing.
    OptOut {
        /// Do not ask for confirmation.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Invite a consumer by email to topics and subjects.
    Create {
        /// The consumer's email address.
        #[arg(long)]
        email: String,
        /// Topic and subject CRNs: several after one --resource, or --resource repeated, e.g.
        /// crn://confluent.cloud/organization=…/environment=env-…/schema-registry=lsrc-…/kafka=lkc-…/topic=orders
        #[arg(long = "resource", value_name = "CRN", required = true, num_args = 1..)]
        resources: Vec<String>,
    },
    /// Send an invitation email again.
    Resend {
        /// The provider share id (ss-…).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProviderShareCommand {
    /// List provider shares (every page).
    List {
        /// Only shares of this shared resource (sr-…).
        #[arg(long, value_name = "ID")]
        shared_resource: Option<String>,
        /// Include revoked shares.
        #[arg(long)]
        include_deleted: bool,
    },
    /// Describe a provider share.
    Describe {
        /// The share id (ss-…).
        id: String,
    },
    /// Revoke provider shares.
    ///
    /// Every id is checked first, then one confirmation is asked on the terminal; answering
    /// anything but "y" prints "Operation terminated." and exits 0 having changed nothing.
    /// Without a terminal (a script, a pipe) --force is required: without it cdx exits 2 and
    /// sends nothing.
    Delete {
        /// Share ids (ss-…).
        #[arg(required = true)]
        ids: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProviderResourceCommand {
    /// List provider shared resources (every page).
    List {
        /// Only resources of this share (ss-…).
        #[arg(long, value_name = "ID")]
        stream_share: Option<String>,
        /// Include deactivated resources.
        #[arg(long)]
        include_deleted: bool,
    },
    /// Describe a provider shared resource.
    Describe {
        /// The resource id (sr-…).
        id: String,
    },
}
