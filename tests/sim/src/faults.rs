//! Injectable faults and the body rewrites some of them apply.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use serde_json::{Value, json};

use cdx_client::Operation;

use crate::auth::BASIC_CHALLENGE;
use crate::http::{ApiError, error_response, too_many_requests};

/// A queued fault: it applies to the next `times` requests of `operation_id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// `None`: any operation.
    pub operation_id: Option<Operation>,
    /// How many matching requests it applies to.
    pub times: usize,
    pub action: FaultAction,
}

impl Fault {
    /// One use of `action` on `operation`.
    pub fn once(operation: Operation, action: FaultAction) -> Fault {
        Fault {
            operation_id: Some(operation),
            times: 1,
            action,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    /// An error status with a spec-shaped `Failure` body (429: no body, rate-limit headers and
    /// `Retry-After: 1`). The request is not processed.
    Status(u16),
    /// 429 with exactly these headers (`None`: header absent), plus `X-Request-Id`,
    /// `X-RateLimit-Limit` and `X-RateLimit-Remaining: 0`. Not processed.
    RateLimited {
        retry_after: Option<u64>,
        reset: Option<u64>,
    },
    /// An nginx-style HTML error page with that status (`text/html`). Not processed.
    Html(u16),
    /// That status with body `upstream connect error or disconnect/reset before headers`
    /// (`text/plain`). Not processed.
    NonJson(u16),
    /// Processed normally; only the first half of the body is sent, with a `Content-Length`
    /// that matches the half: the client gets a complete, short body (e.g. cut-off JSON).
    Truncate,
    /// Processed normally; `Content-Length` announces the whole body, the first half is sent,
    /// then the connection is reset: the client has the status and headers, and reading the
    /// body fails part-way.
    BreakBody,
    /// Processed normally; the response is sent after the delay.
    Delay(Duration),
    /// The connection is reset without a response. Not processed.
    Reset,
    /// Processed (state changes happen), then the connection is reset without a response.
    ResetAfterProcessing,
    /// Processed normally; every JSON object of the body gains `"x_future_field": {…}`.
    UnknownFields,
    /// Processed normally; `phase`, `cloud`, `delivery_method` and `network_connection_types`
    /// values become `SUSPENDED`, `ORACLE`, `CARRIER_PIGEON` and `TRANSIT_GATEWAY`.
    UnknownEnumValues,
    /// Processed normally; redeem `resources` gain `{"kind":"Connector","connector":"c1"}`, a
    /// network's `cloud` becomes `{"kind":"OracleNetwork",…}` and `consumer_restriction`s become
    /// `{"kind":"Domain","domain":"example.com"}`.
    UnknownUnionKinds,
    /// Exactly this status and JSON body (with `X-Request-Id`). Not processed.
    Json(u16, Value),
}

/// When a fault acts.
pub(crate) enum Stage {
    /// Answer instead of processing.
    Instead(Response<Body>),
    /// Drop the connection instead of processing.
    ResetNow,
    /// Process, then do something to the response.
    After(After),
}

pub(crate) enum After {
    Truncate,
    BreakBody,
    Delay(Duration),
    Reset,
    Rewrite(fn(&mut Value)),
}

/// Splits a fault into what happens before and after processing. `limit`: what
/// `X-RateLimit-Limit` says on an injected 429.
pub(crate) fn stage(action: FaultAction, request_id: &str, limit: u32) -> Stage {
    match action {
        FaultAction::Status(429) => {
            Stage::Instead(too_many_requests(request_id, limit, Some(1), Some(1)))
        }
        FaultAction::Status(status) => {
            let mut err = ApiError::new(status, code_for(status), detail_for(status));
            if status == 401 {
                err.www_authenticate = Some(BASIC_CHALLENGE);
            }
            Stage::Instead(error_response(&err, request_id, None))
        }
        FaultAction::RateLimited { retry_after, reset } => {
            Stage::Instead(too_many_requests(request_id, limit, reset, retry_after))
        }
        FaultAction::Html(status) => {
            let reason = crate::http::title(status);
            let page = format!(
                "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            Stage::Instead(plain(status, "text/html", page, request_id))
        }
        FaultAction::NonJson(status) => Stage::Instead(plain(
            status,
            "text/plain",
            "upstream connect error or disconnect/reset before headers".into(),
            request_id,
        )),
        FaultAction::Json(status, value) => {
            Stage::Instead(crate::http::json_response(status, &value, request_id))
        }
        FaultAction::Reset => Stage::ResetNow,
        FaultAction::Truncate => Stage::After(After::Truncate),
        FaultAction::BreakBody => Stage::After(After::BreakBody),
        FaultAction::Delay(d) => Stage::After(After::Delay(d)),
        FaultAction::ResetAfterProcessing => Stage::After(After::Reset),
        FaultAction::UnknownFields => Stage::After(After::Rewrite(add_unknown_fields)),
        FaultAction::UnknownEnumValues => Stage::After(After::Rewrite(unknown_enum_values)),
        FaultAction::UnknownUnionKinds => Stage::After(After::Rewrite(unknown_union_kinds)),
    }
}

fn plain(
    status: u16,
    content_type: &'static str,
    body: String,
    request_id: &str,
) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        r.headers_mut().insert("x-request-id", v);
    }
    r
}

fn code_for(status: u16) -> &'static str {
    match status {
        400 => "invalid_request",
        401 => "user_unauthenticated",
        403 => "user_unauthorized",
        404 => "not_found",
        409 => "resource_already_exists",
        422 => "invalid_configuration",
        500 => "internal_error",
        502..=504 => "service_unavailable",
        _ => "error",
    }
}

