//! The orchestrator's errors and their one translation to gRPC status.

use tonic::Status;

/// What can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum OrchestratorError {
    #[error("invalid request: {0}")]
    InvalidArgument(String),
    #[error("run {0} not found")]
    RunNotFound(String),
    #[error(
        "Octopus dossier {dossier_id} is busy with export run {holder}; try again when it has finished, or ask to wait for it (wait_if_busy)"
    )]
    Busy { dossier_id: i32, holder: String },
    /// A peer answered with an error; `service` names it for the operator.
    #[error("{service}: {status}")]
    Peer {
        service: &'static str,
        status: String,
        code: tonic::Code,
    },
    #[error(transparent)]
    Kit(#[from] ox_kit::KitError),
    #[error("ledger database: {0}")]
    Ledger(#[from] sqlx::Error),
    #[error("ledger migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("ledger holds an unreadable record: {0}")]
    Corrupt(String),
}

impl OrchestratorError {
    /// Wraps a peer's status, keeping its code so callers see NOT_FOUND as NOT_FOUND.
    pub fn peer(service: &'static str, status: Status) -> Self {
        Self::Peer {
            service,
            status: status.message().to_owned(),
            code: status.code(),
        }
    }
}

impl From<OrchestratorError> for Status {
    fn from(error: OrchestratorError) -> Self {
        match &error {
            OrchestratorError::InvalidArgument(_) => Status::invalid_argument(error.to_string()),
            OrchestratorError::RunNotFound(_) => Status::not_found(error.to_string()),
            OrchestratorError::Busy { .. } => Status::failed_precondition(error.to_string()),
            OrchestratorError::Peer { code, .. } => Status::new(*code, error.to_string()),
            OrchestratorError::Kit(_)
            | OrchestratorError::Ledger(_)
            | OrchestratorError::Migrate(_)
            | OrchestratorError::Corrupt(_) => {
                tracing::error!(error = %error, "orchestrator internal error");
                Status::internal("internal error in the orchestrator; see its log")
            }
        }
    }
}
