//! The command line, as clap types. It mirrors the Confluent CLI's `stream-share` commands.

use cdx_ext::config::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Confluent Cloud Stream Sharing: from an emailed token to a working Kafka client config.
///
/// Credentials come from CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET (a Cloud API
/// key). RUST_LOG=debug shows each request (never a secret).
#[derive(Debug, Parser)]
#[command(name = "cdx", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The API's base URL.
    #[arg(long, global = true, env = "CDX_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    /// Output format.
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
    /// The API's objects as JSON.
    Json,
    /// The API's objects as YAML.
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
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// Read the token from this file, or from standard input with `-`.
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
    /// Redeem over GCP Private Service Connect from this project.
    #[arg(long, value_name = "ID", group = "private_link")]
    pub gcp_project: Option<String>,
    /// Where to save the redemption (credentials included), mode 0600. Default:
    /// `stream-share-<share id>.json` in the working directory.
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
    /// Write a Kafka client configuration file here (mode 0600).
    #[arg(long, value_name = "PATH")]
    pub config_file: Option<PathBuf>,
    /// The configuration file's format.
    #[arg(long, value_name = "FORMAT", default_value = "java", value_parser = parse_format)]
    pub config_format: Format,
    /// Write `group.id=<group prefix><SUFFIX>` into the configuration.
    #[arg(long, value_name = "SUFFIX")]
    pub group_suffix: Option<String>,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse::<Format>().map_err(|e| e.to_string())
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
        /// A topic or subject CRN (repeatable), e.g.
        /// crn://confluent.cloud/organization=…/environment=env-…/schema-registry=lsrc-…/kafka=lkc-…/topic=orders
        #[arg(long = "resource", value_name = "CRN", required = true)]
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
