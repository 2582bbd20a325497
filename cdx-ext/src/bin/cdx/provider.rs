//! `cdx provider ...`: the commands' flags, and what each does.

use crate::context::Context;
use crate::failure::Failure;
use crate::filters::{ResourceFilterArgs, ShareFilterArgs};
use crate::output::{self, View, opt, time};
use crate::prompt::confirmed;
use crate::remove::{DeleteArgs, Removal, remove_all};
use cdx_ext::{ProviderShare, ProviderSharedResource};
use clap::Subcommand;
use futures::TryStreamExt as _;

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
    #[command(mut_arg("include_deleted", |a| a.help("Include revoked shares")))]
    List(ShareFilterArgs),
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
    Delete(DeleteArgs),
}

#[derive(Debug, Subcommand)]
pub enum ProviderResourceCommand {
    /// List provider shared resources (every page).
    List(ResourceFilterArgs),
    /// Describe a provider shared resource.
    Describe {
        /// The resource id (sr-…).
        id: String,
    },
}

const SHARE: View<ProviderShare> = View {
    columns: &[
        "ID",
        "Consumer Name",
        "Consumer Organization Name",
        "Status",
        "Delivery Method",
        "Redeemed At",
        "Invited At",
        "Invite Expires At",
    ],
    row: |s| {
        vec![
            opt(&s.id),
            opt(&s.consumer_user_name),
            opt(&s.consumer_organization_name),
            opt(&s.status.as_ref().and_then(|st| st.phase.as_ref())),
            opt(&s.delivery_method),
            time(&s.redeemed_at),
            time(&s.invited_at),
            time(&s.invite_expires_at),
        ]
    },
};

const RESOURCE: View<ProviderSharedResource> = View {
    columns: &[
        "ID",
        "Name",
        "Resources",
        "Environment Name",
        "Cluster Name",
    ],
    row: |r| {
        vec![
            opt(&r.id),
            opt(&r.display_name),
            r.resources.join(", "),
            opt(&r.environment_name),
            opt(&r.cluster_name),
        ]
    },
};

const REVOKE: Removal = Removal {
    verb: "revoke",
    noun: "provider share",
    consequence: "The consumer loses access.",
    done: "revoked",
};

pub async fn run(ctx: &Context, command: ProviderCommand) -> Result<(), Failure> {
    let printer = ctx.printer;
    match command {
        ProviderCommand::Invite(InviteCommand::Create { email, resources }) => {
            let client = ctx.client()?;
            let share = client.invite(&email, &resources).await?;
            printer.object(&share, &SHARE.fields(&share))
        }
        ProviderCommand::Invite(InviteCommand::Resend { id }) => {
            ctx.client()?.resend_invite(&id).await?;
            eprintln!("Sent invitation for {id:?}.");
            Ok(())
        }
        ProviderCommand::Share(ProviderShareCommand::List(args)) => {
            let client = ctx.client()?;
            let filter = args.provider();
            let shares: Vec<ProviderShare> = client.provider_shares(&filter).try_collect().await?;
            printer.list(&shares, &SHARE)
        }
        ProviderCommand::Share(ProviderShareCommand::Describe { id }) => {
            let share = ctx.client()?.get_provider_share(&id).await?;
            printer.object(&share, &SHARE.fields(&share))
        }
        ProviderCommand::Share(ProviderShareCommand::Delete(args)) => {
            remove_all(
                ctx,
                &REVOKE,
                args,
                async |client, id| client.get_provider_share(id).await.map(drop),
                async |client, id| client.delete_provider_share(id).await,
            )
            .await
        }
        ProviderCommand::Resource(ProviderResourceCommand::List(args)) => {
            let client = ctx.client()?;
            let filter = args.provider();
            let resources: Vec<ProviderSharedResource> = client
                .provider_shared_resources(&filter)
                .try_collect()
                .await?;
            printer.list(&resources, &RESOURCE)
        }
        ProviderCommand::Resource(ProviderResourceCommand::Describe { id }) => {
            let resource = ctx.client()?.get_provider_shared_resource(&id).await?;
            let mut fields = RESOURCE.fields(&resource);
            fields.push((
                "Organization Description",
                opt(&resource.organization_description),
            ));
            fields.push(("Organization Contact", opt(&resource.organization_contact)));
            printer.object(&resource, &fields)
        }
        ProviderCommand::OptIn => set_opt_in(ctx, true).await,
        ProviderCommand::OptOut { force } => {
            let action = "opt your organization out of Stream Sharing";
            let question = "Opt your organization out of Stream Sharing? Existing shares become inaccessible to their consumers.";
            if !confirmed(question, action, force)? {
                return Ok(());
            }
            set_opt_in(ctx, false).await
        }
    }
}

async fn set_opt_in(ctx: &Context, enabled: bool) -> Result<(), Failure> {
    let now = ctx.client()?.set_opt_in(enabled).await?;
    let value = serde_json::json!({ "stream_share_enabled": now });
    if !ctx.printer.machine(&value)? {
        output::stdout(&format!(
            "Stream Sharing is {} for your organization.\n",
            if now { "enabled" } else { "disabled" }
        ))?;
    }
    Ok(())
}
