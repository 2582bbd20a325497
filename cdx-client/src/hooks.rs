//! Hand-written request hooks for the generated [`Client`] (progenitor's `ClientHooks`), and the
//! per-call [`Exchange`] they write what they see of a response into.
//!
//! They live in this crate because the trait and the type are both foreign to `cdx-ext`.
//!
//! Why a record: the generated methods hand back a [`ResponseValue`] (or an `ErrorResponse` /
//! `UnexpectedResponse` holding the response), but their body errors (`ResponseBodyError`,
//! `InvalidResponsePayload`) and a refused length (`Custom`) carry no status. A client made by
//! [`Client::for_call`] owns an [`Exchange`] (progenitor's inner value of the client): its `exec`
//! hook records the response's [`ResponseMeta`] there, whatever the call's outcome, and the
//! caller takes it with [`Client::take_response_meta`]. Nothing travels through task-locals or
//! other side channels, and a client not made for a call records nothing.
//!
//! [`ResponseValue`]: progenitor_client::ResponseValue

use crate::Client;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use std::sync::OnceLock;

/// What the hooks saw of one response.
#[derive(Clone, Debug)]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The `X-Request-Id` header, for Confluent support.
    pub request_id: Option<HeaderValue>,
    /// The `Content-Type` header.
    pub content_type: Option<HeaderValue>,
    /// The URL requested (ids and query parameters; credentials travel in headers and bodies),
    /// when the [`Exchange`] was asked to keep it.
    pub url: Option<reqwest::Url>,
    /// The length the response announced (`Content-Length`), if any.
    pub length: Option<u64>,
    /// The cap on the body's length the call read it under, if any.
    pub limit: Option<usize>,
}

impl ResponseMeta {
    /// The announced length when it is over the limit: the body was not read, and the call
    /// failed with [`Error::Custom`].
    pub fn refused_length(&self) -> Option<u64> {
        self.length
            .filter(|&length| self.limit.is_some_and(|limit| length > limit as u64))
    }

    /// Whether `err` (a body read error) is the cut of a body that announced no length at the
    /// limit.
    pub fn cut_off(&self, err: &reqwest::Error) -> bool {
        self.limit.is_some() && self.length.is_none() && is_cut_off(err)
    }

    fn text(value: Option<&HeaderValue>) -> Option<&str> {
        value.and_then(|v| v.to_str().ok())
    }

    /// [`ResponseMeta::request_id`] as text, when it is visible ASCII.
    pub fn request_id_str(&self) -> Option<&str> {
        Self::text(self.request_id.as_ref())
    }

    /// [`ResponseMeta::content_type`] as text, when it is visible ASCII.
    pub fn content_type_str(&self) -> Option<&str> {
        Self::text(self.content_type.as_ref())
    }
}

/// Whether `err` (a body read error) is the cut at the limit of a body that announced no length
/// (see [`Client::for_call`]), e.g. while a streamed body is read after the call.
pub fn is_cut_off(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// The start of the [`Error::Custom`] message of a response refused for its announced length.
pub const RESPONSE_TOO_LARGE: &str = "the response announces more bytes than the limit";

/// How a call's response bodies are capped (see [`Client::for_call`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cap {
    /// Bodies are read whole.
    #[default]
    None,
    /// Every body: at most this many bytes.
    All(usize),
    /// Every body but a success's, which the caller reads itself (a redeem's answer, read up to
    /// the limit and kept because the token is spent): at most this many bytes.
    ErrorsOnly(usize),
}

impl Cap {
    /// The cap on the body of a response with `status`.
    pub fn limit_for(self, status: reqwest::StatusCode) -> Option<usize> {
        match self {
            Self::None => None,
            Self::All(limit) => Some(limit),
            Self::ErrorsOnly(limit) => (!status.is_success()).then_some(limit),
        }
    }
}

/// The inner value of a generated [`Client`]: how its calls read responses, and where its hooks
/// record the last one. The client that [`Client::new_with_client`] makes with
/// `Exchange::default()` reads bodies whole and records nothing; [`Client::for_call`] makes one
/// that caps and records, for one caller at a time.
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    cap: Cap,
    keep_url: bool,
    record: bool,
    seen: OnceLock<ResponseMeta>,
}

impl Client {
    /// A copy of this client for one caller's calls, one at a time: response bodies are capped
    /// as `cap` says (a longer announced length fails with [`Error::Custom`] unread, starting
    /// with [`RESPONSE_TOO_LARGE`]; a body without `Content-Length` fails to read past the
    /// limit), and each response's [`ResponseMeta`] is kept (with the URL if `keep_url`) for
    /// [`Client::take_response_meta`].
    pub fn for_call(&self, cap: Cap, keep_url: bool) -> Self {
        Self {
            baseurl: self.baseurl.clone(),
            client: self.client.clone(),
            inner: Exchange {
                cap,
                keep_url,
                record: true,
                seen: OnceLock::new(),
            },
        }
    }

    /// The metadata of the response of the last call since the previous take, if it received
    /// one (a client from [`Client::for_call`] only).
    pub fn take_response_meta(&mut self) -> Option<ResponseMeta> {
        self.inner.seen.take()
    }
}

impl ClientHooks<Exchange> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // The spec's image upload declares `image/*`; the normalised spec takes raw bytes as
        // `application/octet-stream`. Send the real image type, read from the bytes.
        if info.operation_id == "upload_image_cdx_v1_provider_shared_resource"
            && let Some(kind) = request
                .body()
                .and_then(|b| b.as_bytes())
                .and_then(image_content_type)
        {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(kind));
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let exchange = &self.inner;
        let url = (exchange.record && exchange.keep_url).then(|| request.url().clone());
        let response = self.client().execute(request).await?;
        let length = response.content_length();
        let limit = exchange.cap.limit_for(response.status());
        // hyper stops a body at its announced length; one without (chunked, or ended by the
        // connection closing) is cut at the limit instead.
        let capped_at = limit.filter(|_| length.is_none());
        if exchange.record {
            let headers = response.headers();
            // Set once per call: `take_response_meta` empties it before the next.
            let _ = exchange.seen.set(ResponseMeta {
                status: response.status(),
                request_id: headers.get("x-request-id").cloned(),
                content_type: headers.get(CONTENT_TYPE).cloned(),
                url,
                length,
                limit,
            });
        }
        Ok(match capped_at {
            Some(limit) => {
                let (parts, body) = http::Response::from(response).into_parts();
                let body = reqwest::Body::wrap(http_body_util::Limited::new(body, limit));
                http::Response::from_parts(parts, body).into()
            }
            None => response,
        })
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Ok(response) = result
            && let Some(limit) = self.inner.cap.limit_for(response.status())
            && let Some(length) = response.content_length()
            && length > limit as u64
        {
            return Err(Error::Custom(format!(
                "{RESPONSE_TOO_LARGE}: {length} > {limit}"
            )));
        }
        Ok(())
    }
}

/// The media type of an image, from its first bytes (PNG, JPEG, GIF, WebP, SVG).
pub fn image_content_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
        let head = head.trim_start_matches('\u{feff}').trim_start();
        (head.starts_with("<svg") || (head.starts_with("<?xml") && head.contains("<svg")))
            .then_some("image/svg+xml")
    }
}
