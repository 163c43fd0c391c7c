//! A tenant's Octopus credentials in the clear (as [`Secret`]s) and their checks.

use crate::error::ConfigError;
use crate::secret::Secret;

/// A tenant's Octopus login; every part is a [`Secret`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OctopusCredentials {
    pub user: Secret,
    pub password: Secret,
    /// May be empty when the software house id is configured elsewhere.
    pub software_house_uuid: Secret,
}

impl OctopusCredentials {
    /// Checks that user and password are present and the software house id looks like a UUID.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.user.expose().trim().is_empty() {
            return Err(ConfigError::invalid("user", "must not be empty"));
        }
        if self.password.is_empty() {
            return Err(ConfigError::invalid("password", "must not be empty"));
        }
        let uuid = self.software_house_uuid.expose();
        if !uuid.is_empty() && !looks_like_uuid(uuid) {
            // The value itself is not echoed: it identifies us to Octopus.
            return Err(ConfigError::invalid(
                "software_house_uuid",
                "must be a UUID like 00000000-0000-0000-0000-000000000000",
            ));
        }
        Ok(())
    }
}

/// A tenant's decrypted credentials and where to use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCredentials {
    /// Never empty: the tenant's URL or [`crate::model::DEFAULT_OCTOPUS_BASE_URL`].
    pub octopus_base_url: String,
    pub credentials: OctopusCredentials,
}

fn looks_like_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(error: ConfigError) -> String {
        match error {
            ConfigError::InvalidArgument { field, .. } => field,
            other => panic!("not an invalid argument: {other}"),
        }
    }

    #[test]
    fn credentials_need_user_and_password_and_a_uuid_shape() {
        let credentials = |user: &str, password: &str, uuid: &str| OctopusCredentials {
            user: Secret::new(user),
            password: Secret::new(password),
            software_house_uuid: Secret::new(uuid),
        };
        assert!(credentials("u", "p", "").validate().is_ok());
        assert!(
            credentials("u", "p", "6F1C2A3B-0D4E-4F5A-8B9C-0123456789AB")
                .validate()
                .is_ok()
        );
        assert_eq!(
            field_of(credentials(" ", "p", "").validate().unwrap_err()),
            "user"
        );
        assert_eq!(
            field_of(credentials("u", "", "").validate().unwrap_err()),
            "password"
        );
        let error = credentials("u", "p", "6f1c2a3b0d4e4f5a8b9c0123456789ab").validate();
        assert_eq!(field_of(error.unwrap_err()), "software_house_uuid");
    }

    #[test]
    fn debug_of_credentials_shows_no_secret() {
        let credentials = OctopusCredentials {
            user: Secret::new("the-user"),
            password: Secret::new("the-password"),
            software_house_uuid: Secret::new("the-uuid"),
        };
        let printed = format!("{credentials:?}");
        assert!(!printed.contains("the-"), "{printed}");
    }
}
