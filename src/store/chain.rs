//! The ledger's hash chain (`event_chain`): one link per event, written in the same
//! statement sequence as the event itself, so no insert path can skip it. The hashing is
//! pure (`domain::chain`); this file only reads and writes the rows.

use std::cell::Cell;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::error::StoreError;
use crate::domain::chain::{
    encode_skeleton, event_link_encoded, personal_hashes, split_event, Hash, GENESIS,
};
use crate::domain::json::Object;

/// The setting naming the last event stored before the chain existed (migration 4).
const LEGACY_SETTING: &str = "ledger_chain_legacy_until";

/// The latest link, as one write transaction knows it: read once, then kept in memory so
/// an import of a million events does not look it up a million times.
#[derive(Debug, Default)]
pub(super) struct Head(Cell<Option<Hash>>);

/// What a link needs besides its position and the previous link: the event's salt, the
/// salted hashes of its personal fields and its encoded skeleton. Computed from the event
/// alone, so an import computes it on a second thread (`store::prepared`).
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    salt: [u8; 16],
    hashes: Vec<(String, Hash)>,
    /// `hashes` as stored in `event_chain.personal`.
    personal: String,
    skeleton: Vec<u8>,
}

/// [`Prepared`] for an event record, with a fresh random salt.
pub(super) fn prepare(obj: &Object) -> Prepared {
    let parts = split_event(obj);
    let salt: [u8; 16] = rand::random();
    let hashes = personal_hashes(&salt, &parts.personal);
    Prepared {
        salt,
        personal: encode_hashes(&hashes),
        skeleton: encode_skeleton(&parts.skeleton),
        hashes,
    }
}

/// Chains the event just stored at `seq` with its record `obj`.
pub(super) fn link(
    conn: &Connection,
    head: &Head,
    seq: i64,
    obj: &Object,
) -> Result<(), StoreError> {
    link_prepared(conn, head, seq, &prepare(obj))
}

/// [`link`] with the event's part of the work done ahead.
pub(super) fn link_prepared(
    conn: &Connection,
    head: &Head,
    seq: i64,
    p: &Prepared,
) -> Result<(), StoreError> {
    let prev = match head.0.get() {
        Some(h) => h,
        None => {
            chain_legacy(conn)?;
            last_hash(conn)?
        }
    };
    let hash = event_link_encoded(&prev, seq, &p.skeleton, &p.hashes);
    conn.prepare_cached(
        "INSERT INTO event_chain (seq, salt, personal, hash) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![seq, &p.salt[..], p.personal, &hash[..]])?;
    head.0.set(Some(hash));
    Ok(())
}

fn last_hash(conn: &Connection) -> Result<Hash, StoreError> {
    let h: Option<Vec<u8>> = conn
        .prepare_cached("SELECT hash FROM event_chain ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    match h {
        None => Ok(GENESIS),
        Some(bytes) => to_hash(&bytes).ok_or_else(|| {
            StoreError::Corrupt("the ledger chain's last link is not a SHA-256 hash".into())
        }),
    }
}

pub(super) fn to_hash(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

/// `{field: hex hash}` in key order.
pub(super) fn encode_hashes(hashes: &[(String, Hash)]) -> String {
    let mut obj = Object::new();
    for (k, h) in hashes {
        obj.insert(k.clone(), Value::String(hex::encode(h)));
    }
    Value::Object(obj).to_string()
}

pub(super) fn decode_hashes(text: &str) -> Option<Vec<(String, Hash)>> {
    let Value::Object(obj) = serde_json::from_str(text).ok()? else {
        return None;
    };
    let mut out = Vec::new();
    for (k, v) in obj {
        let bytes = hex::decode(v.as_str()?).ok()?;
        out.push((k, to_hash(&bytes)?));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Some(out)
}

/// Chains the events a register held before migration 4, once, in ledger order, inside
/// the current write transaction, before anything new is appended. On every later call it
/// costs one settings read and one indexed lookup.
pub(super) fn chain_legacy(conn: &Connection) -> Result<(), StoreError> {
    let until: i64 = match super::settings::get(conn, LEGACY_SETTING)? {
        Some(v) => v.trim().parse().unwrap_or(0),
        None => return Ok(()),
    };
    if until <= 0 {
        return Ok(());
    }
    let done: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM event_chain WHERE seq <= ?1)")?
        .query_row([until], |r| r.get(0))?;
    if done {
        return Ok(());
    }
    let head = Head::default();
    head.0.set(Some(GENESIS));
    let mut stmt = conn.prepare("SELECT seq, record FROM events WHERE seq <= ?1 ORDER BY seq")?;
    let mut rows = stmt.query([until])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let record: String = row.get(1)?;
        let obj = super::record::decode(&record, &format!("event #{seq}"))?;
        link(conn, &head, seq, &obj)?;
    }
    Ok(())
}

impl super::Store {
    /// Chains events stored before the chain existed (see [`chain_legacy`]); `verify` runs
    /// it first so an upgraded register that was never written to still verifies.
    pub fn chain_legacy_events(&self) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        match chain_legacy(conn) {
            Ok(()) => Ok(conn.execute_batch("COMMIT")?),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}
