//! The register together with its key file: create with a first admin, unlock with user and
//! password, rekey, and the database half of backup and restore.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::error::StoreError;
use super::key::DbKey;
use super::keyring::{keyring_path, sync_dir, Keyring};
use super::open::{self, sidecar_path};
use super::page_format::PageFormat;
use super::Store;
use crate::domain::Role;

/// Files SQLite may keep beside a register.
const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// What a rekey did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rekeyed {
    /// Fingerprint of the new key.
    pub key_id: String,
    /// Users whose slots could not be rewrapped (their passwords are not known here): they
    /// need `user passwd NAME` from an admin before they can sign in again.
    pub dropped: Vec<String>,
}

/// What a restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub path: PathBuf,
    /// The role of the user who proved the backup opens.
    pub role: Role,
}

fn require_password(password: &str) -> Result<(), StoreError> {
    // An empty password would make a slot anyone can open.
    if password.is_empty() {
        return Err(StoreError::EmptyPassphrase);
    }
    Ok(())
}

impl Store {
    /// Creates a new register under a fresh random key, with `user` as its first admin and
    /// a new key file holding that user's slot. Refuses if the register or its key file
    /// exists; on failure removes what it created.
    pub fn create_as(path: &Path, user: &str, password: &str) -> Result<Store, StoreError> {
        require_password(password)?;
        let keys = keyring_path(path);
        if keys.exists() {
            return Err(StoreError::AlreadyExists(keys));
        }
        let key = DbKey::generate();
        let mut ring = Keyring::new();
        ring.set_slot(user, password, &key)?;
        let mut store = Store::create(path, &key)?;
        let result = store
            .write(|tx| tx.insert_user(user, Role::Admin, None))
            .and_then(|_| ring.save_new(path));
        if let Err(e) = result {
            drop(store);
            remove_db_files(path);
            return Err(e);
        }
        Ok(store)
    }

    /// Opens the register as `user`: the user's slot gives the key, the users table the
    /// role. A wrong password and an unknown user are the same `WrongPassphrase`, and leave
    /// every file untouched.
    pub fn unlock(path: &Path, user: &str, password: &str) -> Result<(Store, Role), StoreError> {
        require_password(password)?;
        match fs::metadata(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NotFound(path.to_path_buf()))
            }
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        }
        let ring = Keyring::load(path)?;
        // Two keys only while a rekey is under way: the one the file has opens.
        for key in ring.unwrap(user, password) {
            match Store::open(path, &key) {
                Ok(store) => {
                    return match store.user_role(user)? {
                        Some(role) => Ok((store, role)),
                        // A slot added to the plain key file by hand: not a user.
                        None => Err(StoreError::WrongPassphrase),
                    };
                }
                Err(StoreError::WrongPassphrase) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::WrongPassphrase)
    }

    /// The key file as it is on disk now.
    pub fn keyring(&self) -> Result<Keyring, StoreError> {
        Keyring::load(&self.path)
    }

    /// Adds or replaces `user`'s slot for this register's key.
    pub fn set_slot(&self, user: &str, password: &str) -> Result<(), StoreError> {
        require_password(password)?;
        let mut ring = self.keyring()?;
        ring.set_slot(user, password, &self.key)?;
        ring.save(&self.path)
    }

    /// Removes every slot of `user`.
    pub fn remove_slots(&self, user: &str) -> Result<(), StoreError> {
        let mut ring = self.keyring()?;
        ring.remove_user(user);
        ring.save(&self.path)
    }

    /// Does `password` open `user`'s slot for this register's key?
    pub fn password_opens(&self, user: &str, password: &str) -> Result<bool, StoreError> {
        let id = self.key.key_id();
        Ok(self
            .keyring()?
            .unwrap(user, password)
            .iter()
            .any(|k| k.key_id() == id))
    }

    /// An encrypted copy of the live register (SQLite online backup) in a new file
    /// `dest`, under `key`. Never plaintext on disk: the copy is keyed before the first page.
    fn copy_to(&self, dest: &Path, key: &DbKey) -> Result<(), StoreError> {
        let io = |source| StoreError::Io {
            path: dest.to_path_buf(),
            source,
        };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(dest).map_err(io)?;
        let result = (|| {
            let mut out = Connection::open_with_flags(
                dest,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            out.pragma_update(None, "cipher_log_level", "NONE")?;
            out.execute_batch(&key.pragma("key"))
                .map_err(|_| StoreError::Corrupt("cannot key the copy".into()))?;
            // The online backup copies pages as they are: the copy needs the same layout.
            PageFormat::of(&self.conn)?.apply(&out)?;
            Backup::new(&self.conn, &mut out)?.run_to_completion(1024, Duration::ZERO, None)?;
            // The copy is whole and opens with `key`.
            open::check_register(&out)?;
            out.close().map_err(|(_, e)| StoreError::from(e))?;
            fs::File::open(dest).and_then(|f| f.sync_all()).map_err(io)
        })();
        if result.is_err() {
            remove_db_files(dest);
        }
        result
    }

    /// Writes an encrypted copy of the register (same key) to the new file `dest`.
    pub fn backup_copy(&self, dest: &Path) -> Result<(), StoreError> {
        self.copy_to(dest, &self.key)
    }

    /// Re-encrypts the register under a new random key. `user` proves who they are with
    /// `password` (their slot is rewrapped); other users' slots cannot be rewrapped without
    /// their passwords and are dropped (`Rekeyed::dropped`).
    ///
    /// SQLCipher 4 cannot `PRAGMA rekey` a database in WAL mode (that came with 5.0), so the
    /// register is copied under the new key and the copy renamed over it. Order, so that a
    /// crash at any point leaves a register the admin can open: (1) the copy, (2) the key file
    /// with the admin's slot for the new key beside all old slots, (3) the rename, (4) the
    /// key file without the old slots. Refuses (`Busy`) while another session has it open.
    pub fn rekey(&mut self, user: &str, password: &str) -> Result<Rekeyed, StoreError> {
        let mut ring = self.keyring()?;
        let old_id = self.key.key_id();
        if !ring
            .unwrap(user, password)
            .iter()
            .any(|k| k.key_id() == old_id)
        {
            return Err(StoreError::WrongPassphrase);
        }
        let new = DbKey::generate();
        let new_id = new.key_id();
        let tmp = sidecar_path(&self.path, ".rekey");
        // Left by a crashed rekey before its rename: never the register itself.
        remove_db_files(&tmp);
        self.copy_to(&tmp, &new)?;
        let undo = |ring: &mut Keyring| {
            remove_db_files(&tmp);
            ring.remove_key(&new_id);
            let _ = ring.save(&self.path);
        };
        ring.set_slot(user, password, &new)?;
        if let Err(e) = ring.save(&self.path) {
            undo(&mut ring);
            return Err(e);
        }
        // Close our connection; the last one to close removes -wal and -shm.
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let closed = conn.close().map_err(|(_, e)| StoreError::from(e));
        let in_use = SIDECARS
            .iter()
            .any(|s| sidecar_path(&self.path, s).exists());
        if closed.is_err() || in_use {
            undo(&mut ring);
            self.conn = open::open(&self.path, &self.key)?;
            closed?;
            return Err(StoreError::Busy);
        }
        if let Err(source) = fs::rename(&tmp, &self.path) {
            undo(&mut ring);
            self.conn = open::open(&self.path, &self.key)?;
            return Err(StoreError::Io {
                path: self.path.clone(),
                source,
            });
        }
        sync_dir(&self.path)?;
        self.conn = open::open(&self.path, &new)?;
        self.key = new;
        let dropped = ring
            .users_with_key(&old_id)
            .into_iter()
            .filter(|u| u != user)
            .collect();
        ring.retain_key(&new_id);
        ring.save(&self.path)?;
        Ok(Rekeyed {
            key_id: new_id,
            dropped,
        })
    }
}

