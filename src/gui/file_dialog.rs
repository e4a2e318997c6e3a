//! File requests of the Import and List screening screens (CSV, JSONL: open one or
//! several, save a result), answered through the shared dialog boundary
//! [`save_dialog::Chooser`](super::save_dialog::Chooser): the app's native chooser opens
//! `rfd::AsyncFileDialog`, tests inject [`PreparedChooser`] with fixture paths. A dialog
//! in a test would wait for a human forever (NOTES.md, "rfd").

use std::collections::VecDeque;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use iced::Task;

use super::save_dialog::{Choice, Chooser, FileChooser, SaveRequest};

/// Open one file, several files, or name a file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    Open,
    OpenMany,
    Save,
}

/// What a dialog is asked for: the title, a file-type filter and, for a save, the
/// suggested file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRequest {
    pub kind: DialogKind,
    pub title: String,
    /// (name shown, extensions without the dot); `None`: any file.
    pub filter: Option<(String, Vec<String>)>,
    pub file_name: Option<String>,
}

impl FileRequest {
    pub fn new(kind: DialogKind, title: impl Into<String>) -> Self {
        FileRequest {
            kind,
            title: title.into(),
            filter: None,
            file_name: None,
        }
    }

    pub fn filter(mut self, name: &str, extensions: &[&str]) -> Self {
        self.filter = Some((
            name.to_owned(),
            extensions.iter().map(|e| (*e).to_owned()).collect(),
        ));
        self
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }
}

/// The chosen paths; empty when the user cancelled.
pub type Chosen = Vec<PathBuf>;

/// A future of the chosen paths, `Send` so iced runs it on tokio.
pub type Files = Pin<Box<dyn Future<Output = Chosen> + Send>>;

/// A task answering `request`; `done` turns the chosen paths into the screen's message.
pub fn ask<M: Send + 'static>(
    chooser: &Chooser,
    request: FileRequest,
    done: impl FnOnce(Chosen) -> M + Send + 'static,
) -> Task<M> {
    Task::perform(chooser.choose_files(request), done)
}

/// `rfd`'s asynchronous dialog (portal, else zenity; without either it answers "cancelled").
pub fn native(request: FileRequest) -> Files {
    let mut dialog = rfd::AsyncFileDialog::new().set_title(request.title);
    if let Some((name, extensions)) = &request.filter {
        dialog = dialog.add_filter(name.clone(), extensions);
    }
    if let Some(name) = request.file_name {
        dialog = dialog.set_file_name(name);
    }
    // The futures are made here, not inside `async`: the dialog builder is not `Send`.
    match request.kind {
        DialogKind::Open => {
            let chosen = dialog.pick_file();
            Box::pin(async move {
                chosen
                    .await
                    .map(|f| vec![f.path().to_path_buf()])
                    .unwrap_or_default()
            })
        }
        DialogKind::OpenMany => {
            let chosen = dialog.pick_files();
            Box::pin(async move {
                chosen
                    .await
                    .map(|fs| fs.iter().map(|f| f.path().to_path_buf()).collect())
                    .unwrap_or_default()
            })
        }
        DialogKind::Save => {
            let chosen = dialog.save_file();
            Box::pin(async move {
                chosen
                    .await
                    .map(|f| vec![f.path().to_path_buf()])
                    .unwrap_or_default()
            })
        }
    }
}

/// For tests: answers each file request with the next prepared answer (an empty answer is
/// a cancelled dialog) and records the requests. PDF dialogs answer "cancelled".
#[derive(Clone, Default)]
pub struct PreparedChooser {
    answers: Arc<Mutex<VecDeque<Chosen>>>,
    requests: Arc<Mutex<Vec<FileRequest>>>,
}

impl PreparedChooser {
    pub fn answer(&self, paths: Chosen) -> &Self {
        if let Ok(mut a) = self.answers.lock() {
            a.push_back(paths);
        }
        self
    }

    pub fn requests(&self) -> Vec<FileRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn chooser(&self) -> Chooser {
        Chooser::new(self.clone())
    }
}

impl FileChooser for PreparedChooser {
    fn save_pdf(&self, _request: SaveRequest) -> Choice {
        Box::pin(async { None })
    }

    fn open_pdf(&self, _title: String) -> Choice {
        Box::pin(async { None })
    }

    fn show(&self, _path: &Path) -> Result<(), String> {
        Ok(())
    }

    fn choose_files(&self, request: FileRequest) -> Files {
        if let Ok(mut r) = self.requests.lock() {
            r.push(request);
        }
        let next = self
            .answers
            .lock()
            .ok()
            .and_then(|mut a| a.pop_front())
            .unwrap_or_default();
        Box::pin(async move { next })
    }
}
