//! One dossier's in-memory data (bookyears, journals, VAT codes, accounts, relations, bookings,
//! attachments) and its conversion to Octopus's JSON shapes.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::setup::{AccountSetup, BookyearSetup, DossierSetup, JournalSetup, VatCodeSetup};
use crate::wire::{
    AccountData, AccountDescription, AccountKey, BookingData, BookyearOut, JournalOut, Key,
    PeriodOut, RelationData, VatCodeOut, amount::java_number,
};

/// A stored relation and when it last changed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredRelation {
    pub(crate) data: RelationData,
    pub(crate) modified_at: DateTime<Utc>,
}

/// A stored buy/sell booking and when it last changed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredBooking {
    pub(crate) bookyear_id: i32,
    pub(crate) journal_key: String,
    pub(crate) document_sequence_nr: i32,
    pub(crate) data: BookingData,
    pub(crate) modified_at: DateTime<Utc>,
}

/// An attachment received with a booking (content is not kept, only its size).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredAttachment {
    pub(crate) bookyear_id: i32,
    pub(crate) journal_key: String,
    pub(crate) document_sequence_nr: i32,
    pub(crate) file_name: String,
    pub(crate) size_bytes: usize,
}

/// Everything the simulator knows about one dossier.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Dossier {
    pub(crate) id: i32,
    pub(crate) name: String,
    pub(crate) disabled: bool,
    pub(crate) bookyears: Vec<BookyearSetup>,
    pub(crate) journals: Vec<JournalSetup>,
    pub(crate) locked_journals: HashSet<(i32, String)>,
    pub(crate) vat_codes: Vec<VatCodeSetup>,
    pub(crate) accounts: Vec<AccountData>,
    pub(crate) relations: BTreeMap<i32, StoredRelation>,
    pub(crate) bookings: Vec<StoredBooking>,
    pub(crate) attachments: Vec<StoredAttachment>,
    /// When the reference data was loaded: the modification time of journals and accounts
    /// that never changed since. States saved before this field read as "now".
    #[serde(default = "Utc::now")]
    pub(crate) created_at: DateTime<Utc>,
    /// Last change per journal, keyed `"{bookyearId}/{journalKey}"`.
    #[serde(default)]
    pub(crate) journal_stamps: BTreeMap<String, DateTime<Utc>>,
    /// Last change per account, keyed `"{bookyearId}/{accountNumber}"`.
    #[serde(default)]
    pub(crate) account_stamps: BTreeMap<String, DateTime<Utc>>,
    /// Journals a desktop user holds open until the given simulator time (not saved).
    #[serde(skip)]
    pub(crate) timed_locks: HashMap<(i32, String), DateTime<Utc>>,
}

fn account_from_setup(a: &AccountSetup) -> AccountData {
    let hundred = Some(Decimal::ONE_HUNDRED);
    AccountData {
        account_key: Some(AccountKey {
            bookyear_key: Some(Key { id: a.bookyear_id }),
            id: Some(a.number),
        }),
        cost_centre_type: Some(0),
        description: Some(AccountDescription {
            nl: Some(a.description_nl.clone()),
            fr: Some(a.description_fr.clone()),
            en: Some(String::new()),
            de: None,
        }),
        fisc_professional_percentage: hundred,
        fisc_recup_percentage: hundred,
        vat_recup_percentage: hundred,
    }
}

/// Returns the (bookyear id, account number) of a stored account.
pub(crate) fn account_id(a: &AccountData) -> (i32, i32) {
    let key = a.account_key.as_ref();
    let bookyear = key.and_then(|k| k.bookyear_key).map_or(0, |k| k.id);
    (bookyear, key.and_then(|k| k.id).unwrap_or(0))
}

impl Dossier {
    /// Creates a dossier from its setup, with no relations or bookings.
    pub(crate) fn from_setup(setup: DossierSetup, now: DateTime<Utc>) -> Self {
        Self {
            id: setup.id,
            name: setup.name,
            disabled: false,
            accounts: setup.accounts.iter().map(account_from_setup).collect(),
            bookyears: setup.bookyears,
            journals: setup.journals,
            locked_journals: HashSet::new(),
            vat_codes: setup.vat_codes,
            relations: BTreeMap::new(),
            bookings: Vec::new(),
            attachments: Vec::new(),
            created_at: now,
            journal_stamps: BTreeMap::new(),
            account_stamps: BTreeMap::new(),
            timed_locks: HashMap::new(),
        }
    }

    pub(crate) fn bookyear(&self, id: i32) -> Option<&BookyearSetup> {
        self.bookyears.iter().find(|b| b.id == id)
    }

    pub(crate) fn journal(&self, bookyear_id: i32, key: &str) -> Option<&JournalSetup> {
        self.journals
            .iter()
            .find(|j| j.bookyear_id == bookyear_id && j.key == key)
    }

    pub(crate) fn journal_mut(&mut self, bookyear_id: i32, key: &str) -> Option<&mut JournalSetup> {
        self.journals
            .iter_mut()
            .find(|j| j.bookyear_id == bookyear_id && j.key == key)
    }

    /// Whether a desktop user holds the journal open at `now`.
    pub(crate) fn journal_locked(&self, bookyear_id: i32, key: &str, now: DateTime<Utc>) -> bool {
        let entry = (bookyear_id, key.to_owned());
        self.locked_journals.contains(&entry)
            || self
                .timed_locks
                .get(&entry)
                .is_some_and(|&until| now < until)
    }

