//! [`Error`]: every way a cdx call can fail, as matchable cases with secret-free messages.

use crate::operation::Operation;
use cdx_client::ResponseMeta;
use cdx_client::types::Failure;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
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
        crate::client::ENV_API_URL
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

/// Input rejected before sending: which value, and why, never echoing a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct InvalidInput {
    /// What was wrong, e.g. "AWS account ID".
    pub what: String,
    /// Why, and how to fix it.
    pub reason: String,
}

impl InvalidInput {
    /// A new input error.
    pub fn new(what: &str, reason: &str) -> Self {
        Self {
            what: what.into(),
            reason: reason.into(),
        }
    }
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

    /// The error with the client's timeouts in its message (a request timeout, a connect
    /// timeout), so the user knows which one ran out.
    pub(crate) fn with_timeouts(mut self, request: Duration, connect: Duration) -> Self {
        match &mut self {
            Self::Timeout { after, .. } => *after = Some(request),
            Self::Transport { message, .. } if message == CONNECT_TIMEOUT => {
                *message = format!("{CONNECT_TIMEOUT} of {} s", connect.as_secs_f64());
            }
            _ => {}
        }
        self
    }

    pub(crate) fn transport(operation: Operation, err: &reqwest::Error) -> Self {
        // A connect failure (refused, unreachable, TLS set-up, connect timeout) comes before the
        // request is written: checked first, so a connect timeout still counts as not sent.
        if err.is_connect() {
            let message = transport_message(err);
            if let Some(reason) = certificate_problem(&message) {
                return Self::Certificate { operation, reason };
            }
            return Self::Transport {
                operation,
                message: if err.is_timeout() {
                    CONNECT_TIMEOUT.to_string()
                } else {
                    message
                },
                not_sent: true,
            };
        }
        if err.is_timeout() {
            return Self::Timeout {
                operation,
                after: None,
            };
        }
        Self::Transport {
            operation,
            message: transport_message(err),
            not_sent: false,
        }
    }

