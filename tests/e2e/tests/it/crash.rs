//! I6 durability: the orchestrator process is killed (SIGKILL) at random moments during a large
//! export and restarted each time; in the end Octopus holds every invoice exactly once and the
//! ledger agrees with Octopus.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use sqlx::Row as _;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

use ox_proto::orchestrator::v1::StartExportRequest;
use ox_proto::orchestrator::v1::export_orchestrator_client::ExportOrchestratorClient;

use octopus_export::provision::DEMO_DOSSIER;
use octopus_export::stack::EmbeddedStack;

use crate::helpers::{self, TestDir};

/// A workspace binary next to this test binary (`target/<profile>/<name>`).
fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: build the workspace binaries first (cargo build --bins)",
        path.display()
    );
    path
}

/// A tiny deterministic generator for the kill moments.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Starts the orchestrator binary against the stack's other services; returns it with its address
/// once it has logged that it serves.
async fn spawn_orchestrator(stack: &EmbeddedStack, ledger: &str) -> (Child, String) {
    let a = &stack.addresses;
    let mut child = Command::new(binary("orchestrator"))
        .env_remove("ORCHESTRATOR_CONFIG")
        .env("RUST_LOG", "info")
        .env("ORCHESTRATOR__LISTEN", "127.0.0.1:0")
        .env("ORCHESTRATOR__DATABASE_URL", ledger)
        .env("ORCHESTRATOR__LEASE_MS", "600")
        .env("ORCHESTRATOR__RESUME_INTERVAL_MS", "100")
        .env("ORCHESTRATOR__PEERS__CONFIG_SERVICE", &a.config_service)
        .env(
            "ORCHESTRATOR__PEERS__PLANMANAGER_READER",
            &a.planmanager_reader,
        )
        .env("ORCHESTRATOR__PEERS__JOURNAL_MAPPER", &a.journal_mapper)
        .env("ORCHESTRATOR__PEERS__OCTOPUS_GATEWAY", &a.octopus_gateway)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("the orchestrator logs its start");
        if line.contains("orchestrator started") {
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            break format!("http://{}", value["grpc_addr"].as_str().unwrap());
        }
    };
    // Keep draining its log so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, addr)
}

