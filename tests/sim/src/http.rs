//! Responses (success and `Failure` bodies, the documented headers) and request-body parsing.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use serde_json::{Map, Value, json};

use crate::rate_limit::RateInfo;

/// An error answered as a spec `Failure` body (boxed: handlers return it in every `Result`).
#[derive(Clone, Debug)]
pub(crate) struct ApiError(Box<ErrorData>);

#[derive(Clone, Debug)]
pub(crate) struct ErrorData {
    pub status: u16,
    pub code: &'static str,
    pub detail: String,
    /// JSON Pointer into the request body (`source.pointer`).
    pub pointer: Option<String>,
    /// Query parameter name (`source.parameter`).
    pub parameter: Option<String>,
    pub www_authenticate: Option<&'static str>,
    /// Conflicting resource (409).
    pub location: Option<String>,
    /// `Allow` (405).
    pub allow: Option<String>,
}

impl std::ops::Deref for ApiError {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

impl ApiError {
    pub(crate) fn new(status: u16, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError(Box::new(ErrorData {
            status,
            code,
            detail: detail.into(),
            pointer: None,
            parameter: None,
            www_authenticate: None,
            location: None,
            allow: None,
        }))
    }

    pub(crate) fn unauthorized(challenge: &'static str, detail: &str) -> ApiError {
        let mut e = ApiError::new(401, "user_unauthenticated", detail);
        e.www_authenticate = Some(challenge);
        e
    }

    /// 400 about the body, at `pointer`.
    pub(crate) fn body(pointer: &str, detail: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(400, "invalid_request", detail);
        e.pointer = Some(pointer.to_string());
        e
    }

    /// 400 about query parameter `name`.
    pub(crate) fn param(name: &str, code: &'static str, detail: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(400, code, detail);
        e.parameter = Some(name.to_string());
        e
    }

    /// 422 about the body, at `pointer`.
    pub(crate) fn unprocessable(pointer: &str, detail: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(422, "invalid_configuration", detail);
        e.pointer = Some(pointer.to_string());
        e
    }

    pub(crate) fn not_found(what: &str, id: &str) -> ApiError {
        ApiError::new(404, "not_found", format!("No {what} with id '{id}' exists"))
    }

    pub(crate) fn conflict(detail: impl Into<String>, location: String) -> ApiError {
        let mut e = ApiError::new(409, "resource_already_exists", detail);
        e.location = Some(location);
        e
    }

    pub(crate) fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(403, "user_unauthorized", detail)
    }

    pub(crate) fn failure_body(&self, request_id: &str) -> Value {
        let mut e = Map::new();
        e.insert("id".into(), json!(request_id));
        e.insert("status".into(), json!(self.status.to_string()));
        e.insert("code".into(), json!(self.code));
        e.insert("title".into(), json!(title(self.status)));
        e.insert("detail".into(), json!(self.detail));
        let mut source = Map::new();
        if let Some(p) = &self.pointer {
            source.insert("pointer".into(), json!(p));
        }
        if let Some(p) = &self.parameter {
            source.insert("parameter".into(), json!(p));
        }
        if !source.is_empty() {
            e.insert("source".into(), Value::Object(source));
        }
        json!({ "errors": [Value::Object(e)] })
    }
}

/// The reason phrase used as an error `title`.
pub(crate) fn title(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}

/// A successful outcome.
pub(crate) enum Out {
    Json(u16, Value),
    Created {
        location: String,
        body: Option<Value>,
    },
    NoContent,
    Image {
        content_type: String,
        bytes: Vec<u8>,
    },
}

/// What processing a routed request produced.
pub(crate) enum Reply {
    Done(Result<Out, ApiError>, Option<RateInfo>),
    /// Over the rate limit.
    Limited(RateInfo),
}

fn set(headers: &mut HeaderMap, name: &'static str, value: impl ToString) {
    if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
        headers.insert(name, v);
    }
}

fn rate_headers(headers: &mut HeaderMap, info: &RateInfo) {
    set(headers, "x-ratelimit-limit", info.limit);
    set(headers, "x-ratelimit-remaining", info.remaining);
    set(headers, "x-ratelimit-reset", info.reset);
}

pub(crate) fn json_response(status: u16, value: &Value, request_id: &str) -> Response<Body> {
    let bytes = serde_json::to_vec(value).expect("JSON");
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    set(r.headers_mut(), "x-request-id", request_id);
    r
}

pub(crate) fn error_response(
    err: &ApiError,
    request_id: &str,
    transform: Option<&dyn Fn(&mut Value)>,
) -> Response<Body> {
    let mut body = err.failure_body(request_id);
    if let Some(t) = transform {
        t(&mut body);
    }
    let mut r = json_response(err.status, &body, request_id);
    if let Some(c) = err.www_authenticate {
        set(r.headers_mut(), "www-authenticate", c);
    }
    if let Some(l) = &err.location {
        set(r.headers_mut(), "location", l);
    }
    if let Some(a) = &err.allow {
        set(r.headers_mut(), "allow", a);
    }
    r
}

