//! The invoice phase: per PlanManager journal, in ascending number, each invoice is mapped and
//! booked. A failed invoice blocks the later numbers of its journal (Octopus numbers without gaps);
//! other journals carry on in parallel.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use prost::Message as _;
use sha2::{Digest as _, Sha256};
use tokio::task::JoinSet;

use ox_proto::gateway::v1::{Booking, BookingOutcome, CreateBookingRequest, DossierSnapshot};
use ox_proto::mapping::v1::{InvoiceToMap, MapInvoicesRequest, MappedInvoice};

use super::customers::{self, Debtor};
use super::selection::{Entry, Selection};
use super::{CallTally, RunContext, Runner};
use crate::error::OrchestratorError;
use crate::ledger::BookingRecord;
use crate::report::{ReportItem, RunReport, status};

/// How many invoices go to the mapper in one call.
const MAP_BATCH: usize = 200;

/// What one journal's task hands back.
struct JournalOutcome {
    items: Vec<ReportItem>,
    calls: CallTally,
    booked_ids: Vec<i64>,
}

/// Books every selected invoice; returns the ids Octopus now holds (booked or already booked).
pub(crate) async fn book(
    runner: &Runner,
    run: &RunContext,
    snapshot: &DossierSnapshot,
    selection: Selection,
    debtors: &HashMap<i64, Debtor>,
    report: &mut RunReport,
    calls: &mut CallTally,
) -> Result<Vec<i64>, OrchestratorError> {
    let mut journals: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for entry in selection.entries {
        journals
            .entry(entry.journal_code().to_owned())
            .or_default()
            .push(entry);
    }
    let debtors = Arc::new(debtors.clone());
    let snapshot = Arc::new(snapshot.clone());
    let mut tasks = JoinSet::new();
    for (code, entries) in journals {
        let runner = runner.clone();
        let run = run.clone();
        let debtors = Arc::clone(&debtors);
        let snapshot = Arc::clone(&snapshot);
        tasks.spawn(async move {
            let outcome = book_journal(&runner, &run, &snapshot, &debtors, entries).await;
            (code, outcome)
        });
    }
    let mut outcomes = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (code, outcome) = joined
            .map_err(|error| OrchestratorError::Corrupt(format!("journal task failed: {error}")))?;
        outcomes.insert(code, outcome?);
    }
    let mut booked_ids = Vec::new();
    // Report journals in code order whatever order the tasks finished in.
    for (_, outcome) in outcomes {
        report.items.extend(outcome.items);
        calls.merge(outcome.calls);
        booked_ids.extend(outcome.booked_ids);
    }
    Ok(booked_ids)
}

fn invoice_item(entry: &Entry, status: &str, message: String) -> ReportItem {
    ReportItem {
        kind: "invoice".into(),
        id: entry.id(),
        journal: entry.journal_code().to_owned(),
        number: entry.number(),
        status: status.into(),
        message,
        ..ReportItem::default()
    }
}

fn booking_octopus(record: &BookingRecord) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("bookyear_id".to_owned(), record.bookyear_id.to_string()),
        ("journal_key".to_owned(), record.journal_key.clone()),
        (
            "document_sequence_nr".to_owned(),
            record.document_sequence_nr.to_string(),
        ),
        (
            "bookyear_period_nr".to_owned(),
            record.bookyear_period_nr.to_string(),
        ),
        ("amount".to_owned(), record.amount.clone()),
    ])
}

fn deferred_item(entry: &Entry, until: &str, message: String) -> ReportItem {
    let mut item = invoice_item(entry, status::DEFERRED, message);
    item.octopus
        .insert("deferred_until".into(), until.to_owned());
    item
}

/// The journal's last document number in Octopus, from the run's snapshot.
fn octopus_last(snapshot: &DossierSnapshot, record: &BookingRecord) -> Option<i32> {
    snapshot
        .journals
        .iter()
        .find(|j| j.bookyear_id == record.bookyear_id && j.journal_key == record.journal_key)
        .map(|j| j.last_booked_document_nr)
}

/// Numbers that more than one selected document of the journal carries, with their ids.
fn duplicate_numbers(entries: &[Entry]) -> HashMap<i64, Vec<i64>> {
    let mut by_number: HashMap<i64, Vec<i64>> = HashMap::new();
    for entry in entries.iter().filter(|entry| entry.number() > 0) {
        by_number
            .entry(entry.number())
            .or_default()
            .push(entry.id());
    }
    by_number.retain(|_, ids| ids.len() > 1);
    by_number
}

fn push(run: &RunContext, items: &mut Vec<ReportItem>, item: ReportItem) {
    run.push(items, item);
}

