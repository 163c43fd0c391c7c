//! Many clients on many dossiers at once: every booking lands exactly once, a race on the same
//! document number has exactly one winner, and concurrent upserts create one relation.

use std::sync::Arc;

use reqwest::StatusCode;

use crate::helpers::{TestSim, booking_json, customer_json};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_on_many_dossiers_book_in_parallel_without_losing_or_doubling() {
    let sim = Arc::new(TestSim::start().await);
    let dossiers: Vec<i32> = (1..=4).map(|i| 60_000 + i).collect();
    for &id in &dossiers {
        sim.add_demo_copy(id);
    }
    let mut tasks = Vec::new();
    for &id in &dossiers {
        // Two clients per dossier, each with its own session and journal (V1, V2).
        for journal in ["V1", "V2"] {
            let token = sim.session_for(id).await;
            let sim = sim.clone();
            tasks.push(tokio::spawn(async move {
                for nr in 1..=50 {
                    let body = booking_json(nr).replace(r#""V1""#, &format!("\"{journal}\""));
                    let response = sim.post_booking_to(id, &token, body).await;
                    assert_eq!(
                        response.status(),
                        StatusCode::CREATED,
                        "dossier {id} {journal} {nr}"
                    );
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    for &id in &dossiers {
        let dump = sim.state.dump(id);
        for journal in ["V1", "V2"] {
            let numbers: Vec<i64> = dump["buySellBookings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|b| b["journalKey"] == journal)
                .map(|b| b["documentSequenceNr"].as_i64().unwrap())
                .collect();
            assert_eq!(
                numbers,
                (1..=50).collect::<Vec<i64>>(),
                "dossier {id} {journal}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_race_on_one_document_number_has_exactly_one_winner() {
    let sim = Arc::new(TestSim::start().await);
    let token = sim.session().await;
    sim.customer(&token).await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (sim, token) = (sim.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            sim.post_booking_raw(&token, booking_json(1)).await.status()
        }));
    }
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::CREATED => created += 1,
            other => assert_eq!(other, StatusCode::BAD_REQUEST),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(sim.state.bookings_count(sim.creds.dossier_id), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_upserts_of_one_external_id_create_one_relation() {
    let sim = Arc::new(TestSim::start().await);
    let token = sim.session().await;
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (sim, token) = (sim.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            sim.put_relation(&token, &customer_json(555)).await.status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|&&s| s == StatusCode::CREATED)
            .count(),
        1
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|&&s| s == StatusCode::NO_CONTENT)
            .count(),
        11
    );
    let relations = sim.state.dump(sim.creds.dossier_id)["relations"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(relations, 1);
}
