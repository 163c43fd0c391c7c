//! Daily call counters: reserve one call atomically, so replicas sharing the store can never
//! pass a cap together.

use sqlx::Row as _;

use super::{Store, StoreError, on_backend};

/// Counts one call, unless `used` already reached `cap`. One statement, so it is atomic on both
/// backends: PostgreSQL re-checks the `WHERE` on the row it locked, SQLite writes serially.
const RESERVE: &str =
    "INSERT INTO quota_usage (dossier_id, endpoint, day, used) VALUES ($1, $2, $3, 1)
     ON CONFLICT (dossier_id, endpoint, day) DO UPDATE SET used = quota_usage.used + 1
     WHERE quota_usage.used < $4
     RETURNING used";

const USAGE: &str =
    "SELECT used FROM quota_usage WHERE dossier_id = $1 AND endpoint = $2 AND day = $3";

const PRUNE: &str = "DELETE FROM quota_usage WHERE day < $1";

impl Store {
    /// Reserves one call of `endpoint` for `dossier_id` on Brussels day `day` (`YYYY-MM-DD`).
    /// Returns false, counting nothing, when `cap` calls were already reserved.
    pub async fn reserve(
        &self,
        dossier_id: i32,
        endpoint: &str,
        day: &str,
        cap: u32,
    ) -> Result<bool, StoreError> {
        if cap == 0 {
            return Ok(false);
        }
        let cap = i64::from(cap);
        on_backend!(
            self,
            RESERVE,
            RESERVE,
            [dossier_id, endpoint, day, cap],
            fetch_optional,
            |row| Ok(row.is_some())
        )
    }

    /// How many calls of `endpoint` were reserved for `dossier_id` on `day`.
    pub async fn usage(
        &self,
        dossier_id: i32,
        endpoint: &str,
        day: &str,
    ) -> Result<u64, StoreError> {
        on_backend!(
            self,
            USAGE,
            USAGE,
            [dossier_id, endpoint, day],
            fetch_optional,
            |row| {
                let used: i64 = match row {
                    Some(row) => row.try_get("used")?,
                    None => 0,
                };
                Ok(u64::try_from(used).unwrap_or_default())
            }
        )
    }

    /// Forgets the counters of days before `day`.
    pub async fn prune_usage(&self, day: &str) -> Result<u64, StoreError> {
        on_backend!(self, PRUNE, PRUNE, [day], execute, |done| Ok(
            done.rows_affected()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reserves_up_to_the_cap_per_dossier_endpoint_and_day() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let endpoint = "GET /dossiers/{dossierId}/vatcodes";
        assert!(store.reserve(7, endpoint, "2026-12-03", 2).await.unwrap());
        assert!(store.reserve(7, endpoint, "2026-12-03", 2).await.unwrap());
        assert!(!store.reserve(7, endpoint, "2026-12-03", 2).await.unwrap());
        assert_eq!(store.usage(7, endpoint, "2026-12-03").await.unwrap(), 2);
        // Another day, another dossier, another endpoint: their own counters.
        assert!(store.reserve(7, endpoint, "2026-12-04", 2).await.unwrap());
        assert!(store.reserve(8, endpoint, "2026-12-03", 2).await.unwrap());
        assert!(
            store
                .reserve(7, "POST /dossiers", "2026-12-03", 2)
                .await
                .unwrap()
        );
        assert!(!store.reserve(7, endpoint, "2026-12-05", 0).await.unwrap());
        assert_eq!(store.usage(7, endpoint, "2026-12-05").await.unwrap(), 0);

        assert_eq!(store.prune_usage("2026-12-04").await.unwrap(), 3);
        assert_eq!(store.usage(7, endpoint, "2026-12-04").await.unwrap(), 1);
    }
}
