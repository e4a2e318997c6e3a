//! Users, their roles and key slots: sign-in, add, list, remove, change password, rekey.
//! The role lives in the encrypted register; the slot (the password's copy of the key)
//! in the key file beside it. Both are changed here together.

use std::path::Path;

use thiserror::Error;

use super::audit::audit_in;
use super::{Register, RegisterError, Result, Session};
use crate::domain::chain::AuditAction;
use crate::domain::{Permission, Role};
use crate::store::{Rekeyed, Store, UserRecord};

/// The user `Register::create` / `Register::open` act as.
pub const DEFAULT_USER: &str = "admin";

/// Refusals of user management, each saying what to do instead.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum UserError {
    #[error("`{0}` is not a valid user name (1–64 letters, digits, `.`, `_`, `-` or `@`)")]
    InvalidName(String),
    #[error("a user `{0}` already exists")]
    Exists(String),
    #[error("there is no user `{0}`")]
    Unknown(String),
    #[error("`{0}` is the last admin; add another admin first")]
    LastAdmin(String),
    #[error("you cannot remove yourself (`{0}`)")]
    RemoveSelf(String),
    #[error("the new password is too short (at least {MIN_PASSWORD_CHARS} characters)")]
    PasswordTooShort,
}

impl UserError {
    pub fn hint(&self) -> &'static str {
        match self {
            UserError::InvalidName(_) => "choose a name like erika.m or agent-3",
            UserError::Exists(_) => "choose another name, or change that user's password",
            UserError::Unknown(_) => "see `consentry user list`",
            UserError::LastAdmin(_) => "run `consentry user add NAME --role admin` first",
            UserError::RemoveSelf(_) => "ask another admin to remove this user",
            UserError::PasswordTooShort => "choose a longer password (12 or more recommended)",
        }
    }
}

/// The shortest password accepted for a user (the same rule as a new register's).
pub const MIN_PASSWORD_CHARS: usize = 4;

/// A user as `user list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub role: Role,
    /// Unix milliseconds.
    pub created_at: i64,
    pub created_by: Option<String>,
    /// Has a key slot for the current key (false after a rekey until `user passwd`).
    pub can_sign_in: bool,
}

fn check_name(name: &str) -> Result<(), UserError> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(UserError::InvalidName(name.to_owned()))
    }
}

fn check_password(password: &str) -> Result<(), UserError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(UserError::PasswordTooShort);
    }
    Ok(())
}

impl Register {
    /// Creates a new register with `user` as its first admin (key file `<path>.keys`
    /// beside it).
    pub fn create_as(path: &Path, user: &str, password: &str) -> Result<Self> {
        check_name(user)?;
        let store = Store::create_as(path, user, password)?;
        let register = Register {
            store,
            session: Session {
                user: user.to_owned(),
                role: Role::Admin,
            },
        };
        register.audit(AuditAction::UserAdded, user, "role=admin; first user")?;
        Ok(register)
    }

    /// Opens the register as `user` with their password; the role comes from the register.
    pub fn open_as(path: &Path, user: &str, password: &str) -> Result<Self> {
        let (store, role) = Store::unlock(path, user, password)?;
        let register = Register {
            store,
            session: Session {
                user: user.to_owned(),
                role,
            },
        };
        // Every sign-in goes on the record, with its role: together with the session's
        // first audit entry (a failed or refused command leaves the file untouched), or
        // at once with `record_unlock` (the desktop app).
        register
            .store
            .defer_unlock(user, role, chrono::Utc::now().timestamp_millis())?;
        Ok(register)
    }

    /// Puts this session's sign-in in the audit trail now (the desktop app does at unlock;
    /// the command line leaves it to the command's first audit entry).
    pub fn record_unlock(&self) -> Result<()> {
        self.require(Permission::Read)?;
        Ok(self.store.record_unlock()?)
    }

    /// `create_as` for the user `admin`.
    pub fn create(path: &Path, password: &str) -> Result<Self> {
        Register::create_as(path, DEFAULT_USER, password)
    }

    /// `open_as` for the user `admin`.
    pub fn open(path: &Path, password: &str) -> Result<Self> {
        Register::open_as(path, DEFAULT_USER, password)
    }

