//! Erasure and the suppression list. An erasure removes a person's data in one transaction
//! (contact reduced to its minimal form, identifiers and search entry deleted, personal
//! fields of its events removed, the events' salts dropped) and keeps keyed hashes of the
//! identifiers and a minimal erasure record. The append-only triggers let an event row
//! change only while its contact is in `erasure_gate`, which exists only inside this
//! transaction.

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension};

use super::error::StoreError;
use super::record::{decode, encode};
use super::{contacts, Store, Tx};
use crate::domain::chain::erased_event;
use crate::domain::erasure::{IdKind, KeyedHash};
use crate::domain::Contact;

/// The setting holding the suppression key (hex). Never exported, never printed.
pub const SUPPRESSION_KEY_SETTING: &str = "suppression_key";

/// The minimal record an erasure leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureRecord {
    pub contact: String,
    /// Unix milliseconds.
    pub at: i64,
    pub user: String,
    pub reason: String,
}

impl Tx<'_> {
    /// Erases `minimal.id`'s personal data (see the module comment) and returns how many
    /// of its events were stripped. `ContactNotFound` for an unknown contact.
    pub fn erase_contact(
        &self,
        minimal: &Contact,
        record: &ErasureRecord,
        suppression: &[(IdKind, KeyedHash)],
    ) -> Result<usize, StoreError> {
        let conn = self.conn();
        let row = contacts::rowid(conn, &minimal.id)?
            .ok_or_else(|| StoreError::ContactNotFound(minimal.id.clone()))?;
        // Freed space is overwritten with zeros, so the removed values do not linger in
        // free pages of the (encrypted) file. Only for this connection, only meanwhile.
        let secure: i64 = conn.pragma_query_value(None, "secure_delete", |r| r.get(0))?;
        conn.pragma_update(None, "secure_delete", 1)?;
        conn.execute("INSERT INTO erasure_gate (contact) VALUES (?1)", [row])?;
        let events = strip_events(conn, row)?;
        conn.execute(
            "UPDATE contacts SET record = ?2 WHERE rowid = ?1",
            params![row, encode(minimal.to_object())],
        )?;
        conn.execute("DELETE FROM identifiers WHERE contact = ?1", [row])?;
        conn.execute("DELETE FROM search_index WHERE rowid = ?1", [row])?;
        let mut insert =
            conn.prepare_cached("INSERT OR IGNORE INTO suppression (hash, kind) VALUES (?1, ?2)")?;
        for (kind, hash) in suppression {
            insert.execute(params![&hash[..], kind.as_str()])?;
        }
        conn.execute(
            "INSERT INTO erasures (contact, at, user, reason) VALUES (?1, ?2, ?3, ?4)",
            params![record.contact, record.at, record.user, record.reason],
        )?;
        // What the rules see of the person is what erasure left.
        self.bases.rebuild(conn, row)?;
        conn.execute("DELETE FROM erasure_gate WHERE contact = ?1", [row])?;
        conn.pragma_update(None, "secure_delete", secure)?;
        Ok(events)
    }

    /// The register's suppression key, made (32 random bytes) on first use.
    pub fn suppression_key(&self) -> Result<Vec<u8>, StoreError> {
        if let Some(k) = stored_key(self.conn())? {
            return Ok(k);
        }
        let key: [u8; 32] = rand::random();
        super::settings::set(self.conn(), SUPPRESSION_KEY_SETTING, &hex::encode(key))?;
        Ok(key.to_vec())
    }
}

fn strip_events(conn: &Connection, contact: i64) -> Result<usize, StoreError> {
    let rows: Vec<(i64, String)> = {
        let mut stmt = conn.prepare("SELECT seq, record FROM events WHERE contact = ?1")?;
        let rows = stmt.query_map([contact], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut update = conn.prepare("UPDATE events SET record = ?2 WHERE seq = ?1")?;
    let mut unsalt = conn.prepare("UPDATE event_chain SET salt = NULL WHERE seq = ?1")?;
    for (seq, record) in &rows {
        let obj = decode(record, &format!("event #{seq}"))?;
        update.execute(params![seq, encode(erased_event(&obj))])?;
        unsalt.execute([seq])?;
    }
    Ok(rows.len())
}

fn stored_key(conn: &Connection) -> Result<Option<Vec<u8>>, StoreError> {
    match super::settings::get(conn, SUPPRESSION_KEY_SETTING)? {
        None => Ok(None),
        Some(k) => hex::decode(k.trim()).map(Some).map_err(|_| {
            StoreError::Corrupt(format!("setting `{SUPPRESSION_KEY_SETTING}` is not hex"))
        }),
    }
}

impl Store {
    /// The suppression key, or `None` while nobody was ever erased.
    pub fn suppression_key(&self) -> Result<Option<Vec<u8>>, StoreError> {
        stored_key(self.conn())
    }

    /// Every suppression entry's hash. The list stays small (erasures are rare), so
    /// screenings and exports hold it in memory instead of querying per row.
    pub fn suppression_hashes(&self) -> Result<HashSet<KeyedHash>, StoreError> {
        let mut stmt = self.conn().prepare_cached("SELECT hash FROM suppression")?;
        let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        let mut out = HashSet::new();
        for row in rows {
            let bytes = row?;
            let hash = KeyedHash::try_from(bytes.as_slice())
                .map_err(|_| StoreError::Corrupt("a suppression entry is not a hash".into()))?;
            out.insert(hash);
        }
        Ok(out)
    }

    /// The erasure record of a contact, if it was erased.
    pub fn erasure(&self, contact_id: &str) -> Result<Option<ErasureRecord>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT contact, at, user, reason FROM erasures WHERE contact = ?1")?
            .query_row([contact_id], |r| {
                Ok(ErasureRecord {
                    contact: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    reason: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Every erasure record, oldest first.
    pub fn erasures(&self) -> Result<Vec<ErasureRecord>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT contact, at, user, reason FROM erasures ORDER BY at")?;
        let rows = stmt.query_map([], |r| {
            Ok(ErasureRecord {
                contact: r.get(0)?,
                at: r.get(1)?,
                user: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids of all erased contacts (few: erasures are rare).
    pub fn erased_contact_ids(&self) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self.conn().prepare_cached("SELECT contact FROM erasures")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
impl Store {
    /// Every text and blob value of every table (also the search index's own tables) as
    /// lossy text, for tests that a value is gone from the whole file.
    pub(crate) fn all_stored_text(&self) -> Result<String, StoreError> {
        let conn = self.conn();
        let tables: Vec<String> = {
            let mut stmt = conn.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut out = String::new();
        for t in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\""))?;
            let n = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                for i in 0..n {
                    match row.get_ref(i)? {
                        rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                            out.push_str(&String::from_utf8_lossy(b));
                            out.push('\n');
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
impl Store {
    /// Raw SQL underneath the application, for tests that tamper with the file.
    pub(crate) fn execute_raw_for_tests(&self, sql: &str) -> Result<(), StoreError> {
        Ok(self.conn().execute_batch(sql)?)
    }
}
