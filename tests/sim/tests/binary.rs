//! The `cdx-sim` binary: its first line is its URL, bad flags are refused with the usage, and it
//! serves.

use std::io::BufRead as _;

#[test]
fn the_binary_prints_its_url_first() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cdx-sim"))
        .args(["--seed-demo", "--rate-limit", "100"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines.next().unwrap().unwrap();
    let rest: Vec<String> = lines.by_ref().take(7).map(Result::unwrap).collect();
    let _ = child.kill();
    let _ = child.wait();
    let port = url.strip_prefix("http://127.0.0.1:").expect(&url);
    assert!(port.parse::<u16>().unwrap() > 0);
    assert!(
        rest.iter()
            .any(|l| l == "provider api key: PROVIDERKEY:provider-secret"),
        "{rest:?}"
    );
    assert!(
        rest.iter().any(|l| l.starts_with("invite token: ")),
        "{rest:?}"
    );
}

#[test]
fn the_binary_refuses_bad_arguments_with_its_usage() {
    for args in [
        &["--rate-limit", "0"][..],
        &["--rate-window", "0"],
        &["--port", "70000"],
        &["--colour"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cdx-sim"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing served");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(args[0]), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn the_binary_serves() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cdx-sim"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines.next().unwrap().unwrap();
    let r = reqwest::Client::new()
        .get(format!("{url}/cdx/v1/opt-in"))
        .basic_auth("PROVIDERKEY", Some("provider-secret"))
        .send()
        .await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(r.unwrap().status(), 200);
}
