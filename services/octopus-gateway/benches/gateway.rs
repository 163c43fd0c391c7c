//! The gateway's own cost per booking, at zero simulated latency: CreateBooking over gRPC
//! through the gateway versus the same POST sent straight to `octopus-sim`, one at a time; then
//! throughput with 200 dossiers booking at once. Plain `Instant` timing, no harness.
//!
//! `cargo bench -p ox-octopus-gateway --bench gateway -- [--sequential N] [--dossiers N]
//! [--per-dossier N] [--store sqlite|postgres]` (postgres: a fresh database on 127.0.0.1:5432).
//! The simulator runs on its own OS thread (one current-thread runtime); the gateway, the
//! config-service stand-in and the clients share a two-worker runtime.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use octopus_sim::{SimServer, SimState, demo_dossier};
use ox_octopus_gateway::{Application, Caps, RetrySettings, Settings};
use ox_proto::config::v1::config_service_server::{ConfigService, ConfigServiceServer};
use ox_proto::config::v1::*;
use ox_proto::gateway::v1::octopus_gateway_client::OctopusGatewayClient;
use ox_proto::gateway::v1::{
    Booking, BookingLine, BookingOutcome, CreateBookingRequest, DossierRef, RelationRef,
};
use serde_json::json;
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

const USER: &str = "bench@octopus-sim.invalid";
const PASSWORD: &str = "bench-password";
const SOFTWARE_HOUSE: &str = "6f1c8a52-3d4e-4b7a-9c11-0d5e2f7a8b90";
const TENANT: &str = "bench";
const EXTERNAL_ID: i32 = 100042;

struct Options {
    sequential: usize,
    dossiers: usize,
    per_dossier: usize,
    store: String,
}

fn options() -> Options {
    let mut options = Options {
        sequential: 2_000,
        dossiers: 200,
        per_dossier: 20,
        store: "sqlite".to_owned(),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let number = || args.get(i + 1).and_then(|v| v.parse::<usize>().ok());
        match args[i].as_str() {
            "--sequential" => options.sequential = number().expect("--sequential N"),
            "--dossiers" => options.dossiers = number().expect("--dossiers N"),
            "--per-dossier" => options.per_dossier = number().expect("--per-dossier N"),
            "--store" => options.store = args.get(i + 1).cloned().expect("--store sqlite|postgres"),
            // `cargo bench` passes --bench; anything else is ignored.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    options
}

/// config-service's one call the gateway makes, answered with the simulator's credentials.
struct Config {
    base_url: String,
}

#[tonic::async_trait]
impl ConfigService for Config {
    async fn upsert_tenant(
        &self,
        _: Request<UpsertTenantRequest>,
    ) -> Result<Response<UpsertTenantResponse>, Status> {
        Err(Status::unimplemented("bench"))
    }

    async fn set_credentials(
        &self,
        _: Request<SetCredentialsRequest>,
    ) -> Result<Response<SetCredentialsResponse>, Status> {
        Err(Status::unimplemented("bench"))
    }

    async fn get_export_profile(
        &self,
        _: Request<GetExportProfileRequest>,
    ) -> Result<Response<GetExportProfileResponse>, Status> {
        Err(Status::unimplemented("bench"))
    }

    async fn resolve_credentials(
        &self,
        _: Request<ResolveCredentialsRequest>,
    ) -> Result<Response<ResolveCredentialsResponse>, Status> {
        Ok(Response::new(ResolveCredentialsResponse {
            octopus_base_url: self.base_url.clone(),
            software_house_uuid: SOFTWARE_HOUSE.to_owned(),
            user: USER.to_owned(),
            password: PASSWORD.to_owned(),
        }))
    }
}

/// Starts the simulator on its own thread with `dossiers` demo dossiers (ids 1..=n), each
/// holding relation 100042; returns its base URL.
fn start_sim(dossiers: usize) -> String {
    let state = SimState::new();
    let ids: Vec<i32> = (1..=i32::try_from(dossiers).unwrap()).collect();
    state.add_user(USER, PASSWORD, SOFTWARE_HOUSE, &ids);
    for &id in &ids {
        let (_, mut dossier) = demo_dossier();
        dossier.id = id;
        state.add_dossier(dossier);
        state
            .add_relation(
                id,
                json!({"relationIdentificationServiceData": {"relationKey": {"id": 1}, "externalRelationId": EXTERNAL_ID},
                       "name": "Bench BV", "client": true, "active": true, "currencyCode": "EUR"}),
            )
            .unwrap();
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let server = SimServer::bind("127.0.0.1:0", state).await.unwrap();
            sender.send(server.base_url()).unwrap();
            server.run_until(std::future::pending()).await.unwrap();
        });
    });
    receiver.recv().unwrap()
}

