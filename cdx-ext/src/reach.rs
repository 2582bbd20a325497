//! Whether the resources a token shares can be reached over the public internet: a redeem
//! without a cloud account gives credentials for public endpoints, useless for a cluster
//! reachable only over private networking.

use crate::ConsumerSharedResource;
use cdx_client::types::{CdxV1Cloud, CdxV1ConnectionType};

/// How a token's resources can be reached, as their `network_connection_types` say (an empty
/// list means the public internet; `PRIVATELINK` means private networking only). See
/// [`crate::Client::token_reach`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// Some resource is reachable over the public internet.
    pub public: bool,
    /// The resources that list connection types this version does not know, each with those
    /// types as sent: whether they are public cannot be told.
    pub unknown: Vec<UnknownReach>,
    /// The cloud of each resource reachable only over private networking, in order (`None`:
    /// the API did not say).
    pub private_clouds: Vec<Option<CdxV1Cloud>>,
}

/// A resource whose connection types this version does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownReach {
    /// The shared resource's id (`sr-…`), when the API sent one.
    pub resource_id: Option<String>,
    /// The connection types not known, as sent.
    pub types: Vec<String>,
}

impl Reach {
    /// How `resources` can be reached.
    pub fn of(resources: &[ConsumerSharedResource]) -> Self {
        let mut reach = Reach::default();
        for r in resources {
            let types = r
                .network_connection_types
                .as_ref()
                .map_or(&[][..], |t| &t.0);
            let unknown: Vec<String> = types
                .iter()
                .filter_map(|t| match t {
                    CdxV1ConnectionType::Unknown(v) => Some(v.clone()),
                    CdxV1ConnectionType::Privatelink => None,
                })
                .collect();
            if !unknown.is_empty() {
                reach.unknown.push(UnknownReach {
                    resource_id: r.id.clone(),
                    types: unknown,
                });
            } else if types.is_empty() {
                reach.public = true;
            } else {
                reach.private_clouds.push(r.cloud.clone());
            }
        }
        reach
    }

    /// True when every resource is known to be reachable only over private networking: a redeem
    /// without a cloud account would spend the token for credentials that cannot connect.
    pub fn private_only(&self) -> bool {
        !self.public && self.unknown.is_empty() && !self.private_clouds.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(id: &str, types: &[&str], cloud: &str) -> ConsumerSharedResource {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "network_connection_types": types,
            "cloud": cloud,
        }))
        .unwrap()
    }

    #[test]
    fn one_public_resource_makes_the_token_public() {
        let private = resource("sr-1", &["PRIVATELINK"], "AWS");
        assert!(Reach::of(std::slice::from_ref(&private)).private_only());
        let public = resource("sr-2", &[], "GCP");
        let reach = Reach::of(&[private, public]);
        assert!(reach.public && !reach.private_only(), "{reach:?}");
        assert_eq!(reach.private_clouds, [Some(CdxV1Cloud::Aws)]);
    }

    #[test]
    fn unknown_connection_types_are_kept_and_never_called_private() {
        let reach = Reach::of(&[resource("sr-1", &["TRANSIT_GATEWAY"], "AZURE")]);
        assert!(!reach.private_only());
        assert_eq!(
            reach.unknown,
            [UnknownReach {
                resource_id: Some("sr-1".into()),
                types: vec!["TRANSIT_GATEWAY".into()],
            }]
        );
        assert!(
            !Reach::of(&[]).private_only(),
            "no resources: nothing to refuse"
        );
    }
}
