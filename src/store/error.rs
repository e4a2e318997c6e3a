//! What can go wrong in the store, worded for the person who has to act on it.

use std::path::PathBuf;

use rusqlite::ErrorCode;
use thiserror::Error;

use crate::domain::ValidationError;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no register at {0}: check the path, or create a new register with `consentry init`")]
    NotFound(PathBuf),

    #[error("{0} already exists: choose another path (an existing file is never overwritten)")]
    AlreadyExists(PathBuf),

    #[error("the passphrase is empty: an empty passphrase would leave the register unencrypted")]
    EmptyPassphrase,

    /// Also for an unknown user: the answer must not tell which of the two was wrong.
    #[error("wrong user name or passphrase")]
    WrongPassphrase,

    /// The key slots beside the register are gone: without them nobody can unlock it.
    #[error(
        "the key file {0} is missing: without it the register cannot be unlocked; \
         restore it (with the register) from a backup"
    )]
    KeyringMissing(PathBuf),

    #[error("the key file {path} cannot be read ({problem}): restore it from a backup")]
    KeyringDamaged { path: PathBuf, problem: String },

    /// Unit variant: callers already know the path they asked for.
    #[error("the file is not a Consentry register: check the path")]
    NotARegister,

    #[error(
        "this register has schema version {found}, newer than this program supports \
         ({supported}): update Consentry to open it (the file was not changed)"
    )]
    NewerSchema { found: i32, supported: i32 },

    #[error("the register is in use by another program: close it and try again")]
    Busy,

    #[error("contact {0} already exists")]
    DuplicateContact(String),

    #[error("no contact with id {0}")]
    ContactNotFound(String),

    #[error("event {0} already exists in the ledger")]
    DuplicateEvent(String),

    /// A record the store was asked to write but that could never be read back.
    #[error("refused to store an invalid record: {0}")]
    Invalid(#[from] ValidationError),

    #[error("the register is damaged ({0}): restore it from a backup and run `consentry verify`")]
    Corrupt(String),

    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("register database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt(e.to_string())
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

/// The UNIQUE constraint on `column` (`table.column`) refused the statement; SQLite checks
/// it before the row is written, so nothing of the statement is left.
pub(super) fn is_unique_violation(e: &rusqlite::Error, column: &str) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(message))
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            && message.strip_prefix("UNIQUE constraint failed: ") == Some(column))
}
