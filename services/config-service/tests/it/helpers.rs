//! Test plumbing: temporary SQLite files, settings built in code, and a spawned Application.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ox_config_service::{Application, ConfigError, Secret, Settings};
use ox_proto::config::v1 as pb;
use ox_proto::config::v1::config_service_client::ConfigServiceClient;
use sqlx::SqlitePool;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;

/// A master key made of one repeated byte.
pub fn key_b64(byte: u8) -> String {
    STANDARD.encode([byte; 32])
}

/// A SQLite file in the temp dir, removed (with its WAL files) on drop.
pub struct TempDb {
    pub path: PathBuf,
}

impl TempDb {
    pub fn new() -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_nanos();
        let name = format!(
            "ox-config-it-{}-{}-{nanos}.sqlite",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        Self {
            path: std::env::temp_dir().join(name),
        }
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.path.display())
    }

    /// A separate pool on the same file, for looking at or tampering with stored rows.
    pub async fn pool(&self) -> SqlitePool {
        SqlitePool::connect(&format!("sqlite://{}", self.path.display()))
            .await
            .expect("the test database opens")
    }

    /// The bytes of the database file and its WAL, as they sit on disk.
    pub fn raw_bytes(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(&self.path).expect("the test database file exists");
        if let Ok(wal) = std::fs::read(self.wal_path()) {
            bytes.extend(wal);
        }
        bytes
    }

    fn wal_path(&self) -> PathBuf {
        PathBuf::from(format!("{}-wal", self.path.display()))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

/// Settings for a test: port 0, the given database, master key `k1` of `key_byte`s.
pub fn settings(db: &TempDb, key_byte: u8) -> Settings {
    Settings {
        listen: "127.0.0.1:0".into(),
        database_url: db.url(),
        master_key: Some(Secret::new(key_b64(key_byte))),
        master_key_file: None,
        master_key_id: "k1".into(),
    }
}

/// A running Application and a client connected to it.
pub struct TestApp {
    pub client: ConfigServiceClient<Channel>,
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
            client: ConfigServiceClient::new(channel),
            shutdown,
            server,
        }
    }

    /// Stops the server, waits for the drain and the database to close.
    pub async fn stop(self) {
        drop(self.client);
        let _ = self.shutdown.send(());
        self.server
            .await
            .expect("server task did not panic")
            .expect("server stopped cleanly");
    }
}

/// A valid tenant with two locations, overrides on both and two VAT mappings.
pub fn sample_tenant(tenant_id: &str) -> pb::Tenant {
    pb::Tenant {
        tenant_id: tenant_id.into(),
        name: "Carrosserie Janssens".into(),
        locations: vec![
            pb::LocationDossier {
                location_name: "Bodyshop A".into(),
                dossier_id: 1111,
            },
            pb::LocationDossier {
                location_name: "Bodyshop B".into(),
                dossier_id: 2222,
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
            software_house_uuid: "6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab".into(),
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
