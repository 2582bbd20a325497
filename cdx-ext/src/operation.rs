//! [`Operation`]: the API's 22 operations, with what the retry layer and messages need to know.

use std::fmt;

macro_rules! operations {
    ($( $variant:ident => $id:literal, $method:literal, $action:literal; )*) => {
        /// One operation of the cdx/v1 API.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $( #[doc = concat!("`", $method, "`: ", $action, ".")] $variant, )*
        }

        impl Operation {
            /// Every operation.
            pub const ALL: &'static [Operation] = &[$(Operation::$variant,)*];

            /// The generated client's operation id (snake case of the spec's `operationId`).
            pub fn id(self) -> &'static str {
                match self { $( Self::$variant => $id, )* }
            }

            /// The HTTP method.
            pub fn method(self) -> &'static str {
                match self { $( Self::$variant => $method, )* }
            }

            /// What the operation does, as a verb phrase for messages ("redeem a share token").
            pub fn action(self) -> &'static str {
                match self { $( Self::$variant => $action, )* }
            }
        }
    };
}

operations! {
    ListProviderSharedResources => "list_cdx_v1_provider_shared_resources", "GET", "list provider shared resources";
    GetProviderSharedResource => "get_cdx_v1_provider_shared_resource", "GET", "get a provider shared resource";
    UpdateProviderSharedResource => "update_cdx_v1_provider_shared_resource", "PATCH", "update a provider shared resource";
    UploadProviderSharedResourceImage => "upload_image_cdx_v1_provider_shared_resource", "POST", "upload a shared resource image";
    ViewProviderSharedResourceImage => "view_image_cdx_v1_provider_shared_resource", "GET", "view a shared resource image";
    DeleteProviderSharedResourceImage => "delete_image_cdx_v1_provider_shared_resource", "DELETE", "delete a shared resource image";
    ListProviderShares => "list_cdx_v1_provider_shares", "GET", "list provider shares";
    CreateProviderShare => "create_cdx_v1_provider_share", "POST", "invite a consumer (create a provider share)";
    GetProviderShare => "get_cdx_v1_provider_share", "GET", "get a provider share";
    DeleteProviderShare => "delete_cdx_v1_provider_share", "DELETE", "revoke (delete) a provider share";
    ResendProviderShare => "resend_cdx_v1_provider_share", "POST", "resend an invitation";
    ListConsumerSharedResources => "list_cdx_v1_consumer_shared_resources", "GET", "list consumer shared resources";
    GetConsumerSharedResource => "get_cdx_v1_consumer_shared_resource", "GET", "get a consumer shared resource";
    ConsumerSharedResourceImage => "image_cdx_v1_consumer_shared_resource", "GET", "get a consumer shared resource image";
    ConsumerSharedResourceNetwork => "network_cdx_v1_consumer_shared_resource", "GET", "get a shared resource's network";
    ListConsumerShares => "list_cdx_v1_consumer_shares", "GET", "list consumer shares";
    GetConsumerShare => "get_cdx_v1_consumer_share", "GET", "get a consumer share";
    DeleteConsumerShare => "delete_cdx_v1_consumer_share", "DELETE", "delete a consumer share";
    InspectSharedToken => "resources_cdx_v1_shared_token", "POST", "inspect a share token";
    RedeemSharedToken => "redeem_cdx_v1_shared_token", "POST", "redeem a share token";
    GetOptIn => "get_cdx_v1_opt_in", "GET", "get the Stream Sharing opt-in";
    UpdateOptIn => "update_cdx_v1_opt_in", "PATCH", "set the Stream Sharing opt-in";
}

impl Operation {
    /// GET and DELETE: sending them twice has the effect of sending them once, so they may be
    /// retried after any transient failure.
    pub fn is_idempotent(self) -> bool {
        matches!(self.method(), "GET" | "DELETE")
    }

    /// Whether the request body carries a share token.
    pub fn uses_share_token(self) -> bool {
        matches!(self, Self::InspectSharedToken | Self::RedeemSharedToken)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
