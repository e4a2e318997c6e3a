//! Contacts and events with their stored forms computed ahead of the write: the record's
//! JSON, the search entry, the ledger chain link's salt, hashes and skeleton. Computing them
//! needs no connection, so a large import does it on a second thread while the first one
//! writes (`register::imports`). Writing a prepared value stores exactly what writing the
//! plain value stores (tests: `prepared_writes_match_plain_writes`).

use super::chain;
use super::error::StoreError;
use super::record::{encode, encode_ref};
use super::search;
use crate::domain::contact::validate_id;
use crate::domain::{Contact, Event, ValidationError};

/// A contact ready for [`super::Tx::insert_prepared_contact`].
#[derive(Debug, Clone)]
pub struct PreparedContact {
    pub(super) contact: Contact,
    pub(super) record: String,
    pub(super) entry: search::Entry,
}

impl PreparedContact {
    pub fn new(contact: Contact) -> PreparedContact {
        PreparedContact {
            record: encode(contact.to_object()),
            entry: search::Entry::new(&contact),
            contact,
        }
    }

    pub fn contact(&self) -> &Contact {
        &self.contact
    }
}

/// An event with its id for [`super::Tx::append_prepared_event`].
#[derive(Debug, Clone)]
pub struct PreparedEvent {
    pub(super) event: Event,
    pub(super) record: String,
    pub(super) link: chain::Prepared,
}

impl PreparedEvent {
    /// Refuses an event without an id (those get the next free `EV-…` id when written) or
    /// with an id the register would refuse.
    pub fn new(event: Event) -> Result<PreparedEvent, StoreError> {
        let Some(id) = &event.id else {
            return Err(ValidationError::new("id", "a prepared event needs its id").into());
        };
        validate_id(id, "id")?;
        let obj = event.to_object();
        Ok(PreparedEvent {
            record: encode_ref(&obj)?,
            link: chain::prepare(&obj),
            event,
        })
    }

    pub fn event(&self) -> &Event {
        &self.event
    }
}

impl super::Tx<'_> {
    /// Indexes the contacts of the rest of this write for search in bulk: larger runs and
    /// fewer merges, for an import of many rows (`search::Pending::start_bulk`).
    pub fn index_in_bulk(&self) -> Result<(), StoreError> {
        self.search.start_bulk(self.read_conn())
    }

    /// Whether the register holds any contact (an import into an empty one can skip
    /// lookups that could only find its own rows, see `register::imports`).
    pub fn has_contacts(&self) -> Result<bool, StoreError> {
        Ok(self
            .read_conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM contacts)")?
            .query_row([], |r| r.get(0))?)
    }
}
