//! The gateway's own failures and their one mapping to `tonic::Status`.
//!
//! Booking refusals by Octopus are not errors: they are outcomes (`CreateBookingResponse`).
//! Messages never carry tokens, passwords or request bodies.

use prost::Message as _;
use tonic::{Code, Status};

use crate::quota::Deferral;
use crate::store::StoreError;

/// Why the gateway could not serve a request.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The request itself is malformed.
    #[error("{0}")]
    InvalidArgument(String),
    /// config-service cannot be reached or did not answer in time.
    #[error("config-service is unreachable: {0}")]
    ConfigUnavailable(String),
    /// config-service holds no usable credentials for the tenant.
    #[error("no usable Octopus credentials for tenant {tenant:?}: {reason}")]
    NoCredentials { tenant: String, reason: String },
    /// config-service refused to hand the credentials to this gateway.
    #[error("config-service refused the credentials of tenant {tenant:?}: {reason}")]
    ConfigRefused { tenant: String, reason: String },
    /// Octopus answered 401 to the login. The login is not retried until the credentials change.
    #[error("Octopus rejected the credentials for dossier {dossier_id}")]
    CredentialsRejected { dossier_id: i32 },
    /// Octopus answered 403 to the dossier connect.
    #[error("Octopus refuses access to dossier {dossier_id}: unauthorized or disabled dossier")]
    DossierForbidden { dossier_id: i32 },
    /// Octopus answered 404 to the dossier connect.
    #[error("dossier {dossier_id} does not exist in Octopus")]
    DossierNotFound { dossier_id: i32 },
    /// A fresh token was refused too (401 after one renewal).
    #[error("Octopus refused a freshly issued token for dossier {dossier_id} ({endpoint})")]
    TokenRejected {
        dossier_id: i32,
        endpoint: &'static str,
    },
    /// Octopus could not be reached, timed out, or answered 5xx.
    #[error("Octopus is unavailable ({endpoint}): {cause}")]
    OctopusUnavailable {
        endpoint: &'static str,
        cause: String,
    },
    /// Octopus refused a read or a relation write with a 4xx.
    #[error("Octopus refused {endpoint} with HTTP {status}: {detail}")]
    OctopusRefused {
        endpoint: &'static str,
        status: u16,
        detail: String,
    },
    /// Octopus answered success with a body the gateway cannot read.
    #[error("Octopus answered {endpoint} with an unreadable body: {detail}")]
    UnreadableReply {
        endpoint: &'static str,
        detail: String,
    },
    /// A booking's outcome is unknown and could not be checked; resending is safe because
    /// Octopus refuses a taken number (-13) and the gateway then settles it.
    #[error(
        "the outcome of booking {number} in journal {journal} is unknown ({cause}) and could not \
         be checked ({check}); resending it is safe"
    )]
    Unsettled {
        journal: String,
        number: i32,
        cause: String,
        check: String,
    },
    /// An Octopus daily cap is reached: the call was not made.
    #[error("{0}")]
    Deferred(Deferral),
    /// The shared store (quota counters, sessions) failed: no call is made without counting it.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTTP client could not be built.
    #[error("cannot build the Octopus HTTP client: {0}")]
    HttpClient(String),
    /// Serving or binding failed.
    #[error(transparent)]
    Kit(#[from] ox_kit::KitError),
}

impl From<GatewayError> for Status {
    fn from(error: GatewayError) -> Self {
        let message = error.to_string();
        match &error {
            GatewayError::InvalidArgument(_) => Status::invalid_argument(message),
            GatewayError::ConfigUnavailable(_)
            | GatewayError::OctopusUnavailable { .. }
            | GatewayError::Unsettled { .. } => Status::unavailable(message),
            GatewayError::NoCredentials { .. }
            | GatewayError::DossierNotFound { .. }
            | GatewayError::OctopusRefused { .. } => Status::failed_precondition(message),
            GatewayError::ConfigRefused { .. }
            | GatewayError::CredentialsRejected { .. }
            | GatewayError::DossierForbidden { .. }
            | GatewayError::TokenRejected { .. } => Status::permission_denied(message),
            GatewayError::UnreadableReply { .. } => Status::internal(message),
            GatewayError::Deferred(deferral) => deferred_status(deferral),
            GatewayError::Store(_) => {
                tracing::error!(error = %error, "gateway store failure");
                Status::unavailable(
                    "the octopus-gateway's store is unavailable; no Octopus call was made",
                )
            }
            GatewayError::HttpClient(_) | GatewayError::Kit(_) => {
                tracing::error!(error = %error, "gateway failure");
                Status::internal("internal error of the octopus-gateway")
            }
        }
    }
}

/// RESOURCE_EXHAUSTED with the deferral in words, as an encoded `gateway.v1.QuotaExceeded` in
/// the details, and as `deferred-until` metadata.
fn deferred_status(deferral: &Deferral) -> Status {
    let details = ox_proto::gateway::v1::QuotaExceeded {
        endpoint: deferral.endpoint.to_owned(),
        dossier_id: deferral.dossier_id,
        cap: deferral.cap,
        deferred_until: deferral.until_rfc3339(),
    };
    let mut status = Status::with_details(
        Code::ResourceExhausted,
        deferral.to_string(),
        tonic::codegen::Bytes::from(details.encode_to_vec()),
    );
    if let Ok(value) = deferral.until_rfc3339().parse() {
        status.metadata_mut().insert("deferred-until", value);
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_to_status_codes() {
        let status = Status::from(GatewayError::CredentialsRejected { dossier_id: 7 });
        assert_eq!(status.code(), tonic::Code::PermissionDenied);
        assert_eq!(
            status.message(),
            "Octopus rejected the credentials for dossier 7"
        );
        let status = Status::from(GatewayError::ConfigUnavailable("refused".into()));
        assert_eq!(status.code(), tonic::Code::Unavailable);
        let status = Status::from(GatewayError::NoCredentials {
            tenant: "t".into(),
            reason: "unknown tenant".into(),
        });
        assert_eq!(status.code(), tonic::Code::FailedPrecondition);
        let until = chrono::DateTime::parse_from_rfc3339("2026-12-04T00:00:00+01:00").unwrap();
        let status = Status::from(GatewayError::Deferred(Deferral {
            endpoint: "GET /dossiers/{dossierId}/vatcodes",
            dossier_id: 7,
            cap: 2,
            until,
        }));
        assert_eq!(status.code(), tonic::Code::ResourceExhausted);
        assert!(
            status
                .message()
                .ends_with("deferred until 2026-12-04T00:00:00+01:00")
        );
        let details = ox_proto::gateway::v1::QuotaExceeded::decode(status.details()).unwrap();
        assert_eq!(details.deferred_until, "2026-12-04T00:00:00+01:00");
        assert_eq!((details.cap, details.dossier_id), (2, 7));
        assert_eq!(
            status.metadata().get("deferred-until").unwrap(),
            "2026-12-04T00:00:00+01:00"
        );
        let status = Status::from(GatewayError::Store(StoreError::Database("disk I/O".into())));
        assert_eq!(status.code(), tonic::Code::Unavailable);
        assert!(!status.message().contains("disk"));
        let status = Status::from(GatewayError::HttpClient("tls".into()));
        assert_eq!(status.code(), tonic::Code::Internal);
        assert!(!status.message().contains("tls"));
    }
}
