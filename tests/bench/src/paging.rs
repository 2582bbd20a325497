//! Pagination: every consumer share (100 pages of 100) through cdx-ext's stream, through a page
//! loop over the generated client, and through a page loop written by hand.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cdx_client::types;
use futures::TryStreamExt as _;
use reqwest::header::ACCEPT;
use serde_json::{Value, json};

use crate::bodies::{PAGE_SIZE, PAGES, TOTAL_SHARES};
use crate::calls::{Clients, thread_cpu};
use crate::peers::{Batch, Worker};
use cdx_stats::{Samples, median, round3, round4};

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

/// Lists everything through every variant and every peer, one listing each per round (the
/// order rotating).
pub async fn run(c: &Clients, plan: &Plan, peers: &mut [Worker]) -> Value {
    let started = Instant::now();
    for _ in 0..plan.warmup {
        for v in Variant::ALL {
            list_all(c, v).await;
        }
        for w in peers.iter_mut() {
            peer_list(w);
        }
    }
    let n_in = Variant::ALL.len();
    let mut samples = vec![Samples::default(); n_in];
    let mut cpu = vec![Duration::ZERO; n_in + peers.len()];
    let mut peer_samples = vec![Samples::default(); peers.len()];
    let mut peer_rss = vec![0u64; peers.len()];
    let mut round_ratios = vec![Vec::new(); n_in];
    let mut rounds_done = 0;
    for round in 0..plan.rounds {
        if started.elapsed() > plan.deadline {
            eprintln!("cdx-bench: pagination stopped after {round} rounds (time limit)");
            break;
        }
        let mut took = [Duration::ZERO; Variant::ALL.len()];
        let turns = n_in + peers.len();
        for k in 0..turns {
            let i = (k + round) % turns;
            if let Some(&v) = Variant::ALL.get(i) {
                let cpu0 = thread_cpu();
                took[i] = list_all(c, v).await;
                cpu[i] += thread_cpu().saturating_sub(cpu0);
                samples[i].push(took[i]);
            } else {
                let b = peer_list(&mut peers[i - n_in]);
                peer_samples[i - n_in].extend(&b.samples);
                cpu[i] += b.cpu;
                peer_rss[i - n_in] = peer_rss[i - n_in].max(b.maxrss_kib);
            }
        }
        for v in Variant::ALL {
            round_ratios[v as usize]
                .push(took[v as usize].as_secs_f64() / took[Variant::Raw as usize].as_secs_f64());
        }
        rounds_done += 1;
    }
    let cpu_ms = |i: usize, n: usize| round3(cpu[i].as_secs_f64() * 1e3 / n.max(1) as f64);
    let raw_median = samples[Variant::Raw as usize].median();
    let cdx_median = samples[Variant::Cdx as usize].median();
    let cdx_cpu = cpu_ms(Variant::Cdx as usize, samples[Variant::Cdx as usize].len());
    let mut variants = serde_json::Map::new();
    for v in Variant::ALL {
        let s = &samples[v as usize];
        let median_ns = s.median();
        let mut figures = json!({
            "median_ms": round3(median_ns / 1e6),
            "p99_ms": round3(s.quantile(0.99) / 1e6),
            "cpu_ms_per_listing": cpu_ms(v as usize, s.len()),
            "items_per_s": (TOTAL_SHARES as f64 / (median_ns / 1e9)).round(),
            "n": s.len(),
        });
        if v != Variant::Raw {
            figures["ratio_to_raw"] = json!(round4(median_ns / raw_median));
            figures["ratio_to_raw_per_round_median"] =
                json!(round4(median(&round_ratios[v as usize])));
        }
        variants.insert(v.name().into(), figures);
    }
    let mut peer_keys = serde_json::Map::new();
    for (p, w) in peers.iter().enumerate() {
        let s = &peer_samples[p];
        let median_ns = s.median();
        let cpu = cpu_ms(n_in + p, s.len());
        variants.insert(
            w.peer.name().into(),
            json!({
                "median_ms": round3(median_ns / 1e6),
                "p99_ms": round3(s.quantile(0.99) / 1e6),
                "cpu_ms_per_listing": cpu,
                "items_per_s": (TOTAL_SHARES as f64 / (median_ns / 1e9)).round(),
                "peak_rss_kib": peer_rss[p],
                "n": s.len(),
                "ratio_to_raw": round4(median_ns / raw_median),
                "ratio_to_cdx": round4(median_ns / cdx_median),
                "cpu_ratio_to_cdx": round4(cpu / cdx_cpu),
            }),
        );
        peer_keys.insert(
            format!("{}_pagination_items_per_s", w.peer.name()),
            (TOTAL_SHARES as f64 / (median_ns / 1e9)).round().into(),
        );
        peer_keys.insert(
            format!("{}_pagination_ratio_to_cdx", w.peer.name()),
            round4(median_ns / cdx_median).into(),
        );
    }
    let filter = cdx_ext::ConsumerShareFilter::default();
    // The stream holds its page request's future inline; each item re-creates (moves) it.
    let stream_bytes = std::mem::size_of_val(&c.cdx.consumer_shares(&filter));
    // The headline ratio pairs each cdx listing with the raw listing of the same round (a few
    // tens of milliseconds apart), so load that comes and goes between rounds cancels out.
    let paired = median(&round_ratios[Variant::Cdx as usize]);
    let mut out = json!({
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
    });
    if let Value::Object(m) = &mut out {
        m.extend(peer_keys);
    }
    out
}

/// One listing by a peer; panics (stopping the benchmark) if it fails or lists a wrong count.
fn peer_list(w: &mut Worker) -> Batch {
    match w.run("list", 1) {
        Ok(b) if b.items == TOTAL_SHARES => b,
        Ok(b) => panic!(
            "the {} peer listed {} shares, not {TOTAL_SHARES}",
            w.peer.name(),
            b.items
        ),
        Err(e) => panic!("{e}"),
    }
}
