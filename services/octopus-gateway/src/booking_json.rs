//! A sales booking checked and written exactly as Octopus takes it: the
//! `BuySellBookingAndAttachmentRequest` of octopus-api.md §2.5, amounts as JSON numbers with
//! exactly two decimals.

use chrono::NaiveDate;
use ox_domain::money::{parse_amount, round_cents};
use ox_proto::gateway::v1 as pb;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::GatewayError;
use crate::relation_json::{KeyOut, RelationIdOut, text};

/// A booking that passed the gateway's checks.
#[derive(Debug)]
pub struct BookingOrder {
    pub bookyear_id: i32,
    pub journal_key: String,
    pub number: i32,
    /// Whole cents, two decimals.
    pub amount: Decimal,
    pub comment: String,
    body: String,
}

impl BookingOrder {
    /// The JSON body of `POST /buysellbookings`.
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl TryFrom<pb::Booking> for BookingOrder {
    type Error = GatewayError;

    fn try_from(booking: pb::Booking) -> Result<Self, Self::Error> {
        let invalid = |message: String| GatewayError::InvalidArgument(message);
        let journal_key = booking.journal_key.trim().to_owned();
        let number = booking.document_sequence_nr;
        if booking.bookyear_id <= 0 || journal_key.is_empty() || number <= 0 {
            return Err(invalid(format!(
                "a booking needs a bookyear id, a journal key and a document number above 0 \
                 (got bookyear {}, journal {:?}, number {number})",
                booking.bookyear_id, booking.journal_key
            )));
        }
        let what = format!("booking {number} of journal {journal_key}");
        if booking.bookyear_period_nr <= 0 {
            return Err(invalid(format!("{what}: the bookyear period is missing")));
        }
        let document_date = date(&what, "document_date", &booking.document_date)?;
        let expiry_date = date(&what, "expiry_date", &booking.expiry_date)?;
        let relation = RelationIdOut::from_ref(&booking.relation.unwrap_or_default(), &what)?;
        let amount = cents(&what, "amount", &booking.amount)?;
        let exchange_rate = match booking.exchange_rate.trim() {
            "" => Decimal::new(10, 1),
            rate => parse_amount("exchange_rate", rate)
                .ok()
                .filter(|rate| *rate > Decimal::ZERO)
                .ok_or_else(|| {
                    invalid(format!(
                        "{what}: exchange_rate {rate:?} is not a positive decimal"
                    ))
                })?,
        };
        if booking.lines.is_empty() {
            return Err(invalid(format!(
                "{what}: a booking needs at least one line"
            )));
        }
        let mut lines = Vec::with_capacity(booking.lines.len());
        let mut sum = Decimal::ZERO;
        for line in &booking.lines {
            let vat_code_key = line.vat_code.trim().to_owned();
            if line.account_key <= 0 || vat_code_key.is_empty() {
                return Err(invalid(format!(
                    "{what}: every line needs an account and a VAT code (account {}, VAT code {:?})",
                    line.account_key, line.vat_code
                )));
            }
            let base_amount = cents(&what, "base_amount", &line.base_amount)?;
            let vat_amount = cents(&what, "vat_amount", &line.vat_amount)?;
            sum += base_amount + vat_amount;
            lines.push(LineOut {
                account_key: line.account_key,
                base_amount,
                vat_code_key,
                vat_amount,
                comment: text(&line.comment),
            });
        }
        // Invariant I4: a credit note carries a negative total over positive lines.
        if sum != amount.abs() && sum != amount {
            return Err(invalid(format!(
                "{what}: amount {amount} is not the sum of base and VAT of its lines ({sum})"
            )));
        }
        let comment = booking.comment.trim().to_owned();
        let data = BookingOut {
            bookyear_key: KeyOut {
                id: booking.bookyear_id,
            },
            journal_key: journal_key.clone(),
            document_sequence_nr: number,
            bookyear_periode_nr: booking.bookyear_period_nr,
            document_date,
            expiry_date,
            relation_identification_service_data: relation,
            comment: text(&comment),
            reference: text(&booking.reference),
            amount,
            currency_code: text(&booking.currency_code).unwrap_or_else(|| "EUR".to_owned()),
            exchange_rate: with_one_decimal(exchange_rate),
            booking_lines: lines,
        };
        let body = serde_json::to_string(&RequestOut {
            buy_sell_booking_service_data: data,
            attachments: Vec::new(),
        })
        .map_err(|error| invalid(format!("{what}: cannot be written as JSON: {error}")))?;
        Ok(Self {
            bookyear_id: booking.bookyear_id,
            journal_key,
            number,
            amount,
            comment,
            body,
        })
    }
}

fn date(what: &str, field: &str, value: &str) -> Result<NaiveDate, GatewayError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        GatewayError::InvalidArgument(format!(
            "{what}: {field} {value:?} is not a YYYY-MM-DD date"
        ))
    })
}

