//! Sealing credentials with AES-256-GCM under a ring of master keys.
//!
//! Every ciphertext has its own random 96-bit nonce. The associated data binds it to its tenant,
//! its field and the key id, so a ciphertext moved to another tenant or field does not open.
//! The [`KeyRing`] seals with its current key and opens with whichever key a ciphertext names.

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

impl MasterKey {
    /// Seals the fixed key-check plaintext, stored once per key id to recognise the key later.
    pub fn seal_check(&self) -> Result<Sealed, ConfigError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let aad = check_associated_data(&self.id);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: KEY_CHECK_PLAINTEXT,
                    aad: &aad,
                },
            )
            .map_err(|_| ConfigError::Encryption)?;
        Ok(Sealed {
            ciphertext,
            nonce: nonce.to_vec(),
        })
    }

    /// Whether `sealed` is the key check this very key (same id, same bytes) sealed.
    pub fn opens_check(&self, sealed: &Sealed) -> bool {
        if sealed.nonce.len() != NONCE_LEN {
            return false;
        }
        let aad = check_associated_data(&self.id);
        self.cipher
            .decrypt(
                Nonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: &aad,
                },
            )
            .is_ok_and(|plaintext| plaintext == KEY_CHECK_PLAINTEXT)
    }
}

/// The master keys config-service knows: the current one seals, any of them opens.
#[derive(Debug, Clone)]
pub struct KeyRing {
    current: MasterKey,
    previous: Vec<MasterKey>,
}

impl KeyRing {
    /// A ring of `current` and the `previous` keys still needed to open older ciphertexts.
    pub fn new(current: MasterKey, previous: Vec<MasterKey>) -> Result<Self, ConfigError> {
        let mut ids = vec![current.id()];
        for key in &previous {
            if ids.contains(&key.id()) {
                return Err(ConfigError::MasterKeyIdTwice(key.id().to_owned()));
            }
            ids.push(key.id());
        }
        Ok(Self { current, previous })
    }

    /// The key new ciphertexts are sealed under.
    pub fn current(&self) -> &MasterKey {
        &self.current
    }

    /// The key named `id`, current or previous.
    pub fn get(&self, id: &str) -> Option<&MasterKey> {
        self.keys().find(|key| key.id() == id)
    }

    /// Every key, the current one first.
    pub fn keys(&self) -> impl Iterator<Item = &MasterKey> {
        std::iter::once(&self.current).chain(&self.previous)
    }
}

const KEY_CHECK_PLAINTEXT: &[u8] = b"ox-config master key check";

fn check_associated_data(key_id: &str) -> Vec<u8> {
    format!("ox-config/v1|key-check|key={key_id}").into_bytes()
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
    fn a_key_check_opens_only_under_the_same_id_and_bytes() {
        let check = key("k1", 7).seal_check().unwrap();
        assert!(key("k1", 7).opens_check(&check));
        assert!(!key("k1", 8).opens_check(&check), "other bytes");
        assert!(!key("k2", 7).opens_check(&check), "other id");
        let sealed = key("k1", 7)
            .seal(&tenant("acme"), Field::Password, KEY_CHECK_PLAINTEXT)
            .unwrap();
        assert!(
            !key("k1", 7).opens_check(&sealed),
            "a credential is no check"
        );
    }

    #[test]
    fn the_ring_seals_with_the_current_key_and_finds_every_key() {
        let ring = KeyRing::new(key("k2", 2), vec![key("k1", 1)]).unwrap();
        assert_eq!(ring.current().id(), "k2");
        assert_eq!(ring.get("k1").map(MasterKey::id), Some("k1"));
        assert!(ring.get("k3").is_none());
        let ids: Vec<&str> = ring.keys().map(MasterKey::id).collect();
        assert_eq!(ids, ["k2", "k1"]);
        let twice = KeyRing::new(key("k1", 2), vec![key("k1", 1)]).unwrap_err();
        assert!(matches!(twice, ConfigError::MasterKeyIdTwice(ref id) if id == "k1"));
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
