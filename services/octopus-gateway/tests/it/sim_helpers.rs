//! The gateway against `octopus-sim`: the simulator with the demo dossier, the fake
//! config-service pointing at it, gateway replicas on the simulator's clock, and stores
//! (SQLite files, fresh PostgreSQL databases).

use std::collections::BTreeMap;

use octopus_sim::{SimServer, SimState, demo_dossier};
use ox_octopus_gateway::{Application, Clock, Settings};
use ox_proto::gateway::v1::octopus_gateway_client::OctopusGatewayClient;
use ox_proto::gateway::v1::{
    Booking, BookingLine, BookingOutcome, CreateBookingRequest, CreateBookingResponse, DossierRef,
    RelationRef,
};
use serde_json::json;
use tonic::transport::Channel;

use crate::fake_config::{self, TENANT};
use crate::fake_octopus::{PASSWORD, SOFTWARE_HOUSE, USER};
use crate::helpers::test_settings;

/// The demo dossier's id.
pub const SIM_DOSSIER: i32 = 12345;
/// The relation every sim booking names.
pub const EXTERNAL_ID: i32 = 100042;

pub const POSTS: &str = "POST /dossiers/{dossierId}/buysellbookings";
pub const MODIFIED: &str = "GET /dossiers/{dossierId}/buysellbookings/modified";
pub const CONNECTS: &str = "POST /dossiers";
pub const LOGINS: &str = "POST /authentication";

/// A running simulator and the config-service that hands out its credentials.
pub struct Sim {
    pub state: SimState,
    pub config: std::sync::Arc<crate::fake_config::FakeConfig>,
    pub config_addr: String,
    pub relation_key: i32,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Sim {
    /// The simulator's call count of `endpoint`.
    pub fn count(&self, endpoint: &str) -> u64 {
        self.state
            .call_counts()
            .get(endpoint)
            .copied()
            .unwrap_or_default()
    }

    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.state.call_counts()
    }

    /// Booked document numbers of V1 in bookyear 3 (2026).
    pub fn booked_numbers(&self) -> Vec<i64> {
        let dump = self.state.dump(SIM_DOSSIER);
        let mut numbers: Vec<i64> = dump["buySellBookings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["journalKey"] == "V1" && b["bookyearKey"]["id"] == 3)
            .map(|b| b["documentSequenceNr"].as_i64().unwrap())
            .collect();
        numbers.sort_unstable();
        numbers
    }

    /// A clock reading the simulator's, for gateways that live on it.
    pub fn clock(&self) -> Clock {
        let state = self.state.clone();
        Clock::from_fn(move || state.now())
    }

    /// Settings for a gateway in front of this simulator: in-memory store, quick retries.
    pub fn settings(&self) -> Settings {
        test_settings(self.config_addr.clone(), 2_000)
    }
}

/// Starts the simulator with the demo dossier, the fake config-service's user allowed into it,
/// and one client relation (external id 100042).
pub async fn start_sim() -> Sim {
    let state = SimState::new();
    let (_, dossier) = demo_dossier();
    state.add_user(USER, PASSWORD, SOFTWARE_HOUSE, &[SIM_DOSSIER]);
    // Start at 08:00 in Brussels, so a test's day never ends by the wall clock's chance.
    let now = state.now();
    let morning =
        ox_octopus_gateway::next_brussels_midnight(now).to_utc() + chrono::Duration::hours(8);
    state.advance_clock((morning - now).to_std().expect("the morning is ahead"));
    state.add_dossier(dossier);
    let relation_key = state
        .add_relation(
            SIM_DOSSIER,
            json!({
                "relationIdentificationServiceData": {"externalRelationId": EXTERNAL_ID},
                "name": "Carrosserie Demo BV", "client": true, "supplier": false,
                "active": true, "currencyCode": "EUR", "vatNr": "BE0412.345.614", "vatType": 1
            }),
        )
        .unwrap();
    let server = SimServer::bind("127.0.0.1:0", state.clone()).await.unwrap();
    let base_url = server.base_url();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run_until(async move {
        let _ = stopped.await;
    }));
    let (config, config_addr) = fake_config::start(base_url).await;
    Sim {
        state,
        config,
        config_addr: format!("http://{config_addr}"),
        relation_key,
        _stop: stop,
    }
}

