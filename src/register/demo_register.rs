//! The demo register of the desktop app: opened if it exists, else created with sample
//! data on first use, so a new user can try Consentry without data of their own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::{Register, Result};
use crate::domain::{Permission, Role};
use crate::store::keyring_path;

/// The fixed seed of the demo register, the same as `consentry demo`.
const DEMO_SEED: u64 = 7;

/// The demo register's users, one per role, so each role can be tried (`admin` first: it
/// creates the register).
pub const DEMO_USERS: [(&str, Role); 4] = [
    ("admin", Role::Admin),
    ("officer", Role::Officer),
    ("agent", Role::Agent),
    ("auditor", Role::Auditor),
];

impl Register {
    /// Opens the register at `path` as `user`; if there is no file yet, creates it with
    /// `contacts` sample contacts whose histories end at `now` and the [`DEMO_USERS`], all
    /// with `password`. A failed fill removes the half-made file, so the next attempt
    /// starts clean; so does a demo left by a version without key files (sample data only).
    pub fn open_or_create_demo(
        path: &Path,
        user: &str,
        password: &str,
        now: DateTime<FixedOffset>,
        contacts: usize,
    ) -> Result<Register> {
        if path.exists() && !keyring_path(path).exists() {
            remove_register_files(path);
        }
        if path.exists() {
            return Register::open_as(path, user, password);
        }
        let records = crate::demo::demo_ledger(now, DEMO_SEED, contacts)?;
        let register = Register::create_as(path, DEMO_USERS[0].0, password).and_then(|mut r| {
            r.add_demo_users(password)?;
            r.import_records(records)?;
            Ok(r)
        });
        let register = match register {
            Ok(r) => r,
            Err(e) => {
                remove_register_files(path);
                return Err(e);
            }
        };
        if user == DEMO_USERS[0].0 {
            return Ok(register);
        }
        drop(register);
        Register::open_as(path, user, password)
    }

    /// Adds the demo's officer, agent and auditor with `password` (admin only).
    pub fn add_demo_users(&mut self, password: &str) -> Result<()> {
        self.require(Permission::ManageUsers)?;
        for (name, role) in &DEMO_USERS[1..] {
            self.add_user(name, *role, password)?;
        }
        Ok(())
    }
}

fn remove_register_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".keys"] {
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
        let first = Register::open_or_create_demo(&path, "admin", "demo", now, 12).unwrap();
        assert_eq!(first.counts().unwrap().contacts, 12);
        drop(first);
        // The second call opens the same file instead of adding to it.
        let again = Register::open_or_create_demo(&path, "admin", "demo", now, 30).unwrap();
        assert_eq!(again.counts().unwrap().contacts, 12);
        drop(again);
        assert!(Register::open_or_create_demo(&path, "admin", "wrong", now, 12).is_err());
        // Every role can be tried with the same password.
        for (name, role) in DEMO_USERS {
            let r = Register::open_or_create_demo(&path, name, "demo", now, 12).unwrap();
            assert_eq!(r.session().role, role, "{name}");
        }
    }
}
