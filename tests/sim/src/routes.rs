//! Routing (path and method → operation) and dispatch: the request pipeline.
//!
//! Order of checks for a request: route (404 unknown path, 405 + `Allow` undocumented method) →
//! queued fault → authentication (401) → rate limit (429) → request syntax (400) → existence
//! (404) → state and semantics (403, 409, 422, 400).

use std::sync::Arc;

use cdx_client::Operation;

use axum::body::Body;
use axum::extract::{Extension, Request, State as AxState};
use axum::http::{HeaderMap, Method, Response};
use chrono::{DateTime, Utc};

use crate::RecordedRequest;
use crate::auth;
use crate::faults::{self, After, Stage};
use crate::http::{self, ApiError, Out, Reply};
use crate::model::Share;
use crate::paging::{self, ListQuery};
use crate::server::ConnCtx;
use crate::state::{Shared, State};
use crate::util;
use crate::{consumer, provider};

/// The 22 operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    ListProviderSharedResources,
    GetProviderSharedResource,
    UpdateProviderSharedResource,
    UploadImage,
    ViewImage,
    DeleteImage,
    ListProviderShares,
    CreateProviderShare,
    GetProviderShare,
    DeleteProviderShare,
    ResendProviderShare,
    ListConsumerSharedResources,
    GetConsumerSharedResource,
    ConsumerImage,
    Network,
    ListConsumerShares,
    GetConsumerShare,
    DeleteConsumerShare,
    TokenResources,
    Redeem,
    GetOptIn,
    UpdateOptIn,
}

impl Op {
    /// The operation, as cdx-ext names it (generated from the spec).
    pub(crate) fn operation(self) -> Operation {
        match self {
            Op::ListProviderSharedResources => Operation::ListProviderSharedResources,
            Op::GetProviderSharedResource => Operation::GetProviderSharedResource,
            Op::UpdateProviderSharedResource => Operation::UpdateProviderSharedResource,
            Op::UploadImage => Operation::UploadImageProviderSharedResource,
            Op::ViewImage => Operation::ViewImageProviderSharedResource,
            Op::DeleteImage => Operation::DeleteImageProviderSharedResource,
            Op::ListProviderShares => Operation::ListProviderShares,
            Op::CreateProviderShare => Operation::CreateProviderShare,
            Op::GetProviderShare => Operation::GetProviderShare,
            Op::DeleteProviderShare => Operation::DeleteProviderShare,
            Op::ResendProviderShare => Operation::ResendProviderShare,
            Op::ListConsumerSharedResources => Operation::ListConsumerSharedResources,
            Op::GetConsumerSharedResource => Operation::GetConsumerSharedResource,
            Op::ConsumerImage => Operation::ImageConsumerSharedResource,
            Op::Network => Operation::NetworkConsumerSharedResource,
            Op::ListConsumerShares => Operation::ListConsumerShares,
            Op::GetConsumerShare => Operation::GetConsumerShare,
            Op::DeleteConsumerShare => Operation::DeleteConsumerShare,
            Op::TokenResources => Operation::ResourcesSharedToken,
            Op::Redeem => Operation::RedeemSharedToken,
            Op::GetOptIn => Operation::GetOptIn,
            Op::UpdateOptIn => Operation::UpdateOptIn,
        }
    }

    /// Provider operations also accept STS bearer tokens.
    pub(crate) fn provider_side(self) -> bool {
        matches!(
            self,
            Op::ListProviderSharedResources
                | Op::GetProviderSharedResource
                | Op::UpdateProviderSharedResource
                | Op::UploadImage
                | Op::ViewImage
                | Op::DeleteImage
                | Op::ListProviderShares
                | Op::CreateProviderShare
                | Op::GetProviderShare
                | Op::DeleteProviderShare
                | Op::ResendProviderShare
                | Op::GetOptIn
                | Op::UpdateOptIn
        )
    }
}

/// A routed request: the operation and its (decoded) path parameters.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub op: Op,
    pub id: String,
    pub file_name: String,
}

