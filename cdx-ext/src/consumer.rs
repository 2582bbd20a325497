//! Consumer operations: shares offered to you, their resources and networks, and share tokens.

use crate::answer::{self, RedeemAnswer};
use crate::client::Client;
use crate::error::Result;
use crate::invalid_input::InvalidInput;
use crate::operation::Operation;
use crate::paging::{self, Page};
use crate::private_link::PrivateLinkAccount;
use crate::reach::Reach;
use crate::redemption::Redemption;
use crate::request::{Image, flag, page_token, read_image, require_id};
use crate::token::ShareToken;
use crate::{ConsumerShare, ConsumerSharedResource, Network};
use cdx_client::types;
use futures::Stream;

/// Filters for listing consumer shares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerShareFilter {
    /// Only shares of this shared resource (`sr-…`).
    pub shared_resource: Option<String>,
    /// Include deleted and revoked (DEACTIVATED) shares.
    pub include_deleted: bool,
}

/// Filters for listing consumer shared resources.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerSharedResourceFilter {
    /// Only resources of this share (`ss-…`).
    pub stream_share: Option<String>,
    /// Include deactivated resources.
    pub include_deleted: bool,
}

impl Client {
    /// One page of the shares offered to, or redeemed by, your organization.
    pub async fn list_consumer_shares(
        &self,
        filter: &ConsumerShareFilter,
        page_token: Option<&str>,
    ) -> Result<Page<ConsumerShare>> {
        let op = Operation::ListConsumerShares;
        let token: Option<types::ListCdxV1ConsumerSharesPageToken> = self::page_token(page_token)?;
        let (token, size) = (&token, self.page_size());
        self.page(op, move |c| async move {
            c.list_cdx_v1_consumer_shares(
                flag(filter.include_deleted),
                Some(size),
                token.as_ref(),
                filter.shared_resource.as_deref(),
            )
            .await
        })
        .await
    }