fn detail_for(status: u16) -> &'static str {
    match status {
        500..=599 => "An unexpected error occurred; retry later (injected fault)",
        _ => "Injected fault",
    }
}

/// Adds `x_future_field` to every object of the original body.
pub(crate) fn add_unknown_fields(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for child in map.values_mut() {
                add_unknown_fields(child);
            }
            map.insert(
                "x_future_field".into(),
                json!({ "added_in": "cdx/v1.1", "note": "a field this client does not know" }),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(add_unknown_fields),
        _ => {}
    }
}

/// Replaces the values of the open (`x-extensible-enum`) enums with values no client knows.
pub(crate) fn unknown_enum_values(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), &*child) {
                    ("phase", Value::String(_)) => *child = json!("SUSPENDED"),
                    ("cloud", Value::String(_)) => *child = json!("ORACLE"),
                    ("delivery_method", Value::String(_)) => *child = json!("CARRIER_PIGEON"),
                    ("network_connection_types", Value::Array(_)) => {
                        *child = json!(["TRANSIT_GATEWAY"])
                    }
                    _ => unknown_enum_values(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unknown_enum_values),
        _ => {}
    }
}

/// Adds or substitutes union members of kinds no client knows.
pub(crate) fn unknown_union_kinds(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let is_network = map.get("kind").and_then(Value::as_str) == Some("Network");
            let is_redeem = map.get("kind").and_then(Value::as_str) == Some("RedeemTokenResponse");
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "resources" if is_redeem => {
                        if let Value::Array(items) = child {
                            items.push(json!({ "kind": "Connector", "connector": "c1" }));
                        }
                    }
                    "consumer_restriction" => {
                        *child = json!({ "kind": "Domain", "domain": "example.com" })
                    }
                    _ => unknown_union_kinds(child),
                }
            }
            if is_network {
                map.insert(
                    "cloud".into(),
                    json!({
                        "kind": "OracleNetwork",
                        "private_endpoint_service": "ocid1.privateendpoint.oc1.iad.sim"
                    }),
                );
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unknown_union_kinds),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites() {
        let mut v = json!({"a": {"b": 1}, "c": [{"d": 2}]});
        add_unknown_fields(&mut v);
        assert!(v["x_future_field"].is_object());
        assert!(v["a"]["x_future_field"].is_object());
        assert!(v["c"][0]["x_future_field"].is_object());
        assert!(v["x_future_field"].get("x_future_field").is_none());

        let mut v = json!({"data": [{"status": {"phase": "ACTIVE"}, "cloud": "AWS", "network_connection_types": []}]});
        unknown_enum_values(&mut v);
        assert_eq!(v["data"][0]["status"]["phase"], "SUSPENDED");
        assert_eq!(v["data"][0]["cloud"], "ORACLE");
        assert_eq!(
            v["data"][0]["network_connection_types"][0],
            "TRANSIT_GATEWAY"
        );

        let mut v =
            json!({"kind": "RedeemTokenResponse", "resources": [{"kind": "Topic", "topic": "t"}]});
        unknown_union_kinds(&mut v);
        assert_eq!(v["resources"][1]["kind"], "Connector");
        let mut v = json!({"kind": "Network"});
        unknown_union_kinds(&mut v);
        assert_eq!(v["cloud"]["kind"], "OracleNetwork");
    }
}
