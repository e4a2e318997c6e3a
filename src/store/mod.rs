//! The encrypted register file (rusqlite + SQLCipher): opening and keying, migrations,
//! rows <-> domain types, the search index. The only module with SQL in it.

mod audit;
mod basis;
mod basis_codec;
#[doc(hidden)]
pub mod bench_support;
mod bulk;
mod chain;
mod contacts;
mod erasure;
mod error;
mod events;
mod journal;
mod key;
mod keyring;
mod migrations;
mod open;
mod page_format;
mod prepared;
mod record;
mod recorded;
mod search;
mod settings;
mod users;
mod vault;
mod verify;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::domain::{Contact, Event, Policy};
use contacts::IdentifierKind;

pub use audit::AuditRow;
pub use erasure::{ErasureRecord, SUPPRESSION_KEY_SETTING};
pub use error::StoreError;
pub use key::DbKey;
pub use keyring::{keyring_path, Keyring};
pub use migrations::SCHEMA_VERSION;
pub use page_format::PageFormat;
pub use prepared::PreparedHistory;
pub use search::SearchHit;
pub use users::UserRecord;
pub use vault::{restore, Rekeyed, Restored};
pub use verify::{ChainBreak, ChainCheck};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub contacts: u64,
    pub events: u64,
}

/// An open, unlocked register.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The database key, kept while the register is open: adding a user wraps it for them,
    /// a backup keys its copy with it. SQLCipher holds it in memory anyway; zeroized on drop.
    key: DbKey,
}

/// One write transaction; see [`Store::write`].
pub struct Tx<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
    /// The ledger chain's latest link within this write.
    head: chain::Head,
    /// Search entries of contacts inserted in this write, written in runs.
    search: search::Pending,
    /// Decision bases changed in this write, written in runs and before commit.
    bases: basis::Pending,
    /// The contact written or looked up last (id, row): an import appends its events right
    /// after inserting it, and rows never change, so the lookup by id is saved.
    last_contact: std::cell::RefCell<Option<(String, i64)>>,
}

/// The read methods, shared by `Store` and `Tx` so a write can read its own changes.
macro_rules! read_methods {
    () => {
        pub fn contact(&self, id: &str) -> Result<Option<Contact>, StoreError> {
            contacts::get(self.read_conn(), id)
        }

        /// All contacts in insertion order.
        pub fn contacts(&self) -> Result<Vec<Contact>, StoreError> {
            contacts::all(self.conn())
        }

        pub fn contact_ids_by_email(
            &self,
            normalised_email: &str,
        ) -> Result<Vec<String>, StoreError> {
            contacts::ids_by_identifier(self.read_conn(), IdentifierKind::Email, normalised_email)
        }

        pub fn contact_ids_by_phone(&self, e164: &str) -> Result<Vec<String>, StoreError> {
            contacts::ids_by_identifier(self.read_conn(), IdentifierKind::Phone, e164)
        }

        pub fn contact_id_by_customer_number(&self, n: &str) -> Result<Vec<String>, StoreError> {
            contacts::ids_by_identifier(self.read_conn(), IdentifierKind::CustomerNumber, n)
        }

        /// The contact's events in ledger (append) order; empty for an unknown contact.
        pub fn events_for(&self, contact_id: &str) -> Result<Vec<Event>, StoreError> {
            events::for_contact(self.conn(), contact_id)
        }

        pub fn event(&self, event_id: &str) -> Result<Option<Event>, StoreError> {
            events::get(self.read_conn(), event_id)
        }

        /// The whole ledger in append order, in memory: for tests only (product code streams,
        /// see `for_each_event_with_recorded`).
        #[cfg(test)]
        pub fn all_events(&self) -> Result<Vec<Event>, StoreError> {
            events::all(self.conn())
        }

        /// Contacts matching `query` (name, company, email, phone in any notation, id,
        /// customer number), best first. Never fails on odd input; empty query → no hits.
        pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
            search::search(self.conn(), query, limit)
        }

        pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
            settings::get(self.conn(), key)
        }

        /// The stored policy, `Policy::default()` if never set.
        pub fn policy(&self) -> Result<Policy, StoreError> {
            settings::policy(self.conn())
        }

        pub fn counts(&self) -> Result<Counts, StoreError> {
            Ok(Counts {
                contacts: contacts::count(self.conn())?,
                events: events::count(self.conn())?,
            })
        }

        pub fn path(&self) -> &Path {
            &self.path
        }

        /// The user's role, `None` for a name not in the users table.
        pub fn user_role(&self, name: &str) -> Result<Option<crate::domain::Role>, StoreError> {
            users::role(self.conn(), name)
        }

        /// All users, by name.
        pub fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
            users::all(self.conn())
        }
    };
}

impl Store {
    /// Creates a new register encrypted with `key`; refuses (`AlreadyExists`) if the path
    /// exists. Creates parent directories. Writes no key file (see `Store::create_as`).
    pub fn create(path: &Path, key: &DbKey) -> Result<Store, StoreError> {
        Ok(Store {
            conn: open::create(path, key, PageFormat::NEW)?,
            path: path.to_path_buf(),
            key: key.duplicate(),
        })
    }

