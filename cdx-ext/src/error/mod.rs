//! [`Error`]: every way a cdx call can fail, as matchable cases with secret-free messages.

mod from_generated;

pub use crate::invalid_input::InvalidInput;
use crate::operation::{Operation, OperationExt};
use crate::wording::{CONNECT_TIMEOUT, unknown_outcome_hint};
use reqwest::StatusCode;
use std::fmt;
use std::time::Duration;

/// The result type of cdx-ext.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong. `Display` is one sentence saying what happened and what to do,
/// followed by the API's details (one per line). No variant ever holds a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was rejected before anything was sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// 401: the API key, secret or token was not accepted.
    #[error("{0}")]
    Unauthenticated(Box<ApiError>),
    /// 403: the credentials are valid but may not do this.
    #[error("{0}")]
    PermissionDenied(Box<ApiError>),
    /// 404: the resource, or the share token, does not exist (or is not visible).
    #[error("{0}")]
    NotFound(Box<ApiError>),
    /// 409: the request conflicts with the current state; for a redeem, the token was already
    /// redeemed.
    #[error("{0}")]
    Conflict(Box<ApiError>),
    /// 429: too many requests; [`Error::retry_after`] says how long to wait.
    #[error("{0}")]
    RateLimited(Box<ApiError>),
    /// 5xx with an API error body.
    #[error("{0}")]
    Server(Box<ApiError>),
    /// Any other 4xx (400 bad request, 422 invalid configuration, ...).
    #[error("{0}")]
    Rejected(Box<ApiError>),
    /// The response could not be understood: not JSON (an HTML page from a proxy), truncated,
    /// or not the documented shape.
    #[error("{0}")]
    InvalidResponse(Box<InvalidResponse>),
    /// No response within the client's timeout. The request may have reached the server. (A
    /// connection that could not be set up in time is [`Error::Transport`] with `not_sent`.)
    #[error(
        "Timed out trying to {}: no response within {}; the request may still have reached the server.{}",
        operation.action(),
        match .after {
            Some(after) => format!("{} s (the request timeout)", after.as_secs_f64()),
            None => "the client's request timeout".to_string(),
        },
        unknown_outcome_hint(*.operation)
    )]
    Timeout {
        /// The operation.
        operation: Operation,
        /// The request timeout that ran out ([`crate::ClientBuilder::timeout`]), when known.
        after: Option<Duration>,
    },
    /// The connection failed, or broke while the response was read.
    #[error(
        "Could not {}: {message}{}.{}",
        operation.action(),
        if *.not_sent { " (the request was not sent)" } else { "" },
        if *.not_sent { "" } else { unknown_outcome_hint(*.operation) }
    )]
    Transport {
        /// The operation.
        operation: Operation,
        /// What failed (from the HTTP library; holds no credential).
        message: String,
        /// True when the request provably never left this machine (the connection was refused,
        /// timed out or could not be set up), so even a single-use token was not spent.
        not_sent: bool,
    },
    /// The token was redeemed but the answer lacks what a Kafka client needs. The response is
    /// kept (secrets redacted in `Debug`) so nothing the server sent is lost.
    #[error(
        "The token was redeemed, but {0}. The share now exists: find it with the consumer shares list, and contact the provider for working credentials."
    )]
    IncompleteRedemption(Box<crate::redemption::IncompleteRedemption>),
    /// The server's TLS certificate was not accepted (self-signed, expired, for another name, or
    /// from an authority this machine does not trust). The request was not sent, and is not
    /// retried: the same certificate would be refused again.
    #[error(
        "Could not {}: the server's TLS certificate was not accepted ({reason}). Check the API URL ({}); behind a proxy that inspects TLS, its certificate authority must be trusted by this machine. The request was not sent.",
        operation.action(),
        crate::env::ENV_API_URL
    )]
    Certificate {
        /// The operation.
        operation: Operation,
        /// What the TLS library said about the certificate, e.g. `self-signed certificate`.
        reason: String,
    },
    /// The server's pagination repeated a page token: the listing would never end.
    #[error(
        "{operation}: the API returned page token {page_token:?} twice; stopped paging to avoid an endless loop"
    )]
    PaginationLoop {
        /// The operation.
        operation: Operation,
        /// The repeated token (page tokens are opaque cursors, not credentials).
        page_token: String,
    },
}

/// One entry of the API's `Failure.errors`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiErrorDetail {
    /// Application error code, e.g. `invalid_filter`.
    pub code: Option<String>,
    /// Short summary.
    pub title: Option<String>,
    /// Explanation of this occurrence.
    pub detail: Option<String>,
    /// JSON Pointer into the request body that caused it.
    pub pointer: Option<String>,
    /// Query parameter that caused it.
    pub parameter: Option<String>,
    /// The occurrence's id.
    pub id: Option<String>,
}

/// Which kind of credentials a request carried: a 401's sentence names the one to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A Cloud API key and secret.
    CloudApiKey,
    /// An OAuth access token.
    AccessToken,
}

