//! What cdx-ext puts on the wire: redirects are never followed, so a share token or the
//! credentials never go to another address. (The headers of every operation are checked in
//! `ext_operations.rs`.)

use cdx_ext::{ConsumerShareFilter, Error, RetryPolicy, ShareToken};
use cdx_sim::{SimConfig, Simulator};
use cdx_tests::clients::consumer_builder;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;

/// Answers each of `statuses`, in turn, on one connection each, with that redirect to
/// `location`. Returns the request lines it read.
fn redirector(
    statuses: Vec<u16>,
    location: String,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for status in statuses {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            seen.push(request_line.trim_end().to_string());
            // Read the whole request, so closing the socket does not reset it.
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim_end().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let response = format!(
                "HTTP/1.1 {status} Redirect\r\nLocation: {location}?key=k#f\r\nX-Request-Id: redirect-{status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            reader.get_mut().write_all(response.as_bytes()).unwrap();
        }
        seen
    });
    (base, handle)
}

#[tokio::test]
async fn redirects_are_reported_and_never_followed() {
    // Where the redirects point: it must never see a connection.
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let target = format!(
        "http://{}/cdx/v1/shared-tokens:redeem",
        elsewhere.local_addr().unwrap()
    );
    let (base, server) = redirector(vec![307, 308, 302], target.clone());
    let sim = Simulator::start(SimConfig::default()).await; // only for its credentials
    let c = consumer_builder(&sim)
        .base_url(base)
        .retry_policy(RetryPolicy::none())
        // Were a redirect followed, the target (which never answers) would time out.
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    let token = ShareToken::new("a-single-use-token").unwrap();

    let redeem = c.redeem(&token, None).await.unwrap_err();
    let inspect = c.inspect_token(&token).await.unwrap_err();
    let list = c
        .list_consumer_shares(&ConsumerShareFilter::default(), None)
        .await
        .unwrap_err();
    for (err, status) in [(&redeem, 307), (&inspect, 308), (&list, 302)] {
        assert!(matches!(err, Error::InvalidResponse(_)), "{err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            err.request_id(),
            Some(format!("redirect-{status}").as_str())
        );
        let text = err.to_string();
        assert!(
            text.contains(&format!("redirects to {target},"))
                && text.contains("not followed")
                && !text.contains("key=k"),
            "{text}"
        );
        assert!(!text.contains("may have been redeemed"), "{text}");
        assert!(!err.outcome_unknown() && !err.is_retryable());
    }
    let seen = server.join().unwrap();
    assert_eq!(
        seen,
        [
            "POST /cdx/v1/shared-tokens:redeem HTTP/1.1",
            "POST /cdx/v1/shared-tokens:resources HTTP/1.1",
            "GET /cdx/v1/consumer-shares?page_size=100 HTTP/1.1",
        ]
    );
    assert_eq!(
        elsewhere.accept().map(|_| ()).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "the redirect target was never contacted"
    );
}
