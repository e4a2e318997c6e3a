//! Set-at-a-time reads for list screening and exports: identifiers looked up in batches
//! (one indexed query per few hundred rows, never a scan per row) and the whole register
//! streamed contact by contact with its events (memory bounded by one contact).

use std::collections::HashMap;

use rusqlite::{params_from_iter, Connection};

use super::error::StoreError;
use super::Store;
use crate::domain::{Contact, DecisionBasis, Event};

/// Parameters per `IN (…)` list; far below SQLite's limit, large enough to amortise a query.
pub(super) const BATCH: usize = 500;

impl Store {
    /// Page cache for bulk work, as SQLite's `cache_size` (negative: KiB). Every page that
    /// falls out of the cache is decrypted and authenticated anew when read again, which
    /// dominates imports and screenings of large files with the default 2 MiB.
    pub const BULK_CACHE_SIZE: i64 = -64 * 1024;

    /// The connection's `cache_size`, to restore after bulk work.
    pub fn cache_size(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .pragma_query_value(None, "cache_size", |r| r.get(0))?)
    }

    /// Sets `cache_size` (negative: KiB, positive: pages); it holds for this connection only.
    pub fn set_cache_size(&self, size: i64) -> Result<(), StoreError> {
        Ok(self.conn().pragma_update(None, "cache_size", size)?)
    }

    /// A second connection to the same register with the same key, for reading on another
    /// thread while this one works (list screening uses both cores). It sees what is
    /// committed; it never writes.
    pub fn reader(&self) -> Result<Store, StoreError> {
        Store::open(&self.path, &self.key)
    }

    /// Contact rows per normalised email address (each list in row order), for many
    /// addresses at once: the identifier index alone, no contact is read.
    pub fn contact_rows_by_emails(
        &self,
        emails: &[String],
    ) -> Result<HashMap<String, Vec<i64>>, StoreError> {
        rows_by_values(self.conn(), "email", emails)
    }

    /// Contact rows per E.164 phone number (each list in row order), for many numbers.
    pub fn contact_rows_by_phones(
        &self,
        phones: &[String],
    ) -> Result<HashMap<String, Vec<i64>>, StoreError> {
        rows_by_values(self.conn(), "phone", phones)
    }

    /// The decision bases of the contacts at these rows (see `store::basis`), one stored
    /// row each; rows without a contact are left out.
    pub fn decision_bases(&self, rows: &[i64]) -> Result<HashMap<i64, DecisionBasis>, StoreError> {
        super::basis::by_rows(self.conn(), rows)
    }

    /// The decision bases of the contacts with these ids; unknown ids are left out.
    pub fn decision_bases_by_ids(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, DecisionBasis>, StoreError> {
        super::basis::by_ids(self.conn(), ids)
    }

    /// Contact ids per normalised email address, for many addresses at once.
    #[cfg(test)]
    pub fn contact_ids_by_emails(
        &self,
        emails: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        ids_by_values(self.conn(), "email", emails)
    }

    /// Contact ids per E.164 phone number, for many numbers at once.
    #[cfg(test)]
    pub fn contact_ids_by_phones(
        &self,
        phones: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        ids_by_values(self.conn(), "phone", phones)
    }

    /// The contacts with these ids and their events in ledger order; unknown ids are left
    /// out. (Screening reads decision bases; the tests compare it with this.)
    #[cfg(test)]
    pub fn contacts_with_events(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, (Contact, Vec<Event>)>, StoreError> {
        let conn = self.conn();
        let mut out: HashMap<String, (Contact, Vec<Event>)> = HashMap::new();
        for chunk in ids.chunks(BATCH) {
            let marks = placeholders(chunk.len());
            // Cached: every full chunk has the same text.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, record FROM contacts WHERE id IN ({marks})"
            ))?;
            let rows = stmt.query_map(params_from_iter(chunk), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (id, record) = row?;
                out.insert(id.clone(), (parse_contact(&record, &id)?, Vec::new()));
            }
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT c.id, e.id, e.record FROM events e JOIN contacts c ON c.rowid = e.contact
                 WHERE c.id IN ({marks}) ORDER BY e.seq"
            ))?;
            let rows = stmt.query_map(params_from_iter(chunk), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (contact, id, record) = row?;
                let event = parse_event(&record, &id)?;
                if let Some((_, events)) = out.get_mut(&contact) {
                    events.push(event);
                }
            }
        }
        Ok(out)
    }

    /// Calls `f` for every contact in insertion order with its events in ledger order,
    /// reading one contact at a time. Stops at the first error `f` returns.
    pub fn for_each_contact_with_events<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Contact, Vec<Event>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut current: Option<(Contact, Vec<Event>)> = None;
        each_row(
            self.conn(),
            "SELECT c.id, c.record, e.id, e.record
             FROM contacts c LEFT JOIN events e ON e.contact = c.rowid
             ORDER BY c.rowid, e.seq",
            |r| {
                let event: Option<String> = r.get(2)?;
                let event = match event {
                    Some(eid) => Some((eid, r.get::<_, String>(3)?)),
                    None => None,
                };
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, event))
            },
            |(id, record, event)| -> Result<bool, E> {
                if current.as_ref().is_none_or(|(c, _)| c.id != id) {
                    if let Some((c, evs)) = current.take() {
                        f(c, evs)?;
                    }
                    current = Some((parse_contact(&record, &id)?, Vec::new()));
                }
                if let (Some((eid, record)), Some((_, evs))) = (event, current.as_mut()) {
                    evs.push(parse_event(&record, &eid)?);
                }
                Ok(true)
            },
        )?;
        if let Some((c, evs)) = current {
            f(c, evs)?;
        }
        Ok(())
    }
}

