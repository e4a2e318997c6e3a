//! The register's secret: `$CONSENTRY_PASSPHRASE`, else `--passphrase-file`, else a prompt on a
//! terminal. Never an argument, so it cannot show up in `ps` or shell history.

use std::io::IsTerminal;
use std::path::Path;

use zeroize::Zeroizing;

use super::error::CliError;

pub const ENV: &str = "CONSENTRY_PASSPHRASE";

/// Reads the secret. `confirm` asks twice on a terminal (for a new register).
pub fn passphrase(file: Option<&Path>, confirm: bool) -> Result<Zeroizing<String>, CliError> {
    if let Ok(p) = std::env::var(ENV) {
        if !p.is_empty() {
            return Ok(Zeroizing::new(p));
        }
    }
    if let Some(path) = file {
        let text =
            Zeroizing::new(
                std::fs::read_to_string(path).map_err(|e| CliError::NoSecret {
                    message: format!("cannot read the passphrase file {}: {e}", path.display()),
                })?,
            );
        let line = text.lines().next().unwrap_or("").to_owned();
        if line.is_empty() {
            return Err(CliError::NoSecret {
                message: format!("the passphrase file {} is empty", path.display()),
            });
        }
        return Ok(Zeroizing::new(line));
    }
    if std::io::stdin().is_terminal() {
        let first = Zeroizing::new(rpassword::prompt_password("Passphrase: ").map_err(|e| {
            CliError::NoSecret {
                message: format!("cannot read the passphrase: {e}"),
            }
        })?);
        if confirm {
            let second = Zeroizing::new(
                rpassword::prompt_password("Repeat passphrase: ").map_err(|e| {
                    CliError::NoSecret {
                        message: format!("cannot read the passphrase: {e}"),
                    }
                })?,
            );
            if *first != *second {
                return Err(CliError::Usage(
                    "the two passphrases differ; nothing was created".into(),
                ));
            }
        }
        if first.is_empty() {
            return Err(CliError::NoSecret {
                message: "an empty passphrase is not allowed".into(),
            });
        }
        return Ok(first);
    }
    Err(CliError::NoSecret {
        message: "no passphrase given".into(),
    })
}

/// A new register's passphrase must not be trivially guessable.
pub fn check_new(passphrase: &str) -> Result<(), CliError> {
    if passphrase.chars().count() < 4 {
        return Err(CliError::Usage(
            "the passphrase is too short (at least 4 characters; 12 or more recommended)".into(),
        ));
    }
    Ok(())
}

pub const NEW_ENV: &str = "CONSENTRY_NEW_PASSPHRASE";

/// A new password for a user: `$CONSENTRY_NEW_PASSPHRASE`, else asked twice on a terminal.
pub fn new_passphrase(prompt: &str) -> Result<Zeroizing<String>, CliError> {
    if let Ok(p) = std::env::var(NEW_ENV) {
        if !p.is_empty() {
            let p = Zeroizing::new(p);
            check_new(&p)?;
            return Ok(p);
        }
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::NoSecret {
            message: format!("no new password given (set {NEW_ENV} or run in a terminal)"),
        });
    }
    let read = |label: &str| {
        rpassword::prompt_password(label)
            .map(Zeroizing::new)
            .map_err(|e| CliError::NoSecret {
                message: format!("cannot read the password: {e}"),
            })
    };
    let first = read(&format!("{prompt}: "))?;
    let second = read("Repeat it: ")?;
    if *first != *second {
        return Err(CliError::Usage(
            "the two passwords differ; nothing was changed".into(),
        ));
    }
    check_new(&first)?;
    Ok(first)
}
