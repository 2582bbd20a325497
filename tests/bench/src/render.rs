//! Rendering: client configuration files per second, from the canned redemption.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cdx_ext::Redemption;
use cdx_ext::config::{Format, RenderOptions, render};
use serde_json::{Value, json};

use cdx_stats::median;

pub struct Plan {
    pub batch: usize,
    pub rounds: usize,
    pub deadline: Duration,
}

const FORMATS: [Format; 2] = [Format::Java, Format::Librdkafka];

pub fn run(plan: &Plan) -> Value {
    let redemption: Redemption =
        serde_json::from_value(crate::bodies::redeem()).expect("canned redemption");
    let options = RenderOptions {
        group_suffix: Some(".billing".into()),
        ..Default::default()
    };
    let started = Instant::now();
    let mut rates = vec![Vec::new(); FORMATS.len()];
    let mut bytes = [0usize; FORMATS.len()];
    // Warm up (and check) once per format.
    for (i, f) in FORMATS.iter().enumerate() {
        bytes[i] = render(&redemption, *f, &options).expect("render").len();
    }
    for round in 0..plan.rounds {
        if started.elapsed() > plan.deadline {
            eprintln!("cdx-bench: rendering stopped after {round} rounds (time limit)");
            break;
        }
        for (i, f) in FORMATS.iter().enumerate() {
            let t = Instant::now();
            for _ in 0..plan.batch {
                let text = render(black_box(&redemption), *f, &options).expect("render");
                black_box(text);
            }
            rates[i].push(plan.batch as f64 / t.elapsed().as_secs_f64());
        }
    }
    let mut formats = serde_json::Map::new();
    for (i, f) in FORMATS.iter().enumerate() {
        formats.insert(
            f.name().into(),
            json!({
                "per_s": median(&rates[i]).round(),
                "us_per_file": ((1e6 / median(&rates[i])) * 1000.0).round() / 1000.0,
                "bytes": bytes[i],
                "rounds": rates[i].len(),
                "files_per_round": plan.batch,
            }),
        );
    }
    json!({
        "render_java_per_s": median(&rates[0]).round(),
        "render_librdkafka_per_s": median(&rates[1]).round(),
        "render": formats,
    })
}
