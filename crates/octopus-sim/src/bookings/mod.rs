//! Buy/sell bookings of one dossier: creating one (`POST`, which bumps the journal's
//! `lastBookedDocumentNr`), changing one (`PUT`), and the two read queries. The checks live in
//! `checks.rs`; callers hold the state lock, so each write is atomic.

mod checks;

use base64::Engine as _;
use chrono::{DateTime, Utc};

pub(crate) use checks::BookingChecks;
use checks::{Mode, required, validate};

use crate::error::ApiError;
use crate::store::{Dossier, StoredAttachment, StoredBooking};
use crate::wire::{BookingData, BookingRequest, Key};

/// Decodes the attachments of a POST body (outside the state lock: base64 costs time).
/// Returns (file name, size) per attachment, or `None` when one lacks a name or valid base64.
pub(crate) fn decoded_attachments(request: &BookingRequest) -> Option<Vec<(String, usize)>> {
    let engine = base64::engine::general_purpose::STANDARD;
    let mut scratch = Vec::new();
    request
        .attachments
        .iter()
        .flatten()
        .map(|a| {
            let name = a.file_name.as_deref().filter(|n| !n.trim().is_empty())?;
            scratch.clear();
            engine
                .decode_vec(a.file_data.as_deref()?.trim(), &mut scratch)
                .ok()?;
            Some((name.to_owned(), scratch.len()))
        })
        .collect()
}

/// Validates a booking POST and stores it, bumping the journal's `lastBookedDocumentNr`.
/// `attachments` is the result of [`decoded_attachments`].
pub(crate) fn insert(
    d: &mut Dossier,
    data: Option<BookingData>,
    attachments: Option<Vec<(String, usize)>>,
    checks: BookingChecks,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let mut data = data.ok_or_else(ApiError::invalid_parameters)?;
    let req = required(&data).ok_or_else(ApiError::invalid_parameters)?;
    let attachments = attachments.ok_or_else(ApiError::invalid_parameters)?;
    let relation = validate(d, &req, Mode::Insert, checks, now)?;
    let (bookyear_id, sequence_nr) = (req.bookyear_id, req.sequence_nr);
    let journal_key = req.journal_key.to_owned();

    data.bookyear_key = Some(Key { id: bookyear_id });
    data.relation_identification_service_data = Some(relation);
    if let Some(journal) = d.journal_mut(bookyear_id, &journal_key) {
        journal.last_booked_document_nr = sequence_nr;
    }
    d.touch_journal(bookyear_id, &journal_key, now);
    for (file_name, size_bytes) in attachments {
        d.attachments.push(StoredAttachment {
            bookyear_id,
            journal_key: journal_key.clone(),
            document_sequence_nr: sequence_nr,
            file_name,
            size_bytes,
        });
    }
    d.bookings.push(StoredBooking {
        bookyear_id,
        journal_key,
        document_sequence_nr: sequence_nr,
        data,
        modified_at: now,
    });
    Ok(())
}

/// Validates a booking PUT (same rules as a POST, but the document must already exist) and
/// replaces the stored booking.
pub(crate) fn update(
    d: &mut Dossier,
    mut data: BookingData,
    checks: BookingChecks,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let req = required(&data).ok_or_else(ApiError::invalid_parameters)?;
    let relation = validate(d, &req, Mode::Update, checks, now)?;
    let (bookyear_id, sequence_nr) = (req.bookyear_id, req.sequence_nr);
    let journal_key = req.journal_key.to_owned();
    data.bookyear_key = Some(Key { id: bookyear_id });
    data.relation_identification_service_data = Some(relation);
    let stored = d.bookings.iter_mut().find(|b| {
        b.bookyear_id == bookyear_id
            && b.journal_key == journal_key
            && b.document_sequence_nr == sequence_nr
    });
    if let Some(stored) = stored {
        stored.data = data;
        stored.modified_at = now;
    }
    Ok(())
}

/// Returns the booking with this key.
pub(crate) fn find(
    d: &Dossier,
    bookyear_id: i32,
    journal_key: &str,
    sequence_nr: i32,
) -> Option<BookingData> {
    d.bookings
        .iter()
        .find(|b| {
            b.bookyear_id == bookyear_id
                && b.journal_key == journal_key
                && b.document_sequence_nr == sequence_nr
        })
        .map(|b| b.data.clone())
}

/// Returns bookings changed at or after `since`, in one bookyear (or all with -1) and
/// optionally one journal.
pub(crate) fn modified(
    d: &Dossier,
    bookyear_id: i32,
    journal_key: Option<&str>,
    since: DateTime<Utc>,
) -> Vec<BookingData> {
    d.bookings
        .iter()
        .filter(|b| bookyear_id == -1 || b.bookyear_id == bookyear_id)
        .filter(|b| journal_key.is_none_or(|k| b.journal_key == k))
        .filter(|b| b.modified_at >= since)
        .map(|b| b.data.clone())
        .collect()
}
