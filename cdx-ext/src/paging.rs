//! Pagination: one page at a time ([`Page`]), or every item as a stream.
//!
//! The API pages with an opaque cursor: `metadata.next` is an absolute URL whose `page_token`
//! query parameter asks for the next page; no `next` (or an empty one) ends the listing. A
//! failed page ends the stream with that error, never a silent truncation, and a token seen twice
//! is reported as [`Error::PaginationLoop`] instead of looping forever.

use crate::client::Client;
use crate::error::{Error, InvalidResponse, Result};
use crate::operation::Operation;
use cdx_client::types::{self, Failure, ListMeta};
use futures::Stream;
use progenitor_client::ResponseValue;
use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// A generated list response: one page's items and the list's metadata.
pub(crate) trait Listing {
    /// What the list holds.
    type Item;
    /// The items (none when `data` is absent) and the metadata.
    fn into_parts(self) -> (Vec<Self::Item>, Option<ListMeta>);
}

macro_rules! listings {
    ($($list:ident => $item:ident),* $(,)?) => {$(
        impl Listing for types::$list {
            type Item = types::$item;
            fn into_parts(self) -> (Vec<Self::Item>, Option<ListMeta>) {
                (self.data.unwrap_or_default(), self.metadata)
            }
        }
    )*};
}

listings! {
    CdxV1ConsumerShareList => CdxV1ConsumerShare,
    CdxV1ConsumerSharedResourceList => CdxV1ConsumerSharedResource,
    CdxV1ProviderShareList => CdxV1ProviderShare,
    CdxV1ProviderSharedResourceList => CdxV1ProviderSharedResource,
}

impl Client {
    /// Sends a list operation through [`Client::call`] and makes its answer a [`Page`].
    pub(crate) async fn page<L, F, Fut>(
        &self,
        operation: Operation,
        send: F,
    ) -> Result<Page<L::Item>>
    where
        L: Listing,
        F: FnMut(Arc<cdx_client::Client>) -> Fut,
        Fut: Future<
            Output = std::result::Result<ResponseValue<L>, progenitor_client::Error<Failure>>,
        >,
    {
        let (items, meta) = self.call(operation, send).await?.into_inner().into_parts();
        Page::new(operation, items, meta.as_ref())
    }
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The token of the next page; `None` on the last page.
    pub next_page_token: Option<String>,
    /// The number of items in the whole listing, when the API says.
    pub total_size: Option<i32>,
}

impl<T> Page<T> {
    /// A page from a list response; no `metadata` means no further pages.
    pub(crate) fn new(
        operation: Operation,
        items: Vec<T>,
        meta: Option<&ListMeta>,
    ) -> Result<Self> {
        Ok(Self {
            items,
            next_page_token: meta
                .map(|m| next_page_token(operation, m))
                .transpose()?
                .flatten(),
            total_size: meta.and_then(|m| m.total_size),
        })
    }
}

/// The `page_token` of `metadata.next`, `None` at the end.
pub(crate) fn next_page_token(operation: Operation, meta: &ListMeta) -> Result<Option<String>> {
    let Some(next) = meta
        .next
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    else {
        return Ok(None);
    };
    let invalid = |reason: String| {
        Error::InvalidResponse(Box::new(InvalidResponse {
            operation,
            status: None,
            request_id: None,
            content_type: None,
            reason,
            excerpt: None,
        }))
    };
    // `next` is absolute; accept a relative one too by resolving it against a dummy base.
    let url = reqwest::Url::parse(next)
        .or_else(|_| reqwest::Url::parse("http://relative.invalid/").and_then(|b| b.join(next)))
        .map_err(|_| invalid(format!("metadata.next {next:?} is not a URL")))?;
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "page_token")
        .map(|(_, v)| v.into_owned());
    match token {
        Some(t) if !t.is_empty() => Ok(Some(t)),
        _ => Err(invalid(format!("metadata.next {next:?} has no page_token"))),
    }
}

/// Streams every item of a listing: `fetch(token)` gets one page.
///
/// A failed page, or a page token seen before, ends the listing with that error, after the
/// items already received. The stream is `Unpin`, so `.next().await` needs no pinning.
pub(crate) fn items<'a, T, F, Fut>(
    operation: Operation,
    fetch: F,
) -> impl Stream<Item = Result<T>> + Unpin + 'a
where
    T: Unpin + 'a,
    F: FnMut(Option<String>) -> Fut + Unpin + 'a,
    Fut: Future<Output = Result<Page<T>>> + 'a,
{
    Items {
        operation,
        fetch,
        pending: None,
        next: Some(None),
        seen: HashSet::new(),
        items: Vec::new().into_iter(),
        error: None,
    }
}

