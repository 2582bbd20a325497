//! The environment variables the client reads. A leaf, so error messages can name them.

/// Environment variable holding the Cloud API key (as the Confluent CLI and Terraform use).
pub const ENV_API_KEY: &str = "CONFLUENT_CLOUD_API_KEY";
/// Environment variable holding the Cloud API secret.
pub const ENV_API_SECRET: &str = "CONFLUENT_CLOUD_API_SECRET";
/// Environment variable overriding the API's base URL.
pub const ENV_API_URL: &str = "CDX_API_URL";
