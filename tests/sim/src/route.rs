//! Matching a request's method and path to an operation of the generated table.

use axum::http::Method;
use cdx_client::Operation;

use crate::util;

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
pub(crate) fn provider_side(op: Operation) -> bool {
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