    /// Converts a generated client's error, reading an unexpected response's body.
    pub(crate) async fn from_generated(
        operation: Operation,
        err: progenitor_client::Error<Failure>,
        meta: Option<ResponseMeta>,
    ) -> Self {
        use progenitor_client::Error as G;
        let status = meta.as_ref().map(|m| m.status);
        let headers = meta.as_ref().map(|m| &m.headers);
        match err {
            G::InvalidRequest(reason) => InvalidInput::new("request", &reason).into(),
            G::CommunicationError(e) => Self::transport(operation, &e),
            G::ErrorResponse(rv) => {
                let (status, headers) = (rv.status(), rv.headers().clone());
                Self::from_api(ApiError::new(
                    operation,
                    status,
                    &headers,
                    Some(rv.into_inner()),
                ))
            }
            G::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) => Self::from_unexpected(operation, status, &headers, &body),
                    Err(e) => Self::Transport {
                        operation,
                        message: format!(
                            "HTTP {status}: the response body broke off: {}",
                            transport_message(&e)
                        ),
                        not_sent: false,
                    },
                }
            }
            G::InvalidResponsePayload(body, e) => {
                let status = status.unwrap_or(StatusCode::OK);
                let empty = HeaderMap::new();
                Self::invalid_body(operation, status, headers.unwrap_or(&empty), &body, &e)
            }
            G::ResponseBodyError(e) => Self::Transport {
                operation,
                message: format!(
                    "{}the response body broke off: {}",
                    status.map(|s| format!("HTTP {s}: ")).unwrap_or_default(),
                    transport_message(&e)
                ),
                not_sent: false,
            },
            G::InvalidUpgrade(e) => Self::transport(operation, &e),
            G::Custom(message) if message.starts_with(cdx_client::RESPONSE_TOO_LARGE) => {
                let length = message.rsplit_once(": ").map_or("", |(_, n)| n);
                let (length, limit) = length.split_once(" > ").unwrap_or(("?", "?"));
                let limit = limit.parse().map_or(limit.to_string(), crate::answer::size);
                let empty = HeaderMap::new();
                let headers = headers.unwrap_or(&empty);
                Self::InvalidResponse(Box::new(InvalidResponse {
                    operation,
                    status,
                    request_id: header(headers, "x-request-id"),
                    content_type: header(headers, "content-type"),
                    reason: format!(
                        "it is {length} bytes long, larger than the {limit} response size limit, so it was not read"
                    ),
                    excerpt: None,
                }))
            }
            G::Custom(message) => Self::Transport {
                operation,
                message,
                not_sent: false,
            },
        }
    }

    fn from_api(api: ApiError) -> Self {
        let api = Box::new(api);
        match api.status.as_u16() {
            401 => Self::Unauthenticated(api),
            403 => Self::PermissionDenied(api),
            404 => Self::NotFound(api),
            409 => Self::Conflict(api),
            429 => Self::RateLimited(api),
            500..=599 => Self::Server(api),
            _ => Self::Rejected(api),
        }
    }

    /// A status the spec does not document for this operation (a 429, a proxy's 502, ...).
    fn from_unexpected(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        if status.is_success() {
            return Self::InvalidResponse(Box::new(InvalidResponse {
                operation,
                status: Some(status),
                request_id: header(headers, "x-request-id"),
                content_type: header(headers, "content-type"),
                reason: "the API answered with a status this operation does not document".into(),
                excerpt: None,
            }));
        }
        if status.is_redirection() {
            // Redirects are not followed (a 307/308 would resend credentials and a share token
            // to wherever it points); a redirect usually means a wrong base URL.
            let target = header(headers, "location")
                .map(|l| format!(" to {}", without_query(&l)))
                .unwrap_or_default();
            return Self::InvalidResponse(Box::new(InvalidResponse {
                operation,
                status: Some(status),
                request_id: header(headers, "x-request-id"),
                content_type: header(headers, "content-type"),
                reason: format!(
                    "it redirects{target}, and redirects are not followed so that credentials and share tokens never go to another address; check the API base URL ({})",
                    crate::client::ENV_API_URL
                ),
                excerpt: None,
            }));
        }
        let failure = serde_json::from_slice::<Failure>(body).ok();
        if failure.is_some() || body.iter().all(u8::is_ascii_whitespace) {
            return Self::from_api(ApiError::new(operation, status, headers, failure));
        }
        let e = serde_json::from_slice::<serde_json::Value>(body).err();
        let reason = match e {
            Some(_) => "the body is not JSON".to_string(),
            None => "the body is JSON but not an API error".to_string(),
        };
        let mut r = InvalidResponse {
            operation,
            status: Some(status),
            request_id: header(headers, "x-request-id"),
            content_type: header(headers, "content-type"),
            reason,
            excerpt: None,
        };
        r.excerpt = excerpt(body, r.content_type.as_deref());
        // A 429 is still a rate limit, whatever its body: keep it retryable with its wait.
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Self::from_api(ApiError::new(operation, status, headers, None));
        }
        Self::InvalidResponse(Box::new(r))
    }

    pub(crate) fn invalid_body(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        e: &serde_json::Error,
    ) -> Self {
        let content_type = header(headers, "content-type");
        let looks_json = content_type.as_deref().is_none_or(|c| c.contains("json"));
        let reason = if !looks_json || serde_json::from_slice::<serde_json::Value>(body).is_err() {
            if e.is_eof() {
                "the body is truncated JSON".to_string()
            } else {
                "the body is not JSON".to_string()
            }
        } else {
            // serde messages can quote values ("invalid type: string \"...\""), and a success
            // body holds credentials: only the kind of problem and where are reported.
            let msg = e.to_string();
            if msg.starts_with("missing field") {
                format!("the JSON does not have the documented shape: {msg}")
            } else {
                format!(
                    "the JSON does not have the documented shape (line {}, column {})",
                    e.line(),
                    e.column()
                )
            }
        };
        let excerpt = if status.is_success() {
            None
        } else {
            excerpt(body, content_type.as_deref())
        };
        Self::InvalidResponse(Box::new(InvalidResponse {
            operation,
            status: Some(status),
            request_id: header(headers, "x-request-id"),
            content_type,
            reason,
            excerpt,
        }))
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

/// For a redeem whose outcome is unknown ([`Error::outcome_unknown`]): the token may be spent,
/// and must not be resent blindly. A line of its own, or nothing for other operations.
fn unknown_outcome_hint(operation: Operation) -> &'static str {
    if operation == Operation::RedeemSharedToken {
        "\n  The token may have been redeemed: check the consumer shares list before trying again (a second redeem of a spent token fails with 409)."
    } else {
        ""
    }
}

