//! PlanManager records as the reader hands them out: validated, money as `Decimal`, no SQL and no
//! gRPC types. A record that cannot be read becomes a [`DataProblem`] instead.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A body-shop location such as "Bodyshop A".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub id: i64,
    pub name: String,
}

/// What a PlanManager journal holds; `Unknown` when the stored kind is not one we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalKind {
    Sale,
    SaleCredit,
    Purchase,
    PurchaseCredit,
    Internal,
    Unknown,
}

impl JournalKind {
    /// Parses PlanManager's kind column (`sale`, `sale_credit`, ...).
    pub fn from_db(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "sale" => Self::Sale,
            "sale_credit" => Self::SaleCredit,
            "purchase" => Self::Purchase,
            "purchase_credit" => Self::PurchaseCredit,
            "internal" => Self::Internal,
            _ => Self::Unknown,
        }
    }

    /// Whether "Selecteer alles" (no journal codes given) includes journals of this kind.
    pub fn is_sales(self) -> bool {
        matches!(self, Self::Sale | Self::SaleCredit)
    }
}

/// A PlanManager journal; `code` may be empty and `location_id` absent in real data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub location_id: Option<i64>,
    /// Empty when the journal belongs to no location.
    pub location_name: String,
    pub kind: JournalKind,
    pub last_number: i64,
}

/// Which kind of record a [`DataProblem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Journal,
    Customer,
    Invoice,
}

impl ProblemKind {
    /// The wire name: "journal", "customer" or "invoice".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Journal => "journal",
            Self::Customer => "customer",
            Self::Invoice => "invoice",
        }
    }
}

/// One bad record, reported instead of crashing or being skipped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataProblem {
    pub kind: ProblemKind,
    /// The record's PlanManager id (0 when even that is unreadable).
    pub id: i64,
    /// For invoices: the journal code and number, when readable (else "" and 0).
    pub journal_code: String,
    pub number: i64,
    /// What is wrong, in words a bookkeeper understands.
    pub message: String,
}

/// A customer's payment term; zero days when the customer or its term is missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaymentTerm {
    pub days: i32,
    pub end_of_month: bool,
}

/// Invoice or credit note. Credit notes carry positive amounts in PlanManager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceKind {
    Invoice,
    CreditNote,
}

/// The VAT regime of an invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatRegime {
    Standard,
    ReverseChargeBe,
    IntraEu,
    Export,
    Exempt,
}

impl VatRegime {
    /// Parses PlanManager's regime column; an empty value means `standard`.
    pub fn from_db(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "standard" => Some(Self::Standard),
            "reverse_charge_be" => Some(Self::ReverseChargeBe),
            "intra_eu" => Some(Self::IntraEu),
            "export" => Some(Self::Export),
            "exempt" => Some(Self::Exempt),
            _ => None,
        }
    }
}

/// One invoice line as PlanManager stores it (amounts rounded per line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub seq: i32,
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_pct: Decimal,
    pub amount_excl: Decimal,
    pub vat_rate: Decimal,
    pub vat_amount: Decimal,
    pub vat_regime: VatRegime,
    /// 0 when the line names no account.
    pub gl_account: i32,
}

/// A final PlanManager invoice or credit note whose totals agree with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: i64,
    pub journal_id: i64,
    pub journal_code: String,
    /// A positive number that fits Octopus's int32 `documentSequenceNr`.
    pub number: i64,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub customer_id: i64,
    pub kind: InvoiceKind,
    pub credited_invoice_id: Option<i64>,
    pub currency: String,
    pub total_excl: Decimal,
    pub total_vat: Decimal,
    pub total_incl: Decimal,
    pub structured_reference: String,
    pub file_reference: String,
    pub plate: String,
    pub lines: Vec<InvoiceLine>,
    pub payment_term: PaymentTerm,
    pub exported: bool,
}

/// One item of an invoice stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceItem {
    Invoice(Box<Invoice>),
    Problem(DataProblem),
}

/// Kinds of PlanManager customers; insurers and leasing companies are debtors too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerKind {
    Person,
    Company,
    Insurer,
    Leasing,
}

impl CustomerKind {
    /// Parses PlanManager's kind column.
    pub fn from_db(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "person" => Some(Self::Person),
            "company" => Some(Self::Company),
            "insurer" => Some(Self::Insurer),
            "leasing" => Some(Self::Leasing),
            _ => None,
        }
    }
}

/// A PlanManager customer; text fields are "" when PlanManager stored nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    pub kind: CustomerKind,
    pub name: String,
    pub first_name: String,
    pub vat_number: String,
    pub street: String,
    pub house_number: String,
    pub r#box: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub language: String,
    pub email: String,
    pub phone: String,
    pub iban: String,
    pub bic: String,
    pub payment_term: PaymentTerm,
    pub blocked: bool,
    pub updated_at: String,
}

/// One item of a customer stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerItem {
    Customer(Box<Customer>),
    Problem(DataProblem),
}

/// A general-ledger account ("Algemene rekeningen").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlAccount {
    pub number: i32,
    pub description_nl: String,
    pub description_fr: String,
}

/// The selection of PlanManager's export screen, already checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceFilter {
    /// Empty: every location.
    pub location_name: String,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub number_from: Option<i64>,
    pub number_to: Option<i64>,
    /// Empty: every sale and sale-credit journal of the location ("Selecteer alles").
    pub journal_codes: Vec<String>,
    pub include_exported: bool,
}
