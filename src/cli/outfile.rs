//! Output files that never overwrite and never appear half-written: data goes to a hidden
//! temporary name beside the target and is renamed into place only when complete.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::CliError;

pub struct PendingFile {
    target: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl PendingFile {
    /// Refuses an existing target (`what` names the option, e.g. `--out`).
    pub fn create(target: &Path, what: &str) -> Result<PendingFile, CliError> {
        if target.exists() {
            return Err(CliError::Usage(format!(
                "{what} {} exists; choose another file name (output files are never overwritten)",
                target.display()
            )));
        }
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let tmp = dir.join(format!(".{name}.partial"));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| {
                CliError::Usage(format!(
                    "cannot write {} ({}): {e}",
                    target.display(),
                    tmp.display()
                ))
            })?;
        Ok(PendingFile {
            target: target.to_path_buf(),
            tmp,
            writer: Some(BufWriter::new(file)),
        })
    }

    pub fn writer(&mut self) -> Result<&mut BufWriter<File>, CliError> {
        self.writer
            .as_mut()
            .ok_or_else(|| CliError::Usage(format!("{} is already closed", self.target.display())))
    }

    /// Flushes and renames the file into place.
    pub fn commit(mut self) -> Result<(), CliError> {
        let fail = |e: std::io::Error, target: &Path| {
            CliError::Usage(format!("cannot write {}: {e}", target.display()))
        };
        if let Some(mut w) = self.writer.take() {
            w.flush().map_err(|e| fail(e, &self.target))?;
            w.get_ref().sync_all().map_err(|e| fail(e, &self.target))?;
        }
        if self.target.exists() {
            return Err(CliError::Usage(format!(
                "{} appeared while writing; the output stays in {}",
                self.target.display(),
                self.tmp.display()
            )));
        }
        std::fs::rename(&self.tmp, &self.target).map_err(|e| fail(e, &self.target))?;
        // Renamed: nothing left for Drop to remove.
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for PendingFile {
    /// An output not committed (an error, a cancel) is removed, not left half-written.
    fn drop(&mut self) {
        self.writer = None;
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
