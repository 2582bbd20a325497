//! Provider operations: invitations (provider shares), shared resources, images, and the
//! organization's opt-in.

use crate::client::Client;
use crate::error::{InvalidInput, Result};
use crate::operation::Operation;
use crate::paging::{self, Page};
use crate::request::{Image, flag, page_token, read_image, require_id};
use crate::{ProviderShare, ProviderSharedResource};
use cdx_client::types;
use futures::Stream;

/// Filters for listing provider shares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderShareFilter {
    /// Only shares of this shared resource (`sr-…`).
    pub shared_resource: Option<String>,
    /// Only shares of the resource with this CRN.
    pub crn: Option<String>,
    /// Include revoked (DEACTIVATED) shares.
    pub include_deleted: bool,
}

/// Filters for listing provider shared resources.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderSharedResourceFilter {
    /// Only resources of this share (`ss-…`).
    pub stream_share: Option<String>,
    /// Only the resource with this CRN.
    pub crn: Option<String>,
    /// Include deactivated resources.
    pub include_deleted: bool,
}

/// Changes to a provider shared resource; `None` fields are left as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedResourceUpdate {
    /// The topic and subject CRNs shared together.
    pub resources: Option<Vec<String>>,
    /// The name consumers see.
    pub display_name: Option<String>,
    /// A description of your organization.
    pub organization_description: Option<String>,
    /// A contact email.
    pub organization_contact: Option<String>,
}

/// Checks an email address enough to catch typos before anything is sent.
fn require_email(email: &str) -> Result<&str, InvalidInput> {
    let email = email.trim();
    let ok = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(email)
    } else {
        Err(InvalidInput::new(
            "email",
            &format!("{email:?} is not an email address"),
        ))
    }
}

/// Checks CRNs as the spec describes them (`^crn://.+$`, one line) and parses them into the
/// generated type, naming the bad one.
fn crns<T: std::str::FromStr>(resources: &[impl AsRef<str>]) -> Result<Vec<T>, InvalidInput> {
    if resources.is_empty() {
        return Err(InvalidInput::new(
            "resources",
            "give at least one topic or subject CRN",
        ));
    }
    resources
        .iter()
        .map(|r| {
            let r = r.as_ref().trim();
            let is_crn = r.strip_prefix("crn://").is_some_and(|rest| !rest.is_empty())
                && !r.chars().any(char::is_control);
            is_crn.then(|| r.parse::<T>().ok()).flatten().ok_or_else(|| {
                InvalidInput::new("resource CRN", &format!("{r:?} is not a CRN; it looks like crn://confluent.cloud/organization=…/environment=env-…/schema-registry=lsrc-…/kafka=lkc-…/topic=orders"))
            })
        })
        .collect()
}

impl Client {
    /// One page of your organization's provider shares (invitations).
    pub async fn list_provider_shares(
        &self,
        filter: &ProviderShareFilter,
        page_token: Option<&str>,
    ) -> Result<Page<ProviderShare>> {
        let op = Operation::ListProviderShares;
        let token: Option<types::ListCdxV1ProviderSharesPageToken> = self::page_token(page_token)?;
        let (token, size) = (&token, self.page_size());
        self.page(op, move |c| async move {
            c.list_cdx_v1_provider_shares(
                filter.crn.as_deref(),
                flag(filter.include_deleted),
                Some(size),
                token.as_ref(),
                filter.shared_resource.as_deref(),
            )
            .await
        })
        .await
    }