/// The stream behind [`items`]: one page future at a time, then that page's items straight out
/// of its `Vec`. Written out rather than composed from `unfold` + `flatten`, whose layers move
/// every item (a few hundred bytes) through several futures and adapters: a 10,000-item listing
/// spent ~5 % more wall time than a hand-written page loop in those copies (BENCHMARKS.md).
struct Items<T, F, Fut> {
    operation: Operation,
    fetch: F,
    /// The page being fetched.
    pending: Option<Pin<Box<Fut>>>,
    /// `Some(token)` while another page is to be fetched (`Some(None)`: the first).
    next: Option<Option<String>>,
    seen: HashSet<String>,
    items: std::vec::IntoIter<T>,
    /// Delivered after the current page's items: the stream then ends.
    error: Option<Error>,
}

impl<T, F, Fut> Stream for Items<T, F, Fut>
where
    T: Unpin,
    F: FnMut(Option<String>) -> Fut + Unpin,
    Fut: Future<Output = Result<Page<T>>>,
{
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(e) = this.error.take() {
                return Poll::Ready(Some(Err(e)));
            }
            let pending = match &mut this.pending {
                Some(pending) => pending,
                None => {
                    let Some(token) = this.next.take() else {
                        return Poll::Ready(None);
                    };
                    this.pending.insert(Box::pin((this.fetch)(token)))
                }
            };
            let page = std::task::ready!(pending.as_mut().poll(cx));
            this.pending = None;
            match page {
                Ok(page) => {
                    match page.next_page_token {
                        Some(t) if !this.seen.insert(t.clone()) => {
                            this.error = Some(Error::PaginationLoop {
                                operation: this.operation,
                                page_token: t,
                            });
                        }
                        next => this.next = next.map(Some),
                    }
                    this.items = page.items.into_iter();
                }
                Err(e) => this.error = Some(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt as _;

    fn meta(next: Option<&str>) -> ListMeta {
        serde_json::from_value(serde_json::json!({ "next": next })).unwrap()
    }

    #[test]
    fn next_token_comes_from_the_next_url() {
        let op = Operation::ListConsumerShares;
        assert_eq!(next_page_token(op, &meta(None)).unwrap(), None);
        assert_eq!(next_page_token(op, &meta(Some(""))).unwrap(), None);
        let url = "https://api.confluent.cloud/cdx/v1/consumer-shares?page_size=100&page_token=abc%2Fd%3D";
        assert_eq!(
            next_page_token(op, &meta(Some(url))).unwrap().as_deref(),
            Some("abc/d=")
        );
        assert!(next_page_token(op, &meta(Some("https://x/y?page_size=1"))).is_err());
    }

    fn page(items: std::ops::Range<u32>, next: Option<&str>) -> Page<u32> {
        Page {
            items: items.collect(),
            next_page_token: next.map(str::to_string),
            total_size: None,
        }
    }

    #[tokio::test]
    async fn streams_all_pages_then_stops() {
        let all: Vec<u32> = items(
            Operation::ListConsumerShares,
            |t: Option<String>| async move {
                Ok(match t.as_deref() {
                    None => page(0..2, Some("a")),
                    Some("a") => page(2..4, Some("b")),
                    _ => page(4..5, None),
                })
            },
        )
        .map(|r| r.unwrap())
        .collect()
        .await;
        assert_eq!(all, [0, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn the_stream_is_unpin_and_fetches_a_page_at_a_time() {
        let fetched = std::cell::Cell::new(0);
        let mut stream = items(Operation::ListConsumerShares, |t: Option<String>| {
            fetched.set(fetched.get() + 1);
            async move {
                Ok(match t {
                    None => page(0..3, Some("a")),
                    Some(_) => page(3..4, None),
                })
            }
        });
        // `.next()` needs `Unpin`: no `pin!` here.
        assert_eq!(stream.next().await.unwrap().unwrap(), 0);
        assert_eq!(fetched.get(), 1);
        assert_eq!(stream.next().await.unwrap().unwrap(), 1);
        assert_eq!(stream.next().await.unwrap().unwrap(), 2);
        assert_eq!(
            fetched.get(),
            1,
            "the second page is fetched only when needed"
        );
        assert_eq!(stream.next().await.unwrap().unwrap(), 3);
        assert!(stream.next().await.is_none());
        assert_eq!(fetched.get(), 2);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_with_an_error_after_the_items() {
        let got: Vec<Result<u32>> = items(
            Operation::ListConsumerShares,
            |t: Option<String>| async move {
                Ok(match t {
                    None => page(0..1, Some("loop")),
                    Some(_) => page(1..2, Some("loop")),
                })
            },
        )
        .collect()
        .await;
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(matches!(got[2], Err(Error::PaginationLoop { .. })));
    }
}
