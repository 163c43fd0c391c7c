//! Changes to one dossier that Octopus users make outside the API (desktop locks, UI relations,
//! bookings typed in by hand, a disabled dossier), for tests and the control API.

use std::time::Duration;

use super::{Inner, SimError, SimState};
use crate::store::{Dossier, StoredRelation};
use crate::wire::{Key, RelationData, RelationIdentification};

fn dossier_mut(inner: &mut Inner, dossier_id: i32) -> Result<&mut Dossier, SimError> {
    inner
        .dossiers
        .get_mut(&dossier_id)
        .ok_or(SimError::UnknownDossier(dossier_id))
}

fn unknown_journal(bookyear_id: i32, key: &str) -> SimError {
    SimError::UnknownJournal {
        bookyear_id,
        key: key.to_owned(),
    }
}

impl SimState {
    /// Disables (403 on connect) or re-enables a dossier.
    pub fn set_dossier_disabled(&self, dossier_id: i32, disabled: bool) -> Result<(), SimError> {
        dossier_mut(&mut self.lock(), dossier_id)?.disabled = disabled;
        Ok(())
    }

    /// Locks a journal as a desktop user would (bookings get 403) or releases it (which also
    /// ends a timed lock).
    pub fn set_journal_locked(
        &self,
        dossier_id: i32,
        bookyear_id: i32,
        key: &str,
        locked: bool,
    ) -> Result<(), SimError> {
        let mut inner = self.lock();
        let dossier = dossier_mut(&mut inner, dossier_id)?;
        if dossier.journal(bookyear_id, key).is_none() {
            return Err(unknown_journal(bookyear_id, key));
        }
        let entry = (bookyear_id, key.to_owned());
        if locked {
            dossier.locked_journals.insert(entry);
        } else {
            dossier.timed_locks.remove(&entry);
            dossier.locked_journals.remove(&entry);
        }
        Ok(())
    }

    /// Locks a journal for `duration` on the simulator clock, as a desktop user who opens it
    /// and closes it again.
    pub fn lock_journal_for(
        &self,
        dossier_id: i32,
        bookyear_id: i32,
        key: &str,
        duration: Duration,
    ) -> Result<(), SimError> {
        let mut inner = self.lock();
        let now = inner.clock.now();
        let dossier = dossier_mut(&mut inner, dossier_id)?;
        if dossier.journal(bookyear_id, key).is_none() {
            return Err(unknown_journal(bookyear_id, key));
        }
        dossier.lock_journal_until(bookyear_id, key, now, duration);
        Ok(())
    }

    /// Sets a journal's `lastBookedDocumentNr`, as if someone booked in the desktop app.
    pub fn set_last_booked_document_nr(
        &self,
        dossier_id: i32,
        bookyear_id: i32,
        key: &str,
        nr: i32,
    ) -> Result<(), SimError> {
        let mut inner = self.lock();
        let now = inner.clock.now();
        let dossier = dossier_mut(&mut inner, dossier_id)?;
        let journal = dossier
            .journal_mut(bookyear_id, key)
            .ok_or_else(|| unknown_journal(bookyear_id, key))?;
        journal.last_booked_document_nr = nr;
        dossier.touch_journal(bookyear_id, key, now);
        Ok(())
    }

    /// Adds a relation as if created in the Octopus UI (no checks, no defaults) and returns its
    /// key: `relationIdentificationServiceData.relationKey.id` if given, else the next free key.
    pub fn add_relation(
        &self,
        dossier_id: i32,
        relation: serde_json::Value,
    ) -> Result<i32, SimError> {
        let data: RelationData = serde_json::from_value(relation)
            .map_err(|e| SimError::InvalidRelation(e.to_string()))?;
        let mut inner = self.lock();
        let now = inner.clock.now();
        let dossier = dossier_mut(&mut inner, dossier_id)?;
        Ok(insert_ui_relation(dossier, data, now))
    }
}

/// Stores a relation as the Octopus UI would: key as given or the next free one, external id 0
/// when absent.
pub(crate) fn insert_ui_relation(
    dossier: &mut Dossier,
    mut data: RelationData,
    now: chrono::DateTime<chrono::Utc>,
) -> i32 {
    let ident = data
        .relation_identification_service_data
        .clone()
        .unwrap_or_default();
    let key = ident
        .relation_key
        .map(|k| k.id)
        .filter(|&k| k > 0)
        .unwrap_or_else(|| dossier.next_relation_key());
    data.relation_identification_service_data = Some(RelationIdentification {
        relation_key: Some(Key { id: key }),
        external_relation_id: Some(ident.external_relation_id.unwrap_or(0)),
    });
    dossier.relations.insert(
        key,
        StoredRelation {
            data,
            modified_at: now,
        },
    );
    key
}
