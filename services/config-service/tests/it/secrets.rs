//! Credentials at rest: ciphertext only, bound to their tenant, and a wrong or missing key
//! fails clearly at startup instead of producing garbage.

use tonic::Code;

use crate::helpers::{
    Backend, SOFTWARE_HOUSE_UUID, TestApp, TestDb, both_backends, build_error, profile, resolve,
    ring_settings, sample_tenant, set_credentials, settings, upsert,
};

const PASSWORD: &str = "Sup3r-Secret-Octopus-Pa55word";
const USER: &str = "boekhouding@janssens.be";

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// `needle` as PostgreSQL prints a `bytea` (lower-case hex), to catch clear text in a blob.
pub fn hex(needle: &str) -> String {
    needle.bytes().map(|byte| format!("{byte:02x}")).collect()
}

async fn stored_ciphertexts_do_not_contain_the_secrets(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;

    assert_eq!(
        db.strings("SELECT key_id FROM credentials WHERE tenant_id = 'janssens'")
            .await,
        ["k1"]
    );
    let mut nonces = Vec::new();
    for field in ["user", "password", "software_house_uuid"] {
        let ciphertext = db
            .blobs(&format!("SELECT {field}_ciphertext FROM credentials"))
            .await
            .remove(0);
        let nonce = db
            .blobs(&format!("SELECT {field}_nonce FROM credentials"))
            .await
            .remove(0);
        assert_eq!(nonce.len(), 12, "{field}: a 96-bit nonce");
        assert!(ciphertext.len() >= 16, "{field}: at least the GCM tag");
        for secret in [PASSWORD, USER, SOFTWARE_HOUSE_UUID] {
            assert!(!contains(&ciphertext, secret.as_bytes()), "{field} leaks");
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "every ciphertext has its own nonce");
    app.stop().await;

    let everything = db.everything().await;
    assert!(
        contains(&everything, b"janssens"),
        "the scan does see the data"
    );
    for secret in [PASSWORD, USER, SOFTWARE_HOUSE_UUID] {
        assert!(
            !contains(&everything, secret.as_bytes()),
            "{secret} is stored"
        );
        assert!(
            !contains(&everything, hex(secret).as_bytes()),
            "{secret} is stored as hex"
        );
    }
}

async fn a_wrong_master_key_fails_startup_clearly(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    app.stop().await;

    let message = build_error(settings(&db, 2)).await;
    assert_eq!(
        message,
        "master key k1 is wrong: the config database was sealed under another key with that id \
         (a key id must always name the same key; give a new key a new id)"
    );

    // The right key still opens everything.
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    assert_eq!(
        resolve(&mut client, "janssens").await.unwrap().password,
        PASSWORD
    );
    app.stop().await;
}

async fn a_wrong_key_is_refused_even_before_any_credential_exists(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    app.stop().await;
    let message = build_error(settings(&db, 2)).await;
    assert!(message.starts_with("master key k1 is wrong"), "{message}");
}

async fn credentials_under_an_unconfigured_key_fail_startup(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    upsert(&mut client, sample_tenant("peeters")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    set_credentials(&mut client, "peeters", "peeters-user", "peeters-password").await;
    app.stop().await;

    // k1 dropped from the settings although credentials are still sealed under it.
    let message = build_error(ring_settings(&db, ("k2", 2), &[])).await;
    assert_eq!(
        message,
        "credentials of 2 tenant(s) are sealed under master key k1, which is not configured: \
         add it to previous_keys (run `config-service rotate-key` before removing it)"
    );
}

async fn a_ciphertext_copied_to_another_tenant_does_not_decrypt(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    upsert(&mut client, sample_tenant("peeters")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    set_credentials(&mut client, "peeters", "peeters-user", "peeters-password").await;

    // An attacker with write access to the database gives peeters janssens' credentials.
    let moved = db
        .execute(
            "UPDATE credentials SET \
                 (user_ciphertext, user_nonce, password_ciphertext, password_nonce, \
                  software_house_uuid_ciphertext, software_house_uuid_nonce) = \
                 (SELECT user_ciphertext, user_nonce, password_ciphertext, password_nonce, \
                         software_house_uuid_ciphertext, software_house_uuid_nonce \
                  FROM credentials WHERE tenant_id = 'janssens') \
             WHERE tenant_id = 'peeters'",
        )
        .await;
    assert_eq!(moved, 1);

    let status = resolve(&mut client, "peeters").await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert_eq!(
        status.message(),
        "credentials of tenant peeters cannot be decrypted with master key k1 (wrong key?)"
    );
    assert!(!status.message().contains(PASSWORD));
    let own = resolve(&mut client, "janssens").await.unwrap();
    assert_eq!(own.password, PASSWORD);
    // Profiles hold no secrets, so they are still served.
    assert!(profile(&mut client, "peeters", "Bodyshop A").await.is_ok());
    app.stop().await;
}

async fn a_password_swapped_into_the_user_column_does_not_decrypt(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;

    db.execute(
        "UPDATE credentials SET user_ciphertext = password_ciphertext, user_nonce = password_nonce",
    )
    .await;

    let status = resolve(&mut client, "janssens").await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    app.stop().await;
}

async fn a_database_from_before_key_checks_still_recognises_a_wrong_key(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    app.stop().await;
    // As written by the first version, which had no key checks.
    assert_eq!(db.execute("DELETE FROM master_key_checks").await, 1);

    let message = build_error(settings(&db, 2)).await;
    assert!(message.starts_with("master key k1 is wrong"), "{message}");
    assert!(
        db.strings("SELECT key_id FROM master_key_checks")
            .await
            .is_empty(),
        "a wrong key registers nothing"
    );

    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    assert_eq!(
        resolve(&mut client, "janssens").await.unwrap().password,
        PASSWORD
    );
    app.stop().await;
    assert_eq!(
        db.strings("SELECT key_id FROM master_key_checks").await,
        ["k1"],
        "the right key is registered on first use"
    );
}

both_backends!(
    stored_ciphertexts_do_not_contain_the_secrets,
    a_wrong_master_key_fails_startup_clearly,
    a_wrong_key_is_refused_even_before_any_credential_exists,
    credentials_under_an_unconfigured_key_fail_startup,
    a_ciphertext_copied_to_another_tenant_does_not_decrypt,
    a_password_swapped_into_the_user_column_does_not_decrypt,
    a_database_from_before_key_checks_still_recognises_a_wrong_key,
);