/// Runs `sql` (no parameters) and hands each row, as `read` takes it apart, to `f` until `f`
/// returns `false`: a pass over millions of rows holds one of them. The first error of
/// either ends the pass and is returned.
pub(super) fn each_row<T, E: From<StoreError>>(
    conn: &Connection,
    sql: &str,
    read: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    mut f: impl FnMut(T) -> Result<bool, E>,
) -> Result<(), E> {
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let mut rows = stmt.query([]).map_err(StoreError::from)?;
    while let Some(row) = rows.next().map_err(StoreError::from)? {
        if !f(read(row).map_err(StoreError::from)?)? {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
fn ids_by_values(
    conn: &Connection,
    kind: &str,
    values: &[String],
) -> Result<HashMap<String, Vec<String>>, StoreError> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in values.chunks(BATCH) {
        let sql = format!(
            "SELECT i.value, c.id FROM identifiers i JOIN contacts c ON c.rowid = i.contact
             WHERE i.kind = ? AND i.value IN ({}) ORDER BY c.rowid",
            placeholders(chunk.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let params = std::iter::once(kind).chain(chunk.iter().map(String::as_str));
        let rows = stmt.query_map(params_from_iter(params), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (value, id) = row?;
            let ids = out.entry(value).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(out)
}

fn rows_by_values(
    conn: &Connection,
    kind: &str,
    values: &[String],
) -> Result<HashMap<String, Vec<i64>>, StoreError> {
    let mut out: HashMap<String, Vec<i64>> = HashMap::new();
    for chunk in values.chunks(BATCH) {
        let sql = format!(
            "SELECT value, contact FROM identifiers
             WHERE kind = ? AND value IN ({}) ORDER BY contact",
            placeholders(chunk.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let params = std::iter::once(kind).chain(chunk.iter().map(String::as_str));
        let rows = stmt.query_map(params_from_iter(params), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (value, contact) = row?;
            let rows = out.entry(value).or_default();
            if !rows.contains(&contact) {
                rows.push(contact);
            }
        }
    }
    Ok(out)
}

/// `?,?,…` for an `IN (…)` list of `n` parameters.
pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

fn parse_contact(record: &str, id: &str) -> Result<Contact, StoreError> {
    super::record::contact(record, id)
}

fn parse_event(record: &str, id: &str) -> Result<Event, StoreError> {
    super::record::event(record, id)
}
