//! Test registers in a temp dir, built for a fixed instant so results never drift.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use crate::gui::handle::RegisterHandle;
use crate::register::{Register, SearchResult};

pub const PASSPHRASE: &str = "richtig geheim";

pub fn instant() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
}

pub struct TestRegister {
    /// Kept so the directory lives as long as the register.
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
}

/// An empty register with [`PASSPHRASE`].
pub fn empty() -> TestRegister {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    Register::create(&path, PASSPHRASE).unwrap();
    TestRegister { _dir: dir, path }
}

/// A demo register of 60 contacts, open.
pub fn demo() -> (TestRegister, RegisterHandle) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let mut reg = Register::create(&path, PASSPHRASE).unwrap();
    reg.import_records(crate::demo::demo_ledger(instant(), 7, 60).unwrap())
        .unwrap();
    (TestRegister { _dir: dir, path }, RegisterHandle::new(reg))
}

/// What the search screen's task would compute, at the fixed instant.
pub fn search(handle: &RegisterHandle, query: &str) -> Vec<SearchResult> {
    handle
        .call_blocking(|reg| crate::gui::search::search(reg, query, instant()))
        .unwrap()
}
