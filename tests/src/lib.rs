//! The cdx test suite: a stateful simulator of the cdx/v1 API and helpers for end-to-end tests.

pub mod broker;
pub mod clients;
pub mod parsers;
pub mod sim;
pub mod tools;