/// A whole-cents amount with exactly two decimals; more precision is refused, not rounded away.
fn cents(what: &str, field: &'static str, value: &str) -> Result<Decimal, GatewayError> {
    let amount = parse_amount(field, value)
        .map_err(|error| GatewayError::InvalidArgument(format!("{what}: {error}")))?;
    let rounded = round_cents(amount);
    if rounded != amount {
        return Err(GatewayError::InvalidArgument(format!(
            "{what}: {field} {value:?} has more than two decimals"
        )));
    }
    Ok(rounded)
}

fn with_one_decimal(mut rate: Decimal) -> Decimal {
    rate = rate.normalize();
    if rate.scale() == 0 {
        rate.rescale(1);
    }
    rate
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestOut {
    buy_sell_booking_service_data: BookingOut,
    attachments: Vec<serde_json::Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BookingOut {
    bookyear_key: KeyOut,
    journal_key: String,
    document_sequence_nr: i32,
    bookyear_periode_nr: i32,
    document_date: NaiveDate,
    expiry_date: NaiveDate,
    relation_identification_service_data: RelationIdOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
    currency_code: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    exchange_rate: Decimal,
    booking_lines: Vec<LineOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LineOut {
    account_key: i32,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    base_amount: Decimal,
    vat_code_key: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    vat_amount: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking() -> pb::Booking {
        pb::Booking {
            bookyear_id: 3,
            journal_key: "V1".into(),
            document_sequence_nr: 57,
            bookyear_period_nr: 202403,
            document_date: "2024-03-15".into(),
            expiry_date: "2024-04-14".into(),
            relation: Some(pb::RelationRef {
                relation_key: 28,
                external_relation_id: 100042,
            }),
            comment: "INV-2024-0057".into(),
            reference: "".into(),
            amount: "181.5".into(),
            currency_code: "".into(),
            exchange_rate: "".into(),
            lines: vec![
                pb::BookingLine {
                    account_key: 700000,
                    base_amount: "100".into(),
                    vat_code: "21".into(),
                    vat_amount: "21.00".into(),
                    comment: "Consulting".into(),
                },
                pb::BookingLine {
                    account_key: 700100,
                    base_amount: "50.00".into(),
                    vat_code: "21".into(),
                    vat_amount: "10.5".into(),
                    comment: "".into(),
                },
            ],
        }
    }

    #[test]
    fn writes_exact_field_names_and_two_decimal_numbers() {
        let order = BookingOrder::try_from(booking()).unwrap();
        let body = order.body();
        for expected in [
            r#""bookyearKey":{"id":3}"#,
            r#""journalKey":"V1""#,
            r#""documentSequenceNr":57"#,
            r#""bookyearPeriodeNr":202403"#,
            r#""documentDate":"2024-03-15""#,
            r#""relationIdentificationServiceData":{"relationKey":{"id":28},"externalRelationId":100042}"#,
            r#""amount":181.50"#,
            r#""currencyCode":"EUR""#,
            r#""exchangeRate":1.0"#,
            r#""baseAmount":100.00"#,
            r#""vatAmount":21.00"#,
            r#""vatAmount":10.50"#,
            r#""vatCodeKey":"21""#,
            r#""attachments":[]"#,
        ] {
            assert!(body.contains(expected), "{expected} missing in {body}");
        }
        assert!(!body.contains("\"\""), "{body}");
        assert!(!body.contains("reference"));
    }

    #[test]
    fn accepts_a_credit_note_with_negative_total() {
        let mut credit = booking();
        credit.amount = "-181.50".into();
        let order = BookingOrder::try_from(credit).unwrap();
        assert!(order.body().contains(r#""amount":-181.50"#));
    }

    #[test]
    fn refuses_bad_input_with_specific_messages() {
        let mut unbalanced = booking();
        unbalanced.amount = "181.49".into();
        let error = BookingOrder::try_from(unbalanced).unwrap_err().to_string();
        assert!(error.contains("not the sum"), "{error}");

        let mut precise = booking();
        precise.lines[0].vat_amount = "21.004".into();
        let error = BookingOrder::try_from(precise).unwrap_err().to_string();
        assert!(error.contains("more than two decimals"), "{error}");

        let mut bad_date = booking();
        bad_date.expiry_date = "14/04/2024".into();
        let error = BookingOrder::try_from(bad_date).unwrap_err().to_string();
        assert!(error.contains("expiry_date"), "{error}");

        let mut no_relation = booking();
        no_relation.relation = None;
        assert!(BookingOrder::try_from(no_relation).is_err());

        let mut comma = booking();
        comma.amount = "181,50".into();
        let error = BookingOrder::try_from(comma).unwrap_err().to_string();
        assert!(error.contains("not a decimal amount"), "{error}");
    }
}
