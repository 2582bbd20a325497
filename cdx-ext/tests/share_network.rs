//! `Client::consumer_share_network`: a consumer share's network, found through its shared
//! resource, against the simulator.

use cdx_ext::types::CdxV1NetworkCloud;
use cdx_ext::{Client, ClientBuilder, Error, PrivateLinkAccount, ShareToken};
use cdx_sim::{SimConfig, Simulator};

fn consumer(sim: &Simulator) -> Client {
    let (key, secret) = &sim.config().consumer_key;
    ClientBuilder::new()
        .cloud_api_key(key, secret)
        .base_url(sim.base_url())
        .build()
        .unwrap()
}

/// Redeems a fresh invitation to `topic` on a cluster private on AWS, with `account` or none.
async fn redeemed(sim: &Simulator, topic: &str, account: Option<PrivateLinkAccount>) -> String {
    let email = sim.config().consumer_email.clone();
    let invite = sim.seed_invite(&email, &[topic], &[]);
    sim.set_network(&invite.shared_resource_id, "AWS");
    let token = ShareToken::new(&invite.token).unwrap();
    let redemption = consumer(sim)
        .redeem(&token, account.as_ref())
        .await
        .unwrap();
    redemption.share_id().to_string()
}

#[tokio::test]
async fn a_private_share_redeemed_from_its_cloud_has_the_link_details() {
    let sim = Simulator::start(SimConfig::default()).await;
    let account = PrivateLinkAccount::Aws("000000000000".parse().unwrap());
    let share = redeemed(&sim, "orders", Some(account)).await;
    let network = consumer(&sim)
        .consumer_share_network(&share)
        .await
        .unwrap()
        .expect("the share has a resource");
    assert!(
        matches!(network.cloud, Some(CdxV1NetworkCloud::AwsNetwork(_))),
        "{network:?}"
    );
    assert!(network.dns_domain.is_some(), "{network:?}");
}

#[tokio::test]
async fn a_private_share_redeemed_for_the_internet_gets_no_link_details() {
    let sim = Simulator::start(SimConfig::default()).await;
    let share = redeemed(&sim, "payments", None).await;
    let network = consumer(&sim)
        .consumer_share_network(&share)
        .await
        .unwrap()
        .expect("the share has a resource");
    assert!(network.cloud.is_none(), "{network:?}");
    assert!(network.dns_domain.is_some(), "{network:?}");
}

#[tokio::test]
async fn a_share_without_resources_has_no_network() {
    let sim = Simulator::start(SimConfig::default()).await;
    let network = consumer(&sim)
        .consumer_share_network("ss-99999")
        .await
        .unwrap();
    assert!(network.is_none(), "{network:?}");
}

#[tokio::test]
async fn an_empty_share_id_is_refused_before_anything_is_sent() {
    // Nothing listens on port 9 here: a request sent would fail as a connection error.
    let client = ClientBuilder::new()
        .cloud_api_key("key", "secret")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let error = client.consumer_share_network("  ").await.unwrap_err();
    assert!(matches!(error, Error::InvalidInput(_)), "{error}");
    assert!(error.to_string().contains("consumer share id"), "{error}");
}
