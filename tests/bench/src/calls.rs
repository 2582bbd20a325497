//! Call overhead: one request at a time, through cdx-ext, through the generated client alone,
//! and written by hand with reqwest + serde_json on cdx-ext's own connection pool.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cdx_client::types;
use cdx_ext::ShareToken;
use progenitor_client::ClientInfo as _;
use reqwest::header::ACCEPT;
use serde_json::{Value, json};

use crate::bodies::SHARE_ID;
use crate::peers::{Batch, Worker};
use cdx_stats::{Samples, median, round4};

/// What is being called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Redeem,
    Inspect,
    GetShare,
}

impl Op {
    pub const ALL: [Op; 3] = [Op::Redeem, Op::Inspect, Op::GetShare];

    pub fn name(self) -> &'static str {
        match self {
            Op::Redeem => "redeem",
            Op::Inspect => "token_inspect",
            Op::GetShare => "get_consumer_share",
        }
    }
}

/// Who makes the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// reqwest + serde_json by hand, decoding into the same generated types.
    Raw,
    /// The generated (progenitor) client alone: no retry loop, no span, no response capture.
    Generated,
    /// cdx-ext with `RetryPolicy::none()` and no tracing subscriber.
    Cdx,
    /// cdx-ext with the default retry policy and a tracing subscriber installed at INFO.
    CdxRetryTracing,
}

impl Variant {
    pub const ALL: [Variant; 4] = [
        Variant::Raw,
        Variant::Generated,
        Variant::Cdx,
        Variant::CdxRetryTracing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Raw => "raw",
            Variant::Generated => "generated",
            Variant::Cdx => "cdx",
            Variant::CdxRetryTracing => "cdx_retry_tracing",
        }
    }
}

/// The clients under test.
pub struct Clients {
    /// cdx-ext, `RetryPolicy::none()`.
    pub cdx: cdx_ext::Client,
    /// cdx-ext, default `RetryPolicy` (4 attempts); used with `tracing` installed.
    pub cdx_retry: cdx_ext::Client,
    /// `cdx`'s own reqwest client (same pool, same default headers).
    pub http: reqwest::Client,
    pub base: String,
    pub token: ShareToken,
    /// An idle subscriber: fmt to a sink, filter `info`, so cdx's debug span and events are off.
    pub tracing: tracing::Dispatch,
}

impl Clients {
    pub fn new(base: &str, token: &str) -> Clients {
        let build = |policy| {
            cdx_ext::Client::builder()
                .cloud_api_key("BENCHKEY", "bench-secret")
                .base_url(base)
                .retry_policy(policy)
                .build()
                .expect("cdx client")
        };
        let cdx = build(cdx_ext::RetryPolicy::none());
        let cdx_retry = build(cdx_ext::RetryPolicy::default());
        let http = cdx.generated().client().clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
            .with_writer(std::io::sink)
            .finish();
        Clients {
            cdx,
            cdx_retry,
            http,
            base: base.trim_end_matches('/').to_string(),
            token: ShareToken::new(token).expect("token"),
            tracing: tracing::Dispatch::new(subscriber),
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(serde::Serialize)]
struct TokenBody<'a> {
    token: &'a str,
}

async fn raw_json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<T, BoxError> {
    let response = request.header(ACCEPT, "application/json").send().await?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()).into());
    }
    Ok(response.json::<T>().await?)
}

