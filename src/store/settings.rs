//! Key/value settings; the policy is one of them, stored as JSON under `policy`.

use rusqlite::{params, Connection, OptionalExtension};

use super::error::StoreError;
use crate::domain::Policy;

const POLICY_KEY: &str = "policy";

pub(super) fn get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(super) fn set(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// The stored policy, or the default for a register where it was never set.
pub(super) fn policy(conn: &Connection) -> Result<Policy, StoreError> {
    match get(conn, POLICY_KEY)? {
        None => Ok(Policy::default()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("setting `{POLICY_KEY}`: {e}"))),
    }
}

pub(super) fn set_policy(conn: &Connection, p: &Policy) -> Result<(), StoreError> {
    let json = serde_json::to_string(p)
        .map_err(|e| StoreError::Corrupt(format!("policy cannot be written: {e}")))?;
    set(conn, POLICY_KEY, &json)
}
