//! CreateBooking: posts one sales booking exactly as the mapper produced it and settles what
//! happened before answering.
//!
//! Octopus has no idempotency key, but document numbers are strictly sequential per (bookyear,
//! journal): a number already used is refused with -13 "Last Document = N". So an unclear
//! answer (no answer, reset, 5xx, non-JSON) is settled by reading the journal's bookings before
//! anything is re-sent (settle.rs). Failures that stored nothing retry with backoff and jitter,
//! a locked journal (403) is waited for a bounded number of times, and a reached daily cap
//! defers the booking without calling Octopus.

use ox_proto::gateway::v1::BookingOutcome;
use reqwest::StatusCode;

use crate::booking_json::BookingOrder;
use crate::calls::Calls;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::http::{Endpoint, ErrorBody, HttpCall, Reply};
use crate::quota::Deferral;
use crate::session::DossierKey;

/// Octopus: "Illegal document seq Nr. Last Document = N. New Document = M."
pub const ILLEGAL_SEQUENCE: i32 = -13;
/// Octopus: "Bookyear period unknown".
const UNKNOWN_PERIOD: i32 = -14;
/// "Unknown journal" in Octopus's web-service code table (third-party source, not the REST
/// docs); its words are matched as well.
const UNKNOWN_JOURNAL: i32 = -10;

/// A booking's settled outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingResult {
    pub outcome: BookingOutcome,
    pub octopus_error_code: i32,
    pub message: String,
    /// The journal's last document number, when known.
    pub last_document_nr: Option<i32>,
    /// RFC 3339, for a deferred booking.
    pub deferred_until: Option<String>,
}

impl BookingResult {
    pub fn new(outcome: BookingOutcome, code: i32, message: String, last: Option<i32>) -> Self {
        Self {
            outcome,
            octopus_error_code: code,
            message,
            last_document_nr: last,
            deferred_until: None,
        }
    }

    fn deferred(deferral: &Deferral) -> Self {
        Self {
            deferred_until: Some(deferral.until_rfc3339()),
            ..Self::new(BookingOutcome::Deferred, 0, deferral.to_string(), None)
        }
    }
}

/// What one attempt came to.
#[derive(Debug)]
pub enum Step {
    /// Settled.
    Done(BookingResult),
    /// Nothing was stored; sending again is safe. `throttled` for a 429, with its Retry-After.
    Again {
        cause: String,
        throttled: bool,
        hint: Option<std::time::Duration>,
    },
    /// 403: the journal is locked (a desktop user has it open) or closed.
    Locked { code: i32 },
}

impl Gateway {
    /// Sends `order` and settles its outcome.
    pub async fn create_booking(
        &self,
        key: &DossierKey,
        order: &BookingOrder,
        calls: &mut Calls,
    ) -> Result<BookingResult, GatewayError> {
        let result = self.book(key, order, calls).await?;
        tracing::info!(
            dossier_id = key.dossier_id,
            journal = %order.journal_key,
            number = order.number,
            outcome = result.outcome.as_str_name(),
            octopus_error_code = result.octopus_error_code,
            "booking settled"
        );
        if let Some(last) = result.last_document_nr {
            self.raise_last_booked(key.dossier_id, order.bookyear_id, &order.journal_key, last)
                .await?;
        }
        Ok(result)
    }

    async fn book(
        &self,
        key: &DossierKey,
        order: &BookingOrder,
        calls: &mut Calls,
    ) -> Result<BookingResult, GatewayError> {
        let retry = self.octopus.retry();
        let (mut attempt, mut locked) = (1, 1);
        loop {
            let call =
                HttpCall::new(Endpoint::BookingsPost, key.dossier_id).json(order.body().to_owned());
            let outcome = match self.octopus.dossier_call(key, call, calls).await {
                Ok(outcome) => outcome,
                // Not sent (cap reached for the POST or the connect): nothing can be stored.
                Err(GatewayError::Deferred(deferral)) => {
                    return Ok(BookingResult::deferred(&deferral));
                }
                Err(error) => return Err(error),
            };
            let step = match outcome {
                Ok(reply) => self.judge(key, order, reply, calls).await?,
                Err(transport) if !transport.sent => Step::Again {
                    cause: transport.cause,
                    throttled: false,
                    hint: None,
                },
                Err(transport) => {
                    self.settle_uncertain(key, order, transport.cause, calls)
                        .await?
                }
            };
            match step {
                Step::Done(result) => return Ok(result),
                Step::Again {
                    cause,
                    throttled,
                    hint,
                } => {
                    if attempt >= retry.attempts || retry.too_long(hint) {
                        return Ok(self.give_up(key, order, &cause, attempt, throttled, hint));
                    }
                    tracing::info!(dossier_id = key.dossier_id, attempt, cause = %cause, "booking not stored, sending again");
                    retry.wait(attempt, hint).await;
                    attempt += 1;
                }
                Step::Locked { code } => {
                    if locked >= self.locked_journal.attempts {
                        let message = format!(
                            "journal {} is locked or closed in Octopus (tried {locked} times)",
                            order.journal_key
                        );
                        return Ok(BookingResult::new(
                            BookingOutcome::Rejected,
                            code,
                            message,
                            None,
                        ));
                    }
                    tracing::info!(dossier_id = key.dossier_id, journal = %order.journal_key, attempt = locked, "journal locked, waiting");
                    self.locked_journal.wait(locked, None).await;
                    locked += 1;
                }
            }
        }
    }

