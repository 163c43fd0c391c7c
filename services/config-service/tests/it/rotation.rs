//! Key rotation: old ciphertexts open under a previous key, `rotate-key` moves every row to the
//! current key while the service serves, and the old key can then leave the settings.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use ox_config_service::crypto::{Field, MasterKey};
use ox_config_service::db::{Db, SealedCredentials};
use ox_config_service::store::ConfigStore;
use ox_config_service::{RotationFailure, TenantId};
use ox_proto::config::v1 as pb;

use crate::helpers::{
    Backend, TestApp, TestDb, both_backends, build_error, key_b64, resolve, ring_settings,
    sample_tenant, set_credentials, upsert,
};
use crate::secrets::contains;

const TENANTS: [&str; 3] = ["janssens", "peeters", "claes"];

async fn resolve_all(app: &TestApp) -> Vec<pb::ResolveCredentialsResponse> {
    let mut client = app.client.clone();
    let mut resolved = Vec::new();
    for tenant in TENANTS {
        resolved.push(
            resolve(&mut client, tenant)
                .await
                .expect("credentials resolve"),
        );
    }
    resolved
}

async fn rotation_keeps_every_credential_resolvable(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(ring_settings(&db, ("k1", 1), &[])).await;
    let mut client = app.client.clone();
    for tenant in TENANTS {
        upsert(&mut client, sample_tenant(tenant)).await;
    }
    set_credentials(&mut client, "janssens", "ops@janssens.be", "janssens-pw").await;
    set_credentials(&mut client, "peeters", "peeters-user", "peeters-pw").await;
    set_credentials(&mut client, "claes", "claes-user", "claes-pw").await;
    let before = resolve_all(&app).await;
    app.stop().await;
    let old_nonces = db
        .blobs("SELECT password_nonce FROM credentials ORDER BY tenant_id")
        .await;

    // The new key becomes current; the old one stays to open what it sealed.
    let rotating = ring_settings(&db, ("k2", 2), &[("k1", 1)]);
    let app = TestApp::spawn(rotating.clone()).await;
    assert_eq!(
        resolve_all(&app).await,
        before,
        "old ciphertexts still open"
    );
    let mut client = app.client.clone();
    let key_id = set_credentials(&mut client, "claes", "claes-user", "claes-pw").await;
    assert_eq!(key_id, "k2", "new writes use the current key");

    // Online: the service keeps running while the rotation runs beside it.
    let store = ConfigStore::open(&rotating).await.unwrap();
    let report = store.rotate_credentials().await.unwrap();
    assert_eq!(report.key_id, "k2");
    assert_eq!(report.rotated, 2);
    assert_eq!(report.rotated_from, BTreeMap::from([("k1".to_owned(), 2)]));
    assert!(report.failed.is_empty());
    assert!(report.remaining.is_empty());
    assert!(report.is_complete());
    assert_eq!(
        resolve_all(&app).await,
        before,
        "same values after rotation"
    );
    assert_eq!(
        db.strings("SELECT key_id FROM credentials ORDER BY tenant_id")
            .await,
        ["k2", "k2", "k2"]
    );
    let new_nonces = db
        .blobs("SELECT password_nonce FROM credentials ORDER BY tenant_id")
        .await;
    for (old, new) in old_nonces.iter().zip(&new_nonces) {
        assert_ne!(old, new, "every ciphertext was sealed afresh");
    }

    let again = store.rotate_credentials().await.unwrap();
    assert_eq!(again.rotated, 0, "nothing left to move");
    assert!(again.is_complete());
    store.close().await;
    app.stop().await;

    // The old key removed from the settings: everything still resolves.
    let app = TestApp::spawn(ring_settings(&db, ("k2", 2), &[])).await;
    assert_eq!(resolve_all(&app).await, before);
    app.stop().await;
    assert_eq!(
        db.strings("SELECT key_id FROM master_key_checks ORDER BY key_id")
            .await,
        ["k1", "k2"]
    );
}

