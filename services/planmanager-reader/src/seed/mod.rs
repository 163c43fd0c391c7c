//! The deterministic PlanManager sample: [`generate`] writes locations, the journals of
//! PlanManager's FAQ screen (verbatim), customers, GL accounts and a year of invoices into a new
//! SQLite file or MariaDB database. The same seed always writes the same data. Every Bodyshop A final invoice is
//! valid, so a demo can book them all; flawed records belong in tests, not here.

mod customers;
mod data;
mod ids;
mod invoices;
mod rng;
mod writer;

use chrono::{Days, NaiveDate};

use crate::db::backend::{Pool, Row, Statement};
use crate::db::{self, sql};
use crate::error::{ReaderError, redact_url};
use invoices::{InvoiceMaker, SeedInvoice};
use rng::Rng;

/// Invoices per flush; a transaction holds a few flushes.
const BATCH: usize = 1_000;
const FLUSHES_PER_TRANSACTION: usize = 5;

/// Sale journals (indexes into `data::JOURNALS`) with their share of the invoices in percent.
/// 700 and JVCA2 (Bodyshop A) get about 70 %; JVCB2 and JVGC2 only what their last numbers allow.
const SALE_JOURNALS: &[(usize, u64)] =
    &[(4, 46), (5, 25), (6, 17), (7, 0), (8, 6), (9, 0), (10, 6)];

/// What was written, per location and journal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeedSummary {
    /// The database, without credentials.
    pub database: String,
    pub seed: u64,
    /// Rows in `invoices`: final invoices, credit notes and drafts.
    pub invoices: u64,
    pub credit_notes: u64,
    pub drafts: u64,
    pub lines: u64,
    pub customers: u64,
    pub locations: Vec<LocationSummary>,
    pub journals: Vec<JournalSummary>,
}

/// Counts of one location; `name` is `None` for the journals that belong to no location.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LocationSummary {
    pub name: Option<String>,
    /// Final documents, credit notes included.
    pub invoices: u64,
    pub credit_notes: u64,
    pub drafts: u64,
}

/// Counts and the numbering of one journal (numbers of final documents only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JournalSummary {
    pub code: String,
    pub location: Option<String>,
    pub invoices: u64,
    pub credit_notes: u64,
    pub drafts: u64,
    pub first_number: Option<i64>,
    pub last_number: Option<i64>,
}

/// Splits `total` final documents over [`SALE_JOURNALS`], never beyond a journal's last number.
fn allocate(total: u64) -> Result<Vec<u64>, ReaderError> {
    let capacity: u64 = SALE_JOURNALS
        .iter()
        .map(|(j, _)| data::JOURNALS[*j].4.unsigned_abs())
        .sum();
    if total > capacity {
        return Err(ReaderError::TooManyInvoices {
            requested: total,
            capacity,
        });
    }
    let small = |j: usize| (total / 100).min(data::JOURNALS[j].4.unsigned_abs());
    let mut counts: Vec<u64> = SALE_JOURNALS
        .iter()
        .map(|(j, share)| if *share == 0 { small(*j) } else { 0 })
        .collect();
    let rest = total - counts.iter().sum::<u64>();
    for (slot, (_, share)) in SALE_JOURNALS.iter().enumerate().skip(1) {
        counts[slot] += rest * share / 100;
    }
    counts[0] += total - counts.iter().sum::<u64>();
    // Move whatever exceeds a journal's last number to journals with room left.
    let mut excess = 0;
    for (slot, (j, _)) in SALE_JOURNALS.iter().enumerate() {
        let room = data::JOURNALS[*j].4.unsigned_abs();
        excess += counts[slot].saturating_sub(room);
        counts[slot] = counts[slot].min(room);
    }
    for (slot, (j, _)) in SALE_JOURNALS.iter().enumerate() {
        let room = data::JOURNALS[*j].4.unsigned_abs() - counts[slot];
        let moved = excess.min(room);
        counts[slot] += moved;
        excess -= moved;
    }
    Ok(counts)
}

/// Writes a sample of `invoices` invoices (drafts included) generated from `seed` into
/// `database_url` (`sqlite://…` or `mysql://…`/`mariadb://…`), creating the SQLite file or the
/// MariaDB database, and the schema, if missing.
///
/// Fails, writing nothing, if the database already holds PlanManager data.
pub async fn generate(
    database_url: &str,
    invoices: u32,
    seed: u64,
) -> Result<SeedSummary, ReaderError> {
    let drafts = u64::from(invoices) / 125;
    let counts = allocate(u64::from(invoices) - drafts)?;
    let pool = db::connect_for_writing(database_url, 1).await?;
    let outcome = write_sample(&pool, database_url, invoices, drafts, &counts, seed).await;
    pool.close().await;
    outcome
}