fn booking(number: i32) -> Booking {
    Booking {
        bookyear_id: 3,
        journal_key: "V1".to_owned(),
        document_sequence_nr: number,
        bookyear_period_nr: 202612,
        document_date: "2026-12-03".to_owned(),
        expiry_date: "2027-01-02".to_owned(),
        relation: Some(RelationRef {
            relation_key: 1,
            external_relation_id: EXTERNAL_ID,
        }),
        comment: format!("F-2026-{number:05}"),
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

/// The same booking as the gateway writes it, for the direct POST.
fn booking_json(number: i32) -> String {
    json!({"buySellBookingServiceData": {
        "bookyearKey": {"id": 3}, "journalKey": "V1", "documentSequenceNr": number,
        "bookyearPeriodeNr": 202612, "documentDate": "2026-12-03", "expiryDate": "2027-01-02",
        "relationIdentificationServiceData": {"relationKey": {"id": 1}, "externalRelationId": EXTERNAL_ID},
        "comment": format!("F-2026-{number:05}"), "amount": 121.00, "currencyCode": "EUR",
        "exchangeRate": 1.0,
        "bookingLines": [{"accountKey": 700000, "baseAmount": 100.00, "vatCodeKey": "21",
                          "vatAmount": 21.00, "comment": "Herstelling"}]},
        "attachments": []})
    .to_string()
}

/// A direct client of the simulator with its own session for one dossier.
struct Direct {
    http: reqwest::Client,
    base_url: String,
    dossier_id: i32,
    token: String,
}

impl Direct {
    async fn open(http: reqwest::Client, base_url: &str, dossier_id: i32) -> Self {
        let login: serde_json::Value = http
            .post(format!("{base_url}/authentication"))
            .header("softwareHouseUuid", SOFTWARE_HOUSE)
            .json(&json!({"user": USER, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let connect: serde_json::Value = http
            .post(format!(
                "{base_url}/dossiers?dossierId={dossier_id}&localeId=3"
            ))
            .header("Token", login["token"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            http,
            base_url: base_url.to_owned(),
            dossier_id,
            token: connect["Dossiertoken"].as_str().unwrap().to_owned(),
        }
    }

    async fn book(&self, number: i32) {
        let response = self
            .http
            .post(format!(
                "{}/dossiers/{}/buysellbookings",
                self.base_url, self.dossier_id
            ))
            .header("dossierToken", &self.token)
            .header("Content-Type", "application/json")
            .body(booking_json(number))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.text().await.unwrap();
    }
}

async fn gateway_book(client: &mut OctopusGatewayClient<Channel>, dossier_id: i32, number: i32) {
    let answer = client
        .create_booking(CreateBookingRequest {
            dossier: Some(DossierRef {
                tenant_id: TENANT.to_owned(),
                dossier_id,
            }),
            booking: Some(booking(number)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        answer.outcome,
        BookingOutcome::Booked as i32,
        "{}",
        answer.message
    );
}

struct Stats {
    mean: Duration,
    p50: Duration,
    p99: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort_unstable();
    let total: Duration = samples.iter().sum();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    Stats {
        mean: total / u32::try_from(samples.len()).unwrap(),
        p50: at(0.50),
        p99: at(0.99),
    }
}

fn micros(duration: Duration) -> u128 {
    duration.as_micros()
}

async fn database_url(store: &str) -> String {
    match store {
        "postgres" => {
            use sqlx::Connection as _;
            let mut admin =
                sqlx::PgConnection::connect("postgres://postgres@127.0.0.1:5432/postgres")
                    .await
                    .expect("PostgreSQL at 127.0.0.1:5432");
            let name = format!("ox_gateway_bench_{}", uuid::Uuid::new_v4().simple());
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .unwrap();
            format!("postgres://postgres@127.0.0.1:5432/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!(
                "ox-gateway-bench-{}.sqlite",
                uuid::Uuid::new_v4().simple()
            ));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

fn main() {
    let options = options();
    // One dossier more than the concurrent ones: the sequential runs have their own.
    let base_url = start_sim(options.dossiers + 2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(options, base_url));
}

async fn run(options: Options, base_url: String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config_addr = listener.local_addr().unwrap();
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(ConfigServiceServer::new(Config {
                base_url: base_url.clone(),
            }))
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
    );
    let total = options.sequential + 100;
    let caps = Caps {
        bookings_post: u32::try_from(total.max(options.per_dossier + 1)).unwrap(),
        ..Caps::default()
    };
    let settings = Settings {
        listen: "127.0.0.1:0".to_owned(),
        config_service: format!("http://{config_addr}"),
        request_timeout_ms: 30_000,
        connect_timeout_ms: 5_000,
        database_url: database_url(&options.store).await,
        snapshot_refresh_minutes: 180,
        retry: RetrySettings::default(),
        locked_journal: RetrySettings::locked_journal(),
        caps,
    };
    let database_url = settings.database_url.clone();
    let app = Application::build(settings).await.unwrap();
    let gateway_addr = app.local_addr();
    tokio::spawn(app.run_until(std::future::pending()));
    let channel = Channel::from_shared(format!("http://{gateway_addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let sequential_dossier_direct = i32::try_from(options.dossiers + 1).unwrap();
    let sequential_dossier_gateway = i32::try_from(options.dossiers + 2).unwrap();

    // Sequential latency: warm up 100, then measure.
    let direct = Direct::open(http.clone(), &base_url, sequential_dossier_direct).await;
    let mut client = OctopusGatewayClient::new(channel.clone());
    let (mut direct_samples, mut gateway_samples) = (Vec::new(), Vec::new());
    for number in 1..=i32::try_from(total).unwrap() {
        let started = Instant::now();
        direct.book(number).await;
        let direct_took = started.elapsed();
        let started = Instant::now();
        gateway_book(&mut client, sequential_dossier_gateway, number).await;
        let gateway_took = started.elapsed();
        if number > 100 {
            direct_samples.push(direct_took);
            gateway_samples.push(gateway_took);
        }
    }
    let direct_stats = stats(direct_samples);
    let gateway_stats = stats(gateway_samples);
    println!(
        "store {}; sequential bookings: {} measured (after 100 warm-up)",
        options.store, options.sequential
    );
    println!(
        "  direct POST to octopus-sim      mean {:>6} µs  p50 {:>6} µs  p99 {:>6} µs",
        micros(direct_stats.mean),
        micros(direct_stats.p50),
        micros(direct_stats.p99)
    );
    println!(
        "  CreateBooking via the gateway   mean {:>6} µs  p50 {:>6} µs  p99 {:>6} µs",
        micros(gateway_stats.mean),
        micros(gateway_stats.p50),
        micros(gateway_stats.p99)
    );
    println!(
        "  gateway overhead per booking    mean {:>6} µs  p50 {:>6} µs",
        micros(gateway_stats.mean.saturating_sub(direct_stats.mean)),
        micros(gateway_stats.p50.saturating_sub(direct_stats.p50))
    );

    // Throughput: every dossier opens its session with booking 1, then all book at once.
    let dossiers: Vec<i32> = (1..=i32::try_from(options.dossiers).unwrap()).collect();
    let per_dossier = i32::try_from(options.per_dossier).unwrap();
    let mut warmups = tokio::task::JoinSet::new();
    for &dossier_id in &dossiers {
        let mut client = OctopusGatewayClient::new(channel.clone());
        warmups.spawn(async move { gateway_book(&mut client, dossier_id, 1).await });
    }
    while let Some(done) = warmups.join_next().await {
        done.unwrap();
    }
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for &dossier_id in &dossiers {
        let mut client = OctopusGatewayClient::new(channel.clone());
        workers.spawn(async move {
            for number in 2..=per_dossier + 1 {
                gateway_book(&mut client, dossier_id, number).await;
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.unwrap();
    }
    let elapsed = started.elapsed();
    let bookings = options.dossiers * options.per_dossier;
    println!(
        "concurrent: {} dossiers x {} bookings = {bookings} through the gateway in {:.2} s: {:.0} bookings/s",
        options.dossiers,
        options.per_dossier,
        elapsed.as_secs_f64(),
        bookings as f64 / elapsed.as_secs_f64()
    );

    // The same load straight to the simulator, for comparison.
    let mut directs = Vec::new();
    for &dossier_id in &dossiers {
        directs.push(Direct::open(http.clone(), &base_url, dossier_id).await);
    }
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for direct in directs {
        workers.spawn(async move {
            for number in per_dossier + 2..=2 * per_dossier + 1 {
                direct.book(number).await;
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.unwrap();
    }
    let elapsed = started.elapsed();
    println!(
        "concurrent: the same {bookings} bookings straight to octopus-sim in {:.2} s: {:.0} bookings/s",
        elapsed.as_secs_f64(),
        bookings as f64 / elapsed.as_secs_f64()
    );
    drop_database(&database_url).await;
}

async fn drop_database(url: &str) {
    if let Some(name) = url.strip_prefix("postgres://postgres@127.0.0.1:5432/") {
        use sqlx::Connection as _;
        let mut admin = sqlx::PgConnection::connect("postgres://postgres@127.0.0.1:5432/postgres")
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await
        .unwrap();
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.trim_end_matches("?mode=rwc");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}
