//! Administration commands: `user add|list|remove|passwd`, `rekey`, `backup`, `restore`.
//! Passwords come from the environment or a prompt, never from an argument.

use std::path::Path;

use clap::Subcommand;
use serde_json::{json, Value};

use super::commands::{print_value, register_path, user_name};
use super::error::{exit, CliError};
use super::secret;
use super::Cli;
use crate::domain::Role;
use crate::register::Register;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user with a role (agent, officer, auditor, admin). The new user's password
    /// comes from $CONSENTRY_NEW_PASSPHRASE, else a prompt (twice).
    Add {
        name: String,
        #[arg(long, value_name = "agent|officer|auditor|admin")]
        role: String,
    },
    /// List the users and their roles.
    List,
    /// Remove a user and their key slot (not the last admin, not yourself).
    Remove { name: String },
    /// Set a password: your own, or (admin) another user's. From
    /// $CONSENTRY_NEW_PASSPHRASE, else a prompt (twice).
    Passwd { name: Option<String> },
}

/// Opens the register as the command-line user, keeping the password for commands that
/// need it again (rekey rewraps the admin's own slot with it).
fn open_with_password(cli: &Cli) -> Result<(Register, zeroize::Zeroizing<String>), CliError> {
    let path = register_path(cli, "register.db")?;
    if !path.exists() {
        return Err(crate::store::StoreError::NotFound(path).into());
    }
    let pass = secret::passphrase(cli.passphrase_file.as_deref(), false)?;
    let reg = Register::open_as(&path, &user_name(cli), &pass)?;
    Ok((reg, pass))
}

pub fn user(cli: &Cli, command: &UserCommand) -> Result<i32, CliError> {
    match command {
        UserCommand::Add { name, role } => {
            let role: Role = role.parse().map_err(|e: crate::domain::ValidationError| {
                CliError::Usage(format!("--role: {}", e.problem))
            })?;
            let (mut reg, _) = open_with_password(cli)?;
            // Refuse before asking for a password that could not help.
            reg.require(crate::domain::Permission::ManageUsers)?;
            let new = secret::new_passphrase(&format!("Password for {name}"))?;
            reg.add_user(name, role, &new)?;
            print_value(cli, json!({"added": name, "role": role.as_str()}), || {
                format!("added user {name} ({role})")
            });
        }
        UserCommand::List => {
            let (reg, _) = open_with_password(cli)?;
            let users = reg.list_users()?;
            let value = Value::Array(
                users
                    .iter()
                    .map(|u| {
                        json!({"name": u.name, "role": u.role.as_str(),
                            "created_at": chrono::DateTime::from_timestamp_millis(u.created_at)
                                .map(|t| t.to_rfc3339()),
                            "created_by": u.created_by, "can_sign_in": u.can_sign_in})
                    })
                    .collect(),
            );
            print_value(cli, value, || {
                users
                    .iter()
                    .map(|u| {
                        let note = if u.can_sign_in {
                            ""
                        } else {
                            "  (no password since the last rekey: `consentry user passwd NAME`)"
                        };
                        format!("{:<24} {}{note}", u.name, u.role)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        UserCommand::Remove { name } => {
            let (mut reg, _) = open_with_password(cli)?;
            reg.remove_user(name)?;
            print_value(cli, json!({"removed": name}), || {
                format!("removed user {name} and their key slot")
            });
        }
        UserCommand::Passwd { name } => {
            let (mut reg, _) = open_with_password(cli)?;
            let name = name.clone().unwrap_or_else(|| reg.session().user.clone());
            if name != reg.session().user {
                reg.require(crate::domain::Permission::ManageUsers)?;
            }
            let new = secret::new_passphrase(&format!("New password for {name}"))?;
            reg.change_password(&name, &new)?;
            print_value(cli, json!({"password_changed": name}), || {
                format!("password changed for {name}")
            });
        }
    }
    Ok(exit::OK)
}

pub fn rekey(cli: &Cli) -> Result<i32, CliError> {
    let (mut reg, pass) = open_with_password(cli)?;
    let done = reg.rekey(&pass)?;
    print_value(
        cli,
        json!({"key_id": done.key_id, "need_new_password": done.dropped}),
        || {
            let mut text = format!("the register has a new key ({})", done.key_id);
            if !done.dropped.is_empty() {
                text.push_str(&format!(
                    "\nthese users cannot sign in until an admin sets a new password with `consentry user passwd NAME`: {}",
                    done.dropped.join(", ")
                ));
            }
            text
        },
    );
    Ok(exit::OK)
}

pub fn backup(cli: &Cli, out: &Path) -> Result<i32, CliError> {
    // Before the password prompt: an existing file is never overwritten.
    crate::outfile::refuse_existing(out)?;
    let (reg, _) = open_with_password(cli)?;
    let done = reg.backup(out)?;
    print_value(
        cli,
        json!({"out": done.path, "bytes": done.bytes, "users": done.users}),
        || {
            format!(
                "backup written: {} ({} bytes; opens with the passwords of: {})",
                done.path.display(),
                done.bytes,
                done.users.join(", ")
            )
        },
    );
    Ok(exit::OK)
}

pub fn restore(cli: &Cli, file: &Path, to: &Path) -> Result<i32, CliError> {
    if !file.is_file() {
        return Err(CliError::Usage(format!(
            "no backup file at {}",
            file.display()
        )));
    }
    for existing in [to.to_path_buf(), crate::store::keyring_path(to)] {
        if existing.exists() {
            return Err(crate::store::StoreError::AlreadyExists(existing).into());
        }
    }
    let pass = secret::passphrase(cli.passphrase_file.as_deref(), false)?;
    let done = Register::restore(file, to, &user_name(cli), &pass)?;
    print_value(
        cli,
        json!({"restored": done.path, "keys": crate::store::keyring_path(&done.path)}),
        || {
            format!(
                "restored to {} (with {})",
                done.path.display(),
                crate::store::keyring_path(&done.path).display()
            )
        },
    );
    Ok(exit::OK)
}
