//! File formats coming in: Mailchimp audience exports and CRM/spreadsheet CSV with a column
//! mapping, read row by row (memory bounded however large the file).
//!
//! This layer turns rows into contacts and events; the register facade
//! (`register/imports.rs`) writes them in one transaction.

pub mod csv_map;
pub mod decoding;
pub mod mailchimp;
pub mod table;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use thiserror::Error;

pub use table::{preview, Preview, Row, Table};

#[derive(Debug, Error)]
pub enum ImportError {
    /// A row that cannot be imported. `column` is empty when the row as a whole is bad.
    #[error("{file}, row {row} (line {line}){}: {problem}", column_part(column))]
    Row {
        file: String,
        row: u64,
        line: u64,
        column: String,
        problem: String,
    },
    #[error("{file}: no column {wanted} in the header row (found: {found})")]
    MissingColumn {
        file: String,
        wanted: String,
        found: String,
    },
    #[error("{file} is empty (no header row)")]
    Empty { file: String },
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("--map: {0}")]
    Map(String),
    #[error("cancelled; nothing was written")]
    Cancelled,
}

fn column_part(column: &str) -> String {
    if column.is_empty() {
        String::new()
    } else {
        format!(", column `{column}`")
    }
}

impl ImportError {
    pub fn hint(&self) -> &'static str {
        match self {
            ImportError::Row { .. } => {
                "fix that row, or pass --skip-invalid REPORT.csv to import the other rows; nothing was imported"
            }
            ImportError::MissingColumn { .. } => {
                "check the file's header row (or name the column with the command's options)"
            }
            ImportError::Empty { .. } | ImportError::Read { .. } => "check the path and the file",
            ImportError::Map(_) => {
                "write the mapping as field=Column pairs, e.g. --map name=Name,email=E-Mail"
            }
            ImportError::Cancelled => "start the import again when ready",
        }
    }
}

/// Why one row cannot be imported: the column (header name as in the file) and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub column: String,
    pub problem: String,
}

impl RowProblem {
    pub fn new(column: impl Into<String>, problem: impl Into<String>) -> Self {
        RowProblem {
            column: column.into(),
            problem: problem.into(),
        }
    }

    pub fn at(self, file: &str, row: &Row) -> ImportError {
        ImportError::Row {
            file: file.to_owned(),
            row: row.number,
            line: row.line,
            column: self.column,
            problem: self.problem,
        }
    }
}

/// A row left out under `--skip-invalid`, with the file's header so a report can show it.
#[derive(Debug, Clone, Copy)]
pub struct RejectedRow<'a> {
    pub file: &'a str,
    pub headers: &'a [String],
    pub row: &'a Row,
    pub column: &'a str,
    pub problem: &'a str,
}

/// How a long-running import or screening is steered from outside (CLI or GUI).
#[derive(Default)]
pub struct ImportControl<'a> {
    /// `None`: the first bad row aborts and nothing is written. `Some`: bad rows go here
    /// and the other rows are imported.
    pub rejected: Option<&'a mut dyn FnMut(RejectedRow<'_>)>,
    /// Called after every row with the number of rows read so far (all files together).
    pub progress: Option<&'a mut dyn FnMut(u64)>,
    /// Set it from another thread to stop; the transaction is rolled back.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl ImportControl<'_> {
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    pub fn report_progress(&mut self, rows: u64) {
        if let Some(p) = self.progress.as_mut() {
            p(rows);
        }
    }

    /// Skips the row (reporting it) under `--skip-invalid`, else turns it into the error
    /// that aborts the import.
    pub fn reject(
        &mut self,
        file: &str,
        headers: &[String],
        row: &Row,
        problem: RowProblem,
    ) -> Result<(), ImportError> {
        match self.rejected.as_mut() {
            Some(f) => {
                f(RejectedRow {
                    file,
                    headers,
                    row,
                    column: &problem.column,
                    problem: &problem.problem,
                });
                Ok(())
            }
            None => Err(problem.at(file, row)),
        }
    }
}

/// What a row-based import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowImportSummary {
    pub rows: u64,
    pub rejected: u64,
    pub contacts_added: u64,
    /// Rows that matched a contact already in the register (by id, email, phone or customer number).
    pub contacts_matched: u64,
    pub contacts_changed: u64,
    pub events_added: u64,
    /// Events already in the register with identical content (a re-import adds nothing).
    pub events_unchanged: u64,
    /// Rows whose email, phone or address is on the suppression list of erased people:
    /// imported (unless they are the erased contact itself), but every decision denies them.
    pub suppressed: u64,
}