/// Puts a restored register in place: `db_copy` (an encrypted register file in the
/// target's folder) must open with `user`/`password` through `ring` before anything is
/// written; then it becomes `target` and `ring` becomes `target.keys`. Refuses an existing
/// target or key file. On failure `target` and its key file do not exist; `db_copy` is the
/// caller's to remove.
pub fn restore(
    db_copy: &Path,
    ring: &Keyring,
    user: &str,
    password: &str,
    target: &Path,
) -> Result<Restored, StoreError> {
    require_password(password)?;
    for existing in [target.to_path_buf(), keyring_path(target)] {
        if existing.exists() {
            return Err(StoreError::AlreadyExists(existing));
        }
    }
    let mut role = None;
    for key in ring.unwrap(user, password) {
        // Read-only: proving the key changes nothing in the copy.
        let conn = match open::connect(
            open::immutable_uri(db_copy)?,
            db_copy,
            &key,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        ) {
            Ok(conn) => conn,
            Err(StoreError::WrongPassphrase) => continue,
            Err(e) => return Err(e),
        };
        open::check_register(&conn)?;
        role = Some(super::users::role(&conn, user)?.ok_or(StoreError::WrongPassphrase)?);
        break;
    }
    let role = role.ok_or(StoreError::WrongPassphrase)?;
    // hard_link refuses an existing target: no check-then-write race.
    fs::hard_link(db_copy, target).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            StoreError::AlreadyExists(target.to_path_buf())
        } else {
            StoreError::Io {
                path: target.to_path_buf(),
                source,
            }
        }
    })?;
    if let Err(e) = ring.save_new(target).and_then(|()| sync_dir(target)) {
        let _ = fs::remove_file(target);
        return Err(e);
    }
    Ok(Restored {
        path: target.to_path_buf(),
        role,
    })
}

/// Removes a database file we made and whatever SQLite kept beside it.
pub(crate) fn remove_db_files(path: &Path) {
    let _ = fs::remove_file(path);
    for suffix in SIDECARS {
        let _ = fs::remove_file(sidecar_path(path, suffix));
    }
}

impl Store {
    /// Notes `user`'s sign-in; it enters the audit trail with the session's first audit
    /// entry, or now with [`Store::record_unlock`].
    pub fn defer_unlock(&self, user: &str, role: Role, at_ms: i64) -> Result<(), StoreError> {
        super::users::defer_unlock(&self.conn, user, role, at_ms)
    }

    /// Writes a deferred sign-in now, in a transaction of its own (no-op without one).
    pub fn record_unlock(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = super::users::take_pending_unlock(&self.conn).and_then(|pending| {
            if let Some((at, who, role)) = pending {
                let unlock = crate::domain::chain::AuditAction::Unlock.as_str();
                super::audit::append(&self.conn, at, &who, unlock, &who, &role)?;
            }
            Ok(())
        });
        match result {
            Ok(()) => Ok(self.conn.execute_batch("COMMIT")?),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}
