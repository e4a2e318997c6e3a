//! `verify`: recompute both hash chains from the rows as they are now, check the file's
//! integrity and that the append-only triggers are still in place. Reports the first
//! broken link; never changes anything (except chaining pre-chain events, see chain.rs).

use rusqlite::Connection;

use super::audit::read_row;
use super::chain::{decode_hashes, to_hash};
use super::error::StoreError;
use super::record::decode;
use super::Store;
use crate::domain::chain::{audit_link, check_personal, event_link, split_event, Hash, GENESIS};
use crate::domain::event::parse_instant;

/// The triggers that make evidence append-only; `verify` names any that are missing.
pub const GUARD_TRIGGERS: [&str; 12] = [
    "events_no_update",
    "events_no_delete",
    "event_recorded_no_update",
    "event_recorded_no_delete",
    "audit_no_update",
    "audit_no_delete",
    "event_chain_no_update",
    "event_chain_no_delete",
    "suppression_no_update",
    "suppression_no_delete",
    "erasures_no_update",
    "erasures_no_delete",
];

/// Where a chain is broken and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// `audit` or `events`.
    pub table: &'static str,
    pub seq: i64,
    /// The event id (and contact), or the audit entry's action and object.
    pub object: String,
    /// What differs, without personal values.
    pub problem: String,
}

/// What the store found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub audit_entries: u64,
    pub events: u64,
    pub audit_head: Hash,
    pub ledger_head: Hash,
    /// The first broken link of the audit trail, if any.
    pub audit_break: Option<ChainBreak>,
    /// The first broken link of the ledger chain, if any.
    pub ledger_break: Option<ChainBreak>,
    /// Problems `PRAGMA integrity_check` / `cipher_integrity_check` reported.
    pub integrity: Vec<String>,
    pub missing_triggers: Vec<&'static str>,
    /// Erasure records without their `erased` audit entry: personal fields were removed
    /// outside the application (an erasure record makes missing fields acceptable).
    pub unaudited_erasures: Vec<String>,
    /// Where the derived decision basis first disagrees with the ledger (`contact K-1`).
    pub stale_basis: Option<String>,
}

impl Store {
    pub fn check_chains(&self) -> Result<ChainCheck, StoreError> {
        let conn = self.conn();
        let (audit_entries, audit_head, audit_break) = check_audit(conn)?;
        let (events, ledger_head, ledger_break) = check_ledger(conn)?;
        Ok(ChainCheck {
            audit_entries,
            events,
            audit_head,
            ledger_head,
            audit_break,
            ledger_break,
            integrity: integrity(conn)?,
            missing_triggers: missing_triggers(conn)?,
            unaudited_erasures: unaudited_erasures(conn)?,
            stale_basis: super::basis::first_mismatch(conn)?,
        })
    }
}

fn check_audit(conn: &Connection) -> Result<(u64, Hash, Option<ChainBreak>), StoreError> {
    let mut stmt =
        conn.prepare("SELECT seq, at, user, action, object, detail, hash FROM audit ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        let (entry, stored) = read_row(row)?;
        n += 1;
        let object = format!("{} {}", entry.action, entry.object);
        let broken = |problem: String| ChainBreak {
            table: "audit",
            seq: entry.seq,
            object: object.clone(),
            problem,
        };
        if entry.seq != n as i64 {
            let problem = format!("expected entry {n} here: entries are missing");
            return Ok((n, prev, Some(broken(problem))));
        }
        let want = audit_link(&prev, &entry);
        if to_hash(&stored) != Some(want) {
            let problem = "the entry differs from what was recorded (hash mismatch)".to_owned();
            return Ok((n, prev, Some(broken(problem))));
        }
        prev = want;
    }
    Ok((n, prev, None))
}

