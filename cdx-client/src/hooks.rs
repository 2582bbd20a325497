//! Hand-written request hooks for the generated [`Client`] (progenitor's `ClientHooks`).
//!
//! They live in this crate because the trait and the type are both foreign to `cdx-ext`.

use crate::Client;
use progenitor_client::{ClientHooks, Error, OperationInfo};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use std::cell::RefCell;

/// Status and headers of the last HTTP response received inside [`capture_response_meta`].
#[derive(Clone, Debug)]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The URL requested (ids and query parameters; credentials travel in headers and bodies).
    pub url: reqwest::Url,
}

tokio::task_local! {
    static CAPTURE: RefCell<Option<ResponseMeta>>;
}

tokio::task_local! {
    static LIMIT: usize;
}

/// The start of the [`Error::Custom`] message of a response refused by [`with_response_limit`].
pub const RESPONSE_TOO_LARGE: &str = "the response announces more bytes than the limit";

/// Runs `call` (a generated method) with a cap on the response body: a response whose
/// `Content-Length` is over `limit` bytes fails with [`Error::Custom`] (message starting with
/// [`RESPONSE_TOO_LARGE`]) before its body is read.
pub async fn with_response_limit<F: Future>(limit: usize, call: F) -> F::Output {
    LIMIT.scope(limit, call).await
}

/// Runs `call` (a generated method) and also returns the status and headers of the response it
/// received, if any. progenitor's `InvalidResponsePayload` and `ResponseBodyError` errors do not
/// carry the status; callers that report errors need it ("HTTP 502 with an HTML body").
pub async fn capture_response_meta<F: Future>(call: F) -> (F::Output, Option<ResponseMeta>) {
    CAPTURE
        .scope(RefCell::new(None), async move {
            let output = call.await;
            (output, CAPTURE.with(|c| c.borrow_mut().take()))
        })
        .await
}

impl ClientHooks for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // progenitor sends `api-version: <info.version>` on every request; the cdx/v1 API
        // defines no such header, and requests carry only what the spec defines.
        request.headers_mut().remove("api-version");
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

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Ok(response) = result {
            // Outside `capture_response_meta` there is nowhere to put it: built only inside, so
            // plain calls of the generated client do not clone headers for nothing.
            let _ = CAPTURE.try_with(|c| {
                *c.borrow_mut() = Some(ResponseMeta {
                    status: response.status(),
                    headers: response.headers().clone(),
                    url: response.url().clone(),
                })
            });
            let length = response.content_length();
            if let (Ok(limit), Some(length)) = (LIMIT.try_with(|l| *l), length)
                && length > limit as u64
            {
                return Err(Error::Custom(format!(
                    "{RESPONSE_TOO_LARGE}: {length} > {limit}"
                )));
            }
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
