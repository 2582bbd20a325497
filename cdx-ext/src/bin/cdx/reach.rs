//! Whether a token's resources can be reached over the public internet: a redeem without a
//! cloud account gives credentials for public endpoints, useless for a private-only cluster.

use crate::failure::Failure;
use cdx_ext::ConsumerSharedResource;
use cdx_ext::types::{CdxV1Cloud, CdxV1ConnectionType};

/// The account flag of a cloud.
fn account_flag(cloud: &CdxV1Cloud) -> Option<&'static str> {
    match cloud {
        CdxV1Cloud::Aws => Some("--aws-account"),
        CdxV1Cloud::Azure => Some("--azure-subscription"),
        CdxV1Cloud::Gcp => Some("--gcp-project"),
        CdxV1Cloud::Unknown(_) => None,
    }
}

/// Refuses (exit 2) a redeem without an account when every resource is reachable only over
/// private networking (its `network_connection_types` lists `PRIVATELINK`; an empty list means
/// public). A connection type or cloud this cdx does not know is warned about, not guessed at.
pub fn require_public(resources: &[ConsumerSharedResource]) -> Result<(), Failure> {
    let mut private_clouds: Vec<Option<CdxV1Cloud>> = Vec::new();
    let mut public = false;
    let mut unknown = false;
    for r in resources {
        let types = r
            .network_connection_types
            .as_ref()
            .map_or(&[][..], |t| &t.0);
        let strange: Vec<&str> = types
            .iter()
            .filter_map(|t| match t {
                CdxV1ConnectionType::Unknown(v) => Some(v.as_str()),
                CdxV1ConnectionType::Privatelink => None,
            })
            .collect();
        if !strange.is_empty() {
            eprintln!(
                "Warning: shared resource {} lists network connection types this cdx does not know ({}); it cannot tell whether the share is reachable over the public internet.",
                crate::output::escape(r.id.as_deref().unwrap_or("?")),
                crate::output::escape(&strange.join(", "))
            );
            unknown = true;
        } else if types.is_empty() {
            public = true;
        } else {
            private_clouds.push(r.cloud.clone());
        }
    }
    if public || unknown || private_clouds.is_empty() {
        return Ok(());
    }
    let mut flags: Vec<&str> = Vec::new();
    for cloud in &private_clouds {
        match cloud.as_ref().and_then(account_flag) {
            Some(flag) => flags.push(flag),
            None => {
                let name = cloud
                    .as_ref()
                    .map_or("not given".to_string(), |c| c.to_string());
                eprintln!(
                    "Warning: the shared cluster's cloud ({}) is one this cdx does not know, so it cannot tell which account to name.",
                    crate::output::escape(&name)
                );
                flags.extend(["--aws-account", "--azure-subscription", "--gcp-project"]);
            }
        }
    }
    flags.sort_unstable();
    flags.dedup();
    Err(Failure::usage(format!(
        "The shared cluster is reachable only over private networking (PRIVATELINK): a redeem without a cloud account would spend the token for credentials this network cannot use. Name your account with {}, or pass --public to redeem for the public internet anyway. The token was not spent.",
        flags.join(" or ")
    )))
}
