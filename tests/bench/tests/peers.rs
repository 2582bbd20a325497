//! The benchmark's peers (`tests/bench-peers`: the Go program and the Python `requests`
//! script) build and give correct answers against the bench's canned server, so they cannot rot
//! between benchmark runs. Go and the virtualenv come from `cargo xtask setup`; a missing one
//! fails this test with the reason.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn every_peer_builds_and_answers_every_operation_correctly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cdx-bench"))
        .arg("--check-peers")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cdx-bench --check-peers");
    let deadline = Instant::now() + Duration::from_secs(300);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cdx-bench --check-peers did not finish within 300 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cdx-bench --check-peers failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    // Every operation's item count, checked by the driver and shown here: the redeem's five
    // resources, the token's two shared resources, the one share, 10,000 shares over 100 pages.
    let ops = "redeem=5 token_inspect=2 get_consumer_share=1 list=10000";
    assert!(stdout.contains(&format!("peer go: ok ({ops})")), "{stdout}");
    assert!(
        stdout.contains(&format!("peer python: ok ({ops} list-json=10000)")),
        "{stdout}"
    );
}