    /// Every provider share, across all pages, fetched a page at a time. A page that fails ends the
    /// stream with its error. The stream is `Unpin`: `.next().await` needs no pinning.
    pub fn provider_shares<'a>(
        &'a self,
        filter: &'a ProviderShareFilter,
    ) -> impl Stream<Item = Result<ProviderShare>> + Unpin + 'a {
        paging::items(Operation::ListProviderShares, move |token| async move {
            self.list_provider_shares(filter, token.as_deref()).await
        })
    }

    /// A provider share by id (`ss-…`).
    pub async fn get_provider_share(&self, id: &str) -> Result<ProviderShare> {
        let id = require_id("provider share id", id)?;
        self.fetch(Operation::GetProviderShare, move |c| async move {
            c.get_cdx_v1_provider_share(id).await
        })
        .await
    }

    /// Invites `email` to the given topic and subject CRNs: the consumer receives a single-use
    /// token by email.
    pub async fn invite(
        &self,
        email: &str,
        resources: &[impl AsRef<str>],
    ) -> Result<ProviderShare> {
        let email = require_email(email)?;
        let body = types::CdxV1CreateProviderShareRequest {
            consumer_restriction: types::CdxV1CreateProviderShareRequestConsumerRestriction::Email(
                types::CdxV1EmailConsumerRestriction {
                    email: Some(email.to_string()),
                    kind: types::CdxV1EmailConsumerRestrictionKind::Email,
                    extra: Default::default(),
                },
            ),
            delivery_method: types::CdxV1CreateProviderShareRequestDeliveryMethod::Email,
            resources: crns(resources)?,
        };
        let body = &body;
        self.fetch(Operation::CreateProviderShare, move |c| async move {
            c.create_cdx_v1_provider_share(body).await
        })
        .await
    }

    /// Revokes a provider share: its token, or its consumer's credentials, stop working.
    pub async fn delete_provider_share(&self, id: &str) -> Result<()> {
        let id = require_id("provider share id", id)?;
        self.call(Operation::DeleteProviderShare, move |c| async move {
            c.delete_cdx_v1_provider_share(id).await
        })
        .await?;
        Ok(())
    }

    /// Sends the invitation email again (while it is not yet redeemed).
    pub async fn resend_invite(&self, id: &str) -> Result<()> {
        let id = require_id("provider share id", id)?;
        self.call(Operation::ResendProviderShare, move |c| async move {
            c.resend_cdx_v1_provider_share(id).await
        })
        .await?;
        Ok(())
    }

    /// One page of your organization's shared resources.
    pub async fn list_provider_shared_resources(
        &self,
        filter: &ProviderSharedResourceFilter,
        page_token: Option<&str>,
    ) -> Result<Page<ProviderSharedResource>> {
        let op = Operation::ListProviderSharedResources;
        let token: Option<types::ListCdxV1ProviderSharedResourcesPageToken> =
            self::page_token(page_token)?;
        let (token, size) = (&token, self.page_size());
        self.page(op, move |c| async move {
            c.list_cdx_v1_provider_shared_resources(
                filter.crn.as_deref(),
                flag(filter.include_deleted),
                Some(size),
                token.as_ref(),
                filter.stream_share.as_deref(),
            )
            .await
        })
        .await
    }

    /// Every provider shared resource, across all pages, fetched a page at a time. A page that
    /// fails ends the stream with its error. The stream is `Unpin`: `.next().await` needs no
    /// pinning.
    pub fn provider_shared_resources<'a>(
        &'a self,
        filter: &'a ProviderSharedResourceFilter,
    ) -> impl Stream<Item = Result<ProviderSharedResource>> + Unpin + 'a {
        paging::items(
            Operation::ListProviderSharedResources,
            move |token| async move {
                self.list_provider_shared_resources(filter, token.as_deref())
                    .await
            },
        )
    }

    /// A provider shared resource by id (`sr-…`).
    pub async fn get_provider_shared_resource(&self, id: &str) -> Result<ProviderSharedResource> {
        let id = require_id("shared resource id", id)?;
        self.fetch(Operation::GetProviderSharedResource, move |c| async move {
            c.get_cdx_v1_provider_shared_resource(id).await
        })
        .await
    }

    /// Changes a provider shared resource (only the fields that are `Some`).
    pub async fn update_provider_shared_resource(
        &self,
        id: &str,
        update: &SharedResourceUpdate,
    ) -> Result<ProviderSharedResource> {
        let id = require_id("shared resource id", id)?;
        if update == &SharedResourceUpdate::default() {
            return Err(
                InvalidInput::new("update", "it changes nothing; set at least one field").into(),
            );
        }
        let contact = update
            .organization_contact
            .as_deref()
            .map(require_email)
            .transpose()?;
        let body = types::CdxV1ProviderSharedResourceUpdate {
            display_name: update.display_name.clone(),
            organization_contact: contact.map(str::to_string),
            organization_description: update.organization_description.clone(),
            resources: update
                .resources
                .as_deref()
                .map(crns)
                .transpose()?
                .unwrap_or_default(),
        };
        let body = &body;
        self.fetch(
            Operation::UpdateProviderSharedResource,
            move |c| async move { c.update_cdx_v1_provider_shared_resource(id, body).await },
        )
        .await
    }

    /// Uploads an image (PNG, JPEG, GIF, WebP or SVG, told apart by its bytes) as the shared
    /// resource's `file_name` (e.g. `logo`).
    pub async fn upload_shared_resource_image(
        &self,
        id: &str,
        file_name: &str,
        image: Vec<u8>,
    ) -> Result<()> {
        let id = require_id("shared resource id", id)?;
        let file_name = require_id("image file name", file_name)?;
        if cdx_client::image_content_type(&image).is_none() {
            return Err(InvalidInput::new(
                "image",
                "it is not a PNG, JPEG, GIF, WebP or SVG image",
            )
            .into());
        }
        let image = &image;
        self.call(
            Operation::UploadImageProviderSharedResource,
            move |c| async move {
                c.upload_image_cdx_v1_provider_shared_resource(id, file_name, image.clone())
                    .await
            },
        )
        .await?;
        Ok(())
    }

    /// A shared resource's image.
    pub async fn shared_resource_image(&self, id: &str, file_name: &str) -> Result<Image> {
        let op = Operation::ViewImageProviderSharedResource;
        let id = require_id("shared resource id", id)?;
        let file_name = require_id("image file name", file_name)?;
        let response = self
            .call(op, move |c| async move {
                c.view_image_cdx_v1_provider_shared_resource(id, file_name)
                    .await
            })
            .await?;
        read_image(op, response, self.max_response_bytes()).await
    }

    /// Deletes a shared resource's image.
    pub async fn delete_shared_resource_image(&self, id: &str, file_name: &str) -> Result<()> {
        let id = require_id("shared resource id", id)?;
        let file_name = require_id("image file name", file_name)?;
        self.call(
            Operation::DeleteImageProviderSharedResource,
            move |c| async move {
                c.delete_image_cdx_v1_provider_shared_resource(id, file_name)
                    .await
            },
        )
        .await?;
        Ok(())
    }

    /// Whether your organization takes part in Stream Sharing.
    pub async fn opt_in(&self) -> Result<bool> {
        let opt_in = self
            .fetch(Operation::GetOptIn, move |c| async move {
                c.get_cdx_v1_opt_in().await
            })
            .await?;
        Ok(opt_in.stream_share_enabled.unwrap_or(false))
    }

    /// Opts your organization in to (`true`) or out of (`false`) Stream Sharing. Opting out makes
    /// existing shares inaccessible. Returns the new setting.
    pub async fn set_opt_in(&self, enabled: bool) -> Result<bool> {
        let body = types::CdxV1OptIn {
            api_version: None,
            kind: None,
            stream_share_enabled: Some(enabled),
            extra: Default::default(),
        };
        let body = &body;
        let opt_in = self
            .fetch(Operation::UpdateOptIn, move |c| async move {
                c.update_cdx_v1_opt_in(body).await
            })
            .await?;
        Ok(opt_in.stream_share_enabled.unwrap_or(enabled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crns_are_checked_as_the_spec_describes_them() {
        type Item = types::CdxV1CreateProviderShareRequestResourcesItem;
        let ok: Vec<Item> = crns(&[" crn://confluent.cloud/kafka=lkc-1/topic=orders "]).unwrap();
        assert_eq!(
            ok[0].as_str(),
            "crn://confluent.cloud/kafka=lkc-1/topic=orders"
        );
        for bad in ["orders", "crn://", "https://x", "crn://a\nb"] {
            let err = crns::<Item>(&[bad]).unwrap_err();
            assert_eq!(err.what, "resource CRN", "{bad:?}");
        }
        assert_eq!(crns::<Item>(&[] as &[&str]).unwrap_err().what, "resources");
    }
}