/// The kills hit the export while it was booking; Octopus then holds every invoice exactly once
/// (I1) and the ledger agrees with Octopus (I6).
async fn assert_once_and_agreed(
    stack: &EmbeddedStack,
    ledger: &str,
    bookings_at_kill: &[usize],
    total: usize,
) {
    let mid_booking = bookings_at_kill
        .iter()
        .filter(|n| **n > 0 && **n < total)
        .count();
    assert!(
        mid_booking >= 10,
        "kills at {bookings_at_kill:?} of {total}"
    );
    let state = stack.sim.dump(DEMO_DOSSIER);
    let bookings = state["buySellBookings"].as_array().unwrap();
    let keys: BTreeSet<(String, i64)> = bookings
        .iter()
        .map(|b| {
            (
                b["journalKey"].as_str().unwrap().to_owned(),
                b["documentSequenceNr"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(bookings.len(), total, "every invoice booked (I1)");
    assert_eq!(keys.len(), total, "none twice (I1)");
    let pool = sqlx::SqlitePool::connect(ledger).await.unwrap();
    let rows = sqlx::query(
        "SELECT journal_key, document_sequence_nr FROM bookings WHERE dossier_id = ? AND state = 'booked'",
    )
    .bind(DEMO_DOSSIER)
    .fetch_all(&pool)
    .await
    .unwrap();
    let ledger_keys: BTreeSet<(String, i64)> =
        rows.iter().map(|row| (row.get(0), row.get(1))).collect();
    assert_eq!(ledger_keys, keys, "the ledger agrees with Octopus (I6)");
    pool.close().await;
}

fn request(wait: bool, detach: bool) -> StartExportRequest {
    StartExportRequest {
        tenant_id: "demo".into(),
        location_name: "Bodyshop A".into(),
        wait_if_busy: wait,
        detach,
        ..StartExportRequest::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_orchestrator_twenty_times_loses_and_duplicates_nothing() {
    let dir = TestDir::new("crash");
    // ~460 new customers are more than Octopus's 400 relation writes a day; this test is about
    // crashes, not quotas, so the gateway's caps are raised.
    let caps = ox_octopus_gateway::Caps {
        relations_put: 10_000,
        relations_search: 10_000,
        bookings_post: 10_000,
        ..ox_octopus_gateway::Caps::default()
    };
    let behaviour = octopus_export::demo::OctopusBehaviour {
        gateway_caps: Some(caps),
        ..Default::default()
    };
    let (stack, provisioned) = helpers::start_with(&dir, 2000, behaviour).await;
    let total = provisioned.invoices_per_location["Bodyshop A"];
    assert!(total >= 1000, "a large export: {total}");
    let ledger = format!(
        "sqlite://{}?mode=rwc",
        dir.0.join("child-ledger.sqlite").display()
    );

    let (mut child, addr) = spawn_orchestrator(&stack, &ledger).await;
    let mut client = ExportOrchestratorClient::new(ox_kit::channel(&addr).unwrap());
    client.start_export(request(true, true)).await.unwrap();
    let mut rng = SplitMix(20261203);
    let mut kills = 0;
    let mut bookings_at_kill = Vec::new();
    while kills < 20 {
        if kills % 2 == 0 {
            // Mid-booking: once the resumed run has booked a random number more invoices.
            let target = stack.sim.bookings_count(DEMO_DOSSIER) + 1 + (rng.next() % 80) as usize;
            let progressed = tokio::time::timeout(Duration::from_secs(60), async {
                while stack.sim.bookings_count(DEMO_DOSSIER) < target.min(total) {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            })
            .await;
            assert!(
                progressed.is_ok(),
                "the restarted orchestrator resumed the run"
            );
            tokio::time::sleep(Duration::from_millis(rng.next() % 20)).await;
        } else {
            // Anywhere: startup, lease take-over, reading, mapping or booking.
            tokio::time::sleep(Duration::from_millis(20 + rng.next() % 300)).await;
        }
        child.kill().await.unwrap();
        kills += 1;
        bookings_at_kill.push(stack.sim.bookings_count(DEMO_DOSSIER));
        // The restarted process resumes the run by itself once the dead one's lease runs out.
        (child, _) = spawn_orchestrator(&stack, &ledger).await;
    }
    child.kill().await.unwrap();
    let (_last_child, addr) = spawn_orchestrator(&stack, &ledger).await;
    let mut client = ExportOrchestratorClient::new(ox_kit::channel(&addr).unwrap());
    let last = client
        .start_export(request(true, false))
        .await
        .unwrap()
        .into_inner()
        .report
        .unwrap();
    assert_eq!(last.status, "completed", "{:?}", last.message);

    assert_once_and_agreed(&stack, &ledger, &bookings_at_kill, total).await;
    stack.stop().await.unwrap();
}

/// A free loopback port: bound, read and released, for a child that must restart on it.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Starts the gateway binary on `port` against the stack's config-service; returns once it serves.
async fn spawn_gateway(stack: &EmbeddedStack, dir: &TestDir, port: u16) -> Child {
    let mut child = Command::new(binary("octopus-gateway"))
        .env_remove("OCTOPUS_GATEWAY_CONFIG")
        .env("RUST_LOG", "info")
        .env("OCTOPUS_GATEWAY__LISTEN", format!("127.0.0.1:{port}"))
        .env("OCTOPUS_GATEWAY__CONFIG_SERVICE", &stack.addresses.config_service)
        .env(
            "OCTOPUS_GATEWAY__DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.0.join("child-gateway.sqlite").display()),
        )
        // ~460 new customers exceed Octopus's 400 relation writes a day; this is about crashes.
        .env("OCTOPUS_GATEWAY__CAPS__RELATIONS_PUT", "10000")
        .env("OCTOPUS_GATEWAY__CAPS__RELATIONS_SEARCH", "10000")
        .env("OCTOPUS_GATEWAY__CAPS__BOOKINGS_POST", "10000")
        .env("OCTOPUS_GATEWAY__CAPS__CONNECT", "10000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("the gateway logs its start");
        if line.contains("octopus-gateway started") || line.contains("gateway started") {
            break;
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    child
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_gateway_twenty_times_loses_and_duplicates_nothing() {
    let dir = TestDir::new("gw-crash");
    let (stack, provisioned) = helpers::start(&dir, 2000).await;
    let total = provisioned.invoices_per_location["Bodyshop A"];
    let port = free_port();
    let mut gateway = spawn_gateway(&stack, &dir, port).await;
    let ledger = format!(
        "sqlite://{}?mode=rwc",
        dir.0.join("gw-crash-ledger.sqlite").display()
    );
    let orchestrator = ox_orchestrator::Application::build(ox_orchestrator::Settings {
        listen: "127.0.0.1:0".into(),
        database_url: ledger.clone(),
        peers: ox_orchestrator::config::Peers {
            config_service: stack.addresses.config_service.clone(),
            planmanager_reader: stack.addresses.planmanager_reader.clone(),
            journal_mapper: stack.addresses.journal_mapper.clone(),
            octopus_gateway: format!("http://127.0.0.1:{port}"),
        },
        lease_ms: 2_000,
        resume_interval_ms: 500,
    })
    .await
    .unwrap();
    let addr = format!("http://{}", orchestrator.local_addr());
    let serving = tokio::spawn(orchestrator.run_until(std::future::pending()));
    let mut client = ExportOrchestratorClient::new(ox_kit::channel(&addr).unwrap());

    let mut rng = SplitMix(4711);
    let mut bookings_at_kill = Vec::new();
    for kill in 0..20 {
        // Keep an export going: a run that ended early (items failed while the gateway was
        // away) is followed by a new one, as an operator would press the button again.
        let runs = client
            .list_runs(ox_proto::orchestrator::v1::ListRunsRequest {
                tenant_id: "demo".into(),
                limit: 1,
            })
            .await
            .unwrap()
            .into_inner()
            .runs;
        if runs.first().is_none_or(|run| run.status != "running") {
            client.start_export(request(true, true)).await.unwrap();
        }
        if kill % 2 == 0 {
            let target = stack.sim.bookings_count(DEMO_DOSSIER) + 1 + (rng.next() % 60) as usize;
            let progressed = tokio::time::timeout(Duration::from_secs(60), async {
                while stack.sim.bookings_count(DEMO_DOSSIER) < target.min(total) {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            })
            .await;
            assert!(
                progressed.is_ok(),
                "the export went on after the gateway came back"
            );
        } else {
            tokio::time::sleep(Duration::from_millis(20 + rng.next() % 300)).await;
        }
        gateway.kill().await.unwrap();
        bookings_at_kill.push(stack.sim.bookings_count(DEMO_DOSSIER));
        gateway = spawn_gateway(&stack, &dir, port).await;
    }
    let last = client
        .start_export(request(true, false))
        .await
        .unwrap()
        .into_inner()
        .report
        .unwrap();
    assert_eq!(last.status, "completed", "{:?}", last.message);
    assert_once_and_agreed(&stack, &ledger, &bookings_at_kill, total).await;
    serving.abort();
    drop(gateway);
    stack.stop().await.unwrap();
}
