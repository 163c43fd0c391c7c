//! Integration tests of the journal mapper: the field cases against the pure domain API, and the
//! gRPC service over a real socket.

// Test code: a failed unwrap is a failed test (clippy's allow-unwrap-in-tests skips helpers).
#![allow(clippy::unwrap_used)]

mod field_cases_credit_notes;
mod field_cases_customers;
mod field_cases_invoices;
mod field_cases_journals;
mod field_cases_regimes;
mod field_cases_relations;
mod field_cases_rounding;
mod field_cases_runs;
mod gen_context;
mod gen_invoices;
mod gen_requests;
mod grpc;
mod helpers;
mod properties_customers;
mod properties_invoices;
mod properties_requests;
mod properties_rounding;