    /// [`Store::create`] in an older page layout: for tests of registers made before it.
    #[cfg(test)]
    pub(crate) fn create_in_format(
        path: &Path,
        key: &DbKey,
        format: PageFormat,
    ) -> Result<Store, StoreError> {
        Ok(Store {
            conn: open::create(path, key, format)?,
            path: path.to_path_buf(),
            key: key.duplicate(),
        })
    }

    /// Opens an existing register with its raw key. On any error the file stays
    /// byte-identical.
    pub fn open(path: &Path, key: &DbKey) -> Result<Store, StoreError> {
        Ok(Store {
            conn: open::open(path, key)?,
            path: path.to_path_buf(),
            key: key.duplicate(),
        })
    }

    /// The fingerprint of the key this register is encrypted with.
    pub fn key_id(&self) -> String {
        self.key.key_id()
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: commits on `Ok`, rolls back on `Err`
    /// (and on panic). Generic over the error so callers can return their own errors.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let tx = Tx {
            tx,
            path: &self.path,
            head: chain::Head::default(),
            search: search::Pending::default(),
            bases: basis::Pending::default(),
            last_contact: Default::default(),
        };
        match f(&tx).and_then(|value| {
            tx.search.finish(&tx.tx)?;
            tx.bases.finish(&tx.tx)?;
            Ok(value)
        }) {
            Ok(value) => {
                tx.tx.commit().map_err(StoreError::from)?;
                Ok(value)
            }
            Err(e) => {
                // The closure's error is what the caller must see; a failed rollback
                // still ends the transaction when the connection drops it.
                let _ = tx.tx.rollback();
                Err(e)
            }
        }
    }

    fn conn(&self) -> &Connection {
        &self.conn
    }

    fn read_conn(&self) -> &Connection {
        &self.conn
    }

    read_methods!();
}

impl Tx<'_> {
    /// `DuplicateContact` if the id exists.
    pub fn insert_contact(&self, c: &Contact) -> Result<(), StoreError> {
        let conn = self.read_conn();
        let row = contacts::insert(conn, c, &self.search)?;
        *self.last_contact.borrow_mut() = Some((c.id.clone(), row));
        self.bases.inserted(conn, row, c)
    }

    /// Replaces the stored contact with the same id and re-syncs its identifiers and
    /// search entry. `ContactNotFound` if there is none.
    pub fn update_contact(&self, c: &Contact) -> Result<(), StoreError> {
        let row = contacts::update(self.conn(), c)?;
        self.bases.updated(self.read_conn(), row, c)
    }

    /// Appends an event and returns its stored id, assigning a free `EV-000123` id when
    /// `e.id` is `None`. `ContactNotFound` for an unknown contact, `DuplicateEvent` if the
    /// given id exists.
    pub fn append_event(&self, e: &Event) -> Result<String, StoreError> {
        // Events never touch the search index: its pending entries may wait.
        let row = self.contact_row(&e.contact)?;
        events::append(self.read_conn(), &self.head, &self.bases, row, e)
    }

    /// The contact's row; `ContactNotFound` for an unknown id.
    fn contact_row(&self, id: &str) -> Result<i64, StoreError> {
        if let Some((last, row)) = &*self.last_contact.borrow() {
            if last == id {
                return Ok(*row);
            }
        }
        let row = contacts::rowid(self.read_conn(), id)?
            .ok_or_else(|| StoreError::ContactNotFound(id.to_owned()))?;
        *self.last_contact.borrow_mut() = Some((id.to_owned(), row));
        Ok(row)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        settings::set(self.conn(), key, value)
    }

    pub fn set_policy(&self, p: &Policy) -> Result<(), StoreError> {
        settings::set_policy(self.conn(), p)
    }

    /// `false` (nothing written) if a user of that name exists.
    pub fn insert_user(
        &self,
        name: &str,
        role: crate::domain::Role,
        created_by: Option<&str>,
    ) -> Result<bool, StoreError> {
        users::insert(self.conn(), name, role, created_by)
    }

    /// `false` if there is no such user.
    pub fn set_user_role(&self, name: &str, role: crate::domain::Role) -> Result<bool, StoreError> {
        users::set_role(self.conn(), name, role)
    }

    /// `false` if there was no such user.
    pub fn delete_user(&self, name: &str) -> Result<bool, StoreError> {
        users::delete(self.conn(), name)
    }

    /// The connection, with the search entries of contacts inserted so far written first,
    /// so whatever uses it sees a complete index (see `search::Pending`; a failure there
    /// ends the write at commit).
    fn conn(&self) -> &Connection {
        self.search.flush(&self.tx);
        &self.tx
    }

    /// For the per-row lookups and inserts of an import, which never touch the search
    /// index: the pending entries may wait.
    fn read_conn(&self) -> &Connection {
        &self.tx
    }

    read_methods!();
}
