//! Master keys against the database: the startup check that every configured key is the one
//! the database knows under its id, and rotation of every credential to the current key.
//!
//! Rotation is online: each tenant's row is re-encrypted on its own with a compare-and-swap
//! UPDATE, so a running service (whose key ring holds both keys) keeps serving, and a
//! `SetCredentials` racing the rotation is never overwritten.

use std::collections::BTreeMap;
use std::fmt;

use crate::credentials::OctopusCredentials;
use crate::crypto::{Field, MasterKey};
use crate::db::SealedCredentials;
use crate::error::ConfigError;
use crate::model::TenantId;
use crate::store::ConfigStore;

/// How often one tenant's row is re-read when `SetCredentials` keeps changing it mid-rotation.
const ROTATION_ATTEMPTS: usize = 3;

/// What `rotate-key` did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RotationReport {
    /// The current key, which every moved row is now sealed under.
    pub key_id: String,
    /// Rows re-encrypted under [`RotationReport::key_id`].
    pub rotated: u64,
    /// Of those, how many came from each old key id.
    pub rotated_from: BTreeMap<String, u64>,
    /// Tenants whose row could not be moved, with the reason (never a secret).
    pub failed: Vec<RotationFailure>,
    /// Rows still under another key after the run, per key id (written meanwhile by a process
    /// that still has the old key as current, or failed above).
    pub remaining: BTreeMap<String, i64>,
}

impl RotationReport {
    /// Whether every credential is now sealed under the current key.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.remaining.is_empty()
    }
}

/// The operator's summary, as `config-service rotate-key` prints it.
impl fmt::Display for RotationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "re-encrypted the credentials of {} tenant(s) under master key {}",
            self.rotated, self.key_id
        )?;
        let from: Vec<String> = self
            .rotated_from
            .iter()
            .map(|(key_id, count)| format!("{count} from {key_id}"))
            .collect();
        if !from.is_empty() {
            write!(f, " ({})", from.join(", "))?;
        }
        writeln!(f)?;
        for failure in &self.failed {
            writeln!(
                f,
                "not re-encrypted: tenant {}: {}",
                failure.tenant_id, failure.reason
            )?;
        }
        for (key_id, count) in &self.remaining {
            writeln!(
                f,
                "{count} tenant(s) still sealed under {key_id}: keep {key_id} in previous_keys \
                 and run rotate-key again"
            )?;
        }
        if self.is_complete() {
            writeln!(
                f,
                "every credential is sealed under {}; keys other than it can be removed from \
                 previous_keys",
                self.key_id
            )?;
        }
        Ok(())
    }
}

/// A tenant whose credentials could not be re-encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationFailure {
    pub tenant_id: String,
    pub reason: String,
}

impl ConfigStore {
    /// Checks every configured key against the database; stores the key check of a key the
    /// database does not know yet.
    pub(crate) async fn verify_keys(&self) -> Result<(), ConfigError> {
        for key in self.keys.keys() {
            self.verify_key(key).await?;
        }
        for (key_id, tenants) in self.db.credential_key_ids().await? {
            if self.keys.get(&key_id).is_none() {
                return Err(ConfigError::MasterKeyNotConfigured { key_id, tenants });
            }
        }
        Ok(())
    }

    async fn verify_key(&self, key: &MasterKey) -> Result<(), ConfigError> {
        let wrong = || ConfigError::MasterKeyWrong {
            key_id: key.id().to_owned(),
        };
        if let Some(check) = self.db.key_check(key.id()).await? {
            return if key.opens_check(&check) {
                Ok(())
            } else {
                Err(wrong())
            };
        }
        // A database from before key checks: recognise the key by a credential it sealed.
        match self.db.sample_sealed(key.id()).await? {
            Some((tenant, sealed)) => {
                let tenant_id = TenantId::parse("tenant_id", &tenant)
                    .map_err(|_| ConfigError::Corrupt(format!("tenant id {tenant:?}")))?;
                if key
                    .open(&tenant_id, Field::Password, &sealed.password)
                    .is_err()
                {
                    return Err(wrong());
                }
            }
            // An unused previous key has nothing to be recognised by, nor anything to open.
            None if key.id() != self.key_id() => return Ok(()),
            None => {}
        }
        self.db
            .insert_key_check(key.id(), &key.seal_check()?)
            .await?;
        // Another process may have stored its check first, made with other bytes.
        match self.db.key_check(key.id()).await? {
            Some(check) if key.opens_check(&check) => {
                tracing::info!(key_id = %key.id(), "master key registered");
                Ok(())
            }
            Some(_) => Err(wrong()),
            None => Err(ConfigError::Corrupt(format!(
                "the key check of {} vanished",
                key.id()
            ))),
        }
    }

