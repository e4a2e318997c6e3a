//! The decision basis of a contact: the contact and the part of its ledger that the rules
//! read (`decide`, `classify`, the suppression check), kept together so that screening a
//! list or showing a list of hits reads one stored row per person instead of the contact,
//! its index entries and every event page.
//!
//! It is derived data, never evidence: the ledger stays the only source. Left out are the
//! fields no rule reads, which are also the bulky and personal ones: IP addresses, browser
//! strings, source URLs, order and evidence references, free-text notes, who recorded an
//! event. A test decides every demo history both ways and requires identical results.

use super::contact::Contact;
use super::event::{Event, EventKind};
use super::json::Object;

/// What the rules see of one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionBasis {
    pub contact: Contact,
    /// The contact's events in ledger order, each as [`basis_event`] keeps it.
    pub events: Vec<Event>,
}

impl DecisionBasis {
    /// A contact without events (just inserted).
    pub fn new(contact: Contact) -> Self {
        DecisionBasis {
            contact,
            events: Vec::new(),
        }
    }

    /// The basis of a contact with its whole ledger (in ledger order).
    pub fn of(contact: &Contact, events: &[Event]) -> Self {
        let mut basis = DecisionBasis::new(contact.clone());
        for e in events {
            basis.push(e);
        }
        basis
    }

    /// Adds an event appended to the contact's ledger.
    pub fn push(&mut self, e: &Event) {
        if let Some(kept) = basis_event(e) {
            self.events.push(kept);
        }
    }
}

/// Text put where the ledger format requires a value the rules never read.
const OMITTED: &str = "-";

/// `e` as the basis keeps it, or `None` for an event no rule reads (a note).
pub fn basis_event(e: &Event) -> Option<Event> {
    let kind = match &e.kind {
        EventKind::Note { .. } => return None,
        // Kept whole: a list of contacts shows who classified one and why.
        EventKind::Classified { .. } => return Some(e.clone()),
        EventKind::ConsentRequested {
            channels,
            purposes,
            method,
            prechecked,
            consent_text_id,
            identifier,
            ..
        } => EventKind::ConsentRequested {
            channels: channels.clone(),
            purposes: purposes.clone(),
            method: method.clone(),
            prechecked: *prechecked,
            consent_text_id: consent_text_id.clone(),
            identifier: identifier.clone(),
            ip: None,
            user_agent: None,
            source_url: None,
        },
        EventKind::ConsentConfirmed {
            channels,
            purposes,
            verified,
            identifier,
            ..
        } => EventKind::ConsentConfirmed {
            channels: channels.clone(),
            purposes: purposes.clone(),
            verified: verified.clone(),
            identifier: identifier.clone(),
            ip: None,
        },
        EventKind::ConsentGiven {
            channels,
            purposes,
            method,
            prechecked,
            consent_text_id,
            verified,
            identifier,
            ..
        } => EventKind::ConsentGiven {
            channels: channels.clone(),
            purposes: purposes.clone(),
            method: method.clone(),
            prechecked: *prechecked,
            consent_text_id: consent_text_id.clone(),
            evidence_ref: None,
            verified: verified.clone(),
            identifier: identifier.clone(),
        },
        EventKind::ConsentRevoked {
            channels, purposes, ..
        } => EventKind::ConsentRevoked {
            channels: channels.clone(),
            purposes: purposes.clone(),
            via: None,
        },
        EventKind::Objection { scope, .. } => EventKind::Objection {
            scope: scope.clone(),
            via: None,
        },
        EventKind::ObjectionWithdrawn { .. } => EventKind::ObjectionWithdrawn { via: None },
        EventKind::Purchase {
            product_category,
            email_collected,
            objection_notice_given,
            ..
        } => EventKind::Purchase {
            product_category: product_category.clone(),
            email_collected: *email_collected,
            phone_collected: None,
            objection_notice_given: *objection_notice_given,
            order_ref: None,
        },
        EventKind::MarketingSent {
            channel, purpose, ..
        } => EventKind::MarketingSent {
            channel: *channel,
            purpose: purpose.clone(),
            objection_notice_included: None,
        },
        EventKind::PresumedConsentDocumented { .. } => EventKind::PresumedConsentDocumented {
            circumstances: OMITTED.into(),
            by: None,
        },
        EventKind::RobinsonListMatch { .. } => EventKind::RobinsonListMatch { list: None },
        // The suppression check reads old and new addresses and numbers. A JSON `null` is
        // kept as the ledger reads it back (absent), so a basis made from an event in
        // memory equals one made from the stored event.
        EventKind::ContactChanged { field, old, new } => EventKind::ContactChanged {
            field: field.clone(),
            old: old.clone().filter(|v| !v.is_null()),
            new: new.clone().filter(|v| !v.is_null()),
        },
        kind @ (EventKind::AccountOpened { .. } | EventKind::Enquiry { .. }) => kind.clone(),
    };
    Some(Event {
        id: e.id.clone(),
        contact: e.contact.clone(),
        at: e.at,
        kind,
        recorded_by: None,
        source: None,
        note: None,
        extra: Object::new(),
    })
}

#[cfg(test)]
#[path = "basis_tests.rs"]
mod tests;
