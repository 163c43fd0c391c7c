//! The gateway scales on its own: the orchestrator balances calls over three gateway replicas
//! that share one store, one replica dies mid-export, and the export still completes with every
//! invoice booked once.

use std::time::Duration;

use ox_proto::orchestrator::v1::StartExportRequest;
use ox_proto::orchestrator::v1::export_orchestrator_client::ExportOrchestratorClient;

use octopus_export::provision::DEMO_DOSSIER;

use crate::helpers::{self, TestDir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_survives_losing_one_of_three_gateway_replicas() {
    let dir = TestDir::new("replicas");
    let (stack, provisioned) = helpers::start(&dir, 200).await;
    let total = provisioned.invoices_per_location["Bodyshop A"];
    let store = format!(
        "sqlite://{}?mode=rwc",
        dir.0.join("gateway.sqlite").display()
    );

    // Two more replicas beside the stack's own, sharing its store (quotas, sessions).
    let mut replicas = Vec::new();
    let mut addresses = vec![stack.addresses.octopus_gateway.clone()];
    for _ in 0..2 {
        let sim = stack.sim.clone();
        let settings = ox_octopus_gateway::Settings {
            listen: "127.0.0.1:0".into(),
            config_service: stack.addresses.config_service.clone(),
            database_url: store.clone(),
            ..ox_octopus_gateway::Settings::load().unwrap()
        };
        let clock = ox_octopus_gateway::Clock::from_fn(move || sim.now());
        let app = ox_octopus_gateway::Application::build_with_clock(settings, clock)
            .await
            .unwrap();
        addresses.push(format!("http://{}", app.local_addr()));
        replicas.push(tokio::spawn(app.run_until(std::future::pending())));
    }
    let orchestrator = ox_orchestrator::Application::build(ox_orchestrator::Settings {
        listen: "127.0.0.1:0".into(),
        database_url: format!(
            "sqlite://{}?mode=rwc",
            dir.0.join("replica-ledger.sqlite").display()
        ),
        peers: ox_orchestrator::config::Peers {
            config_service: stack.addresses.config_service.clone(),
            planmanager_reader: stack.addresses.planmanager_reader.clone(),
            journal_mapper: stack.addresses.journal_mapper.clone(),
            octopus_gateway: addresses.join(","),
        },
        lease_ms: 5_000,
        resume_interval_ms: 1_000,
    })
    .await
    .unwrap();
    let orchestrator_addr = format!("http://{}", orchestrator.local_addr());
    let serving = tokio::spawn(orchestrator.run_until(std::future::pending()));

    let mut client = ExportOrchestratorClient::new(ox_kit::channel(&orchestrator_addr).unwrap());
    let started = client
        .start_export(StartExportRequest {
            tenant_id: "demo".into(),
            location_name: "Bodyshop A".into(),
            detach: true,
            ..StartExportRequest::default()
        })
        .await
        .unwrap()
        .into_inner()
        .report
        .unwrap();
    // A third of the way in, one replica dies (its server and every connection to it go).
    let third = total / 3;
    let reached = tokio::time::timeout(Duration::from_secs(60), async {
        while stack.sim.bookings_count(DEMO_DOSSIER) < third {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await;
    assert!(reached.is_ok(), "the export progressed");
    replicas.remove(0).abort();

    let report = octopus_export::run_cmd::report(&orchestrator_addr, &started.run_id).await;
    let mut report = report.unwrap();
    // Follow the run to its end through WatchRun.
    if report.status == "running" {
        let mut events = client
            .watch_run(ox_proto::orchestrator::v1::WatchRunRequest {
                run_id: started.run_id.clone(),
            })
            .await
            .unwrap()
            .into_inner();
        while let Some(event) = events.message().await.unwrap() {
            if event.status != "running" {
                break;
            }
        }
        report = octopus_export::run_cmd::report(&orchestrator_addr, &started.run_id)
            .await
            .unwrap();
    }
    assert_eq!(
        report.status,
        "completed",
        "{:?}",
        report
            .items
            .iter()
            .find(|i| i.status != "booked" && i.status != "exported")
    );
    assert_eq!(report.invoices.booked as usize, total);
    let state = stack.sim.dump(DEMO_DOSSIER);
    let bookings = state["buySellBookings"].as_array().unwrap();
    let mut keys: Vec<(String, i64)> = bookings
        .iter()
        .map(|b| {
            (
                b["journalKey"].as_str().unwrap().to_owned(),
                b["documentSequenceNr"].as_i64().unwrap(),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(
        (bookings.len(), keys.len()),
        (total, total),
        "each invoice booked once"
    );
    serving.abort();
    for replica in replicas {
        replica.abort();
    }
    stack.stop().await.unwrap();
}
