//! Latency samples and their summaries, and the median and rounding the benchmark reports use
//! (`cdx-bench` and `cargo xtask bench` alike).
#![forbid(unsafe_code)]

use serde_json::{Value, json};
use std::time::Duration;

/// Durations in nanoseconds.
#[derive(Clone, Debug, Default)]
pub struct Samples(Vec<u64>);

impl Samples {
    /// Adds one sample.
    pub fn push(&mut self, d: Duration) {
        self.0.push(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    }

    /// Adds every sample of `other`.
    pub fn extend(&mut self, other: &Samples) {
        self.0.extend_from_slice(&other.0);
    }

    /// How many samples there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn sorted(&self) -> Vec<u64> {
        let mut s = self.0.clone();
        s.sort_unstable();
        s
    }

    /// The `q` quantile (0..=1), nearest rank; 0 when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        quantile_sorted(&self.sorted(), q)
    }

    /// The median (nearest rank); 0 when empty.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// The mean; 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        self.0.iter().map(|&n| n as f64).sum::<f64>() / self.0.len() as f64
    }

    /// Median, p99 and mean in microseconds, and the sample count.
    pub fn summary_us(&self) -> Value {
        let s = self.sorted();
        json!({
            "median_us": round3(quantile_sorted(&s, 0.5) / 1e3),
            "p99_us": round3(quantile_sorted(&s, 0.99) / 1e3),
            "mean_us": round3(self.mean() / 1e3),
            "n": s.len(),
        })
    }
}

fn quantile_sorted(s: &[u64], q: f64) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let rank = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len());
    s[rank - 1] as f64
}

/// The median of plain numbers (e.g. per-round ratios or run times), the mean of the middle two
/// for an even count; non-finite values are left out; 0 when none is left.
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// `x` to one decimal place.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `x` to three decimal places.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `x` to four decimal places.
pub fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_even_empty_and_non_finite() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
        assert_eq!(median(&[f64::NAN, 5.0, f64::INFINITY]), 5.0);
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let mut s = Samples::default();
        for n in 1..=100 {
            s.push(Duration::from_nanos(n));
        }
        assert_eq!(s.median(), 50.0);
        assert_eq!(s.quantile(0.99), 99.0);
        assert_eq!(s.quantile(1.0), 100.0);
        assert_eq!(Samples::default().median(), 0.0);
        assert_eq!(s.summary_us()["n"], 100);
    }
}