/// An error answer from the API, with everything it said.
#[derive(Clone, Debug)]
pub struct ApiError {
    /// The operation that failed.
    pub operation: Operation,
    /// The HTTP status.
    pub status: StatusCode,
    /// `X-Request-Id`, for Confluent support.
    pub request_id: Option<String>,
    /// Every `Failure` entry.
    pub errors: Vec<ApiErrorDetail>,
    /// The `error_description` of a 401's `WWW-Authenticate`.
    pub auth_challenge: Option<String>,
    /// How long to wait before retrying (429: `Retry-After`, else `X-RateLimit-Reset`).
    pub retry_after: Option<Duration>,
    /// The credentials the request carried ([`crate::Client`] sets it; `None` when unknown).
    pub credentials: Option<CredentialKind>,
}

/// A response that could not be decoded.
#[derive(Clone, Debug)]
pub struct InvalidResponse {
    /// The operation.
    pub operation: Operation,
    /// The HTTP status, when a response arrived.
    pub status: Option<StatusCode>,
    /// `X-Request-Id`.
    pub request_id: Option<String>,
    /// The `Content-Type`.
    pub content_type: Option<String>,
    /// Why it could not be used.
    pub reason: String,
    /// A short, readable excerpt of an error body (HTML reduced to its text). Never taken from
    /// a successful response, which may hold credentials.
    pub excerpt: Option<String>,
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::InvalidResponse(r) => r.status,
            other => other.api().map(|a| a.status),
        }
    }

    /// The `X-Request-Id` of the response, when one arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::InvalidResponse(r) => r.request_id.as_deref(),
            other => other.api().and_then(|a| a.request_id.as_deref()),
        }
    }

    /// The operation that failed (`None` for input rejected before choosing one).
    pub fn operation(&self) -> Option<Operation> {
        match self {
            Self::InvalidInput(_) => None,
            Self::InvalidResponse(r) => Some(r.operation),
            Self::Timeout { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Certificate { operation, .. }
            | Self::PaginationLoop { operation, .. } => Some(*operation),
            Self::IncompleteRedemption(_) => Some(Operation::RedeemSharedToken),
            other => other.api().map(|a| a.operation),
        }
    }

    /// The API error, for the cases that carry one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Unauthenticated(a)
            | Self::PermissionDenied(a)
            | Self::NotFound(a)
            | Self::Conflict(a)
            | Self::RateLimited(a)
            | Self::Server(a)
            | Self::Rejected(a) => Some(a),
            _ => None,
        }
    }

    /// Whether the same request could succeed if sent again later: rate limits, 502/503/504,
    /// timeouts and transport failures. Whether it is *safe* to resend is a separate question
    /// (see [`crate::RetryPolicy`]): a redeem that may have reached the server never is.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited(_) | Self::Timeout { .. } | Self::Transport { .. } => true,
            _ => self
                .status()
                .is_some_and(|s| matches!(s.as_u16(), 502..=504)),
        }
    }

    /// How long the server asked to wait (rate limits).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|a| a.retry_after)
    }

    /// True when the request may or may not have been processed: a 5xx, a response that could
    /// not be used (other than a redirect), a timeout, or a connection that broke after the
    /// request was sent. After a redeem this means the token may be spent (the message says so);
    /// look for the share in the consumer shares list before trying again.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Server(_)
            | Self::Timeout { .. }
            | Self::Transport {
                not_sent: false, ..
            } => true,
            Self::InvalidResponse(r) => r.outcome_unknown(),
            _ => false,
        }
    }

    /// True when the request provably never reached the server: a 429 (refused before
    /// processing) or a connection that could not be established.
    pub fn request_not_processed(&self) -> bool {
        matches!(
            self,
            Self::RateLimited(_)
                | Self::InvalidInput(_)
                | Self::Transport { not_sent: true, .. }
                | Self::Certificate { .. }
        )
    }

    /// The error with what the client knows about the request: its timeouts in the message (a
    /// request timeout, a connect timeout), so the user knows which one ran out, and the kind of
    /// credentials it carried, so a 401 names the one to check.
    pub(crate) fn with_client_context(
        mut self,
        request: Duration,
        connect: Duration,
        credentials: CredentialKind,
    ) -> Self {
        if let Some(api) = self.api_mut() {
            api.credentials = Some(credentials);
        }
        match &mut self {
            Self::Timeout { after, .. } => *after = Some(request),
            Self::Transport { message, .. } if message == CONNECT_TIMEOUT => {
                *message = format!("{CONNECT_TIMEOUT} of {} s", connect.as_secs_f64());
            }
            _ => {}
        }
        self
    }

    /// Removes every occurrence of `secret` from the texts this error holds (the API may echo a
    /// token it was sent in its error details).
    pub(crate) fn scrub(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let clean = |s: &mut Option<String>| {
            if let Some(v) = s.as_mut() {
                *v = v.replace(secret, "<redacted>");
            }
        };
        match &mut self {
            Self::InvalidResponse(r) => clean(&mut r.excerpt),
            Self::Transport { message, .. } => *message = message.replace(secret, "<redacted>"),
            _ => {}
        }
        if let Some(api) = self.api_mut() {
            for d in &mut api.errors {
                clean(&mut d.code);
                clean(&mut d.title);
                clean(&mut d.detail);
                clean(&mut d.pointer);
                clean(&mut d.parameter);
            }
            clean(&mut api.auth_challenge);
        }
        self
    }

    fn api_mut(&mut self) -> Option<&mut ApiError> {
        match self {
            Self::Unauthenticated(a)
            | Self::PermissionDenied(a)
            | Self::NotFound(a)
            | Self::Conflict(a)
            | Self::RateLimited(a)
            | Self::Server(a)
            | Self::Rejected(a) => Some(a),
            _ => None,
        }
    }
}

