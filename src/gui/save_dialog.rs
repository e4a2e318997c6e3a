//! The native file dialogs and the desktop's viewer, behind one small boundary.
//!
//! A dialog waits for a human, so a test that opened one would hang (NOTES.md, rfd 0.17).
//! Screens therefore never call rfd themselves: they hold a [`Chooser`] that the root
//! hands them. The app uses [`Chooser::native`]; tests inject their own [`FileChooser`]
//! that answers with a temporary path at once and records what it was asked to open.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

pub use super::file_dialog::{FileRequest, Files};

/// A future that resolves to what the user chose; `Send` so iced can run it on tokio.
pub type Choice = Pin<Box<dyn Future<Output = Option<PathBuf>> + Send>>;

/// What a save dialog is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRequest {
    pub title: String,
    /// The suggested file name, e.g. `Einwilligungsnachweis-K-1001-2026-11-29.pdf`.
    pub file_name: String,
}

/// The dialogs and the viewer a screen may use.
pub trait FileChooser: Send + Sync {
    /// The PDF file to save to; `None` when the user cancelled. The native dialogs ask
    /// before an existing file is chosen, so an existing path means "replace it".
    fn save_pdf(&self, request: SaveRequest) -> Choice;
    /// A PDF file to read; `None` when the user cancelled.
    fn open_pdf(&self, title: String) -> Choice;
    /// Opens a file in the desktop's viewer without waiting for the viewer to close.
    /// Called on the blocking pool (it may wait a moment for the launcher's exit status).
    fn show(&self, path: &Path) -> Result<(), String>;
    /// Files for an import or a screening, or a CSV to write (`request.kind`); empty when
    /// the user cancelled. By default: cancelled (for test choosers that never need it).
    fn choose_files(&self, _request: FileRequest) -> Files {
        Box::pin(async { Vec::new() })
    }
}

/// A shared, cheaply cloned [`FileChooser`].
#[derive(Clone)]
pub struct Chooser(Arc<dyn FileChooser>);

impl Chooser {
    pub fn new(chooser: impl FileChooser + 'static) -> Self {
        Chooser(Arc::new(chooser))
    }

    /// The platform's dialogs (rfd) and viewer.
    pub fn native() -> Self {
        Chooser::new(Native)
    }

    pub fn save_pdf(&self, request: SaveRequest) -> Choice {
        self.0.save_pdf(request)
    }

    pub fn open_pdf(&self, title: String) -> Choice {
        self.0.open_pdf(title)
    }

    pub fn choose_files(&self, request: FileRequest) -> Files {
        self.0.choose_files(request)
    }

    /// Opens `path` in the viewer, off the UI thread; the error is a sentence to show.
    pub fn show(&self, path: PathBuf) -> impl Future<Output = Result<(), String>> + Send {
        let inner = self.0.clone();
        async move {
            tokio::task::spawn_blocking(move || inner.show(&path))
                .await
                .map_err(|e| e.to_string())?
        }
    }
}

impl Default for Chooser {
    fn default() -> Self {
        Chooser::native()
    }
}

impl std::fmt::Debug for Chooser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Chooser")
    }
}

/// rfd's asynchronous dialogs (they run on their own thread) and the platform's opener.
struct Native;

/// Reports go to the documents folder unless the user goes elsewhere.
fn documents() -> Option<PathBuf> {
    directories::UserDirs::new().and_then(|u| u.document_dir().map(Path::to_path_buf))
}

impl FileChooser for Native {
    fn save_pdf(&self, request: SaveRequest) -> Choice {
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title(request.title)
            .set_file_name(request.file_name)
            .add_filter("PDF", &["pdf"]);
        if let Some(dir) = documents() {
            dialog = dialog.set_directory(dir);
        }
        // The future is made here, not inside `async`: the dialog builder is not `Send`.
        let chosen = dialog.save_file();
        Box::pin(async move { chosen.await.map(|h| h.path().to_path_buf()) })
    }

    fn open_pdf(&self, title: String) -> Choice {
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title(title)
            .add_filter("PDF", &["pdf"]);
        if let Some(dir) = documents() {
            dialog = dialog.set_directory(dir);
        }
        let chosen = dialog.pick_file();
        Box::pin(async move { chosen.await.map(|h| h.path().to_path_buf()) })
    }

    fn choose_files(&self, request: FileRequest) -> Files {
        super::file_dialog::native(request)
    }

    fn show(&self, path: &Path) -> Result<(), String> {
        let mut child = viewer_command(path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        // `xdg-open`, `open` and `start` normally return at once after starting the viewer,
        // with a failure status when there is none; some desktops keep them running with
        // the viewer. Wait briefly for a failure, then let a thread reap the process.
        for _ in 0..30 {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => return Err(format!("the viewer launcher ended with {status}")),
                Ok(None) => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => return Err(e.to_string()),
            }
        }
        std::thread::spawn(move || {
            let _ = child.wait();
        });
        Ok(())
    }
}

/// The desktop's "open this file with its usual program".
fn viewer_command(path: &Path) -> Command {
    if cfg!(target_os = "windows") {
        let mut c = Command::new("cmd");
        // The empty title keeps `start` from taking a quoted path for the window title.
        c.args(["/C", "start", ""]).arg(path);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(path);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(path);
        c
    }
}
