//! The `orchestrator` binary: a clear refusal of bad settings, and a graceful stop on SIGTERM.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

fn orchestrator() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orchestrator"));
    command
        .env_remove("ORCHESTRATOR_CONFIG")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

#[test]
fn a_misspelt_setting_is_refused_by_name() {
    let output = orchestrator()
        .env("ORCHESTRATOR__LISTN", "127.0.0.1:0")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("listn"), "{stderr}");
}

#[test]
fn an_unusable_ledger_path_fails_at_startup_with_a_message() {
    let output = orchestrator()
        .env("ORCHESTRATOR__LISTEN", "127.0.0.1:0")
        .env(
            "ORCHESTRATOR__DATABASE_URL",
            "sqlite:///nonexistent-dir/ledger.sqlite?mode=rwc",
        )
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ledger"), "{stderr}");
}

#[test]
fn sigterm_stops_it_cleanly() {
    let dir = std::env::temp_dir().join(format!("ox-orch-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = orchestrator()
        .env("ORCHESTRATOR__LISTEN", "127.0.0.1:0")
        .env(
            "ORCHESTRATOR__DATABASE_URL",
            format!("sqlite://{}/ledger.sqlite?mode=rwc", dir.display()),
        )
        .spawn()
        .expect("the binary starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let started = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|line| line.contains("orchestrator started"));
    assert!(started.is_some(), "it logs its start");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
