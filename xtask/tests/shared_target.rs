//! One xtask binary serving two checkouts (a shared `CARGO_TARGET_DIR`, git worktrees): each
//! `cargo xtask codegen` regenerates the checkout it runs in, never the one it was built in.

use std::path::Path;
use std::process::Command;

const SPEC: &str = "openapi/cdx-v1.yaml";
const OUTPUTS: [&str; 3] = [
    xtask::codegen::NORMALISED,
    xtask::codegen::GENERATED,
    xtask::operations::OPERATIONS,
];

fn checkout(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
    std::fs::create_dir_all(dir.path().join("cdx-client/src")).unwrap();
    std::fs::write(dir.path().join(SPEC), spec).unwrap();
    dir
}

fn codegen_in(dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xtask codegen in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn codegen_regenerates_the_checkout_it_runs_in() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let spec = std::fs::read_to_string(root.join(SPEC)).unwrap();
    // The second checkout's spec differs (the client reports `info.version`), so its output must.
    let mut other = xtask::spec::parse(&spec).unwrap();
    other["info"]["version"] = "9.9.9-other".into();
    let other = serde_json::to_string(&other).unwrap();
    let (a, b) = (checkout(&spec), checkout(&other));
    codegen_in(&a.path().join("cdx-client/src"));
    codegen_in(b.path());
    for path in OUTPUTS {
        let mine = std::fs::read_to_string(a.path().join(path))
            .unwrap_or_else(|e| panic!("checkout a has no {path}: {e}"));
        assert_eq!(
            mine,
            std::fs::read_to_string(root.join(path)).unwrap(),
            "checkout a regenerates what this workspace commits"
        );
        let theirs = std::fs::read_to_string(b.path().join(path))
            .unwrap_or_else(|e| panic!("checkout b has no {path}: {e}"));
        if path != xtask::operations::OPERATIONS {
            assert_ne!(mine, theirs, "{path}: each checkout from its own spec");
        }
    }
}
