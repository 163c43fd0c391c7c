//! Sealing credentials with AES-256-GCM under the master key.
//!
//! Every ciphertext has its own random 96-bit nonce. The associated data binds it to its tenant,
//! its field and the key id, so a ciphertext moved to another tenant or field does not open.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::ConfigError;
use crate::model::TenantId;

/// Length of an AES-256 key.
pub const KEY_LEN: usize = 32;
/// Length of an AES-GCM nonce.
pub const NONCE_LEN: usize = 12;

/// Which secret a ciphertext holds; part of the associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    User,
    Password,
    SoftwareHouseUuid,
}

impl Field {
    fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Password => "password",
            Self::SoftwareHouseUuid => "software_house_uuid",
        }
    }
}

/// A ciphertext (with its GCM tag) and the nonce it was sealed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub ciphertext: Vec<u8>,
    pub nonce: Vec<u8>,
}

/// The master key and its id. `Debug` shows the id only.
#[derive(Clone)]
pub struct MasterKey {
    id: String,
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .field("key", &"[redacted]")
            .finish()
    }
}

impl MasterKey {
    /// Builds the key from base64 text (surrounding whitespace ignored); the id must be
    /// 1 to 64 characters from `A-Z a-z 0-9 _ - .`.
    pub fn from_base64(id: &str, encoded: &str) -> Result<Self, ConfigError> {
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !id_ok {
            return Err(ConfigError::MasterKeyId(id.to_owned()));
        }
        // The decoder's own error names the offending byte, which is part of the key: dropped.
        let bytes = STANDARD
            .decode(encoded.trim())
            .map_err(|_| ConfigError::MasterKeyEncoding)?;
        if bytes.len() != KEY_LEN {
            return Err(ConfigError::MasterKeyLength(bytes.len()));
        }
        let cipher = Aes256Gcm::new_from_slice(&bytes)
            .map_err(|_| ConfigError::MasterKeyLength(bytes.len()))?;
        Ok(Self {
            id: id.to_owned(),
            cipher,
        })
    }

    /// The key id stored beside every ciphertext sealed with this key.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Encrypts `plaintext` for `tenant_id`'s `field` under a fresh random nonce.
    pub fn seal(
        &self,
        tenant_id: &TenantId,
        field: Field,
        plaintext: &[u8],
    ) -> Result<Sealed, ConfigError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let aad = associated_data(tenant_id, field, &self.id);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| ConfigError::Encryption)?;
        Ok(Sealed {
            ciphertext,
            nonce: nonce.to_vec(),
        })
    }

    /// Decrypts what [`MasterKey::seal`] produced for the same tenant and field.
    ///
    /// A wrong key, another tenant's or field's ciphertext, or tampering all fail the same way.
    pub fn open(
        &self,
        tenant_id: &TenantId,
        field: Field,
        sealed: &Sealed,
    ) -> Result<Vec<u8>, ConfigError> {
        let undecryptable = || ConfigError::CredentialsUndecryptable {
            tenant_id: tenant_id.to_string(),
            key_id: self.id.clone(),
        };
        if sealed.nonce.len() != NONCE_LEN {
            return Err(undecryptable());
        }
        let aad = associated_data(tenant_id, field, &self.id);
        self.cipher
            .decrypt(
                Nonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| undecryptable())
    }
}

// Tenant ids and key ids cannot contain '|', so the encoding is unambiguous.
fn associated_data(tenant_id: &TenantId, field: Field, key_id: &str) -> Vec<u8> {
    format!(
        "ox-config/v1|tenant={tenant_id}|field={}|key={key_id}",
        field.as_str()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, byte: u8) -> MasterKey {
        MasterKey::from_base64(id, &STANDARD.encode([byte; KEY_LEN])).unwrap()
    }

    fn tenant(id: &str) -> TenantId {
        TenantId::parse("tenant_id", id).unwrap()
    }

    #[test]
    fn seal_then_open_roundtrips_with_a_fresh_nonce_each_time() {
        let key = key("k1", 7);
        let first = key
            .seal(&tenant("acme"), Field::Password, b"s3cret")
            .unwrap();
        let second = key
            .seal(&tenant("acme"), Field::Password, b"s3cret")
            .unwrap();
        assert_ne!(first.nonce, second.nonce);
        assert_ne!(first.ciphertext, second.ciphertext);
        assert_eq!(first.nonce.len(), NONCE_LEN);
        let opened = key.open(&tenant("acme"), Field::Password, &first).unwrap();
        assert_eq!(opened, b"s3cret");
    }

    #[test]
    fn ciphertext_does_not_open_for_another_tenant_field_or_key() {
        let k1 = key("k1", 7);
        let sealed = k1
            .seal(&tenant("acme"), Field::Password, b"s3cret")
            .unwrap();
        let other_tenant = k1.open(&tenant("globex"), Field::Password, &sealed);
        assert!(matches!(
            other_tenant,
            Err(ConfigError::CredentialsUndecryptable { ref tenant_id, .. }) if tenant_id == "globex"
        ));
        assert!(k1.open(&tenant("acme"), Field::User, &sealed).is_err());
        let wrong_key = key("k1", 8).open(&tenant("acme"), Field::Password, &sealed);
        let message = wrong_key.unwrap_err().to_string();
        assert_eq!(
            message,
            "credentials of tenant acme cannot be decrypted with master key k1 (wrong key?)"
        );
    }

    #[test]
    fn key_must_be_32_bytes_of_base64() {
        let short = MasterKey::from_base64("k1", &STANDARD.encode([1u8; 16])).unwrap_err();
        assert_eq!(
            short.to_string(),
            "master key must be 32 bytes, base64-encoded; got 16 bytes"
        );
        let garbage = MasterKey::from_base64("k1", "not base64 !!").unwrap_err();
        assert!(matches!(garbage, ConfigError::MasterKeyEncoding));
        assert!(!garbage.to_string().contains("!!"));
        let bad_id = MasterKey::from_base64("k|1", &STANDARD.encode([1u8; 32])).unwrap_err();
        assert!(matches!(bad_id, ConfigError::MasterKeyId(_)));
    }

    #[test]
    fn debug_never_prints_the_key() {
        let key = key("k1", 0x41);
        let printed = format!("{key:?}");
        assert!(printed.contains("k1"));
        assert!(!printed.contains(&STANDARD.encode([0x41u8; KEY_LEN])));
        assert!(printed.contains("[redacted]"));
    }
}
