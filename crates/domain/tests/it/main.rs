//! Property tests of the shared domain: money rounding, VAT numbers and their comparison, names.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod money;
mod names;
mod vat;
