//! Daily caps against the simulator: quota exhaustion mid-batch (field case 18) defers what is
//! left until Brussels midnight and resumes after it; other rpcs get RESOURCE_EXHAUSTED with
//! the deferral in the details; reference data survives a restart in the store; the minimum
//! number of calls per batch.

use std::time::Duration;

use octopus_sim::Fault;
use ox_octopus_gateway::{Caps, next_brussels_midnight};
use ox_proto::gateway::v1::{
    BookingOutcome, FindRelationRequest, GetDossierSnapshotRequest, QuotaExceeded,
};
use prost::Message as _;
use tonic::Code;

use crate::helpers::counts;
use crate::sim_helpers::{
    CONNECTS, EXTERNAL_ID, LOGINS, POSTS, book, outcome, remove_sqlite, sim_dossier, spawn_replica,
    sqlite_file_url, start_sim,
};

#[tokio::test]
async fn a_cap_reached_mid_batch_defers_the_rest_until_brussels_midnight() {
    let sim = start_sim().await;
    let mut settings = sim.settings();
    settings.caps = Caps {
        bookings_post: 3,
        ..Caps::default()
    };
    let mut gateway = spawn_replica(settings, sim.clock()).await;
    let midnight = next_brussels_midnight(sim.state.now()).to_rfc3339();

    let mut deferred = Vec::new();
    for number in 1..=10 {
        let response = book(&mut gateway.client, &sim, number).await;
        match outcome(&response) {
            BookingOutcome::Booked => assert!(number <= 3),
            BookingOutcome::Deferred => {
                assert_eq!(response.deferred_until, midnight);
                assert!(
                    response.message.contains("daily cap of 3 calls to POST"),
                    "{}",
                    response.message
                );
                assert_eq!(counts(&response.calls).get(POSTS), None, "no call made");
                deferred.push(number);
            }
            other => panic!("unexpected {other:?}: {}", response.message),
        }
    }
    assert_eq!(deferred, (4..=10).collect::<Vec<_>>());
    assert_eq!(sim.count(POSTS), 3);

    // After midnight in Brussels the caps reset; the deferred bookings resume.
    let wait = next_brussels_midnight(sim.state.now()).to_utc() - sim.state.now();
    sim.state
        .advance_clock(wait.to_std().unwrap() + Duration::from_secs(60));
    for number in 4..=6 {
        let response = book(&mut gateway.client, &sim, number).await;
        assert_eq!(
            outcome(&response),
            BookingOutcome::Booked,
            "{}",
            response.message
        );
    }
    let response = book(&mut gateway.client, &sim, 7).await;
    assert_eq!(outcome(&response), BookingOutcome::Deferred);
    assert_eq!(sim.booked_numbers(), (1..=6).collect::<Vec<i64>>());
}

#[tokio::test]
async fn other_rpcs_get_resource_exhausted_with_the_deferral_in_the_details() {
    let sim = start_sim().await;
    let mut settings = sim.settings();
    settings.caps = Caps {
        relations_search: 2,
        ..Caps::default()
    };
    let mut gateway = spawn_replica(settings, sim.clock()).await;
    let find = FindRelationRequest {
        dossier: sim_dossier(),
        external_relation_id: EXTERNAL_ID,
    };
    for _ in 0..2 {
        let found = gateway.client.find_relation(find.clone()).await.unwrap();
        assert_eq!(found.into_inner().relations.len(), 1);
    }
    let status = gateway.client.find_relation(find).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted);
    let midnight = next_brussels_midnight(sim.state.now()).to_rfc3339();
    assert!(
        status.message().ends_with(&midnight),
        "{}",
        status.message()
    );
    let details = QuotaExceeded::decode(status.details()).unwrap();
    assert_eq!(details.endpoint, "GET /dossiers/{dossierId}/relations");
    assert_eq!(
        (details.cap, details.deferred_until.as_str()),
        (2, midnight.as_str())
    );
    assert_eq!(
        status.metadata().get("deferred-until").unwrap(),
        midnight.as_str()
    );
    assert_eq!(sim.count("GET /dossiers/{dossierId}/relations"), 2);
}

