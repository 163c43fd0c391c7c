//! Reference data read from Octopus (bookyears with journals, VAT codes, accounts per bookyear),
//! stored per dossier so that replicas and restarts do not spend Octopus's small daily caps
//! again; plus the journals' last document numbers that bookings learn.

use sqlx::Row as _;

use super::{Backend, Store, StoreError, on_backend};

/// One stored piece of reference data: an encoded message, when it was read, and whether a
/// booking showed it stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReference {
    pub body: Vec<u8>,
    pub fetched_at_ms: i64,
    pub stale: bool,
}

const LOAD: &str =
    "SELECT body, fetched_at_ms, stale FROM reference_data WHERE dossier_id = $1 AND kind = $2";

const SAVE: &str = "INSERT INTO reference_data (dossier_id, kind, body, fetched_at_ms, stale)
     VALUES ($1, $2, $3, $4, FALSE)
     ON CONFLICT (dossier_id, kind) DO UPDATE SET body = excluded.body,
         fetched_at_ms = excluded.fetched_at_ms, stale = FALSE";

const MARK_STALE: &str =
    "UPDATE reference_data SET stale = TRUE WHERE dossier_id = $1 AND kind = $2";

const RAISE_LAST_SQLITE: &str =
    "INSERT INTO journal_last (dossier_id, bookyear_id, journal_key, last_nr)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (dossier_id, bookyear_id, journal_key)
     DO UPDATE SET last_nr = MAX(journal_last.last_nr, excluded.last_nr)";

const RAISE_LAST_POSTGRES: &str =
    "INSERT INTO journal_last (dossier_id, bookyear_id, journal_key, last_nr)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (dossier_id, bookyear_id, journal_key)
     DO UPDATE SET last_nr = GREATEST(journal_last.last_nr, excluded.last_nr)";

const LIST_LAST: &str =
    "SELECT bookyear_id, journal_key, last_nr FROM journal_last WHERE dossier_id = $1";

impl Store {
    /// The stored reference data of `kind` for `dossier_id`.
    pub async fn load_reference(
        &self,
        dossier_id: i32,
        kind: &str,
    ) -> Result<Option<StoredReference>, StoreError> {
        on_backend!(
            self,
            LOAD,
            LOAD,
            [dossier_id, kind],
            fetch_optional,
            |row| {
                match row {
                    Some(row) => Ok(Some(StoredReference {
                        body: row.try_get("body")?,
                        fetched_at_ms: row.try_get("fetched_at_ms")?,
                        stale: row.try_get("stale")?,
                    })),
                    None => Ok(None),
                }
            }
        )
    }

    /// Stores freshly read reference data (not stale).
    pub async fn save_reference(
        &self,
        dossier_id: i32,
        kind: &str,
        body: &[u8],
        fetched_at_ms: i64,
    ) -> Result<(), StoreError> {
        on_backend!(
            self,
            SAVE,
            SAVE,
            [dossier_id, kind, body, fetched_at_ms],
            execute,
            |_done| Ok(())
        )
    }

    /// Marks reference data stale: the next snapshot reads it again.
    pub async fn mark_reference_stale(
        &self,
        dossier_id: i32,
        kind: &str,
    ) -> Result<(), StoreError> {
        on_backend!(
            self,
            MARK_STALE,
            MARK_STALE,
            [dossier_id, kind],
            execute,
            |_done| Ok(())
        )
    }

    /// Forgets the last numbers bookings learned: a fresh read of the journals from Octopus is
    /// the truth from now on (a booking deleted or a journal reset in Octopus shows up).
    pub async fn clear_journal_lasts(&self, dossier_id: i32) -> Result<(), StoreError> {
        on_backend!(
            self,
            "DELETE FROM journal_last WHERE dossier_id = $1",
            "DELETE FROM journal_last WHERE dossier_id = $1",
            [dossier_id],
            execute,
            |_done| Ok(())
        )
    }

    /// Raises a journal's known last document number to at least `last_nr`.
    pub async fn raise_journal_last(
        &self,
        dossier_id: i32,
        bookyear_id: i32,
        journal_key: &str,
        last_nr: i32,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query(RAISE_LAST_SQLITE)
                    .bind(dossier_id)
                    .bind(bookyear_id)
                    .bind(journal_key)
                    .bind(last_nr)
                    .execute(pool)
                    .await?;
            }
            Backend::Postgres(pool) => {
                // Informative and only ever raised: losing it in a server crash costs nothing,
                // so it does not wait for a disk flush (quota counts always do).
                let mut transaction = pool.begin().await?;
                sqlx::query("SET LOCAL synchronous_commit TO OFF")
                    .execute(&mut *transaction)
                    .await?;
                sqlx::query(RAISE_LAST_POSTGRES)
                    .bind(dossier_id)
                    .bind(bookyear_id)
                    .bind(journal_key)
                    .bind(last_nr)
                    .execute(&mut *transaction)
                    .await?;
                transaction.commit().await?;
            }
        }
        Ok(())
    }

    /// The last document numbers bookings learned: (bookyear id, journal key, number).
    pub async fn journal_lasts(
        &self,
        dossier_id: i32,
    ) -> Result<Vec<(i32, String, i32)>, StoreError> {
        on_backend!(
            self,
            LIST_LAST,
            LIST_LAST,
            [dossier_id],
            fetch_all,
            |rows| {
                let mut lasts = Vec::with_capacity(rows.len());
                for row in rows {
                    lasts.push((
                        row.try_get("bookyear_id")?,
                        row.try_get("journal_key")?,
                        row.try_get("last_nr")?,
                    ));
                }
                Ok(lasts)
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_marks_stale_and_refreshes() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        assert_eq!(store.load_reference(7, "vat_codes").await.unwrap(), None);
        store
            .save_reference(7, "vat_codes", b"abc", 100)
            .await
            .unwrap();
        store.mark_reference_stale(7, "vat_codes").await.unwrap();
        let stale = store.load_reference(7, "vat_codes").await.unwrap().unwrap();
        assert_eq!(
            (stale.body.as_slice(), stale.fetched_at_ms, stale.stale),
            (&b"abc"[..], 100, true)
        );
        store
            .save_reference(7, "vat_codes", b"xyz", 200)
            .await
            .unwrap();
        let fresh = store.load_reference(7, "vat_codes").await.unwrap().unwrap();
        assert_eq!((fresh.body.as_slice(), fresh.stale), (&b"xyz"[..], false));
    }

    #[tokio::test]
    async fn journal_lasts_only_rise() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        store.raise_journal_last(7, 2, "V1", 6).await.unwrap();
        store.raise_journal_last(7, 2, "V1", 4).await.unwrap();
        store.raise_journal_last(7, 2, "V2", 1).await.unwrap();
        store.raise_journal_last(8, 2, "V1", 9).await.unwrap();
        let mut lasts = store.journal_lasts(7).await.unwrap();
        lasts.sort();
        assert_eq!(lasts, [(2, "V1".to_owned(), 6), (2, "V2".to_owned(), 1)]);
    }
}
