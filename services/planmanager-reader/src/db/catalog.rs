//! Locations, journals (with their data problems), general-ledger accounts, and turning an export
//! selection into the journals whose invoices it covers.

use std::collections::{BTreeMap, HashMap};

use super::backend::{Pool, Row, Statement};
use super::{cell, sql};
use crate::error::ReaderError;
use crate::model::{
    DataProblem, GlAccount, InvoiceFilter, Journal, JournalKind, Location, ProblemKind,
};

/// Lists every location.
#[tracing::instrument(skip_all)]
pub async fn list_locations(pool: &Pool) -> Result<Vec<Location>, ReaderError> {
    let rows = pool
        .fetch_all(Statement::new(sql::SELECT_LOCATIONS))
        .await?;
    let mut locations = Vec::with_capacity(rows.len());
    for row in &rows {
        // Locations are keyed by name in every request; a nameless one cannot be selected.
        let (Ok(id), Ok(Some(name))) = (cell::required_integer(row, "id"), cell::text(row, "name"))
        else {
            tracing::warn!("skipping an unreadable location row");
            continue;
        };
        locations.push(Location { id, name });
    }
    Ok(locations)
}

/// Journals (all, or those of `location_name`) and what is wrong with them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalList {
    pub journals: Vec<Journal>,
    pub problems: Vec<DataProblem>,
}

/// Lists the journals of `location_name` (every journal when empty) with their problems: an empty
/// code, a code shared with another journal, an unknown kind or an unreadable column.
#[tracing::instrument(skip(pool))]
pub async fn list_journals(pool: &Pool, location_name: &str) -> Result<JournalList, ReaderError> {
    let all = fetch_journals(pool).await?;
    let location_ids = resolve_location(pool, location_name).await?;
    let mut users_of_code: HashMap<&str, Vec<i64>> = HashMap::new();
    for (journal, _) in &all {
        if !journal.code.trim().is_empty() {
            users_of_code
                .entry(journal.code.as_str())
                .or_default()
                .push(journal.id);
        }
    }
    let mut list = JournalList::default();
    for (journal, read_problems) in &all {
        let in_location = location_ids
            .as_ref()
            .is_none_or(|ids| journal.location_id.is_some_and(|id| ids.contains(&id)));
        if !in_location {
            continue;
        }
        let mut messages = read_problems.clone();
        if journal.code.trim().is_empty() {
            messages.push(format!(
                "journal {:?} has no code; give it the code of its Octopus journal in PlanManager (Facturatie → journalen)",
                journal.name
            ));
        } else if let Some(ids) = users_of_code
            .get(journal.code.as_str())
            .filter(|ids| ids.len() > 1)
        {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            messages.push(format!(
                "journal code {:?} is used by {} journals (ids {}); each needs its own code to match one Octopus journal",
                journal.code,
                ids.len(),
                ids.join(", ")
            ));
        }
        for message in messages {
            list.problems.push(DataProblem {
                kind: ProblemKind::Journal,
                id: journal.id,
                journal_code: journal.code.clone(),
                number: 0,
                message,
            });
        }
        list.journals.push(journal.clone());
    }
    Ok(list)
}

/// Reads every journal, each with the problems met while reading its columns.
async fn fetch_journals(pool: &Pool) -> Result<Vec<(Journal, Vec<String>)>, ReaderError> {
    let rows = pool.fetch_all(Statement::new(sql::SELECT_JOURNALS)).await?;
    Ok(rows.iter().map(read_journal).collect())
}

fn read_journal(row: &Row) -> (Journal, Vec<String>) {
    let mut problems = Vec::new();
    let id = cell::collect(&mut problems, 0, cell::required_integer(row, "id"));
    let code = cell::collect(
        &mut problems,
        String::new(),
        cell::text_or_empty(row, "code"),
    );
    let name = cell::collect(
        &mut problems,
        String::new(),
        cell::text_or_empty(row, "name"),
    );
    let location_id = cell::collect(&mut problems, None, cell::integer(row, "location_id"));
    let location_name = cell::collect(
        &mut problems,
        String::new(),
        cell::text_or_empty(row, "location_name"),
    );
    let kind_text = cell::collect(
        &mut problems,
        String::new(),
        cell::text_or_empty(row, "kind"),
    );
    let kind = JournalKind::from_db(&kind_text);
    if kind == JournalKind::Unknown {
        problems.push(format!(
            "journal kind {kind_text:?} is not one of sale, sale_credit, purchase, purchase_credit, internal"
        ));
    }
    let last_number = cell::collect(&mut problems, None, cell::integer(row, "last_number"));
    let journal = Journal {
        id,
        code,
        name,
        location_id,
        location_name,
        kind,
        last_number: last_number.unwrap_or(0),
    };
    (journal, problems)
}