fn check_ledger(conn: &Connection) -> Result<(u64, Hash, Option<ChainBreak>), StoreError> {
    // Driven by the chain, so a deleted event shows as a link without its event.
    let mut stmt = conn.prepare(
        "SELECT ch.seq, ch.salt, ch.personal, ch.hash, e.id, e.at_utc, e.type, e.record,
                c.id, EXISTS (SELECT 1 FROM erasures x WHERE x.contact = c.id)
         FROM event_chain ch
         LEFT JOIN events e ON e.seq = ch.seq
         LEFT JOIN contacts c ON c.rowid = e.contact
         ORDER BY ch.seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        n += 1;
        let seq: i64 = row.get(0)?;
        let salt: Option<Vec<u8>> = row.get(1)?;
        let personal: String = row.get(2)?;
        let stored: Vec<u8> = row.get(3)?;
        let id: Option<String> = row.get(4)?;
        let at_utc: Option<i64> = row.get(5)?;
        let ty: Option<String> = row.get(6)?;
        let record: Option<String> = row.get(7)?;
        let contact: Option<String> = row.get(8)?;
        let erased: bool = row.get(9)?;
        let object = match (&id, &contact) {
            (Some(id), Some(c)) => format!("event {id} of contact {c}"),
            (Some(id), None) => format!("event {id}"),
            _ => format!("event #{seq}"),
        };
        let broken = |problem: &str| ChainBreak {
            table: "events",
            seq,
            object: object.clone(),
            problem: problem.to_owned(),
        };
        let (Some(id), Some(at_utc), Some(ty), Some(record)) = (id.clone(), at_utc, ty, record)
        else {
            return Ok((
                n,
                prev,
                Some(broken("the event was removed from the ledger")),
            ));
        };
        let Some(contact) = contact else {
            return Ok((n, prev, Some(broken("the event's contact is missing"))));
        };
        let Ok(obj) = decode(&record, &object) else {
            return Ok((
                n,
                prev,
                Some(broken("the stored record is not readable JSON")),
            ));
        };
        let field = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        if field("id").as_deref() != Some(id.as_str())
            || field("contact").as_deref() != Some(contact.as_str())
            || field("type").as_deref() != Some(ty.as_str())
            || field("at")
                .and_then(|a| parse_instant(&a, "at").ok())
                .map(|a| a.timestamp_millis())
                != Some(at_utc)
        {
            let problem = "the row's columns (id, contact, time, type) differ from its record";
            return Ok((n, prev, Some(broken(problem))));
        }
        let Some(recorded) = decode_hashes(&personal) else {
            return Ok((
                n,
                prev,
                Some(broken("the chain's field hashes are unreadable")),
            ));
        };
        let parts = split_event(&obj);
        if let Err(problem) = check_personal(
            &parts,
            salt.as_deref().unwrap_or_default(),
            &recorded,
            erased,
        ) {
            return Ok((n, prev, Some(broken(&problem))));
        }
        if salt.is_none() && !erased {
            return Ok((
                n,
                prev,
                Some(broken("the salt was removed without an erasure")),
            ));
        }
        let want = event_link(&prev, seq, &parts.skeleton, &recorded);
        if to_hash(&stored) != Some(want) {
            let problem = "the event differs from what was recorded (hash mismatch)";
            return Ok((n, prev, Some(broken(problem))));
        }
        prev = want;
    }
    // An event without a link was inserted around the chain.
    let unlinked: Option<(i64, String)> = conn
        .query_row(
            "SELECT e.seq, e.id FROM events e LEFT JOIN event_chain ch ON ch.seq = e.seq
             WHERE ch.seq IS NULL ORDER BY e.seq LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    if let Some((seq, id)) = unlinked {
        let b = ChainBreak {
            table: "events",
            seq,
            object: format!("event {id}"),
            problem: "the event is not in the chain (inserted outside the application)".into(),
        };
        return Ok((n, prev, Some(b)));
    }
    Ok((n, prev, None))
}

fn integrity(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        let line = row?;
        if line != "ok" {
            problems.push(line);
        }
    }
    // SQLCipher: every page's HMAC; no rows means every page authenticated.
    let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        problems.push(row?);
    }
    Ok(problems)
}

fn unaudited_erasures(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT x.contact FROM erasures x
         WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'erased' AND a.object = x.contact)
         ORDER BY x.at",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn missing_triggers(conn: &Connection) -> Result<Vec<&'static str>, StoreError> {
    let mut missing = Vec::new();
    for name in GUARD_TRIGGERS {
        let sql: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        // A trigger of the same name that no longer refuses anything counts as missing.
        if !sql.is_some_and(|s| s.contains("RAISE(ABORT")) {
            missing.push(name);
        }
    }
    Ok(missing)
}
