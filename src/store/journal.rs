//! The journal of one large write. In WAL mode every page of a large import is written
//! twice, into the WAL and then, at the checkpoint after the commit, into the file; a
//! million-row import spent ~13 % of its time copying 2.6 GB in that checkpoint (benches/).
//! With a rollback journal, pages go straight into the file and only pages that existed
//! before the write are first copied, encrypted like every page, into `-journal`.
//! `synchronous = FULL` is SQLite's crash-safe setting for that journal. A crash mid-write
//! leaves a hot journal that rolls the write back on the next open, as the WAL would.

use super::error::StoreError;
use super::open::use_wal;
use super::Store;

impl Store {
    /// Leaves the WAL for a rollback journal until [`Store::end_bulk_journal`]. `false`
    /// (nothing changed) if it cannot now: while another connection has the register
    /// open, even idle. The write then goes through the WAL as usual.
    pub fn begin_bulk_journal(&self) -> Result<bool, StoreError> {
        let conn = self.conn();
        let mode: String =
            match conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0)) {
                Ok(mode) => mode,
                Err(e) => match StoreError::from(e) {
                    StoreError::Busy => return Ok(false),
                    other => return Err(other),
                },
            };
        if !mode.eq_ignore_ascii_case("delete") {
            return Ok(false);
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(true)
    }

    /// Back to the WAL. If another connection holds the file now, it stays in rollback
    /// mode (as safe, only less concurrent) until the next open asks for the WAL again.
    pub fn end_bulk_journal(&self) -> Result<(), StoreError> {
        use_wal(self.conn())
    }

    /// The connection's journal mode and `synchronous` level (0 off, 1 normal, 2 full).
    #[cfg(test)]
    pub(crate) fn journal(&self) -> Result<(String, i64), StoreError> {
        let conn = self.conn();
        Ok((
            conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?,
            conn.pragma_query_value(None, "synchronous", |r| r.get(0))?,
        ))
    }
}
