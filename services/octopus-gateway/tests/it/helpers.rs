//! Spawns the real gateway against a fake Octopus and a fake config-service.

use std::collections::HashMap;
use std::sync::Arc;

use ox_octopus_gateway::{Application, Caps, RetrySettings, Settings};
use ox_proto::gateway::v1::octopus_gateway_client::OctopusGatewayClient;
use ox_proto::gateway::v1::{Booking, BookingLine, DossierRef, OctopusCall, RelationRef};
use tonic::transport::Channel;

use crate::fake_config::{self, FakeConfig, TENANT};
use crate::fake_octopus::FakeOctopus;

pub const DOSSIER: i32 = 4242;

pub struct TestApp {
    pub client: OctopusGatewayClient<Channel>,
    pub octopus: Arc<FakeOctopus>,
    pub config: Arc<FakeConfig>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(5_000, None).await
}

/// Retries that take milliseconds, so tests run fast.
pub fn quick_retries(attempts: u32) -> RetrySettings {
    RetrySettings {
        attempts,
        base_delay_ms: 1,
        max_delay_ms: 4,
    }
}

/// Gateway settings for tests: port 0, an in-memory store, quick retries, default caps.
pub fn test_settings(config_service: String, request_timeout_ms: u64) -> Settings {
    Settings {
        listen: "127.0.0.1:0".to_owned(),
        config_service,
        request_timeout_ms,
        connect_timeout_ms: 2_000,
        database_url: "sqlite::memory:".to_owned(),
        snapshot_refresh_minutes: 180,
        retry: quick_retries(4),
        locked_journal: quick_retries(3),
        caps: Caps::default(),
    }
}

/// `config_service` overrides the fake config-service address (e.g. one nobody listens on).
pub async fn spawn_app_with(request_timeout_ms: u64, config_service: Option<String>) -> TestApp {
    let octopus = FakeOctopus::start().await;
    let (config, config_addr) = fake_config::start(octopus.base_url()).await;
    let config_service = config_service.unwrap_or_else(|| format!("http://{config_addr}"));
    let settings = test_settings(config_service, request_timeout_ms);
    let app = Application::build(settings)
        .await
        .expect("the gateway builds");
    let addr = app.local_addr();
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = OctopusGatewayClient::connect(format!("http://{addr}"))
        .await
        .expect("the gateway accepts connections");
    TestApp {
        client,
        octopus,
        config,
        _shutdown: shutdown,
    }
}

pub fn dossier() -> Option<DossierRef> {
    Some(DossierRef {
        tenant_id: TENANT.to_owned(),
        dossier_id: DOSSIER,
    })
}

/// Call counts of a response, by endpoint.
pub fn counts(calls: &[OctopusCall]) -> HashMap<String, u32> {
    calls
        .iter()
        .map(|call| (call.endpoint.clone(), call.count))
        .collect()
}

/// A one-line sales booking in bookyear 2, journal V1, period 202403.
pub fn booking(number: i32, comment: &str, base: &str, vat: &str, amount: &str) -> Booking {
    Booking {
        bookyear_id: 2,
        journal_key: "V1".to_owned(),
        document_sequence_nr: number,
        bookyear_period_nr: 202403,
        document_date: "2024-03-15".to_owned(),
        expiry_date: "2024-04-14".to_owned(),
        relation: Some(RelationRef {
            relation_key: 28,
            external_relation_id: 100042,
        }),
        comment: comment.to_owned(),
        reference: "+++123/4567/89002+++".to_owned(),
        amount: amount.to_owned(),
        currency_code: "EUR".to_owned(),
        exchange_rate: String::new(),
        lines: vec![BookingLine {
            account_key: 700000,
            base_amount: base.to_owned(),
            vat_code: "21".to_owned(),
            vat_amount: vat.to_owned(),
            comment: "Herstelling".to_owned(),
        }],
    }
}

/// The next free number of V1 with a standard 100 + 21 booking.
pub fn simple_booking(number: i32) -> Booking {
    booking(number, &format!("INV-{number}"), "100", "21", "121")
}
