//! [`RedeemAnswer`]: a redeem's successful answer exactly as the server sent it, so that it can
//! be saved before anything can fail decoding it. The token is spent by then.

use crate::error::{Error, InvalidResponse, Result};
use crate::operation::Operation;
use crate::redemption::{Redemption, decode_response};
use cdx_client::types::{CdxV1RedeemTokenRequest, Failure};
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue};
use std::fmt;

/// The body of a redeem's HTTP 200, read up to the client's size limit.
pub(crate) struct Received {
    body: Vec<u8>,
    complete: bool,
}

/// A redeem's successful (HTTP 200) answer, as received and not yet decoded.
///
/// It holds the credentials: its `Debug` shows only its size. Save
/// [`RedeemAnswer::expose_body`] first, then [`RedeemAnswer::decode`] it: a body that does not
/// decode (a newer API, a server bug) is then still on disk, and the spent token not lost.
pub struct RedeemAnswer {
    body: Vec<u8>,
    complete: bool,
    limit: usize,
    status: StatusCode,
    headers: HeaderMap,
}

impl fmt::Debug for RedeemAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedeemAnswer")
            .field("bytes", &self.body.len())
            .field("complete", &self.complete)
            .field("request_id", &self.request_id())
            .finish_non_exhaustive()
    }
}

impl RedeemAnswer {
    /// The body's bytes as received, credentials included.
    pub fn expose_body(&self) -> &[u8] {
        &self.body
    }

    /// False when the body was longer than the client's limit
    /// ([`crate::ClientBuilder::max_response_bytes`]) and only its beginning was read.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The `X-Request-Id` of the answer.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
    }

    /// The share id (`id`) when the body is a JSON object that has one as a string, whether or
    /// not the rest decodes: to name the file the answer is saved to.
    pub fn share_id(&self) -> Option<String> {
        let value: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        value
            .get("id")?
            .as_str()
            .map(str::to_string)
            .filter(|id| !id.trim().is_empty())
    }

    /// Decodes the answer. Newer `api_version` and `kind` values are kept, not rejected. Fails
    /// with [`Error::InvalidResponse`] when the body is over the limit or not a redeem response,
    /// and with [`Error::IncompleteRedemption`] when it lacks what a Kafka client needs.
    pub fn decode(&self) -> Result<Redemption> {
        let operation = Operation::RedeemSharedToken;
        let about = || InvalidResponse::of_headers(operation, self.status, &self.headers);
        if !self.complete {
            return Err(Error::InvalidResponse(Box::new(InvalidResponse {
                reason: format!(
                    "it is larger than the {} response size limit, so it was not read whole",
                    crate::wording::size(self.limit)
                ),
                ..about()
            })));
        }
        let response = decode_response(&self.body)
            .map_err(|e| Error::invalid_body(about(), &self.body, &e))?;
        Redemption::try_from(response).map_err(|e| Error::IncompleteRedemption(Box::new(e)))
    }

    pub(crate) fn new(response: ResponseValue<Received>, limit: usize) -> Self {
        let (status, headers) = (response.status(), response.headers().clone());
        let received = response.into_inner();
        Self {
            body: received.body,
            complete: received.complete,
            limit,
            status,
            headers,
        }
    }
}

/// Sends a redeem as the generated method does (same request, same hooks), but keeps a 200's
/// body as bytes, read up to `limit`: the generated method decodes it at once, and a body that
/// fails to decode would be lost with the spent token.
pub(crate) async fn send(
    client: &cdx_client::Client,
    body: &CdxV1RedeemTokenRequest,
    limit: usize,
) -> std::result::Result<ResponseValue<Received>, progenitor_client::Error<Failure>> {
    use progenitor_client::{ClientHooks as _, ClientInfo as _, Error as G, OperationInfo};
    let url = format!("{}/cdx/v1/shared-tokens:redeem", client.baseurl());
    let mut request = client
        .client()
        .post(url)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .json(body)
        .build()?;
    let info = OperationInfo {
        operation_id: Operation::RedeemSharedToken.id(),
    };
    client.pre::<Failure>(&mut request, &info).await?;
    // The client's hooks cap only a redeem's error bodies (`Cap::ErrorsOnly`): an over-long
    // answer is read up to `limit` below and kept, since the token is spent.
    let result = client.exec(request, &info).await;
    client.post::<Failure>(&result, &info).await?;
    let mut response = result?;
    match response.status().as_u16() {
        200 => {
            let (status, headers) = (response.status(), response.headers().clone());
            let mut received = Received {
                body: Vec::new(),
                complete: true,
            };
            while let Some(chunk) = response.chunk().await.map_err(G::ResponseBodyError)? {
                let room = limit - received.body.len();
                if chunk.len() > room {
                    received.body.extend_from_slice(&chunk[..room]);
                    received.complete = false;
                    break;
                }
                received.body.extend_from_slice(&chunk);
            }
            Ok(ResponseValue::new(received, status, headers))
        }
        // The statuses the spec documents for a redeem, decoded as the generated method does.
        400 | 401 | 403 | 404 | 409 | 500 => Err(G::ErrorResponse(
            ResponseValue::<Failure>::from_response(response).await?,
        )),
        _ => Err(G::UnexpectedResponse(response)),
    }
}
