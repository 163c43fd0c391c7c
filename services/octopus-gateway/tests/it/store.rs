//! The shared store on both backends: the same statements against a SQLite file and a fresh
//! PostgreSQL database, including many replicas reserving the same cap at once.

use ox_octopus_gateway::Store;

use crate::sim_helpers::{drop_postgres, fresh_postgres_url, remove_sqlite, sqlite_file_url};

const ENDPOINT: &str = "POST /dossiers/{dossierId}/buysellbookings";

async fn exercise(url: &str) {
    // Three handles on one database, as three replicas would hold.
    let mut stores = Vec::new();
    for _ in 0..3 {
        stores.push(Store::open(url).await.unwrap());
    }

    let mut reservations = tokio::task::JoinSet::new();
    for index in 0..90 {
        let store = stores[index % 3].clone();
        reservations.spawn(async move { store.reserve(7, ENDPOINT, "2026-12-03", 40).await });
    }
    let mut granted = 0;
    while let Some(result) = reservations.join_next().await {
        if result.unwrap().unwrap() {
            granted += 1;
        }
    }
    assert_eq!(granted, 40);
    assert_eq!(
        stores[1].usage(7, ENDPOINT, "2026-12-03").await.unwrap(),
        40
    );
    assert_eq!(stores[2].usage(7, ENDPOINT, "2026-12-04").await.unwrap(), 0);
    assert!(
        stores[0]
            .reserve(7, ENDPOINT, "2026-12-04", 40)
            .await
            .unwrap()
    );
    assert_eq!(stores[0].prune_usage("2026-12-04").await.unwrap(), 1);
    assert_eq!(stores[0].usage(7, ENDPOINT, "2026-12-03").await.unwrap(), 0);

    let (a, b) = (&stores[0], &stores[1]);
    assert!(a.claim_session("t1", 7, 5_000, 0, 1_000).await.unwrap());
    assert!(!b.claim_session("t1", 7, 6_000, 0, 1_500).await.unwrap());
    let session = ox_octopus_gateway_session(1_200);
    a.save_session("t1", 7, &session).await.unwrap();
    assert_eq!(b.load_session("t1", 7).await.unwrap(), Some(session));
    assert!(!b.claim_session("t1", 7, 9_000, 1_000, 2_000).await.unwrap());
    b.invalidate_session("t1", 7, "tok-shared").await.unwrap();
    assert_eq!(a.load_session("t1", 7).await.unwrap(), None);
    assert!(b.claim_session("t1", 7, 9_000, 1_000, 2_000).await.unwrap());
    b.release_session_claim("t1", 7).await.unwrap();

    a.save_reference(7, "structure", &[1, 2, 3], 10)
        .await
        .unwrap();
    b.mark_reference_stale(7, "structure").await.unwrap();
    let stored = a.load_reference(7, "structure").await.unwrap().unwrap();
    assert_eq!(
        (stored.body, stored.fetched_at_ms, stored.stale),
        (vec![1, 2, 3], 10, true)
    );
    b.save_reference(7, "structure", &[4], 20).await.unwrap();
    assert!(
        !a.load_reference(7, "structure")
            .await
            .unwrap()
            .unwrap()
            .stale
    );

    a.raise_journal_last(7, 3, "V1", 12).await.unwrap();
    b.raise_journal_last(7, 3, "V1", 9).await.unwrap();
    assert_eq!(
        a.journal_lasts(7).await.unwrap(),
        [(3, "V1".to_owned(), 12)]
    );

    for store in stores {
        store.close().await;
    }
}

fn ox_octopus_gateway_session(issued_at_ms: i64) -> ox_octopus_gateway::StoredSession {
    ox_octopus_gateway::StoredSession {
        base_url: "http://octopus".into(),
        dossier_token: "tok-shared".into(),
        issued_at_ms,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_store_counts_atomically_and_shares_sessions() {
    let url = sqlite_file_url();
    exercise(&url).await;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend_name(), "sqlite");
    store.close().await;
    remove_sqlite(&url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_counts_atomically_and_shares_sessions() {
    let url = fresh_postgres_url().await;
    exercise(&url).await;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend_name(), "postgres");
    store.close().await;
    drop_postgres(&url).await;
}
