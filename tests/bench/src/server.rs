//! The canned server: plain hyper (HTTP/1.1, keep-alive) on 127.0.0.1, on a thread and
//! single-threaded runtime of its own, answering each request with prebuilt bytes. It parses
//! nothing but the method, the path and the `page_token` query parameter, so what the benchmark
//! measures is the client.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt as _, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use crate::bodies::Bodies;

struct Canned {
    redeem: Bytes,
    inspect: Bytes,
    share: Bytes,
    pages: Vec<Bytes>,
    not_found: Bytes,
}

/// A running canned server; stops when dropped.
pub struct CannedServer {
    base_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl CannedServer {
    /// Binds 127.0.0.1:0, builds the bodies (whose `next` links name this server) and serves.
    pub fn start() -> CannedServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let base_url = format!("http://{}", listener.local_addr().expect("local addr"));
        let bodies = Bodies::build(&base_url);
        let canned = Arc::new(Canned {
            redeem: Bytes::from(bodies.redeem),
            inspect: Bytes::from(bodies.inspect),
            share: Bytes::from(bodies.share),
            pages: bodies.pages.into_iter().map(Bytes::from).collect(),
            not_found: Bytes::from_static(
                br#"{"errors":[{"id":"bench-404","status":"404","code":"not_found","title":"Not Found","detail":"the canned server has no such route"}]}"#,
            ),
        });
        let (stop_tx, stop_rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("canned-server".into())
            .spawn(move || serve(listener, canned, stop_rx))
            .expect("server thread");
        CannedServer {
            base_url,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(listener: std::net::TcpListener, canned: Arc<Canned>, mut stop: oneshot::Receiver<()>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let _ = stream.set_nodelay(true);
                    let canned = Arc::clone(&canned);
                    let service = hyper::service::service_fn(move |req| {
                        let canned = Arc::clone(&canned);
                        async move { Ok::<_, Infallible>(answer(req, &canned).await) }
                    });
                    tokio::spawn(async move {
                        let _ = hyper::server::conn::http1::Builder::new()
                            .keep_alive(true)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        }
    });
    // Dropping the runtime ends the connection tasks.
    drop(rt);
}

async fn answer(req: Request<Incoming>, canned: &Canned) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    // Read the request body so the connection can be reused.
    let _ = body.collect().await;
    let path = parts.uri.path();
    let found = match parts.method {
        Method::POST if path == "/cdx/v1/shared-tokens:redeem" => Some(canned.redeem.clone()),
        Method::POST if path == "/cdx/v1/shared-tokens:resources" => Some(canned.inspect.clone()),
        Method::GET if path == "/cdx/v1/consumer-shares" => {
            let page = parts
                .uri
                .query()
                .unwrap_or_default()
                .split('&')
                .find_map(|kv| kv.strip_prefix("page_token=p"))
                .map_or(Some(0), |n| n.parse::<usize>().ok());
            page.and_then(|p| canned.pages.get(p)).cloned()
        }
        Method::GET if path.starts_with("/cdx/v1/consumer-shares/") => Some(canned.share.clone()),
        _ => None,
    };
    let (status, body) = match found {
        Some(body) => (StatusCode::OK, body),
        None => (StatusCode::NOT_FOUND, canned.not_found.clone()),
    };
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-request-id", "bench-0000000000000000")
        .body(Full::new(body))
        .expect("response")
}
