//! The benchmark harness: the pieces of the `cdx-bench` binary (calls, pagination and rendering
//! against a canned server, and the peers in other languages). `cdx-kafka-bench` measures against a
//! real broker. See BENCHMARKS.md.
#![forbid(unsafe_code)]

pub mod bodies;
pub mod calls;
pub mod paging;
pub mod peers;
pub mod render;
pub mod server;