/// One call; panics on failure (the server answers every request with 200).
pub async fn call(c: &Clients, op: Op, variant: Variant) {
    let token = c.token.expose_secret();
    let result: Result<(), BoxError> = async {
        match (variant, op) {
            (Variant::Raw, Op::Redeem) => {
                let url = format!("{}/cdx/v1/shared-tokens:redeem", c.base);
                let r: types::CdxV1RedeemTokenResponse =
                    raw_json(c.http.post(url).json(&TokenBody { token })).await?;
                black_box(r);
            }
            (Variant::Raw, Op::Inspect) => {
                let url = format!("{}/cdx/v1/shared-tokens:resources", c.base);
                let r: types::ResourcesCdxV1SharedTokenResponse =
                    raw_json(c.http.post(url).json(&TokenBody { token })).await?;
                black_box(r.consumer_shared_resources);
            }
            (Variant::Raw, Op::GetShare) => {
                let url = format!("{}/cdx/v1/consumer-shares/{SHARE_ID}", c.base);
                let r: types::CdxV1ConsumerShare = raw_json(c.http.get(url)).await?;
                black_box(r);
            }
            (Variant::Generated, Op::Redeem) => {
                let body = types::CdxV1RedeemTokenRequest {
                    token: cdx_ext::Secret::new(token),
                    aws_account: None,
                    azure_subscription: None,
                    gcp_project: None,
                };
                let r = c.cdx.generated().redeem_cdx_v1_shared_token(&body).await?;
                black_box(r.into_inner());
            }
            (Variant::Generated, Op::Inspect) => {
                let body = types::CdxV1SharedToken {
                    token: cdx_ext::Secret::new(token),
                };
                let r = c
                    .cdx
                    .generated()
                    .resources_cdx_v1_shared_token(&body)
                    .await?;
                black_box(r.into_inner().consumer_shared_resources);
            }
            (Variant::Generated, Op::GetShare) => {
                let r = c
                    .cdx
                    .generated()
                    .get_cdx_v1_consumer_share(SHARE_ID)
                    .await?;
                black_box(r.into_inner());
            }
            (Variant::Cdx | Variant::CdxRetryTracing, op) => {
                let client = if variant == Variant::Cdx {
                    &c.cdx
                } else {
                    &c.cdx_retry
                };
                match op {
                    Op::Redeem => drop(black_box(client.redeem(&c.token, None).await?)),
                    Op::Inspect => drop(black_box(client.inspect_token(&c.token).await?)),
                    Op::GetShare => drop(black_box(client.get_consumer_share(SHARE_ID).await?)),
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        panic!("{} via {} failed: {e}", op.name(), variant.name());
    }
}

/// The size of each variant's future (built, never polled): every layer that wraps a future by
/// value moves all of it, so big futures cost memcpy on every call.
pub fn future_bytes(c: &Clients) -> Value {
    fn size<F: Future>(f: F) -> usize {
        std::mem::size_of_val(&f)
    }
    let token = c.token.expose_secret();
    let redeem_body = types::CdxV1RedeemTokenRequest {
        token: cdx_ext::Secret::new(token),
        aws_account: None,
        azure_subscription: None,
        gcp_project: None,
    };
    let inspect_body = types::CdxV1SharedToken {
        token: cdx_ext::Secret::new(token),
    };
    let g = c.cdx.generated();
    json!({
        "redeem": {
            "raw": size(raw_json::<types::CdxV1RedeemTokenResponse>(c.http.post(&c.base))),
            "generated": size(g.redeem_cdx_v1_shared_token(&redeem_body)),
            "cdx": size(c.cdx.redeem(&c.token, None)),
        },
        "token_inspect": {
            "raw": size(raw_json::<types::ResourcesCdxV1SharedTokenResponse>(c.http.post(&c.base))),
            "generated": size(g.resources_cdx_v1_shared_token(&inspect_body)),
            "cdx": size(c.cdx.inspect_token(&c.token)),
        },
        "get_consumer_share": {
            "raw": size(raw_json::<types::CdxV1ConsumerShare>(c.http.get(&c.base))),
            "generated": size(g.get_cdx_v1_consumer_share(SHARE_ID)),
            "cdx": size(c.cdx.get_consumer_share(SHARE_ID)),
        },
    })
}

/// Sizes of the values each layer returns by value (every return through a layer is a memcpy
/// of this many bytes).
pub fn value_bytes() -> Value {
    use std::mem::size_of;
    type Generated<T> =
        Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<types::Failure>>;
    json!({
        "cdx_ext::Error": size_of::<cdx_ext::Error>(),
        "Option<cdx_client::ResponseMeta>": size_of::<Option<cdx_client::ResponseMeta>>(),
        "ConsumerShare": size_of::<types::CdxV1ConsumerShare>(),
        "Result<ResponseValue<ConsumerShare>, progenitor Error>": size_of::<Generated<types::CdxV1ConsumerShare>>(),
        "Result<ResponseValue<ConsumerShare>, cdx_ext::Error>": size_of::<cdx_ext::Result<progenitor_client::ResponseValue<types::CdxV1ConsumerShare>>>(),
        "Result<ConsumerShare, cdx_ext::Error>": size_of::<cdx_ext::Result<types::CdxV1ConsumerShare>>(),
        "RedeemTokenResponse": size_of::<types::CdxV1RedeemTokenResponse>(),
        "Result<Redemption, cdx_ext::Error>": size_of::<cdx_ext::Result<cdx_ext::Redemption>>(),
    })
}

/// How many calls, in how many interleaved rounds.
pub struct Plan {
    pub warmup: usize,
    pub rounds: usize,
    pub batch: usize,
    pub deadline: Duration,
}

/// How many calls a peer makes per request of the driver: the in-process variants and the peers
/// take turns in slices this long, so load that comes and goes reaches them alike.
const SLICE: usize = 25;

/// Per operation and variant: wall samples and CPU time in total.
#[derive(Clone, Default)]
struct Tally {
    wall: Samples,
    cpu: Duration,
}

impl Tally {
    fn cpu_us_per_call(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.wall.len().max(1) as f64
    }
}

/// Interleaves the variants call by call (order rotating) for every operation, and the peers
/// slice by slice with them; returns the per-operation figures and the worst median ratio
/// cdx/raw. A peer that fails stops the benchmark (its figures would be wrong).
pub async fn run(c: &Clients, plan: &Plan, peers: &mut [Worker]) -> Value {
    let started = Instant::now();
    for op in Op::ALL {
        for v in Variant::ALL {
            timed_batch(c, op, v, plan.warmup, &mut Samples::default()).await;
        }
        for w in peers.iter_mut() {
            peer_batch(w, op, plan.warmup);
        }
    }
    let idx = |op: Op| Op::ALL.iter().position(|o| *o == op).expect("op");
    let vdx = |v: Variant| Variant::ALL.iter().position(|x| *x == v).expect("variant");
    let mut tally = vec![vec![Tally::default(); Variant::ALL.len()]; Op::ALL.len()];
    let mut peer_tally = vec![vec![Tally::default(); peers.len()]; Op::ALL.len()];
    // Per-round median ratios: drift between rounds cancels out of these.
    let mut round_ratios = vec![vec![Vec::new(); Variant::ALL.len()]; Op::ALL.len()];
    let mut rounds_done = 0;
    for round in 0..plan.rounds {
        if started.elapsed() > plan.deadline {
            eprintln!("cdx-bench: call overhead stopped after {round} rounds (time limit)");
            break;
        }
        for op in Op::ALL {
            let mut this_round = vec![Tally::default(); Variant::ALL.len()];
            let groups = 1 + peers.len();
            for slice in 0..plan.batch.div_ceil(SLICE) {
                let len = SLICE.min(plan.batch - slice * SLICE);
                for g in 0..groups {
                    match (g + slice + round) % groups {
                        // Call by call, round-robin over the in-process variants (the order
                        // rotating too).
                        0 => {
                            for i in 0..len {
                                let mut order = Variant::ALL;
                                order.rotate_left((slice * SLICE + i) % Variant::ALL.len());
                                for v in order {
                                    let (wall, cpu) = timed_call(c, op, v).await;
                                    let t = &mut this_round[vdx(v)];
                                    t.wall.push(wall);
                                    t.cpu += cpu;
                                }
                            }
                        }
                        p => {
                            let b = peer_batch(&mut peers[p - 1], op, len);
                            let t = &mut peer_tally[idx(op)][p - 1];
                            t.wall.extend(&b.samples);
                            t.cpu += b.cpu;
                        }
                    }
                }
            }
            let raw_median = this_round[vdx(Variant::Raw)].wall.median();
            for v in Variant::ALL {
                let r = &this_round[vdx(v)];
                round_ratios[idx(op)][vdx(v)].push(r.wall.median() / raw_median);
                let t = &mut tally[idx(op)][vdx(v)];
                t.wall.extend(&r.wall);
                t.cpu += r.cpu;
            }
        }
        rounds_done += 1;
    }

    let mut ops = serde_json::Map::new();
    let mut worst: f64 = 0.0;
    // Per peer: the smallest ratio peer/cdx over the operations (>= 1: cdx is at or below the
    // peer on every operation).
    let mut peer_min = vec![(f64::INFINITY, f64::INFINITY); peers.len()];
    for op in Op::ALL {
        let s = &tally[idx(op)];
        let raw = &s[vdx(Variant::Raw)];
        let cdx = &s[vdx(Variant::Cdx)];
        let mut entry = serde_json::Map::new();
        for v in Variant::ALL {
            let t = &s[vdx(v)];
            let mut figures = t.wall.summary_us();
            figures["cpu_us_per_call"] = json!(round4(t.cpu_us_per_call()));
            if v != Variant::Raw {
                let ratio = t.wall.median() / raw.wall.median();
                figures["ratio_to_raw"] = json!(round4(ratio));
                figures["ratio_to_raw_p99"] =
                    json!(round4(t.wall.quantile(0.99) / raw.wall.quantile(0.99)));
                figures["ratio_to_raw_per_round_median"] =
                    json!(round4(median(&round_ratios[idx(op)][vdx(v)])));
                figures["overhead_us"] = json!(round4((t.wall.median() - raw.wall.median()) / 1e3));
                figures["cpu_ratio_to_raw"] =
                    json!(round4(t.cpu_us_per_call() / raw.cpu_us_per_call()));
                if matches!(v, Variant::Cdx | Variant::CdxRetryTracing) {
                    worst = worst.max(ratio);
                }
            }
            entry.insert(v.name().into(), figures);
        }
        for (p, w) in peers.iter().enumerate() {
            let t = &peer_tally[idx(op)][p];
            let wall_to_cdx = t.wall.median() / cdx.wall.median();
            let cpu_to_cdx = t.cpu_us_per_call() / cdx.cpu_us_per_call();
            peer_min[p].0 = peer_min[p].0.min(wall_to_cdx);
            peer_min[p].1 = peer_min[p].1.min(cpu_to_cdx);
            let mut figures = t.wall.summary_us();
            figures["cpu_us_per_call"] = json!(round4(t.cpu_us_per_call()));
            figures["ratio_to_raw"] = json!(round4(t.wall.median() / raw.wall.median()));
            figures["ratio_to_cdx"] = json!(round4(wall_to_cdx));
            figures["ratio_to_cdx_p99"] =
                json!(round4(t.wall.quantile(0.99) / cdx.wall.quantile(0.99)));
            figures["cpu_ratio_to_raw"] =
                json!(round4(t.cpu_us_per_call() / raw.cpu_us_per_call()));
            figures["cpu_ratio_to_cdx"] = json!(round4(cpu_to_cdx));
            entry.insert(w.peer.name().into(), figures);
        }
        ops.insert(op.name().into(), Value::Object(entry));
    }
    let mut out = json!({
        "call_overhead_ratio": round4(worst),
        "call_overhead": {
            "operations": ops,
            "rounds": rounds_done,
            "future_bytes": future_bytes(c),
            "value_bytes": value_bytes(),
            "calls_per_round_and_variant": plan.batch,
            "peer_slice": SLICE,
            "warmup_calls": plan.warmup,
            "cpu_method": "in-process variants: CLOCK_THREAD_CPUTIME_ID of the client thread around each call; peers: getrusage(RUSAGE_SELF) user+system of the worker process around each slice",
            "seconds": round4(started.elapsed().as_secs_f64()),
        },
    });
    for (p, w) in peers.iter().enumerate() {
        out[format!("{}_call_wall_ratio_to_cdx_min", w.peer.name())] = json!(round4(peer_min[p].0));
        out[format!("{}_call_cpu_ratio_to_cdx_min", w.peer.name())] = json!(round4(peer_min[p].1));
    }
    out
}

/// `n` calls by a peer; panics (stopping the benchmark) if the peer fails or answers wrongly.
fn peer_batch(w: &mut Worker, op: Op, n: usize) -> Batch {
    let want = match op {
        Op::Redeem => 5,
        Op::Inspect => 2,
        Op::GetShare => 1,
    };
    match w.run(op.name(), n) {
        Ok(b) if b.items == want => b,
        Ok(b) => panic!(
            "the {} peer's {} returned {} items, not {want}",
            w.peer.name(),
            op.name(),
            b.items
        ),
        Err(e) => panic!("{e}"),
    }
}

/// CPU time of this thread so far (user + system).
pub fn thread_cpu() -> Duration {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
        .map_or(Duration::ZERO, Duration::from)
}

async fn timed_batch(c: &Clients, op: Op, v: Variant, n: usize, out: &mut Samples) {
    for _ in 0..n {
        out.push(timed_call(c, op, v).await.0);
    }
}

/// One timed call: wall time and this thread's CPU time. The tracing variant runs with the idle
/// subscriber as this thread's default (installed and removed outside the timed part).
async fn timed_call(c: &Clients, op: Op, v: Variant) -> (Duration, Duration) {
    let _guard =
        (v == Variant::CdxRetryTracing).then(|| tracing::dispatcher::set_default(&c.tracing));
    let cpu = thread_cpu();
    let t = Instant::now();
    call(c, op, v).await;
    let wall = t.elapsed();
    (wall, thread_cpu().saturating_sub(cpu))
}
