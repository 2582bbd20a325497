//! Paths to the workspace and to the external tools the tests run. A missing tool fails the
//! test with the command that installs it: nothing is skipped silently.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
}

/// The test virtualenv's Python (`CDX_TEST_PYTHON`, else `target/py/bin/python`), with
/// schemathesis, confluent-kafka and openapi-spec-validator installed.
pub fn python() -> PathBuf {
    let path = std::env::var_os("CDX_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/py/bin/python"));
    assert!(
        path.exists(),
        "the test Python environment is missing ({}): run `cargo xtask setup` (or `cargo xtask test`)",
        path.display()
    );
    path
}

/// A program that must be on the PATH (e.g. `java`), or a failure saying how to get it.
pub fn require_program(program: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| {
        panic!("`{program}` is not installed: run `cargo xtask setup` (or `cargo xtask test`)")
    })
}