async fn rotation_runs_while_the_service_serves(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(ring_settings(&db, ("k1", 1), &[])).await;
    let mut client = app.client.clone();
    let tenants: Vec<String> = (0..12).map(|index| format!("tenant-{index}")).collect();
    for tenant in &tenants {
        upsert(&mut client, sample_tenant(tenant)).await;
        set_credentials(&mut client, tenant, "user", &format!("pw-{tenant}")).await;
    }
    app.stop().await;

    let rotating = ring_settings(&db, ("k2", 2), &[("k1", 1)]);
    let app = TestApp::spawn(rotating.clone()).await;
    let done = Arc::new(AtomicBool::new(false));
    let resolved = Arc::new(AtomicU64::new(0));
    let reader = {
        let (done, resolved, tenants) = (done.clone(), resolved.clone(), tenants.clone());
        let mut client = app.client.clone();
        tokio::spawn(async move {
            // Keep reading until the rotation is over, then one full pass more.
            let mut last_pass = false;
            loop {
                for tenant in &tenants {
                    let credentials = resolve(&mut client, tenant).await.expect("always resolves");
                    assert_eq!(credentials.password, format!("pw-{tenant}"));
                    resolved.fetch_add(1, Ordering::Relaxed);
                }
                if last_pass {
                    break;
                }
                last_pass = done.load(Ordering::Acquire);
                tokio::task::yield_now().await;
            }
        })
    };
    let store = ConfigStore::open(&rotating).await.unwrap();
    let report = store.rotate_credentials().await.unwrap();
    done.store(true, Ordering::Release);
    reader.await.expect("no resolve failed during the rotation");
    store.close().await;
    assert_eq!(report.rotated, 12);
    assert!(report.is_complete());
    assert!(resolved.load(Ordering::Relaxed) >= 12);
    app.stop().await;
}

async fn a_set_credentials_racing_the_rotation_is_never_overwritten(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(ring_settings(&db, ("k2", 2), &[("k1", 1)])).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", "ops", "first").await;

    // The rotation has read the row...
    let raw = Db::connect(&db.url()).await.unwrap();
    let tenant = TenantId::parse("tenant_id", "janssens").unwrap();
    let read = raw
        .fetch_credentials(&tenant)
        .await
        .unwrap()
        .sealed
        .unwrap();
    // ...then the operator sets new credentials...
    set_credentials(&mut client, "janssens", "ops", "second").await;
    // ...and the rotation's write, made from what it read, must not land.
    let key = MasterKey::from_base64("k2", &key_b64(2)).unwrap();
    let stale = SealedCredentials {
        key_id: "k2".into(),
        user: Some(key.seal(&tenant, Field::User, b"ops").unwrap()),
        password: key.seal(&tenant, Field::Password, b"first").unwrap(),
        software_house_uuid: key.seal(&tenant, Field::SoftwareHouseUuid, b"").unwrap(),
    };
    assert!(!raw.replace_sealed("janssens", &read, &stale).await.unwrap());
    assert_eq!(
        resolve(&mut client, "janssens").await.unwrap().password,
        "second"
    );

    // A write made from a fresh read does land.
    let fresh = raw
        .fetch_credentials(&tenant)
        .await
        .unwrap()
        .sealed
        .unwrap();
    let third = SealedCredentials {
        password: key.seal(&tenant, Field::Password, b"third").unwrap(),
        ..stale
    };
    assert!(
        raw.replace_sealed("janssens", &fresh, &third)
            .await
            .unwrap()
    );
    raw.close().await;
    assert_eq!(
        resolve(&mut client, "janssens").await.unwrap().password,
        "third"
    );
    app.stop().await;
}

