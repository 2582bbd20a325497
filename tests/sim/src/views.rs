//! JSON representations of the simulated resources, shaped like the spec's schemas (with every
//! field the upstream spec marks required for GET responses).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::SimConfig;
use crate::model::{CLOUD_API, Cloud, Org, Share, SharedResource};
use crate::state::State;
use crate::util::ts;

fn user_ref(org: &Org) -> Value {
    json!({
        "id": org.user_id,
        "related": format!("{CLOUD_API}/iam/v2/users/{}", org.user_id),
        "resource_name": format!("crn://confluent.cloud/organization={}/user={}", org.id, org.user_id),
    })
}

fn cluster_ref(org: &Org, sr: &SharedResource) -> Value {
    json!({
        "id": sr.cluster,
        "environment": sr.environment,
        "related": format!("{CLOUD_API}/cmk/v2/clusters/{}?environment={}", sr.cluster, sr.environment),
        "resource_name": format!(
            "crn://confluent.cloud/organization={}/environment={}/cloud-cluster={}",
            org.id, sr.environment, sr.cluster
        ),
    })
}

/// When an object was created, last updated and deleted.
type Times = (DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>);

/// An object of `kind` with the fields every object has (`api_version`, `kind`, `id`, and
/// `metadata`: its URL, `path` under `{base}/cdx/v1/`, and its CRN, `crn` in `org`), then
/// `fields`.
fn object(
    kind: &str,
    id: &str,
    (path, base): (&str, &str),
    crn: (&Org, &str),
    times: Times,
    fields: Value,
) -> Value {
    let (created, updated, deleted) = times;
    let mut m = Map::new();
    m.insert("self".into(), json!(format!("{base}/cdx/v1/{path}")));
    m.insert(
        "resource_name".into(),
        json!(format!(
            "crn://confluent.cloud/organization={}/{}",
            crn.0.id, crn.1
        )),
    );
    m.insert("created_at".into(), json!(ts(created)));
    m.insert("updated_at".into(), json!(ts(updated)));
    if let Some(d) = deleted {
        m.insert("deleted_at".into(), json!(ts(d)));
    }
    let mut v = json!({"api_version": "cdx/v1", "kind": kind, "id": id, "metadata": m});
    if let (Some(v), Value::Object(fields)) = (v.as_object_mut(), fields) {
        v.extend(fields);
    }
    v
}

/// Schema Registry subjects of a shared resource, as `cdx.v1.Schema`s.
fn schemas(sr: &SharedResource) -> Vec<Value> {
    sr.resources
        .iter()
        .filter_map(|crn| match crate::util::parse_crn(crn) {
            Some(crate::util::CrnTarget::Subject { name }) => Some(name),
            _ => None,
        })
        .enumerate()
        .map(|(i, subject)| {
            json!({
                "subject": subject,
                "version": 1,
                "id": 100_000 + sr.number as i64 * 100 + i as i64,
                "schema_type": "AVRO",
                "schema": r#"{"type":"record","name":"Value","fields":[{"name":"id","type":"string"}]}"#,
            })
        })
        .collect()
}

fn sr_times(sr: &SharedResource) -> Times {
    (sr.created_at, sr.updated_at, None)
}

fn share_times(share: &Share) -> Times {
    (share.invited_at, share.updated_at, share.deactivated_at)
}

/// A shared resource's optional `organization_contact` and `logo_url` (its image `logo`, under
/// the object's `path`).
fn with_contact_and_logo(mut v: Value, sr: &SharedResource, path: &str, base: &str) -> Value {
    if let Some(c) = &sr.organization_contact {
        v["organization_contact"] = json!(c);
    }
    if sr.images.contains_key("logo") {
        v["logo_url"] = json!(format!("{base}/cdx/v1/{path}/images/logo"));
    }
    v
}

fn tags(sr: &SharedResource) -> Vec<String> {
    vec![format!("env:{}", sr.environment)]
}

pub(crate) fn provider_shared_resource(st: &State, sr: &SharedResource, base: &str) -> Value {
    let org = &st.orgs[sr.org];
    let fields = json!({
        "crn": sr.crn,
        "resources": sr.resources,
        "display_name": sr.display_name,
        "description": sr.description,
        "tags": tags(sr),
        "schemas": schemas(sr),
        "organization_description": sr.organization_description,
        "organization_name": org.name,
        "environment_name": "default",
        "cluster_name": format!("{}-cluster", sr.cluster),
        "cloud_cluster": cluster_ref(org, sr),
    });
    let path = format!("provider-shared-resources/{}", sr.id);
    let crn = format!("provider-shared-resource={}", sr.id);
    let v = object(
        "ProviderSharedResource",
        &sr.id,
        (&path, base),
        (org, &crn),
        sr_times(sr),
        fields,
    );
    with_contact_and_logo(v, sr, &path, base)
}

