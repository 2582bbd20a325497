//! The response size cap ([`cdx_ext::ClientBuilder::max_response_bytes`]) on bodies that announce
//! no length: chunked, or ended by the server closing the connection. Each server here listens on
//! 127.0.0.1, answers one connection per request and sends at most a bounded number of bytes.

use cdx_ext::{Client, Error};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::thread::JoinHandle;

/// The client's cap in these tests.
const CAP: usize = 1024 * 1024;
/// The most a server sends of an endless body before it gives up on the client stopping.
const MOST: usize = 64 * 1024 * 1024;

/// How a server frames its body.
#[derive(Clone, Copy)]
enum Framing {
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// No length: the body ends when the server closes the connection.
    UntilClose,
}

/// Answers `connections` requests, one connection each, with `status` and `body` repeated until
/// `total` bytes are sent or the client hangs up. Returns the base URL, and per connection the
/// bytes of body written before the client went away or the body ended.
fn server(
    connections: usize,
    status: u16,
    framing: Framing,
    body: &'static [u8],
    total: usize,
) -> (String, JoinHandle<Vec<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut sent = Vec::new();
        for _ in 0..connections {
            let (stream, _) = listener.accept().unwrap();
            stream
                .set_write_timeout(Some(std::time::Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            // The whole request, so that closing the socket does not reset it.
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line.trim_end().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut request_body = vec![0; length];
            reader.read_exact(&mut request_body).unwrap();
            let mut stream = reader.into_inner();
            let framing_header = match framing {
                Framing::Chunked => "Transfer-Encoding: chunked\r\n",
                Framing::UntilClose => "",
            };
            let head = format!(
                "HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nX-Request-Id: req-cap\r\n{framing_header}Connection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).unwrap();
            let mut written = 0;
            while written < total {
                let piece = &body[..body.len().min(total - written)];
                let ok = match framing {
                    Framing::Chunked => write!(stream, "{:x}\r\n", piece.len())
                        .and_then(|()| stream.write_all(piece))
                        .and_then(|()| stream.write_all(b"\r\n")),
                    Framing::UntilClose => stream.write_all(piece),
                };
                if ok.is_err() {
                    break;
                }
                written += piece.len();
            }
            if let Framing::Chunked = framing {
                let _ = stream.write_all(b"0\r\n\r\n");
            }
            sent.push(written);
        }
        sent
    });
    (base, handle)
}

/// The server's report, waited for off the runtime: the client's connection task must run for
/// the socket to close.
async fn joined(server: JoinHandle<Vec<usize>>) -> Vec<usize> {
    tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap()
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .cloud_api_key("KEY", "s3cret")
        .max_response_bytes(CAP)
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap()
}

/// A piece of an endless body (not JSON: the cap is reached before anything decodes it).
static ENDLESS: &[u8] = &[b'x'; 8192];

/// `result` failed as a body cut at the cap, with `status`; the server was asked once and
/// stopped long before its bound (what it wrote is the cap plus what the sockets' buffers hold).
async fn assert_cut<T: std::fmt::Debug>(
    result: cdx_ext::Result<T>,
    status: u16,
    server: JoinHandle<Vec<usize>>,
) {
    let err = result.expect_err("over the cap");
    let Error::InvalidResponse(r) = &err else {
        panic!("{status}: {err:?}")
    };
    assert_eq!(r.status.map(|s| s.as_u16()), Some(status), "{err}");
    assert_eq!(err.request_id(), Some("req-cap"));
    assert!(
        r.reason
            .contains("longer than the 1 MiB response size limit"),
        "{status}: {}",
        r.reason
    );
    assert!(!err.is_retryable(), "{status}: {err}");
    let sent = joined(server).await;
    assert_eq!(sent.len(), 1, "one request, not retried");
    assert!(sent[0] < MOST / 4, "{status}: {} bytes written", sent[0]);
}

#[tokio::test]
async fn a_body_without_a_length_over_the_cap_is_refused_typed_and_not_read_on() {
    for (status, framing) in [
        (200, Framing::Chunked),
        (200, Framing::UntilClose),
        // A status the operation does not document: its body is read for an excerpt.
        (418, Framing::Chunked),
        // A documented error status, decoded as an API error.
        (404, Framing::UntilClose),
    ] {
        let (base, server) = server(1, status, framing, ENDLESS, MOST);
        let result = client(&base).get_consumer_share("ss-1").await;
        assert_cut(result, status, server).await;
    }
}

#[tokio::test]
async fn a_body_without_a_length_under_the_cap_decodes() {
    static SHARE: &[u8] = br#"{"id":"ss-1","provider_user_name":"Jane"}"#;
    for framing in [Framing::Chunked, Framing::UntilClose] {
        let (base, server) = server(1, 200, framing, SHARE, SHARE.len());
        let share = client(&base).get_consumer_share("ss-1").await.unwrap();
        assert_eq!(share.id.as_deref(), Some("ss-1"));
        assert_eq!(joined(server).await, vec![SHARE.len()]);
    }
}

#[tokio::test]
async fn a_streamed_image_over_the_cap_is_refused_typed() {
    let (base, server) = server(1, 200, Framing::Chunked, ENDLESS, MOST);
    let result = client(&base)
        .consumer_shared_resource_image("sr-1", "logo")
        .await;
    assert_cut(result, 200, server).await;
}

#[tokio::test]
async fn a_redeem_error_body_over_the_cap_is_refused_typed() {
    // A redeem's success is read up to the cap and kept (tests/redeem_hardening.rs); its error
    // bodies are capped like every other response's.
    let (base, server) = server(1, 500, Framing::Chunked, ENDLESS, MOST);
    let token = cdx_ext::ShareToken::new("a-single-use-token").unwrap();
    let err = client(&base)
        .redeem(&token, None)
        .await
        .expect_err("over the cap");
    let Error::InvalidResponse(r) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(r.status.map(|s| s.as_u16()), Some(500), "{err}");
    assert!(
        r.reason
            .contains("longer than the 1 MiB response size limit"),
        "{}",
        r.reason
    );
    let sent = joined(server).await;
    assert_eq!(sent.len(), 1, "a redeem is not resent");
    assert!(sent[0] < MOST / 4, "{} bytes written", sent[0]);
}
