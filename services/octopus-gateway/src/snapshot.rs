//! GetDossierSnapshot: bookyears with the open ones' journals, VAT codes and accounts, kept in
//! the shared store so replicas and restarts do not spend Octopus's caps again. Bookyears and
//! journals (24 reads a day) are read again after `snapshot_refresh_minutes` or when a booking
//! showed them stale (-14, unknown journal); VAT codes and accounts (2 reads a day) once per
//! Brussels day. A refresh Octopus cannot serve now (cap reached, unavailable) falls back to the
//! stored copy. Bookings raise the journals' last document numbers as they go.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ox_proto::gateway::v1::{Account, Bookyear, DossierSnapshot, OctopusJournal, VatCode};
use prost::Message as _;

use crate::brussels::brussels_day;
use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::http::{Endpoint, HttpCall};
use crate::session::DossierKey;
use crate::store::StoredReference;
use crate::wire::{AccountData, BookyearData, JournalData, VatCodeData};

/// Bookyears with the journals of the open ones.
const STRUCTURE: &str = "structure";

/// A piece of reference data, read and stored as one.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// Bookyears and the open ones' journals.
    Structure,
    VatCodes,
    /// Accounts of one bookyear.
    Accounts(i32),
}

impl Piece {
    fn kind(self) -> String {
        match self {
            Piece::Structure => STRUCTURE.to_owned(),
            Piece::VatCodes => "vat_codes".to_owned(),
            Piece::Accounts(bookyear_id) => format!("accounts/{bookyear_id}"),
        }
    }
}

/// One lock per dossier, so concurrent requests on one replica spend the caps once.
#[derive(Debug, Default)]
pub struct SnapshotLocks {
    slots: std::sync::Mutex<HashMap<i32, Arc<tokio::sync::Mutex<()>>>>,
}

impl SnapshotLocks {
    fn slot(&self, dossier_id: i32) -> Arc<tokio::sync::Mutex<()>> {
        let mut slots = self
            .slots
            .lock()
            .expect("the snapshot lock map is never poisoned");
        slots.entry(dossier_id).or_default().clone()
    }
}

/// When stored reference data must be read again.
#[derive(Debug, Clone, Copy)]
enum Freshness {
    /// After this long.
    Age(Duration),
    /// On the next Brussels day.
    Daily,
}

impl Freshness {
    fn holds(self, stored: &StoredReference, now: DateTime<Utc>) -> bool {
        if stored.stale {
            return false;
        }
        let Some(fetched) = DateTime::<Utc>::from_timestamp_millis(stored.fetched_at_ms) else {
            return false;
        };
        match self {
            Freshness::Age(limit) => (now - fetched).to_std().is_ok_and(|age| age < limit),
            Freshness::Daily => brussels_day(fetched) == brussels_day(now) && fetched <= now,
        }
    }
}

/// Whether a stored copy may stand in for a refresh that failed this way.
fn can_fall_back(error: &GatewayError) -> bool {
    matches!(
        error,
        GatewayError::Deferred(_) | GatewayError::OctopusUnavailable { .. }
    )
}