    /// The answer after the last attempt stored nothing.
    fn give_up(
        &self,
        key: &DossierKey,
        order: &BookingOrder,
        cause: &str,
        attempts: u32,
        throttled: bool,
        hint: Option<std::time::Duration>,
    ) -> BookingResult {
        if throttled {
            let quotas = self.octopus.http().quotas();
            let deferral = quotas.refused_by_octopus(Endpoint::BookingsPost, key.dossier_id, hint);
            return BookingResult::deferred(&deferral);
        }
        let message = format!(
            "Octopus did not store booking {} of journal {} (tried {attempts} times; nothing was \
             stored, sending it again is safe): {cause}",
            order.number, order.journal_key
        );
        BookingResult::new(BookingOutcome::Rejected, 0, message, None)
    }

    async fn judge(
        &self,
        key: &DossierKey,
        order: &BookingOrder,
        reply: Reply,
        calls: &mut Calls,
    ) -> Result<Step, GatewayError> {
        let status = reply.status;
        if status.is_success() {
            let message = format!(
                "booked as number {} of journal {}",
                order.number, order.journal_key
            );
            return Ok(Step::Done(BookingResult::new(
                BookingOutcome::Booked,
                0,
                message,
                Some(order.number),
            )));
        }
        let body = ErrorBody::parse(&reply.body);
        if status == StatusCode::FORBIDDEN {
            let code = body.and_then(|body| body.error_code).unwrap_or_default();
            return Ok(Step::Locked { code });
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            // Octopus counted past a cap the gateway did not know of; nothing was stored.
            let cause = match body {
                Some(body) => format!("Octopus answered 429: {}", body.describe()),
                None => "Octopus answered 429".to_owned(),
            };
            return Ok(Step::Again {
                cause,
                throttled: true,
                hint: reply.retry_after,
            });
        }
        let body = match body {
            Some(body) if status.is_client_error() => body,
            _ => {
                let cause = match body {
                    Some(_) => format!("Octopus answered HTTP {}", status.as_u16()),
                    None => format!(
                        "Octopus answered HTTP {} without a JSON body",
                        status.as_u16()
                    ),
                };
                return self.settle_uncertain(key, order, cause, calls).await;
            }
        };
        let code = body.error_code.unwrap_or_default();
        if code == ILLEGAL_SEQUENCE {
            return Ok(Step::Done(
                self.sequence_refused(key, order, &body, calls).await?,
            ));
        }
        let stale =
            code == UNKNOWN_PERIOD || code == UNKNOWN_JOURNAL || names_unknown_journal(&body);
        if stale {
            // The stored bookyears or journals no longer match Octopus's: read them again.
            self.mark_structure_stale(key.dossier_id).await?;
        }
        let what = if code == UNKNOWN_PERIOD {
            "period"
        } else {
            "the booking"
        };
        let message = format!("Octopus refused {what}: {}", body.describe());
        Ok(Step::Done(BookingResult::new(
            BookingOutcome::Rejected,
            code,
            message,
            None,
        )))
    }
}

/// Whether Octopus's words say the journal is unknown (its code for that is not documented).
fn names_unknown_journal(body: &ErrorBody) -> bool {
    [&body.error_message, &body.technical_info]
        .into_iter()
        .flatten()
        .map(|text| text.to_ascii_lowercase())
        .any(|text| text.contains("unknown journal") || text.contains("journal unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_an_unknown_journal_in_words() {
        let body = |message: &str| ErrorBody {
            error_code: Some(-6),
            error_message: Some(message.to_owned()),
            technical_info: None,
        };
        assert!(names_unknown_journal(&body("Journal unknown")));
        assert!(names_unknown_journal(&body("Unknown journal V9")));
        assert!(!names_unknown_journal(&body("Relation unknown")));
    }
}
