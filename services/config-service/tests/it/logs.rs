//! Secrets never reach a log line or a span: every event and span of a whole session
//! (set, resolve, show, rotate, failures) is captured at TRACE and searched.

use std::io::Write;
use std::sync::{Arc, Mutex};

use ox_config_service::admin_api::v1 as admin;
use ox_config_service::store::ConfigStore;
use ox_proto::config::v1 as pb;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::helpers::{
    Backend, SOFTWARE_HOUSE_UUID, TestApp, TestDb, both_backends, key_b64, resolve, ring_settings,
    sample_tenant, set_credentials, upsert,
};
use crate::secrets::contains;

const USER: &str = "logged-user@janssens.be";
const PASSWORD: &str = "Never-In-A-Log-9f3k";

/// Everything the subscriber writes, shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("no writer panicked")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn no_secret_in_any_log_line_or_span(backend: Backend) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The test runtime is single-threaded, so the server's tasks log through this too.
    let _guard = tracing::subscriber::set_default(subscriber);

    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(ring_settings(&db, ("k1", 1), &[])).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    assert_eq!(
        resolve(&mut client, "janssens").await.unwrap().password,
        PASSWORD
    );
    let shown = app
        .admin
        .clone()
        .get_tenant(admin::GetTenantRequest {
            tenant_id: "janssens".into(),
        })
        .await
        .unwrap();
    assert!(shown.into_inner().credentials.unwrap().set);
    let refused = client
        .set_credentials(pb::SetCredentialsRequest {
            tenant_id: "janssens".into(),
            user: USER.into(),
            password: PASSWORD.into(),
            software_house_uuid: format!("{PASSWORD}-not-a-uuid"),
        })
        .await;
    assert!(refused.is_err());
    app.stop().await;

    let rotating = ring_settings(&db, ("k2", 2), &[("k1", 1)]);
    let app = TestApp::spawn(rotating.clone()).await;
    let store = ConfigStore::open(&rotating).await.unwrap();
    assert_eq!(store.rotate_credentials().await.unwrap().rotated, 1);
    store.close().await;
    db.execute("UPDATE credentials SET user_ciphertext = password_ciphertext")
        .await;
    let mut client = app.client.clone();
    assert!(resolve(&mut client, "janssens").await.is_err());
    app.stop().await;

    let logs = captured.0.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&logs);
    assert!(text.contains("credentials stored"), "the capture works");
    assert!(text.contains("credentials re-encrypted"), "{text}");
    assert!(
        text.contains("stored credentials cannot be opened"),
        "{text}"
    );
    for secret in [
        USER,
        PASSWORD,
        SOFTWARE_HOUSE_UUID,
        &key_b64(1),
        &key_b64(2),
    ] {
        assert!(!contains(&logs, secret.as_bytes()), "{secret} is logged");
    }
}

both_backends!(no_secret_in_any_log_line_or_span);