/// A connect timeout's message ([`Error::with_timeouts`] adds the duration).
const CONNECT_TIMEOUT: &str = "no connection within the connect timeout";

/// What a TLS library said about a refused certificate, as a short phrase, or `None` when the
/// failure is not about the certificate. OpenSSL ends its line with the reason in parentheses
/// (`... certificate verify failed:...: (self-signed certificate)`); rustls says `invalid peer
/// certificate: <reason>`.
fn certificate_problem(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    if !lower.contains("certificate") {
        return None;
    }
    let in_parens = message
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(reason, _)| reason.trim())
        .filter(|r| r.to_ascii_lowercase().contains("certificate"));
    let after_colon = message
        .split_once("invalid peer certificate:")
        .map(|(_, reason)| reason.trim());
    Some(
        in_parens
            .or(after_colon)
            .filter(|r| !r.is_empty())
            .unwrap_or("certificate verify failed")
            .to_string(),
    )
}

/// reqwest's message with its source chain, which says what actually failed ("connection
/// refused"). URLs hold ids, never credentials: those travel in headers and bodies.
fn transport_message(err: &reqwest::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}

/// A URL without its query and fragment, which may carry credentials.
fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or_default()
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The longest wait a rate-limit header is taken to ask for. Larger values (a bug, or an epoch
/// where seconds were meant) are capped; the retry budget then gives up with the error.
const MAX_HEADER_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// A rate-limit header in whole seconds, capped at [`MAX_HEADER_WAIT`].
fn seconds(headers: &HeaderMap, name: &str) -> Option<Duration> {
    let text = header(headers, name)?;
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: a parse failure can only be overflow, which is past the cap anyway.
    let secs = text.parse::<u64>().unwrap_or(u64::MAX);
    Some(Duration::from_secs(secs).min(MAX_HEADER_WAIT))
}

/// The `error_description` of a `WWW-Authenticate` challenge, or the whole header.
fn auth_challenge(headers: &HeaderMap) -> Option<String> {
    let value = header(headers, "www-authenticate")?;
    let description = value.split("error_description=").nth(1).map(|rest| {
        let rest = rest.trim_start();
        match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or_default().to_string(),
            None => rest
                .split(',')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string(),
        }
    });
    Some(description.unwrap_or(value))
}

/// A short, readable excerpt of an error body: HTML reduced to its title and text, whitespace
/// collapsed, at most 200 characters.
fn excerpt(body: &[u8], content_type: Option<&str>) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let is_html = content_type.is_some_and(|c| c.contains("html"))
        || text.trim_start().get(..15).is_some_and(|h| {
            h.to_ascii_lowercase().starts_with("<!doctype html") || h.starts_with("<html")
        });
    let text = if is_html {
        html_text(&text)
    } else {
        text.into_owned()
    };
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    const MAX: usize = 200;
    Some(match collapsed.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    })
}

/// The visible text of an HTML page: the `<title>` first, tags, scripts and styles dropped.
fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|start| {
        let open_end = start + lower[start..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        Some(html[open_end..close].trim().to_string())
    });
    let body_start = lower.find("<body").unwrap_or(0);
    let mut out = String::new();
    let mut rest = &html[body_start..];
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let tag = rest[lt..].to_ascii_lowercase();
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| tag.starts_with(&format!("<{t}")))
            .and_then(|t| tag.find(&format!("</{t}>")));
        rest = match (skip_to, rest[lt..].find('>')) {
            (Some(end), _) => rest[lt + end..].split_once('>').map_or("", |(_, r)| r),
            (None, Some(gt)) => &rest[lt + gt + 1..],
            (None, None) => "",
        };
    }
    out.push_str(rest);
    let text = out
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    match title {
        Some(t) if !text.contains(&t) => format!("{t} — {text}"),
        _ => text,
    }
}

