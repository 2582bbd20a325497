//! [`Operation`]: the API's operations, generated from the spec into cdx-client, and
//! [`OperationExt`], this crate's wording of each for messages.

pub use cdx_client::Operation;

/// What cdx-ext adds to [`Operation`]: the hand-written wording its messages use.
pub trait OperationExt {
    /// What the operation does, as a verb phrase for messages ("redeem a share token"). Worded
    /// by hand for the operations this crate knows; an operation new in the spec reads as its
    /// summary until it gets wording here.
    fn action(self) -> &'static str;
}

impl OperationExt for Operation {
    fn action(self) -> &'static str {
        use Operation as O;
        match self {
            O::ListProviderSharedResources => "list provider shared resources",
            O::GetProviderSharedResource => "get a provider shared resource",
            O::UpdateProviderSharedResource => "update a provider shared resource",
            O::UploadImageProviderSharedResource => "upload a shared resource image",
            O::ViewImageProviderSharedResource => "view a shared resource image",
            O::DeleteImageProviderSharedResource => "delete a shared resource image",
            O::ListProviderShares => "list provider shares",
            O::CreateProviderShare => "invite a consumer (create a provider share)",
            O::GetProviderShare => "get a provider share",
            O::DeleteProviderShare => "revoke (delete) a provider share",
            O::ResendProviderShare => "resend an invitation",
            O::ListConsumerSharedResources => "list consumer shared resources",
            O::GetConsumerSharedResource => "get a consumer shared resource",
            O::ImageConsumerSharedResource => "get a consumer shared resource image",
            O::NetworkConsumerSharedResource => "get a shared resource's network",
            O::ListConsumerShares => "list consumer shares",
            O::GetConsumerShare => "get a consumer share",
            O::DeleteConsumerShare => "delete a consumer share",
            O::ResourcesSharedToken => "inspect a share token",
            O::RedeemSharedToken => "redeem a share token",
            O::GetOptIn => "get the Stream Sharing opt-in",
            O::UpdateOptIn => "set the Stream Sharing opt-in",
            other => other.summary_phrase(),
        }
    }
}
