//! `decision_basis`: one row per contact holding its [`DecisionBasis`] (domain::basis), so
//! list screening and the search list read one row per person instead of the contact, its
//! index entries and every event page.
//!
//! The rows are derived data kept in step by the only three write paths: inserting a
//! contact, changing a contact and appending an event all go through [`Pending`] in the same
//! transaction, and erasure rebuilds the row from what is left. `verify` recomputes every row
//! from the ledger and reports one that differs.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use super::basis_codec;
use super::bulk::{each_row, placeholders, BATCH};
use super::error::StoreError;
use super::Store;
use crate::domain::{Contact, DecisionBasis, Event};

/// Bases changed in a transaction are kept in memory and written when it ends, or in runs
/// of this many contacts so that a million-row import stays bounded: an import appends two
/// or three events per contact, and each would otherwise rewrite the row.
const RUN: usize = 10_000;

/// The bases changed in one write transaction, not yet written.
#[derive(Debug, Default)]
pub(super) struct Pending {
    rows: RefCell<HashMap<i64, DecisionBasis>>,
}

impl Pending {
    /// A contact was inserted at `row`.
    pub(super) fn inserted(
        &self,
        conn: &Connection,
        row: i64,
        c: &Contact,
    ) -> Result<(), StoreError> {
        self.rows
            .borrow_mut()
            .insert(row, DecisionBasis::new(c.clone()));
        self.flush_if_full(conn)
    }

    /// The contact at `row` was replaced by `c`.
    pub(super) fn updated(
        &self,
        conn: &Connection,
        row: i64,
        c: &Contact,
    ) -> Result<(), StoreError> {
        self.change(conn, row, |b| b.contact = c.clone())
    }

    /// `e` was appended to the ledger of the contact at `row`.
    pub(super) fn appended(
        &self,
        conn: &Connection,
        row: i64,
        e: &Event,
    ) -> Result<(), StoreError> {
        self.change(conn, row, |b| b.push(e))
    }

    /// Recomputes the basis of the contact at `row` from its stored rows (after erasure
    /// rewrote them) and writes it at once.
    pub(super) fn rebuild(&self, conn: &Connection, row: i64) -> Result<(), StoreError> {
        self.rows.borrow_mut().remove(&row);
        write(conn, row, &from_ledger(conn, row)?)
    }

    /// Writes every pending basis; called before the transaction commits.
    pub(super) fn finish(&self, conn: &Connection) -> Result<(), StoreError> {
        let rows = std::mem::take(&mut *self.rows.borrow_mut());
        let mut sorted: Vec<(i64, DecisionBasis)> = rows.into_iter().collect();
        // In key order: appends to the table's B-tree instead of random inserts.
        sorted.sort_unstable_by_key(|(row, _)| *row);
        for (row, basis) in &sorted {
            write(conn, *row, basis)?;
        }
        Ok(())
    }

    fn change(
        &self,
        conn: &Connection,
        row: i64,
        f: impl FnOnce(&mut DecisionBasis),
    ) -> Result<(), StoreError> {
        let known = self.rows.borrow().contains_key(&row);
        if !known {
            let stored = load(conn, row)?;
            self.rows.borrow_mut().insert(row, stored);
        }
        if let Some(basis) = self.rows.borrow_mut().get_mut(&row) {
            f(basis);
        }
        self.flush_if_full(conn)
    }

    fn flush_if_full(&self, conn: &Connection) -> Result<(), StoreError> {
        if self.rows.borrow().len() >= RUN {
            self.finish(conn)?;
        }
        Ok(())
    }
}

/// The stored basis of the contact at `row`, or one computed from its ledger when the row
/// is missing (a register filled before the table existed is completed on open, so this is
/// only a safety net).
fn load(conn: &Connection, row: i64) -> Result<DecisionBasis, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT basis FROM decision_basis WHERE contact = ?1")?
        .query_row([row], |r| r.get(0))
        .optional()?;
    match bytes {
        Some(bytes) => decode_basis(&bytes, &format!("decision basis #{row}")),
        None => from_ledger(conn, row),
    }
}

