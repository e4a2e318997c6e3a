//! How the register's pages are laid out and signed: page size and SQLCipher's page HMAC.
//!
//! New registers use 16 KiB pages signed with HMAC-SHA256. Registers made before
//! 2026-11-30 use SQLCipher 4's defaults (4 KiB, HMAC-SHA512) and keep them. Why the
//! change (benches/, README "Performance"): a large import spent a fifth of its time on
//! per-page work (encrypting, signing, writing and finding pages); a page four times the
//! size quarters that count, and on CPUs with SHA extensions SHA-256 signs twice as fast as
//! SHA-512. Both are equally sound: AES-256 still encrypts every page, and a 256-bit HMAC
//! still detects every change.
//!
//! Nothing in the file says which layout it has (after the salt everything is ciphertext),
//! so `open::connect` tries the layouts newest first on a read-only view that touches
//! nothing, and copies (`backup`, `rekey`) take the layout of their source.

use rusqlite::Connection;

use super::error::StoreError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageFormat {
    /// 16 KiB pages, HMAC-SHA256: every register created since 2026-11-30.
    Large,
    /// SQLCipher 4's defaults, 4 KiB pages, HMAC-SHA512: registers created before.
    Sqlcipher4,
}

impl PageFormat {
    /// What a new register gets.
    pub const NEW: PageFormat = PageFormat::Large;
    /// The order `open::connect` tries them in: the newest first, as most files have it.
    pub const NEWEST_FIRST: [PageFormat; 2] = [PageFormat::Large, PageFormat::Sqlcipher4];

    fn page_size(self) -> u32 {
        match self {
            PageFormat::Large => 16 * 1024,
            PageFormat::Sqlcipher4 => 4096,
        }
    }

    fn hmac(self) -> &'static str {
        match self {
            PageFormat::Large => "HMAC_SHA256",
            PageFormat::Sqlcipher4 => "HMAC_SHA512",
        }
    }

    /// Sets this layout on a connection that has been keyed but not read yet. Both settings
    /// are explicit, also the old defaults, so a future SQLCipher default changes nothing.
    pub(super) fn apply(self, conn: &Connection) -> Result<(), StoreError> {
        conn.pragma_update(None, "cipher_page_size", self.page_size())?;
        conn.pragma_update(None, "cipher_hmac_algorithm", self.hmac())?;
        Ok(())
    }

    /// The layout an open connection has (to key a copy of it the same way).
    pub(super) fn of(conn: &Connection) -> Result<PageFormat, StoreError> {
        let size: u32 = conn
            .query_row("PRAGMA cipher_page_size", [], |r| r.get::<_, String>(0))?
            .parse()
            .map_err(|_| StoreError::Corrupt("unreadable cipher_page_size".into()))?;
        let hmac: String = conn.query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))?;
        Self::NEWEST_FIRST
            .into_iter()
            .find(|f| f.page_size() == size && f.hmac() == hmac)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown page layout {size} / {hmac}")))
    }
}
