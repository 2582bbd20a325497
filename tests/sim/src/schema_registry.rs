//! A Schema Registry stand-in for the simulator's real-Kafka mode, on a port of its own (a
//! registry is a host of its own upstream): HTTP basic auth with a redemption's Schema Registry
//! key and secret (its share active), and three read endpoints, each limited to the share's
//! subjects:
//!
//! - `GET /subjects`: the share's subjects that have a schema;
//! - `GET /schemas/ids/{id}`: `{"schema": …}` (plus `schemaType` unless Avro);
//! - `GET /subjects/{subject}/versions/latest`: `{"subject", "id", "version", "schema"}`.
//!
//! Errors have the registry's shape, `{"error_code": 40101, "message": …}`.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{Response, StatusCode, header};
use base64::Engine as _;
use serde_json::{Value, json};

use crate::registry::Schema;
use crate::state::Shared;
use crate::util;

/// Serves the stand-in on `listener` (its own thread and runtime) until `stop` fires or its
/// sender is dropped.
pub(crate) fn spawn(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    let serve = move |listener: tokio::net::TcpListener| async move {
        let app = Router::new().fallback(handle).with_state(shared);
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop.await;
            })
            .await;
    };
    crate::server::on_own_thread("cdx-sim-schema-registry", listener, serve, None);
}

fn answer(status: StatusCode, body: &Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            "application/vnd.schemaregistry.v1+json",
        )
        .body(Body::from(body.to_string()))
        .expect("a valid response")
}

fn error(status: StatusCode, code: u32, message: &str) -> Response<Body> {
    answer(status, &json!({ "error_code": code, "message": message }))
}

/// The subjects the basic-auth credentials of `req` may read (`None`: not authenticated).
fn visible_subjects(shared: &Shared, req: &Request) -> Option<Vec<String>> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (key, secret) = decoded.split_once(':')?;
    let st = shared.state.lock().unwrap();
    let now = shared.now();
    st.shares
        .values()
        .filter(|s| s.phase(now) == crate::model::Phase::Active)
        .find(|s| {
            s.redemption
                .as_ref()
                .is_some_and(|r| r.sr_api_key == key && r.sr_secret == secret)
        })
        .map(|s| s.subjects.clone())
}

fn schema_body(s: &Schema, with_subject: bool) -> Value {
    let mut body = json!({ "schema": s.schema });
    if s.schema_type != "AVRO" {
        body["schemaType"] = json!(s.schema_type);
    }
    if with_subject {
        body["subject"] = json!(s.subject);
        body["id"] = json!(s.id);
        body["version"] = json!(s.version);
    }
    body
}

async fn handle(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    let Some(subjects) = visible_subjects(&shared, &req) else {
        return error(StatusCode::UNAUTHORIZED, 40101, "Unauthorized");
    };
    if req.method() != axum::http::Method::GET {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            405,
            "Only GET is served here",
        );
    }
    let path = req.uri().path().to_string();
    let segments: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .map(|s| util::percent_decode(s, false))
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let schemas = shared.schema_registry.schemas.lock().unwrap().clone();
    match segments.as_slice() {
        ["subjects"] => {
            let mut listed: Vec<&str> = schemas
                .iter()
                .map(|s| s.subject.as_str())
                .filter(|s| subjects.iter().any(|v| v == s))
                .collect();
            listed.dedup();
            answer(StatusCode::OK, &json!(listed))
        }
        ["schemas", "ids", id] => {
            let found = id
                .parse::<u32>()
                .ok()
                .and_then(|id| schemas.iter().find(|s| s.id == id))
                .filter(|s| subjects.contains(&s.subject));
            match found {
                Some(s) => answer(StatusCode::OK, &schema_body(s, false)),
                None => error(StatusCode::NOT_FOUND, 40403, "Schema not found"),
            }
        }
        ["subjects", subject, "versions", "latest"] => {
            if !subjects.iter().any(|s| s == subject) {
                return error(
                    StatusCode::FORBIDDEN,
                    40301,
                    &format!("User is denied operation Read on Subject: {subject}"),
                );
            }
            match schemas.iter().rev().find(|s| s.subject == *subject) {
                Some(s) => answer(StatusCode::OK, &schema_body(s, true)),
                None => error(
                    StatusCode::NOT_FOUND,
                    40401,
                    &format!("Subject '{subject}' not found."),
                ),
            }
        }
        _ => error(StatusCode::NOT_FOUND, 404, &format!("No route for {path}")),
    }
}