pub(crate) fn provider_share(st: &State, share: &Share, base: &str, now: DateTime<Utc>) -> Value {
    let org = &st.orgs[share.org];
    let sr = &st.resources[&share.sr];
    let fields = json!({
        "provider_user_name": org.user_name,
        "status": { "phase": share.phase(now).as_str() },
        "delivery_method": share.delivery_method,
        "consumer_restriction": { "kind": "Email", "email": share.email },
        "invited_at": ts(share.invited_at),
        "invite_expires_at": ts(share.expires_at),
        "provider_user": user_ref(org),
        "cloud_cluster": cluster_ref(org, sr),
    });
    let path = format!("provider-shares/{}", share.id);
    let crn = format!("provider-share={}", share.id);
    let mut v = object(
        "ProviderShare",
        &share.id,
        (&path, base),
        (org, &crn),
        share_times(share),
        fields,
    );
    if let Some(r) = &share.redemption {
        let consumer = &st.orgs[r.org];
        v["consumer_user_name"] = json!(consumer.user_name);
        v["consumer_organization_name"] = json!(consumer.name);
        v["redeemed_at"] = json!(ts(r.at));
        v["service_account"] = json!({
            "id": r.service_account,
            "related": format!("{CLOUD_API}/iam/v2/service-accounts/{}", r.service_account),
            "resource_name": format!(
                "crn://confluent.cloud/organization={}/service-account={}",
                org.id, r.service_account
            ),
        });
    }
    v
}

pub(crate) fn consumer_shared_resource(
    st: &State,
    sr: &SharedResource,
    viewer: usize,
    base: &str,
) -> Value {
    let provider = &st.orgs[sr.org];
    let viewer = &st.orgs[viewer];
    let fields = json!({
        "cloud": sr.cloud.as_str(),
        "network_connection_types": if sr.private { json!(["PRIVATELINK"]) } else { json!([]) },
        "display_name": sr.display_name,
        "description": sr.description,
        "tags": tags(sr),
        "schemas": schemas(sr),
        "organization_name": provider.name,
        "organization_description": sr.organization_description,
    });
    let path = format!("consumer-shared-resources/{}", sr.id);
    let crn = format!("consumer-shared-resource={}", sr.id);
    let v = object(
        "ConsumerSharedResource",
        &sr.id,
        (&path, base),
        (viewer, &crn),
        sr_times(sr),
        fields,
    );
    with_contact_and_logo(v, sr, &path, base)
}

pub(crate) fn consumer_share(
    st: &State,
    share: &Share,
    viewer: usize,
    base: &str,
    now: DateTime<Utc>,
) -> Value {
    let provider = &st.orgs[share.org];
    let consumer = &st.orgs[viewer];
    let fields = json!({
        "provider_organization_name": provider.name,
        "provider_user_name": provider.user_name,
        "invite_expires_at": ts(share.expires_at),
        "consumer_organization_name": consumer.name,
        "consumer_user_name": consumer.user_name,
        "consumer_user": user_ref(consumer),
        "status": { "phase": share.phase(now).as_str() },
    });
    let path = format!("consumer-shares/{}", share.id);
    let crn = format!("consumer-share={}", share.id);
    object(
        "ConsumerShare",
        &share.id,
        (&path, base),
        (consumer, &crn),
        share_times(share),
        fields,
    )
}

/// The DNS domain of a shared resource's (simulated) network.
fn dns_domain(sr: &SharedResource) -> String {
    format!(
        "dom{:05}.{}.{}.confluent.cloud",
        sr.number,
        sr.cloud.region(),
        sr.cloud.host_suffix()
    )
}

pub(crate) fn bootstrap(sr: &SharedResource, config: &SimConfig) -> String {
    if let Some(kafka) = &config.kafka {
        return kafka.bootstrap_url();
    }
    let host = if sr.private {
        format!("{}.{}", sr.cluster, dns_domain(sr))
    } else {
        format!(
            "pkc-{:05}.{}.{}.confluent.cloud",
            sr.number,
            sr.cloud.region(),
            sr.cloud.host_suffix()
        )
    };
    if config.bootstrap_sasl_prefix {
        format!("SASL://{host}:9092")
    } else {
        format!("{host}:9092")
    }
}

