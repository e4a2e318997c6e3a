//! For tests: a [`FileChooser`] that never opens a dialog — it answers with the paths the
//! test set and records what it was asked — and a driver that runs a screen's tasks as
//! the runtime would (the simulator does not run them).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use iced::Task;

use crate::gui::save_dialog::{Choice, Chooser, FileChooser, SaveRequest};

#[derive(Default)]
pub struct TestChooser {
    /// What the save dialog answers (`None`: the user cancelled).
    pub save_to: Mutex<Option<PathBuf>>,
    /// What the open dialog answers.
    pub open: Mutex<Option<PathBuf>>,
    /// Every save dialog asked for, in order.
    pub asked: Mutex<Vec<SaveRequest>>,
    /// Every file handed to the viewer.
    pub shown: Mutex<Vec<PathBuf>>,
    /// What the viewer answers.
    pub show_fails: Mutex<Option<String>>,
}

impl TestChooser {
    /// A chooser whose save dialog answers `save_to`, and the handle the test keeps.
    pub fn saving_to(save_to: &Path) -> (Arc<TestChooser>, Chooser) {
        let c = Arc::new(TestChooser::default());
        *c.save_to.lock().unwrap() = Some(save_to.to_path_buf());
        (c.clone(), Chooser::new(c))
    }

    pub fn set_save_to(&self, p: Option<&Path>) {
        *self.save_to.lock().unwrap() = p.map(Path::to_path_buf);
    }

    pub fn set_open(&self, p: Option<&Path>) {
        *self.open.lock().unwrap() = p.map(Path::to_path_buf);
    }
}

impl FileChooser for Arc<TestChooser> {
    fn save_pdf(&self, request: SaveRequest) -> Choice {
        self.asked.lock().unwrap().push(request);
        let answer = self.save_to.lock().unwrap().clone();
        Box::pin(async move { answer })
    }

    fn open_pdf(&self, _title: String) -> Choice {
        let answer = self.open.lock().unwrap().clone();
        Box::pin(async move { answer })
    }

    fn show(&self, path: &Path) -> Result<(), String> {
        self.shown.lock().unwrap().push(path.to_path_buf());
        match self.show_fails.lock().unwrap().clone() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Runs a task to its end on a small tokio runtime and returns the messages it produced;
/// widget operations (focus) have no widgets here and are dropped.
pub fn run_task<M: Send + 'static>(task: Task<M>) -> Vec<M> {
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

/// Feeds `messages` to `update`, runs every task it returns and feeds their messages back,
/// until no work is left.
pub fn drive<M: Send + 'static>(messages: Vec<M>, mut update: impl FnMut(M) -> Option<Task<M>>) {
    let mut queue: std::collections::VecDeque<M> = messages.into();
    let mut steps = 0;
    while let Some(m) = queue.pop_front() {
        steps += 1;
        assert!(steps < 1000, "the screen keeps producing work");
        if let Some(task) = update(m) {
            queue.extend(run_task(task));
        }
    }
}

/// The text of a PDF as poppler's `pdftotext` extracts it.
pub fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A demo register (30 contacts, as of 1 June 2026) behind a handle, in a folder the test
/// keeps (reports are saved there). `name` is the register's file name.
pub struct DemoRegister {
    pub dir: tempfile::TempDir,
    pub handle: crate::gui::handle::RegisterHandle,
}

pub fn demo_register(name: &str) -> DemoRegister {
    let dir = tempfile::tempdir().unwrap();
    let mut reg =
        crate::register::Register::create(&dir.path().join(name), "test passphrase").unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    reg.import_records(crate::demo::demo_ledger(at, 7, 30).unwrap())
        .unwrap();
    DemoRegister {
        dir,
        handle: crate::gui::handle::RegisterHandle::new(reg),
    }
}
