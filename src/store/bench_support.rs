//! Baselines for `benches/`: the SQL a benchmark compares the register against, kept here
//! because `store` is the only module with SQL. Not part of the product's API.
//!
//! - [`PlainCopy`]: the same register exported to an *unencrypted* SQLite file (SQLCipher
//!   with an empty key is plain SQLite), queried with exactly the store's own code, so the
//!   ratio is the price of encryption alone.
//! - [`like_scan`]: the naive search, `LIKE '%…%'` over the same folded search text.
//! - [`identifier_pairs`]: every (identifier, contact id) pair, for an in-memory hash join.
//!
//! The plain copy holds personal data unencrypted: use it only on generated registers.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags};

use super::error::StoreError;
use super::open::sidecar_path;
use super::search::{self, SearchHit};
use super::{events, Store};
use crate::domain::Event;

/// An unencrypted copy of a register, opened read-only.
pub struct PlainCopy {
    conn: Connection,
    path: PathBuf,
}

impl PlainCopy {
    /// Writes `store` to a new unencrypted file at `path` (replacing an old copy).
    pub fn export(store: &Store, path: &Path) -> Result<(), StoreError> {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sidecar_path(path, suffix));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Corrupt(format!("{} is not valid UTF-8", path.display())))?;
        // The register's connection may not create files (it opens with READ_WRITE only);
        // an empty file is a valid empty database to attach.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // Generated people, but personal-looking data all the same: owner only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let conn = store.conn();
        conn.execute("ATTACH DATABASE ?1 AS plain KEY ''", [target])?;
        // The register's page size, so that only encryption differs.
        let page_size: String = conn.query_row("PRAGMA main.page_size", [], |r| r.get(0))?;
        conn.execute_batch(&format!(
            "PRAGMA plain.page_size = {}",
            page_size
                .parse::<u32>()
                .map_err(|_| StoreError::Corrupt("unreadable page size".into()))?
        ))?;
        let exported = conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()));
        // Detach even after a failed export, so the register's connection is as before.
        let detached = conn.execute("DETACH DATABASE plain", []);
        exported?;
        detached?;
        Ok(())
    }

    pub fn open(path: &Path) -> Result<PlainCopy, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // The register's own cache size (open.rs), so only encryption differs.
        conn.pragma_update(None, "cache_size", -64 * 1024)?;
        // Proves the file is readable without a key before any timing starts.
        conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))?;
        Ok(PlainCopy {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `Store::search` on the plain file: the same query text and parameters.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        search::search(&self.conn, query, limit)
    }

    /// `Store::events_for` on the plain file.
    pub fn events_for(&self, contact_id: &str) -> Result<Vec<Event>, StoreError> {
        events::for_contact(&self.conn, contact_id)
    }

    /// [`like_scan`] on the plain file.
    pub fn like_scan(&self, fragment: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
        like(&self.conn, fragment, limit)
    }
}

/// The naive search: rows whose folded search text contains `fragment`, by a full scan.
pub fn like_scan(store: &Store, fragment: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
    like(store.conn(), fragment, limit)
}

fn like(conn: &Connection, fragment: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
    let escaped = fragment
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM search_index WHERE terms LIKE ?1 ESCAPE '\\' LIMIT ?2",
    )?;
    let rows = stmt.query_map(
        params![
            format!("%{escaped}%"),
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every (value, contact id) of one identifier kind (`email`, `phone`), in index order.
pub fn identifier_pairs(store: &Store, kind: &str) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = store.conn().prepare(
        "SELECT i.value, c.id FROM identifiers i JOIN contacts c ON c.rowid = i.contact
         WHERE i.kind = ?1",
    )?;
    let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
