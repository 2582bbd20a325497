//! The conversion of the generated client's errors ([`progenitor_client::Error`]) and of
//! undocumented answers into [`Error`].

use super::{ApiError, ApiErrorDetail, Error, InvalidResponse};
use crate::headers::{auth_challenge, header, rate_limit_wait, request_id};
use crate::invalid_input::InvalidInput;
use crate::operation::Operation;
use crate::wording::{
    CONNECT_TIMEOUT, certificate_problem, excerpt, transport_message, without_query,
};
use cdx_client::ResponseMeta;
use cdx_client::types::Failure;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

impl Error {
    pub(crate) fn transport(operation: Operation, err: &reqwest::Error) -> Self {
        // A connect failure (refused, unreachable, TLS set-up, connect timeout) comes before the
        // request is written: checked first, so a connect timeout still counts as not sent.
        if err.is_connect() {
            let message = transport_message(err);
            if let Some(reason) = certificate_problem(&message) {
                return Self::Certificate { operation, reason };
            }
            return Self::Transport {
                operation,
                message: if err.is_timeout() {
                    CONNECT_TIMEOUT.to_string()
                } else {
                    message
                },
                not_sent: true,
            };
        }
        if err.is_timeout() {
            return Self::Timeout {
                operation,
                after: None,
            };
        }
        Self::Transport {
            operation,
            message: transport_message(err),
            not_sent: false,
        }
    }

    /// Converts a generated client's error, reading an unexpected response's body. `meta` is
    /// what the hooks recorded of the response (none when none arrived): the status of the
    /// errors that do not carry it.
    pub(crate) async fn from_generated(
        operation: Operation,
        err: progenitor_client::Error<Failure>,
        meta: Option<ResponseMeta>,
    ) -> Self {
        use progenitor_client::Error as G;
        let meta = meta.as_ref();
        match err {
            G::InvalidRequest(reason) => InvalidInput::new("request", &reason).into(),
            G::CommunicationError(e) => Self::transport(operation, &e),
            G::ErrorResponse(rv) => {
                let (status, headers) = (rv.status(), rv.headers().clone());
                Self::from_api(ApiError::new(
                    operation,
                    status,
                    &headers,
                    Some(rv.into_inner()),
                ))
            }
            G::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) => Self::from_unexpected(operation, status, &headers, &body),
                    Err(e) => Self::body_error(operation, meta, &e),
                }
            }
            G::InvalidResponsePayload(body, e) => {
                Self::invalid_body(InvalidResponse::of_meta(operation, meta), &body, &e)
            }
            G::ResponseBodyError(e) => Self::body_error(operation, meta, &e),
            G::InvalidUpgrade(e) => Self::transport(operation, &e),
            G::Custom(message) => match meta.and_then(|m| Some((m.refused_length()?, m.limit?))) {
                Some((length, limit)) => Self::InvalidResponse(Box::new(InvalidResponse {
                    reason: format!(
                        "it is {length} bytes long, larger than the {} response size limit, so it was not read",
                        crate::wording::size(limit)
                    ),
                    ..InvalidResponse::of_meta(operation, meta)
                })),
                None => Self::Transport {
                    operation,
                    message,
                    not_sent: false,
                },
            },
        }
    }

    /// A body that announced no length, cut at the size `limit`.
    pub(crate) fn cut_off(about: InvalidResponse, limit: usize) -> Self {
        Self::InvalidResponse(Box::new(InvalidResponse {
            reason: format!(
                "it is longer than the {} response size limit, so it was not read whole",
                crate::wording::size(limit)
            ),
            ..about
        }))
    }

    /// A body that could not be read: cut at the size limit, or broken off.
    fn body_error(operation: Operation, meta: Option<&ResponseMeta>, e: &reqwest::Error) -> Self {
        if let Some(limit) = meta.filter(|m| m.cut_off(e)).and_then(|m| m.limit) {
            return Self::cut_off(InvalidResponse::of_meta(operation, meta), limit);
        }
        Self::Transport {
            operation,
            message: format!(
                "{}the response body broke off: {}",
                meta.map(|m| format!("HTTP {}: ", m.status))
                    .unwrap_or_default(),
                transport_message(e)
            ),
            not_sent: false,
        }
    }

    pub(super) fn from_api(api: ApiError) -> Self {
        let api = Box::new(api);
        match api.status.as_u16() {
            401 => Self::Unauthenticated(api),
            403 => Self::PermissionDenied(api),
            404 => Self::NotFound(api),
            409 => Self::Conflict(api),
            429 => Self::RateLimited(api),
            500..=599 => Self::Server(api),
            _ => Self::Rejected(api),
        }
    }

    /// A status the spec does not document for this operation (a 429, a proxy's 502, ...).
    pub(super) fn from_unexpected(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let about = || InvalidResponse::of_headers(operation, status, headers);
        if status.is_success() {
            return Self::InvalidResponse(Box::new(InvalidResponse {
                reason: "the API answered with a status this operation does not document".into(),
                ..about()
            }));
        }
        if status.is_redirection() {
            // Redirects are not followed (a 307/308 would resend credentials and a share token
            // to wherever it points); a redirect usually means a wrong base URL.
            let target = header(headers, "location")
                .map(|l| format!(" to {}", without_query(&l)))
                .unwrap_or_default();
            return Self::InvalidResponse(Box::new(InvalidResponse {
                reason: format!(
                    "it redirects{target}, and redirects are not followed so that credentials and share tokens never go to another address; check the API base URL ({})",
                    crate::env::ENV_API_URL
                ),
                ..about()
            }));
        }
        let failure = serde_json::from_slice::<Failure>(body).ok();
        if failure.is_some() || body.iter().all(u8::is_ascii_whitespace) {
            return Self::from_api(ApiError::new(operation, status, headers, failure));
        }
        let e = serde_json::from_slice::<serde_json::Value>(body).err();
        let reason = match e {
            Some(_) => "the body is not JSON".to_string(),
            None => "the body is JSON but not an API error".to_string(),
        };
        // A 429 is still a rate limit, whatever its body: keep it retryable with its wait.
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Self::from_api(ApiError::new(operation, status, headers, None));
        }
        let mut r = InvalidResponse { reason, ..about() };
        r.excerpt = excerpt(body, r.content_type.as_deref());
        Self::InvalidResponse(Box::new(r))
    }

    /// A body that did not decode (`e`), of the response `about` describes.
    pub(crate) fn invalid_body(about: InvalidResponse, body: &[u8], e: &serde_json::Error) -> Self {
        let content_type = about.content_type.as_deref();
        let looks_json = content_type.is_none_or(|c| c.contains("json"));
        let reason = if !looks_json || serde_json::from_slice::<serde_json::Value>(body).is_err() {
            if e.is_eof() {
                "the body is truncated JSON".to_string()
            } else {
                "the body is not JSON".to_string()
            }
        } else {
            // serde messages can quote values ("invalid type: string \"...\""), and a success
            // body holds credentials: only the kind of problem and where are reported.
            let msg = e.to_string();
            if msg.starts_with("missing field") {
                format!("the JSON does not have the documented shape: {msg}")
            } else {
                format!(
                    "the JSON does not have the documented shape (line {}, column {})",
                    e.line(),
                    e.column()
                )
            }
        };
        // A success body (or one of unknown status) may hold credentials: no excerpt of it.
        let excerpt = match about.status {
            Some(status) if !status.is_success() => excerpt(body, content_type),
            _ => None,
        };
        Self::InvalidResponse(Box::new(InvalidResponse {
            reason,
            excerpt,
            ..about
        }))
    }
}

