//! User-facing wording shared by the error types: the unknown-outcome hint of a redeem, what a
//! TLS or transport failure said, a readable excerpt of an error page, sizes.

use crate::operation::Operation;

/// For a redeem whose outcome is unknown ([`Error::outcome_unknown`](crate::Error::outcome_unknown)): the token may be spent,
/// and must not be resent blindly. A line of its own, or nothing for other operations.
pub(crate) fn unknown_outcome_hint(operation: Operation) -> &'static str {
    if operation == Operation::RedeemSharedToken {
        "\n  The token may have been redeemed: check the consumer shares list before trying again (a second redeem of a spent token fails with 409)."
    } else {
        ""
    }
}

/// A connect timeout's message ([`Error::with_client_context`](crate::Error::with_client_context) adds the duration).
pub(crate) const CONNECT_TIMEOUT: &str = "no connection within the connect timeout";

/// What a TLS library said about a refused certificate, as a short phrase, or `None` when the
/// failure is not about the certificate. OpenSSL ends its line with the reason in parentheses
/// (`... certificate verify failed:...: (self-signed certificate)`); rustls says `invalid peer
/// certificate: <reason>`.
pub(crate) fn certificate_problem(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    if !lower.contains("certificate") {
        return None;
    }
    let in_parens = message
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(reason, _)| reason.trim())
        .filter(|r| r.to_ascii_lowercase().contains("certificate"));
    let after_colon = message
        .split_once("invalid peer certificate:")
        .map(|(_, reason)| reason.trim());
    Some(
        in_parens
            .or(after_colon)
            .filter(|r| !r.is_empty())
            .unwrap_or("certificate verify failed")
            .to_string(),
    )
}

/// reqwest's message with its source chain, which says what actually failed ("connection
/// refused"). URLs hold ids, never credentials: those travel in headers and bodies.
pub(crate) fn transport_message(err: &reqwest::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}

/// A URL without its query and fragment, which may carry credentials.
pub(crate) fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or_default()
}

/// A short, readable excerpt of an error body: HTML reduced to its title and text, whitespace
/// collapsed, at most 200 characters.
pub(crate) fn excerpt(body: &[u8], content_type: Option<&str>) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let is_html = content_type.is_some_and(|c| c.contains("html"))
        || text.trim_start().get(..15).is_some_and(|h| {
            h.to_ascii_lowercase().starts_with("<!doctype html") || h.starts_with("<html")
        });
    let text = if is_html {
        html_text(&text)
    } else {
        text.into_owned()
    };
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    const MAX: usize = 200;
    Some(match collapsed.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    })
}

/// The visible text of an HTML page: the `<title>` first, tags, scripts and styles dropped.
pub(crate) fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|start| {
        let open_end = start + lower[start..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        Some(html[open_end..close].trim().to_string())
    });
    let body_start = lower.find("<body").unwrap_or(0);
    let mut out = String::new();
    let mut rest = &html[body_start..];
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let tag = rest[lt..].to_ascii_lowercase();
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| tag.starts_with(&format!("<{t}")))
            .and_then(|t| tag.find(&format!("</{t}>")));
        rest = match (skip_to, rest[lt..].find('>')) {
            (Some(end), _) => rest[lt + end..].split_once('>').map_or("", |(_, r)| r),
            (None, Some(gt)) => &rest[lt + gt + 1..],
            (None, None) => "",
        };
    }
    out.push_str(rest);
    let text = unescape(&out);
    match title {
        Some(t) if !text.contains(&t) => format!("{t} — {text}"),
        _ => text,
    }
}

/// The few entities an error page's text uses, decoded in one pass: `&amp;lt;` is the text
/// `&lt;`, not `<`. Any other `&` is kept as it is.
fn unescape(text: &str) -> String {
    const ENTITIES: [(&str, &str); 4] = [
        ("&nbsp;", " "),
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (decoded, len) = ENTITIES
            .iter()
            .find(|(entity, _)| rest.starts_with(entity))
            .map_or(("&", 1), |(entity, decoded)| (*decoded, entity.len()));
        out.push_str(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

/// A byte count for people: `16 MiB`, `1500 bytes`.
pub(crate) fn size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_failures_read_as_a_reason() {
        let openssl = "error sending request: client error (Connect): error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:2091: (self-signed certificate)";
        assert_eq!(
            certificate_problem(openssl).as_deref(),
            Some("self-signed certificate")
        );
        let rustls = "client error (Connect): invalid peer certificate: UnknownIssuer";
        assert_eq!(
            certificate_problem(rustls).as_deref(),
            Some("UnknownIssuer")
        );
        assert_eq!(
            certificate_problem("connection refused (os error 111)"),
            None
        );
    }

    #[test]
    fn html_pages_read_as_their_text() {
        let page = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center><script>var x=1;</script></body></html>";
        let e = excerpt(page, Some("text/html")).unwrap();
        assert_eq!(e, "502 Bad Gateway nginx");
        let long = format!("<html><body>{}</body></html>", "word ".repeat(100));
        assert!(excerpt(long.as_bytes(), None).unwrap().chars().count() <= 201);
    }

    #[test]
    fn entities_are_decoded_once() {
        let page = b"<html><body><p>&amp;lt;b&amp;gt; is written &lt;b&gt;; A&amp;B&nbsp;&copy; &amp</p></body></html>";
        assert_eq!(
            excerpt(page, Some("text/html")).unwrap(),
            "&lt;b&gt; is written <b>; A&B &copy; &amp"
        );
    }
}