pub(crate) enum RouteError {
    NotFound,
    MethodNotAllowed(&'static str),
}

/// Maps a method and raw path to an operation. HEAD is served as GET.
pub(crate) fn resolve(method: &Method, path: &str) -> Result<Route, RouteError> {
    use Op::*;
    let Some(rest) = path.strip_prefix("/cdx/v1/") else {
        return Err(RouteError::NotFound);
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let m = if method == Method::HEAD {
        Method::GET
    } else {
        method.clone()
    };
    let dec = |s: &str| util::percent_decode(s, false);
    // (allowed methods, [(method, op)], id, file_name)
    let (allow, table, id, file): (&'static str, Vec<(Method, Op)>, String, String) =
        match segs.as_slice() {
            ["provider-shared-resources"] => (
                "GET",
                vec![(Method::GET, ListProviderSharedResources)],
                String::new(),
                String::new(),
            ),
            ["provider-shared-resources", id] => (
                "GET, PATCH",
                vec![
                    (Method::GET, GetProviderSharedResource),
                    (Method::PATCH, UpdateProviderSharedResource),
                ],
                dec(id),
                String::new(),
            ),
            ["provider-shared-resources", id, "images", file] => (
                "POST, GET, DELETE",
                vec![
                    (Method::POST, UploadImage),
                    (Method::GET, ViewImage),
                    (Method::DELETE, DeleteImage),
                ],
                dec(id),
                dec(file),
            ),
            ["provider-shares"] => (
                "GET, POST",
                vec![
                    (Method::GET, ListProviderShares),
                    (Method::POST, CreateProviderShare),
                ],
                String::new(),
                String::new(),
            ),
            ["provider-shares", seg] => match seg.strip_suffix(":resend") {
                // `{id}:resend` answers POST; GET and DELETE of an id that happens to end in
                // `:resend` still reach the share itself.
                Some(id) if m == Method::POST => (
                    "POST",
                    vec![(Method::POST, ResendProviderShare)],
                    dec(id),
                    String::new(),
                ),
                Some(_) if m != Method::GET && m != Method::DELETE => {
                    return Err(RouteError::MethodNotAllowed("POST"));
                }
                _ => (
                    "GET, DELETE",
                    vec![
                        (Method::GET, GetProviderShare),
                        (Method::DELETE, DeleteProviderShare),
                    ],
                    dec(seg),
                    String::new(),
                ),
            },
            ["consumer-shared-resources"] => (
                "GET",
                vec![(Method::GET, ListConsumerSharedResources)],
                String::new(),
                String::new(),
            ),
            ["consumer-shared-resources", seg] => match seg.strip_suffix(":network") {
                Some(id) => ("GET", vec![(Method::GET, Network)], dec(id), String::new()),
                None => (
                    "GET",
                    vec![(Method::GET, GetConsumerSharedResource)],
                    dec(seg),
                    String::new(),
                ),
            },
            ["consumer-shared-resources", id, "images", file] => (
                "GET",
                vec![(Method::GET, ConsumerImage)],
                dec(id),
                dec(file),
            ),
            ["consumer-shares"] => (
                "GET",
                vec![(Method::GET, ListConsumerShares)],
                String::new(),
                String::new(),
            ),
            ["consumer-shares", id] => (
                "GET, DELETE",
                vec![
                    (Method::GET, GetConsumerShare),
                    (Method::DELETE, DeleteConsumerShare),
                ],
                dec(id),
                String::new(),
            ),
            ["shared-tokens:resources"] => (
                "POST",
                vec![(Method::POST, TokenResources)],
                String::new(),
                String::new(),
            ),
            ["shared-tokens:redeem"] => (
                "POST",
                vec![(Method::POST, Redeem)],
                String::new(),
                String::new(),
            ),
            ["opt-in"] => (
                "GET, PATCH",
                vec![(Method::GET, GetOptIn), (Method::PATCH, UpdateOptIn)],
                String::new(),
                String::new(),
            ),
            _ => return Err(RouteError::NotFound),
        };
    match table.into_iter().find(|(tm, _)| *tm == m) {
        Some((_, op)) => Ok(Route {
            op,
            id,
            file_name: file,
        }),
        None => Err(RouteError::MethodNotAllowed(allow)),
    }
}

/// Everything a handler needs. The state lock is held for the whole call.
pub(crate) struct Ctx<'a> {
    pub shared: &'a Shared,
    pub st: &'a mut State,
    /// The caller's organization.
    pub org: usize,
    pub route: &'a Route,
    pub path: &'a str,
    pub query: Vec<(String, String)>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    pub(crate) fn base(&self) -> &str {
        &self.shared.base_url
    }

    /// A 200 answer with the page of `items` that `q` asks for, as a list of `kind`.
    pub(crate) fn page(
        &self,
        kind: &str,
        items: Vec<serde_json::Value>,
        q: &ListQuery,
    ) -> Result<Out, ApiError> {
        let page = paging::page(
            items,
            q,
            kind,
            self.base(),
            self.path,
            &self.shared.page_nonce,
        );
        Ok(Out::Json(200, page))
    }

    /// Deactivates share `id` (revoked or left) and takes away the Kafka access its redemption
    /// gave.
    pub(crate) fn deactivate_share(&mut self, id: &str) -> &mut Share {
        let now = self.now;
        let share = self.st.shares.get_mut(id).expect("checked");
        share.deactivate(now);
        if let Some(kafka) = &self.shared.config.kafka {
            kafka.revoke(share);
        }
        share
    }
}

/// The single axum handler (the router's fallback): records, routes, applies faults, runs the
/// operation.
pub(crate) async fn handle(
    AxState(shared): AxState<Arc<Shared>>,
    Extension(conn): Extension<ConnCtx>,
    req: Request,
) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 64 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let request_id = shared.next_request_id();
    let path = parts.uri.path().to_string();
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let route = resolve(&parts.method, &path);

    let logged = {
        let mut log = shared.log.lock().unwrap();
        log.push(RecordedRequest {
            method: parts.method.to_string(),
            path: path.clone(),
            query: raw_query.clone(),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| {
                    let v = if k == "authorization" {
                        "<redacted>".to_string()
                    } else {
                        String::from_utf8_lossy(v.as_bytes()).into_owned()
                    };
                    (k.as_str().to_string(), v)
                })
                .collect(),
            body: body.to_vec(),
            operation_id: route.as_ref().ok().map(|r| r.op.operation()),
            status: None,
        });
        log.len() - 1
    };
    // Never finishes for a fault that resets the connection: its status stays `None`.
    let response = async {
        let route = match route {
            Ok(r) => r,
            Err(RouteError::NotFound) => {
                let err = ApiError::new(404, "not_found", format!("No route for {path}"));
                return http::error_response(&err, &request_id, None);
            }
            Err(RouteError::MethodNotAllowed(allow)) => {
                let mut err = ApiError::new(
                    405,
                    "method_not_allowed",
                    format!("{} is not supported here; use {allow}", parts.method),
                );
                err.allow = Some(allow);
                return http::error_response(&err, &request_id, None);
            }
        };

        let after = match shared.take_fault(route.op.operation()) {
            None => None,
            Some(action) => match faults::stage(action, &request_id, limit(&shared)) {
                Stage::Instead(resp) => return resp,
                Stage::ResetNow => return conn.reset().await,
                Stage::After(after) => Some(after),
            },
        };

        let reply = process(&shared, &route, &parts.headers, &path, &raw_query, &body);
        let rewrite: Option<fn(&mut serde_json::Value)> = match &after {
            Some(After::Rewrite(f)) => Some(*f),
            _ => None,
        };
        let response = match rewrite {
            Some(f) => http::render(reply, &request_id, Some(&f)),
            None => http::render(reply, &request_id, None),
        };
        match after {
            Some(After::Truncate) => truncate(response).await,
            Some(After::BreakBody) => break_body(response, conn).await,
            Some(After::Delay(d)) => {
                tokio::time::sleep(d).await;
                response
            }
            Some(After::Reset) => conn.reset().await,
            _ => response,
        }
    }
    .await;
    shared.log.lock().unwrap()[logged].status = Some(response.status().as_u16());
    response
}

