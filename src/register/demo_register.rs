//! The demo register of the desktop app: opened if it exists, else created with sample
//! data on first use, so a new user can try Consentry without data of their own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::{Register, Result};

/// The fixed seed of the demo register, the same as `consentry demo`.
const DEMO_SEED: u64 = 7;

impl Register {
    /// Opens the register at `path`; if there is no file yet, creates it with `contacts`
    /// sample contacts whose histories end at `now`. A failed fill removes the half-made
    /// file, so the next attempt starts clean.
    pub fn open_or_create_demo(
        path: &Path,
        passphrase: &str,
        now: DateTime<FixedOffset>,
        contacts: usize,
    ) -> Result<Register> {
        if path.exists() {
            return Register::open(path, passphrase);
        }
        let records = crate::demo::demo_ledger(now, DEMO_SEED, contacts)?;
        let mut register = Register::create(path, passphrase)?;
        if let Err(e) = register.import_records(records) {
            drop(register);
            remove_register_files(path);
            return Err(e);
        }
        Ok(register)
    }
}

fn remove_register_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        // Best effort: a leftover file is reported by the next open, not lost silently.
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_on_first_use_then_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/demo.db");
        let now = DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
        let first = Register::open_or_create_demo(&path, "demo", now, 12).unwrap();
        assert_eq!(first.counts().unwrap().contacts, 12);
        drop(first);
        // The second call opens the same file instead of adding to it.
        let again = Register::open_or_create_demo(&path, "demo", now, 30).unwrap();
        assert_eq!(again.counts().unwrap().contacts, 12);
        drop(again);
        assert!(Register::open_or_create_demo(&path, "wrong", now, 12).is_err());
    }
}
