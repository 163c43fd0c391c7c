//! Credentials at rest: ciphertext only, bound to their tenant, and a wrong key fails clearly.

use sqlx::Row as _;
use tonic::Code;

use crate::helpers::{
    TempDb, TestApp, profile, resolve, sample_tenant, set_credentials, settings, upsert,
};

const PASSWORD: &str = "Sup3r-Secret-Octopus-Pa55word";
const USER: &str = "boekhouding@janssens.be";
const SOFTWARE_HOUSE_UUID: &str = "6f1c2a3b-0d4e-4f5a-8b9c-0123456789ab";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn stored_ciphertexts_do_not_contain_the_secrets() {
    let db = TempDb::new();
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;

    let pool = db.pool().await;
    let row = sqlx::query("SELECT * FROM credentials WHERE tenant_id = 'janssens'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let key_id: String = row.get("key_id");
    assert_eq!(key_id, "k1");
    let mut nonces = Vec::new();
    for field in ["user", "password", "software_house_uuid"] {
        let ciphertext: Vec<u8> = row.get(format!("{field}_ciphertext").as_str());
        let nonce: Vec<u8> = row.get(format!("{field}_nonce").as_str());
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
    pool.close().await;
    app.stop().await;

    let on_disk = db.raw_bytes();
    assert!(
        contains(&on_disk, b"janssens"),
        "the scan does see the file"
    );
    for secret in [PASSWORD, USER, SOFTWARE_HOUSE_UUID] {
        assert!(
            !contains(&on_disk, secret.as_bytes()),
            "{secret} is on disk"
        );
    }
}

#[tokio::test]
async fn a_wrong_master_key_gives_a_clear_error_not_garbage() {
    let db = TempDb::new();
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    app.stop().await;

    let app = TestApp::spawn(settings(&db, 2)).await;
    let mut client = app.client.clone();
    let status = resolve(&mut client, "janssens").await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert_eq!(
        status.message(),
        "credentials of tenant janssens cannot be decrypted with master key k1 (wrong key?)"
    );
    // Profiles hold no secrets, so they are still served.
    assert!(profile(&mut client, "janssens", "Bodyshop A").await.is_ok());
    app.stop().await;
}

#[tokio::test]
async fn credentials_under_another_key_id_are_reported_as_such() {
    let db = TempDb::new();
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    app.stop().await;

    let mut rotated = settings(&db, 2);
    rotated.master_key_id = "k2".into();
    let app = TestApp::spawn(rotated).await;
    let mut client = app.client.clone();
    let status = resolve(&mut client, "janssens").await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert_eq!(
        status.message(),
        "credentials of tenant janssens are encrypted with master key k1, but the configured master key is k2"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_ciphertext_copied_to_another_tenant_does_not_decrypt() {
    let db = TempDb::new();
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    upsert(&mut client, sample_tenant("peeters")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;
    set_credentials(&mut client, "peeters", "peeters-user", "peeters-password").await;

    // An attacker with write access to the database gives peeters janssens' credentials.
    let pool = db.pool().await;
    let moved = sqlx::query(
        "UPDATE credentials SET \
             (user_ciphertext, user_nonce, password_ciphertext, password_nonce, \
              software_house_uuid_ciphertext, software_house_uuid_nonce) = \
             (SELECT user_ciphertext, user_nonce, password_ciphertext, password_nonce, \
                     software_house_uuid_ciphertext, software_house_uuid_nonce \
              FROM credentials WHERE tenant_id = 'janssens') \
         WHERE tenant_id = 'peeters'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(moved.rows_affected(), 1);
    pool.close().await;

    let status = resolve(&mut client, "peeters").await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert_eq!(
        status.message(),
        "credentials of tenant peeters cannot be decrypted with master key k1 (wrong key?)"
    );
    assert!(!status.message().contains(PASSWORD));
    let own = resolve(&mut client, "janssens").await.unwrap();
    assert_eq!(own.password, PASSWORD);
    app.stop().await;
}

#[tokio::test]
async fn a_password_swapped_into_the_user_column_does_not_decrypt() {
    let db = TempDb::new();
    let app = TestApp::spawn(settings(&db, 1)).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", USER, PASSWORD).await;

    let pool = db.pool().await;
    sqlx::query(
        "UPDATE credentials SET user_ciphertext = password_ciphertext, user_nonce = password_nonce",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let status = resolve(&mut client, "janssens").await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    app.stop().await;
}
