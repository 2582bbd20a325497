//! Pagination: every consumer share (100 pages of 100) through cdx-ext's stream, through a page
//! loop over the generated client, and through a page loop written by hand.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cdx_client::types;
use futures::TryStreamExt as _;
use reqwest::header::ACCEPT;
use serde_json::{Value, json};

use super::bodies::{PAGE_SIZE, PAGES, TOTAL_SHARES};
use super::calls::Clients;
use super::stats::{Samples, median_f64, round3, round4};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Raw,
    Generated,
    Cdx,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Raw, Variant::Generated, Variant::Cdx];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Raw => "raw",
            Variant::Generated => "generated",
            Variant::Cdx => "cdx",
        }
    }
}

/// The `page_token` of an absolute or relative `next` link.
fn token_of(next: &str) -> Result<String, BoxError> {
    let url = reqwest::Url::parse(next)?;
    url.query_pairs()
        .find(|(k, _)| k == "page_token")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| format!("no page_token in {next}").into())
}

fn next_of(meta: &Option<types::ListMeta>) -> Option<&str> {
    meta.as_ref()?
        .next
        .as_deref()
        .filter(|n| !n.trim().is_empty())
}

/// The hand-written loop: GET a page, decode, keep the items, follow `metadata.next`.
async fn raw(c: &Clients) -> Result<Vec<cdx_ext::ConsumerShare>, BoxError> {
    let url = format!("{}/cdx/v1/consumer-shares", c.base);
    let size = PAGE_SIZE.to_string();
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..=PAGES {
        let mut request = c.http.get(&url).query(&[("page_size", size.as_str())]);
        if let Some(t) = &token {
            request = request.query(&[("page_token", t.as_str())]);
        }
        let response = request.header(ACCEPT, "application/json").send().await?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()).into());
        }
        let page: types::CdxV1ConsumerShareList = response.json().await?;
        all.extend(page.data.unwrap_or_default());
        match next_of(&page.metadata) {
            Some(next) => token = Some(token_of(next)?),
            None => return Ok(all),
        }
    }
    Err("more pages than expected".into())
}

/// The same loop over the generated client (progenitor alone).
async fn generated(c: &Clients) -> Result<Vec<cdx_ext::ConsumerShare>, BoxError> {
    let mut all = Vec::new();
    let mut token: Option<types::ListCdxV1ConsumerSharesPageToken> = None;
    for _ in 0..=PAGES {
        let page = c
            .cdx
            .generated()
            .list_cdx_v1_consumer_shares(
                None,
                std::num::NonZeroU64::new(PAGE_SIZE as u64),
                token.as_ref(),
                None,
            )
            .await?
            .into_inner();
        all.extend(page.data.unwrap_or_default());
        match next_of(&page.metadata) {
            Some(next) => token = Some(token_of(next)?.parse()?),
            None => return Ok(all),
        }
    }
    Err("more pages than expected".into())
}

async fn cdx(c: &Clients) -> Result<Vec<cdx_ext::ConsumerShare>, BoxError> {
    let filter = cdx_ext::ConsumerShareFilter::default();
    Ok(c.cdx.consumer_shares(&filter).try_collect().await?)
}

/// One full listing; panics on failure or a wrong count.
pub async fn list_all(c: &Clients, v: Variant) -> Duration {
    let t = Instant::now();
    let result = match v {
        Variant::Raw => raw(c).await,
        Variant::Generated => generated(c).await,
        Variant::Cdx => cdx(c).await,
    };
    let elapsed = t.elapsed();
    match result {
        Ok(items) if items.len() == TOTAL_SHARES => {
            black_box(items);
        }
        Ok(items) => panic!(
            "{} listed {} shares, not {TOTAL_SHARES}",
            v.name(),
            items.len()
        ),
        Err(e) => panic!("{} listing failed: {e}", v.name()),
    }
    elapsed
}

pub struct Plan {
    pub warmup: usize,
    pub rounds: usize,
    pub deadline: Duration,
}

pub async fn run(c: &Clients, plan: &Plan) -> Value {
    let started = Instant::now();
    for _ in 0..plan.warmup {
        for v in Variant::ALL {
            list_all(c, v).await;
        }
    }
    let mut samples = vec![Samples::default(); Variant::ALL.len()];
    let mut round_ratios = vec![Vec::new(); Variant::ALL.len()];
    let mut rounds_done = 0;
    for round in 0..plan.rounds {
        if started.elapsed() > plan.deadline {
            eprintln!("cdx-bench: pagination stopped after {round} rounds (time limit)");
            break;
        }
        let mut order = Variant::ALL;
        order.rotate_left(round % Variant::ALL.len());
        let mut took = [Duration::ZERO; Variant::ALL.len()];
        for v in order {
            let i = v as usize;
            took[i] = list_all(c, v).await;
            samples[i].push(took[i]);
        }
        for v in Variant::ALL {
            round_ratios[v as usize]
                .push(took[v as usize].as_secs_f64() / took[Variant::Raw as usize].as_secs_f64());
        }
        rounds_done += 1;
    }
    let raw_median = samples[Variant::Raw as usize].median();
    let mut variants = serde_json::Map::new();
    for v in Variant::ALL {
        let s = &samples[v as usize];
        let median_ns = s.median();
        let mut figures = json!({
            "median_ms": round3(median_ns / 1e6),
            "p99_ms": round3(s.quantile(0.99) / 1e6),
            "items_per_s": (TOTAL_SHARES as f64 / (median_ns / 1e9)).round(),
            "n": s.len(),
        });
        if v != Variant::Raw {
            figures["ratio_to_raw"] = json!(round4(median_ns / raw_median));
            figures["ratio_to_raw_per_round_median"] =
                json!(round4(median_f64(&round_ratios[v as usize])));
        }
        variants.insert(v.name().into(), figures);
    }
    let cdx_median = samples[Variant::Cdx as usize].median();
    let filter = cdx_ext::ConsumerShareFilter::default();
    // The stream holds its page request's future inline; each item re-creates (moves) it.
    let stream_bytes = std::mem::size_of_val(&c.cdx.consumer_shares(&filter));
    // The headline ratio pairs each cdx listing with the raw listing of the same round (a few
    // tens of milliseconds apart), so load that comes and goes between rounds cancels out.
    let paired = median_f64(&round_ratios[Variant::Cdx as usize]);
    json!({
        "pagination_ratio": round4(paired),
        "pagination_ratio_of_medians": round4(cdx_median / raw_median),
        "pagination_items_per_s": (TOTAL_SHARES as f64 / (cdx_median / 1e9)).round(),
        "pagination_raw_items_per_s": (TOTAL_SHARES as f64 / (raw_median / 1e9)).round(),
        "pagination": {
            "items": TOTAL_SHARES,
            "pages": PAGES,
            "page_size": PAGE_SIZE,
            "variants": variants,
            "cdx_stream_bytes": stream_bytes,
            "rounds": rounds_done,
            "seconds": round4(started.elapsed().as_secs_f64()),
        },
    })
}
