//! Routing (path and method → operation) and dispatch: the request pipeline.
//!
//! Order of checks for a request: route (404 unknown path, 405 + `Allow` undocumented method) →
//! queued fault → authentication (401) → rate limit (429) → request syntax (400) → existence
//! (404) → state and semantics (403, 409, 422, 400).

use std::sync::Arc;

use cdx_client::Operation;

use axum::body::Body;
use axum::extract::{Extension, Request, State as AxState};
use axum::http::{HeaderMap, Response};

use crate::RecordedRequest;
use crate::auth;
use crate::conn::ConnCtx;
use crate::ctx::Ctx;
use crate::faults::{self, After, Stage};
use crate::http::{self, ApiError, Out, Reply};
use crate::route::{Route, RouteError, provider_side, resolve};
use crate::state::Shared;
use crate::util;
use crate::{consumer, provider};

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
            operation_id: route.as_ref().ok().map(|r| r.op),
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

        let after = match shared.take_fault(route.op) {
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
    let principal = match auth::authenticate(headers, &shared.config, provider_side(route.op)) {
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
    use Operation as O;
    let result: Result<Out, ApiError> = match route.op {
        O::ListProviderSharedResources => provider::list_shared_resources(&mut ctx),
        O::GetProviderSharedResource => provider::get_shared_resource(&mut ctx),
        O::UpdateProviderSharedResource => provider::update_shared_resource(&mut ctx),
        O::UploadImageProviderSharedResource => provider::upload_image(&mut ctx),
        O::ViewImageProviderSharedResource => provider::view_image(&mut ctx),
        O::DeleteImageProviderSharedResource => provider::delete_image(&mut ctx),
        O::ListProviderShares => provider::list_shares(&mut ctx),
        O::CreateProviderShare => provider::create_share(&mut ctx),
        O::GetProviderShare => provider::get_share(&mut ctx),
        O::DeleteProviderShare => provider::delete_share(&mut ctx),
        O::ResendProviderShare => provider::resend_share(&mut ctx),
        O::GetOptIn => provider::get_opt_in(&mut ctx),
        O::UpdateOptIn => provider::update_opt_in(&mut ctx),
        O::ListConsumerSharedResources => consumer::list_shared_resources(&mut ctx),
        O::GetConsumerSharedResource => consumer::get_shared_resource(&mut ctx),
        O::ImageConsumerSharedResource => consumer::image(&mut ctx),
        O::NetworkConsumerSharedResource => consumer::network(&mut ctx),
        O::ListConsumerShares => consumer::list_shares(&mut ctx),
        O::GetConsumerShare => consumer::get_share(&mut ctx),
        O::DeleteConsumerShare => consumer::delete_share(&mut ctx),
        O::ResourcesSharedToken => consumer::token_resources(&mut ctx),
        O::RedeemSharedToken => consumer::redeem(&mut ctx),
        // An operation new in the spec: routed, but not simulated yet.
        other => Err(ApiError::new(
            501,
            "not_implemented",
            format!("the simulator does not implement {other}"),
        )),
    };
    Reply::Done(result, Some(rate))
}
