//! A new contact's history with its stored forms computed ahead of the write: the records'
//! JSON, the search entry, the ledger chain links' salts, hashes and skeletons, the decision
//! basis. Computing them needs no connection, so a large import does it on a second thread
//! while the first one writes (`register::imports`). Writing a prepared history stores
//! exactly what the plain writes store (tests: `store::tests::prepared`).

use super::error::StoreError;
use super::record::{encode, encode_ref};
use super::search;
use super::{basis, chain, contacts, events};
use crate::domain::contact::validate_id;
use crate::domain::{Contact, DecisionBasis, Event, ValidationError};

/// A contact with its record and search entry computed.
#[derive(Debug, Clone)]
struct PreparedContact {
    contact: Contact,
    record: String,
    entry: search::Entry,
}

impl PreparedContact {
    fn new(contact: Contact) -> PreparedContact {
        PreparedContact {
            record: encode(contact.to_object()),
            entry: search::Entry::new(&contact),
            contact,
        }
    }
}

/// An event (its id set) with its record and chain link computed.
#[derive(Debug, Clone)]
struct PreparedEvent {
    event: Event,
    record: String,
    link: chain::Prepared,
}

impl PreparedEvent {
    /// Refuses an event without an id (those get the next free `EV-…` id when written) or
    /// with an id the register would refuse.
    fn new(event: Event) -> Result<PreparedEvent, StoreError> {
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
}

/// A new contact with its whole ledger so far and the decision basis they give, computed
/// ahead: [`super::Tx::insert_prepared_history`] only writes. For a new member of an
/// import, the basis was ~10 % of the writing thread's time (encoding, copies, frees).
#[derive(Debug, Clone)]
pub struct PreparedHistory {
    contact: PreparedContact,
    events: Vec<PreparedEvent>,
    basis: Vec<u8>,
}

impl PreparedHistory {
    /// Refuses an event of another contact, and what [`PreparedEvent::new`] refuses.
    pub fn new(contact: Contact, events: Vec<Event>) -> Result<PreparedHistory, StoreError> {
        let mut basis = DecisionBasis::new(contact.clone());
        let mut prepared = Vec::with_capacity(events.len());
        for e in events {
            if e.contact != contact.id {
                return Err(ValidationError::new(
                    "contact",
                    format!("an event of {} in the history of {}", e.contact, contact.id),
                )
                .into());
            }
            basis.push(&e);
            prepared.push(PreparedEvent::new(e)?);
        }
        Ok(PreparedHistory {
            basis: basis::encode_basis(&basis),
            contact: PreparedContact::new(contact),
            events: prepared,
        })
    }

    pub fn event_count(&self) -> usize {
        self.events.len()
    }
}

impl super::Tx<'_> {
    /// Stores a new contact with its events and their decision basis exactly as
    /// `insert_contact` followed by `append_event` for each event would, computing nothing.
    /// Takes only the search entry out of `h`: the caller may hand the rest back to the
    /// thread that made it, to be freed there.
    pub fn insert_prepared_history(&self, h: &mut PreparedHistory) -> Result<(), StoreError> {
        let conn = self.read_conn();
        let c = &mut h.contact;
        let entry = std::mem::take(&mut c.entry);
        let row = contacts::insert_encoded(conn, &c.contact, &c.record, entry, &self.search)?;
        *self.last_contact.borrow_mut() = Some((c.contact.id.clone(), row));
        for e in &h.events {
            events::store_encoded(conn, &self.head, row, &e.event, &e.record, &e.link)?;
        }
        basis::write_encoded(conn, row, &h.basis)
    }

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
