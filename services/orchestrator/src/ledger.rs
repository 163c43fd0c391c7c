//! The durable ledger (SQLite embedded): runs, the Octopus relation of each customer per dossier,
//! and each invoice's booking state per dossier. All of the orchestrator's SQL lives here.
//!
//! Invariant: an invoice whose row says `booked` is never sent again to that dossier.

use std::str::FromStr as _;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row as _, SqlitePool};

use crate::error::OrchestratorError;

/// A customer's relation in one dossier, as last sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRecord {
    pub relation_key: i32,
    pub external_relation_id: i32,
    pub payload_hash: String,
}

/// Where an invoice was booked in one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRecord {
    pub invoice_id: i64,
    pub bookyear_id: i32,
    pub journal_key: String,
    pub document_sequence_nr: i32,
    pub bookyear_period_nr: i32,
    pub amount: String,
    pub payload_hash: String,
}

fn run_row(row: sqlx::sqlite::SqliteRow) -> RunRow {
    RunRow {
        run_id: row.get(0),
        tenant_id: row.get(1),
        location: row.get(2),
        dossier_id: row.get(3),
        status: row.get(4),
        started_at: row.get(5),
        finished_at: row.get(6),
        dry_run: row.get(7),
        request_json: row.get(8),
    }
}

/// Booking states stored in the ledger: `sending` (the intent, written before the POST),
/// `booked` (Octopus holds it), `not_stored` (Octopus answered without storing it) and
/// `requeued` (a re-queue asked to check it with Octopus again).
pub const SENDING: &str = "sending";
pub const BOOKED: &str = "booked";

/// Handle on the ledger database.
#[derive(Debug, Clone)]
pub struct Ledger {
    pool: SqlitePool,
}

/// Timestamps are fixed-width UTC text so that SQL compares them correctly as strings.
fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn now() -> String {
    timestamp(chrono::Utc::now())
}

/// One run in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub run_id: String,
    pub tenant_id: String,
    pub location: String,
    pub dossier_id: i32,
    pub status: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub dry_run: bool,
    pub request_json: String,
}