impl ApiError {
    fn sentence(&self) -> String {
        let op = self.operation;
        let token_op = op.uses_share_token();
        let status = self.status.as_u16();
        match status {
            401 => match self.credentials {
                Some(CredentialKind::CloudApiKey) => "Authentication failed: check the Cloud API key and secret (CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET)".into(),
                Some(CredentialKind::AccessToken) => "Authentication failed: check the access token (it may have expired)".into(),
                None => "Authentication failed: check the Cloud API key and secret (CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET), or the access token".into(),
            },
            403 => format!("Permission denied: these credentials may not {}", op.action()),
            404 if token_op => "The share token was not found: it may be mistyped, expired, or revoked by the provider".into(),
            404 => format!("Not found: could not {}, because it does not exist or is not visible to this organization", op.action()),
            409 if token_op => "This token has already been redeemed: a share token works only once; the share it created is in your consumer shares".into(),
            409 => format!("Conflict: could not {}, because it conflicts with the current state", op.action()),
            429 => match self.retry_after {
                Some(wait) => format!("Rate limited: too many requests to {}; retry in {} s", op.action(), wait.as_secs()),
                None => format!("Rate limited: too many requests to {}; retry later", op.action()),
            },
            500..=599 => format!("The Confluent Cloud API failed with a server error (HTTP {status}) trying to {}", op.action()),
            _ => format!("The API rejected the request to {} (HTTP {status})", op.action()),
        }
    }

    /// What the API said, one line each, every line starting with a line break: the 401
    /// challenge's description (unless an error entry says the same), every `Failure` entry,
    /// then the status and `X-Request-Id`. [`fmt::Display`] is a sentence followed by these; an
    /// application that words the sentence itself (as the `cdx` CLI does) prints them after its
    /// own.
    pub fn details(&self) -> String {
        let lines: Vec<String> = self
            .errors
            .iter()
            .map(|d| {
                let mut parts: Vec<&str> = Vec::new();
                parts.extend(d.code.as_deref());
                parts.extend(d.title.as_deref());
                parts.extend(d.detail.as_deref());
                let mut line = parts.join(": ");
                if let Some(p) = &d.pointer {
                    line.push_str(&format!(" (at {p})"));
                }
                if let Some(p) = &d.parameter {
                    line.push_str(&format!(" (parameter {p})"));
                }
                // One entry, one line: a line break of the server's cannot forge another.
                line.lines().collect::<Vec<_>>().join(" ")
            })
            .filter(|line| !line.is_empty())
            .collect();
        let mut out = String::new();
        // Servers often say the same thing in `WWW-Authenticate` and in the body: say it once.
        if let Some(c) = &self.auth_challenge {
            let said = c.trim().trim_end_matches('.').to_lowercase();
            if !lines.iter().any(|l| l.to_lowercase().contains(&said)) {
                out.push_str(&format!("\n  server: {c}"));
            }
        }
        for line in &lines {
            out.push_str(&format!("\n  - {line}"));
        }
        out.push_str(&format!("\n  HTTP {}", self.status.as_u16()));
        if let Some(id) = &self.request_id {
            out.push_str(&format!(", request id {id}"));
        }
        out
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.", self.sentence())?;
        // A 5xx may come after the work was done (or half done): a redeem may have spent the token.
        if self.status.is_server_error() {
            f.write_str(unknown_outcome_hint(self.operation))?;
        }
        f.write_str(&self.details())
    }
}

impl InvalidResponse {
    /// Whether the server may have acted on the request. A success that could not be read
    /// certainly did; an error page (a proxy's HTML 502) may come after the API did the work.
    /// Only a redirect says the request was not handled here.
    fn outcome_unknown(&self) -> bool {
        !self.status.is_some_and(|s| s.is_redirection())
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The API's answer to {} could not be used: {}.",
            self.operation.action(),
            self.reason
        )?;
        if self.outcome_unknown() {
            f.write_str(unknown_outcome_hint(self.operation))?;
        }
        let mut facts = Vec::new();
        if let Some(s) = self.status {
            facts.push(format!("HTTP {}", s.as_u16()));
        }
        if let Some(c) = &self.content_type {
            facts.push(c.clone());
        }
        if let Some(id) = &self.request_id {
            facts.push(format!("request id {id}"));
        }
        if !facts.is_empty() {
            write!(f, "\n  {}", facts.join(", "))?;
        }
        if let Some(e) = &self.excerpt {
            write!(f, "\n  body: {e}")?;
        }
        Ok(())
    }
}
