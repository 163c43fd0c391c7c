//! The `octopus-sim` binary: `--help` documents flags, fixture, control API and SPEC; every
//! control has a flag; bad flags stop it with a clear message.

use std::io::BufRead as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_octopus-sim");

#[test]
fn help_documents_flags_fixture_control_api_and_fault_spec() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "--fixture",
        "--daily-caps",
        "--cap",
        "--latency-ms",
        "--jitter-ms",
        "--token-ttl-secs",
        "--faults",
        "--lockout-threshold",
        "--clock",
        "--freeze-clock",
        "--seed",
        "FAULT SPEC",
        "commit-drop",
        "lock-journal",
        "expire-tokens",
        "FIXTURE",
        "calendar_year",
        "CONTROL API",
        "/_sim/clock/advance",
        "/_sim/faults",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
    for endpoint in octopus_sim::Endpoint::ALL {
        assert!(
            help.contains(endpoint.alias()),
            "--help lacks alias {endpoint}"
        );
    }
}

#[test]
fn a_bad_fault_spec_stops_the_binary_with_the_reason() {
    let output = Command::new(BIN)
        .args(["--faults", "bookings:explode"])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown action `explode`"), "{stderr}");
}

#[tokio::test]
async fn every_flag_reaches_the_simulator() {
    let fixture =
        std::env::temp_dir().join(format!("octopus-sim-fixture-{}.json", std::process::id()));
    let body = json!({"dossiers": [{"id": 777, "name": "Garage", "bookyears": [{"id": 1, "calendar_year": 2025}]}]});
    std::fs::write(&fixture, body.to_string()).unwrap();
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--demo", "--fixture"])
        .arg(&fixture)
        .args([
            "--faults",
            "connect:503@nth=1",
            "--token-ttl-secs",
            "60",
            "--daily-caps",
            "--cap",
            "vatcodes=1",
            "--cap",
            "relations-search=none",
            "--latency-ms",
            "5",
            "--jitter-ms",
            "3",
            "--clock",
            "2025-03-15T09:00:00Z",
            "--freeze-clock",
            "--seed",
            "7",
            "--lockout-threshold",
            "3",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    let control = info["control_url"].as_str().unwrap().to_owned();
    let get = |path: &str| {
        let url = format!("{control}{path}");
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(get("/clock").await["now"], "2025-03-15T09:00:00.000Z");
    let caps = get("/daily-caps").await;
    assert_eq!(caps["enabled"], true);
    assert_eq!(caps["caps"]["vatcodes"], 1);
    assert_eq!(caps["caps"]["relations-search"], json!(null));
    assert_eq!(get("/token-ttl").await["seconds"], 60);
    assert_eq!(get("/latency").await, json!({"fixedMs": 5, "jitterMs": 3}));
    assert_eq!(get("/faults").await[0]["rule"], "connect:503@nth=1");
    assert_eq!(get("/dossiers/777").await["dossierId"], 777);

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let waited = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::task::spawn_blocking(move || child.wait()),
    )
    .await
    .expect("octopus-sim stops within 10 s of SIGTERM")
    .unwrap()
    .unwrap();
    assert!(waited.success());
    let _ = std::fs::remove_file(fixture);
}
