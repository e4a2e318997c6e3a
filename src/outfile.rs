//! Files the front ends write (exports, screening results, rejected-row reports): never over
//! an existing file, never half-written. Data goes to a hidden name beside the target and is
//! renamed into place when complete; a failed or cancelled run leaves nothing behind.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::import::RejectedRow;

#[derive(Debug, Error)]
pub enum OutputError {
    #[error("{} exists; choose another file name (output files are never overwritten)", .0.display())]
    Exists(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} appeared while writing; the output stays in {}", target.display(), tmp.display())]
    Appeared { target: PathBuf, tmp: PathBuf },
}

fn io_error(path: &Path, source: std::io::Error) -> OutputError {
    OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `target` may be written: it must not exist yet.
pub fn refuse_existing(target: &Path) -> Result<(), OutputError> {
    if target.exists() {
        return Err(OutputError::Exists(target.to_path_buf()));
    }
    Ok(())
}

/// `.NAME.SUFFIX` in the folder of `target`: scratch files on the same file system (so a
/// rename is atomic), hidden from a casual listing.
pub fn hidden_beside(target: &Path, suffix: &str) -> PathBuf {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    dir.join(format!(".{name}.{suffix}"))
}

pub struct PendingFile {
    target: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl PendingFile {
    pub fn create(target: &Path) -> Result<PendingFile, OutputError> {
        refuse_existing(target)?;
        let tmp = hidden_beside(target, "partial");
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| io_error(target, e))?;
        Ok(PendingFile {
            target: target.to_path_buf(),
            tmp,
            writer: Some(BufWriter::new(file)),
        })
    }

    pub fn writer(&mut self) -> Result<&mut BufWriter<File>, OutputError> {
        let target = self.target.clone();
        self.writer
            .as_mut()
            .ok_or_else(|| io_error(&target, std::io::Error::other("already closed")))
    }

    /// Flushes and renames the file into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if let Some(mut w) = self.writer.take() {
            w.flush().map_err(|e| io_error(&self.target, e))?;
            w.get_ref()
                .sync_all()
                .map_err(|e| io_error(&self.target, e))?;
        }
        if self.target.exists() {
            let err = OutputError::Appeared {
                target: self.target.clone(),
                tmp: self.tmp.clone(),
            };
            // Keep the data: the user is told where it is.
            self.tmp = PathBuf::new();
            return Err(err);
        }
        std::fs::rename(&self.tmp, &self.target).map_err(|e| io_error(&self.target, e))?;
        // Renamed: nothing left for Drop to remove.
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            self.writer.take();
            // Best effort: a leftover hidden partial file is harmless but untidy.
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The rejected-rows report of `--skip-invalid`: `file,row,line,column,problem`, then the
/// row as it was, with a header line before each input file's first rejected row (the files
/// of one import may have different columns).
pub struct RejectReport {
    out: PendingFile,
    last_file: Option<String>,
    error: Option<std::io::Error>,
}

impl RejectReport {
    pub fn create(target: &Path) -> Result<RejectReport, OutputError> {
        Ok(RejectReport {
            out: PendingFile::create(target)?,
            last_file: None,
            error: None,
        })
    }

    pub fn add(&mut self, r: RejectedRow<'_>) {
        let mut lines: Vec<Vec<&str>> = Vec::new();
        if self.last_file.as_deref() != Some(r.file) {
            self.last_file = Some(r.file.to_owned());
            lines.push(
                ["file", "row", "line", "column", "problem"]
                    .into_iter()
                    .chain(r.headers.iter().map(String::as_str))
                    .collect(),
            );
        }
        let (row, line) = (r.row.number.to_string(), r.row.line.to_string());
        lines.push(
            [r.file, row.as_str(), line.as_str(), r.column, r.problem]
                .into_iter()
                .chain(r.row.record.iter())
                .collect(),
        );
        if let Err(e) = self.write(&lines) {
            self.error.get_or_insert(e);
        }
    }

    /// Each row goes to the file at once, so memory stays bounded.
    fn write(&mut self, lines: &[Vec<&str>]) -> std::io::Result<()> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for l in lines {
            w.write_record(l)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let out = self.out.writer().map_err(std::io::Error::other)?;
        out.write_all(&bytes)
    }

    pub fn finish(self) -> Result<(), OutputError> {
        if let Some(e) = self.error {
            return Err(io_error(&self.out.target, e));
        }
        self.out.commit()
    }
}
