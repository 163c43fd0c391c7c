//! Any replica serves any dossier: three gateways share one store (a SQLite file, or a fresh
//! PostgreSQL database) in front of one simulator. Caps hold across the three together, one
//! session serves them all, and an export survives losing a replica mid-booking with every
//! invoice booked once.

use std::time::Duration;

use octopus_sim::Fault;
use ox_octopus_gateway::{Caps, Settings, next_brussels_midnight};
use ox_proto::gateway::v1::{BookingOutcome, CreateBookingRequest, FindRelationRequest};
use tonic::Code;

use crate::sim_helpers::{
    CONNECTS, EXTERNAL_ID, POSTS, Replica, Sim, book, drop_postgres, fresh_postgres_url, outcome,
    remove_sqlite, sim_booking, sim_dossier, spawn_replica, sqlite_file_url, start_sim,
};

async fn three_replicas(sim: &Sim, settings: &Settings) -> Vec<Replica> {
    let mut replicas = Vec::new();
    for _ in 0..3 {
        replicas.push(spawn_replica(settings.clone(), sim.clock()).await);
    }
    replicas
}

async fn export_survives_losing_a_replica(database_url: &str) {
    let sim = start_sim().await;
    let mut settings = sim.settings();
    settings.database_url = database_url.to_owned();
    let mut replicas = three_replicas(&sim, &settings).await;

    for number in 1..=6 {
        let replica = &mut replicas[usize::try_from(number).unwrap() % 3];
        let response = book(&mut replica.client, &sim, number).await;
        assert_eq!(
            outcome(&response),
            BookingOutcome::Booked,
            "{}",
            response.message
        );
    }
    // Invoice 7 goes to replica 1, which stores it in Octopus but never answers the
    // orchestrator (its answer is held, the orchestrator gives up), and then goes away.
    sim.state
        .inject_fault(POSTS, Fault::DelayAfterCommit(Duration::from_millis(1_500)));
    let mut request = tonic::Request::new(CreateBookingRequest {
        dossier: sim_dossier(),
        booking: Some(sim_booking(&sim, 7)),
    });
    request.set_timeout(Duration::from_millis(300));
    let status = replicas[1]
        .client
        .create_booking(request)
        .await
        .unwrap_err();
    // tonic reports its own client-side timeout as Cancelled "Timeout expired".
    assert!(
        matches!(status.code(), Code::Cancelled | Code::DeadlineExceeded),
        "{status:?}"
    );
    let lost = replicas.remove(1);
    // The orchestrator resends to another replica, which settles it instead of booking twice.
    let response = book(&mut replicas[0].client, &sim, 7).await;
    assert_eq!(
        outcome(&response),
        BookingOutcome::AlreadyBooked,
        "{}",
        response.message
    );
    lost.kill().await;

    for number in 8..=12 {
        let replica = &mut replicas[usize::try_from(number).unwrap() % 2];
        let response = book(&mut replica.client, &sim, number).await;
        assert_eq!(
            outcome(&response),
            BookingOutcome::Booked,
            "{}",
            response.message
        );
    }
    assert_eq!(sim.booked_numbers(), (1..=12).collect::<Vec<i64>>());
    // One session, opened by whichever replica came first, served all three.
    assert_eq!(sim.count(CONNECTS), 1, "{:?}", sim.counts());
    for replica in replicas {
        replica.kill().await;
    }
}

async fn caps_hold_across_replicas(database_url: &str) {
    let sim = start_sim().await;
    let mut settings = sim.settings();
    settings.database_url = database_url.to_owned();
    settings.caps = Caps {
        relations_search: 20,
        bookings_post: 5,
        ..Caps::default()
    };
    let replicas = three_replicas(&sim, &settings).await;

    // 60 searches at once, spread over the three replicas: exactly 20 reach Octopus.
    let mut searches = tokio::task::JoinSet::new();
    for index in 0..60 {
        let mut client = replicas[index % 3].client.clone();
        searches.spawn(async move {
            client
                .find_relation(FindRelationRequest {
                    dossier: sim_dossier(),
                    external_relation_id: EXTERNAL_ID,
                })
                .await
                .map(|_| ())
                .map_err(|status| status.code())
        });
    }
    let (mut found, mut exhausted) = (0, 0);
    while let Some(result) = searches.join_next().await {
        match result.unwrap() {
            Ok(()) => found += 1,
            Err(Code::ResourceExhausted) => exhausted += 1,
            Err(other) => panic!("unexpected status {other:?}"),
        }
    }
    assert_eq!((found, exhausted), (20, 40));
    assert_eq!(sim.count("GET /dossiers/{dossierId}/relations"), 20);

    // Bookings spread over the replicas: 5 booked, the rest deferred to Brussels midnight.
    let midnight = next_brussels_midnight(sim.state.now()).to_rfc3339();
    let mut clients: Vec<_> = replicas.iter().map(|r| r.client.clone()).collect();
    for number in 1..=8 {
        let response = book(
            &mut clients[usize::try_from(number).unwrap() % 3],
            &sim,
            number,
        )
        .await;
        if number <= 5 {
            assert_eq!(
                outcome(&response),
                BookingOutcome::Booked,
                "{}",
                response.message
            );
        } else {
            assert_eq!(outcome(&response), BookingOutcome::Deferred);
            assert_eq!(response.deferred_until, midnight);
        }
    }
    assert_eq!(sim.count(POSTS), 5);
    assert_eq!(sim.count(CONNECTS), 1);
    for replica in replicas {
        replica.kill().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_three_replicas_survive_losing_one_mid_export() {
    let url = sqlite_file_url();
    export_survives_losing_a_replica(&url).await;
    remove_sqlite(&url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_three_replicas_never_pass_a_cap_together() {
    let url = sqlite_file_url();
    caps_hold_across_replicas(&url).await;
    remove_sqlite(&url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_three_replicas_survive_losing_one_mid_export() {
    let url = fresh_postgres_url().await;
    export_survives_losing_a_replica(&url).await;
    drop_postgres(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_three_replicas_never_pass_a_cap_together() {
    let url = fresh_postgres_url().await;
    caps_hold_across_replicas(&url).await;
    drop_postgres(&url).await;
}
