//! The few Schema Registry calls a check and a peek need (`GET /subjects`,
//! `/schemas/ids/{id}`, `/subjects/{subject}/versions/latest`), with HTTP basic auth.

use super::SchemaRegistryTarget;
use crate::Secret;
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;

/// A failed Schema Registry call. Never holds the secret.
#[derive(Debug)]
pub(super) enum SrError {
    /// 401 or 403: the key and secret were refused.
    Refused(u16),
    /// Another HTTP error status.
    Status(u16),
    /// No HTTP answer (DNS, connection, TLS, timeout).
    Transport(String),
    /// An answer that is not what the API returns.
    Body,
}

impl std::fmt::Display for SrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SrError::Refused(s) => write!(f, "HTTP {s}: the key and secret were refused"),
            SrError::Status(s) => write!(f, "HTTP {s}"),
            SrError::Transport(e) => f.write_str(e),
            SrError::Body => f.write_str("an answer that is not Schema Registry's JSON"),
        }
    }
}

/// A registered schema.
#[derive(Clone, Debug, Deserialize)]
pub(super) struct Schema {
    /// `AVRO` (also when absent, as the API does), `PROTOBUF`, `JSON`, or a newer type.
    #[serde(rename = "schemaType", default = "avro")]
    pub schema_type: String,
    /// The schema text.
    pub schema: String,
    /// The id (in a subject version's answer).
    #[serde(default)]
    pub id: Option<u32>,
}

fn avro() -> String {
    "AVRO".to_string()
}

pub(super) struct Registry {
    http: reqwest::Client,
    base: reqwest::Url,
    key: String,
    secret: Secret,
}

impl Registry {
    pub(super) fn new(
        sr: &SchemaRegistryTarget,
        ca_file: Option<&Path>,
        timeout: Duration,
    ) -> Result<Self, String> {
        let base = reqwest::Url::parse(&sr.url)
            .map_err(|e| format!("the Schema Registry URL is not a URL ({e})"))?;
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(crate::USER_AGENT);
        if let Some(path) = ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read the CA file {}: {e}", path.display()))?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| format!("the CA file {} is not PEM: {e}", path.display()))?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .build()
            .map_err(|e| format!("cannot set up an HTTP client: {e}"))?;
        Ok(Self {
            http,
            base,
            key: sr.api_key.clone(),
            secret: sr.api_secret.clone(),
        })
    }

    async fn get<T: for<'de> Deserialize<'de>>(&self, segments: &[&str]) -> Result<T, SrError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| SrError::Transport("the Schema Registry URL cannot take a path".into()))?
            .pop_if_empty()
            .extend(segments);
        let response = self
            .http
            .get(url)
            .basic_auth(&self.key, Some(self.secret.expose_secret()))
            .header(
                "Accept",
                "application/vnd.schemaregistry.v1+json, application/json",
            )
            .send()
            .await
            .map_err(|e| SrError::Transport(transport_reason(&e)))?;
        match response.status().as_u16() {
            200..=299 => response.json().await.map_err(|_| SrError::Body),
            s @ (401 | 403) => Err(SrError::Refused(s)),
            s => Err(SrError::Status(s)),
        }
    }

    /// Every subject the key may see.
    pub(super) async fn subjects(&self) -> Result<Vec<String>, SrError> {
        self.get(&["subjects"]).await
    }

    /// The schema with this id.
    pub(super) async fn schema(&self, id: u32) -> Result<Schema, SrError> {
        let id = id.to_string();
        self.get(&["schemas", "ids", &id]).await
    }

    /// The latest version of a subject.
    pub(super) async fn latest(&self, subject: &str) -> Result<Schema, SrError> {
        self.get(&["subjects", subject, "versions", "latest"]).await
    }
}

/// A transport error in one sentence, with its cause (reqwest's own message stops at "error
/// sending request").
fn transport_reason(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "no answer in time".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        "the request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
