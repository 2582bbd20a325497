//! Finding the workspace the command was run in.
//!
//! At run time, not from `env!("CARGO_MANIFEST_DIR")`: with a shared `CARGO_TARGET_DIR` (a
//! global target directory, git worktrees, two clones) Cargo reuses one xtask binary for every
//! checkout, and a compile-time path would make it regenerate the checkout it was built in.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// The nearest directory at or above `start` whose `Cargo.toml` declares a `[workspace]`.
pub fn root_from(start: &Path) -> Result<PathBuf> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        if text.lines().any(|l| l.trim() == "[workspace]") {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "no Cargo workspace at or above {}: run `cargo xtask` inside the cdx checkout",
        start.display()
    )
}

/// The workspace around the current directory.
pub fn root() -> Result<PathBuf> {
    root_from(&std::env::current_dir()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_nearest_workspace_manifest_and_skips_member_manifests() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\nmembers = [\"a\"]\n",
        )
        .unwrap();
        let member = dir.path().join("a/src");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(dir.path().join("a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(root_from(&member).unwrap(), dir.path());
        let lone = tempfile::tempdir().unwrap();
        let err = root_from(lone.path()).unwrap_err().to_string();
        assert!(err.contains("no Cargo workspace"), "{err}");
    }
}
