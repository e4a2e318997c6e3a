//! Contact rows, with their identifiers and search entry kept in step in the same transaction.

use rusqlite::{params, Connection, OptionalExtension};

use super::error::StoreError;
use super::record::encode;
use super::search;
use crate::domain::contact::validate_id;
use crate::domain::Contact;

/// The `identifiers.kind` values.
#[derive(Clone, Copy)]
pub(super) enum IdentifierKind {
    Email,
    Phone,
    CustomerNumber,
}

impl IdentifierKind {
    fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Email => "email",
            IdentifierKind::Phone => "phone",
            IdentifierKind::CustomerNumber => "customer_number",
        }
    }
}

/// The internal row number that events, identifiers and the search index refer to.
pub(super) fn rowid(conn: &Connection, id: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT rowid FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

pub(super) fn get(conn: &Connection, id: &str) -> Result<Option<Contact>, StoreError> {
    let record: Option<String> = conn
        .prepare_cached("SELECT record FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    record.map(|r| parse(&r, id)).transpose()
}

pub(super) fn all(conn: &Connection) -> Result<Vec<Contact>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id, record FROM contacts ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    rows.map(|row| {
        let (id, record) = row?;
        parse(&record, &id)
    })
    .collect()
}

/// Contact ids holding this (already normalised) identifier, in insertion order.
pub(super) fn ids_by_identifier(
    conn: &Connection,
    kind: IdentifierKind,
    value: &str,
) -> Result<Vec<String>, StoreError> {
    // Two indexed lookups. Not a join: SQLite prepared the join form again on every run once
    // rows had been inserted in the same transaction (statement status REPREPARE), ~15 % of
    // an import, as each row is looked up before it is written. Not `rowid IN (SELECT …)`:
    // that builds a temporary index for the list on every call (~4 % of an import).
    let rows: Vec<i64> = conn
        .prepare_cached(
            "SELECT contact FROM identifiers WHERE kind = ?1 AND value = ?2 ORDER BY contact",
        )?
        .query_map(params![kind.as_str(), value], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        ids.extend(
            conn.prepare_cached("SELECT id FROM contacts WHERE rowid = ?1")?
                .query_row([row], |r| r.get(0))
                .optional()?,
        );
    }
    Ok(ids)
}

/// The search entry goes to `pending`, written in runs (see `search::Pending`). Returns
/// the new row.
pub(super) fn insert(
    conn: &Connection,
    c: &Contact,
    pending: &search::Pending,
) -> Result<i64, StoreError> {
    insert_encoded(
        conn,
        c,
        &encode(c.to_object()),
        search::Entry::new(c),
        pending,
    )
}

/// [`insert`] with the record and search entry computed ahead (`store::prepared`).
pub(super) fn insert_encoded(
    conn: &Connection,
    c: &Contact,
    record: &str,
    entry: search::Entry,
    pending: &search::Pending,
) -> Result<i64, StoreError> {
    // An id that from_object would refuse would make the row unreadable later.
    validate_id(&c.id, "id")?;
    // The id's UNIQUE index refuses a duplicate before anything is written: no lookup first.
    let mut stmt = conn.prepare_cached("INSERT INTO contacts (id, record) VALUES (?1, ?2)")?;
    match stmt.execute(params![c.id, record]) {
        Err(e) if super::error::is_unique_violation(&e, "contacts.id") => {
            return Err(StoreError::DuplicateContact(c.id.clone()))
        }
        other => other?,
    };
    let row = conn.last_insert_rowid();
    insert_identifiers(conn, row, c)?;
    pending.add_entry(conn, row, entry)?;
    Ok(row)
}

/// Returns the contact's row.
pub(super) fn update(conn: &Connection, c: &Contact) -> Result<i64, StoreError> {
    let row = rowid(conn, &c.id)?.ok_or_else(|| StoreError::ContactNotFound(c.id.clone()))?;
    conn.prepare_cached("UPDATE contacts SET record = ?2 WHERE rowid = ?1")?
        .execute(params![row, encode(c.to_object())])?;
    conn.prepare_cached("DELETE FROM identifiers WHERE contact = ?1")?
        .execute([row])?;
    insert_identifiers(conn, row, c)?;
    search::reindex(conn, row, c)?;
    Ok(row)
}

pub(super) fn count(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?;
    // count(*) is never negative.
    Ok(u64::try_from(n).unwrap_or_default())
}

fn insert_identifiers(conn: &Connection, row: i64, c: &Contact) -> Result<(), StoreError> {
    // OR IGNORE: a contact listing the same address twice is not an error.
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO identifiers (kind, value, contact) VALUES (?1, ?2, ?3)",
    )?;
    let emails = c.emails.iter().map(|e| (IdentifierKind::Email, e.as_str()));
    let phones = c.phones.iter().map(|p| (IdentifierKind::Phone, p.as_str()));
    let number = c
        .customer_number
        .iter()
        .map(|n| (IdentifierKind::CustomerNumber, n.as_str()));
    for (kind, value) in emails.chain(phones).chain(number) {
        stmt.execute(params![kind.as_str(), value, row])?;
    }
    Ok(())
}

fn parse(record: &str, id: &str) -> Result<Contact, StoreError> {
    super::record::contact(record, id)
}