    /// Holds a journal open until `now + duration` (a longer existing lock is kept).
    pub(crate) fn lock_journal_until(
        &mut self,
        bookyear_id: i32,
        key: &str,
        now: DateTime<Utc>,
        duration: std::time::Duration,
    ) {
        let until = now + chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX);
        let entry = self
            .timed_locks
            .entry((bookyear_id, key.to_owned()))
            .or_insert(until);
        *entry = (*entry).max(until);
    }

    /// Records that a journal changed (its counter moved).
    pub(crate) fn touch_journal(&mut self, bookyear_id: i32, key: &str, now: DateTime<Utc>) {
        self.journal_stamps
            .insert(format!("{bookyear_id}/{key}"), now);
    }

    /// Records that an account was created or changed.
    pub(crate) fn touch_account(&mut self, bookyear_id: i32, number: i32, now: DateTime<Utc>) {
        self.account_stamps
            .insert(format!("{bookyear_id}/{number}"), now);
    }

    /// Journals changed at or after `since`, in setup order.
    pub(crate) fn journals_modified(&self, since: DateTime<Utc>) -> Vec<JournalOut> {
        let journals = self.journals_out(None);
        journals
            .into_iter()
            .filter(|j| {
                let key = format!("{}/{}", j.bookyear_key.id, j.journal_key);
                self.journal_stamps
                    .get(&key)
                    .copied()
                    .unwrap_or(self.created_at)
                    >= since
            })
            .collect()
    }

    /// Accounts changed at or after `since`, in setup order.
    pub(crate) fn accounts_modified(&self, since: DateTime<Utc>) -> Vec<AccountData> {
        self.accounts
            .iter()
            .filter(|a| {
                let (bookyear, number) = account_id(a);
                let key = format!("{bookyear}/{number}");
                self.account_stamps
                    .get(&key)
                    .copied()
                    .unwrap_or(self.created_at)
                    >= since
            })
            .cloned()
            .collect()
    }

    pub(crate) fn vat_code(&self, code: &str) -> Option<&VatCodeSetup> {
        self.vat_codes.iter().find(|v| v.code == code)
    }

    pub(crate) fn has_account(&self, bookyear_id: i32, number: i32) -> bool {
        self.accounts
            .iter()
            .any(|a| account_id(a) == (bookyear_id, number))
    }

    /// Returns the key the next created relation gets: one above the highest so far.
    pub(crate) fn next_relation_key(&self) -> i32 {
        self.relations.keys().next_back().map_or(1, |k| k + 1)
    }

    pub(crate) fn bookyears_out(&self) -> Vec<BookyearOut> {
        self.bookyears
            .iter()
            .map(|b| BookyearOut {
                bookyear_key: Key { id: b.id },
                bookyear_description: b.description.clone(),
                start_date: b.start,
                end_date: b.end,
                closed: b.closed,
                periods: b
                    .periods
                    .iter()
                    .map(|p| PeriodOut {
                        bookyear_period: p.nr,
                        start_date: p.start,
                        end_date: p.end,
                    })
                    .collect(),
            })
            .collect()
    }

    pub(crate) fn journals_out(&self, bookyear_id: Option<i32>) -> Vec<JournalOut> {
        self.journals
            .iter()
            .filter(|j| bookyear_id.is_none_or(|id| id == j.bookyear_id))
            .map(|j| JournalOut {
                bookyear_key: Key { id: j.bookyear_id },
                journal_key: j.key.clone(),
                name: j.name.clone(),
                closed: j.closed,
                currency_code: "EUR".to_owned(),
                last_booked_document_nr: j.last_booked_document_nr,
                protected_period: j.protected_period,
                closed_period: j.closed_period,
                insertion_type: j.insertion_type,
            })
            .collect()
    }

    pub(crate) fn vat_codes_out(&self) -> Vec<VatCodeOut> {
        self.vat_codes
            .iter()
            .map(|v| VatCodeOut {
                code: v.code.clone(),
                description: v.description.clone(),
                vat_type: v.vat_type,
                base_percentage: java_number(v.base_percentage),
            })
            .collect()
    }

    pub(crate) fn accounts_out(&self, bookyear_id: i32) -> Vec<AccountData> {
        self.accounts
            .iter()
            .filter(|a| account_id(a).0 == bookyear_id)
            .cloned()
            .collect()
    }

    /// Returns relations, bookings, journals and attachments as JSON (see `SimState::dump`).
    pub(crate) fn dump(&self) -> serde_json::Value {
        let attachments: Vec<serde_json::Value> = self
            .attachments
            .iter()
            .map(|a| {
                serde_json::json!({
                    "bookyearKey": {"id": a.bookyear_id},
                    "journalKey": a.journal_key,
                    "documentSequenceNr": a.document_sequence_nr,
                    "fileName": a.file_name,
                    "sizeBytes": a.size_bytes,
                })
            })
            .collect();
        serde_json::json!({
            "dossierId": self.id,
            "relations": self.relations.values().map(|r| &r.data).collect::<Vec<_>>(),
            "buySellBookings": self.bookings.iter().map(|b| &b.data).collect::<Vec<_>>(),
            "journals": self.journals_out(None),
            "attachments": attachments,
        })
    }
}