/// The basis computed from the contact's stored record and events.
fn from_ledger(conn: &Connection, row: i64) -> Result<DecisionBasis, StoreError> {
    let (id, record): (String, String) = conn
        .prepare_cached("SELECT id, record FROM contacts WHERE rowid = ?1")?
        .query_row([row], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let contact = super::record::contact(&record, &id)?;
    let mut stmt =
        conn.prepare_cached("SELECT id, record FROM events WHERE contact = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([row], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut basis = DecisionBasis::new(contact);
    for r in rows {
        let (id, record) = r?;
        basis.push(&super::record::event(&record, &id)?);
    }
    Ok(basis)
}

fn write(conn: &Connection, row: i64, basis: &DecisionBasis) -> Result<(), StoreError> {
    write_encoded(conn, row, &encode_basis(basis))
}

/// Writes an encoded basis for the contact at `row`. Called directly (`store::prepared`)
/// only for a contact with no pending change in this write: one inserted just now.
pub(super) fn write_encoded(conn: &Connection, row: i64, encoded: &[u8]) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR REPLACE INTO decision_basis (contact, basis) VALUES (?1, ?2)")?
        .execute(params![row, encoded])?;
    Ok(())
}

pub(super) fn encode_basis(basis: &DecisionBasis) -> Vec<u8> {
    basis_codec::encode(basis)
}

fn decode_basis(bytes: &[u8], what: &str) -> Result<DecisionBasis, StoreError> {
    basis_codec::decode(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// The bases of the contacts at these rows; rows without a contact are left out.
pub(super) fn by_rows(
    conn: &Connection,
    rows: &[i64],
) -> Result<HashMap<i64, DecisionBasis>, StoreError> {
    let mut out = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT contact, basis FROM decision_basis WHERE contact IN ({})",
            placeholders(chunk.len())
        ))?;
        let found = stmt.query_map(params_from_iter(chunk), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        for f in found {
            let (row, bytes) = f?;
            out.insert(
                row,
                decode_basis(&bytes, &format!("decision basis #{row}"))?,
            );
        }
    }
    Ok(out)
}

/// The bases of the contacts with these ids; unknown ids are left out.
pub(super) fn by_ids(
    conn: &Connection,
    ids: &[String],
) -> Result<HashMap<String, DecisionBasis>, StoreError> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(BATCH) {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.id, b.basis FROM contacts c JOIN decision_basis b ON b.contact = c.rowid
             WHERE c.id IN ({})",
            placeholders(chunk.len())
        ))?;
        let found = stmt.query_map(params_from_iter(chunk), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        for f in found {
            let (id, bytes) = f?;
            let basis = decode_basis(&bytes, &format!("decision basis of {id}"))?;
            out.insert(id, basis);
        }
    }
    Ok(out)
}

/// Computes the basis of every contact that has none (a register from before migration 5),
/// one contact at a time.
pub(super) fn fill_missing(conn: &Connection) -> Result<u64, StoreError> {
    let rows: Vec<i64> = conn
        .prepare(
            "SELECT rowid FROM contacts
             WHERE rowid NOT IN (SELECT contact FROM decision_basis) ORDER BY rowid",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for &row in &rows {
        write(conn, row, &from_ledger(conn, row)?)?;
    }
    Ok(rows.len() as u64)
}

/// Where a stored basis first differs from the one the ledger gives, as `contact K-1`
/// (or a count of rows without a contact); `None` when all agree. Reads the whole register.
pub(super) fn first_mismatch(conn: &Connection) -> Result<Option<String>, StoreError> {
    let mut found = None;
    each_stored(conn, |row, id, bytes| {
        let stored = bytes.and_then(|b| decode_basis(&b, &format!("decision basis of {id}")).ok());
        if stored.as_ref() != Some(&from_ledger(conn, row)?) {
            found = Some(format!("contact {id}"));
            return Ok::<_, StoreError>(false);
        }
        Ok(true)
    })?;
    if found.is_some() {
        return Ok(found);
    }
    let orphans: i64 = conn.query_row(
        "SELECT count(*) FROM decision_basis WHERE contact NOT IN (SELECT rowid FROM contacts)",
        [],
        |r| r.get(0),
    )?;
    Ok((orphans > 0).then(|| format!("{orphans} basis row(s) without a contact")))
}

impl Store {
    /// Every contact's decision basis (the contact and what the rules read of its ledger), in
    /// insertion order, handed to `f` one at a time: a pass over a million contacts holds one.
    /// A contact whose row is missing gets its basis computed from the ledger, as `load` does.
    pub fn for_each_basis<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(DecisionBasis) -> Result<(), E>,
    ) -> Result<(), E> {
        let conn = self.conn();
        each_stored(conn, |row, id, bytes| {
            let basis = match bytes {
                Some(bytes) => decode_basis(&bytes, &format!("decision basis of {id}"))?,
                None => from_ledger(conn, row)?,
            };
            f(basis)?;
            Ok(true)
        })
    }
}

/// Every contact's row, id and stored basis (`None`: no row), in insertion order, until `f`
/// returns `false`.
fn each_stored<E: From<StoreError>>(
    conn: &Connection,
    mut f: impl FnMut(i64, String, Option<Vec<u8>>) -> Result<bool, E>,
) -> Result<(), E> {
    each_row(
        conn,
        "SELECT c.rowid, c.id, b.basis FROM contacts c
         LEFT JOIN decision_basis b ON b.contact = c.rowid ORDER BY c.rowid",
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        |(row, id, bytes)| f(row, id, bytes),
    )
}