impl Gateway {
    /// The dossier's reference data, from the store or read from Octopus (then stored).
    pub async fn snapshot(
        &self,
        key: &DossierKey,
        calls: &mut Calls,
    ) -> Result<DossierSnapshot, GatewayError> {
        let lock = self.snapshot_locks.slot(key.dossier_id);
        let _guard = lock.lock().await;
        let refresh = Freshness::Age(self.snapshot_refresh);
        let structure = self
            .reference(key, Piece::Structure, refresh, calls)
            .await?
            .unwrap_or_default();
        let vat_codes = self
            .reference(key, Piece::VatCodes, Freshness::Daily, calls)
            .await?
            .unwrap_or_default()
            .vat_codes;
        let mut open: Vec<&Bookyear> = structure
            .bookyears
            .iter()
            .filter(|bookyear| !bookyear.closed)
            .collect();
        // Newest first: when the cap (2 a day) cannot serve every open year, the old ones wait.
        open.sort_by(|a, b| b.end_date.cmp(&a.end_date));
        let mut newest_first: Vec<Vec<Account>> = Vec::new();
        for bookyear in open {
            let piece = Piece::Accounts(bookyear.id);
            // Accounts are informative: a bookyear the cap cannot serve is left out.
            match self.reference(key, piece, Freshness::Daily, calls).await {
                Ok(Some(stored)) => newest_first.push(stored.accounts),
                Ok(None) => {}
                Err(error) if can_fall_back(&error) => tracing::warn!(
                    dossier_id = key.dossier_id,
                    bookyear_id = bookyear.id,
                    error = %error,
                    "accounts of a bookyear left out of the snapshot"
                ),
                Err(error) => return Err(error),
            }
        }
        let accounts: Vec<Account> = newest_first.into_iter().rev().flatten().collect();
        let mut journals = structure.journals;
        for (bookyear_id, journal_key, last) in self.store.journal_lasts(key.dossier_id).await? {
            if let Some(journal) = journals.iter_mut().find(|journal| {
                journal.bookyear_id == bookyear_id
                    && journal.journal_key.eq_ignore_ascii_case(&journal_key)
            }) {
                journal.last_booked_document_nr = journal.last_booked_document_nr.max(last);
            }
        }
        Ok(DossierSnapshot {
            dossier_id: key.dossier_id,
            bookyears: structure.bookyears,
            journals,
            vat_codes,
            accounts,
        })
    }

    /// Marks the dossier's bookyears and journals stale (a booking met -14 or an unknown
    /// journal): the next snapshot reads them again, on whichever replica.
    pub async fn mark_structure_stale(&self, dossier_id: i32) -> Result<(), GatewayError> {
        self.store
            .mark_reference_stale(dossier_id, STRUCTURE)
            .await?;
        tracing::info!(dossier_id, "dossier bookyears and journals marked stale");
        Ok(())
    }

    /// Raises the known last document number of a journal after a booking.
    pub async fn raise_last_booked(
        &self,
        dossier_id: i32,
        bookyear_id: i32,
        journal_key: &str,
        number: i32,
    ) -> Result<(), GatewayError> {
        self.store
            .raise_journal_last(
                dossier_id,
                bookyear_id,
                &journal_key.to_ascii_uppercase(),
                number,
            )
            .await?;
        Ok(())
    }

    /// Stored `piece` while `freshness` holds, else read from Octopus and stored; the stored
    /// copy when the read fails for want of quota or of Octopus. `None` when there is neither.
    async fn reference(
        &self,
        key: &DossierKey,
        piece: Piece,
        freshness: Freshness,
        calls: &mut Calls,
    ) -> Result<Option<DossierSnapshot>, GatewayError> {
        let kind = piece.kind();
        let kind = kind.as_str();
        let stored = self.store.load_reference(key.dossier_id, kind).await?;
        let decoded = stored
            .as_ref()
            .and_then(|stored| DossierSnapshot::decode(stored.body.as_slice()).ok());
        if let (Some(stored), Some(decoded)) = (&stored, &decoded)
            && freshness.holds(stored, self.clock.now())
        {
            return Ok(Some(decoded.clone()));
        }
        let fetched_at_ms = self.clock.now_ms();
        let read = match piece {
            Piece::Structure => self.read_structure(key, calls).await,
            Piece::VatCodes => self.read_vat_codes(key, calls).await,
            Piece::Accounts(bookyear_id) => self.read_accounts(key, bookyear_id, calls).await,
        };
        match read {
            Ok(read) => {
                self.store
                    .save_reference(key.dossier_id, kind, &read.encode_to_vec(), fetched_at_ms)
                    .await?;
                if matches!(piece, Piece::Structure) {
                    // The journals just read carry Octopus's own last numbers: bookings learned
                    // before this read no longer add anything, and could hide a lower number.
                    self.store.clear_journal_lasts(key.dossier_id).await?;
                }
                Ok(Some(read))
            }
            Err(error) if can_fall_back(&error) && decoded.is_some() => {
                tracing::warn!(
                    dossier_id = key.dossier_id,
                    kind,
                    error = %error,
                    "serving stored reference data instead of a refresh"
                );
                Ok(decoded)
            }
            Err(error) => Err(error),
        }
    }