/// `cdx.v1.Network` of a shared resource. `ready`: the private-link details (`cloud`) are
/// filled in (private cluster and the viewer gave a matching account on redeem).
pub(crate) fn network(
    st: &State,
    sr: &SharedResource,
    viewer: usize,
    ready: bool,
    base: &str,
    config: &SimConfig,
) -> Value {
    let viewer = &st.orgs[viewer];
    let zones = sr.cloud.zones();
    let domain = dns_domain(sr);
    let id = format!("n-{:05}", sr.number);
    let path = format!("consumer-shared-resources/{}:network", sr.id);
    let crn = format!("consumer-shared-resource={}/network={id}", sr.id);
    let fields = json!({
        "kafka_bootstrap_url": bootstrap(sr, config),
        "zones": zones,
    });
    let mut v = object(
        "Network",
        &id,
        (&path, base),
        (viewer, &crn),
        sr_times(sr),
        fields,
    );
    if sr.private {
        let sub: Map<String, Value> = zones
            .iter()
            .map(|z| (z.to_string(), json!(format!("{z}.{domain}"))))
            .collect();
        v["dns_domain"] = json!(domain);
        v["zonal_subdomains"] = Value::Object(sub);
    }
    if sr.private && ready {
        let n = sr.number;
        v["cloud"] = match sr.cloud {
            Cloud::Aws => json!({
                "kind": "AwsNetwork",
                "private_link_endpoint_service":
                    format!("com.amazonaws.vpce.{}.vpce-svc-{n:017x}", sr.cloud.region()),
            }),
            Cloud::Azure => {
                let aliases: Map<String, Value> = zones
                    .iter()
                    .map(|z| {
                        (
                            z.to_string(),
                            json!(format!(
                                "s-sim{n:05}-privatelink-{z}.00000000-0000-0000-0000-000000000000.{}.azure.privatelinkservice",
                                sr.cloud.region()
                            )),
                        )
                    })
                    .collect();
                json!({ "kind": "AzureNetwork", "private_link_service_aliases": aliases })
            }
            Cloud::Gcp => {
                let attachments: Map<String, Value> = zones
                    .iter()
                    .map(|z| {
                        (
                            z.to_string(),
                            json!(format!(
                                "projects/cc-sim-network/regions/{}/serviceAttachments/s-sim{n:05}-service-attachment-{z}",
                                sr.cloud.region()
                            )),
                        )
                    })
                    .collect();
                json!({
                    "kind": "GcpNetwork",
                    "private_service_connect_service_attachments": attachments,
                })
            }
        };
    }
    v
}

pub(crate) fn redeem_response(
    share: &Share,
    sr: &SharedResource,
    base: &str,
    config: &SimConfig,
    schema_registry_url: Option<&String>,
) -> Value {
    let r = share.redemption.as_ref().expect("redeemed share");
    let mut resources: Vec<Value> = share
        .topics
        .iter()
        .map(|t| json!({ "kind": "Topic", "topic": t }))
        .collect();
    resources.push(json!({ "kind": "Group", "group_prefix": share.group_prefix() }));
    resources.extend(
        share
            .subjects
            .iter()
            .map(|s| json!({ "kind": "Subject", "subject": s })),
    );
    json!({
        "api_version": "cdx/v1",
        "kind": "RedeemTokenResponse",
        "id": share.id,
        "metadata": {
            "self": format!("{base}/cdx/v1/consumer-shares/{}", share.id),
            "created_at": ts(r.at),
        },
        "api_key": r.api_key,
        "secret": r.secret,
        "kafka_bootstrap_url": bootstrap(sr, config),
        "schema_registry_api_key": r.sr_api_key,
        "schema_registry_secret": r.sr_secret,
        "schema_registry_url": schema_registry_url.cloned().unwrap_or_else(|| format!(
            "https://psrc-{:05}.{}.{}.confluent.cloud",
            sr.number,
            sr.cloud.region(),
            sr.cloud.host_suffix()
        )),
        "resources": resources,
    })
}

pub(crate) fn opt_in(org: &Org) -> Value {
    json!({
        "api_version": "cdx/v1",
        "kind": "OptIn",
        "stream_share_enabled": org.opted_in,
    })
}
