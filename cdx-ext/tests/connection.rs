//! How `cdx` reaches the API: the base URL setting, timeouts, and TLS certificates it refuses.
//! Every server here listens on 127.0.0.1.
#![cfg(feature = "cli")]

mod support;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Run, finish};

/// `cdx` with throwaway credentials and no API URL from the environment.
fn cdx(url: Option<&str>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cdx"));
    command
        .env("CONFLUENT_CLOUD_API_KEY", "KEY")
        .env("CONFLUENT_CLOUD_API_SECRET", "s3cret-api-secret")
        .env_remove("CDX_API_URL")
        .env_remove("CDX_TIMEOUT")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .args(args);
    if let Some(url) = url {
        command.env("CDX_API_URL", url);
    }
    finish(command.output().unwrap())
}

/// A server that accepts connections and never answers; counts them.
fn silent_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (url, accepted)
}

#[test]
fn the_request_timeout_is_a_setting_and_the_error_names_it() {
    let (url, accepted) = silent_server();
    // A redeem is never resent: one timeout, said with its length and how to change it.
    let run = cdx(
        Some(&url),
        &[
            "--timeout",
            "1",
            "consumer",
            "redeem",
            "--public",
            "some-share-token-value",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no response within 1 s (the request timeout)")
            && run.stderr.contains("--timeout SECONDS")
            && run.stderr.contains("may have been redeemed"),
        "{}",
        run.stderr
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);

    // A list is retried, and each retry says why.
    let mut command = Command::new(env!("CARGO_BIN_EXE_cdx"));
    command
        .env("CONFLUENT_CLOUD_API_KEY", "KEY")
        .env("CONFLUENT_CLOUD_API_SECRET", "s3cret-api-secret")
        .env("CDX_API_URL", &url)
        .env("CDX_TIMEOUT", "1")
        .args(["consumer", "share", "list"]);
    let run = finish(command.output().unwrap());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("no response within 1 s (the request timeout)")
            .count(),
        4,
        "three retries announced, then the error: {}",
        run.stderr
    );

    let bad = cdx(Some(&url), &["--timeout", "0", "consumer", "share", "list"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn a_refused_certificate_is_explained_and_not_retried() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let cert = std::fs::read(format!("{fixtures}/self-signed-cert.pem")).unwrap();
    let key = std::fs::read(format!("{fixtures}/self-signed-key.pem")).unwrap();
    let identity = native_tls::Identity::from_pkcs8(&cert, &key).unwrap();
    let acceptor = native_tls::TlsAcceptor::new(identity).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let handshakes = Arc::new(AtomicUsize::new(0));
    let count = handshakes.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            // The client refuses the certificate, so the handshake fails here.
            let _ = acceptor.accept(stream);
        }
    });
    let run = cdx(Some(&url), &["consumer", "share", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("TLS certificate was not accepted")
            && run.stderr.contains("CDX_API_URL")
            && !run.stderr.contains("SSL routines")
            && !run.stderr.contains("Retrying"),
        "{}",
        run.stderr
    );
    assert_eq!(handshakes.load(Ordering::SeqCst), 1, "not retried");
}

#[test]
fn the_api_url_setting_defaults_and_never_echoes_credentials() {
    // --help names the default.
    let help = cdx(None, &["--help"]);
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(
        help.stdout.contains(cdx_ext::DEFAULT_API_URL),
        "{}",
        help.stdout
    );

    // An empty CDX_API_URL means the default: the URL is accepted (the run then fails on the
    // pre-flight check of a missing --save directory, before anything is sent), where a bad one
    // is refused first.
    let run = cdx(
        Some("ftp://example.com"),
        &["consumer", "redeem", "tok", "--save", "missing-dir/x.json"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("API base URL"), "{}", run.stderr);
    for empty in ["", "  "] {
        let run = cdx(
            Some(empty),
            &["consumer", "redeem", "tok", "--save", "missing-dir/x.json"],
        );
        assert_eq!(run.code, 2, "{empty:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("missing-dir") && !run.stderr.contains("API base URL"),
            "{empty:?}: {}",
            run.stderr
        );
    }

    // User info in the URL is refused and never shown.
    for url in [
        "https://jane:pa55word@api.confluent.cloud",
        "http://jane:pa55word@example.com",
        "https://jane:pa55word@",
    ] {
        let run = cdx(Some(url), &["consumer", "share", "list"]);
        assert_eq!(run.code, 2, "{url}: {}", run.stderr);
        assert!(
            run.stderr.contains("API base URL")
                && !run.stderr.contains("pa55word")
                && !run.stderr.contains("jane"),
            "{url}: {}",
            run.stderr
        );
        let run = cdx(None, &["--api-url", url, "consumer", "share", "list"]);
        assert_eq!(run.code, 2, "{url}: {}", run.stderr);
        assert!(!run.stderr.contains("pa55word"), "{url}: {}", run.stderr);
    }
}