    async fn read_structure(
        &self,
        key: &DossierKey,
        calls: &mut Calls,
    ) -> Result<DossierSnapshot, GatewayError> {
        let dossier_id = key.dossier_id;
        let bookyears: Vec<BookyearData> = self
            .octopus
            .get_list(key, HttpCall::new(Endpoint::Bookyears, dossier_id), calls)
            .await?;
        let bookyears: Vec<Bookyear> = bookyears.into_iter().map(Bookyear::from).collect();
        let mut journals: Vec<OctopusJournal> = Vec::new();
        for bookyear in bookyears.iter().filter(|bookyear| !bookyear.closed) {
            let bookyear_id = bookyear.id;
            let call = HttpCall::new(Endpoint::Journals { bookyear_id }, dossier_id);
            let read: Vec<JournalData> = self.octopus.get_list(key, call, calls).await?;
            journals.extend(
                read.into_iter()
                    .map(|journal| journal.into_proto(bookyear_id)),
            );
        }
        tracing::info!(
            dossier_id,
            bookyears = bookyears.len(),
            journals = journals.len(),
            "dossier bookyears and journals read from octopus"
        );
        Ok(DossierSnapshot {
            dossier_id,
            bookyears,
            journals,
            ..DossierSnapshot::default()
        })
    }

    async fn read_vat_codes(
        &self,
        key: &DossierKey,
        calls: &mut Calls,
    ) -> Result<DossierSnapshot, GatewayError> {
        let call = HttpCall::new(Endpoint::VatCodes, key.dossier_id);
        let vat_codes: Vec<VatCodeData> = self.octopus.get_list(key, call, calls).await?;
        Ok(DossierSnapshot {
            dossier_id: key.dossier_id,
            vat_codes: vat_codes.into_iter().map(VatCode::from).collect(),
            ..DossierSnapshot::default()
        })
    }

    async fn read_accounts(
        &self,
        key: &DossierKey,
        bookyear_id: i32,
        calls: &mut Calls,
    ) -> Result<DossierSnapshot, GatewayError> {
        let call =
            HttpCall::new(Endpoint::Accounts, key.dossier_id).query("bookyearId", bookyear_id);
        let read: Vec<AccountData> = self.octopus.get_list(key, call, calls).await?;
        Ok(DossierSnapshot {
            dossier_id: key.dossier_id,
            accounts: read
                .into_iter()
                .map(|account| account.into_proto(bookyear_id))
                .collect(),
            ..DossierSnapshot::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn stored(fetched: DateTime<Utc>, stale: bool) -> StoredReference {
        StoredReference {
            body: Vec::new(),
            fetched_at_ms: fetched.timestamp_millis(),
            stale,
        }
    }

    #[test]
    fn freshness_by_age_and_by_brussels_day() {
        let fetched = Utc.with_ymd_and_hms(2026, 12, 3, 22, 30, 0).unwrap();
        let age = Freshness::Age(Duration::from_secs(3 * 3600));
        assert!(age.holds(
            &stored(fetched, false),
            fetched + chrono::Duration::hours(2)
        ));
        assert!(!age.holds(
            &stored(fetched, false),
            fetched + chrono::Duration::hours(3)
        ));
        assert!(!age.holds(&stored(fetched, true), fetched));
        // 22:30 UTC is 23:30 in Brussels: the day ends 30 minutes later.
        let daily = Freshness::Daily;
        assert!(daily.holds(
            &stored(fetched, false),
            fetched + chrono::Duration::minutes(29)
        ));
        assert!(!daily.holds(
            &stored(fetched, false),
            fetched + chrono::Duration::minutes(31)
        ));
        assert!(!daily.holds(&stored(fetched, true), fetched));
    }
}
