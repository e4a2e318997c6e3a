//! The audit trail: who did what, when, to which object; every entry hash-chained to the
//! one before it (`domain::chain::audit_link`). Append-only (schema triggers).

use rusqlite::{params, Connection, OptionalExtension};

use super::chain::to_hash;
use super::error::StoreError;
use super::{Store, Tx};
use crate::domain::chain::{audit_link, AuditEntry, Hash, GENESIS};

/// One stored entry with its link hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub entry: AuditEntry,
    pub hash: Hash,
}

pub(super) fn append(
    conn: &Connection,
    at: i64,
    user: &str,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<(), StoreError> {
    // A deferred sign-in goes first, in the same transaction (store/users.rs).
    if let Some((at0, who, role)) = super::users::take_pending_unlock(conn)? {
        let unlock = crate::domain::chain::AuditAction::Unlock.as_str();
        append(conn, at0, &who, unlock, &who, &role)?;
    }
    let last: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        None => (1, GENESIS),
        Some((seq, bytes)) => (
            seq + 1,
            to_hash(&bytes).ok_or_else(|| {
                StoreError::Corrupt(format!("audit entry {seq} has no valid hash"))
            })?,
        ),
    };
    let entry = AuditEntry {
        seq,
        at,
        user: user.to_owned(),
        action: action.to_owned(),
        object: object.to_owned(),
        detail: detail.to_owned(),
    };
    let hash = audit_link(&prev, &entry);
    conn.prepare_cached(
        "INSERT INTO audit (seq, at, user, action, object, detail, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![seq, at, user, action, object, detail, &hash[..]])?;
    Ok(())
}

pub(super) fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(AuditEntry, Vec<u8>)> {
    Ok((
        AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            action: r.get(3)?,
            object: r.get(4)?,
            detail: r.get(5)?,
        },
        r.get(6)?,
    ))
}

impl Tx<'_> {
    /// Appends an audit entry inside this write, so it commits or rolls back with it.
    pub fn append_audit(
        &self,
        at: i64,
        user: &str,
        action: &str,
        object: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        append(self.conn(), at, user, action, object, detail)
    }
}

impl Store {
    /// Appends an audit entry in a transaction of its own (for reads worth recording:
    /// reports, exports, unlock). Takes `&self`: the facade's read methods can call it.
    pub fn append_audit(
        &self,
        at: i64,
        user: &str,
        action: &str,
        object: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        match append(conn, at, user, action, object, detail) {
            Ok(()) => Ok(conn.execute_batch("COMMIT")?),
            Err(e) => {
                // The append's error is what matters; a failed rollback ends with the connection.
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// The newest `limit` entries, newest first.
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditRow>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn().prepare_cached(
            "SELECT seq, at, user, action, object, detail, hash FROM audit
             ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], read_row)?;
        rows.map(|row| {
            let (entry, hash) = row?;
            let hash = to_hash(&hash).ok_or_else(|| {
                StoreError::Corrupt(format!("audit entry {} has no valid hash", entry.seq))
            })?;
            Ok(AuditRow { entry, hash })
        })
        .collect()
    }
}
