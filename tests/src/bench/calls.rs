//! Call overhead: one request at a time, through cdx-ext, through the generated client alone,
//! and written by hand with reqwest + serde_json on cdx-ext's own connection pool.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cdx_client::types;
use cdx_ext::ShareToken;
use progenitor_client::ClientInfo as _;
use reqwest::header::ACCEPT;
use serde_json::{Value, json};

use super::bodies::SHARE_ID;
use super::stats::{Samples, median_f64, round4};

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

/// Interleaves the variants call by call (order rotating) for every operation; returns the
/// per-operation figures and the worst median ratio cdx/raw.
pub async fn run(c: &Clients, plan: &Plan) -> Value {
    let started = Instant::now();
    for op in Op::ALL {
        for v in Variant::ALL {
            timed_batch(c, op, v, plan.warmup, &mut Samples::default()).await;
        }
    }
    let idx = |op: Op| Op::ALL.iter().position(|o| *o == op).expect("op");
    let vdx = |v: Variant| Variant::ALL.iter().position(|x| *x == v).expect("variant");
    let mut samples = vec![vec![Samples::default(); Variant::ALL.len()]; Op::ALL.len()];
    // Per-round median ratios: drift between rounds cancels out of these.
    let mut round_ratios = vec![vec![Vec::new(); Variant::ALL.len()]; Op::ALL.len()];
    let mut rounds_done = 0;
    for round in 0..plan.rounds {
        if started.elapsed() > plan.deadline {
            eprintln!("cdx-bench: call overhead stopped after {round} rounds (time limit)");
            break;
        }
        for op in Op::ALL {
            // Call by call, round-robin over the variants (the order rotating too), so load
            // and frequency drift reach every variant alike.
            let mut this_round = vec![Samples::default(); Variant::ALL.len()];
            for i in 0..plan.batch {
                let mut order = Variant::ALL;
                order.rotate_left(i % Variant::ALL.len());
                for v in order {
                    this_round[vdx(v)].push(timed_call(c, op, v).await);
                }
            }
            let raw_median = this_round[vdx(Variant::Raw)].median();
            for v in Variant::ALL {
                round_ratios[idx(op)][vdx(v)].push(this_round[vdx(v)].median() / raw_median);
                samples[idx(op)][vdx(v)].extend(&this_round[vdx(v)]);
            }
        }
        rounds_done += 1;
    }

    let mut ops = serde_json::Map::new();
    let mut worst: f64 = 0.0;
    for op in Op::ALL {
        let s = &samples[idx(op)];
        let raw = s[vdx(Variant::Raw)].median();
        let mut entry = serde_json::Map::new();
        for v in Variant::ALL {
            let mut figures = s[vdx(v)].summary_us();
            if v != Variant::Raw {
                let ratio = s[vdx(v)].median() / raw;
                figures["ratio_to_raw"] = json!(round4(ratio));
                figures["ratio_to_raw_p99"] = json!(round4(
                    s[vdx(v)].quantile(0.99) / s[vdx(Variant::Raw)].quantile(0.99)
                ));
                figures["ratio_to_raw_per_round_median"] =
                    json!(round4(median_f64(&round_ratios[idx(op)][vdx(v)])));
                figures["overhead_us"] = json!(round4((s[vdx(v)].median() - raw) / 1e3));
                if matches!(v, Variant::Cdx | Variant::CdxRetryTracing) {
                    worst = worst.max(ratio);
                }
            }
            entry.insert(v.name().into(), figures);
        }
        ops.insert(op.name().into(), Value::Object(entry));
    }
    json!({
        "call_overhead_ratio": round4(worst),
        "call_overhead": {
            "operations": ops,
            "rounds": rounds_done,
            "future_bytes": future_bytes(c),
            "value_bytes": value_bytes(),
            "calls_per_round_and_variant": plan.batch,
            "warmup_calls": plan.warmup,
            "seconds": round4(started.elapsed().as_secs_f64()),
        },
    })
}

async fn timed_batch(c: &Clients, op: Op, v: Variant, n: usize, out: &mut Samples) {
    for _ in 0..n {
        out.push(timed_call(c, op, v).await);
    }
}

/// One timed call. The tracing variant runs with the idle subscriber as this thread's default
/// (installed and removed outside the timed part).
async fn timed_call(c: &Clients, op: Op, v: Variant) -> Duration {
    let _guard =
        (v == Variant::CdxRetryTracing).then(|| tracing::dispatcher::set_default(&c.tracing));
    let t = Instant::now();
    call(c, op, v).await;
    t.elapsed()
}
