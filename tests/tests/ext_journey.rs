//! Every cdx/v1 operation through cdx-ext against the simulator: the provider and consumer
//! journeys, the bodies sent, and input rejected before anything is sent.

use cdx_ext::Operation;
use cdx_ext::{
    ConsumerShareFilter, ConsumerSharedResourceFilter, Error, PrivateLinkAccount,
    ProviderShareFilter, ProviderSharedResourceFilter, ShareToken, SharedResourceUpdate,
};
use cdx_sim::{SimConfig, Simulator};
use cdx_tests::clients::{consumer, provider};
use futures::TryStreamExt as _;
use serde_json::{Value, json};

const TOPIC: &str = "crn://confluent.cloud/organization=org-1/environment=env-1/schema-registry=lsrc-1/kafka=lkc-1/topic=orders";
const SUBJECT: &str = "crn://confluent.cloud/organization=org-1/environment=env-1/schema-registry=lsrc-1/subject=orders-value";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// Every item of a listing.
async fn listed<T>(items: impl futures::Stream<Item = cdx_ext::Result<T>>) -> Vec<T> {
    items.try_collect().await.unwrap()
}

/// A share's `status.phase`, whichever side's share it is.
fn phase(share: &impl serde::Serialize) -> String {
    let v = serde_json::to_value(share).unwrap();
    v["status"]["phase"].as_str().expect("a phase").to_string()
}

fn body(sim: &Simulator, operation_id: Operation) -> Value {
    let request = sim
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.operation_id == Some(operation_id))
        .expect("request sent");
    serde_json::from_slice(&request.body).expect("JSON body")
}