    /// Adds a user with a role and their first password (admin only).
    pub fn add_user(&mut self, name: &str, role: Role, password: &str) -> Result<()> {
        self.require(Permission::ManageUsers)?;
        check_name(name)?;
        check_password(password)?;
        let by = self.session.user.clone();
        // The row first (it refuses a taken name), then the slot; a failed slot write
        // takes the row back out.
        let session = self.session.clone();
        self.store.write(|tx| {
            if !tx.insert_user(name, role, Some(&by))? {
                return Err(RegisterError::from(UserError::Exists(name.to_owned())));
            }
            audit_in(
                tx,
                &session,
                AuditAction::UserAdded,
                name,
                &format!("role={role}"),
            )?;
            Ok(())
        })?;
        if let Err(e) = self.store.set_slot(name, password) {
            // Undo the row: a user without a slot could never sign in.
            let _ = self.store.write(|tx| tx.delete_user(name));
            return Err(e.into());
        }
        Ok(())
    }

    /// All users with their roles (admin only: the list says who holds which rights).
    pub fn list_users(&self) -> Result<Vec<UserInfo>> {
        self.require(Permission::ManageUsers)?;
        let ring = self.store.keyring()?;
        let current = ring.users_with_key(&self.store.key_id());
        Ok(self
            .store
            .users()?
            .into_iter()
            .map(
                |UserRecord {
                     name,
                     role,
                     created_at,
                     created_by,
                 }| UserInfo {
                    can_sign_in: current.contains(&name),
                    name,
                    role,
                    created_at,
                    created_by,
                },
            )
            .collect())
    }

    /// Removes a user and their key slot. Refuses the last admin and oneself.
    pub fn remove_user(&mut self, name: &str) -> Result<()> {
        self.require(Permission::ManageUsers)?;
        if name == self.session.user {
            return Err(UserError::RemoveSelf(name.to_owned()).into());
        }
        let users = self.store.users()?;
        let Some(user) = users.iter().find(|u| u.name == name) else {
            return Err(UserError::Unknown(name.to_owned()).into());
        };
        let admins = users.iter().filter(|u| u.role == Role::Admin).count();
        if user.role == Role::Admin && admins <= 1 {
            return Err(UserError::LastAdmin(name.to_owned()).into());
        }
        // The slot first: once it is gone the user cannot sign in, whatever happens next.
        self.store.remove_slots(name)?;
        let session = self.session.clone();
        let detail = format!("role={}", user.role);
        self.store.write(|tx| {
            tx.delete_user(name)?;
            audit_in(tx, &session, AuditAction::UserRemoved, name, &detail)
                .map_err(RegisterError::from)
        })?;
        Ok(())
    }

    /// Sets `name`'s password (a new key slot). Anyone may change their own; another user's
    /// (a reset, e.g. after a rekey) needs an admin.
    pub fn change_password(&mut self, name: &str, new_password: &str) -> Result<()> {
        if name == self.session.user {
            // Everyone may change their own (every role reads).
            self.require(Permission::Read)?;
        } else {
            self.require(Permission::ManageUsers)?;
        }
        check_password(new_password)?;
        if self.store.user_role(name)?.is_none() {
            return Err(UserError::Unknown(name.to_owned()).into());
        }
        // Replaces the slot for the current key; slots for other keys are stale anyway.
        self.store.set_slot(name, new_password)?;
        let detail = if name == self.session.user {
            "own"
        } else {
            "reset by admin"
        };
        self.audit(AuditAction::PasswordChanged, name, detail)?;
        Ok(())
    }

    /// Re-encrypts the register under a new random key (admin only). `password` is the
    /// acting admin's, to rewrap their own slot; other users must get a new password with
    /// `change_password` (their names are in `Rekeyed::dropped`).
    pub fn rekey(&mut self, password: &str) -> Result<Rekeyed> {
        self.require(Permission::Administer)?;
        let user = self.session.user.clone();
        let done = self.store.rekey(&user, password)?;
        self.audit(
            AuditAction::Rekeyed,
            &done.key_id,
            &format!("slots dropped={}", done.dropped.join(",")),
        )?;
        Ok(done)
    }
}

impl From<UserError> for RegisterError {
    fn from(e: UserError) -> Self {
        RegisterError::User(e)
    }
}

#[cfg(test)]
#[path = "users_tests.rs"]
mod tests;