/// The configured (or nominal) requests per window.
fn limit(shared: &Shared) -> u32 {
    shared
        .config
        .rate_limit
        .unwrap_or(crate::rate_limit::NOMINAL)
        .limit
}

/// Keeps the first half of the body (the headers then announce the shorter length).
async fn truncate(response: Response<Body>) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(half))
}

/// Announces the whole body's length, sends its first half, then resets the connection.
async fn break_body(response: Response<Body>, conn: ConnCtx) -> Response<Body> {
    use axum::body::Bytes;
    use futures::StreamExt as _;
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    // hyper sends a streamed body with the length given here (not chunked), so the client
    // expects every byte.
    parts.headers.insert(
        axum::http::header::CONTENT_LENGTH,
        axum::http::HeaderValue::from(bytes.len()),
    );
    let half = futures::stream::once(std::future::ready(Ok::<_, std::io::Error>(
        bytes.slice(..bytes.len() / 2),
    )));
    let then_reset = futures::stream::once(async move {
        // hyper writes and flushes the first half while it waits for the next chunk; the pause
        // lets that reach the client before the reset.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        conn.abort();
        std::future::pending::<Result<Bytes, std::io::Error>>().await
    });
    Response::from_parts(parts, Body::from_stream(half.chain(then_reset)))
}

