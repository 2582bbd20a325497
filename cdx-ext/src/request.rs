//! Helpers every operation wrapper uses, consumer and provider alike: checking path ids and page
//! tokens before sending, query flags, and reading an image response.

use crate::error::{Error, InvalidResponse, Result};
use crate::headers::header;
use crate::invalid_input::InvalidInput;
use crate::operation::Operation;
use futures::TryStreamExt as _;

/// An image (a shared resource's logo).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// The `Content-Type` the server sent, e.g. `image/png`.
    pub content_type: Option<String>,
    /// The image bytes.
    pub bytes: Vec<u8>,
}

/// Checks a path identifier before it is sent: an empty id would address the collection.
pub(crate) fn require_id<'a>(what: &str, id: &'a str) -> Result<&'a str, InvalidInput> {
    let id = id.trim();
    if id.is_empty() {
        return Err(InvalidInput::new(what, "it is empty"));
    }
    if id.len() > 255 || id.chars().any(char::is_control) {
        return Err(InvalidInput::new(
            what,
            "it must be at most 255 characters, without control characters",
        ));
    }
    Ok(id)
}

/// A page token as the generated client takes it, checked before sending.
pub(crate) fn page_token<T: std::str::FromStr>(
    token: Option<&str>,
) -> Result<Option<T>, InvalidInput> {
    token
        .map(|t| {
            t.parse::<T>()
                .map_err(|_| InvalidInput::new("page token", "it must be at most 255 characters"))
        })
        .transpose()
}

/// A boolean query flag: sent only when set.
pub(crate) fn flag(set: bool) -> Option<bool> {
    set.then_some(true)
}

/// The image of a logo response, read whole (up to the client's size `limit`: its hooks cut a
/// body that announced no length there).
pub(crate) async fn read_image(
    operation: Operation,
    response: progenitor_client::ResponseValue<progenitor_client::ByteStream>,
    limit: usize,
) -> Result<Image> {
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response
        .into_inner()
        .into_inner()
        .try_fold(Vec::new(), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await
        .map_err(|e| {
            if cdx_client::is_cut_off(&e) {
                Error::cut_off(
                    InvalidResponse::of_headers(operation, status, &headers),
                    limit,
                )
            } else {
                Error::transport(operation, &e)
            }
        })?;
    Ok(Image {
        content_type: header(&headers, "content-type"),
        bytes,
    })
}
