//! # cdx-ext: Confluent Cloud Stream Sharing, made short and safe
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod config;
mod error;
pub mod file;
mod operation;
mod private_link;
mod redemption;
mod retry;
mod token;

pub use cdx_client::types;
/// A credential whose `Debug` and `Display` are redacted; read it with `expose_secret()`.
pub use cdx_client::types::Secret;
pub use error::{ApiError, ApiErrorDetail, Error, InvalidInput, InvalidResponse, Result};
pub use operation::Operation;
pub use private_link::{AwsAccountId, AzureSubscriptionId, GcpProjectId, PrivateLinkAccount};
pub use redemption::{BootstrapServer, IncompleteRedemption, Redemption, SchemaRegistryAccess};
pub use retry::{RetryNotice, RetryPolicy};
pub use token::ShareToken;