impl Ledger {
    /// Opens (creating if needed) the ledger and applies its migrations.
    pub async fn open(database_url: &str) -> Result<Self, OrchestratorError> {
        let options = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(10));
        // Every connection to `sqlite::memory:` is its own database, so tests get exactly one.
        let max_connections = if database_url.contains(":memory:") {
            1
        } else {
            4
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Records the start of a run.
    pub async fn insert_run(
        &self,
        run_id: &str,
        tenant_id: &str,
        location: &str,
        dossier_id: i32,
        request_json: &str,
        dry_run: bool,
    ) -> Result<(), OrchestratorError> {
        sqlx::query(
            "INSERT INTO runs (run_id, tenant_id, location, dossier_id, request_json, status, started_at, dry_run)
             VALUES (?, ?, ?, ?, ?, 'running', ?, ?)",
        )
        .bind(run_id)
        .bind(tenant_id)
        .bind(location)
        .bind(dossier_id)
        .bind(request_json)
        .bind(now())
        .bind(dry_run)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A tenant's runs, newest first.
    pub async fn list_runs(
        &self,
        tenant_id: &str,
        limit: u32,
    ) -> Result<Vec<RunRow>, OrchestratorError> {
        let rows = sqlx::query(
            "SELECT run_id, tenant_id, location, dossier_id, status, started_at, finished_at, dry_run, request_json
             FROM runs WHERE tenant_id = ? ORDER BY started_at DESC, run_id LIMIT ?",
        )
        .bind(tenant_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(run_row).collect())
    }

    /// Runs that were running when their process stopped (status still `running`).
    pub async fn unfinished_runs(&self) -> Result<Vec<RunRow>, OrchestratorError> {
        let rows = sqlx::query(
            "SELECT run_id, tenant_id, location, dossier_id, status, started_at, finished_at, dry_run, request_json
             FROM runs WHERE status = 'running' ORDER BY started_at",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(run_row).collect())
    }

    /// Takes the export lease of a dossier for `run_id`, unless another live run holds it.
    /// Returns the holder's run id when the dossier is busy.
    pub async fn try_lock(
        &self,
        dossier_id: i32,
        run_id: &str,
        lease: std::time::Duration,
    ) -> Result<Option<String>, OrchestratorError> {
        let now = chrono::Utc::now();
        let expires = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX);
        let taken = sqlx::query(
            "INSERT INTO dossier_locks (dossier_id, run_id, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (dossier_id) DO UPDATE SET run_id = excluded.run_id, expires_at = excluded.expires_at
             WHERE dossier_locks.expires_at < ? OR dossier_locks.run_id = excluded.run_id",
        )
        .bind(dossier_id)
        .bind(run_id)
        .bind(timestamp(expires))
        .bind(timestamp(now))
        .execute(&self.pool)
        .await?
        .rows_affected();
        if taken == 1 {
            return Ok(None);
        }
        let holder = sqlx::query("SELECT run_id FROM dossier_locks WHERE dossier_id = ?")
            .bind(dossier_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(Some(holder.map(|row| row.get(0)).unwrap_or_default()))
    }

    /// Whether a live (unexpired) lease is held on the dossier.
    pub async fn lock_is_live(&self, dossier_id: i32) -> Result<bool, OrchestratorError> {
        let row =
            sqlx::query("SELECT 1 FROM dossier_locks WHERE dossier_id = ? AND expires_at >= ?")
                .bind(dossier_id)
                .bind(now())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// Extends the lease of the run that holds it; false when it no longer does.
    pub async fn renew_lock(
        &self,
        dossier_id: i32,
        run_id: &str,
        lease: std::time::Duration,
    ) -> Result<bool, OrchestratorError> {
        let expires =
            chrono::Utc::now() + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX);
        let renewed = sqlx::query(
            "UPDATE dossier_locks SET expires_at = ? WHERE dossier_id = ? AND run_id = ?",
        )
        .bind(timestamp(expires))
        .bind(dossier_id)
        .bind(run_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(renewed == 1)
    }

    /// Gives a dossier's lease back.
    pub async fn release_lock(
        &self,
        dossier_id: i32,
        run_id: &str,
    ) -> Result<(), OrchestratorError> {
        sqlx::query("DELETE FROM dossier_locks WHERE dossier_id = ? AND run_id = ?")
            .bind(dossier_id)
            .bind(run_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks booked invoices of a dossier to be checked with Octopus again on the next export.
    pub async fn requeue(
        &self,
        dossier_id: i32,
        invoice_ids: &[i64],
    ) -> Result<u32, OrchestratorError> {
        let mut requeued = 0u64;
        let mut tx = self.pool.begin().await?;
        for id in invoice_ids {
            requeued += sqlx::query(
                "UPDATE bookings SET state = 'requeued', updated_at = ? WHERE dossier_id = ? AND invoice_id = ? AND state = 'booked'",
            )
            .bind(now())
            .bind(dossier_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(u32::try_from(requeued).unwrap_or(u32::MAX))
    }

    /// Stores a finished run's status and report.
    pub async fn finish_run(
        &self,
        run_id: &str,
        status: &str,
        report_json: &str,
    ) -> Result<(), OrchestratorError> {
        sqlx::query(
            "UPDATE runs SET status = ?, finished_at = ?, report_json = ? WHERE run_id = ?",
        )
        .bind(status)
        .bind(now())
        .bind(report_json)
        .bind(run_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Schedules a finished run's deferred items to be exported again at `resume_at`.
    pub async fn schedule_resume(
        &self,
        run_id: &str,
        resume_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), OrchestratorError> {
        sqlx::query("UPDATE runs SET resume_at = ? WHERE run_id = ?")
            .bind(timestamp(resume_at))
            .bind(run_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Runs whose deferred items are due at `now` and that no later run has taken over.
    pub async fn due_resumptions(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<RunRow>, OrchestratorError> {
        let rows = sqlx::query(
            "SELECT run_id, tenant_id, location, dossier_id, status, started_at, finished_at, dry_run, request_json
             FROM runs WHERE resume_at IS NOT NULL AND resume_at <= ? AND resumed_by IS NULL ORDER BY resume_at",
        )
        .bind(timestamp(now))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(run_row).collect())
    }

    /// Records which run took over a deferred run's items.
    pub async fn mark_resumed(&self, run_id: &str, by: &str) -> Result<(), OrchestratorError> {
        sqlx::query("UPDATE runs SET resumed_by = ? WHERE run_id = ?")
            .bind(by)
            .bind(run_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A finished run's report as JSON; `None` when the run is unknown or still running.
    pub async fn run_report(&self, run_id: &str) -> Result<Option<String>, OrchestratorError> {
        let row = sqlx::query("SELECT report_json FROM runs WHERE run_id = ?")
            .bind(run_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|row| row.get::<Option<String>, _>(0)))
    }

    /// The relation last sent for a customer to a dossier.
    pub async fn relation(
        &self,
        dossier_id: i32,
        customer_id: i64,
    ) -> Result<Option<RelationRecord>, OrchestratorError> {
        let row = sqlx::query(
            "SELECT relation_key, external_relation_id, payload_hash FROM relations
             WHERE dossier_id = ? AND customer_id = ?",
        )
        .bind(dossier_id)
        .bind(customer_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| RelationRecord {
            relation_key: row.get(0),
            external_relation_id: row.get(1),
            payload_hash: row.get(2),
        }))
    }

    /// Records what was sent for a customer and the key Octopus gave it.
    pub async fn upsert_relation(
        &self,
        dossier_id: i32,
        customer_id: i64,
        record: &RelationRecord,
        run_id: &str,
    ) -> Result<(), OrchestratorError> {
        sqlx::query(
            "INSERT INTO relations (dossier_id, customer_id, relation_key, external_relation_id, payload_hash, run_id, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (dossier_id, customer_id) DO UPDATE SET
               relation_key = excluded.relation_key,
               external_relation_id = excluded.external_relation_id,
               payload_hash = excluded.payload_hash,
               run_id = excluded.run_id,
               updated_at = excluded.updated_at",
        )
        .bind(dossier_id)
        .bind(customer_id)
        .bind(record.relation_key)
        .bind(record.external_relation_id)
        .bind(&record.payload_hash)
        .bind(run_id)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The invoice's booking in a dossier, if the ledger says it is booked.
    pub async fn booked(
        &self,
        dossier_id: i32,
        invoice_id: i64,
    ) -> Result<Option<BookingRecord>, OrchestratorError> {
        let row = sqlx::query(
            "SELECT invoice_id, bookyear_id, journal_key, document_sequence_nr, bookyear_period_nr, amount, payload_hash
             FROM bookings WHERE dossier_id = ? AND invoice_id = ? AND state = ?",
        )
        .bind(dossier_id)
        .bind(invoice_id)
        .bind(BOOKED)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| BookingRecord {
            invoice_id: row.get(0),
            bookyear_id: row.get(1),
            journal_key: row.get(2),
            document_sequence_nr: row.get(3),
            bookyear_period_nr: row.get(4),
            amount: row.get(5),
            payload_hash: row.get(6),
        }))
    }

    /// Writes the intent to send a booking before the call, so a crash leaves a trace to settle.
    pub async fn record_intent(
        &self,
        dossier_id: i32,
        record: &BookingRecord,
        run_id: &str,
    ) -> Result<(), OrchestratorError> {
        self.write_booking(dossier_id, record, run_id, SENDING)
            .await
    }

    /// Marks a booking as held by Octopus.
    pub async fn record_booked(
        &self,
        dossier_id: i32,
        record: &BookingRecord,
        run_id: &str,
    ) -> Result<(), OrchestratorError> {
        self.write_booking(dossier_id, record, run_id, BOOKED).await
    }

    /// Clears an intent that Octopus answered without storing anything (refused or deferred).
    pub async fn record_not_stored(
        &self,
        dossier_id: i32,
        invoice_id: i64,
    ) -> Result<(), OrchestratorError> {
        sqlx::query(
            "UPDATE bookings SET state = 'not_stored', updated_at = ? WHERE dossier_id = ? AND invoice_id = ? AND state = 'sending'",
        )
        .bind(now())
        .bind(dossier_id)
        .bind(invoice_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn write_booking(
        &self,
        dossier_id: i32,
        record: &BookingRecord,
        run_id: &str,
        state: &str,
    ) -> Result<(), OrchestratorError> {
        sqlx::query(
            "INSERT INTO bookings (dossier_id, invoice_id, bookyear_id, journal_key, document_sequence_nr,
                                   bookyear_period_nr, amount, payload_hash, state, run_id, attempts, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
             ON CONFLICT (dossier_id, invoice_id) DO UPDATE SET
               bookyear_id = excluded.bookyear_id,
               journal_key = excluded.journal_key,
               document_sequence_nr = excluded.document_sequence_nr,
               bookyear_period_nr = excluded.bookyear_period_nr,
               amount = excluded.amount,
               payload_hash = excluded.payload_hash,
               state = excluded.state,
               run_id = excluded.run_id,
               attempts = bookings.attempts + (excluded.state = 'sending'),
               updated_at = excluded.updated_at",
        )
        .bind(dossier_id)
        .bind(record.invoice_id)
        .bind(record.bookyear_id)
        .bind(&record.journal_key)
        .bind(record.document_sequence_nr)
        .bind(record.bookyear_period_nr)
        .bind(&record.amount)
        .bind(&record.payload_hash)
        .bind(state)
        .bind(run_id)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> BookingRecord {
        BookingRecord {
            invoice_id: 42,
            bookyear_id: 1,
            journal_key: "V1".into(),
            document_sequence_nr: 7,
            bookyear_period_nr: 202503,
            amount: "121.00".into(),
            payload_hash: "h".into(),
        }
    }

    #[tokio::test]
    async fn an_intent_is_not_a_booking_until_recorded_booked() {
        let ledger = Ledger::open("sqlite::memory:").await.unwrap();
        ledger.record_intent(9, &record(), "r1").await.unwrap();
        assert_eq!(ledger.booked(9, 42).await.unwrap(), None);
        ledger.record_booked(9, &record(), "r1").await.unwrap();
        assert_eq!(ledger.booked(9, 42).await.unwrap(), Some(record()));
        // Another dossier knows nothing of it.
        assert_eq!(ledger.booked(10, 42).await.unwrap(), None);
    }

    #[tokio::test]
    async fn relations_are_per_dossier_and_updated_in_place() {
        let ledger = Ledger::open("sqlite::memory:").await.unwrap();
        let mut relation = RelationRecord {
            relation_key: 5,
            external_relation_id: 1001,
            payload_hash: "a".into(),
        };
        ledger
            .upsert_relation(1, 1001, &relation, "r1")
            .await
            .unwrap();
        relation.payload_hash = "b".into();
        ledger
            .upsert_relation(1, 1001, &relation, "r2")
            .await
            .unwrap();
        assert_eq!(ledger.relation(1, 1001).await.unwrap(), Some(relation));
        assert_eq!(ledger.relation(2, 1001).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_dossier_lease_admits_one_run_and_expires_when_its_holder_dies() {
        let ledger = Ledger::open("sqlite::memory:").await.unwrap();
        let lease = std::time::Duration::from_secs(60);
        assert_eq!(ledger.try_lock(7, "run-a", lease).await.unwrap(), None);
        // The holder may take it again (a resumed run); another run may not.
        assert_eq!(ledger.try_lock(7, "run-a", lease).await.unwrap(), None);
        assert_eq!(
            ledger.try_lock(7, "run-b", lease).await.unwrap(),
            Some("run-a".into())
        );
        // Another dossier is independent.
        assert_eq!(ledger.try_lock(8, "run-b", lease).await.unwrap(), None);
        assert!(ledger.renew_lock(7, "run-a", lease).await.unwrap());
        assert!(!ledger.renew_lock(7, "run-b", lease).await.unwrap());

        // A lease that ran out (its process died) is taken over.
        ledger
            .try_lock(9, "dead", std::time::Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(ledger.try_lock(9, "run-c", lease).await.unwrap(), None);

        ledger.release_lock(7, "run-a").await.unwrap();
        assert_eq!(ledger.try_lock(7, "run-b", lease).await.unwrap(), None);
    }

    #[tokio::test]
    async fn requeue_only_touches_booked_invoices_of_that_dossier() {
        let ledger = Ledger::open("sqlite::memory:").await.unwrap();
        ledger.record_booked(1, &record(), "r1").await.unwrap();
        assert_eq!(ledger.requeue(2, &[42]).await.unwrap(), 0);
        assert_eq!(ledger.requeue(1, &[42, 43]).await.unwrap(), 1);
        assert_eq!(ledger.booked(1, 42).await.unwrap(), None);
        assert_eq!(ledger.requeue(1, &[42]).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn deferred_runs_come_due_once() {
        let ledger = Ledger::open("sqlite::memory:").await.unwrap();
        ledger
            .insert_run("r1", "t", "L", 1, "{}", false)
            .await
            .unwrap();
        ledger
            .insert_run("r2", "t", "L", 1, "{}", false)
            .await
            .unwrap();
        let past = chrono::Utc::now() - chrono::Duration::seconds(1);
        let future = chrono::Utc::now() + chrono::Duration::hours(1);
        ledger.schedule_resume("r1", past).await.unwrap();
        ledger.schedule_resume("r2", future).await.unwrap();
        let due: Vec<String> = ledger
            .due_resumptions(chrono::Utc::now())
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.run_id)
            .collect();
        assert_eq!(due, vec!["r1".to_owned()]);
        ledger.mark_resumed("r1", "r3").await.unwrap();
        assert!(
            ledger
                .due_resumptions(chrono::Utc::now())
                .await
                .unwrap()
                .is_empty()
        );
    }
}
