//! List parameters and cursor pagination (`page_size`, opaque `page_token`, `metadata.next`).

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::http::ApiError;
use crate::util::percent_encode;

pub(crate) const DEFAULT_PAGE_SIZE: usize = 10;
pub(crate) const MAX_PAGE_SIZE: usize = 100;

/// The parsed query of a list operation.
pub(crate) struct ListQuery {
    /// Filter name → value (exact match), in the order sent.
    pub filters: Vec<(String, String)>,
    pub include_deleted: bool,
    /// `include_deleted` exactly as sent (kept in `next`).
    include_deleted_raw: Option<String>,
    pub page_size: usize,
    pub offset: usize,
}

impl ListQuery {
    pub(crate) fn filter(&self, name: &str) -> Option<&str> {
        self.filters
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a list query. `filters`: the string filters this list accepts (besides
/// `include_deleted`, `page_size` and `page_token`). Unknown or repeated parameters, a
/// `page_size` outside 1..=100, a non-boolean `include_deleted` and a `page_token` this
/// simulator did not issue are 400s naming the parameter.
pub(crate) fn parse(
    query: &[(String, String)],
    filters: &[&str],
    nonce: &str,
) -> Result<ListQuery, ApiError> {
    let mut q = ListQuery {
        filters: Vec::new(),
        include_deleted: false,
        include_deleted_raw: None,
        page_size: DEFAULT_PAGE_SIZE,
        offset: 0,
    };
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in query {
        if seen.contains(&name.as_str()) {
            return Err(ApiError::param(
                name,
                "invalid_parameter",
                format!("Query parameter '{name}' was given more than once"),
            ));
        }
        seen.push(name);
        match name.as_str() {
            "page_size" => {
                let n: i64 = value.trim().parse().map_err(|_| {
                    ApiError::param(
                        "page_size",
                        "invalid_parameter",
                        format!("page_size must be an integer, not '{value}'"),
                    )
                })?;
                if n < 1 {
                    return Err(ApiError::param(
                        "page_size",
                        "invalid_parameter",
                        "page_size must be at least 1",
                    ));
                }
                if n > MAX_PAGE_SIZE as i64 {
                    return Err(ApiError::param(
                        "page_size",
                        "invalid_parameter",
                        format!("page_size must not be greater than {MAX_PAGE_SIZE}"),
                    ));
                }
                q.page_size = n as usize;
            }
            "page_token" => {
                q.offset = decode_token(value, nonce).ok_or_else(|| {
                    ApiError::param(
                        "page_token",
                        "invalid_page_token",
                        "page_token is not valid: take it from metadata.next of the previous page",
                    )
                })?;
            }
            "include_deleted" => {
                q.include_deleted = match value.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(ApiError::param(
                            "include_deleted",
                            "invalid_filter",
                            format!("include_deleted must be true or false, not '{value}'"),
                        ));
                    }
                };
                q.include_deleted_raw = Some(value.clone());
            }
            other if filters.contains(&other) => q.filters.push((name.clone(), value.clone())),
            other => {
                return Err(ApiError::param(
                    other,
                    "invalid_filter",
                    format!("This list can't be filtered by '{other}'"),
                ));
            }
        }
    }
    Ok(q)
}

/// `base64url("<offset>.<nonce>")`: opaque to clients, tied to this simulator.
pub(crate) fn encode_token(offset: usize, nonce: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{offset}.{nonce}"))
}

fn decode_token(token: &str, nonce: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let (offset, n) = raw.split_once('.')?;
    (n == nonce).then_some(())?;
    offset.parse().ok()
}

/// One page of `items` as a `<kind>` list body. `next` repeats the filters.
pub(crate) fn page(
    items: Vec<Value>,
    q: &ListQuery,
    kind: &str,
    base_url: &str,
    path: &str,
    nonce: &str,
) -> Value {
    let total = items.len();
    let start = q.offset.min(total);
    let end = (start + q.page_size).min(total);
    let data: Vec<Value> = items.into_iter().skip(start).take(end - start).collect();
    let mut meta = Map::new();
    if end < total {
        let mut params: Vec<String> = q
            .filters
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        if let Some(raw) = &q.include_deleted_raw {
            params.push(format!("include_deleted={}", percent_encode(raw)));
        }
        params.push(format!("page_size={}", q.page_size));
        params.push(format!("page_token={}", encode_token(end, nonce)));
        meta.insert(
            "next".into(),
            json!(format!("{base_url}{path}?{}", params.join("&"))),
        );
    }
    meta.insert("total_size".into(), json!(total));
    json!({
        "api_version": "cdx/v1",
        "kind": kind,
        "metadata": Value::Object(meta),
        "data": data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn tokens_round_trip_and_reject_forgeries() {
        let t = encode_token(20, "abc");
        assert_eq!(decode_token(&t, "abc"), Some(20));
        assert_eq!(decode_token(&t, "xyz"), None);
        assert_eq!(decode_token("20", "abc"), None);
    }

    #[test]
    fn parameters() {
        assert_eq!(
            parse(&q(&[("page_size", "100")]), &[], "n")
                .unwrap()
                .page_size,
            100
        );
        for bad in ["0", "101", "-1", "x", "1.5"] {
            let e = parse(&q(&[("page_size", bad)]), &[], "n").err().unwrap();
            assert_eq!(e.parameter.as_deref(), Some("page_size"));
        }
        let e = parse(&q(&[("colour", "red")]), &["crn"], "n")
            .err()
            .unwrap();
        assert_eq!(e.parameter.as_deref(), Some("colour"));
        let e = parse(&q(&[("include_deleted", "yes")]), &[], "n")
            .err()
            .unwrap();
        assert_eq!(e.parameter.as_deref(), Some("include_deleted"));
    }

    #[test]
    fn pages() {
        let items: Vec<Value> = (0..25).map(|i| json!(i)).collect();
        let query = parse(&q(&[("crn", "a b"), ("page_size", "10")]), &["crn"], "n").unwrap();
        let p = page(items, &query, "XList", "http://h", "/p", "n");
        assert_eq!(p["metadata"]["total_size"], 25);
        let next = p["metadata"]["next"].as_str().unwrap();
        assert!(
            next.starts_with("http://h/p?crn=a%20b&page_size=10&page_token="),
            "{next}"
        );
    }
}
