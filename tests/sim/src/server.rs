//! The accept loop. Each connection is served by hyper directly (with axum's router as the
//! service) so that a fault can abort the socket without any response.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use hyper_util::rt::TokioIo;
use tokio::sync::{Notify, oneshot};
use tower::ServiceExt as _;

use crate::conn::ConnCtx;
use crate::routes;
use crate::state::Shared;

/// Runs `serve` with `listener` on a thread named `name` with a runtime of its own. When `serve`
/// returns, dropping the runtime cancels every task it spawned (e.g. open connections); then
/// `done` is signalled.
pub(crate) fn on_own_thread<F, Fut>(
    name: &str,
    listener: std::net::TcpListener,
    serve: F,
    done: Option<oneshot::Sender<()>>,
) where
    F: FnOnce(tokio::net::TcpListener) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the simulator");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
                serve(listener).await;
            });
            drop(rt);
            if let Some(done) = done {
                let _ = done.send(());
            }
        })
        .expect("a thread for the simulator");
}

/// Serves the API until `stop` fires or its sender is dropped; then signals `done`.
pub(crate) fn spawn(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
    done: oneshot::Sender<()>,
) {
    let accept = move |listener: tokio::net::TcpListener| async move {
        let router = Router::new().fallback(routes::handle).with_state(shared);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        serve(stream, router.clone());
                    }
                }
            }
        }
    };
    on_own_thread("cdx-sim", listener, accept, Some(done));
}

fn serve(stream: tokio::net::TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    // A second descriptor of the same socket, to reach it after hyper owns the stream: the
    // socket closes when both are gone.
    #[cfg(unix)]
    let socket = std::os::fd::AsFd::as_fd(&stream).try_clone_to_owned();
    let reset = Arc::new(Notify::new());
    let ctx = ConnCtx {
        reset: Arc::clone(&reset),
    };
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(ctx.clone());
        router.clone().oneshot(req)
    });
    tokio::spawn(async move {
        let conn = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service);
        tokio::pin!(conn);
        tokio::select! {
            _ = conn.as_mut() => {}
            _ = reset.notified() => {
                // SO_LINGER 0: closing sends RST instead of FIN.
                #[cfg(unix)]
                if let Ok(socket) = &socket {
                    let _ = socket2::SockRef::from(socket).set_linger(Some(std::time::Duration::ZERO));
                }
            }
        }
    });
}
