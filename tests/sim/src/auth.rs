//! Authentication: Cloud API keys (HTTP Basic) everywhere, STS bearer tokens on provider
//! operations only (the spec's `confluent-sts-access-token` scheme).

use axum::http::HeaderMap;
use base64::Engine as _;

use crate::SimConfig;
use crate::http::ApiError;
use crate::model::{CONSUMER, PROVIDER};

/// The challenge for a missing or wrong API key (the spec's example).
pub(crate) const BASIC_CHALLENGE: &str =
    r#"Basic error="invalid_key", error_description="The API Key is invalid""#;
const BEARER_CHALLENGE: &str =
    r#"Bearer error="invalid_token", error_description="The access token is invalid or expired""#;

/// Who is calling.
#[derive(Clone, Debug)]
pub(crate) struct Principal {
    /// Index into the organizations.
    pub org: usize,
    /// Rate-limit bucket: the key id or the bearer token.
    pub bucket: String,
}

/// Checks `Authorization`. `bearer_allowed`: the operation is a provider one.
pub(crate) fn authenticate(
    headers: &HeaderMap,
    config: &SimConfig,
    bearer_allowed: bool,
) -> Result<Principal, ApiError> {
    let values: Vec<_> = headers.get_all("authorization").iter().collect();
    if values.is_empty() {
        return Err(ApiError::unauthorized(
            BASIC_CHALLENGE,
            "Authentication is required: send a Cloud API key (HTTP Basic)",
        ));
    }
    if values.len() > 1 {
        return Err(ApiError::unauthorized(
            BASIC_CHALLENGE,
            "More than one Authorization header was sent",
        ));
    }
    let value = values[0].to_str().unwrap_or("").trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if let Some((id, secret)) = decoded.as_deref().and_then(|d| d.split_once(':')) {
            for (org, key) in [
                (PROVIDER, &config.provider_key),
                (CONSUMER, &config.consumer_key),
            ] {
                if key.0 == id && key.1 == secret {
                    return Ok(Principal {
                        org,
                        bucket: format!("key:{id}"),
                    });
                }
            }
        }
        Err(ApiError::unauthorized(
            BASIC_CHALLENGE,
            "The API key is invalid",
        ))
    } else if scheme.eq_ignore_ascii_case("bearer") {
        if !bearer_allowed {
            return Err(ApiError::unauthorized(
                BASIC_CHALLENGE,
                "This operation accepts only a Cloud API key (HTTP Basic), not a bearer token",
            ));
        }
        if config.bearer_tokens.iter().any(|t| t == rest) && !rest.is_empty() {
            Ok(Principal {
                org: PROVIDER,
                bucket: format!("bearer:{rest}"),
            })
        } else {
            Err(ApiError::unauthorized(
                BEARER_CHALLENGE,
                "The access token is invalid or expired",
            ))
        }
    } else {
        Err(ApiError::unauthorized(
            BASIC_CHALLENGE,
            "Unsupported authorization scheme: use a Cloud API key (HTTP Basic)",
        ))
    }
}
