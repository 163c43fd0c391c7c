//! Startup fails clearly, before touching the database, when a master key is unusable.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ox_config_service::{PreviousKey, Secret};

use crate::helpers::{
    Backend, TestApp, TestDb, both_backends, build_error, key_b64, resolve, sample_tenant,
    set_credentials, settings, upsert,
};

async fn a_missing_master_key_fails_startup_clearly(backend: Backend) {
    let db = TestDb::new(backend).await;
    let mut settings = settings(&db, 1);
    settings.master_key = None;
    assert_eq!(
        build_error(settings).await,
        "CONFIG_SERVICE__MASTER_KEY is not set and no master_key_file is configured"
    );
    assert!(
        db.tables().await.is_empty(),
        "nothing is created without a key"
    );
}

async fn a_short_master_key_fails_startup_with_its_length(backend: Backend) {
    let db = TestDb::new(backend).await;
    let mut settings = settings(&db, 1);
    settings.master_key = Some(Secret::new(STANDARD.encode([7u8; 16])));
    assert_eq!(
        build_error(settings).await,
        "master key must be 32 bytes, base64-encoded; got 16 bytes"
    );
}

async fn a_master_key_that_is_not_base64_fails_without_echoing_it(backend: Backend) {
    let db = TestDb::new(backend).await;
    let mut settings = settings(&db, 1);
    settings.master_key = Some(Secret::new("correct horse battery staple"));
    let message = build_error(settings).await;
    assert_eq!(
        message,
        "master key must be 32 bytes, base64-encoded; it is not valid base64"
    );
}

async fn an_unreadable_key_file_is_named(backend: Backend) {
    let db = TestDb::new(backend).await;
    let missing =
        std::env::temp_dir().join(format!("ox-config-no-such-key-{}", std::process::id()));
    let mut current = settings(&db, 1);
    current.master_key = None;
    current.master_key_file = Some(missing.display().to_string());
    let message = build_error(current).await;
    assert!(
        message.starts_with(&format!(
            "cannot read master key file {}",
            missing.display()
        )),
        "{message}"
    );

    let mut previous = settings(&db, 1);
    previous.previous_keys = vec![PreviousKey {
        id: "k0".into(),
        key: None,
        key_file: Some(missing.display().to_string()),
    }];
    let message = build_error(previous).await;
    assert!(
        message.starts_with(&format!(
            "cannot read master key file {}",
            missing.display()
        )),
        "{message}"
    );
    assert!(db.tables().await.is_empty(), "nothing is created");
}

async fn the_master_key_can_come_from_a_file(backend: Backend) {
    let db = TestDb::new(backend).await;
    let key_file = std::env::temp_dir().join(format!(
        "ox-config-key-file-{}-{backend:?}.b64",
        std::process::id(),
    ));
    std::fs::write(&key_file, format!("{}\n", key_b64(9))).unwrap();
    let mut from_file = settings(&db, 0);
    from_file.master_key = None;
    from_file.master_key_file = Some(key_file.display().to_string());
    let app = TestApp::spawn(from_file).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", "u", "from-file").await;
    app.stop().await;
    std::fs::remove_file(key_file).unwrap();

    // The same key given inline opens what the file key sealed.
    let app = TestApp::spawn(settings(&db, 9)).await;
    let mut client = app.client.clone();
    let credentials = resolve(&mut client, "janssens").await.unwrap();
    assert_eq!(credentials.password, "from-file");
    app.stop().await;
}

async fn a_port_in_use_fails_startup_clearly(backend: Backend) {
    let db = TestDb::new(backend).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut settings = settings(&db, 1);
    settings.listen = taken.local_addr().unwrap().to_string();
    let message = build_error(settings).await;
    assert!(
        message.starts_with("cannot listen on 127.0.0.1:"),
        "{message}"
    );
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused_without_its_password() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut settings = settings(&db, 1);
    settings.database_url = "mysql://ox:hunter2@127.0.0.1/config".into();
    let message = build_error(settings).await;
    assert_eq!(
        message,
        "unsupported database URL mysql://[redacted]@127.0.0.1/config: use sqlite://FILE?mode=rwc, \
         sqlite::memory: or postgres://..."
    );
}

#[tokio::test]
async fn an_unreachable_postgres_server_is_a_clear_error() {
    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = TestDb::new(Backend::Sqlite).await;
    let mut settings = settings(&db, 1);
    settings.database_url = format!("postgres://ox:hunter2@127.0.0.1:{free_port}/config");
    let message = build_error(settings).await;
    assert!(
        message.starts_with(&format!(
            "cannot open the config database postgres://[redacted]@127.0.0.1:{free_port}/config: "
        )),
        "{message}"
    );
    assert!(!message.contains("hunter2"));
}

both_backends!(
    a_missing_master_key_fails_startup_clearly,
    a_short_master_key_fails_startup_with_its_length,
    a_master_key_that_is_not_base64_fails_without_echoing_it,
    an_unreadable_key_file_is_named,
    the_master_key_can_come_from_a_file,
    a_port_in_use_fails_startup_clearly,
);
