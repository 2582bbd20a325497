//! `cdx consumer ...`: the commands' flags, and what each does.

use crate::context::Context;
use crate::failure::Failure;
use crate::files::{TokenArgs, read_token};
use crate::filters::{ResourceFilterArgs, ShareFilterArgs};
use crate::network::network_rows;
use crate::output::{View, opt, time};
use crate::remove::{DeleteArgs, Removal, remove_all};
use cdx_ext::{ConsumerShare, ConsumerSharedResource};
use clap::Subcommand;
use futures::TryStreamExt as _;

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
    Redeem(crate::redeem::RedeemArgs),
    /// Check that a redeemed share works from here, step by step (exit 0 when all pass).
    Check(crate::check::CheckArgs),
    /// Print a few records of the shared topics, without a consumer group or committing.
    Peek(crate::peek::PeekArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConsumerShareCommand {
    /// List consumer shares (every page).
    List(ShareFilterArgs),
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
    Delete(DeleteArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConsumerResourceCommand {
    /// List consumer shared resources (every page).
    List(ResourceFilterArgs),
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

const SHARE: View<ConsumerShare> = View {
    columns: &[
        "ID",
        "Provider Name",
        "Provider Organization Name",
        "Status",
        "Invite Expires At",
    ],
    row: |s| {
        vec![
            opt(&s.id),
            opt(&s.provider_user_name),
            opt(&s.provider_organization_name),
            opt(&s.status.as_ref().and_then(|st| st.phase.as_ref())),
            time(&s.invite_expires_at),
        ]
    },
};

const RESOURCE: View<ConsumerSharedResource> = View {
    columns: &[
        "ID",
        "Name",
        "Organization Name",
        "Cloud",
        "Network Connection Types",
    ],
    row: |r| {
        let types = r.network_connection_types.as_ref().map(|t| {
            t.0.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        });
        vec![
            opt(&r.id),
            opt(&r.display_name),
            opt(&r.organization_name),
            opt(&r.cloud),
            types.unwrap_or_default(),
        ]
    },
};

const DELETE: Removal = Removal {
    verb: "delete",
    noun: "consumer share",
    consequence: "Its credentials stop working.",
    done: "deleted",
};

pub async fn run(ctx: &Context, command: ConsumerCommand) -> Result<(), Failure> {
    let printer = ctx.printer;
    match command {
        ConsumerCommand::Share(ConsumerShareCommand::List(args)) => {
            let client = ctx.client()?;
            let filter = args.consumer();
            let shares: Vec<ConsumerShare> = client.consumer_shares(&filter).try_collect().await?;
            printer.list(&shares, &SHARE)
        }
        ConsumerCommand::Share(ConsumerShareCommand::Describe { id }) => {
            let client = ctx.client()?;
            let share = client.get_consumer_share(&id).await?;
            let mut fields = SHARE.fields(&share);
            // The network rows are for people; `-o json|yaml` prints the share object alone, so
            // it does not pay for the two extra requests.
            if printer.is_human()
                && let Some(network) = client.consumer_share_network(&id).await?
                && network.cloud.is_some()
            {
                fields.extend(network_rows(&network));
            }
            printer.object(&share, &fields)
        }
        ConsumerCommand::Share(ConsumerShareCommand::Delete(args)) => {
            remove_all(
                ctx,
                &DELETE,
                args,
                async |client, id| client.get_consumer_share(id).await.map(drop),
                async |client, id| client.delete_consumer_share(id).await,
            )
            .await
        }
        ConsumerCommand::Resource(ConsumerResourceCommand::List(args)) => {
            let client = ctx.client()?;
            let filter = args.consumer();
            let resources: Vec<ConsumerSharedResource> = client
                .consumer_shared_resources(&filter)
                .try_collect()
                .await?;
            printer.list(&resources, &RESOURCE)
        }
        ConsumerCommand::Resource(ConsumerResourceCommand::Describe { id }) => {
            let client = ctx.client()?;
            let resource = client.get_consumer_shared_resource(&id).await?;
            let mut fields = RESOURCE.fields(&resource);
            fields.push(("Description", opt(&resource.description)));
            fields.push(("Organization Contact", opt(&resource.organization_contact)));
            printer.object(&resource, &fields)
        }
        ConsumerCommand::Token(TokenCommand::Inspect(args)) => {
            let token = read_token(&args)?;
            let client = ctx.client()?;
            let resources = client.inspect_token(&token).await?;
            printer.list(&resources, &RESOURCE)
        }
        ConsumerCommand::Redeem(args) => crate::redeem::run(ctx, args).await,
        ConsumerCommand::Check(args) => crate::check::run(ctx, args).await,
        ConsumerCommand::Peek(args) => crate::peek::run(ctx, args).await,
    }
}
