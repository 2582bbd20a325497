//! # cdx-ext: Confluent Cloud Stream Sharing, made short and safe
//!
//! A client for the `cdx/v1` API built on the generated [`cdx_client`]: a consumer lists the
//! shares sent to them, inspects a token before spending it, redeems it (publicly or over private
//! networking) and renders a Kafka client configuration file; a provider invites, lists, resends
//! and revokes.
//!
//! ```no_run
//! use cdx_ext::{Client, ConsumerShareFilter, ShareToken};
//! use futures::TryStreamExt as _;
//!
//! # async fn run() -> cdx_ext::Result<()> {
//! // From CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET (CDX_API_URL overrides the URL).
//! let client = Client::from_env()?;
//! // Every page, as one stream.
//! let shares: Vec<_> = client.consumer_shares(&ConsumerShareFilter::default()).try_collect().await?;
//! println!("{} shares", shares.len());
//!
//! let token = ShareToken::new("token-from-the-email")?;
//! let resources = client.inspect_token(&token).await?; // does not spend it
//! let redemption = client.redeem(&token, None).await?; // spends it, once
//! println!("{} resources; connect to {}", resources.len(), redemption.bootstrap_server());
//! # Ok(())
//! # }
//! ```
//!
//! ## Errors
//! Every failure is an [`Error`]: one sentence saying what happened and what to do, then the API's
//! details and the `X-Request-Id`. Cases are matchable (`Unauthenticated`, `NotFound`,
//! `Conflict`, `RateLimited`, `InvalidResponse`, ...) and input is checked before anything is
//! sent ([`Error::InvalidInput`]).
//!
//! ## Retries and single-use tokens
//! See [`RetryPolicy`]: rate-limited requests wait as the server asks (`Retry-After`, else
//! `X-RateLimit-Reset`); GET and DELETE also retry after 502/503/504 and broken connections. A
//! redeem is resent only when it provably never reached the server (a 429, a refused
//! connection): a share token is single-use. When a redeem's outcome is unknown (a 5xx, an
//! unreadable answer, a timeout, a connection broken after sending; see
//! [`Error::outcome_unknown`]) the error says the token may be spent. Redirects are never
//! followed, so credentials and tokens go only to the configured base URL.
//!
//! ## Checking a share before writing an application
//! With the `kafka` feature, [`kafka::check()`] walks from a redemption or a configuration file
//! to the data (DNS, TCP, TLS, SASL/PLAIN, topics, consumer group, Schema Registry) and returns
//! a typed report, and [`kafka::peek()`] reads a few records without a consumer group.
//!
//! ## Secrets
//! API secrets, Kafka and Schema Registry secrets and share tokens are [`Secret`] or
//! [`ShareToken`]: their `Debug` and `Display` are redacted, errors and traces never hold them,
//! and the `Authorization` header is marked sensitive. `expose_secret()` is the one way to read
//! them. `tracing` spans (`cdx`: operation id, method, and the attempt, status, request id and
//! elapsed time of the latest attempt) and per-attempt events (the same, plus the path) are
//! safe to log at any level.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod answer;
mod client;
pub mod config;
mod consumer;
mod env;
mod error;
pub mod file;
#[cfg(test)]
mod fixtures;
mod headers;
mod invalid_input;
#[cfg(feature = "kafka")]
pub mod kafka;
mod operation;
mod paging;
mod private_link;
mod provider;
mod reach;
mod redemption;
mod request;
mod retry;
mod token;
mod wording;

pub use answer::RedeemAnswer;
pub use cdx_client::types;
/// A credential whose `Debug` and `Display` are redacted; read it with `expose_secret()`.
pub use cdx_client::types::Secret;
pub use client::{
    Client, ClientBuilder, Credentials, DEFAULT_API_URL, DEFAULT_MAX_RESPONSE_BYTES, USER_AGENT,
};
pub use consumer::{ConsumerShareFilter, ConsumerSharedResourceFilter};
pub use env::{ENV_API_KEY, ENV_API_SECRET, ENV_API_URL};
pub use error::{ApiError, ApiErrorDetail, CredentialKind, Error, InvalidResponse, Result};
pub use invalid_input::InvalidInput;
pub use operation::{Operation, OperationExt};
pub use paging::Page;
pub use private_link::{AwsAccountId, AzureSubscriptionId, GcpProjectId, PrivateLinkAccount};
pub use provider::{ProviderShareFilter, ProviderSharedResourceFilter, SharedResourceUpdate};
pub use reach::{Reach, UnknownReach};
pub use redemption::{BootstrapServer, IncompleteRedemption, Redemption, SchemaRegistryAccess};
pub use request::Image;
pub use retry::{RetryCause, RetryNotice, RetryPolicy};
pub use token::ShareToken;

/// The README's examples, compiled as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

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