/// Authenticates, rate-limits and runs the operation.
fn process(
    shared: &Shared,
    route: &Route,
    headers: &HeaderMap,
    path: &str,
    raw_query: &str,
    body: &[u8],
) -> Reply {
    let principal = match auth::authenticate(headers, &shared.config, route.op.provider_side()) {
        Ok(p) => p,
        Err(e) => return Reply::Done(Err(e), None),
    };
    let rate = match shared.rate.lock().unwrap().check(&principal.bucket) {
        Ok(info) => info,
        Err(info) => return Reply::Limited(info),
    };
    let now = shared.now();
    let mut st = shared.state.lock().unwrap();
    let mut ctx = Ctx {
        shared,
        st: &mut st,
        org: principal.org,
        route,
        path,
        query: util::parse_query(raw_query),
        headers,
        body,
        now,
    };
    let result: Result<Out, ApiError> = match route.op {
        Op::ListProviderSharedResources => provider::list_shared_resources(&mut ctx),
        Op::GetProviderSharedResource => provider::get_shared_resource(&mut ctx),
        Op::UpdateProviderSharedResource => provider::update_shared_resource(&mut ctx),
        Op::UploadImage => provider::upload_image(&mut ctx),
        Op::ViewImage => provider::view_image(&mut ctx),
        Op::DeleteImage => provider::delete_image(&mut ctx),
        Op::ListProviderShares => provider::list_shares(&mut ctx),
        Op::CreateProviderShare => provider::create_share(&mut ctx),
        Op::GetProviderShare => provider::get_share(&mut ctx),
        Op::DeleteProviderShare => provider::delete_share(&mut ctx),
        Op::ResendProviderShare => provider::resend_share(&mut ctx),
        Op::GetOptIn => provider::get_opt_in(&mut ctx),
        Op::UpdateOptIn => provider::update_opt_in(&mut ctx),
        Op::ListConsumerSharedResources => consumer::list_shared_resources(&mut ctx),
        Op::GetConsumerSharedResource => consumer::get_shared_resource(&mut ctx),
        Op::ConsumerImage => consumer::image(&mut ctx),
        Op::Network => consumer::network(&mut ctx),
        Op::ListConsumerShares => consumer::list_shares(&mut ctx),
        Op::GetConsumerShare => consumer::get_share(&mut ctx),
        Op::DeleteConsumerShare => consumer::delete_share(&mut ctx),
        Op::TokenResources => consumer::token_resources(&mut ctx),
        Op::Redeem => consumer::redeem(&mut ctx),
    };
    Reply::Done(result, Some(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: Method, path: &str) -> Option<Op> {
        resolve(&method, path).ok().map(|r| r.op)
    }

    #[test]
    fn routes() {
        assert_eq!(
            op(Method::POST, "/cdx/v1/provider-shares/ss-1:resend"),
            Some(Op::ResendProviderShare)
        );
        assert_eq!(
            op(Method::GET, "/cdx/v1/provider-shares/ss-1"),
            Some(Op::GetProviderShare)
        );
        assert_eq!(
            op(
                Method::GET,
                "/cdx/v1/consumer-shared-resources/sr-1:network"
            ),
            Some(Op::Network)
        );
        assert_eq!(
            op(Method::POST, "/cdx/v1/shared-tokens:redeem"),
            Some(Op::Redeem)
        );
        let r = resolve(
            &Method::GET,
            "/cdx/v1/provider-shared-resources/sr%2F1/images/logo",
        )
        .ok()
        .unwrap();
        assert_eq!(
            (r.op, r.id.as_str(), r.file_name.as_str()),
            (Op::ViewImage, "sr/1", "logo")
        );
        assert!(matches!(
            resolve(&Method::PUT, "/cdx/v1/opt-in"),
            Err(RouteError::MethodNotAllowed("GET, PATCH"))
        ));
        assert!(matches!(
            resolve(&Method::GET, "/cdx/v2/opt-in"),
            Err(RouteError::NotFound)
        ));
    }
}
