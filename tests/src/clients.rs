//! cdx-ext clients pointed at a [`Simulator`], for tests, the demo and benchmarks.

use cdx_ext::{Client, ClientBuilder, Operation, RetryPolicy, ShareToken, SharedResourceUpdate};
use cdx_sim::Simulator;
use std::time::Duration;

/// A retry policy with short waits, so tests that exercise backoff stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_total_wait: Duration::from_secs(5),
    }
}

/// A builder with `key` (the simulator's API key and secret) and fast retries.
fn builder(sim: &Simulator, (key, secret): (String, String)) -> ClientBuilder {
    Client::builder()
        .cloud_api_key(key, secret)
        .base_url(sim.base_url())
        .retry_policy(fast_retries())
}

/// A builder authenticated as the simulator's consumer.
pub fn consumer_builder(sim: &Simulator) -> ClientBuilder {
    builder(sim, sim.config().consumer_key.clone())
}

/// A builder authenticated as the simulator's provider.
pub fn provider_builder(sim: &Simulator) -> ClientBuilder {
    builder(sim, sim.config().provider_key.clone())
}

/// The consumer's client.
pub fn consumer(sim: &Simulator) -> Client {
    consumer_builder(sim)
        .build()
        .expect("valid client settings")
}

/// The provider's client.
pub fn provider(sim: &Simulator) -> Client {
    provider_builder(sim)
        .build()
        .expect("valid client settings")
}

/// A topic CRN the simulator accepts in invitations and updates.
pub const TOPIC_CRN: &str = "crn://confluent.cloud/organization=org-1/environment=env-1/schema-registry=lsrc-1/kafka=lkc-1/topic=orders";

/// The smallest bytes the client takes for a PNG image.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// What [`call`] addresses: real ids for a call that should succeed, made-up ones when a fault
/// answers first.
#[derive(Clone, Debug)]
pub struct Targets {
    /// A shared resource (`sr-…`), for the provider and consumer shared-resource operations.
    pub shared_resource_id: String,
    /// A provider share (`ss-…`).
    pub provider_share_id: String,
    /// A consumer share (`ss-…`).
    pub consumer_share_id: String,
    /// The token inspected and redeemed.
    pub token: ShareToken,
    /// Who a new invitation goes to.
    pub invite_email: String,
}

impl Default for Targets {
    /// Made-up ids and token: enough for calls that a fault answers before any lookup.
    fn default() -> Self {
        Self {
            shared_resource_id: "sr-none".into(),
            provider_share_id: "ss-none".into(),
            consumer_share_id: "ss-none".into(),
            token: ShareToken::new("token-that-was-never-issued").expect("a valid token"),
            invite_email: "new.consumer@example.com".into(),
        }
    }
}

/// Runs `operation` through cdx-ext (provider operations with `provider`, the rest with
/// `consumer`), keeping only whether it succeeded. Panics on an operation it does not know, so a
/// new operation cannot be skipped silently.
pub async fn call(
    operation: Operation,
    consumer: &Client,
    provider: &Client,
    t: &Targets,
) -> cdx_ext::Result<()> {
    use Operation as O;
    let (sr, ps, cs) = (
        t.shared_resource_id.as_str(),
        t.provider_share_id.as_str(),
        t.consumer_share_id.as_str(),
    );
    match operation {
        O::ListProviderSharedResources => provider
            .list_provider_shared_resources(&Default::default(), None)
            .await
            .map(drop),
        O::GetProviderSharedResource => provider.get_provider_shared_resource(sr).await.map(drop),
        O::UpdateProviderSharedResource => {
            let update = SharedResourceUpdate {
                display_name: Some("Orders".into()),
                ..Default::default()
            };
            provider
                .update_provider_shared_resource(sr, &update)
                .await
                .map(drop)
        }
        O::UploadImageProviderSharedResource => {
            provider
                .upload_shared_resource_image(sr, "logo", PNG.to_vec())
                .await
        }
        O::ViewImageProviderSharedResource => {
            provider.shared_resource_image(sr, "logo").await.map(drop)
        }
        O::DeleteImageProviderSharedResource => {
            provider.delete_shared_resource_image(sr, "logo").await
        }
        O::ListProviderShares => provider
            .list_provider_shares(&Default::default(), None)
            .await
            .map(drop),
        O::CreateProviderShare => provider
            .invite(&t.invite_email, &[TOPIC_CRN])
            .await
            .map(drop),
        O::GetProviderShare => provider.get_provider_share(ps).await.map(drop),
        O::DeleteProviderShare => provider.delete_provider_share(ps).await,
        O::ResendProviderShare => provider.resend_invite(ps).await,
        O::ListConsumerSharedResources => consumer
            .list_consumer_shared_resources(&Default::default(), None)
            .await
            .map(drop),
        O::GetConsumerSharedResource => consumer.get_consumer_shared_resource(sr).await.map(drop),
        O::ImageConsumerSharedResource => consumer
            .consumer_shared_resource_image(sr, "logo")
            .await
            .map(drop),
        O::NetworkConsumerSharedResource => consumer
            .consumer_shared_resource_network(sr)
            .await
            .map(drop),
        O::ListConsumerShares => consumer
            .list_consumer_shares(&Default::default(), None)
            .await
            .map(drop),
        O::GetConsumerShare => consumer.get_consumer_share(cs).await.map(drop),
        O::DeleteConsumerShare => consumer.delete_consumer_share(cs).await,
        O::ResourcesSharedToken => consumer.inspect_token(&t.token).await.map(drop),
        O::RedeemSharedToken => consumer.redeem(&t.token, None).await.map(drop),
        O::GetOptIn => provider.opt_in().await.map(drop),
        O::UpdateOptIn => provider.set_opt_in(true).await.map(drop),
        other => panic!("clients::call does not know {other:?}: add it"),
    }
}

/// The name of a result's case (`"Ok"`, `"NotFound"`, `"InvalidResponse"`, …), for tables of
/// expected outcomes.
pub fn outcome<T>(result: &cdx_ext::Result<T>) -> &'static str {
    use cdx_ext::Error as E;
    match result {
        Ok(_) => "Ok",
        Err(E::InvalidInput(_)) => "InvalidInput",
        Err(E::Unauthenticated(_)) => "Unauthenticated",
        Err(E::PermissionDenied(_)) => "PermissionDenied",
        Err(E::NotFound(_)) => "NotFound",
        Err(E::Conflict(_)) => "Conflict",
        Err(E::RateLimited(_)) => "RateLimited",
        Err(E::Server(_)) => "Server",
        Err(E::Rejected(_)) => "Rejected",
        Err(E::InvalidResponse(_)) => "InvalidResponse",
        Err(E::Timeout { .. }) => "Timeout",
        Err(E::Transport { .. }) => "Transport",
        Err(E::IncompleteRedemption(_)) => "IncompleteRedemption",
        Err(E::PaginationLoop { .. }) => "PaginationLoop",
        Err(other) => panic!("clients::outcome does not know {other:?}: add it"),
    }
}
