//! Test plumbing: settings built in code, a spawned Application with its clients, and sample
//! data; the databases are in `test_db.rs`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ox_config_service::{Application, ConfigError, PreviousKey, Secret, Settings};
use ox_proto::config::v1 as pb;
use ox_proto::config::v1::config_service_client::ConfigServiceClient;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;

use ox_config_service::admin_api::v1::config_admin_client::ConfigAdminClient;

pub(crate) use crate::test_db::both_backends;
pub use crate::test_db::{Backend, TestDb};

/// A master key made of one repeated byte.
pub fn key_b64(byte: u8) -> String {
    STANDARD.encode([byte; 32])
}

/// Settings for a test: port 0, the given database, master key `k1` of `key_byte`s.
pub fn settings(db: &TestDb, key_byte: u8) -> Settings {
    Settings::embedded(
        "127.0.0.1:0",
        db.url(),
        "k1",
        Secret::new(key_b64(key_byte)),
    )
}

/// Settings with `current` as the current key and `previous` as previous keys, each given as
/// (id, key byte).
pub fn ring_settings(db: &TestDb, current: (&str, u8), previous: &[(&str, u8)]) -> Settings {
    let mut settings = Settings::embedded(
        "127.0.0.1:0",
        db.url(),
        current.0,
        Secret::new(key_b64(current.1)),
    );
    settings.previous_keys = previous
        .iter()
        .map(|(id, byte)| PreviousKey {
            id: (*id).into(),
            key: Some(Secret::new(key_b64(*byte))),
            key_file: None,
        })
        .collect();
    settings
}

/// The error `Application::build` fails with.
pub async fn build_error(settings: Settings) -> String {
    match Application::build(settings).await {
        Ok(_) => panic!("startup must fail"),
        Err(error) => error.to_string(),
    }
}

/// A running Application and clients connected to it.
pub struct TestApp {
    pub client: ConfigServiceClient<Channel>,
    pub admin: ConfigAdminClient<Channel>,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<Result<(), ConfigError>>,
}

impl TestApp {
    /// Builds and starts the Application with `settings`.
    pub async fn spawn(settings: Settings) -> Self {
        let app = Application::build(settings)
            .await
            .expect("application builds");
        let addr = app.local_addr();
        assert_ne!(addr.port(), 0);
        let (shutdown, stop) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = stop.await;
        }));
        let channel = ox_kit::channel(&addr.to_string()).expect("a bound address is a valid peer");
        Self {
            client: ConfigServiceClient::new(channel.clone()),
            admin: ConfigAdminClient::new(channel),
            shutdown,
            server,
        }
    }

    /// Stops the server, waits for the drain and the database to close.
    pub async fn stop(self) {
        drop(self.client);
        drop(self.admin);
        let _ = self.shutdown.send(());
        self.server
            .await
            .expect("server task did not panic")
            .expect("server stopped cleanly");
    }
}

/// A valid tenant with two locations, overrides on both and two VAT mappings.
pub fn sample_tenant(tenant_id: &str) -> pb::Tenant {
    // A dossier belongs to one tenant: other tenants get dossiers of their own.
    let offset: i32 = if tenant_id == "janssens" {
        0
    } else {
        10_000 + tenant_id.bytes().map(i32::from).sum::<i32>() * 10
    };
    pb::Tenant {
        tenant_id: tenant_id.into(),
        name: "Carrosserie Janssens".into(),
        locations: vec![
            pb::LocationDossier {
                location_name: "Bodyshop A".into(),
                dossier_id: 1111 + offset,
            },
            pb::LocationDossier {
                location_name: "Bodyshop B".into(),
                dossier_id: 2222 + offset,
            },
        ],
        journal_overrides: vec![
            pb::JournalOverride {
                location_name: "Bodyshop A".into(),
                planmanager_code: "AAN".into(),
                octopus_journal_key: "V1".into(),
            },
            pb::JournalOverride {
                location_name: "Bodyshop A".into(),
                planmanager_code: "AAN CN".into(),
                octopus_journal_key: "V2".into(),
            },
            pb::JournalOverride {
                location_name: "Bodyshop B".into(),
                planmanager_code: "JVCB1".into(),
                octopus_journal_key: "V3".into(),
            },
        ],
        vat_mappings: vec![
            pb::VatMapping {
                rate: "21".into(),
                regime: "standard".into(),
                octopus_code: "21".into(),
            },
            pb::VatMapping {
                rate: "0.00".into(),
                regime: "reverse_charge_be".into(),
                octopus_code: "MC".into(),
            },
        ],
        default_revenue_account: 700000,
        default_receivable_account: 400000,
        rounding_policy: pb::RoundingPolicy::Unspecified.into(),
        field_limits: Some(pb::FieldLimits {
            name: 40,
            street_and_nr: 40,
            city: 30,
            email: 60,
        }),
        octopus_base_url: String::new(),
    }
}

/// Upserts `tenant` and asserts the call succeeded.
pub async fn upsert(client: &mut ConfigServiceClient<Channel>, tenant: pb::Tenant) -> bool {
    client
        .upsert_tenant(pb::UpsertTenantRequest {
            tenant: Some(tenant),
        })
        .await
        .expect("upsert succeeds")
        .into_inner()
        .created
}

/// The software house id every test tenant uses.
pub const SOFTWARE_HOUSE_UUID: &str = "6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab";

/// Sets credentials and returns the key id.
pub async fn set_credentials(
    client: &mut ConfigServiceClient<Channel>,
    tenant_id: &str,
    user: &str,
    password: &str,
) -> String {
    client
        .set_credentials(pb::SetCredentialsRequest {
            tenant_id: tenant_id.into(),
            user: user.into(),
            password: password.into(),
            software_house_uuid: SOFTWARE_HOUSE_UUID.into(),
        })
        .await
        .expect("set credentials succeeds")
        .into_inner()
        .key_id
}

/// Calls ResolveCredentials.
pub async fn resolve(
    client: &mut ConfigServiceClient<Channel>,
    tenant_id: &str,
) -> Result<pb::ResolveCredentialsResponse, tonic::Status> {
    client
        .resolve_credentials(pb::ResolveCredentialsRequest {
            tenant_id: tenant_id.into(),
        })
        .await
        .map(tonic::Response::into_inner)
}

/// Calls GetExportProfile.
pub async fn profile(
    client: &mut ConfigServiceClient<Channel>,
    tenant_id: &str,
    location: &str,
) -> Result<pb::ExportProfile, tonic::Status> {
    client
        .get_export_profile(pb::GetExportProfileRequest {
            tenant_id: tenant_id.into(),
            location_name: location.into(),
        })
        .await
        .map(|response| response.into_inner().profile.expect("a profile"))
}
