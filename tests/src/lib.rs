//! The cdx end-to-end test suite's shared pieces: cdx-ext clients pointed at the simulator
//! ([`clients`]) and the real readers of the config files ([`parsers`]). The simulator
//! (`cdx-sim`), the broker (`cdx-broker`) and the tool paths (`cdx-test-tools`) are crates of
//! their own, which cdx-ext's tests use too.
#![forbid(unsafe_code)]

pub mod clients;
pub mod expected;
pub mod parsers;
