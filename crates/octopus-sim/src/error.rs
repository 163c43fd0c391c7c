//! Octopus's `ErrorResult {errorCode, errorMessage, technicalInfo}` answers: every error code the
//! simulator uses (known ones copied from Octopus, the rest chosen here) and their HTTP statuses.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The `technicalInfo` Octopus sends for a missing or malformed parameter or body field.
pub const INVALID_PARAMETERS: &str = "Invalid or missing parameters passed";

/// Every coded error the simulator can answer. Codes -13, -14 and -79 are Octopus's own; the
/// others fill gaps the public material leaves open (see the crate documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// -13: `documentSequenceNr` is not `lastBookedDocumentNr + 1`.
    IllegalDocumentSequence,
    /// -14: `bookyearPeriodeNr` is not a period of the bookyear.
    BookyearPeriodUnknown,
    /// -9: `bookyearKey.id` is not a bookyear of the dossier.
    UnknownBookyear,
    /// -101: the bookyear is closed.
    BookyearClosed,
    /// -10: the journal does not exist in that bookyear.
    UnknownJournal,
    /// -29: the journal cannot take buy/sell bookings (not an A or V journal, or a V journal
    /// whose `insertionType` is not 1).
    WrongJournalType,
    /// -11: the journal is closed or locked by a desktop user (HTTP 403).
    JournalClosedOrLocked,
    /// -102: the period is not after the journal's `closedPeriod`.
    PeriodClosed,
    /// -15: the period is not after the journal's `protectedPeriod`.
    PeriodProtected,
    /// -16: no relation matches `relationKey.id` / `externalRelationId` (or they disagree).
    UnknownRelation,
    /// -103: the relation exists but is inactive.
    RelationInactive,
    /// -104: the relation is not a client (sales journal) or not a supplier (purchase journal).
    RelationWrongRole,
    /// -22: a line's `vatCodeKey` is not a VAT code of the dossier.
    UnknownVatCode,
    /// -75: the VAT code is a purchase code in a sales journal or the other way round.
    VatCodeWrongType,
    /// -21: a line's `accountKey` is not an account of the bookyear.
    UnknownAccount,
    /// -105: `amount` is not Σ(baseAmount + vatAmount) (negated for a credit note).
    AmountMismatch,
    /// -106: an amount has more than two decimals.
    TooManyDecimals,
    /// -19: unknown currency code, or an exchange rate other than 1 for EUR.
    UnknownCurrency,
    /// -107: the `externalRelationId` already belongs to another relation.
    ExternalRelationIdInUse,
    /// -3: the user may not open the dossier, or it is disabled (HTTP 403).
    DossierUnauthorized,
    /// -108: no such dossier (HTTP 404).
    DossierNotFound,
    /// -79: no `dossierToken` (or no `Token`) header (HTTP 401).
    EmptyAccessToken,
    /// -80: the token is unknown, expired, of the wrong kind or for another dossier (HTTP 401).
    InvalidToken,
    /// -110: a relation's Belgian `vatNr` is not `BE0xxx.xxx.xxx` with a valid mod-97 check.
    InvalidVatNumber,
    /// -111: a booking PUT names a document that does not exist.
    UnknownBooking,
    /// -23: a booking line's base and VAT amounts have opposite signs.
    OppositeSigns,
    /// -112: a booking line is negative (lines stay positive; a negative amount makes a credit note).
    NegativeLine,
    /// -90: the endpoint's daily cap is used up (HTTP 429; only with daily caps switched on).
    DailyCapExceeded,
}

