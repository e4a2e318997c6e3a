//! The ledger: events are appended and read, never updated or deleted (the schema's
//! triggers refuse both, and there is deliberately no Rust method for either).

use rusqlite::{params, Connection, OptionalExtension};

use super::basis;
use super::chain::{self, Head};
use super::error::StoreError;
use super::record::encode_ref;
use crate::domain::contact::validate_id;
use crate::domain::Event;

/// Appends `e` and returns its id, assigning `EV-000123`-style ids to events that have none.
/// The contact's decision basis takes the event in the same transaction.
pub(super) fn append(
    conn: &Connection,
    head: &Head,
    bases: &basis::Pending,
    contact: i64,
    e: &Event,
) -> Result<String, StoreError> {
    let id = match &e.id {
        Some(id) => {
            validate_id(id, "id")?;
            id.clone()
        }
        None => next_free_id(conn)?,
    };
    let mut stored = e.clone();
    stored.id = Some(id.clone());
    let obj = stored.to_object();
    let link = chain::prepare(&obj);
    append_encoded(
        conn,
        head,
        bases,
        contact,
        &stored,
        &encode_ref(&obj)?,
        &link,
    )?;
    Ok(id)
}

/// Appends `e` (its id set and valid) for the contact at row `contact`, with its record and
/// chain link computed ahead (`store::prepared`). `DuplicateEvent` if the id exists.
pub(super) fn append_encoded(
    conn: &Connection,
    head: &Head,
    bases: &basis::Pending,
    contact: i64,
    e: &Event,
    record: &str,
    link: &chain::Prepared,
) -> Result<(), StoreError> {
    store_encoded(conn, head, contact, e, record, link)?;
    bases.appended(conn, contact, e)
}

/// [`append_encoded`] for a caller that writes the contact's decision basis itself
/// (`Tx::insert_prepared_history`).
pub(super) fn store_encoded(
    conn: &Connection,
    head: &Head,
    contact: i64,
    e: &Event,
    record: &str,
    link: &chain::Prepared,
) -> Result<(), StoreError> {
    let id = e.id.as_deref().unwrap_or_default();
    // The id's UNIQUE index refuses a duplicate before the row (or anything after it) is
    // stored: no lookup first.
    let mut stmt = conn.prepare_cached(
        "INSERT INTO events (id, contact, at_utc, type, record) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    match stmt.execute(params![
        id,
        contact,
        e.at.timestamp_millis(),
        e.kind.type_name(),
        record,
    ]) {
        Err(err) if super::error::is_unique_violation(&err, "events.id") => {
            return Err(StoreError::DuplicateEvent(id.to_owned()))
        }
        other => other?,
    };
    let seq = conn.last_insert_rowid();
    // When it entered this register, by SQLite's clock as the trigger of migration 2 did
    // (migration 8 explains why it is written here instead).
    conn.prepare_cached(
        "INSERT INTO event_recorded (seq, recorded_at)
         VALUES (?1, CAST(unixepoch('subsec') * 1000 AS INTEGER))",
    )?
    .execute([seq])?;
    // Every stored event is chained in the same transaction (issue 5: tamper evidence).
    chain::link_prepared(conn, head, seq, link)
}

pub(super) fn get(conn: &Connection, id: &str) -> Result<Option<Event>, StoreError> {
    let record: Option<String> = conn
        .prepare_cached("SELECT record FROM events WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    record.map(|r| parse(&r, id)).transpose()
}

/// The contact's events in ledger (append) order; empty for an unknown contact.
pub(super) fn for_contact(conn: &Connection, contact_id: &str) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.record FROM events e JOIN contacts c ON c.rowid = e.contact
         WHERE c.id = ?1 ORDER BY e.seq",
    )?;
    let rows = stmt.query_map([contact_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|row| {
        let (id, record) = row?;
        parse(&record, &id)
    })
    .collect()
}

#[cfg(test)]
pub(super) fn all(conn: &Connection) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id, record FROM events ORDER BY seq")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    rows.map(|row| {
        let (id, record) = row?;
        parse(&record, &id)
    })
    .collect()
}

pub(super) fn count(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    // count(*) is never negative.
    Ok(u64::try_from(n).unwrap_or_default())
}

fn exists(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM events WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Numbers follow the ledger position; an imported event may already hold one, so skip it.
/// Runs under the write transaction's lock, so no other writer can take the same id.
fn next_free_id(conn: &Connection) -> Result<String, StoreError> {
    let mut n: i64 = conn.query_row("SELECT coalesce(max(seq), 0) + 1 FROM events", [], |r| {
        r.get(0)
    })?;
    loop {
        let id = format!("EV-{n:06}");
        if !exists(conn, &id)? {
            return Ok(id);
        }
        n += 1;
    }
}

fn parse(record: &str, id: &str) -> Result<Event, StoreError> {
    super::record::event(record, id)
}
