//! [`Client`] and [`ClientBuilder`]: authentication, timeouts, and the one request loop every
//! operation goes through (retries and tracing).

use crate::Secret;
use crate::env::{ENV_API_KEY, ENV_API_SECRET, ENV_API_URL};
use crate::error::{CredentialKind, Error, Result};
use crate::invalid_input::InvalidInput;
use crate::operation::Operation;
use crate::retry::{RetryCause, RetryNotice, RetryPolicy};
use base64::Engine as _;
use cdx_client::types::Failure;
use progenitor_client::ResponseValue;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Confluent Cloud API.
pub const DEFAULT_API_URL: &str = "https://api.confluent.cloud";
/// The largest response body read by default (16 MiB); see [`ClientBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("cdx/", env!("CARGO_PKG_VERSION"));

/// How requests authenticate.
#[derive(Clone)]
pub enum Credentials {
    /// A Cloud API key and secret, sent as HTTP Basic (every operation accepts it).
    CloudApiKey {
        /// The key id (the Basic username).
        key: String,
        /// The secret (the Basic password).
        secret: Secret,
    },
    /// An OAuth access token (e.g. from Confluent STS), sent as `Bearer`. The spec lists it for
    /// provider operations; consumer operations take a Cloud API key.
    AccessToken(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CloudApiKey { key, .. } => f
                .debug_struct("CloudApiKey")
                .field("key", key)
                .field("secret", &"<redacted>")
                .finish(),
            Self::AccessToken(_) => f.write_str("AccessToken(<redacted>)"),
        }
    }
}

impl Credentials {
    fn header(&self) -> HeaderValue {
        let text = match self {
            Self::CloudApiKey { key, secret } => {
                let pair = format!("{key}:{}", secret.expose_secret());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
            Self::AccessToken(token) => format!("Bearer {}", token.expose_secret()),
        };
        let mut value = HeaderValue::from_str(&text).expect("validated: visible ASCII only");
        // Marked sensitive: never printed by reqwest/hyper's Debug, not indexed by HPACK.
        value.set_sensitive(true);
        value
    }

    fn kind(&self) -> CredentialKind {
        match self {
            Self::CloudApiKey { .. } => CredentialKind::CloudApiKey,
            Self::AccessToken(_) => CredentialKind::AccessToken,
        }
    }

    fn validate(&self) -> Result<(), InvalidInput> {
        let printable = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic());
        match self {
            Self::CloudApiKey { key, secret } => {
                if !printable(key) || key.contains(':') {
                    return Err(InvalidInput::new(
                        "Cloud API key",
                        "it must be non-empty visible ASCII without ':'",
                    ));
                }
                if !printable(secret.expose_secret()) {
                    return Err(InvalidInput::new(
                        "Cloud API secret",
                        "it must be non-empty visible ASCII",
                    ));
                }
            }
            Self::AccessToken(token) => {
                if !printable(token.expose_secret()) {
                    return Err(InvalidInput::new(
                        "access token",
                        "it must be non-empty visible ASCII",
                    ));
                }
            }
        }
        Ok(())
    }
}

