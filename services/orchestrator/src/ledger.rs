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

/// Booking states stored in the ledger.
pub const SENDING: &str = "sending";
pub const BOOKED: &str = "booked";

/// Handle on the ledger database.
#[derive(Debug, Clone)]
pub struct Ledger {
    pool: SqlitePool,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
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
    ) -> Result<(), OrchestratorError> {
        sqlx::query(
            "INSERT INTO runs (run_id, tenant_id, location, dossier_id, request_json, status, started_at)
             VALUES (?, ?, ?, ?, ?, 'running', ?)",
        )
        .bind(run_id)
        .bind(tenant_id)
        .bind(location)
        .bind(dossier_id)
        .bind(request_json)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
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
}
