//! GetDossierSnapshot: bookyears, their journals and accounts, and VAT codes, read once and
//! cached per dossier for the process's life (VAT codes and accounts allow 2 reads a day).
//! Bookings keep the cached journals' `lastBookedDocumentNr` current.

use std::collections::HashMap;
use std::sync::Arc;

use ox_proto::gateway::v1::{Account, Bookyear, DossierSnapshot, OctopusJournal, VatCode};

use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::http::{Endpoint, HttpCall};
use crate::session::DossierKey;
use crate::wire::{AccountData, BookyearData, JournalData, VatCodeData};

type Slot = Arc<tokio::sync::Mutex<Option<DossierSnapshot>>>;

/// Snapshots per (tenant, dossier).
#[derive(Debug, Default)]
pub struct SnapshotCache {
    slots: std::sync::Mutex<HashMap<DossierKey, Slot>>,
}

impl SnapshotCache {
    fn slot(&self, key: &DossierKey) -> Slot {
        let mut slots = self
            .slots
            .lock()
            .expect("the snapshot map is never poisoned");
        slots.entry(key.clone()).or_default().clone()
    }

    /// Forgets `key`'s snapshot (after Octopus said it no longer matches, e.g. error -14).
    pub async fn invalidate(&self, key: &DossierKey) {
        let slot = self.slot(key);
        *slot.lock().await = None;
        tracing::info!(
            dossier_id = key.dossier_id,
            "dossier snapshot dropped from the cache"
        );
    }

    /// Sets the cached last document number of a journal, if that journal is cached.
    /// `raise_only` keeps a higher cached number (a success only proves "at least").
    pub async fn set_last_booked(
        &self,
        key: &DossierKey,
        bookyear_id: i32,
        journal_key: &str,
        number: i32,
        raise_only: bool,
    ) {
        let slot = self.slot(key);
        let mut guard = slot.lock().await;
        let Some(snapshot) = guard.as_mut() else {
            return;
        };
        let journal = snapshot.journals.iter_mut().find(|journal| {
            journal.bookyear_id == bookyear_id
                && journal.journal_key.eq_ignore_ascii_case(journal_key)
        });
        if let Some(journal) = journal
            && (!raise_only || number > journal.last_booked_document_nr)
        {
            journal.last_booked_document_nr = number;
        }
    }
}

impl Gateway {
    /// The dossier's reference data, from the cache or read from Octopus (then cached).
    pub async fn snapshot(
        &self,
        key: &DossierKey,
        calls: &mut Calls,
    ) -> Result<DossierSnapshot, GatewayError> {
        let slot = self.snapshots.slot(key);
        // Held while reading so concurrent requests for one dossier spend the caps once.
        let mut guard = slot.lock().await;
        if let Some(snapshot) = guard.as_ref() {
            return Ok(snapshot.clone());
        }
        let snapshot = self.read_snapshot(key, calls).await?;
        *guard = Some(snapshot.clone());
        Ok(snapshot)
    }

    async fn read_snapshot(
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
        let open: Vec<i32> = bookyears
            .iter()
            .filter(|bookyear| !bookyear.closed)
            .map(|bookyear| bookyear.id)
            .collect();

        let mut journals: Vec<OctopusJournal> = Vec::new();
        for &bookyear_id in &open {
            let call = HttpCall::new(Endpoint::Journals { bookyear_id }, dossier_id);
            let read: Vec<JournalData> = self.octopus.get_list(key, call, calls).await?;
            journals.extend(
                read.into_iter()
                    .map(|journal| journal.into_proto(bookyear_id)),
            );
        }
        let vat_codes: Vec<VatCodeData> = self
            .octopus
            .get_list(key, HttpCall::new(Endpoint::VatCodes, dossier_id), calls)
            .await?;
        let mut accounts: Vec<Account> = Vec::new();
        for &bookyear_id in &open {
            let call =
                HttpCall::new(Endpoint::Accounts, dossier_id).query("bookyearId", bookyear_id);
            let read: Vec<AccountData> = self.octopus.get_list(key, call, calls).await?;
            accounts.extend(
                read.into_iter()
                    .map(|account| account.into_proto(bookyear_id)),
            );
        }
        tracing::info!(
            dossier_id,
            bookyears = bookyears.len(),
            journals = journals.len(),
            accounts = accounts.len(),
            "dossier snapshot read from octopus"
        );
        Ok(DossierSnapshot {
            dossier_id,
            bookyears,
            journals,
            vat_codes: vat_codes.into_iter().map(VatCode::from).collect(),
            accounts,
        })
    }
}
