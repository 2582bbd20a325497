//! A private cluster's network, as the `Field: value` rows `consumer share describe` and
//! `consumer redeem` print.

use crate::output::opt;
use cdx_ext::Network;
use cdx_ext::types::CdxV1NetworkCloud;
use std::collections::BTreeMap;

/// The network details a private-link connection needs, as `Field: value` rows.
pub fn network_rows(network: &Network) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Network DNS Domain", opt(&network.dns_domain)),
        (
            "Network Zones",
            network.zones.as_deref().unwrap_or_default().join(", "),
        ),
    ];
    let map = |m: &BTreeMap<String, String>| {
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