    /// Every consumer share, across all pages, fetched a page at a time. A page that fails ends the
    /// stream with its error. The stream is `Unpin`: `.next().await` needs no pinning.
    pub fn consumer_shares<'a>(
        &'a self,
        filter: &'a ConsumerShareFilter,
    ) -> impl Stream<Item = Result<ConsumerShare>> + Unpin + 'a {
        paging::items(Operation::ListConsumerShares, move |token| async move {
            self.list_consumer_shares(filter, token.as_deref()).await
        })
    }

    /// A consumer share by id (`ss-…`).
    pub async fn get_consumer_share(&self, id: &str) -> Result<ConsumerShare> {
        let id = require_id("consumer share id", id)?;
        self.fetch(Operation::GetConsumerShare, move |c| async move {
            c.get_cdx_v1_consumer_share(id).await
        })
        .await
    }

    /// Deletes a consumer share: its credentials stop working.
    pub async fn delete_consumer_share(&self, id: &str) -> Result<()> {
        let id = require_id("consumer share id", id)?;
        self.call(Operation::DeleteConsumerShare, move |c| async move {
            c.delete_cdx_v1_consumer_share(id).await
        })
        .await?;
        Ok(())
    }

    /// One page of the resources shared with your organization.
    pub async fn list_consumer_shared_resources(
        &self,
        filter: &ConsumerSharedResourceFilter,
        page_token: Option<&str>,
    ) -> Result<Page<ConsumerSharedResource>> {
        let op = Operation::ListConsumerSharedResources;
        let token: Option<types::ListCdxV1ConsumerSharedResourcesPageToken> =
            self::page_token(page_token)?;
        let (token, size) = (&token, self.page_size());
        self.page(op, move |c| async move {
            c.list_cdx_v1_consumer_shared_resources(
                flag(filter.include_deleted),
                Some(size),
                token.as_ref(),
                filter.stream_share.as_deref(),
            )
            .await
        })
        .await
    }

    /// Every consumer shared resource, across all pages, fetched a page at a time. A page that
    /// fails ends the stream with its error. The stream is `Unpin`: `.next().await` needs no
    /// pinning.
    pub fn consumer_shared_resources<'a>(
        &'a self,
        filter: &'a ConsumerSharedResourceFilter,
    ) -> impl Stream<Item = Result<ConsumerSharedResource>> + Unpin + 'a {
        paging::items(
            Operation::ListConsumerSharedResources,
            move |token| async move {
                self.list_consumer_shared_resources(filter, token.as_deref())
                    .await
            },
        )
    }

    /// A consumer shared resource by id (`sr-…`).
    pub async fn get_consumer_shared_resource(&self, id: &str) -> Result<ConsumerSharedResource> {
        let id = require_id("shared resource id", id)?;
        self.fetch(Operation::GetConsumerSharedResource, move |c| async move {
            c.get_cdx_v1_consumer_shared_resource(id).await
        })
        .await
    }

    /// The network of a shared resource's cluster: what a private-link connection needs (DNS
    /// domain, zones, and the endpoint service, aliases or attachments of its cloud).
    pub async fn consumer_shared_resource_network(&self, id: &str) -> Result<Network> {
        let id = require_id("shared resource id", id)?;
        self.fetch(
            Operation::NetworkConsumerSharedResource,
            move |c| async move { c.network_cdx_v1_consumer_shared_resource(id).await },
        )
        .await
    }

    /// The network of a consumer share's cluster (`ss-…`), found through the share's first
    /// shared resource: two requests, the resource list filtered by the share, then that
    /// resource's network. `Ok(None)` when the share has no (active) resource. The network's
    /// `cloud` holds the private-link details, present only for a private cluster redeemed with
    /// an account of the cluster's cloud; `dns_domain` without `cloud` means a private cluster
    /// whose details this account does not get.
    pub async fn consumer_share_network(&self, share_id: &str) -> Result<Option<Network>> {
        let share_id = require_id("consumer share id", share_id)?;
        let filter = ConsumerSharedResourceFilter {
            stream_share: Some(share_id.to_string()),
            include_deleted: false,
        };
        let page = self.list_consumer_shared_resources(&filter, None).await?;
        let Some(id) = page.items.first().and_then(|r| r.id.as_deref()) else {
            return Ok(None);
        };
        Ok(Some(self.consumer_shared_resource_network(id).await?))
    }

    /// A shared resource's image (e.g. `file_name` `logo`).
    pub async fn consumer_shared_resource_image(&self, id: &str, file_name: &str) -> Result<Image> {
        let op = Operation::ImageConsumerSharedResource;
        let id = require_id("shared resource id", id)?;
        let file_name = require_id("image file name", file_name)?;
        let response = self
            .call(op, move |c| async move {
                c.image_cdx_v1_consumer_shared_resource(id, file_name).await
            })
            .await?;
        read_image(op, response, self.max_response_bytes()).await
    }

    /// What a token shares (topics, subjects, provider), without spending it.
    pub async fn inspect_token(&self, token: &ShareToken) -> Result<Vec<ConsumerSharedResource>> {
        let body = types::CdxV1SharedToken {
            token: token.as_secret().clone(),
        };
        let body = &body;
        let resources = self
            .fetch(Operation::ResourcesSharedToken, move |c| async move {
                c.resources_cdx_v1_shared_token(body).await
            })
            .await
            .map_err(|e| e.scrub(token.expose_secret()))?;
        Ok(resources.consumer_shared_resources)
    }

    /// How the resources a token shares can be reached ([`Reach`]), without spending it: ask
    /// this before a redeem without a cloud account, which gives credentials for public
    /// endpoints only. One request, [`Client::inspect_token`]'s.
    pub async fn token_reach(&self, token: &ShareToken) -> Result<Reach> {
        Ok(Reach::of(&self.inspect_token(token).await?))
    }

    /// Redeems a token, once: over the public internet (`account: None`) or over private
    /// networking from the given cloud account. Sends exactly the token and that one account
    /// field.
    ///
    /// A token is single-use. This request is retried only when it provably never reached the
    /// server (a 429, a refused connection); after any other failure the token may be spent,
    /// and the error says so. To keep the answer even when it does not decode, use
    /// [`Client::redeem_answer`].
    pub async fn redeem(
        &self,
        token: &ShareToken,
        account: Option<&PrivateLinkAccount>,
    ) -> Result<Redemption> {
        self.redeem_answer(token, account).await?.decode()
    }

    /// Redeems a token as [`Client::redeem`] does, returning the successful answer undecoded:
    /// save [`RedeemAnswer::expose_body`] before [`RedeemAnswer::decode`], and nothing the
    /// spent token returned can be lost. The body is read up to
    /// [`crate::ClientBuilder::max_response_bytes`].
    pub async fn redeem_answer(
        &self,
        token: &ShareToken,
        account: Option<&PrivateLinkAccount>,
    ) -> Result<RedeemAnswer> {
        let mut body = types::CdxV1RedeemTokenRequest {
            token: token.as_secret().clone(),
            aws_account: None,
            azure_subscription: None,
            gcp_project: None,
        };
        match account {
            None => {}
            Some(PrivateLinkAccount::Aws(id)) => body.aws_account = Some(id.to_string()),
            Some(PrivateLinkAccount::Azure(id)) => body.azure_subscription = Some(id.to_string()),
            Some(PrivateLinkAccount::Gcp(id)) => {
                body.gcp_project = Some(
                    id.as_str()
                        .parse()
                        .map_err(|_| InvalidInput::new("GCP project ID", "it is empty"))?,
                )
            }
        }
        let (body, limit) = (&body, self.max_response_bytes());
        let response = self
            .call(Operation::RedeemSharedToken, move |c| async move {
                answer::send(&c, body, limit).await
            })
            .await
            .map_err(|e| e.scrub(token.expose_secret()))?;
        Ok(RedeemAnswer::new(response, limit))
    }
}
