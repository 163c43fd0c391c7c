//! Dossier sessions shared by replicas: the dossier token with the time it was issued, and a
//! short claim a replica takes while it logs in, so the others wait for its token instead of
//! spending their own connects (150 a day per dossier).

use std::fmt;

use sqlx::Row as _;

use super::{Store, StoreError, on_backend};

/// A dossier session as stored. Debug hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub base_url: String,
    pub dossier_token: String,
    pub issued_at_ms: i64,
}

impl fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredSession")
            .field("base_url", &self.base_url)
            .field("issued_at_ms", &self.issued_at_ms)
            .finish_non_exhaustive()
    }
}

const LOAD: &str = "SELECT base_url, dossier_token, issued_at_ms FROM sessions
     WHERE tenant_id = $1 AND dossier_id = $2 AND dossier_token <> ''";

/// Takes the claim unless another replica holds it or a session issued after `$4` exists.
const CLAIM: &str =
    "INSERT INTO sessions (tenant_id, dossier_id, claim_until_ms) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, dossier_id) DO UPDATE SET claim_until_ms = excluded.claim_until_ms
     WHERE sessions.claim_until_ms <= $5 AND sessions.issued_at_ms <= $4
     RETURNING dossier_id";

const SAVE: &str = "INSERT INTO sessions (tenant_id, dossier_id, base_url, dossier_token, issued_at_ms, claim_until_ms)
     VALUES ($1, $2, $3, $4, $5, 0)
     ON CONFLICT (tenant_id, dossier_id) DO UPDATE SET base_url = excluded.base_url,
         dossier_token = excluded.dossier_token, issued_at_ms = excluded.issued_at_ms,
         claim_until_ms = 0";

const RELEASE: &str =
    "UPDATE sessions SET claim_until_ms = 0 WHERE tenant_id = $1 AND dossier_id = $2";

const INVALIDATE: &str = "UPDATE sessions SET issued_at_ms = 0, dossier_token = ''
     WHERE tenant_id = $1 AND dossier_id = $2 AND dossier_token = $3";

impl Store {
    /// The stored session of (tenant, dossier), if any.
    pub async fn load_session(
        &self,
        tenant_id: &str,
        dossier_id: i32,
    ) -> Result<Option<StoredSession>, StoreError> {
        on_backend!(
            self,
            LOAD,
            LOAD,
            [tenant_id, dossier_id],
            fetch_optional,
            |row| {
                match row {
                    Some(row) => Ok(Some(StoredSession {
                        base_url: row.try_get("base_url")?,
                        dossier_token: row.try_get("dossier_token")?,
                        issued_at_ms: row.try_get("issued_at_ms")?,
                    })),
                    None => Ok(None),
                }
            }
        )
    }

    /// Claims the right to open a new session until `until_ms`. False when another replica
    /// holds an unexpired claim (at `now_ms`) or a session issued after `fresh_after_ms` exists.
    pub async fn claim_session(
        &self,
        tenant_id: &str,
        dossier_id: i32,
        until_ms: i64,
        fresh_after_ms: i64,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        on_backend!(
            self,
            CLAIM,
            CLAIM,
            [tenant_id, dossier_id, until_ms, fresh_after_ms, now_ms],
            fetch_optional,
            |row| Ok(row.is_some())
        )
    }

    /// Stores a new session and releases the claim.
    pub async fn save_session(
        &self,
        tenant_id: &str,
        dossier_id: i32,
        session: &StoredSession,
    ) -> Result<(), StoreError> {
        on_backend!(
            self,
            SAVE,
            SAVE,
            [
                tenant_id,
                dossier_id,
                session.base_url.as_str(),
                session.dossier_token.as_str(),
                session.issued_at_ms
            ],
            execute,
            |_done| Ok(())
        )
    }

    /// Releases a claim without storing a session (the login failed).
    pub async fn release_session_claim(
        &self,
        tenant_id: &str,
        dossier_id: i32,
    ) -> Result<(), StoreError> {
        on_backend!(
            self,
            RELEASE,
            RELEASE,
            [tenant_id, dossier_id],
            execute,
            |_done| Ok(())
        )
    }

    /// Forgets the session if it still holds `dossier_token` (Octopus refused it).
    pub async fn invalidate_session(
        &self,
        tenant_id: &str,
        dossier_id: i32,
        dossier_token: &str,
    ) -> Result<(), StoreError> {
        on_backend!(
            self,
            INVALIDATE,
            INVALIDATE,
            [tenant_id, dossier_id, dossier_token],
            execute,
            |_done| Ok(())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(token: &str, issued_at_ms: i64) -> StoredSession {
        StoredSession {
            base_url: "http://octopus".into(),
            dossier_token: token.into(),
            issued_at_ms,
        }
    }

    #[tokio::test]
    async fn one_replica_claims_and_the_others_wait_for_its_session() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        assert_eq!(store.load_session("t1", 7).await.unwrap(), None);
        // Replica A claims at t=1000 until t=5000; B cannot meanwhile.
        assert!(store.claim_session("t1", 7, 5_000, 0, 1_000).await.unwrap());
        assert!(!store.claim_session("t1", 7, 6_000, 0, 1_500).await.unwrap());
        assert_eq!(store.load_session("t1", 7).await.unwrap(), None);
        store
            .save_session("t1", 7, &session("tok-a", 1_200))
            .await
            .unwrap();
        let stored = store.load_session("t1", 7).await.unwrap().unwrap();
        assert_eq!(stored, session("tok-a", 1_200));
        assert!(!format!("{stored:?}").contains("tok-a"));
        // The session is fresh (issued after 1000): nobody claims.
        assert!(
            !store
                .claim_session("t1", 7, 9_000, 1_000, 2_000)
                .await
                .unwrap()
        );
        // Once it is old, the claim is free again.
        assert!(
            store
                .claim_session("t1", 7, 9_000, 1_500, 3_000)
                .await
                .unwrap()
        );
        store.release_session_claim("t1", 7).await.unwrap();
        assert!(
            store
                .claim_session("t1", 7, 9_000, 1_500, 3_000)
                .await
                .unwrap()
        );
        // An expired claim is free too.
        assert!(
            store
                .claim_session("t1", 7, 12_000, 1_500, 9_001)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn invalidates_only_the_refused_token() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        store
            .save_session("t1", 7, &session("tok-b", 10))
            .await
            .unwrap();
        store.invalidate_session("t1", 7, "tok-old").await.unwrap();
        assert!(store.load_session("t1", 7).await.unwrap().is_some());
        store.invalidate_session("t1", 7, "tok-b").await.unwrap();
        assert_eq!(store.load_session("t1", 7).await.unwrap(), None);
        assert_eq!(store.load_session("t2", 7).await.unwrap(), None);
    }
}
