//! The embedded stack's master key: 32 random bytes kept in `<data-dir>/master.key` (mode 0600),
//! so the demo's credentials are encrypted at rest like in production.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;

use aes_gcm::aead::{KeyInit as _, OsRng};
use anyhow::Context as _;
use base64::Engine as _;

/// Reads the master key (base64) from the data dir, creating it on first use.
pub fn master_key(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join("master.key");
    if path.exists() {
        let key = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return Ok(key.trim().to_owned());
    }
    let key = aes_gcm::Aes256Gcm::generate_key(OsRng);
    let encoded = base64::engine::general_purpose::STANDARD.encode(key);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(encoded.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(encoded)
}