async fn write_sample(
    pool: &Pool,
    database_url: &str,
    invoices: u32,
    drafts: u64,
    counts: &[u64],
    seed: u64,
) -> Result<SeedSummary, ReaderError> {
    db::run_migrations(pool).await?;
    let counted = pool
        .fetch_all(Statement::new(sql::COUNT_EXISTING_DATA))
        .await?;
    let existing = counted
        .first()
        .map_or(Ok(Some(0)), |row: &Row| db::cell::integer(row, "existing"));
    if existing != Ok(Some(0)) {
        return Err(ReaderError::NotEmpty {
            target: redact_url(database_url),
        });
    }
    if let Some(speed) = pool.backend().dialect().seed_speed {
        pool.execute_script(speed).await?;
    }

    let mut rng = Rng::new(seed);
    let customers = customers::generate(&mut rng, customers::customer_count(invoices));
    let mut transaction = pool.begin().await?;
    writer::insert_fixed(&mut transaction).await?;
    writer::insert_customers(&mut transaction, &customers).await?;
    transaction.commit().await?;

    let mut summary = empty_summary(database_url, seed, customers.len() as u64);
    let mut maker = InvoiceMaker::new(&mut rng, &customers, SALE_JOURNALS.len());
    let mut batch: Vec<SeedInvoice> = Vec::with_capacity(BATCH);
    let mut next_line_id = 1;
    let mut flushes = 0;
    let mut transaction = pool.begin().await?;
    let first_day = NaiveDate::from_ymd_opt(2025, 1, 2).expect("2025-01-02 is a date");
    let mut positions = vec![0_u64; SALE_JOURNALS.len()];
    // Walk the year day by day so ids and dates rise together across journals, as in PlanManager.
    for day in 0..364_u64 {
        let date = first_day + Days::new(day);
        for (slot, (j, _)) in SALE_JOURNALS.iter().enumerate() {
            let count = counts[slot];
            while positions[slot] < count && positions[slot] * 364 / count == day {
                let journal_id = *j as i64 + 1;
                let number = data::JOURNALS[*j].4 - (count - positions[slot]) as i64 + 1;
                let credit = if maker.wants_credit_note() {
                    maker.credit_note(slot, number, date)
                } else {
                    None
                };
                let document = credit
                    .unwrap_or_else(|| maker.invoice(slot, journal_id, Some(number), date, false));
                count_document(&mut summary, *j, &document);
                batch.push(document);
                positions[slot] += 1;
                if batch.len() == BATCH {
                    writer::insert_invoices(&mut transaction, &batch, &mut next_line_id).await?;
                    batch.clear();
                    flushes += 1;
                    if flushes % FLUSHES_PER_TRANSACTION == 0 {
                        transaction.commit().await?;
                        transaction = pool.begin().await?;
                    }
                }
            }
        }
    }
    // Drafts: not numbered yet, dated at the end of the year, in the located sale journals.
    let last_day = NaiveDate::from_ymd_opt(2025, 12, 31).expect("2025-12-31 is a date");
    for index in 0..drafts {
        let slot = (index % 3) as usize;
        let j = SALE_JOURNALS[slot].0;
        let draft = maker.invoice(slot, j as i64 + 1, None, last_day, true);
        count_document(&mut summary, j, &draft);
        batch.push(draft);
    }
    writer::insert_invoices(&mut transaction, &batch, &mut next_line_id).await?;
    transaction.commit().await?;
    summary.lines = (next_line_id - 1).unsigned_abs();
    Ok(summary)
}

fn empty_summary(database_url: &str, seed: u64, customers: u64) -> SeedSummary {
    let mut locations: Vec<LocationSummary> = data::LOCATIONS
        .iter()
        .map(|name| LocationSummary {
            name: Some((*name).to_owned()),
            invoices: 0,
            credit_notes: 0,
            drafts: 0,
        })
        .collect();
    locations.push(LocationSummary {
        name: None,
        invoices: 0,
        credit_notes: 0,
        drafts: 0,
    });
    let journals = data::JOURNALS
        .iter()
        .map(|(code, _, location, ..)| JournalSummary {
            code: (*code).to_owned(),
            location: location.map(str::to_owned),
            invoices: 0,
            credit_notes: 0,
            drafts: 0,
            first_number: None,
            last_number: None,
        })
        .collect();
    SeedSummary {
        database: redact_url(database_url),
        seed,
        invoices: 0,
        credit_notes: 0,
        drafts: 0,
        lines: 0,
        customers,
        locations,
        journals,
    }
}

fn count_document(summary: &mut SeedSummary, journal_index: usize, document: &SeedInvoice) {
    let journal = &mut summary.journals[journal_index];
    let location_name = journal.location.clone();
    let location = summary
        .locations
        .iter_mut()
        .find(|location| location.name == location_name)
        .expect("every journal's location is listed, and so is 'no location'");
    summary.invoices += 1;
    if document.draft {
        summary.drafts += 1;
        journal.drafts += 1;
        location.drafts += 1;
        return;
    }
    journal.invoices += 1;
    location.invoices += 1;
    if document.credit_note {
        summary.credit_notes += 1;
        journal.credit_notes += 1;
        location.credit_notes += 1;
    }
    journal.first_number = journal.first_number.or(document.number);
    journal.last_number = document.number.or(journal.last_number);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_respects_last_numbers_and_favours_bodyshop_a() {
        let counts = allocate(248).unwrap();
        assert_eq!(counts.iter().sum::<u64>(), 248);
        let bodyshop_a = counts[0] + counts[1];
        assert!((160..=185).contains(&bodyshop_a), "{counts:?}");
        let big = allocate(1_000_000).unwrap();
        assert_eq!(big[3], 19);
        assert_eq!(big[5], 16);
        assert_eq!(big.iter().sum::<u64>(), 1_000_000);
        assert!(allocate(100_000_000).is_err());
        assert_eq!(allocate(0).unwrap().iter().sum::<u64>(), 0);
    }
}
