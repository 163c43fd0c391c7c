//! The mapping rules in plain functions: no I/O, no clock, no gRPC. Inputs are the contract's
//! message types (plain data); the profile and snapshot are parsed once per request.

pub mod booking_lines;
pub mod customer_rules;
pub mod customers;
pub mod invoice_checks;
pub mod invoice_error;
pub mod invoices;
pub mod journals;
pub mod lines;
pub mod placement;
pub mod profile;
pub mod regimes;
pub mod relation_fields;
pub mod rounding;
pub mod snapshot;
pub mod wire;

#[cfg(test)]
mod test_support;

pub use customers::{CustomerError, MappedRelation, map_customer, map_customers};
pub use invoice_error::InvoiceError;
pub use invoices::{MappedBooking, map_invoice, map_invoices};
pub use journals::validate_journals;
pub use placement::{KeyError, PlacementError};
pub use profile::{FieldLimits, Profile, Regime, Rounding};
pub use snapshot::Snapshot;
