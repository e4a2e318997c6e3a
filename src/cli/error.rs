use thiserror::Error;

use crate::register::RegisterError;
use crate::store::StoreError;

/// Exit codes of the command-line contract (DESIGN.md).
pub mod exit {
    pub const OK: i32 = 0;
    pub const DENIED: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const ACCESS: i32 = 3;
    pub const INTEGRITY: i32 = 4;
}

#[derive(Debug, Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{message}")]
    NoSecret { message: String },
    #[error(transparent)]
    Register(#[from] RegisterError),
}

impl From<crate::outfile::OutputError> for CliError {
    fn from(e: crate::outfile::OutputError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Register(RegisterError::Store(e))
    }
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => exit::USAGE,
            CliError::NoSecret { .. } => exit::ACCESS,
            CliError::Register(RegisterError::Store(e)) => match e {
                StoreError::WrongPassphrase => exit::ACCESS,
                StoreError::Corrupt(_) => exit::INTEGRITY,
                _ => exit::USAGE,
            },
            CliError::Register(RegisterError::Forbidden { .. }) => exit::ACCESS,
            CliError::Register(_) => exit::USAGE,
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            CliError::Usage(_) => "see `consentry --help`",
            CliError::NoSecret { .. } => {
                "set CONSENTRY_PASSPHRASE, pass --passphrase-file FILE, or run in a terminal to be asked"
            }
            CliError::Register(e) => e.hint(),
        }
    }
}
