//! Key slots: each user's password wraps a copy of the database key. They live beside the
//! register in `<register>.keys` (JSON), outside the encrypted file, because they are what
//! unlocks it. The file holds nothing secret in the clear: salts, parameters, nonces and
//! wrapped keys. Roles are NOT here — they live in the encrypted `users` table — so editing
//! this file can never raise anyone's rights.
//!
//! Wrapping: Argon2id (argon2 0.6 defaults: 19 MiB, 2 passes, 1 lane; ~25 ms) turns the
//! password and a per-slot salt into a 32-byte key-encryption key; XChaCha20-Poly1305
//! encrypts the database key under it with a random 24-byte nonce. An AEAD from RustCrypto
//! rather than a home-made HMAC-SHA256 encrypt-then-MAC: no keystream construction of our
//! own to get wrong. The user name and the key id are authenticated as associated data, so
//! a slot copied to another name, or relabelled, no longer opens.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::StoreError;
use super::key::{DbKey, KEY_LEN};

const FORMAT: u32 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
/// Refuse parameters an edited file could use to make unlocking take forever (1 GiB, 16 passes).
const MAX_M_COST: u32 = 1024 * 1024;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 8;

/// `<register>.keys`.
pub fn keyring_path(register: &Path) -> PathBuf {
    let mut name = register.as_os_str().to_owned();
    name.push(".keys");
    PathBuf::from(name)
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Keyring {
    format: u32,
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Slot {
    user: String,
    /// Fingerprint of the key this slot wraps (`DbKey::key_id`).
    key_id: String,
    kdf: Kdf,
    nonce: String,
    /// Ciphertext of the 32-byte key followed by the 16-byte Poly1305 tag, hex.
    wrapped: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Kdf {
    algorithm: String,
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

impl Default for Keyring {
    fn default() -> Self {
        Keyring {
            format: FORMAT,
            slots: Vec::new(),
        }
    }
}

impl Keyring {
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// Reads `<register>.keys`. A missing file is `KeyringMissing` (the register cannot be
    /// opened without it), an unreadable one `KeyringDamaged`.
    pub fn load(register: &Path) -> Result<Keyring, StoreError> {
        let path = keyring_path(register);
        match fs::read(&path) {
            Ok(bytes) => {
                Keyring::from_bytes(&bytes).map_err(|problem| StoreError::KeyringDamaged {
                    path: path.clone(),
                    problem,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::KeyringMissing(path))
            }
            Err(source) => Err(StoreError::Io { path, source }),
        }
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Keyring, String> {
        let keyring: Keyring = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if keyring.format != FORMAT {
            return Err(format!(
                "key file format {} is not supported (expected {FORMAT})",
                keyring.format
            ));
        }
        Ok(keyring)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// The users that have a slot (each once), in slot order.
    pub fn users(&self) -> Vec<String> {
        let mut users: Vec<String> = Vec::new();
        for slot in &self.slots {
            if !users.contains(&slot.user) {
                users.push(slot.user.clone());
            }
        }
        users
    }

    /// Users with a slot for the key `key_id`.
    pub fn users_with_key(&self, key_id: &str) -> Vec<String> {
        let mut users: Vec<String> = Vec::new();
        for slot in self.slots.iter().filter(|s| s.key_id == key_id) {
            if !users.contains(&slot.user) {
                users.push(slot.user.clone());
            }
        }
        users
    }

    /// Every key that `user`'s password unwraps (usually one; two while a rekey is under
    /// way). Empty for an unknown user or a wrong password: callers answer both the same.
    pub fn unwrap(&self, user: &str, password: &str) -> Vec<DbKey> {
        self.slots
            .iter()
            .filter(|s| s.user == user)
            .filter_map(|s| s.open(password))
            .collect()
    }

    /// Adds (or replaces) `user`'s slot for `key`, wrapped with `password`.
    pub fn set_slot(&mut self, user: &str, password: &str, key: &DbKey) -> Result<(), StoreError> {
        let slot = Slot::seal(user, password, key)?;
        self.slots
            .retain(|s| !(s.user == slot.user && s.key_id == slot.key_id));
        self.slots.push(slot);
        Ok(())
    }

    /// Removes every slot of `user`.
    pub fn remove_user(&mut self, user: &str) {
        self.slots.retain(|s| s.user != user);
    }

    /// Removes the slots for key `key_id` (an abandoned rekey).
    pub fn remove_key(&mut self, key_id: &str) {
        self.slots.retain(|s| s.key_id != key_id);
    }

    /// Keeps only the slots for key `key_id` (after a rekey).
    pub fn retain_key(&mut self, key_id: &str) {
        self.slots.retain(|s| s.key_id == key_id);
    }

    /// Writes a new key file; refuses (`AlreadyExists`) if one exists.
    pub fn save_new(&self, register: &Path) -> Result<(), StoreError> {
        let path = keyring_path(register);
        let tmp = write_temp(&path, &self.to_bytes())?;
        // hard_link fails if the target exists: create-new and atomic in one step.
        let linked = fs::hard_link(&tmp, &path);
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => sync_dir(&path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(StoreError::AlreadyExists(path))
            }
            Err(source) => Err(StoreError::Io { path, source }),
        }
    }

    /// Replaces the key file in one rename (temp file in the same folder, synced first), so a
    /// crash leaves the old or the new file, never half of one.
    pub fn save(&self, register: &Path) -> Result<(), StoreError> {
        let path = keyring_path(register);
        let tmp = write_temp(&path, &self.to_bytes())?;
        if let Err(source) = fs::rename(&tmp, &path) {
            let _ = fs::remove_file(&tmp);
            return Err(StoreError::Io { path, source });
        }
        sync_dir(&path)
    }
}

impl Slot {
    fn seal(user: &str, password: &str, key: &DbKey) -> Result<Slot, StoreError> {
        let mut salt = [0u8; SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut salt);
        rand::rng().fill_bytes(&mut nonce);
        let params = Params::DEFAULT;
        let kdf = Kdf {
            algorithm: "argon2id".into(),
            m_cost: params.m_cost(),
            t_cost: params.t_cost(),
            p_cost: params.p_cost(),
            salt: hex::encode(salt),
        };
        let key_id = key.key_id();
        let kek = kdf
            .derive(password)
            .ok_or_else(|| StoreError::Corrupt("key derivation failed".into()))?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref())
            .map_err(|_| StoreError::Corrupt("key derivation failed".into()))?;
        let aad = associated_data(user, &key_id);
        let wrapped = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: key.bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| StoreError::Corrupt("key wrapping failed".into()))?;
        Ok(Slot {
            user: user.to_owned(),
            key_id,
            kdf,
            nonce: hex::encode(nonce),
            wrapped: hex::encode(wrapped),
        })
    }

    /// The database key, if `password` is right and the slot untouched.
    fn open(&self, password: &str) -> Option<DbKey> {
        let nonce: [u8; NONCE_LEN] = hex::decode(&self.nonce).ok()?.try_into().ok()?;
        let wrapped = hex::decode(&self.wrapped).ok()?;
        if wrapped.len() != KEY_LEN + 16 {
            return None;
        }
        let kek = self.kdf.derive(password)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref()).ok()?;
        let aad = associated_data(&self.user, &self.key_id);
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    &XNonce::from(nonce),
                    Payload {
                        msg: &wrapped,
                        aad: &aad,
                    },
                )
                .ok()?,
        );
        let key = DbKey::from_slice(&plain)?;
        // The label must match what the slot says it wraps.
        (key.key_id() == self.key_id).then_some(key)
    }
}

impl Kdf {
    /// The key-encryption key; `None` for parameters we do not accept.
    fn derive(&self, password: &str) -> Option<Zeroizing<[u8; 32]>> {
        if self.algorithm != "argon2id"
            || self.m_cost > MAX_M_COST
            || self.t_cost > MAX_T_COST
            || self.p_cost > MAX_P_COST
        {
            return None;
        }
        let salt = hex::decode(&self.salt).ok()?;
        let params = Params::new(self.m_cost, self.t_cost, self.p_cost, Some(32)).ok()?;
        let mut kek = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(password.as_bytes(), &salt, kek.as_mut())
            .ok()?;
        Some(kek)
    }
}

fn associated_data(user: &str, key_id: &str) -> Vec<u8> {
    format!("consentry key slot v{FORMAT}\0{user}\0{key_id}").into_bytes()
}

/// A synced temp file beside `target` (mode 0600), for a rename or link into place.
fn write_temp(target: &Path, bytes: &[u8]) -> Result<PathBuf, StoreError> {
    let mut name = target.as_os_str().to_owned();
    name.push(format!(".tmp{:08x}", rand::rng().next_u32()));
    let tmp = PathBuf::from(name);
    let io = |source| StoreError::Io {
        path: tmp.clone(),
        source,
    };
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options.open(&tmp).and_then(|mut f: File| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(tmp)
}

/// Makes a rename or link durable (the directory entry); a no-op where directories cannot
/// be opened (Windows).
pub(super) fn sync_dir(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_opens_with_its_password_only() {
        let key = DbKey::generate();
        let mut ring = Keyring::new();
        ring.set_slot("admin", "s3cret pass", &key).unwrap();
        ring.set_slot("erika", "other", &key).unwrap();
        let bytes = ring.to_bytes();
        let ring = Keyring::from_bytes(&bytes).unwrap();
        let got = ring.unwrap("admin", "s3cret pass");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].bytes(), key.bytes());
        assert_eq!(ring.unwrap("erika", "other")[0].bytes(), key.bytes());
        assert!(ring.unwrap("admin", "wrong").is_empty());
        assert!(ring.unwrap("admin", "other").is_empty());
        assert!(ring.unwrap("nobody", "s3cret pass").is_empty());
        assert_eq!(ring.users(), ["admin", "erika"]);
        // Nothing secret in the file.
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains(&hex::encode(key.bytes())));
        assert!(!text.contains("s3cret"));
    }

    #[test]
    fn a_slot_renamed_to_another_user_does_not_open() {
        let key = DbKey::generate();
        let mut ring = Keyring::new();
        ring.set_slot("erika", "pw-erika", &key).unwrap();
        let text = String::from_utf8(ring.to_bytes())
            .unwrap()
            .replace("\"erika\"", "\"admin\"");
        let edited = Keyring::from_bytes(text.as_bytes()).unwrap();
        assert_eq!(edited.users(), ["admin"]);
        assert!(edited.unwrap("admin", "pw-erika").is_empty());
    }

    #[test]
    fn slots_of_two_keys_coexist_and_can_be_pruned() {
        let (old, new) = (DbKey::generate(), DbKey::generate());
        let mut ring = Keyring::new();
        ring.set_slot("admin", "pw", &old).unwrap();
        ring.set_slot("erika", "pw2", &old).unwrap();
        ring.set_slot("admin", "pw", &new).unwrap();
        assert_eq!(ring.unwrap("admin", "pw").len(), 2);
        ring.retain_key(&new.key_id());
        assert_eq!(ring.users(), ["admin"]);
        assert_eq!(ring.unwrap("admin", "pw")[0].bytes(), new.bytes());
        ring.remove_user("admin");
        assert!(ring.users().is_empty());
    }

    #[test]
    fn save_new_refuses_an_existing_file_and_save_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        let key = DbKey::generate();
        let mut ring = Keyring::new();
        ring.set_slot("admin", "pw", &key).unwrap();
        ring.save_new(&db).unwrap();
        let before = fs::read(keyring_path(&db)).unwrap();
        assert!(matches!(
            Keyring::new().save_new(&db),
            Err(StoreError::AlreadyExists(_))
        ));
        assert_eq!(fs::read(keyring_path(&db)).unwrap(), before);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(keyring_path(&db))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        ring.remove_user("admin");
        ring.save(&db).unwrap();
        assert!(Keyring::load(&db).unwrap().users().is_empty());
        // No temp files left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(matches!(
            Keyring::load(&dir.path().join("other.db")),
            Err(StoreError::KeyringMissing(_))
        ));
    }
}
