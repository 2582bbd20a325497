//! `cdx provider ...`

use crate::Context;
use crate::args::{InviteCommand, ProviderCommand, ProviderResourceCommand, ProviderShareCommand};
use crate::consumer::{distinct, quoted};
use crate::failure::Failure;
use crate::output::{self, opt, time};
use crate::prompt::{DECLINED, confirm, ensure_confirmable};
use cdx_ext::{
    ProviderShare, ProviderShareFilter, ProviderSharedResource, ProviderSharedResourceFilter,
};
use futures::TryStreamExt as _;

const SHARE_COLUMNS: [&str; 8] = [
    "ID",
    "Consumer Name",
    "Consumer Organization Name",
    "Status",
    "Delivery Method",
    "Redeemed At",
    "Invited At",
    "Invite Expires At",
];
const RESOURCE_COLUMNS: [&str; 5] = [
    "ID",
    "Name",
    "Resources",
    "Environment Name",
    "Cluster Name",
];

fn share_row(s: &ProviderShare) -> Vec<String> {
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
}

fn resource_row(r: &ProviderSharedResource) -> Vec<String> {
    vec![
        opt(&r.id),
        opt(&r.display_name),
        r.resources.join(", "),
        opt(&r.environment_name),
        opt(&r.cluster_name),
    ]
}

fn pairs(columns: &[&'static str], row: Vec<String>) -> Vec<(&'static str, String)> {
    columns.iter().copied().zip(row).collect()
}

pub async fn run(ctx: &Context, command: ProviderCommand) -> Result<(), Failure> {
    let printer = ctx.printer;
    match command {
        ProviderCommand::Invite(InviteCommand::Create { email, resources }) => {
            let client = ctx.client()?;
            let share = client.invite(&email, &resources).await?;
            printer.object(&share, &pairs(&SHARE_COLUMNS, share_row(&share)))
        }
        ProviderCommand::Invite(InviteCommand::Resend { id }) => {
            ctx.client()?.resend_invite(&id).await?;
            eprintln!("Sent invitation for {id:?}.");
            Ok(())
        }
        ProviderCommand::Share(ProviderShareCommand::List {
            shared_resource,
            include_deleted,
        }) => {
            let client = ctx.client()?;
            let filter = ProviderShareFilter {
                shared_resource,
                crn: None,
                include_deleted,
            };
            let shares: Vec<ProviderShare> = client.provider_shares(&filter).try_collect().await?;
            printer.list(&shares, &SHARE_COLUMNS, share_row)
        }
        ProviderCommand::Share(ProviderShareCommand::Describe { id }) => {
            let share = ctx.client()?.get_provider_share(&id).await?;
            printer.object(&share, &pairs(&SHARE_COLUMNS, share_row(&share)))
        }
        ProviderCommand::Share(ProviderShareCommand::Delete { ids, force }) => {
            let ids = distinct(ids);
            let action = format!("revoke provider share {}", quoted(&ids));
            ensure_confirmable(&action, force)?;
            let client = ctx.client()?;
            // Every id is checked before any is revoked: a mistyped id revokes nothing.
            for id in &ids {
                client
                    .get_provider_share(id)
                    .await
                    .map_err(|e| Failure::from(e).with_note("Nothing was revoked."))?;
            }
            let question = format!(
                "Revoke provider share {}? The consumer loses access.",
                quoted(&ids)
            );
            if !confirm(&question, &action, force)? {
                eprintln!("{DECLINED}");
                return Ok(());
            }
            for id in &ids {
                client.delete_provider_share(id).await?;
                eprintln!("Deleted provider share {id:?}.");
            }
            Ok(())
        }
        ProviderCommand::Resource(ProviderResourceCommand::List {
            stream_share,
            include_deleted,
        }) => {
            let client = ctx.client()?;
            let filter = ProviderSharedResourceFilter {
                stream_share,
                crn: None,
                include_deleted,
            };
            let resources: Vec<ProviderSharedResource> = client
                .provider_shared_resources(&filter)
                .try_collect()
                .await?;
            printer.list(&resources, &RESOURCE_COLUMNS, resource_row)
        }
        ProviderCommand::Resource(ProviderResourceCommand::Describe { id }) => {
            let resource = ctx.client()?.get_provider_shared_resource(&id).await?;
            let mut fields = pairs(&RESOURCE_COLUMNS, resource_row(&resource));
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
            ensure_confirmable(action, force)?;
            let question = "Opt your organization out of Stream Sharing? Existing shares become inaccessible to their consumers.";
            if !confirm(question, action, force)? {
                eprintln!("{DECLINED}");
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
