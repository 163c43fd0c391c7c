//! The reader's one error type, and its single translation into a gRPC status (internals hidden).

use tonic::Status;

/// Everything that can go wrong in the reader and the sample generator.
///
/// Bad *records* are not errors: they become [`crate::model::DataProblem`]s in the results.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    /// The database cannot be opened; `target` never contains credentials.
    #[error("cannot open the PlanManager database {target}: {reason}")]
    Open { target: String, reason: String },
    #[error("cannot create the PlanManager schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("PlanManager database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("location {0:?} does not exist in PlanManager")]
    UnknownLocation(String),
    /// The request itself is wrong (a bad date, an unknown journal code, ...).
    #[error("{0}")]
    InvalidRequest(String),
    #[error(
        "{target} already contains PlanManager data; the sample is written only into a new or empty database"
    )]
    NotEmpty { target: String },
    #[error(
        "{requested} invoices do not fit the sample's sales journals: at most {capacity} (their last numbers)"
    )]
    TooManyInvoices { requested: u64, capacity: u64 },
    #[error(transparent)]
    Server(#[from] ox_kit::KitError),
}

impl From<ReaderError> for Status {
    fn from(error: ReaderError) -> Self {
        match &error {
            ReaderError::UnknownLocation(_) => Status::not_found(error.to_string()),
            ReaderError::InvalidRequest(_) => Status::invalid_argument(error.to_string()),
            ReaderError::Open { .. } => {
                tracing::error!(error = %error, "planmanager database unavailable");
                Status::unavailable("the PlanManager database is not available")
            }
            ReaderError::Database(source) => {
                tracing::error!(error = %source, "planmanager database call failed");
                Status::internal("reading the PlanManager database failed")
            }
            ReaderError::Migrate(_)
            | ReaderError::NotEmpty { .. }
            | ReaderError::TooManyInvoices { .. }
            | ReaderError::Server(_) => {
                tracing::error!(error = %error, "planmanager reader failed");
                Status::internal("internal error in the PlanManager reader")
            }
        }
    }
}

/// Describes a database URL for messages without any user name or password in it.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.rsplit_once('@') {
        Some((_credentials, host)) => format!("{scheme}://…@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_credentials_but_keeps_paths() {
        assert_eq!(
            redact_url("mysql://pm:s3cret@db:3306/planmanager"),
            "mysql://…@db:3306/planmanager"
        );
        assert_eq!(
            redact_url("sqlite://planmanager.sqlite"),
            "sqlite://planmanager.sqlite"
        );
        assert_eq!(redact_url("/tmp/pm.sqlite"), "/tmp/pm.sqlite");
    }

    #[test]
    fn database_errors_do_not_leak_to_clients() {
        let status = Status::from(ReaderError::Database(sqlx::Error::RowNotFound));
        assert_eq!(status.code(), tonic::Code::Internal);
        assert!(!status.message().contains("RowNotFound"));
        let status = Status::from(ReaderError::UnknownLocation("Bodyshop Z".into()));
        assert_eq!(status.code(), tonic::Code::NotFound);
        assert!(status.message().contains("Bodyshop Z"));
    }
}