impl ErrorCode {
    /// Every code, for `GET /error` and the documentation tests.
    pub const ALL: [ErrorCode; 28] = [
        Self::IllegalDocumentSequence,
        Self::BookyearPeriodUnknown,
        Self::UnknownBookyear,
        Self::BookyearClosed,
        Self::UnknownJournal,
        Self::WrongJournalType,
        Self::JournalClosedOrLocked,
        Self::PeriodClosed,
        Self::PeriodProtected,
        Self::UnknownRelation,
        Self::RelationInactive,
        Self::RelationWrongRole,
        Self::UnknownVatCode,
        Self::VatCodeWrongType,
        Self::UnknownAccount,
        Self::AmountMismatch,
        Self::TooManyDecimals,
        Self::UnknownCurrency,
        Self::ExternalRelationIdInUse,
        Self::DossierUnauthorized,
        Self::DossierNotFound,
        Self::EmptyAccessToken,
        Self::InvalidToken,
        Self::InvalidVatNumber,
        Self::UnknownBooking,
        Self::OppositeSigns,
        Self::NegativeLine,
        Self::DailyCapExceeded,
    ];

    /// Whether Octopus's REST API is confirmed to use this code (-13, -14, -79). Several others
    /// come from Octopus's web-service code table (see the README); the rest are the simulator's.
    pub fn known_from_octopus(self) -> bool {
        matches!(
            self,
            Self::IllegalDocumentSequence | Self::BookyearPeriodUnknown | Self::EmptyAccessToken
        )
    }

    /// Returns the numeric `errorCode`.
    pub fn code(self) -> i32 {
        match self {
            Self::IllegalDocumentSequence => -13,
            Self::BookyearPeriodUnknown => -14,
            Self::UnknownBookyear => -9,
            Self::BookyearClosed => -101,
            Self::UnknownJournal => -10,
            Self::WrongJournalType => -29,
            Self::JournalClosedOrLocked => -11,
            Self::PeriodClosed => -102,
            Self::PeriodProtected => -15,
            Self::UnknownRelation => -16,
            Self::RelationInactive => -103,
            Self::RelationWrongRole => -104,
            Self::UnknownVatCode => -22,
            Self::VatCodeWrongType => -75,
            Self::UnknownAccount => -21,
            Self::AmountMismatch => -105,
            Self::TooManyDecimals => -106,
            Self::UnknownCurrency => -19,
            Self::ExternalRelationIdInUse => -107,
            Self::DossierUnauthorized => -3,
            Self::DossierNotFound => -108,
            Self::EmptyAccessToken => -79,
            Self::InvalidToken => -80,
            Self::InvalidVatNumber => -110,
            Self::UnknownBooking => -111,
            Self::OppositeSigns => -23,
            Self::NegativeLine => -112,
            Self::DailyCapExceeded => -90,
        }
    }

    /// Returns the code with this number.
    pub fn from_code(code: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Returns the HTTP status that carries this code.
    pub fn status(self) -> StatusCode {
        match self {
            Self::JournalClosedOrLocked | Self::DossierUnauthorized => StatusCode::FORBIDDEN,
            Self::DossierNotFound => StatusCode::NOT_FOUND,
            Self::EmptyAccessToken | Self::InvalidToken => StatusCode::UNAUTHORIZED,
            Self::DailyCapExceeded => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// Returns the `errorMessage` (Octopus's Dutch text where it is known).
    pub fn message(self) -> &'static str {
        match self {
            Self::IllegalDocumentSequence => {
                "Het document nummer is ongeldig. Het document nummer dient tevens oplopend te zijn en dient opeenvolgend te zijn met het laatste document nummer van het dagboek."
            }
            Self::BookyearPeriodUnknown => {
                "De gebruikte boekjaar periode bestaat niet in het boekjaar."
            }
            Self::UnknownBookyear => "Unknown book year",
            Self::BookyearClosed => "Book year is closed",
            Self::UnknownJournal => "Unknown journal",
            Self::WrongJournalType => "Journal has the wrong type for buy/sell bookings",
            Self::JournalClosedOrLocked => "Journal either closed or open by other user",
            Self::PeriodClosed => "Book year period is closed",
            Self::PeriodProtected => "Book year period is protected",
            Self::UnknownRelation => "Unknown relation",
            Self::RelationInactive => "Relation is not active",
            Self::RelationWrongRole => "Relation is not a client or supplier for this journal",
            Self::UnknownVatCode => "Unknown VAT code",
            Self::VatCodeWrongType => "VAT code not allowed in this journal",
            Self::UnknownAccount => "Unknown account",
            Self::AmountMismatch => "The amount does not equal the sum of the lines",
            Self::TooManyDecimals => "Amounts may have at most 2 decimals",
            Self::UnknownCurrency => "Unknown currency or invalid exchange rate",
            Self::ExternalRelationIdInUse => {
                "External relation id is already used by another relation"
            }
            Self::DossierUnauthorized => "Unauthorized or disabled dossier",
            Self::DossierNotFound => "Dossier not found",
            Self::EmptyAccessToken => "Empty access token",
            Self::InvalidToken => "Invalid or expired token presented",
            Self::InvalidVatNumber => "Invalid VAT number",
            Self::UnknownBooking => "Booking not found",
            Self::OppositeSigns => "Base amount and VAT amount of a line have opposite signs",
            Self::NegativeLine => {
                "Booking lines may not be negative; a credit note has a negative amount and positive lines"
            }
            Self::DailyCapExceeded => "Maximum allowed calls per day exceeded",
        }
    }
}

/// The JSON body of an Octopus error; absent fields are left out, as Octopus does.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResult {
    /// Negative Octopus error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i32>,
    /// Human-readable message in the dossier's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Technical detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technical_info: Option<String>,
}

/// An HTTP error answer: a status with an `ErrorResult`, or with no body at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body; `None` sends an empty body.
    pub body: Option<ErrorResult>,
}

