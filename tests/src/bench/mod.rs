//! The pieces of `cdx-bench` (declared from `src/bin/cdx-bench.rs`, not part of the library).

pub mod bodies;
pub mod calls;
pub mod paging;
pub mod peers;
pub mod render;
pub mod server;
pub mod stats;