fn record_of(entry: &Entry, booking: &Booking) -> BookingRecord {
    BookingRecord {
        invoice_id: entry.id(),
        bookyear_id: booking.bookyear_id,
        journal_key: booking.journal_key.clone(),
        document_sequence_nr: booking.document_sequence_nr,
        bookyear_period_nr: booking.bookyear_period_nr,
        amount: booking.amount.clone(),
        payload_hash: payload_hash(booking),
    }
}

fn payload_hash(booking: &Booking) -> String {
    let digest = Sha256::digest(booking.encode_to_vec());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Maps the journal's invoices whose debtor is ready, in batches.
async fn map_journal(
    runner: &Runner,
    run: &RunContext,
    snapshot: &DossierSnapshot,
    debtors: &HashMap<i64, Debtor>,
    entries: &[Entry],
) -> Result<HashMap<i64, MappedInvoice>, OrchestratorError> {
    let to_map: Vec<InvoiceToMap> = entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Invoice(invoice) => match debtors.get(&invoice.customer_id) {
                Some(Debtor::Ready {
                    relation,
                    vat_nr,
                    country,
                    ..
                }) => Some(InvoiceToMap {
                    invoice: Some((**invoice).clone()),
                    relation: Some(*relation),
                    customer_vat_nr: vat_nr.clone(),
                    customer_country: country.clone(),
                }),
                _ => None,
            },
            Entry::Problem(_) => None,
        })
        .collect();
    let mut mapped = HashMap::new();
    for batch in to_map.chunks(MAP_BATCH) {
        let answer = runner
            .peers
            .mapper
            .clone()
            .map_invoices(MapInvoicesRequest {
                profile: Some(run.profile.clone()),
                snapshot: Some(snapshot.clone()),
                invoices: batch.to_vec(),
            })
            .await
            .map_err(|status| OrchestratorError::peer("journal-mapper", status))?
            .into_inner();
        mapped.extend(answer.invoices.into_iter().map(|m| (m.invoice_id, m)));
    }
    Ok(mapped)
}

