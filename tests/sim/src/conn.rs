//! The handle a handler gets on its connection, to abort it (faults that drop a socket).

use std::sync::Arc;

use axum::body::Body;
use axum::http::Response;
use tokio::sync::Notify;

/// Per-connection handle given to the handler (as a request extension).
#[derive(Clone)]
pub(crate) struct ConnCtx {
    pub(crate) reset: Arc<Notify>,
}

impl ConnCtx {
    /// Aborts the connection (TCP reset): the client gets no response. Never returns.
    pub(crate) async fn reset(&self) -> Response<Body> {
        self.abort();
        std::future::pending().await
    }

    /// Aborts the connection (TCP reset) now, whatever it is doing, e.g. in the middle of
    /// sending a response body.
    pub(crate) fn abort(&self) {
        self.reset.notify_one();
    }
}