#[tokio::test]
async fn provider_journey_invite_list_resend_update_images_revoke() {
    let sim = Simulator::start(SimConfig::default()).await;
    let p = provider(&sim);

    assert!(
        !p.opt_in().await.unwrap(),
        "a new organization has not opted in"
    );
    assert!(p.set_opt_in(true).await.unwrap());
    assert!(p.opt_in().await.unwrap());

    let share = p
        .invite("jane.doe@example.com", &[TOPIC, SUBJECT])
        .await
        .unwrap();
    let share_id = share.id.clone().unwrap();
    assert_eq!(
        body(&sim, Operation::CreateProviderShare),
        json!({"consumer_restriction": {"email": "jane.doe@example.com", "kind": "Email"}, "delivery_method": "EMAIL", "resources": [TOPIC, SUBJECT]})
    );
    // Inviting the same email again while the invitation is open conflicts.
    assert!(matches!(
        p.invite("jane.doe@example.com", &[TOPIC]).await,
        Err(Error::Conflict(_))
    ));

    let shares = listed(p.provider_shares(&ProviderShareFilter::default())).await;
    assert_eq!(
        shares
            .iter()
            .filter_map(|s| s.id.as_deref())
            .collect::<Vec<_>>(),
        [share_id.as_str()]
    );
    assert_eq!(
        phase(&p.get_provider_share(&share_id).await.unwrap()),
        "INVITED"
    );
    p.resend_invite(&share_id).await.unwrap();
    assert_eq!(sim.count(Operation::ResendProviderShare), 1);

    let resources =
        listed(p.provider_shared_resources(&ProviderSharedResourceFilter::default())).await;
    let sr = resources[0].id.clone().unwrap();
    let updated = p
        .update_provider_shared_resource(
            &sr,
            &SharedResourceUpdate {
                display_name: Some("Orders".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("Orders"));
    assert_eq!(
        body(&sim, Operation::UpdateProviderSharedResource),
        json!({"display_name": "Orders"}),
        "merge-patch: only what changes"
    );
    assert_eq!(
        p.get_provider_shared_resource(&sr)
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("Orders")
    );

    p.upload_shared_resource_image(&sr, "logo", PNG.to_vec())
        .await
        .unwrap();
    let upload = sim
        .requests()
        .into_iter()
        .find(|r| r.operation_id == Some(Operation::UploadImageProviderSharedResource))
        .unwrap();
    let content_type = upload
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    assert_eq!(
        content_type.as_deref(),
        Some("image/png"),
        "the real image type, not octet-stream"
    );
    let image = p.shared_resource_image(&sr, "logo").await.unwrap();
    assert_eq!(
        (image.bytes.as_slice(), image.content_type.as_deref()),
        (PNG, Some("image/png"))
    );
    p.delete_shared_resource_image(&sr, "logo").await.unwrap();
    assert!(matches!(
        p.shared_resource_image(&sr, "logo").await,
        Err(Error::NotFound(_))
    ));

    p.delete_provider_share(&share_id).await.unwrap();
    let open = listed(p.provider_shares(&ProviderShareFilter::default())).await;
    assert!(open.is_empty(), "revoked shares are hidden by default");
    let all = listed(p.provider_shares(&ProviderShareFilter {
        include_deleted: true,
        ..Default::default()
    }))
    .await;
    assert_eq!(phase(&all[0]), "DEACTIVATED");
    assert!(matches!(
        p.resend_invite("ss-missing").await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn consumer_journey_list_inspect_redeem_once_network_images_delete() {
    let sim = Simulator::start(SimConfig::default()).await;
    let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &["orders-value"]);
    let c = consumer(&sim);
    let token = ShareToken::new(&invite.token).unwrap();

    let offered = listed(c.consumer_shares(&ConsumerShareFilter::default())).await;
    assert_eq!(offered.len(), 1);
    assert_eq!(phase(&offered[0]), "INVITED");

    let resources = c.inspect_token(&token).await.unwrap();
    assert!(!resources.is_empty());
    assert_eq!(
        body(&sim, Operation::ResourcesSharedToken),
        json!({"token": invite.token})
    );

    let redemption = c.redeem(&token, None).await.unwrap();
    assert_eq!(
        body(&sim, Operation::RedeemSharedToken),
        json!({"token": invite.token}),
        "public redeem sends the token alone"
    );
    assert!(!redemption.bootstrap_server().to_string().contains("://"));
    assert_eq!(redemption.topics(), ["orders"]);
    assert_eq!(redemption.subjects(), ["orders-value"]);
    assert!(
        redemption
            .group_prefix()
            .unwrap()
            .starts_with("stream-share.")
    );
    assert!(redemption.schema_registry().is_some());

    let again = c.redeem(&token, None).await.unwrap_err();
    assert!(matches!(again, Error::Conflict(_)), "{again}");
    assert!(
        again.to_string().contains("already been redeemed"),
        "{again}"
    );
    assert_eq!(
        sim.count(Operation::RedeemSharedToken),
        2,
        "a 409 is not retried"
    );

    let share = c.get_consumer_share(redemption.share_id()).await.unwrap();
    assert_eq!(phase(&share), "ACTIVE");
    let filter = ConsumerSharedResourceFilter {
        stream_share: Some(redemption.share_id().into()),
        include_deleted: false,
    };
    let mine = listed(c.consumer_shared_resources(&filter)).await;
    let sr = mine[0].id.clone().unwrap();
    assert_eq!(
        c.get_consumer_shared_resource(&sr)
            .await
            .unwrap()
            .id
            .as_deref(),
        Some(sr.as_str())
    );
    let network = c.consumer_shared_resource_network(&sr).await.unwrap();
    assert!(
        network.cloud.is_none(),
        "a public cluster has no private-link details"
    );
    assert!(matches!(
        c.consumer_shared_resource_image(&sr, "logo").await,
        Err(Error::NotFound(_))
    ));

    c.delete_consumer_share(redemption.share_id())
        .await
        .unwrap();
    let active = listed(c.consumer_shares(&ConsumerShareFilter::default())).await;
    assert!(
        active
            .iter()
            .all(|s| s.id.as_deref() != Some(redemption.share_id()))
    );
    let unknown = ShareToken::new("no-such-token").unwrap();
    let err = c.redeem(&unknown, None).await.unwrap_err();
    assert!(
        matches!(err, Error::NotFound(_)) && err.to_string().contains("token was not found"),
        "{err}"
    );
}

#[tokio::test]
async fn private_link_redeem_sends_exactly_one_account_and_shows_the_network() {
    for (cloud, account, field, kind) in [
        ("AWS", "aws:000000000000", "aws_account", "AwsNetwork"),
        (
            "AZURE",
            "azure:00000000-0000-0000-0000-000000000000",
            "azure_subscription",
            "AzureNetwork",
        ),
        ("GCP", "gcp:my-project-123", "gcp_project", "GcpNetwork"),
    ] {
        let sim = Simulator::start(SimConfig::default()).await;
        let invite = sim.seed_invite("jane.doe@example.com", &["orders"], &[]);
        sim.set_network(&invite.shared_resource_id, cloud);
        let c = consumer(&sim);
        let account: PrivateLinkAccount = account.parse().unwrap();
        let redemption = c
            .redeem(&ShareToken::new(&invite.token).unwrap(), Some(&account))
            .await
            .unwrap();
        let sent = body(&sim, Operation::RedeemSharedToken);
        assert_eq!(
            sent,
            json!({"token": invite.token, field: account.id()}),
            "{cloud}: the token and exactly one account field"
        );

        let filter = ConsumerSharedResourceFilter {
            stream_share: Some(redemption.share_id().into()),
            include_deleted: false,
        };
        let sr = c
            .list_consumer_shared_resources(&filter, None)
            .await
            .unwrap()
            .items[0]
            .id
            .clone()
            .unwrap();
        let network = c.consumer_shared_resource_network(&sr).await.unwrap();
        assert_eq!(
            network.cloud.as_ref().and_then(|n| n.kind()),
            Some(kind),
            "{cloud}"
        );
    }
}

#[tokio::test]
async fn invalid_input_is_rejected_before_anything_is_sent() {
    let sim = Simulator::start(SimConfig::default()).await;
    let c = consumer(&sim);
    let p = provider(&sim);
    for bad in [
        "aws:12345",
        "azure:not-a-uuid",
        "gcp:Bad_Project",
        "oracle:1",
    ] {
        assert!(bad.parse::<PrivateLinkAccount>().is_err(), "{bad}");
    }
    assert!(ShareToken::new("  ").is_err());
    assert!(matches!(
        c.get_consumer_share("").await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        c.consumer_shared_resource_network(" ").await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        p.invite("not-an-email", &[TOPIC]).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        p.invite("a@example.com", &["orders"]).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        p.invite("a@example.com", &[] as &[&str]).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        p.upload_shared_resource_image("sr-1", "logo", b"not an image".to_vec())
            .await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        p.update_provider_shared_resource("sr-1", &SharedResourceUpdate::default())
            .await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        c.list_consumer_shares(&ConsumerShareFilter::default(), Some(&"x".repeat(300)))
            .await,
        Err(Error::InvalidInput(_))
    ));
    assert!(
        sim.requests().is_empty(),
        "nothing reached the server: {:?}",
        sim.requests().len()
    );
}

#[tokio::test]
async fn authentication_failures_are_typed_and_explained() {
    let sim = Simulator::start(SimConfig::default()).await;
    let wrong = cdx_tests::clients::consumer_builder(&sim)
        .cloud_api_key("CONSUMERKEY", "wrong-secret")
        .build()
        .unwrap();
    let err = wrong
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthenticated(_)), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("CONFLUENT_CLOUD_API_KEY")
            && text.to_lowercase().contains("the api key is invalid")
            && text.contains("request id"),
        "{text}"
    );
    assert!(!text.contains("wrong-secret"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(err.request_id().is_some());

    // Bearer tokens are accepted on provider operations.
    let bearer = cdx_ext::Client::builder()
        .access_token("provider-access-token")
        .base_url(sim.base_url())
        .build()
        .unwrap();
    bearer.opt_in().await.unwrap();
}
