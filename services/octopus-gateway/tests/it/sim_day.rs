//! Sessions over time, on the simulator's clock: a working day of continuous bookings spends
//! about one connect per 9 minutes and nothing while idle (cap 150 a day), and a token that
//! expires mid-run (field case 16) is renewed once and only the refused call is replayed.

use std::time::Duration;

use chrono::Utc;
use ox_octopus_gateway::{Clock, brussels_day};
use ox_proto::gateway::v1::BookingOutcome;

use crate::sim_helpers::{CONNECTS, LOGINS, POSTS, book, outcome, spawn_replica, start_sim};

#[tokio::test]
async fn a_working_day_of_bookings_spends_far_fewer_connects_than_the_cap() {
    let sim = start_sim().await;
    let mut gateway = spawn_replica(sim.settings(), sim.clock()).await;

    // 12 hours of continuous work: one booking every 2 minutes (360, under the 400 cap).
    let bookings = 360;
    for number in 1..=bookings {
        let response = book(&mut gateway.client, &sim, number).await;
        assert_eq!(
            outcome(&response),
            BookingOutcome::Booked,
            "{}",
            response.message
        );
        sim.state.advance_clock(Duration::from_secs(120));
    }
    let connects = sim.count(CONNECTS);
    // A session is reused for 9 minutes; with a call every 2 minutes it lasts 10.
    assert_eq!(connects, 72, "{:?}", sim.counts());
    assert_eq!(sim.count(LOGINS), connects);
    assert_eq!(sim.count(POSTS), u64::from(bookings.unsigned_abs()));
    assert_eq!(
        sim.booked_numbers(),
        (1..=i64::from(bookings)).collect::<Vec<_>>()
    );

    // The night: no work, no connects.
    sim.state.advance_clock(Duration::from_secs(12 * 3600));
    assert_eq!(sim.count(CONNECTS), connects);
    let response = book(&mut gateway.client, &sim, bookings + 1).await;
    assert_eq!(outcome(&response), BookingOutcome::Booked);
    assert_eq!(sim.count(CONNECTS), connects + 1);
    assert!(brussels_day(sim.state.now()) > brussels_day(Utc::now()));
}

#[tokio::test]
async fn a_token_expiring_mid_run_is_renewed_once_and_only_the_refused_call_replayed() {
    let sim = start_sim().await;
    // The gateway's clock runs at half Octopus's speed, so Octopus expires the dossier token
    // (10 minutes) while the gateway still deems it fresh (9 minutes): a real mid-run 401.
    let state = sim.state.clone();
    let start = state.now();
    let slow = Clock::from_fn(move || start + (state.now() - start) / 2);
    let mut gateway = spawn_replica(sim.settings(), slow).await;

    // Field case 16: 120 invoices, 6 seconds each, a 12-minute run.
    for number in 1..=120 {
        let response = book(&mut gateway.client, &sim, number).await;
        assert_eq!(
            outcome(&response),
            BookingOutcome::Booked,
            "{}",
            response.message
        );
        sim.state.advance_clock(Duration::from_secs(6));
    }
    assert_eq!(sim.booked_numbers(), (1..=120).collect::<Vec<i64>>());
    // One refused POST was replayed after one renewal: 121 POSTs, 2 sessions.
    assert_eq!(sim.count(POSTS), 121, "{:?}", sim.counts());
    assert_eq!(sim.count(CONNECTS), 2);
    assert_eq!(sim.count(LOGINS), 2);
}

#[tokio::test]
async fn a_stored_session_for_another_octopus_address_is_not_adopted() {
    // The demo's Octopus restarts on another port while the gateway's store keeps a session.
    let before = start_sim().await;
    let mut settings = before.settings();
    settings.database_url = crate::sim_helpers::sqlite_file_url();
    let mut first = spawn_replica(settings.clone(), before.clock()).await;
    assert_eq!(
        outcome(&book(&mut first.client, &before, 1).await),
        BookingOutcome::Booked
    );
    first.kill().await;

    let after = start_sim().await;
    let mut settings_after = after.settings();
    settings_after.database_url = settings.database_url.clone();
    let mut second = spawn_replica(settings_after, after.clock()).await;
    let response = book(&mut second.client, &after, 1).await;
    assert_eq!(
        outcome(&response),
        BookingOutcome::Booked,
        "{}",
        response.message
    );
    assert_eq!(after.booked_numbers(), [1]);
    assert_eq!(after.count(CONNECTS), 1);
    assert_eq!(
        before.booked_numbers(),
        [1],
        "nothing sent to the old address"
    );
    assert_eq!(before.count(POSTS), 1);
    second.kill().await;
    crate::sim_helpers::remove_sqlite(&settings.database_url);
}