impl ApiError {
    /// Returns a coded error with Octopus's message and the given technical info.
    pub fn coded(code: ErrorCode, technical_info: impl Into<String>) -> Self {
        Self {
            status: code.status(),
            body: Some(ErrorResult {
                error_code: Some(code.code()),
                error_message: Some(code.message().to_owned()),
                technical_info: Some(technical_info.into()),
            }),
        }
    }

    /// Returns 400 with only `technicalInfo: "Invalid or missing parameters passed"`.
    pub fn invalid_parameters() -> Self {
        Self::technical(StatusCode::BAD_REQUEST, INVALID_PARAMETERS)
    }

    /// Returns a status with only a `technicalInfo`.
    pub fn technical(status: StatusCode, technical_info: impl Into<String>) -> Self {
        let body = ErrorResult {
            technical_info: Some(technical_info.into()),
            ..ErrorResult::default()
        };
        Self {
            status,
            body: Some(body),
        }
    }

    /// Returns 404 with only an `errorMessage`, e.g. "No relations found".
    pub fn not_found(message: &str) -> Self {
        let body = ErrorResult {
            error_message: Some(message.to_owned()),
            ..ErrorResult::default()
        };
        Self {
            status: StatusCode::NOT_FOUND,
            body: Some(body),
        }
    }

    /// Returns a status with an empty body (the booking 500 "Invalid elements in the passed object").
    pub fn empty(status: StatusCode) -> Self {
        Self { status, body: None }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.body {
            Some(body) => (self.status, axum::Json(body)).into_response(),
            None => (self.status, [(header::CONTENT_LENGTH, "0")]).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(code.code()), Some(code));
            assert!(code.code() < 0);
        }
        let mut numbers: Vec<i32> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn the_readme_documents_every_code_with_its_status() {
        let readme = include_str!("../README.md");
        for code in ErrorCode::ALL {
            let row = format!("| {} | {} |", code.code(), code.status().as_u16());
            assert!(readme.contains(&row), "README lacks the row {row}");
        }
    }

    #[test]
    fn known_octopus_codes_keep_their_numbers_and_statuses() {
        assert_eq!(ErrorCode::IllegalDocumentSequence.code(), -13);
        assert_eq!(ErrorCode::BookyearPeriodUnknown.code(), -14);
        assert_eq!(ErrorCode::EmptyAccessToken.code(), -79);
        assert_eq!(
            ErrorCode::EmptyAccessToken.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            ErrorCode::JournalClosedOrLocked.status(),
            StatusCode::FORBIDDEN
        );
    }
}