/// A bodiless 429 with the documented headers (`None`: header left out).
pub(crate) fn too_many_requests(
    request_id: &str,
    limit: u32,
    reset: Option<u64>,
    retry_after: Option<u64>,
) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    let h = r.headers_mut();
    set(h, "x-request-id", request_id);
    set(h, "x-ratelimit-limit", limit);
    set(h, "x-ratelimit-remaining", 0);
    if let Some(reset) = reset {
        set(h, "x-ratelimit-reset", reset);
    }
    if let Some(retry) = retry_after {
        set(h, "retry-after", retry);
    }
    r
}

/// Renders a [`Reply`]; `transform` rewrites JSON bodies (fault injection). Every answer to a
/// request the rate limiter counted carries the `X-RateLimit-*` headers, errors included: an
/// error spent part of the window too, and a client pacing itself must see that. (The spec
/// declares them on successes and 429s; undeclared extra headers are allowed.) A 401 is not
/// counted, since the caller's window is unknown until it authenticates.
pub(crate) fn render(
    reply: Reply,
    request_id: &str,
    transform: Option<&dyn Fn(&mut Value)>,
) -> Response<Body> {
    let (result, rate) = match reply {
        Reply::Limited(info) => {
            return too_many_requests(request_id, info.limit, Some(info.reset), Some(info.reset));
        }
        Reply::Done(result, rate) => (result, rate),
    };
    let mut r = match result {
        Ok(out) => success_response(out, request_id, transform),
        Err(err) => error_response(&err, request_id, transform),
    };
    if let Some(info) = rate {
        rate_headers(r.headers_mut(), &info);
    }
    r
}

fn success_response(
    out: Out,
    request_id: &str,
    transform: Option<&dyn Fn(&mut Value)>,
) -> Response<Body> {
    match out {
        Out::Json(status, mut value) => {
            if let Some(t) = transform {
                t(&mut value);
            }
            json_response(status, &value, request_id)
        }
        Out::Created { location, body } => {
            let mut r = match body {
                Some(mut value) => {
                    if let Some(t) = transform {
                        t(&mut value);
                    }
                    json_response(201, &value, request_id)
                }
                None => {
                    let mut r = Response::new(Body::empty());
                    *r.status_mut() = StatusCode::CREATED;
                    set(r.headers_mut(), "x-request-id", request_id);
                    r
                }
            };
            set(r.headers_mut(), "location", location);
            r
        }
        Out::NoContent => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NO_CONTENT;
            set(r.headers_mut(), "x-request-id", request_id);
            r
        }
        Out::Image {
            content_type,
            bytes,
        } => {
            let mut r = Response::new(Body::from(bytes));
            set(r.headers_mut(), "content-type", content_type);
            set(r.headers_mut(), "x-request-id", request_id);
            r
        }
    }
}

/// The request body as a JSON object. Every request body of this API is required (the
/// normalised spec says so): a missing one is a 400.
pub(crate) fn json_object(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::body("", "A request body is required"));
    }
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        let json_like = essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"));
        if !json_like {
            return Err(ApiError::body(
                "",
                format!("Unsupported Content-Type '{essence}': send application/json"),
            ));
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::body("", "The request body must be a JSON object")),
        Err(e) => Err(ApiError::body(
            "",
            format!("The request body is not valid JSON: {e}"),
        )),
    }
}

/// An optional string field; other types are a 400 at `/<name>`.
pub(crate) fn opt_str<'a>(
    map: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, ApiError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::body(
            &format!("/{name}"),
            format!("'{name}' must be a string"),
        )),
    }
}

/// A required string field.
pub(crate) fn req_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    opt_str(map, name)?
        .ok_or_else(|| ApiError::body(&format!("/{name}"), format!("'{name}' is required")))
}

/// An optional array of strings matching `^crn://.+$` with at least one item.
pub(crate) fn opt_crns(
    map: &Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(v) = map.get(name) else {
        return Ok(None);
    };
    let Value::Array(items) = v else {
        return Err(ApiError::body(
            &format!("/{name}"),
            format!("'{name}' must be an array of CRNs"),
        ));
    };
    if items.is_empty() {
        return Err(ApiError::body(
            &format!("/{name}"),
            format!("'{name}' must have at least one item"),
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s)
                if s.len() > "crn://".len()
                    && s.starts_with("crn://")
                    && !s.contains(['\n', '\r', '\u{2028}', '\u{2029}']) =>
            {
                out.push(s.clone())
            }
            _ => {
                return Err(ApiError::body(
                    &format!("/{name}/{i}"),
                    "Each resource must be a CRN (crn://…)",
                ));
            }
        }
    }
    Ok(Some(out))
}