impl InvalidResponse {
    /// About a response with these status and headers; the reason is filled in by the caller.
    pub(crate) fn of_headers(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Self {
        Self {
            operation,
            status: Some(status),
            request_id: request_id(headers),
            content_type: header(headers, "content-type"),
            reason: String::new(),
            excerpt: None,
        }
    }

    /// About the response the hooks recorded, if one arrived.
    pub(crate) fn of_meta(operation: Operation, meta: Option<&ResponseMeta>) -> Self {
        let text = |f: fn(&ResponseMeta) -> Option<&str>| meta.and_then(f).map(str::to_string);
        Self {
            operation,
            status: meta.map(|m| m.status),
            request_id: text(ResponseMeta::request_id_str),
            content_type: text(ResponseMeta::content_type_str),
            reason: String::new(),
            excerpt: None,
        }
    }
}

impl ApiError {
    pub(super) fn new(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        failure: Option<Failure>,
    ) -> Self {
        let errors = failure
            .map(|f| {
                f.errors
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        let (pointer, parameter) =
                            e.source.map_or((None, None), |s| (s.pointer, s.parameter));
                        ApiErrorDetail {
                            code: e.code,
                            title: e.title,
                            // The published `Error` has no `message`; some servers send
                            // one, which lands among the kept unknown fields.
                            detail: e.detail.or_else(|| {
                                e.extra
                                    .get("message")
                                    .and_then(|m| m.as_str())
                                    .map(str::to_string)
                            }),
                            pointer,
                            parameter,
                            id: e.id,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| rate_limit_wait(headers))
            .flatten();
        Self {
            operation,
            status,
            request_id: request_id(headers),
            errors,
            credentials: None,
            auth_challenge: if status == StatusCode::UNAUTHORIZED {
                auth_challenge(headers)
            } else {
                None
            },
            retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unexpected(
        op: Operation,
        status: u16,
        headers: &[(&'static str, &str)],
        body: &[u8],
    ) -> Error {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, v.parse().unwrap());
        }
        Error::from_unexpected(op, StatusCode::from_u16(status).unwrap(), &h, body)
    }

    #[test]
    fn a_redeem_whose_outcome_is_unknown_says_the_token_may_be_spent() {
        let redeem = Operation::RedeemSharedToken;
        let html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let failure = br#"{"errors":[{"code":"internal_error","detail":"boom"}]}"#;
        let unknown = [
            unexpected(redeem, 500, &[], failure),
            unexpected(redeem, 503, &[], b""),
            unexpected(redeem, 502, &[("content-type", "text/html")], html),
            unexpected(redeem, 404, &[("content-type", "text/plain")], b"no route"),
            unexpected(redeem, 200, &[], b"{}"),
            Error::Timeout {
                operation: redeem,
                after: None,
            },
            Error::Transport {
                operation: redeem,
                message: "connection reset".into(),
                not_sent: false,
            },
        ];
        for e in &unknown {
            assert!(e.outcome_unknown(), "{e:?}");
            let text = e.to_string();
            assert!(text.contains("The token may have been redeemed"), "{text}");
            assert_eq!(text.matches("may have been redeemed").count(), 1, "{text}");
        }
        let known = [
            unexpected(redeem, 400, &[], failure),
            unexpected(redeem, 404, &[], failure),
            unexpected(redeem, 409, &[], failure),
            unexpected(redeem, 429, &[("retry-after", "1")], b""),
            unexpected(redeem, 307, &[("location", "http://elsewhere/")], b""),
            Error::Transport {
                operation: redeem,
                message: "connection refused".into(),
                not_sent: true,
            },
        ];
        for e in &known {
            assert!(!e.outcome_unknown(), "{e:?}");
            assert!(!e.to_string().contains("may have been redeemed"), "{e}");
        }
        // Other operations state the failure without talking about tokens.
        let list = unexpected(Operation::ListConsumerShares, 500, &[], failure);
        assert!(
            list.outcome_unknown() && !list.to_string().contains("token"),
            "{list}"
        );
    }

    #[test]
    fn a_redirect_is_reported_with_its_target_but_not_its_query() {
        let e = unexpected(
            Operation::RedeemSharedToken,
            308,
            &[(
                "location",
                "https://evil.example/cdx/v1/shared-tokens:redeem?key=abc#frag",
            )],
            b"",
        );
        let Error::InvalidResponse(r) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(r.status, Some(StatusCode::PERMANENT_REDIRECT));
        let text = e.to_string();
        assert!(
            text.contains("redirects to https://evil.example/cdx/v1/shared-tokens:redeem,")
                && text.contains("CDX_API_URL")
                && !text.contains("key=abc"),
            "{text}"
        );
        assert!(!e.is_retryable());
    }

    #[test]
    fn details_say_each_thing_once() {
        let mut h = crate::fixtures::auth_challenge_headers();
        h.insert("x-request-id", "req-1".parse().unwrap());
        let failure: Failure = serde_json::from_value(serde_json::json!({"errors": [
            {"code": "user_unauthenticated", "title": "Unauthorized", "detail": "The API key is invalid."}
        ]}))
        .unwrap();
        let api = ApiError::new(
            Operation::ListConsumerShares,
            StatusCode::UNAUTHORIZED,
            &h,
            Some(failure),
        );
        assert_eq!(
            api.details(),
            "\n  - user_unauthenticated: Unauthorized: The API key is invalid.\n  HTTP 401, request id req-1"
        );
        // A challenge that says something the body does not is kept.
        let api = ApiError::new(
            Operation::ListConsumerShares,
            StatusCode::UNAUTHORIZED,
            &h,
            None,
        );
        assert_eq!(
            api.details(),
            "\n  server: The API Key is invalid\n  HTTP 401, request id req-1"
        );
        assert!(api.to_string().starts_with("Authentication failed: "));
        // The sentence names the credentials the client sent, once it knows them.
        let sentence = |kind| {
            let error = Error::Unauthenticated(Box::new(api.clone())).with_client_context(
                std::time::Duration::from_secs(30),
                std::time::Duration::from_secs(10),
                kind,
            );
            error.to_string().lines().next().unwrap().to_string()
        };
        let key = sentence(crate::CredentialKind::CloudApiKey);
        assert!(
            key.contains("CONFLUENT_CLOUD_API_SECRET") && !key.contains("access token"),
            "{key}"
        );
        let token = sentence(crate::CredentialKind::AccessToken);
        assert!(
            token.contains("access token") && !token.contains("API key"),
            "{token}"
        );
        assert!(api.to_string().ends_with(&api.details()));
    }
}