impl ApiError {
    fn new(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        failure: Option<Failure>,
    ) -> Self {
        let errors = failure
            .map(|f| {
                f.errors
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        let (pointer, parameter) =
                            e.source.map_or((None, None), |s| (s.pointer, s.parameter));
                        ApiErrorDetail {
                            code: e.code,
                            title: e.title,
                            // The published `Error` has no `message`; some servers send
                            // one, which lands among the kept unknown fields.
                            detail: e.detail.or_else(|| {
                                e.extra
                                    .get("message")
                                    .and_then(|m| m.as_str())
                                    .map(str::to_string)
                            }),
                            pointer,
                            parameter,
                            id: e.id,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| {
                seconds(headers, "retry-after").or_else(|| seconds(headers, "x-ratelimit-reset"))
            })
            .flatten();
        Self {
            operation,
            status,
            request_id: header(headers, "x-request-id"),
            errors,
            auth_challenge: if status == StatusCode::UNAUTHORIZED {
                auth_challenge(headers)
            } else {
                None
            },
            retry_after,
        }
    }

    fn sentence(&self) -> String {
        let op = self.operation;
        let token_op = op.uses_share_token();
        let status = self.status.as_u16();
        match status {
            401 => "Authentication failed: check the Cloud API key and secret (CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET), or the access token".into(),
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
}

impl ApiError {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_failures_read_as_a_reason() {
        let openssl = "error sending request: client error (Connect): error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:2091: (self-signed certificate)";
        assert_eq!(
            certificate_problem(openssl).as_deref(),
            Some("self-signed certificate")
        );
        let rustls = "client error (Connect): invalid peer certificate: UnknownIssuer";
        assert_eq!(
            certificate_problem(rustls).as_deref(),
            Some("UnknownIssuer")
        );
        assert_eq!(
            certificate_problem("connection refused (os error 111)"),
            None
        );
    }

    #[test]
    fn html_pages_read_as_their_text() {
        let page = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center><script>var x=1;</script></body></html>";
        let e = excerpt(page, Some("text/html")).unwrap();
        assert_eq!(e, "502 Bad Gateway nginx");
        let long = format!("<html><body>{}</body></html>", "word ".repeat(100));
        assert!(excerpt(long.as_bytes(), None).unwrap().chars().count() <= 201);
    }

    #[test]
    fn rate_limit_headers_are_whole_seconds_capped_at_a_day() {
        let wait = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert("retry-after", value.parse().unwrap());
            seconds(&h, "retry-after")
        };
        assert_eq!(wait(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(wait("0"), Some(Duration::ZERO));
        assert_eq!(wait("86401"), Some(MAX_HEADER_WAIT));
        assert_eq!(wait("18446744073709551615"), Some(MAX_HEADER_WAIT));
        assert_eq!(wait("99999999999999999999999999"), Some(MAX_HEADER_WAIT));
        for bad in ["", "-1", "1.5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            assert_eq!(wait(bad), None, "{bad:?}");
        }
    }

    fn unexpected(
        op: Operation,
        status: u16,
        headers: &[(&'static str, &str)],
        body: &[u8],
    ) -> Error {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, v.parse().unwrap());
        }
        Error::from_unexpected(op, StatusCode::from_u16(status).unwrap(), &h, body)
    }

    #[test]
    fn a_redeem_whose_outcome_is_unknown_says_the_token_may_be_spent() {
        let redeem = Operation::RedeemSharedToken;
        let html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let failure = br#"{"errors":[{"code":"internal_error","detail":"boom"}]}"#;
        let unknown = [
            unexpected(redeem, 500, &[], failure),
            unexpected(redeem, 503, &[], b""),
            unexpected(redeem, 502, &[("content-type", "text/html")], html),
            unexpected(redeem, 404, &[("content-type", "text/plain")], b"no route"),
            unexpected(redeem, 200, &[], b"{}"),
            Error::Timeout {
                operation: redeem,
                after: None,
            },
            Error::Transport {
                operation: redeem,
                message: "connection reset".into(),
                not_sent: false,
            },
        ];
        for e in &unknown {
            assert!(e.outcome_unknown(), "{e:?}");
            let text = e.to_string();
            assert!(text.contains("The token may have been redeemed"), "{text}");
            assert_eq!(text.matches("may have been redeemed").count(), 1, "{text}");
        }
        let known = [
            unexpected(redeem, 400, &[], failure),
            unexpected(redeem, 404, &[], failure),
            unexpected(redeem, 409, &[], failure),
            unexpected(redeem, 429, &[("retry-after", "1")], b""),
            unexpected(redeem, 307, &[("location", "http://elsewhere/")], b""),
            Error::Transport {
                operation: redeem,
                message: "connection refused".into(),
                not_sent: true,
            },
        ];
        for e in &known {
            assert!(!e.outcome_unknown(), "{e:?}");
            assert!(!e.to_string().contains("may have been redeemed"), "{e}");
        }
        // Other operations state the failure without talking about tokens.
        let list = unexpected(Operation::ListConsumerShares, 500, &[], failure);
        assert!(
            list.outcome_unknown() && !list.to_string().contains("token"),
            "{list}"
        );
    }

    #[test]
    fn a_redirect_is_reported_with_its_target_but_not_its_query() {
        let e = unexpected(
            Operation::RedeemSharedToken,
            308,
            &[(
                "location",
                "https://evil.example/cdx/v1/shared-tokens:redeem?key=abc#frag",
            )],
            b"",
        );
        let Error::InvalidResponse(r) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(r.status, Some(StatusCode::PERMANENT_REDIRECT));
        let text = e.to_string();
        assert!(
            text.contains("redirects to https://evil.example/cdx/v1/shared-tokens:redeem,")
                && text.contains("CDX_API_URL")
                && !text.contains("key=abc"),
            "{text}"
        );
        assert!(!e.is_retryable());
    }

    #[test]
    fn details_say_each_thing_once() {
        let mut h = HeaderMap::new();
        h.insert(
            "www-authenticate",
            r#"Basic error="invalid_key", error_description="The API Key is invalid""#
                .parse()
                .unwrap(),
        );
        h.insert("x-request-id", "req-1".parse().unwrap());
        let failure: Failure = serde_json::from_value(serde_json::json!({"errors": [
            {"code": "user_unauthenticated", "title": "Unauthorized", "detail": "The API key is invalid."}
        ]}))
        .unwrap();
        let api = ApiError::new(
            Operation::ListConsumerShares,
            StatusCode::UNAUTHORIZED,
            &h,
            Some(failure),
        );
        assert_eq!(
            api.details(),
            "\n  - user_unauthenticated: Unauthorized: The API key is invalid.\n  HTTP 401, request id req-1"
        );
        // A challenge that says something the body does not is kept.
        let api = ApiError::new(
            Operation::ListConsumerShares,
            StatusCode::UNAUTHORIZED,
            &h,
            None,
        );
        assert_eq!(
            api.details(),
            "\n  server: The API Key is invalid\n  HTTP 401, request id req-1"
        );
        assert!(api.to_string().starts_with("Authentication failed: "));
        assert!(api.to_string().ends_with(&api.details()));
    }

    #[test]
    fn auth_challenge_takes_the_description() {
        let mut h = HeaderMap::new();
        h.insert(
            "www-authenticate",
            r#"Basic error="invalid_key", error_description="The API Key is invalid""#
                .parse()
                .unwrap(),
        );
        assert_eq!(
            auth_challenge(&h).as_deref(),
            Some("The API Key is invalid")
        );
        h.insert("www-authenticate", "Basic realm=x".parse().unwrap());
        assert_eq!(auth_challenge(&h).as_deref(), Some("Basic realm=x"));
    }
}