/// Books one journal's invoices strictly in ascending number.
async fn book_journal(
    runner: &Runner,
    run: &RunContext,
    snapshot: &DossierSnapshot,
    debtors: &HashMap<i64, Debtor>,
    entries: Vec<Entry>,
) -> Result<JournalOutcome, OrchestratorError> {
    let mut outcome = JournalOutcome {
        items: Vec::with_capacity(entries.len()),
        calls: CallTally::default(),
        booked_ids: Vec::new(),
    };
    let dossier_id = run.profile.dossier_id;
    let mut mapped = map_journal(runner, run, snapshot, debtors, &entries).await?;
    // Set once an invoice is not booked: every later number of this journal must wait for it.
    let mut waiting_for: Option<i64> = None;
    // Set once an invoice waits for Octopus's daily cap: later numbers wait with it.
    let mut deferred_from: Option<(i64, String)> = None;
    let duplicates = duplicate_numbers(&entries);

    for entry in &entries {
        run.progress.at(entry.journal_code(), entry.number());
        let ledger_says = runner.ledger.booked(dossier_id, entry.id()).await?;
        // Octopus is the truth: a ledger entry beyond the journal's last number in Octopus (a
        // lost or restored Octopus state, a booking deleted by the accountant) is sent again.
        let missing_in_octopus = ledger_says
            .as_ref()
            .and_then(|record| octopus_last(snapshot, record).map(|last| (record, last)))
            .filter(|(record, last)| *last < record.document_sequence_nr)
            .map(|(record, last)| {
                format!(
                    "the ledger said booked, but Octopus's journal {} is at {last}: sent again",
                    record.journal_key
                )
            });
        if let Some(record) = ledger_says.filter(|_| missing_in_octopus.is_none()) {
            let mut item = invoice_item(
                entry,
                status::ALREADY_BOOKED,
                "already in Octopus according to the ledger; nothing sent".into(),
            );
            // The ledger keeps the hash of what was sent: an edit after booking is never re-sent.
            let changed = mapped
                .get(&entry.id())
                .and_then(|m| m.booking.as_ref())
                .is_some_and(|booking| payload_hash(booking) != record.payload_hash);
            if changed {
                item.warnings
                    .push("changed after booking: book a credit note and a new invoice".into());
            }
            item.octopus = booking_octopus(&record);
            push(run, &mut outcome.items, item);
            outcome.booked_ids.push(entry.id());
            continue;
        }
        if let Some(ids) = duplicates.get(&entry.number()) {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            push(
                run,
                &mut outcome.items,
                invoice_item(
                    entry,
                    status::FAILED,
                    format!(
                        "PlanManager has {} final invoices numbered {} in journal {} (ids {}): fix the numbering in PlanManager",
                        ids.len(),
                        entry.number(),
                        entry.journal_code(),
                        ids.join(", ")
                    ),
                ),
            );
            waiting_for = Some(entry.number());
            continue;
        }
        if let Some((number, until)) = &deferred_from {
            let message = format!(
                "deferred: waits for invoice {number} of journal {}, which waits for Octopus's daily cap",
                entry.journal_code()
            );
            push(
                run,
                &mut outcome.items,
                deferred_item(entry, until, message),
            );
            continue;
        }
        if let Some(number) = waiting_for {
            push(
                run,
                &mut outcome.items,
                invoice_item(
                    entry,
                    status::BLOCKED,
                    format!(
                        "waiting for invoice {number} of journal {}",
                        entry.journal_code()
                    ),
                ),
            );
            continue;
        }
        let invoice = match entry {
            Entry::Problem(problem) => {
                push(
                    run,
                    &mut outcome.items,
                    invoice_item(entry, status::FAILED, problem.message.clone()),
                );
                // A record without a usable number has no place in the sequence to hold up.
                if entry.number() > 0 {
                    waiting_for = Some(entry.number());
                }
                continue;
            }
            Entry::Invoice(invoice) => invoice,
        };
        match debtors.get(&invoice.customer_id) {
            Some(Debtor::Ready { .. }) => {}
            Some(Debtor::Deferred(until)) => {
                let message = format!(
                    "deferred: customer {} waits for Octopus's daily relation cap; sent automatically after {until}",
                    invoice.customer_id
                );
                push(
                    run,
                    &mut outcome.items,
                    deferred_item(entry, until, message),
                );
                deferred_from = Some((entry.number(), until.clone()));
                continue;
            }
            Some(Debtor::Failed(reason)) => {
                push(
                    run,
                    &mut outcome.items,
                    invoice_item(
                        entry,
                        status::BLOCKED,
                        format!("blocked by customer {}: {reason}", invoice.customer_id),
                    ),
                );
                waiting_for = Some(entry.number());
                continue;
            }
            None => {
                push(
                    run,
                    &mut outcome.items,
                    invoice_item(
                        entry,
                        status::BLOCKED,
                        format!(
                            "blocked by customer {}: it was not exported",
                            invoice.customer_id
                        ),
                    ),
                );
                waiting_for = Some(entry.number());
                continue;
            }
        }
        let Some(mapped) = mapped.remove(&invoice.id) else {
            return Err(OrchestratorError::Corrupt(format!(
                "the mapper returned nothing for invoice {}",
                invoice.id
            )));
        };
        let Some(booking) = mapped.booking.filter(|_| mapped.error.is_empty()) else {
            let mut item = invoice_item(entry, status::FAILED, mapped.error);
            item.warnings = mapped.warnings;
            push(run, &mut outcome.items, item);
            waiting_for = Some(entry.number());
            continue;
        };
        if run.dry_run {
            let mut item = invoice_item(
                entry,
                status::WOULD_BOOK,
                format!("would book {} in Octopus", booking.amount),
            );
            item.octopus = booking_octopus(&record_of(entry, &booking));
            item.warnings = mapped.warnings;
            push(run, &mut outcome.items, item);
            continue;
        }
        let mut warnings = mapped.warnings;
        warnings.extend(missing_in_octopus.clone());
        let debtor = debtors.get(&invoice.customer_id);
        let item = send(runner, run, entry, booking, warnings, debtor, &mut outcome).await?;
        if item.status == status::DEFERRED {
            let until = item
                .octopus
                .get("deferred_until")
                .cloned()
                .unwrap_or_default();
            deferred_from = Some((entry.number(), until));
        } else if item.status != status::BOOKED && item.status != status::ALREADY_BOOKED {
            waiting_for = Some(entry.number());
        }
        push(run, &mut outcome.items, item);
    }
    Ok(outcome)
}

/// Records the intent, sends the booking and records what Octopus now holds.
async fn send(
    runner: &Runner,
    run: &RunContext,
    entry: &Entry,
    booking: Booking,
    warnings: Vec<String>,
    debtor: Option<&Debtor>,
    outcome: &mut JournalOutcome,
) -> Result<ReportItem, OrchestratorError> {
    let mut item = send_once(runner, run, entry, booking.clone(), outcome).await?;
    // Field case 5: Octopus no longer knows the relation the ledger holds. Find or recreate it
    // and try the booking once more with the new key.
    if item.octopus.get("octopus_error_code").map(String::as_str) == Some(UNKNOWN_RELATION)
        && let Some(Debtor::Ready { mapped, .. }) = debtor
    {
        let customer_id = entry_customer(entry);
        match customers::resolve_again(runner, run, customer_id, mapped, &mut outcome.calls).await {
            Ok(relation) => {
                let retry = Booking {
                    relation: Some(relation),
                    ..booking
                };
                item = send_once(runner, run, entry, retry, outcome).await?;
                item.warnings.push(format!(
                    "Octopus did not know the relation of customer {customer_id} any more; it was found or recreated as relation {} and the booking sent again",
                    relation.relation_key
                ));
            }
            Err(reason) => {
                item = invoice_item(
                    entry,
                    status::BLOCKED,
                    format!("blocked by customer {customer_id}: {reason}"),
                );
            }
        }
    }
    let mut all = warnings;
    all.append(&mut item.warnings);
    item.warnings = all;
    Ok(item)
}

