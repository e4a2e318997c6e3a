//! The `users` table: who may unlock the register and with which role. The key slots are in
//! the key file beside the register (`keyring.rs`); this table decides whether a slot counts.

use rusqlite::{params, Connection, OptionalExtension};

use super::error::StoreError;
use crate::domain::Role;

/// One user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub name: String,
    pub role: Role,
    /// Unix milliseconds.
    pub created_at: i64,
    pub created_by: Option<String>,
}

fn role_of(text: &str) -> Result<Role, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown role `{text}` in the users table")))
}

pub(super) fn role(conn: &Connection, name: &str) -> Result<Option<Role>, StoreError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT role FROM users WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    text.as_deref().map(role_of).transpose()
}

pub(super) fn all(conn: &Connection) -> Result<Vec<UserRecord>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT name, role, created_at, created_by FROM users ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (name, role, created_at, created_by) = row?;
        out.push(UserRecord {
            role: role_of(&role)?,
            name,
            created_at,
            created_by,
        });
    }
    Ok(out)
}

/// `false` (nothing written) if the name is taken. `created_at` is the clock at insert.
pub(super) fn insert(
    conn: &Connection,
    name: &str,
    role: Role,
    created_by: Option<&str>,
) -> Result<bool, StoreError> {
    let n = conn
        .prepare_cached(
            "INSERT INTO users (name, role, created_at, created_by)
             VALUES (?1, ?2, CAST(unixepoch('subsec') * 1000 AS INTEGER), ?3)
             ON CONFLICT (name) DO NOTHING",
        )?
        .execute(params![name, role.as_str(), created_by])?;
    Ok(n == 1)
}

/// `false` if there was no such user.
pub(super) fn set_role(conn: &Connection, name: &str, role: Role) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("UPDATE users SET role = ?2 WHERE name = ?1")?
        .execute(params![name, role.as_str()])?
        == 1)
}

/// `false` if there was no such user.
pub(super) fn delete(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("DELETE FROM users WHERE name = ?1")?
        .execute([name])?
        == 1)
}

/// Notes a sign-in to be put in the audit trail together with the session's first audit
/// entry (same transaction): a command that fails, or is refused, then leaves the file
/// byte-identical. The note lives in a TEMP table (memory: `temp_store = MEMORY`), and
/// rolls back with the transaction that would have carried it.
pub(super) fn defer_unlock(
    conn: &Connection,
    user: &str,
    role: Role,
    at: i64,
) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS pending_unlock (
             at INTEGER NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL
         ) STRICT;
         DELETE FROM temp.pending_unlock;",
    )?;
    conn.execute(
        "INSERT INTO temp.pending_unlock (at, user, role) VALUES (?1, ?2, ?3)",
        params![at, user, role.as_str()],
    )?;
    Ok(())
}

/// The deferred sign-in, removed from the note (inside the caller's transaction).
pub(super) fn take_pending_unlock(
    conn: &Connection,
) -> Result<Option<(i64, String, String)>, StoreError> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM temp.sqlite_master WHERE name = 'pending_unlock'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    let row: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT at, user, role FROM temp.pending_unlock LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if row.is_some() {
        conn.execute("DELETE FROM temp.pending_unlock", [])?;
    }
    Ok(row)
}
