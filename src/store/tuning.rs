//! Page-cache size of the open connection. A bulk load into a large register touches
//! B-tree pages all over the identifier and search indexes; with SQLite's default cache
//! (2 MiB) each miss means reading and decrypting a page again.

use super::error::StoreError;
use super::Store;

impl Store {
    /// The page cache in KiB (SQLite's `cache_size` as a negative number means KiB).
    pub fn cache_kib(&self) -> Result<i64, StoreError> {
        let size: i64 = self
            .conn()
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        // A positive value counts pages; report it in KiB with the page size.
        if size >= 0 {
            let page: i64 = self
                .conn()
                .pragma_query_value(None, "page_size", |r| r.get(0))?;
            return Ok(size * page / 1024);
        }
        Ok(-size)
    }

    /// Sets the page cache to `kib` KiB for this connection (not stored in the file).
    pub fn set_cache_kib(&self, kib: i64) -> Result<(), StoreError> {
        self.conn().pragma_update(None, "cache_size", -kib.max(1))?;
        Ok(())
    }
}
