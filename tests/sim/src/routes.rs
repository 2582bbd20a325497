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

/// A routed request: the operation and its (decoded) path parameters.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub op: Operation,
    pub id: String,
    pub file_name: String,
}

pub(crate) enum RouteError {
    NotFound,
    /// The path is an operation's, the method none of them: the methods that are.
    MethodNotAllowed(String),
}

/// Whether `op` is a provider operation, which also accepts STS bearer tokens.
fn provider_side(op: Operation) -> bool {
    ["/cdx/v1/provider-", "/cdx/v1/opt-in"]
        .iter()
        .any(|prefix| op.path().starts_with(prefix))
}

/// The path parameters (raw, by name) of `path` if it fits the path template `template`, whose
/// parameters (`{id}`) may be followed by a literal within their segment (`{id}:network`).
fn fit<'t, 'p>(template: &'t str, path: &'p str) -> Option<Vec<(&'t str, &'p str)>> {
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut params = Vec::new();
    for (t, p) in template.into_iter().zip(path) {
        match t.strip_prefix('{').and_then(|t| t.split_once('}')) {
            Some((name, literal)) => params.push((name, p.strip_suffix(literal)?)),
            None if t == p => {}
            None => return None,
        }
    }
    Some(params)
}

/// Maps a method and raw path to an operation of the spec's table. HEAD is served as GET. A
/// template with a literal after its parameter wins over the bare parameter for the methods it
/// has (`POST .../ss-1:resend` resends; `GET .../ss-1:resend` reads share `ss-1:resend`).
pub(crate) fn resolve(method: &Method, path: &str) -> Result<Route, RouteError> {
    let method = if method == Method::HEAD {
        Method::GET
    } else {
        method.clone()
    };
    let mut fits: Vec<(Operation, Vec<(&str, &str)>)> = Operation::ALL
        .iter()
        .filter_map(|&op| fit(op.path(), path).map(|params| (op, params)))
        .collect();
    fits.sort_by_key(|(op, _)| !op.path().contains("}:"));
    if fits.is_empty() {
        return Err(RouteError::NotFound);
    }
    let Some((op, params)) = fits.iter().find(|(op, _)| op.method() == method.as_str()) else {
        // The methods of the most specific template, as the spec declares them for the path.
        let allow: Vec<&str> = fits
            .iter()
            .filter(|(op, _)| op.path() == fits[0].0.path())
            .map(|(op, _)| op.method())
            .collect();
        return Err(RouteError::MethodNotAllowed(allow.join(", ")));
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, raw)| util::percent_decode(raw, false))
            .unwrap_or_default()
    };
    Ok(Route {
        op: *op,
        id: param("id"),
        file_name: param("file_name"),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: Method, path: &str) -> Option<Operation> {
        resolve(&method, path).ok().map(|r| r.op)
    }

    #[test]
    fn routes() {
        assert_eq!(
            op(Method::POST, "/cdx/v1/provider-shares/ss-1:resend"),
            Some(Operation::ResendProviderShare)
        );
        assert_eq!(
            op(Method::GET, "/cdx/v1/provider-shares/ss-1"),
            Some(Operation::GetProviderShare)
        );
        assert_eq!(
            op(
                Method::GET,
                "/cdx/v1/consumer-shared-resources/sr-1:network"
            ),
            Some(Operation::NetworkConsumerSharedResource)
        );
        assert_eq!(
            op(Method::POST, "/cdx/v1/shared-tokens:redeem"),
            Some(Operation::RedeemSharedToken)
        );
        let r = resolve(
            &Method::GET,
            "/cdx/v1/provider-shared-resources/sr%2F1/images/logo",
        )
        .ok()
        .unwrap();
        assert_eq!(
            (r.op, r.id.as_str(), r.file_name.as_str()),
            (Operation::ViewImageProviderSharedResource, "sr/1", "logo")
        );
        assert!(matches!(
            resolve(&Method::PUT, "/cdx/v1/opt-in"),
            Err(RouteError::MethodNotAllowed(allow)) if allow == "GET, PATCH"
        ));
        // An id that ends like the resend action is still a share's for GET and DELETE.
        let r = resolve(&Method::GET, "/cdx/v1/provider-shares/ss-1:resend")
            .ok()
            .unwrap();
        assert_eq!(
            (r.op, r.id.as_str()),
            (Operation::GetProviderShare, "ss-1:resend")
        );
        let r = resolve(&Method::POST, "/cdx/v1/provider-shares/ss-1:resend")
            .ok()
            .unwrap();
        assert_eq!(r.id, "ss-1");
        assert!(matches!(
            resolve(&Method::PUT, "/cdx/v1/provider-shares/ss-1:resend"),
            Err(RouteError::MethodNotAllowed(allow)) if allow == "POST"
        ));
        assert!(matches!(
            resolve(&Method::GET, "/cdx/v1/provider-shares/ss-1/extra"),
            Err(RouteError::NotFound)
        ));
        assert!(matches!(
            resolve(&Method::GET, "/cdx/v2/opt-in"),
            Err(RouteError::NotFound)
        ));
    }
}
