//! # cdx-ext: Confluent Cloud Stream Sharing, made short and safe
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
pub mod config;
mod consumer;
mod error;
pub mod file;
mod operation;
mod paging;
mod private_link;
mod provider;
mod redemption;
mod retry;
mod token;

pub use cdx_client::types;
/// A credential whose `Debug` and `Display` are redacted; read it with `expose_secret()`.
pub use cdx_client::types::Secret;
pub use client::{
    Client, ClientBuilder, Credentials, DEFAULT_API_URL, ENV_API_KEY, ENV_API_SECRET, ENV_API_URL,
    USER_AGENT,
};
pub use consumer::{ConsumerShareFilter, ConsumerSharedResourceFilter, Image};
pub use error::{ApiError, ApiErrorDetail, Error, InvalidInput, InvalidResponse, Result};
pub use operation::Operation;
pub use paging::Page;
pub use private_link::{AwsAccountId, AzureSubscriptionId, GcpProjectId, PrivateLinkAccount};
pub use provider::{ProviderShareFilter, ProviderSharedResourceFilter, SharedResourceUpdate};
pub use redemption::{BootstrapServer, IncompleteRedemption, Redemption, SchemaRegistryAccess};
pub use retry::{RetryNotice, RetryPolicy};
pub use token::ShareToken;

/// A share offered to, or redeemed by, your organization.
pub type ConsumerShare = types::CdxV1ConsumerShare;
/// A data stream shared with your organization.
pub type ConsumerSharedResource = types::CdxV1ConsumerSharedResource;
/// A shared cluster's network, for private connectivity.
pub type Network = types::CdxV1Network;
/// An invitation your organization sent.
pub type ProviderShare = types::CdxV1ProviderShare;
/// A data stream your organization shares.
pub type ProviderSharedResource = types::CdxV1ProviderSharedResource;
