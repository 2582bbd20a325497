//! Refusing a redeem for the public internet of a token whose resources are reachable only over
//! private networking ([`cdx_ext::Reach`] tells), naming the account flag of the cluster's cloud.

use crate::failure::Failure;
use crate::output::escape;
use cdx_ext::Reach;
use cdx_ext::types::CdxV1Cloud;

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
/// private networking. A connection type or cloud this cdx does not know is warned about, not
/// guessed at.
pub fn require_public(reach: &Reach) -> Result<(), Failure> {
    for unknown in &reach.unknown {
        eprintln!(
            "Warning: shared resource {} lists network connection types this cdx does not know ({}); it cannot tell whether the share is reachable over the public internet.",
            escape(unknown.resource_id.as_deref().unwrap_or("?")),
            escape(&unknown.types.join(", "))
        );
    }
    if !reach.private_only() {
        return Ok(());
    }
    let mut flags: Vec<&str> = Vec::new();
    for cloud in &reach.private_clouds {
        match cloud.as_ref().and_then(account_flag) {
            Some(flag) => flags.push(flag),
            None => {
                let name = cloud
                    .as_ref()
                    .map_or("not given".to_string(), |c| c.to_string());
                eprintln!(
                    "Warning: the shared cluster's cloud ({}) is one this cdx does not know, so it cannot tell which account to name.",
                    escape(&name)
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
