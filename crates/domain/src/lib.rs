//! Money, VAT numbers, countries and dates shared by more than one service.

pub mod country;
pub mod dates;
pub mod money;
pub mod vat_formats;
pub mod vat_number;
