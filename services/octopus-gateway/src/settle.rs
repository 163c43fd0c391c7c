//! Settling a booking whose answer did not say what happened: -13 "Last Document = N" and
//! uncertain outcomes (no answer, reset, 5xx, non-JSON) are settled by reading the journal's
//! bookings (`/buysellbookings/modified`) and comparing with what was sent. Never a blind resend.

use ox_proto::gateway::v1::BookingOutcome;

use crate::booking::{BookingResult, ILLEGAL_SEQUENCE, Step};
use crate::booking_json::BookingOrder;
use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::http::{Endpoint, ErrorBody, HttpCall};
use crate::session::DossierKey;
use crate::wire::BookingSeen;

/// The `modifiedTimeStamp` Octopus advises for a full read of one bookyear's journal.
const SINCE_EVER: &str = "1980-01-01 00:00:00.000";

impl Gateway {
    /// Error -13: the number is not `last + 1`. Reconciles instead of renumbering.
    pub(crate) async fn sequence_refused(
        &self,
        key: &DossierKey,
        order: &BookingOrder,
        body: &ErrorBody,
        calls: &mut Calls,
    ) -> Result<BookingResult, GatewayError> {
        let (journal, number) = (&order.journal_key, order.number);
        let Some(last) = last_document(body) else {
            let message = format!("Octopus refused the document number: {}", body.describe());
            return Ok(BookingResult::new(
                BookingOutcome::Rejected,
                ILLEGAL_SEQUENCE,
                message,
                None,
            ));
        };
        let result =
            |outcome, message| BookingResult::new(outcome, ILLEGAL_SEQUENCE, message, Some(last));
        if last < number - 1 {
            let message =
                format!("journal {journal} is at {last}; invoice {number} would leave a gap");
            return Ok(result(BookingOutcome::OutOfSequence, message));
        }
        if last == number - 1 {
            // Octopus contradicts itself (number is last + 1); a person must look.
            let message = format!("Octopus refused the document number: {}", body.describe());
            return Ok(result(BookingOutcome::Rejected, message));
        }
        Ok(match self.find_booked(key, order, calls).await? {
            Some(seen) if same(order, &seen) => result(
                BookingOutcome::AlreadyBooked,
                format!(
                    "Octopus already holds number {number} of journal {journal} with the same amount and comment"
                ),
            ),
            Some(seen) => result(BookingOutcome::Rejected, taken(order, &seen)),
            None => result(
                BookingOutcome::Rejected,
                format!(
                    "journal {journal} is at {last} but Octopus lists no booking number {number}; \
                     check the journal in Octopus"
                ),
            ),
        })
    }

    /// No clear answer (timeout, reset, 5xx, non-JSON): look before anything is re-sent. Found
    /// and the same: booked. Found and different: the number is taken. Not found: nothing was
    /// stored, so sending again is safe.
    pub(crate) async fn settle_uncertain(
        &self,
        key: &DossierKey,
        order: &BookingOrder,
        cause: String,
        calls: &mut Calls,
    ) -> Result<Step, GatewayError> {
        tracing::warn!(
            dossier_id = key.dossier_id,
            journal = %order.journal_key,
            number = order.number,
            cause = %cause,
            "booking outcome uncertain, settling"
        );
        let seen =
            self.find_booked(key, order, calls)
                .await
                .map_err(|error| GatewayError::Unsettled {
                    journal: order.journal_key.clone(),
                    number: order.number,
                    cause: cause.clone(),
                    check: error.to_string(),
                })?;
        Ok(match seen {
            Some(seen) if same(order, &seen) => Step::Done(BookingResult::new(
                BookingOutcome::Booked,
                0,
                format!(
                    "booked as number {} of journal {} (Octopus's answer was lost: {cause}; the \
                     journal shows it stored)",
                    order.number, order.journal_key
                ),
                Some(order.number),
            )),
            Some(seen) => Step::Done(BookingResult::new(
                BookingOutcome::Rejected,
                0,
                taken(order, &seen),
                None,
            )),
            None => Step::Again {
                cause,
                throttled: false,
                hint: None,
            },
        })
    }

    /// The booking Octopus holds under the order's (bookyear, journal, number), if any.
    async fn find_booked(
        &self,
        key: &DossierKey,
        order: &BookingOrder,
        calls: &mut Calls,
    ) -> Result<Option<BookingSeen>, GatewayError> {
        let call = HttpCall::new(Endpoint::BookingsModified, key.dossier_id)
            .query("bookyearId", order.bookyear_id)
            .query("journalKey", &order.journal_key)
            .query("modifiedTimeStamp", SINCE_EVER);
        let seen: Vec<BookingSeen> = self.octopus.get_list(key, call, calls).await?;
        Ok(seen.into_iter().find(|booking| {
            booking.document_sequence_nr == order.number
                && booking
                    .journal_key
                    .as_deref()
                    .is_none_or(|journal| journal.trim().eq_ignore_ascii_case(&order.journal_key))
                && booking
                    .bookyear_key
                    .as_ref()
                    .is_none_or(|bookyear| bookyear.id == 0 || bookyear.id == order.bookyear_id)
        }))
    }
}

/// The same booking: equal amount (as a number) and equal comment.
fn same(order: &BookingOrder, seen: &BookingSeen) -> bool {
    seen.amount() == Some(order.amount) && seen.comment == order.comment
}

fn taken(order: &BookingOrder, seen: &BookingSeen) -> String {
    let amount = seen
        .amount()
        .map_or_else(|| "unknown".to_owned(), |amount| amount.to_string());
    format!(
        "number {} of journal {} is taken by another booking in Octopus (amount {amount}, \
         comment {:?}; this booking has amount {}, comment {:?})",
        order.number, order.journal_key, seen.comment, order.amount, order.comment
    )
}

/// "Last Document = N" from Octopus's technical info (or message).
fn last_document(body: &ErrorBody) -> Option<i32> {
    [&body.technical_info, &body.error_message]
        .into_iter()
        .flatten()
        .find_map(|text| parse_last_document(text))
}

fn parse_last_document(text: &str) -> Option<i32> {
    const LABEL: &str = "last document";
    // ASCII lower-casing keeps byte offsets, so `at` indexes `text` too.
    let at = text.to_ascii_lowercase().find(LABEL)? + LABEL.len();
    let rest = text[at..].trim_start();
    let rest = rest
        .strip_prefix('=')
        .or_else(|| rest.strip_prefix(':'))?
        .trim_start();
    let end = rest
        .char_indices()
        .find(|&(index, c)| !(c.is_ascii_digit() || (index == 0 && c == '-')))
        .map_or(rest.len(), |(index, _)| index);
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_last_document_from_octopus_text() {
        let text = "Unable to insert booking in dossier 49555.  Illegal document seq Nr.  \
                    Last Document = 6.  New Document = 1. ";
        assert_eq!(parse_last_document(text), Some(6));
        assert_eq!(parse_last_document("last document=120."), Some(120));
        assert_eq!(parse_last_document("Last Document: 0"), Some(0));
        assert_eq!(parse_last_document("Last Document = ?"), None);
        assert_eq!(parse_last_document("Illegal document seq Nr."), None);
    }

    #[test]
    fn finds_last_document_in_either_field() {
        let body = ErrorBody {
            error_code: Some(-13),
            error_message: Some("Last Document = 9. New Document = 3.".into()),
            technical_info: Some("Illegal document seq Nr.".into()),
        };
        assert_eq!(last_document(&body), Some(9));
    }
}
