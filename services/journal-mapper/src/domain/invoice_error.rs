//! Why an invoice cannot become an Octopus booking, in words a bookkeeper can act on.

use ox_domain::dates::DateError;

use crate::domain::placement::{KeyError, PlacementError};

/// Why an invoice is held instead of booked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceError {
    #[error("the request item carries no invoice")]
    NoInvoice,
    #[error("the document is marked neither as invoice nor as credit note in PlanManager")]
    NoKind,
    #[error(transparent)]
    Date(#[from] DateError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Placement(#[from] PlacementError),
    #[error("invoice number {number} cannot be an Octopus document number (1 to 2147483647)")]
    NumberOutOfRange { number: i64 },
    #[error("customer {customer} has no Octopus relation yet: export the customer first")]
    NoRelation { customer: i64 },
    #[error(
        "the relation sent with this invoice has external id {external}, but the invoice's \
         customer is {customer}"
    )]
    RelationMismatch { customer: i64, external: i32 },
    #[error("the invoice is in {currency}; Octopus bookings are sent in EUR only")]
    Currency { currency: String },
    #[error("the invoice has no lines")]
    NoLines,
    #[error("line {line}: {field} {problem}")]
    Number {
        line: i32,
        field: &'static str,
        /// What is wrong, with the value: "is not a decimal number: \"12,50\"".
        problem: String,
    },
    #[error("line {line} has an unknown VAT regime ({value})")]
    UnknownRegime { line: i32, value: i32 },
    #[error(
        "line {line} names no general-ledger account and the export profile has no default \
         revenue account: set one of them"
    )]
    NoAccount { line: i32 },
    #[error("line {line} names general-ledger account {account}, which is not an account number")]
    BadAccount { line: i32, account: i32 },
    #[error(
        "0 % VAT needs a VAT regime (line {line}): mark the line as reverse charge, intra-EU, \
         export or exempt in PlanManager"
    )]
    ZeroVatNeedsRegime { line: i32 },
    #[error("VAT rate {rate} %{regime} has no valid Octopus VAT code: {reason}")]
    NoVatCode {
        rate: String,
        /// Empty for the standard regime, else e.g. " (intra-EU)".
        regime: String,
        reason: String,
    },
    #[error(
        "VAT code {code} is not a sales VAT code (Octopus type {kind}): map the rate to a sales \
         code in the dossier's VAT mapping"
    )]
    NotSalesCode { code: String, kind: String },
    #[error(
        "VAT code {code} is mapped from both {first} % and {second} %: one code cannot carry two rates"
    )]
    MixedRates {
        code: String,
        first: String,
        second: String,
    },
    #[error("line {line} has no VAT amount, which the document rounding policy needs")]
    MissingPrintedVat { line: i32 },
    #[error(
        "line {line} is marked {regime}, which charges no VAT, but {what}: set the rate to 0 % or \
         the regime to standard in PlanManager"
    )]
    RegimeCharges {
        line: i32,
        regime: &'static str,
        /// "has VAT rate 21 %" or "PlanManager printed VAT 2.10 on it".
        what: String,
    },
    #[error(
        "Belgian reverse charge (medecontractant) needs a valid Belgian VAT number on the customer, \
         but customer {customer} {detail}"
    )]
    ReverseChargeNeedsVat { customer: i64, detail: String },
    #[error(
        "intra-EU VAT needs a valid VAT number of another EU country on the customer, but \
         customer {customer} {detail}"
    )]
    IntraEuNeedsVat { customer: i64, detail: String },
    #[error(
        "the booking line for account {account} with VAT code {code} would have base {base} and VAT \
         {vat} of opposite signs, which Octopus refuses: correct the invoice in PlanManager"
    )]
    OppositeSigns {
        account: i32,
        code: String,
        base: String,
        vat: String,
    },
    #[error(
        "the booking line for account {account} with VAT code {code} would carry VAT {vat} on a base \
         of 0.00, which Octopus refuses: correct the invoice in PlanManager"
    )]
    VatWithoutBase {
        account: i32,
        code: String,
        vat: String,
    },
    #[error(
        "the credit note's booking line for account {account} with VAT code {code} would be negative \
         (base {base}, VAT {vat}), but Octopus books a credit note with positive lines: book the \
         deduction on the same general-ledger account as the lines it reduces, or correct the credit \
         note in PlanManager"
    )]
    CreditNoteNegativeLine {
        account: i32,
        code: String,
        base: String,
        vat: String,
    },
    #[error("the booking does not balance: its lines add up to {lines} but its amount is {amount}")]
    Unbalanced { lines: String, amount: String },
    #[error(
        "the invoice lines add up to {lines} excluding VAT but PlanManager's total excluding VAT is \
         {total}: check the invoice in PlanManager"
    )]
    BaseMismatch { lines: String, total: String },
    #[error("the payment term of {days} days runs past the last date Octopus can hold")]
    PaymentTermTooLong { days: i32 },
}
