//! Workspace automation for cdx, as a library so the test suite can drive the generator.
#![forbid(unsafe_code)]

pub mod codegen;
pub mod import;
pub mod normalise;
pub mod open_types;
pub mod operations;
pub mod setup;
pub mod spec;
pub mod surface;
pub mod workspace;