/// The ids of the locations called `location_name`; `None` (no restriction) for "".
async fn resolve_location(
    pool: &Pool,
    location_name: &str,
) -> Result<Option<Vec<i64>>, ReaderError> {
    if location_name.is_empty() {
        return Ok(None);
    }
    let ids: Vec<i64> = list_locations(pool)
        .await?
        .into_iter()
        .filter(|location| location.name == location_name)
        .map(|location| location.id)
        .collect();
    if ids.is_empty() {
        return Err(ReaderError::UnknownLocation(location_name.to_owned()));
    }
    Ok(Some(ids))
}

/// The journals an export selection covers, grouped by code in code order (the stream order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalSelection {
    /// (journal code, ids of the journals with that code), sorted by code.
    pub groups: Vec<(String, Vec<i64>)>,
}

/// Resolves the location and journal codes of `filter`.
///
/// Without codes: every sale and sale-credit journal of the location. With codes: the journals with
/// those codes in the location or in no location (PlanManager's screen offers both); a code that
/// does not exist there is refused with a message naming it.
#[tracing::instrument(skip_all)]
pub async fn select_journals(
    pool: &Pool,
    filter: &InvoiceFilter,
) -> Result<JournalSelection, ReaderError> {
    let all = fetch_journals(pool).await?;
    let location_ids = resolve_location(pool, &filter.location_name).await?;
    let in_location = |journal: &Journal| match (&location_ids, journal.location_id) {
        (None, _) => true,
        (Some(ids), Some(id)) => ids.contains(&id),
        (Some(_), None) => false,
    };
    let mut groups: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    if filter.journal_codes.is_empty() {
        for (journal, _) in all.iter().filter(|(journal, _)| journal.kind.is_sales()) {
            if in_location(journal) {
                groups
                    .entry(journal.code.clone())
                    .or_default()
                    .push(journal.id);
            }
        }
        return Ok(JournalSelection {
            groups: groups.into_iter().collect(),
        });
    }
    for code in &filter.journal_codes {
        let with_code: Vec<&Journal> = all
            .iter()
            .map(|(journal, _)| journal)
            .filter(|journal| &journal.code == code)
            .collect();
        let selected: Vec<i64> = with_code
            .iter()
            .filter(|journal| journal.location_id.is_none() || in_location(journal))
            .map(|journal| journal.id)
            .collect();
        if selected.is_empty() {
            let message = match with_code.first() {
                Some(elsewhere) => format!(
                    "journal {code:?} belongs to {}, not to {}",
                    elsewhere.location_name, filter.location_name
                ),
                None => format!("journal code {code:?} does not exist in PlanManager"),
            };
            return Err(ReaderError::InvalidRequest(message));
        }
        groups.entry(code.clone()).or_default().extend(selected);
    }
    for ids in groups.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    Ok(JournalSelection {
        groups: groups.into_iter().collect(),
    })
}

/// Lists the general-ledger accounts; a row whose number is not an int32 is skipped with a warning
/// (the contract has no place for problems here).
#[tracing::instrument(skip_all)]
pub async fn list_gl_accounts(pool: &Pool) -> Result<Vec<GlAccount>, ReaderError> {
    let rows = pool
        .fetch_all(Statement::new(sql::SELECT_GL_ACCOUNTS))
        .await?;
    let mut accounts = Vec::with_capacity(rows.len());
    for row in &rows {
        let number = cell::required_integer(row, "number")
            .ok()
            .and_then(|number| i32::try_from(number).ok());
        let Some(number) = number else {
            tracing::warn!("skipping a general-ledger account whose number is unreadable");
            continue;
        };
        accounts.push(GlAccount {
            number,
            description_nl: cell::text_or_empty(row, "description_nl").unwrap_or_default(),
            description_fr: cell::text_or_empty(row, "description_fr").unwrap_or_default(),
        });
    }
    Ok(accounts)
}
