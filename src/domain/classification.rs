//! Prospect (Interessent) or existing customer (Bestandskunde), and why.

use chrono::{DateTime, FixedOffset};

use super::contact::{Contact, Relationship};
use super::event::{Event, EventKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassificationBasis {
    /// A purchase exists by the instant asked about.
    Purchase {
        event_id: String,
        at: DateTime<FixedOffset>,
        product_category: String,
    },
    /// The latest manual classification, with who set it and why.
    Manual {
        event_id: String,
        at: DateTime<FixedOffset>,
        by: Option<String>,
        reason: String,
    },
    /// The relationship the contact was imported or created with.
    Imported,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub relationship: Relationship,
    pub basis: ClassificationBasis,
}

/// The effective relationship at `at`, from the whole ledger of the contact.
pub fn classify_at(
    contact: &Contact,
    events: &[Event],
    at: DateTime<FixedOffset>,
) -> Classification {
    classify(contact, &super::ledger::history_until(events, at))
}

/// The effective relationship at the end of `events` (time-ordered, cut at the query instant):
/// customer if a purchase exists, or the latest `classified` event (else the imported
/// relationship) says so; otherwise prospect (LEGAL.md, "Effective relationship").
pub fn classify(contact: &Contact, events: &[&Event]) -> Classification {
    let purchase = events.iter().find_map(|e| match &e.kind {
        EventKind::Purchase {
            product_category, ..
        } => Some(Classification {
            relationship: Relationship::Customer,
            basis: ClassificationBasis::Purchase {
                event_id: e.id_str().to_owned(),
                at: e.at,
                product_category: product_category.clone(),
            },
        }),
        _ => None,
    });
    if let Some(c) = purchase {
        return c;
    }
    let manual = events.iter().rev().find_map(|e| match &e.kind {
        EventKind::Classified {
            relationship,
            reason,
        } => Some(Classification {
            relationship: *relationship,
            basis: ClassificationBasis::Manual {
                event_id: e.id_str().to_owned(),
                at: e.at,
                by: e.recorded_by.clone(),
                reason: reason.clone(),
            },
        }),
        _ => None,
    });
    manual.unwrap_or(Classification {
        relationship: contact.relationship,
        basis: ClassificationBasis::Imported,
    })
}