#[tokio::test]
async fn reference_data_outlives_a_restart_and_vat_codes_are_read_once_a_day() {
    let sim = start_sim().await;
    let mut settings = sim.settings();
    settings.database_url = sqlite_file_url();
    let snapshot = GetDossierSnapshotRequest {
        dossier: sim_dossier(),
    };
    let mut first = spawn_replica(settings.clone(), sim.clock()).await;
    let read = first
        .client
        .get_dossier_snapshot(snapshot.clone())
        .await
        .unwrap()
        .into_inner();
    let calls = counts(&read.calls);
    let snapshot_first = read.snapshot.unwrap();
    // The demo dossier has three open bookyears: three journal reads, but the accounts cap (2 a
    // day) serves the two newest; the oldest waits for tomorrow.
    assert_eq!(
        calls["GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals"],
        3
    );
    assert_eq!(calls["GET /dossiers/{dossierId}/vatcodes"], 1);
    assert_eq!(calls["GET /dossiers/{dossierId}/accounts"], 2);
    let years: std::collections::BTreeSet<i32> = snapshot_first
        .accounts
        .iter()
        .map(|a| a.bookyear_id)
        .collect();
    assert_eq!(years, [2, 3].into());
    first.kill().await;

    // A new process on the same store reads nothing from Octopus, not even a session.
    let mut second = spawn_replica(settings.clone(), sim.clock()).await;
    let read = second
        .client
        .get_dossier_snapshot(snapshot.clone())
        .await
        .unwrap()
        .into_inner();
    assert!(read.calls.is_empty(), "{:?}", read.calls);
    assert_eq!(read.snapshot.unwrap(), snapshot_first);

    // Four hours later bookyears and journals are read again, VAT codes not (same day).
    sim.state.advance_clock(Duration::from_secs(4 * 3600));
    let read = second
        .client
        .get_dossier_snapshot(snapshot)
        .await
        .unwrap()
        .into_inner();
    let calls = counts(&read.calls);
    assert_eq!(calls["GET /dossiers/{dossierId}/bookyears"], 1);
    assert_eq!(calls.get("GET /dossiers/{dossierId}/vatcodes"), None);
    assert_eq!(sim.count("GET /dossiers/{dossierId}/vatcodes"), 1);
    assert_eq!(sim.count("GET /dossiers/{dossierId}/accounts"), 2);
    second.kill().await;
    remove_sqlite(&settings.database_url);
}

#[tokio::test]
async fn a_refresh_octopus_cannot_serve_falls_back_to_the_stored_copy() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    let request = GetDossierSnapshotRequest {
        dossier: sim_dossier(),
    };
    let first = gateway
        .client
        .get_dossier_snapshot(request.clone())
        .await
        .unwrap()
        .into_inner();
    sim.state.advance_clock(Duration::from_secs(4 * 3600));
    for _ in 0..4 {
        sim.state
            .inject_fault("GET /dossiers/{dossierId}/bookyears", Fault::Status(503));
    }
    let second = gateway
        .client
        .get_dossier_snapshot(request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        counts(&second.calls)["GET /dossiers/{dossierId}/bookyears"],
        4
    );
    assert_eq!(
        second.snapshot.unwrap().bookyears,
        first.snapshot.unwrap().bookyears
    );
}

#[tokio::test]
async fn a_batch_costs_one_post_per_booking_plus_a_constant() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;
    for batch in [5, 50] {
        sim.state.reset_call_counts();
        let first = i32::try_from(sim.booked_numbers().len()).unwrap() + 1;
        gateway
            .client
            .get_dossier_snapshot(GetDossierSnapshotRequest {
                dossier: sim_dossier(),
            })
            .await
            .unwrap();
        for number in first..first + batch {
            assert_eq!(
                outcome(&book(&mut gateway.client, &sim, number).await),
                BookingOutcome::Booked
            );
        }
        let counts = sim.counts();
        let posts = counts[POSTS];
        let others: u64 = counts.values().sum::<u64>() - posts;
        assert_eq!(posts, u64::try_from(batch).unwrap());
        // The first batch pays for the session and the reference data; the second for nothing.
        if batch == 5 {
            assert_eq!(others, 2 + 1 + 3 + 1 + 2, "{counts:?}");
        } else {
            assert_eq!(others, 0, "{counts:?}");
        }
        assert!(counts.get(CONNECTS).copied().unwrap_or_default() <= 1);
        assert!(counts.get(LOGINS).copied().unwrap_or_default() <= 1);
    }
}

#[tokio::test]
async fn an_unknown_journal_makes_every_replica_read_the_bookyears_again() {
    let sim = start_sim().await;
    let mut settings = sim.settings();
    settings.database_url = sqlite_file_url();
    let mut first = spawn_replica(settings.clone(), sim.clock()).await;
    let mut second = spawn_replica(settings.clone(), sim.clock()).await;
    let request = GetDossierSnapshotRequest {
        dossier: sim_dossier(),
    };
    first
        .client
        .get_dossier_snapshot(request.clone())
        .await
        .unwrap();

    let mut booking = crate::sim_helpers::sim_booking(&sim, 1);
    booking.journal_key = "V9".to_owned();
    let response = first
        .client
        .create_booking(ox_proto::gateway::v1::CreateBookingRequest {
            dossier: sim_dossier(),
            booking: Some(booking),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(outcome(&response), BookingOutcome::Rejected);
    assert_eq!(
        response.octopus_error_code,
        octopus_sim::ErrorCode::UnknownJournal.code()
    );

    // The other replica sees the stale mark in the shared store.
    let read = second
        .client
        .get_dossier_snapshot(request)
        .await
        .unwrap()
        .into_inner();
    let calls = counts(&read.calls);
    assert_eq!(calls["GET /dossiers/{dossierId}/bookyears"], 1);
    assert_eq!(calls.get("GET /dossiers/{dossierId}/vatcodes"), None);
    first.kill().await;
    second.kill().await;
    remove_sqlite(&settings.database_url);
}
