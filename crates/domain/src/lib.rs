//! Money, VAT numbers and dates shared by more than one service.

pub mod money;
pub mod vat_number;
