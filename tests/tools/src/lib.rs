//! Paths to the workspace and to the external tools the tests run. A missing tool fails the
//! test with the command that installs it: nothing is skipped silently.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/tools is in the workspace")
}

/// Where the test virtualenv's Python is: `CDX_TEST_PYTHON`, else `target/py/bin/python`
/// (which may not exist yet).
pub fn venv_python() -> PathBuf {
    std::env::var_os("CDX_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/py/bin/python"))
}

/// The test virtualenv's Python ([`venv_python`]), with schemathesis, confluent-kafka and
/// openapi-spec-validator installed, or a failure saying how to get it.
pub fn python() -> PathBuf {
    let path = venv_python();
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

/// The cargo arguments that select the `cdx` binary: cdx-ext's `cli` feature, its `cdx` bin.
pub const CDX_BINARY: [&str; 6] = ["-p", "cdx-ext", "--features", "cli", "--bin", "cdx"];

/// The `cdx` command-line binary (cdx-ext's `cli` feature), built by this workspace's
/// `cargo test` (which builds cdx-ext's binaries for its own tests); built here with cargo when
/// it is missing or older than cdx-ext's sources, e.g. when a single test binary runs.
pub fn cdx_binary() -> PathBuf {
    let root = workspace_root();
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/<test binary> -> target/<profile>/cdx
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("a test binary in target/<profile>/deps");
    let binary = profile_dir.join("cdx");
    let newest_source = ["cdx-ext/src", "cdx-client/src"]
        .iter()
        .flat_map(|d| walk(&root.join(d)))
        .chain([root.join("Cargo.lock")])
        .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .max();
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    if built.is_none() || newest_source.is_some_and(|s| Some(s) > built) {
        let status = std::process::Command::new(env!("CARGO"))
            .current_dir(root)
            .args(["build", "--quiet"])
            .args(CDX_BINARY)
            .status()
            .expect("running cargo build for the cdx binary");
        assert!(status.success(), "building the cdx binary failed");
    }
    assert!(binary.is_file(), "no cdx binary at {}", binary.display());
    binary
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}
