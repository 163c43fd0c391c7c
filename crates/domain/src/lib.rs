//! Money, VAT numbers, countries, party names and dates shared by more than one service.

pub mod country;
pub mod dates;
pub mod money;
pub mod names;
pub mod vat_formats;
pub mod vat_match;
pub mod vat_number;
