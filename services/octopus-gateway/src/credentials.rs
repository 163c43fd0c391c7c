//! Asks config-service for a tenant's Octopus credentials. The password lives only as long as a
//! login needs it and never shows in Debug output.

use std::fmt;
use std::time::Duration;

use ox_proto::config::v1::ResolveCredentialsRequest;
use ox_proto::config::v1::config_service_client::ConfigServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use crate::error::GatewayError;

/// The real Octopus REST base, used when the tenant names none.
pub const DEFAULT_OCTOPUS_BASE_URL: &str = "https://service.inaras.be/octopus-rest-api/v1";

/// A tenant's Octopus login.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Credentials {
    pub base_url: String,
    pub software_house_uuid: String,
    pub user: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("base_url", &self.base_url)
            .field("software_house_uuid", &"<redacted>")
            .field("user", &"<redacted>")
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The config-service client.
#[derive(Debug, Clone)]
pub struct CredentialSource {
    client: ConfigServiceClient<Channel>,
    timeout: Duration,
}

impl CredentialSource {
    /// A source that reaches config-service at `addr` (connects lazily, on first use).
    pub fn new(addr: &str, timeout: Duration) -> Result<Self, GatewayError> {
        let channel = ox_kit::channel(addr)?;
        Ok(Self {
            client: ConfigServiceClient::new(channel),
            timeout,
        })
    }

    /// Resolves `tenant_id`'s credentials.
    pub async fn resolve(&self, tenant_id: &str) -> Result<Credentials, GatewayError> {
        let mut request = tonic::Request::new(ResolveCredentialsRequest {
            tenant_id: tenant_id.to_owned(),
        });
        request.set_timeout(self.timeout);
        let reply = self
            .client
            .clone()
            .resolve_credentials(request)
            .await
            .map_err(|status| status_error(tenant_id, &status))?
            .into_inner();
        let missing: Vec<&str> = [
            ("software house uuid", &reply.software_house_uuid),
            ("user", &reply.user),
            ("password", &reply.password),
        ]
        .into_iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(name, _)| name)
        .collect();
        if !missing.is_empty() {
            return Err(GatewayError::NoCredentials {
                tenant: tenant_id.to_owned(),
                reason: format!("config-service has no {}", missing.join(", ")),
            });
        }
        let base_url = match reply.octopus_base_url.trim() {
            "" => DEFAULT_OCTOPUS_BASE_URL.to_owned(),
            url => url.to_owned(),
        };
        let scheme_ok = reqwest::Url::parse(&base_url)
            .is_ok_and(|url| matches!(url.scheme(), "http" | "https"));
        if !scheme_ok {
            return Err(GatewayError::NoCredentials {
                tenant: tenant_id.to_owned(),
                reason: format!("the Octopus base URL {base_url:?} is not an http(s) URL"),
            });
        }
        Ok(Credentials {
            base_url,
            software_house_uuid: reply.software_house_uuid.trim().to_owned(),
            user: reply.user,
            password: reply.password,
        })
    }
}

fn status_error(tenant_id: &str, status: &tonic::Status) -> GatewayError {
    let tenant = tenant_id.to_owned();
    let reason = status.message().to_owned();
    match status.code() {
        Code::NotFound | Code::FailedPrecondition | Code::InvalidArgument => {
            GatewayError::NoCredentials { tenant, reason }
        }
        Code::PermissionDenied | Code::Unauthenticated => {
            GatewayError::ConfigRefused { tenant, reason }
        }
        code => GatewayError::ConfigUnavailable(format!("{code:?}: {reason}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let credentials = Credentials {
            base_url: "http://octopus".into(),
            software_house_uuid: "uuid-123".into(),
            user: "integration@example".into(),
            password: "s3cret".into(),
        };
        let debug = format!("{credentials:?}");
        assert!(debug.contains("http://octopus"));
        assert!(!debug.contains("s3cret"));
        assert!(!debug.contains("uuid-123"));
    }

    #[test]
    fn maps_config_service_statuses() {
        let error = status_error("t1", &tonic::Status::not_found("unknown tenant t1"));
        assert!(matches!(error, GatewayError::NoCredentials { .. }));
        let error = status_error("t1", &tonic::Status::unavailable("connection refused"));
        assert!(matches!(error, GatewayError::ConfigUnavailable(_)));
        let error = status_error("t1", &tonic::Status::permission_denied("not the gateway"));
        assert!(matches!(error, GatewayError::ConfigRefused { .. }));
    }
}
