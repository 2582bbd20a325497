//! `cdx consumer ...`

use crate::Context;
use crate::args::{ConsumerCommand, ConsumerResourceCommand, ConsumerShareCommand, TokenCommand};
use crate::failure::Failure;
use crate::files::read_token;
use crate::output::{opt, time};
use crate::prompt::{DECLINED, confirm, ensure_confirmable};
use cdx_ext::types::CdxV1NetworkCloud;
use cdx_ext::{
    ConsumerShare, ConsumerShareFilter, ConsumerSharedResource, ConsumerSharedResourceFilter,
    Network,
};
use futures::TryStreamExt as _;

const SHARE_COLUMNS: [&str; 5] = [
    "ID",
    "Provider Name",
    "Provider Organization Name",
    "Status",
    "Invite Expires At",
];
const RESOURCE_COLUMNS: [&str; 5] = [
    "ID",
    "Name",
    "Organization Name",
    "Cloud",
    "Network Connection Types",
];

fn share_row(s: &ConsumerShare) -> Vec<String> {
    vec![
        opt(&s.id),
        opt(&s.provider_user_name),
        opt(&s.provider_organization_name),
        opt(&s.status.as_ref().and_then(|st| st.phase.as_ref())),
        time(&s.invite_expires_at),
    ]
}

pub(crate) fn resource_row(r: &ConsumerSharedResource) -> Vec<String> {
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
}

/// The ids once each, in the order first given (trimmed, as the API takes them): deleting the
/// same share twice would fail the second time, after the first had succeeded.
pub(crate) fn distinct(ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.trim().to_string()))
        .collect()
}

/// Ids as the Confluent CLI lists them: `"ss-1", "ss-2"`.
pub(crate) fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pairs(columns: &[&'static str], row: Vec<String>) -> Vec<(&'static str, String)> {
    columns.iter().copied().zip(row).collect()
}

/// The network details a private-link connection needs, as `Field: value` rows.
pub(crate) fn network_rows(network: &Network) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Network DNS Domain", opt(&network.dns_domain)),
        (
            "Network Zones",
            network.zones.as_deref().unwrap_or_default().join(", "),
        ),
    ];
    let map = |m: &std::collections::BTreeMap<String, String>| {
        m.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    rows.push(("Network Zonal Subdomains", map(&network.zonal_subdomains)));
    let (kind, label, data) = match &network.cloud {
        Some(CdxV1NetworkCloud::AwsNetwork(n)) => (
            "AwsNetwork".to_string(),
            "Private Link Endpoint Service",
            opt(&n.private_link_endpoint_service),
        ),
        Some(CdxV1NetworkCloud::AzureNetwork(n)) => (
            "AzureNetwork".to_string(),
            "Private Link Service Aliases",
            map(&n.private_link_service_aliases),
        ),
        Some(CdxV1NetworkCloud::GcpNetwork(n)) => (
            "GcpNetwork".to_string(),
            "Private Service Connect Service Attachments",
            map(&n.private_service_connect_service_attachments),
        ),
        Some(CdxV1NetworkCloud::Unknown(raw)) => (
            raw.get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or("unknown")
                .to_string(),
            "Network Details",
            serde_json::Value::Object(raw.clone()).to_string(),
        ),
        None => return rows,
    };
    rows.push(("Network Kind", kind));
    rows.push(("Network Private Link Data Type", label.to_string()));
    rows.push(("Network Private Link Data", data));
    rows
}

/// The network of a share's first resource (`None`: the share has no resource). Its `cloud`
/// holds the private-link details, present only for a private cluster reached with an account
/// of the cluster's cloud.
pub(crate) async fn share_network(
    client: &cdx_ext::Client,
    share_id: &str,
) -> Result<Option<Network>, cdx_ext::Error> {
    let filter = ConsumerSharedResourceFilter {
        stream_share: Some(share_id.to_string()),
        include_deleted: false,
    };
    let page = client.list_consumer_shared_resources(&filter, None).await?;
    let Some(id) = page.items.first().and_then(|r| r.id.clone()) else {
        return Ok(None);
    };
    Ok(Some(client.consumer_shared_resource_network(&id).await?))
}

pub async fn run(ctx: &Context, command: ConsumerCommand) -> Result<(), Failure> {
    let printer = ctx.printer;
    match command {
        ConsumerCommand::Share(ConsumerShareCommand::List {
            shared_resource,
            include_deleted,
        }) => {
            let client = ctx.client()?;
            let filter = ConsumerShareFilter {
                shared_resource,
                include_deleted,
            };
            let shares: Vec<ConsumerShare> = client.consumer_shares(&filter).try_collect().await?;
            printer.list(&shares, &SHARE_COLUMNS, share_row)
        }
        ConsumerCommand::Share(ConsumerShareCommand::Describe { id }) => {
            let client = ctx.client()?;
            let share = client.get_consumer_share(&id).await?;
            let mut fields = pairs(&SHARE_COLUMNS, share_row(&share));
            // The network rows are for people; `-o json|yaml` prints the share object alone, so
            // it does not pay for the two extra requests.
            if printer.is_human()
                && let Some(network) = share_network(&client, &id).await?
                && network.cloud.is_some()
            {
                fields.extend(network_rows(&network));
            }
            printer.object(&share, &fields)
        }
        ConsumerCommand::Share(ConsumerShareCommand::Delete { ids, force }) => {
            let ids = distinct(ids);
            let action = format!("delete consumer share {}", quoted(&ids));
            ensure_confirmable(&action, force)?;
            let client = ctx.client()?;
            // Every id is checked before any is deleted: a mistyped id deletes nothing.
            for id in &ids {
                client
                    .get_consumer_share(id)
                    .await
                    .map_err(|e| Failure::from(e).with_note("Nothing was deleted."))?;
            }
            let question = format!(
                "Delete consumer share {}? Its credentials stop working.",
                quoted(&ids)
            );
            if !confirm(&question, &action, force)? {
                eprintln!("{DECLINED}");
                return Ok(());
            }
            for id in &ids {
                client.delete_consumer_share(id).await?;
                eprintln!("Deleted consumer share {id:?}.");
            }
            Ok(())
        }
        ConsumerCommand::Resource(ConsumerResourceCommand::List {
            stream_share,
            include_deleted,
        }) => {
            let client = ctx.client()?;
            let filter = ConsumerSharedResourceFilter {
                stream_share,
                include_deleted,
            };
            let resources: Vec<ConsumerSharedResource> = client
                .consumer_shared_resources(&filter)
                .try_collect()
                .await?;
            printer.list(&resources, &RESOURCE_COLUMNS, resource_row)
        }
        ConsumerCommand::Resource(ConsumerResourceCommand::Describe { id }) => {
            let client = ctx.client()?;
            let resource = client.get_consumer_shared_resource(&id).await?;
            let mut fields = pairs(&RESOURCE_COLUMNS, resource_row(&resource));
            fields.push(("Description", opt(&resource.description)));
            fields.push(("Organization Contact", opt(&resource.organization_contact)));
            printer.object(&resource, &fields)
        }
        ConsumerCommand::Token(TokenCommand::Inspect(args)) => {
            let token = read_token(&args)?;
            let client = ctx.client()?;
            let resources = client.inspect_token(&token).await?;
            printer.list(&resources, &RESOURCE_COLUMNS, resource_row)
        }
        ConsumerCommand::Redeem(args) => crate::redeem::run(ctx, args).await,
        ConsumerCommand::Check(args) => crate::check::run(ctx, args).await,
        ConsumerCommand::Peek(args) => crate::peek::run(ctx, args).await,
    }
}
