//! GetDossierSnapshot: mapping, call counts, the cache, and its upkeep by bookings.

use ox_proto::gateway::v1::{
    BookingOutcome, CreateBookingRequest, DossierSnapshot, GetDossierSnapshotRequest,
};

use crate::helpers::{DOSSIER, TestApp, counts, dossier, simple_booking, spawn_app};

async fn snapshot(app: &mut TestApp) -> (DossierSnapshot, std::collections::HashMap<String, u32>) {
    let response = app
        .client
        .get_dossier_snapshot(GetDossierSnapshotRequest { dossier: dossier() })
        .await
        .unwrap()
        .into_inner();
    (response.snapshot.unwrap(), counts(&response.calls))
}

fn last_of_v1(snapshot: &DossierSnapshot) -> i32 {
    snapshot
        .journals
        .iter()
        .find(|journal| journal.bookyear_id == 2 && journal.journal_key == "V1")
        .unwrap()
        .last_booked_document_nr
}

#[tokio::test]
async fn reads_open_bookyears_once_and_serves_from_the_cache() {
    let mut app = spawn_app().await;
    let (first, calls) = snapshot(&mut app).await;

    assert_eq!(first.dossier_id, DOSSIER);
    assert_eq!(first.bookyears.len(), 2);
    let open = &first.bookyears[1];
    assert_eq!((open.id, open.closed), (2, false));
    assert_eq!(
        open.periods.iter().map(|p| p.nr).collect::<Vec<_>>(),
        [202401, 202402, 202403]
    );
    // Only the open bookyear's journals and accounts are read.
    assert_eq!(first.journals.len(), 2);
    assert!(
        first
            .journals
            .iter()
            .all(|j| j.bookyear_id == 2 && j.journal_type == "V")
    );
    assert_eq!(last_of_v1(&first), 5);
    assert_eq!(first.vat_codes[0].base_percentage, "21");
    assert_eq!(first.accounts.len(), 1);
    assert_eq!(
        (
            first.accounts[0].number,
            first.accounts[0].description.as_str()
        ),
        (700000, "Omzet")
    );

    assert_eq!(calls["GET /dossiers/{dossierId}/bookyears"], 1);
    assert_eq!(
        calls["GET /dossiers/{dossierId}/bookyears/{bookyearId}/journals"],
        1
    );
    assert_eq!(calls["GET /dossiers/{dossierId}/vatcodes"], 1);
    assert_eq!(calls["GET /dossiers/{dossierId}/accounts"], 1);
    assert_eq!(calls.values().sum::<u32>(), 6, "{calls:?}");
    assert_eq!(
        app.octopus.requests("GET", "/accounts")[0].query["bookyearId"],
        "2"
    );

    let requests_before = app.octopus.with(|state| state.requests.len());
    let (second, calls) = snapshot(&mut app).await;
    assert_eq!(second, first);
    assert!(calls.is_empty(), "{calls:?}");
    assert_eq!(
        app.octopus.with(|state| state.requests.len()),
        requests_before
    );
}

#[tokio::test]
async fn bookings_keep_the_cached_last_number_current() {
    let mut app = spawn_app().await;
    snapshot(&mut app).await;
    for number in [6, 7] {
        let outcome = app
            .client
            .create_booking(CreateBookingRequest {
                dossier: dossier(),
                booking: Some(simple_booking(number)),
            })
            .await
            .unwrap()
            .into_inner()
            .outcome;
        assert_eq!(outcome, BookingOutcome::Booked as i32);
    }
    let (cached, calls) = snapshot(&mut app).await;
    assert!(calls.is_empty());
    assert_eq!(last_of_v1(&cached), 7);
}

#[tokio::test]
async fn an_unknown_period_drops_the_cached_snapshot() {
    let mut app = spawn_app().await;
    snapshot(&mut app).await;
    let mut booking = simple_booking(6);
    booking.bookyear_period_nr = 202499;
    let response = app
        .client
        .create_booking(CreateBookingRequest {
            dossier: dossier(),
            booking: Some(booking),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.outcome, BookingOutcome::Rejected as i32);
    assert_eq!(response.octopus_error_code, -14);
    assert!(
        response.message.contains("periode bestaat niet"),
        "{}",
        response.message
    );

    let (_, calls) = snapshot(&mut app).await;
    assert_eq!(
        calls["GET /dossiers/{dossierId}/bookyears"], 1,
        "re-read after -14"
    );
}