    /// Re-encrypts every credential not sealed under the current key, tenant by tenant.
    #[tracing::instrument(skip_all, fields(key_id = %self.key_id()))]
    pub async fn rotate_credentials(&self) -> Result<RotationReport, ConfigError> {
        let mut report = RotationReport {
            key_id: self.key_id().to_owned(),
            ..RotationReport::default()
        };
        for tenant in self.db.tenants_not_sealed_under(self.key_id()).await? {
            match self.rotate_tenant(&tenant).await {
                Ok(Some(from)) => {
                    report.rotated += 1;
                    *report.rotated_from.entry(from).or_default() += 1;
                }
                Ok(None) => {}
                Err(error) => report.failed.push(RotationFailure {
                    tenant_id: tenant,
                    reason: error.to_string(),
                }),
            }
        }
        report.remaining = self
            .db
            .credential_key_ids()
            .await?
            .into_iter()
            .filter(|(key_id, _)| key_id != self.key_id())
            .collect();
        tracing::info!(
            rotated = report.rotated,
            failed = report.failed.len(),
            remaining = report.remaining.values().sum::<i64>(),
            "key rotation finished"
        );
        Ok(report)
    }

    /// Moves one tenant's row to the current key; returns the key it came from, or `None`
    /// when there was nothing left to move (changed or removed meanwhile).
    async fn rotate_tenant(&self, tenant: &str) -> Result<Option<String>, ConfigError> {
        let tenant_id = TenantId::parse("tenant_id", tenant)
            .map_err(|_| ConfigError::Corrupt(format!("tenant id {tenant:?}")))?;
        for _ in 0..ROTATION_ATTEMPTS {
            let Some(old) = self.db.fetch_credentials(&tenant_id).await?.sealed else {
                return Ok(None);
            };
            if old.key_id == self.key_id() {
                return Ok(None);
            }
            let credentials = self.open_credentials(&tenant_id, &old)?;
            let mut new = self.seal_credentials(&tenant_id, &credentials)?;
            if old.user.is_none() {
                new.user = None;
            }
            if self.db.replace_sealed(tenant, &old, &new).await? {
                tracing::info!(tenant_id = %tenant, from = %old.key_id, "credentials re-encrypted");
                return Ok(Some(old.key_id));
            }
            // SetCredentials replaced the row between our read and our write: read it again.
        }
        Err(ConfigError::RotationContended {
            tenant_id: tenant.to_owned(),
            attempts: ROTATION_ATTEMPTS,
        })
    }

    /// Seals `credentials` for `tenant_id` under the current key.
    pub(crate) fn seal_credentials(
        &self,
        tenant_id: &TenantId,
        credentials: &OctopusCredentials,
    ) -> Result<SealedCredentials, ConfigError> {
        let key = self.keys.current();
        Ok(SealedCredentials {
            key_id: key.id().to_owned(),
            user: Some(key.seal(tenant_id, Field::User, credentials.user.expose().as_bytes())?),
            password: key.seal(
                tenant_id,
                Field::Password,
                credentials.password.expose().as_bytes(),
            )?,
            software_house_uuid: key.seal(
                tenant_id,
                Field::SoftwareHouseUuid,
                credentials.software_house_uuid.expose().as_bytes(),
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incomplete_rotation_says_what_is_left_and_what_to_do() {
        let report = RotationReport {
            key_id: "k2".into(),
            rotated: 2,
            rotated_from: BTreeMap::from([("k1".to_owned(), 2)]),
            failed: vec![RotationFailure {
                tenant_id: "peeters".into(),
                reason: "credentials of tenant peeters cannot be decrypted with master key k1 \
                         (wrong key?)"
                    .into(),
            }],
            remaining: BTreeMap::from([("k1".to_owned(), 1)]),
        };
        assert!(!report.is_complete());
        assert_eq!(
            report.to_string(),
            "re-encrypted the credentials of 2 tenant(s) under master key k2 (2 from k1)\n\
             not re-encrypted: tenant peeters: credentials of tenant peeters cannot be decrypted \
             with master key k1 (wrong key?)\n\
             1 tenant(s) still sealed under k1: keep k1 in previous_keys and run rotate-key again\n"
        );
    }
}
