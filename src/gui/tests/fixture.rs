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

/// Runs a task as the runtime would and returns the messages it produced; widget
/// operations (focus, scrolling) have no widgets here and are dropped. Only for tasks that
/// call the register — never for the file dialog, which would wait for a human.
pub fn run_task<M: Send + 'static>(task: iced::Task<M>) -> Vec<M> {
    use iced::futures::StreamExt;
    use iced_test::runtime::{task, Action};

    let Some(stream) = task::into_stream(task) else {
        return Vec::new();
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(
        stream
            .filter_map(|action| async move {
                match action {
                    Action::Output(message) => Some(message),
                    _ => None,
                }
            })
            .collect(),
    )
}