async fn rotation_reports_a_row_it_cannot_open_and_moves_the_rest(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(ring_settings(&db, ("k1", 1), &[])).await;
    let mut client = app.client.clone();
    for tenant in TENANTS {
        upsert(&mut client, sample_tenant(tenant)).await;
        set_credentials(&mut client, tenant, "user", "pw").await;
    }
    app.stop().await;
    db.execute(
        "UPDATE credentials SET password_ciphertext = \
             (SELECT password_ciphertext FROM credentials WHERE tenant_id = 'janssens') \
         WHERE tenant_id = 'peeters'",
    )
    .await;

    let store = ConfigStore::open(&ring_settings(&db, ("k2", 2), &[("k1", 1)]))
        .await
        .unwrap();
    let report = store.rotate_credentials().await.unwrap();
    store.close().await;
    assert_eq!(report.rotated, 2);
    assert_eq!(
        report.failed,
        [RotationFailure {
            tenant_id: "peeters".into(),
            reason:
                "credentials of tenant peeters cannot be decrypted with master key k1 (wrong key?)"
                    .into(),
        }]
    );
    assert_eq!(report.remaining, BTreeMap::from([("k1".to_owned(), 1)]));
    assert!(!report.is_complete());
}

async fn a_wrong_previous_key_fails_startup(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(ring_settings(&db, ("k1", 1), &[])).await;
    let mut client = app.client.clone();
    upsert(&mut client, sample_tenant("janssens")).await;
    set_credentials(&mut client, "janssens", "user", "pw").await;
    app.stop().await;
    let message = build_error(ring_settings(&db, ("k2", 2), &[("k1", 9)])).await;
    assert!(message.starts_with("master key k1 is wrong"), "{message}");
}

async fn the_rotate_key_command_moves_every_row_and_says_so(backend: Backend) {
    let db = TestDb::new(backend).await;
    let app = TestApp::spawn(ring_settings(&db, ("k1", 1), &[])).await;
    let mut client = app.client.clone();
    for tenant in TENANTS {
        upsert(&mut client, sample_tenant(tenant)).await;
        set_credentials(&mut client, tenant, "user", "Secret-Pa55word").await;
    }
    app.stop().await;

    let app = TestApp::spawn(ring_settings(&db, ("k2", 2), &[("k1", 1)])).await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_config-service"))
        .arg("rotate-key")
        .env_remove("CONFIG_SERVICE_CONFIG")
        .env("CONFIG_SERVICE__DATABASE_URL", db.url())
        .env("CONFIG_SERVICE__MASTER_KEY_ID", "k2")
        .env("CONFIG_SERVICE__MASTER_KEY", key_b64(2))
        .env(
            "CONFIG_SERVICE__PREVIOUS_KEYS",
            format!("[{{id=\"k1\", key=\"{}\"}}]", key_b64(1)),
        )
        .env("RUST_LOG", "debug")
        .output()
        .await
        .expect("config-service runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stdout,
        "re-encrypted the credentials of 3 tenant(s) under master key k2 (3 from k1)\n\
         every credential is sealed under k2; keys other than it can be removed from previous_keys\n"
    );
    for secret in ["Secret-Pa55word", &key_b64(1), &key_b64(2)] {
        assert!(!contains(&output.stdout, secret.as_bytes()));
        assert!(!contains(&output.stderr, secret.as_bytes()), "{stderr}");
    }
    let mut client = app.client.clone();
    for tenant in TENANTS {
        let credentials = resolve(&mut client, tenant).await.unwrap();
        assert_eq!(credentials.password, "Secret-Pa55word");
    }
    app.stop().await;
    assert_eq!(
        db.strings("SELECT DISTINCT key_id FROM credentials").await,
        ["k2"]
    );
}

both_backends!(
    rotation_keeps_every_credential_resolvable,
    rotation_runs_while_the_service_serves,
    a_set_credentials_racing_the_rotation_is_never_overwritten,
    rotation_reports_a_row_it_cannot_open_and_moves_the_rest,
    a_wrong_previous_key_fails_startup,
    the_rotate_key_command_moves_every_row_and_says_so,
);
