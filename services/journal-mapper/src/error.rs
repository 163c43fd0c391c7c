//! Errors of the service as a whole, and their one mapping to `tonic::Status`.

use tonic::Status;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum MapperError {
    #[error(transparent)]
    Kit(#[from] ox_kit::KitError),
}

/// A request the mapper cannot work with as a whole (not one bad item: those are reported per item).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the request carries no {0}")]
    Missing(&'static str),
    #[error("the export profile is invalid: {0}")]
    Profile(String),
    #[error("the dossier snapshot is invalid: {0}")]
    Snapshot(String),
}

impl From<InputError> for Status {
    fn from(error: InputError) -> Self {
        Status::invalid_argument(error.to_string())
    }
}