type RetryHook = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// Builds a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    page_size: u8,
    max_response_bytes: usize,
    on_retry: Option<RetryHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("page_size", &self.page_size)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_API_URL.into(),
            credentials: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            page_size: 100,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            on_retry: None,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults: the Confluent Cloud URL, no credentials, 30 s request and
    /// 10 s connect timeouts, the default [`RetryPolicy`], 100 items per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with credentials from `CONFLUENT_CLOUD_API_KEY` and `CONFLUENT_CLOUD_API_SECRET`,
    /// and the base URL from `CDX_API_URL` when set.
    pub fn from_env() -> Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let missing = |name: &str| {
            InvalidInput::new(
                "credentials",
                &format!(
                    "{name} is not set; export {ENV_API_KEY} and {ENV_API_SECRET} with a Cloud API key and secret (confluent api-key create --resource cloud)"
                ),
            )
        };
        let key = var(ENV_API_KEY).ok_or_else(|| missing(ENV_API_KEY))?;
        let secret = var(ENV_API_SECRET).ok_or_else(|| missing(ENV_API_SECRET))?;
        let mut builder = Self::new().cloud_api_key(key.trim(), secret.trim());
        if let Some(url) = var(ENV_API_URL) {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// Authenticate with a Cloud API key and secret (HTTP Basic).
    pub fn cloud_api_key(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::CloudApiKey {
            key: key.into(),
            secret: Secret::new(secret),
        });
        self
    }

    /// Authenticate with an OAuth access token (`Bearer`); provider operations accept it.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::AccessToken(Secret::new(token)));
        self
    }

    /// The API's base URL (default `https://api.confluent.cloud`). Plain `http://` is accepted
    /// only for this machine (`localhost`, `127.0.0.1`, `[::1]`), e.g. the simulator.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The whole-request timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Items per page when listing, 1 to 100 (default 100).
    pub fn page_size(mut self, size: u8) -> Self {
        self.page_size = size;
        self
    }

    /// The largest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`], 16
    /// MiB): real answers are kilobytes. A response that announces a longer body is refused
    /// unread, and one that announces no length (chunked) stops being read at the limit (both
    /// [`Error::InvalidResponse`]); a longer redeem answer is read up to the limit and kept
    /// ([`crate::RedeemAnswer`]), then reported the same way.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Called before every retry wait (e.g. to tell a user the client is rate-limited).
    pub fn on_retry(mut self, hook: impl Fn(&RetryNotice) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(Arc::new(hook));
        self
    }

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let credentials = self.credentials.ok_or_else(|| {
            InvalidInput::new("credentials", &format!("none given; set {ENV_API_KEY} and {ENV_API_SECRET}, or pass an API key or access token"))
        })?;
        credentials.validate()?;
        let base_url = validate_base_url(&self.base_url)?;
        if !(1..=100).contains(&self.page_size) {
            return Err(
                InvalidInput::new("page size", "the API takes 1 to 100 items per page").into(),
            );
        }
        if self.retry.max_attempts == 0 {
            return Err(
                InvalidInput::new("retry policy", "max_attempts must be at least 1").into(),
            );
        }
        if self.max_response_bytes == 0 {
            return Err(
                InvalidInput::new("response size limit", "it must be at least 1 byte").into(),
            );
        }
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, credentials.header());
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // Never follow redirects: a 307/308 would resend the credentials and a share token
            // (spending it) to wherever it points. A redirect is reported as an error instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| InvalidInput::new("HTTP client", &e.to_string()))?;
        Ok(Client {
            inner: cdx_client::Client::new_with_client(&base_url, http, Default::default()),
            retry: self.retry,
            timeouts: (self.timeout, self.connect_timeout),
            page_size: self.page_size,
            max_response_bytes: self.max_response_bytes,
            on_retry: self.on_retry,
            credentials: credentials.kind(),
        })
    }
}

