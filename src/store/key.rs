//! The database key: 32 random bytes, used by SQLCipher as a raw key (no PBKDF2 on open).
//! Users never type it; each user's password wraps a copy in the keyring (`keyring.rs`).

use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;

/// The key SQLCipher encrypts the register with. Zeroized when dropped; `Debug` shows only
/// its fingerprint.
pub struct DbKey(Zeroizing<[u8; KEY_LEN]>);

impl DbKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> DbKey {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(bytes.as_mut());
        DbKey(bytes)
    }

    /// Takes the key out of an unwrapped slot; `None` unless exactly 32 bytes.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<DbKey> {
        let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
        let key = DbKey(Zeroizing::new(array));
        // `array` is a Copy on the stack; clear this copy too.
        let mut array = array;
        zeroize::Zeroize::zeroize(&mut array);
        Some(key)
    }

    /// A second copy (the store keeps one while open).
    pub(crate) fn duplicate(&self) -> DbKey {
        DbKey(Zeroizing::new(*self.0))
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// A short public fingerprint (16 hex digits of SHA-256 over a label and the key): tells
    /// the slots of an old and a new key apart during a rekey without revealing the key.
    pub fn key_id(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(b"consentry key id v1\0");
        hash.update(self.0.as_ref());
        hex::encode(&hash.finalize()[..8])
    }

    /// The statement that keys a connection with this raw key: `PRAGMA key = "x'…'"`.
    pub(super) fn pragma(&self, verb: &str) -> Zeroizing<String> {
        let hex = Zeroizing::new(hex::encode(self.0.as_ref()));
        Zeroizing::new(format!("PRAGMA {verb} = \"x'{}'\"", hex.as_str()))
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbKey({})", self.key_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_fingerprints_differ() {
        let (a, b) = (DbKey::generate(), DbKey::generate());
        assert_ne!(a.bytes(), b.bytes());
        assert_ne!(a.key_id(), b.key_id());
        assert_eq!(a.key_id().len(), 16);
        let copy = DbKey::from_slice(a.bytes()).unwrap();
        assert_eq!(copy.key_id(), a.key_id());
        assert!(DbKey::from_slice(&[0u8; 31]).is_none());
        let pragma = a.pragma("key");
        assert!(pragma.starts_with("PRAGMA key = \"x'") && pragma.ends_with("'\""));
        assert_eq!(pragma.len(), "PRAGMA key = \"x''\"".len() + 64);
        assert!(!format!("{a:?}").contains(&hex::encode(a.bytes())));
    }
}
