//! Startup fails clearly, before touching the database, when the master key is unusable.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ox_config_service::{Application, Secret};

use crate::helpers::{TempDb, TestApp, key_b64, sample_tenant, settings, upsert};

async fn build_error(settings: ox_config_service::Settings) -> String {
    match Application::build(settings).await {
        Ok(_) => panic!("startup must fail"),
        Err(error) => error.to_string(),
    }
}

#[tokio::test]
async fn a_missing_master_key_fails_startup_clearly() {
    let db = TempDb::new();
    let mut settings = settings(&db, 1);
    settings.master_key = None;
    assert_eq!(
        build_error(settings).await,
        "CONFIG_SERVICE__MASTER_KEY is not set and no master_key_file is configured"
    );
    assert!(!db.path.exists(), "no database is created without a key");
}

#[tokio::test]
async fn a_short_master_key_fails_startup_with_its_length() {
    let db = TempDb::new();
    let mut settings = settings(&db, 1);
    settings.master_key = Some(Secret::new(STANDARD.encode([7u8; 16])));
    assert_eq!(
        build_error(settings).await,
        "master key must be 32 bytes, base64-encoded; got 16 bytes"
    );
}

#[tokio::test]
async fn a_master_key_that_is_not_base64_fails_without_echoing_it() {
    let db = TempDb::new();
    let mut settings = settings(&db, 1);
    settings.master_key = Some(Secret::new("correct horse battery staple"));
    let message = build_error(settings).await;
    assert_eq!(
        message,
        "master key must be 32 bytes, base64-encoded; it is not valid base64"
    );
}

#[tokio::test]
async fn an_unreadable_key_file_is_named() {
    let db = TempDb::new();
    let missing =
        std::env::temp_dir().join(format!("ox-config-no-such-key-{}", std::process::id()));
    let mut settings = settings(&db, 1);
    settings.master_key = None;
    settings.master_key_file = Some(missing.display().to_string());
    let message = build_error(settings).await;
    assert!(
        message.starts_with(&format!(
            "cannot read master key file {}",
            missing.display()
        )),
        "{message}"
    );
}

#[tokio::test]
async fn the_master_key_can_come_from_a_file() {
    let db = TempDb::new();
    let key_file = std::env::temp_dir().join(format!(
        "ox-config-key-file-{}-{}.b64",
        std::process::id(),
        db.path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&key_file, format!("{}\n", key_b64(9))).unwrap();
    let mut from_file = settings(&db, 0);
    from_file.master_key = None;
    from_file.master_key_file = Some(key_file.display().to_string());
    let app = TestApp::spawn(from_file).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    crate::helpers::set_credentials(&mut client, "janssens", "u", "from-file").await;
    app.stop().await;

    // The same key given inline opens what the file key sealed.
    let app = TestApp::spawn(settings(&db, 9)).await;
    let mut client = app.client.clone();
    let credentials = crate::helpers::resolve(&mut client, "janssens")
        .await
        .unwrap();
    assert_eq!(credentials.password, "from-file");
    app.stop().await;
    std::fs::remove_file(key_file).unwrap();
}

#[tokio::test]
async fn a_port_in_use_fails_startup_clearly() {
    let db = TempDb::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut settings = settings(&db, 1);
    settings.listen = taken.local_addr().unwrap().to_string();
    let message = build_error(settings).await;
    assert!(
        message.starts_with("cannot listen on 127.0.0.1:"),
        "{message}"
    );
}