/// `url` as it may be shown: without the user name and password of a `user:pass@host` URL.
fn without_user_info(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<credentials removed>@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

fn validate_base_url(url: &str) -> Result<String, InvalidInput> {
    let invalid = |reason: &str| InvalidInput::new("API base URL", reason);
    // Messages quote the URL: never with the credentials it might carry.
    let shown = without_user_info(url.trim());
    let url = &shown;
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| invalid(&format!("{url:?} is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(&format!("{url:?} is not an http(s) URL")));
    }
    // Plain http would carry the API secret and share tokens unencrypted: only to this machine
    // (the simulator, a local proxy).
    if parsed.scheme() == "http" && !is_loopback(&parsed) {
        return Err(invalid(&format!(
            "{url:?} is plain http, which would send the API secret and share tokens unencrypted; use https:// (http is accepted only for localhost)"
        )));
    }
    if parsed.query().is_some()
        || parsed.fragment().is_some()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return Err(invalid(&format!(
            "{url:?} must not carry a query, fragment or credentials"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    match host.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    }
}

/// A client of the cdx/v1 API. Cheap to clone; share one per application.
#[derive(Clone)]
pub struct Client {
    inner: cdx_client::Client,
    retry: RetryPolicy,
    timeouts: (Duration, Duration),
    page_size: u8,
    max_response_bytes: usize,
    on_retry: Option<RetryHook>,
    credentials: CredentialKind,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use progenitor_client::ClientInfo;
        f.debug_struct("Client")
            .field("base_url", &self.inner.baseurl())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client configured from the environment (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The generated client underneath, for anything this crate does not wrap. It carries the
    /// authentication but none of the retries.
    pub fn generated(&self) -> &cdx_client::Client {
        &self.inner
    }

    /// The API base URL.
    pub fn base_url(&self) -> &str {
        use progenitor_client::ClientInfo;
        self.inner.baseurl()
    }

    /// The largest response body read, in bytes.
    pub(crate) fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// Items per page, as the generated client takes it (checked to be 1 to 100 on build).
    pub(crate) fn page_size(&self) -> std::num::NonZeroU64 {
        std::num::NonZeroU64::new(u64::from(self.page_size)).expect("checked on build: 1 to 100")
    }

    /// Sends one operation through the retry policy, with a tracing span per call and an event
    /// per attempt. `send` is called once per attempt.
    ///
    /// The span (`cdx`) carries `operation` and `method`, and after each attempt `attempt`,
    /// `status`, `request_id` and `elapsed_ms` (since the call began, waits included); the
    /// events carry the same per attempt, with that attempt's own `elapsed_ms`. None of them
    /// holds a secret: credentials travel in headers and bodies, never in paths.
    ///
    /// `send` gets a generated client of this call's own, whose hooks record each response's
    /// status and headers ([`cdx_client::ResponseMeta`], the one source of them for errors and
    /// tracing) and cap its body at [`ClientBuilder::max_response_bytes`] (except a redeem's
    /// success, which [`crate::answer`] reads up to the limit itself and keeps).
    pub(crate) async fn call<T, F, Fut>(
        &self,
        operation: Operation,
        mut send: F,
    ) -> Result<ResponseValue<T>>
    where
        F: FnMut(Arc<cdx_client::Client>) -> Fut,
        Fut: Future<
            Output = std::result::Result<ResponseValue<T>, progenitor_client::Error<Failure>>,
        >,
    {
        use tracing::Instrument as _;
        use tracing::field::Empty;
        let span = tracing::debug_span!(
            "cdx",
            operation = operation.id(),
            method = operation.method(),
            attempt = Empty,
            status = Empty,
            request_id = Empty,
            elapsed_ms = Empty,
        );
        let call_span = span.clone();
        async move {
            let call_started = Instant::now();
            let mut waited = Duration::ZERO;
            let mut attempt = 1;
            // The fields are computed only for a subscriber that wants them: this loop is on
            // every call's path.
            let traced = tracing::enabled!(tracing::Level::DEBUG);
            let cap = match operation {
                Operation::RedeemSharedToken => cdx_client::Cap::ErrorsOnly(self.max_response_bytes),
                _ => cdx_client::Cap::All(self.max_response_bytes),
            };
            // Owned by each attempt's future while it runs (so that cdx-ext's futures are `Send`
            // for any caller), and by this loop alone after it, to take what the hooks recorded.
            let mut client = Arc::new(self.inner.for_call(cap, traced));
            loop {
                let started = Instant::now();
                let result = send(client.clone()).await;
                let meta =
                    Arc::get_mut(&mut client).and_then(cdx_client::Client::take_response_meta);
                let status = meta.as_ref().map(|m| m.status.as_u16());
                if traced {
                    let request_id = meta.as_ref().and_then(|m| m.request_id_str());
                    let path = meta.as_ref().and_then(|m| m.url.as_ref()).map(|u| u.path());
                    // Recorded per attempt, so the span shows the last one; an attempt without a
                    // response leaves the previous status and request id in place.
                    call_span.record("attempt", attempt);
                    call_span.record("elapsed_ms", millis(call_started.elapsed()));
                    if let Some(status) = status {
                        call_span.record("status", status);
                    }
                    if let Some(id) = request_id {
                        call_span.record("request_id", id);
                    }
                    let elapsed_ms = millis(started.elapsed());
                    tracing::debug!(attempt, status, request_id, path, elapsed_ms, "response");
                }
                let error = match result {
                    Ok(value) => return Ok(value),
                    Err(e) => Error::from_generated(operation, e, meta)
                        .await
                        .with_client_context(self.timeouts.0, self.timeouts.1, self.credentials),
                };
                let Some(wait) = self.retry.next_wait(operation, &error, attempt, waited) else {
                    tracing::debug!(attempt, status, request_id = error.request_id(), "giving up: {}", first_line(&error));
                    return Err(error);
                };
                tracing::info!(attempt, wait_ms = millis(wait), reason = %first_line(&error), "retrying");
                // Every error the policy resends has a cause; the hook hears of each one.
                if let (Some(hook), Some(cause)) = (&self.on_retry, RetryCause::of(&error)) {
                    hook(&RetryNotice {
                        operation,
                        attempt,
                        wait,
                        rate_limited: cause == RetryCause::RateLimited,
                        cause,
                    });
                }
                tokio::time::sleep(wait).await;
                waited += wait;
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }

    /// [`Client::call`], and the decoded answer.
    pub(crate) async fn fetch<T, F, Fut>(&self, operation: Operation, send: F) -> Result<T>
    where
        F: FnMut(Arc<cdx_client::Client>) -> Fut,
        Fut: Future<
            Output = std::result::Result<ResponseValue<T>, progenitor_client::Error<Failure>>,
        >,
    {
        Ok(self.call(operation, send).await?.into_inner())
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn first_line(error: &Error) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorization_header_is_sensitive_for_both_kinds_of_credentials() {
        let basic = Credentials::CloudApiKey {
            key: "KEY".into(),
            secret: Secret::new("s3cret-value"),
        };
        let bearer = Credentials::AccessToken(Secret::new("access-t0ken"));
        for (credentials, expected) in [
            (&basic, "Basic S0VZOnMzY3JldC12YWx1ZQ=="),
            (&bearer, "Bearer access-t0ken"),
        ] {
            let value = credentials.header();
            assert!(value.is_sensitive(), "{credentials:?}");
            assert_eq!(value.to_str().unwrap(), expected);
            // http's Debug of a sensitive value is "Sensitive", never the value.
            assert_eq!(format!("{value:?}"), "Sensitive");
            let shown = format!("{credentials:?}");
            assert!(
                !shown.contains("s3cret") && !shown.contains("t0ken"),
                "{shown}"
            );
        }
    }

    #[test]
    fn plain_http_is_accepted_only_for_this_machine() {
        for ok in [
            "https://api.confluent.cloud",
            "https://api.confluent.cloud/",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:8080",
            "http://localhost:1234/prefix/",
            "http://sim.localhost",
        ] {
            assert!(validate_base_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            validate_base_url("http://localhost:1234/prefix/").unwrap(),
            "http://localhost:1234/prefix"
        );
        for bad in [
            "http://api.confluent.cloud",
            "http://10.0.0.1:8080",
            "http://[::2]",
            "http://localhost.example.com",
            "ftp://api.confluent.cloud",
            "https://user:pass@api.confluent.cloud",
            "https://api.confluent.cloud?x=1",
            "api.confluent.cloud",
        ] {
            assert!(validate_base_url(bad).is_err(), "{bad}");
        }
        for secret in [
            "https://user:s3cret@api.confluent.cloud",
            "http://user:s3cret@10.0.0.1",
            "https://user:s3cret@",
            "https://us@er:s3cret@api.confluent.cloud/x",
        ] {
            let err = validate_base_url(secret).unwrap_err().to_string();
            assert!(!err.contains("s3cret") && !err.contains("user"), "{err}");
        }
        let err = validate_base_url("http://api.confluent.cloud").unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
    }

    #[test]
    fn builder_debug_shows_settings_not_secrets() {
        let builder = Client::builder().cloud_api_key("KEY", "s3cret-value");
        let shown = format!("{builder:?}");
        assert!(
            shown.contains("KEY") && shown.contains("connect_timeout"),
            "{shown}"
        );
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
