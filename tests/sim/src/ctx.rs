//! What an operation's handler gets: the request, its route, and the state (locked).

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};

use crate::http::{ApiError, Out};
use crate::model::Share;
use crate::paging::{self, ListQuery};
use crate::route::Route;
use crate::state::{Shared, State};

/// Everything a handler needs. The state lock is held for the whole call.
pub(crate) struct Ctx<'a> {
    pub shared: &'a Shared,
    pub st: &'a mut State,
    /// The caller's organization.
    pub org: usize,
    pub route: &'a Route,
    pub path: &'a str,
    pub query: Vec<(String, String)>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    pub(crate) fn base(&self) -> &str {
        &self.shared.base_url
    }

    /// A 200 answer with the page of `items` that `q` asks for, as a list of `kind`.
    pub(crate) fn page(
        &self,
        kind: &str,
        items: Vec<serde_json::Value>,
        q: &ListQuery,
    ) -> Result<Out, ApiError> {
        let page = paging::page(
            items,
            q,
            kind,
            self.base(),
            self.path,
            &self.shared.page_nonce,
        );
        Ok(Out::Json(200, page))
    }

    /// Deactivates share `id` (revoked or left) and takes away the Kafka access its redemption
    /// gave.
    pub(crate) fn deactivate_share(&mut self, id: &str) -> &mut Share {
        let now = self.now;
        let share = self.st.shares.get_mut(id).expect("checked");
        share.deactivate(now);
        if let Some(kafka) = &self.shared.config.kafka {
            kafka.revoke(share);
        }
        share
    }
}
