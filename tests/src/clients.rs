//! cdx-ext clients pointed at a [`Simulator`], for tests, the demo and benchmarks.

use crate::sim::Simulator;
use cdx_ext::{Client, ClientBuilder, RetryPolicy};
use std::time::Duration;

/// A retry policy with short waits, so tests that exercise backoff stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_total_wait: Duration::from_secs(5),
    }
}

/// A builder authenticated as the simulator's consumer.
pub fn consumer_builder(sim: &Simulator) -> ClientBuilder {
    let (key, secret) = sim.config().consumer_key.clone();
    Client::builder()
        .cloud_api_key(key, secret)
        .base_url(sim.base_url())
        .retry_policy(fast_retries())
}

/// A builder authenticated as the simulator's provider.
pub fn provider_builder(sim: &Simulator) -> ClientBuilder {
    let (key, secret) = sim.config().provider_key.clone();
    Client::builder()
        .cloud_api_key(key, secret)
        .base_url(sim.base_url())
        .retry_policy(fast_retries())
}

/// The consumer's client.
pub fn consumer(sim: &Simulator) -> Client {
    consumer_builder(sim)
        .build()
        .expect("valid client settings")
}

/// The provider's client.
pub fn provider(sim: &Simulator) -> Client {
    provider_builder(sim)
        .build()
        .expect("valid client settings")
}
