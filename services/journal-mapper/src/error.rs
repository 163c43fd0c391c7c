//! Errors of the service as a whole, and their one mapping to `tonic::Status`.

use tonic::Status;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum MapperError {
    #[error(transparent)]
    Kit(#[from] ox_kit::KitError),
}

/// A request the mapper cannot work with (the caller broke the contract), as opposed to one bad
/// journal, customer or invoice, which is reported in its own item. Every message names the field
/// by its path in the request (`invoices[2].invoice.lines[0].amount_excl`) and shows its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A message the request must carry is absent.
    #[error("the request carries no {what} (field {field})")]
    Missing { field: String, what: &'static str },
    /// A field holds a value the mapper cannot read or that the contract rules out.
    #[error("{field} {problem}")]
    Invalid { field: String, problem: String },
}

impl InputError {
    /// A missing message at `field`.
    pub fn missing(field: impl Into<String>, what: &'static str) -> Self {
        Self::Missing {
            field: field.into(),
            what,
        }
    }

    /// A bad value at `field`; `problem` follows the field's name ("is not a date …").
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl From<InputError> for Status {
    fn from(error: InputError) -> Self {
        Status::invalid_argument(error.to_string())
    }
}
