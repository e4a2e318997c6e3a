//! `backup --out F` and `restore F --to PATH`: the register and its key file in ONE file, so
//! a backup can never lose the slots that unlock it. Still encrypted: the database part is
//! an SQLite online backup keyed with the register's own key, the key file holds only
//! wrapped keys. Layout:
//!
//! ```text
//! "CNSRBAK1"            8 bytes, magic and format version
//! key file length       u64 little-endian, then the key file (JSON)
//! database length       u64 little-endian, then the encrypted database
//! SHA-256               32 bytes over everything before it (catches a truncated copy)
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Register, RegisterError, Result};
use crate::domain::chain::AuditAction;
use crate::domain::Permission;
use crate::outfile::PendingFile;
use crate::store::{Keyring, Restored, StoreError};

const MAGIC: &[u8; 8] = b"CNSRBAK1";
/// A key file is a few KB; anything larger is not one of our backups.
const MAX_KEYRING: u64 = 16 * 1024 * 1024;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
    /// Users who can open the backup with their password.
    pub users: Vec<String>,
}

/// A hidden, create-new scratch file beside `target`, removed on drop unless kept.
struct Scratch(PathBuf);

impl Scratch {
    fn beside(target: &Path, suffix: &str) -> Scratch {
        Scratch(crate::outfile::hidden_beside(target, suffix))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Encrypted bytes only; removed so no stray copy of the register stays around.
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.0.as_os_str().to_owned();
            p.push(suffix);
            let _ = fs::remove_file(PathBuf::from(p));
        }
    }
}

fn io_err(what: &Path) -> impl Fn(io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Io {
        what: what.display().to_string(),
        source,
    }
}

fn damaged(file: &Path, problem: &str) -> RegisterError {
    RegisterError::Backup(format!(
        "{} is not a complete Consentry backup ({problem})",
        file.display()
    ))
}

/// Writes `bytes` to `out` and into the running checksum.
fn put(out: &mut impl Write, hash: &mut Sha256, bytes: &[u8]) -> io::Result<()> {
    hash.update(bytes);
    out.write_all(bytes)
}

impl Register {
    /// Backs the live register up into the new file `out` (never overwritten), still
    /// encrypted, together with its key file. Admin only.
    pub fn backup(&self, out: &Path) -> Result<BackupSummary> {
        self.require(Permission::Administer)?;
        let ring = self.store.keyring()?;
        let mut pending = PendingFile::create(out)?;
        let copy = Scratch::beside(out, "db-partial");
        self.store.backup_copy(&copy.0)?;
        let ring_bytes = ring.to_bytes();
        let db_len = fs::metadata(&copy.0).map_err(io_err(&copy.0))?.len();
        let mut hash = Sha256::new();
        {
            let w = pending.writer()?;
            let fail = io_err(out);
            put(w, &mut hash, MAGIC).map_err(&fail)?;
            put(w, &mut hash, &(ring_bytes.len() as u64).to_le_bytes()).map_err(&fail)?;
            put(w, &mut hash, &ring_bytes).map_err(&fail)?;
            put(w, &mut hash, &db_len.to_le_bytes()).map_err(&fail)?;
            let mut db = File::open(&copy.0).map_err(io_err(&copy.0))?;
            let mut buf = vec![0u8; 1 << 16];
            let mut copied = 0u64;
            loop {
                let n = db.read(&mut buf).map_err(io_err(&copy.0))?;
                if n == 0 {
                    break;
                }
                put(w, &mut hash, &buf[..n]).map_err(&fail)?;
                copied += n as u64;
            }
            if copied != db_len {
                return Err(damaged(&copy.0, "the copy changed while it was read"));
            }
            w.write_all(&hash.finalize()).map_err(&fail)?;
        }
        pending.commit()?;
        let bytes = fs::metadata(out).map(|m| m.len()).unwrap_or_default();
        // The object is the file name the user gave (a path, no personal data).
        self.audit(
            AuditAction::BackupMade,
            &out.display().to_string(),
            &format!("bytes={bytes}"),
        )?;
        Ok(BackupSummary {
            path: out.to_path_buf(),
            bytes,
            users: ring.users_with_key(&self.store.key_id()),
        })
    }

    /// Restores a backup made by [`Register::backup`] as a new register at `target` (with
    /// `target.keys`). Refuses an existing target; proves that `user`/`password` open the
    /// backup before anything is put in place; leaves nothing behind on failure. Needs no
    /// open register: the backup's own users and roles apply.
    pub fn restore(backup: &Path, target: &Path, user: &str, password: &str) -> Result<Restored> {
        for existing in [target.to_path_buf(), crate::store::keyring_path(target)] {
            if existing.exists() {
                return Err(StoreError::AlreadyExists(existing).into());
            }
        }
        let file = File::open(backup).map_err(io_err(backup))?;
        let mut input = BufReader::new(file);
        let mut hash = Sha256::new();
        let mut take = |buf: &mut [u8], input: &mut BufReader<File>| -> Result<()> {
            input
                .read_exact(buf)
                .map_err(|_| damaged(backup, "it ends early"))?;
            hash.update(&*buf);
            Ok(())
        };
        let mut magic = [0u8; 8];
        take(&mut magic, &mut input)?;
        if &magic != MAGIC {
            return Err(damaged(backup, "no backup header"));
        }
        let mut len = [0u8; 8];
        take(&mut len, &mut input)?;
        let ring_len = u64::from_le_bytes(len);
        if ring_len > MAX_KEYRING {
            return Err(damaged(backup, "implausible key file length"));
        }
        let mut ring_bytes = vec![0u8; ring_len as usize];
        take(&mut ring_bytes, &mut input)?;
        let ring = Keyring::from_bytes(&ring_bytes).map_err(|p| damaged(backup, &p))?;
        take(&mut len, &mut input)?;
        let db_len = u64::from_le_bytes(len);

        if let Some(dir) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        // The database part goes to a scratch file in the target's folder (so it can be
        // linked into place); it is the encrypted file as backed up, never plaintext.
        let copy = Scratch::beside(target, "restore-partial");
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&copy.0).map_err(io_err(&copy.0))?;
        let mut remaining = db_len;
        let mut buf = vec![0u8; 1 << 16];
        while remaining > 0 {
            let want = remaining.min(buf.len() as u64) as usize;
            take(&mut buf[..want], &mut input)?;
            out.write_all(&buf[..want]).map_err(io_err(&copy.0))?;
            remaining -= want as u64;
        }
        out.sync_all().map_err(io_err(&copy.0))?;
        drop(out);
        let mut stored = [0u8; 32];
        input
            .read_exact(&mut stored)
            .map_err(|_| damaged(backup, "it ends early"))?;
        if hash.finalize().as_slice() != stored {
            return Err(damaged(backup, "checksum mismatch"));
        }
        let mut rest = [0u8; 1];
        if input.read(&mut rest).map_err(io_err(backup))? != 0 {
            return Err(damaged(backup, "extra bytes after the end"));
        }
        let restored = crate::store::restore(&copy.0, &ring, user, password, target)?;
        drop(copy);
        // Recorded inside the restored register, as the user who restored it (this also
        // records their unlock).
        let register = Register::open_as(target, user, password)?;
        register.audit(
            AuditAction::Restored,
            &backup.display().to_string(),
            &format!("to={}", target.display()),
        )?;
        Ok(restored)
    }
}