/// One running gateway replica.
pub struct Replica {
    pub client: OctopusGatewayClient<Channel>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: tokio::task::JoinHandle<Result<(), ox_octopus_gateway::GatewayError>>,
}

impl Replica {
    /// Stops the replica (drains in-flight calls) and waits until it is gone.
    pub async fn kill(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.served
            .await
            .expect("the replica's task ends")
            .expect("the replica stops cleanly");
    }
}

/// Builds and serves a gateway with `settings` on `clock`.
pub async fn spawn_replica(settings: Settings, clock: Clock) -> Replica {
    let app = Application::build_with_clock(settings, clock)
        .await
        .expect("the gateway builds");
    let addr = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = OctopusGatewayClient::connect(format!("http://{addr}"))
        .await
        .expect("the gateway accepts connections");
    Replica {
        client,
        stop: Some(stop),
        served,
    }
}

pub fn sim_dossier() -> Option<DossierRef> {
    Some(DossierRef {
        tenant_id: TENANT.to_owned(),
        dossier_id: SIM_DOSSIER,
    })
}

/// Booking `number` of V1 in bookyear 3 (2026), 100 + 21.
pub fn sim_booking(sim: &Sim, number: i32) -> Booking {
    Booking {
        bookyear_id: 3,
        journal_key: "V1".to_owned(),
        document_sequence_nr: number,
        bookyear_period_nr: 202612,
        document_date: "2026-12-03".to_owned(),
        expiry_date: "2027-01-02".to_owned(),
        relation: Some(RelationRef {
            relation_key: sim.relation_key,
            external_relation_id: EXTERNAL_ID,
        }),
        comment: format!("F-2026-{number:04}"),
        reference: String::new(),
        amount: "121.00".to_owned(),
        currency_code: "EUR".to_owned(),
        exchange_rate: String::new(),
        lines: vec![BookingLine {
            account_key: 700000,
            base_amount: "100.00".to_owned(),
            vat_code: "21".to_owned(),
            vat_amount: "21.00".to_owned(),
            comment: "Herstelling".to_owned(),
        }],
    }
}

/// Sends booking `number` through `client`.
pub async fn book(
    client: &mut OctopusGatewayClient<Channel>,
    sim: &Sim,
    number: i32,
) -> CreateBookingResponse {
    client
        .create_booking(CreateBookingRequest {
            dossier: sim_dossier(),
            booking: Some(sim_booking(sim, number)),
        })
        .await
        .expect("CreateBooking answers")
        .into_inner()
}

pub fn outcome(response: &CreateBookingResponse) -> BookingOutcome {
    BookingOutcome::try_from(response.outcome).expect("a known outcome")
}

/// A fresh SQLite file in the temp dir, as a URL.
pub fn sqlite_file_url() -> String {
    let path = std::env::temp_dir().join(format!(
        "ox-gateway-test-{}.sqlite",
        uuid::Uuid::new_v4().simple()
    ));
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Removes a database file made by [`sqlite_file_url`] (and its WAL files).
pub fn remove_sqlite(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
}

/// The PostgreSQL server the tests need; a test fails (never skips) when it is missing.
const POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A fresh, empty PostgreSQL database for one test.
pub async fn fresh_postgres_url() -> String {
    use sqlx::Connection as _;
    let mut admin = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL)
        .await
        .expect("PostgreSQL must run at 127.0.0.1:5432 (user postgres, trust auth)");
    let name = format!("ox_gateway_test_{}", uuid::Uuid::new_v4().simple());
    // The name is ours (a UUID), not input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("the test database can be created");
    format!("postgres://postgres@127.0.0.1:5432/{name}")
}

/// Drops a database made by [`fresh_postgres_url`].
pub async fn drop_postgres(url: &str) {
    use sqlx::Connection as _;
    let name = url.rsplit('/').next().unwrap();
    let mut admin = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}