/// Pauses before asking the gateway again after it could not be reached.
const GATEWAY_RETRY_MS: [u64; 4] = [100, 300, 1_000, 3_000];

/// Whether a gateway call failed for want of a gateway (not because Octopus answered).
fn gateway_unreachable(status: &tonic::Status) -> bool {
    matches!(
        status.code(),
        tonic::Code::Unavailable | tonic::Code::Cancelled | tonic::Code::Unknown
    )
}

/// Octopus's code for an unknown relation (ERR_UNKNOWN_RELATION in its web-service code table).
const UNKNOWN_RELATION: &str = "-16";

fn entry_customer(entry: &Entry) -> i64 {
    match entry {
        Entry::Invoice(invoice) => invoice.customer_id,
        Entry::Problem(_) => 0,
    }
}

/// Records the intent, sends the booking once and records what Octopus now holds.
async fn send_once(
    runner: &Runner,
    run: &RunContext,
    entry: &Entry,
    booking: Booking,
    outcome: &mut JournalOutcome,
) -> Result<ReportItem, OrchestratorError> {
    let dossier_id = run.profile.dossier_id;
    let record = record_of(entry, &booking);
    runner
        .ledger
        .record_intent(dossier_id, &record, &run.run_id)
        .await?;
    let request = CreateBookingRequest {
        dossier: Some(run.dossier.clone()),
        booking: Some(booking),
    };
    let mut answer = runner
        .peers
        .gateway
        .clone()
        .create_booking(request.clone())
        .await;
    // A gateway replica that went away mid-call: ask again (another replica, once the balancer
    // notices). Safe: the gateway settles a booking that the first attempt did store as
    // already booked, through Octopus's strict numbering.
    for delay_ms in GATEWAY_RETRY_MS {
        match &answer {
            Err(status) if gateway_unreachable(status) => {
                tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
                answer = runner
                    .peers
                    .gateway
                    .clone()
                    .create_booking(request.clone())
                    .await;
            }
            _ => break,
        }
    }
    // A transport error leaves the intent in place (the outcome is uncertain and is settled by
    // the next attempt); a definite answer that stored nothing clears it.
    let definite = answer.is_ok();
    let item = match answer {
        Err(error) => invoice_item(
            entry,
            status::FAILED,
            format!("the Octopus gateway could not send it: {}", error.message()),
        ),
        Ok(answer) => {
            let answer = answer.into_inner();
            outcome.calls.add(&answer.calls);
            match BookingOutcome::try_from(answer.outcome) {
                Ok(BookingOutcome::Booked) | Ok(BookingOutcome::AlreadyBooked) => {
                    runner
                        .ledger
                        .record_booked(dossier_id, &record, &run.run_id)
                        .await?;
                    outcome.booked_ids.push(entry.id());
                    let (status, message) = if answer.outcome == BookingOutcome::Booked as i32 {
                        (status::BOOKED, String::new())
                    } else {
                        (
                            status::ALREADY_BOOKED,
                            "Octopus already holds this booking; nothing new was stored".to_owned(),
                        )
                    };
                    let mut item = invoice_item(entry, status, message);
                    item.octopus = booking_octopus(&record);
                    item
                }
                Ok(BookingOutcome::Deferred) => {
                    let mut item = invoice_item(
                        entry,
                        status::DEFERRED,
                        format!(
                            "deferred: Octopus's daily booking cap is reached; it is sent automatically after {}",
                            answer.deferred_until
                        ),
                    );
                    item.octopus
                        .insert("deferred_until".into(), answer.deferred_until.clone());
                    item
                }
                _ => {
                    let code = if answer.octopus_error_code != 0 {
                        format!(" (Octopus error {})", answer.octopus_error_code)
                    } else {
                        String::new()
                    };
                    let mut item =
                        invoice_item(entry, status::FAILED, format!("{}{code}", answer.message));
                    if answer.octopus_error_code != 0 {
                        item.octopus.insert(
                            "octopus_error_code".into(),
                            answer.octopus_error_code.to_string(),
                        );
                    }
                    item
                }
            }
        }
    };
    if definite && item.status != status::BOOKED && item.status != status::ALREADY_BOOKED {
        runner
            .ledger
            .record_not_stored(dossier_id, entry.id())
            .await?;
    }
    Ok(item)
}
