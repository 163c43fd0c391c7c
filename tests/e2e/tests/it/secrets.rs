//! I5 secrets: a known Octopus password set through config-service appears nowhere after an
//! export: not in any database or file of the data directory, any log line or span, the report.

use std::io::Write as _;
use std::sync::{Arc, Mutex};

use ox_proto::config::v1::SetCredentialsRequest;
use ox_proto::config::v1::config_service_client::ConfigServiceClient;
use tracing_subscriber::layer::SubscriberExt as _;

use crate::helpers::{self, TestDir};

/// Every log line and span event of this test process, as JSON text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_password_is_nowhere_after_an_export() {
    const PASSWORD: &str = "Kn0wn-Pa55word-7f3c9e";
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new("trace"))
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .with_span_list(true)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
                .with_writer(move || writer.clone()),
        );
    // Each test runs in its own process under nextest; this one owns the global subscriber.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let dir = TestDir::new("secrets");
    let (stack, _) = helpers::start(&dir, 30).await;
    stack.sim.add_user(
        "secret-user@example.invalid",
        PASSWORD,
        "6f1c2a9e-0d2b-4c8e-9a57-3b1e2d4f5a60",
        &[octopus_export::provision::DEMO_DOSSIER],
    );
    let mut config =
        ConfigServiceClient::new(ox_kit::channel(&stack.addresses.config_service).unwrap());
    config
        .set_credentials(SetCredentialsRequest {
            tenant_id: "demo".into(),
            user: "secret-user@example.invalid".into(),
            password: PASSWORD.into(),
            software_house_uuid: "6f1c2a9e-0d2b-4c8e-9a57-3b1e2d4f5a60".into(),
        })
        .await
        .unwrap();
    let report = helpers::export(&stack, &[]).await;
    assert_eq!(
        report.status, "completed",
        "the export logged in with the known password"
    );
    octopus_export::demo::save_sim(&stack).unwrap();
    stack.stop().await.unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("octopus.http"), "spans were captured");
    assert!(
        !logs.contains(PASSWORD),
        "a log line or span holds the password"
    );
    assert!(!serde_json::to_string(&report).unwrap().contains(PASSWORD));
    // The simulated Octopus keeps its users out of its saved state; our files must hold nothing.
    let mut files = Vec::new();
    files_under(&dir.0, &mut files);
    assert!(files.iter().any(|f| f.ends_with("config.sqlite")));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let found = bytes
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes());
        assert!(!found, "{} holds the password", file.display());
    }
    std::io::stdout().flush().unwrap();
}
