//! A prepared history (computed on an import's reader thread) is stored exactly as the
//! plain writes store the same contact and events.

use serde_json::json;

use super::*;
use crate::store::PreparedHistory;

fn history() -> (Contact, Vec<Event>) {
    let c = contact(
        json!({"id": "MC-1", "party": "consumer", "name": "Erika Müller",
        "emails": ["erika@example.de"], "phones": ["+4915112345678"]}),
    );
    let events = vec![
        event(
            json!({"id": "MC-1-req", "contact": "MC-1", "at": "2025-01-01T09:00:00+01:00",
            "type": "consent_requested", "channels": ["email"], "purposes": ["newsletter"],
            "method": "double_opt_in", "prechecked": false, "consent_text_id": "CT-NEWSLETTER-v3",
            "identifier": "erika@example.de", "ip": "203.0.113.10"}),
        ),
        event(
            json!({"id": "MC-1-conf", "contact": "MC-1", "at": "2025-01-01T09:05:00+01:00",
            "type": "consent_confirmed", "channels": ["email"], "purposes": ["newsletter"], "verified": ["email"],
            "identifier": "erika@example.de", "ip": "203.0.113.10"}),
        ),
        note("MC-1", "2025-01-02T00:00:00Z", "imported"),
    ];
    // A note needs an id to be prepared; the plain path would number it.
    let mut events = events;
    events[2].id = Some("MC-1-note".into());
    (c, events)
}

/// Everything stored about the contact at row 2 (row 1 is a contact both stores share).
fn stored(store: &Store) -> (Option<Contact>, Vec<Event>, Vec<u8>, i64, Vec<String>) {
    let basis: Vec<u8> = store
        .conn()
        .query_row(
            "SELECT basis FROM decision_basis WHERE contact = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let recorded: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM event_recorded", [], |r| r.get(0))
        .unwrap();
    let found = store
        .search("müller", 5)
        .unwrap()
        .into_iter()
        .chain(store.search("0151 1234", 5).unwrap())
        .map(|h| h.contact_id)
        .collect();
    (
        store.contact("MC-1").unwrap(),
        store.events_for("MC-1").unwrap(),
        basis,
        recorded,
        found,
    )
}

#[test]
fn a_prepared_history_is_stored_as_the_plain_writes_store_it() {
    let (c, events) = history();
    let (_a, mut plain) = new_store();
    let (_b, mut prepared) = new_store();
    for store in [&mut plain, &mut prepared] {
        add(store, &[person("K-1", "Hans")]);
        store
            .write(|tx| tx.append_event(&note("K-1", "2024-12-01T00:00:00Z", "before")))
            .unwrap();
    }
    plain
        .write(|tx| {
            tx.insert_contact(&c)?;
            for e in &events {
                tx.append_event(e)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let mut h = PreparedHistory::new(c.clone(), events.clone()).unwrap();
    assert_eq!(h.event_count(), 3);
    prepared
        .write(|tx| tx.insert_prepared_history(&mut h))
        .unwrap();

    let (p, q) = (stored(&plain), stored(&prepared));
    assert_eq!(p.0.as_ref(), Some(&c));
    assert_eq!(p.1, events);
    assert_eq!(p.4, vec!["MC-1", "MC-1"]);
    assert_eq!(
        p, q,
        "contact, ledger, basis bytes, recording rows, search hits"
    );
    for store in [&plain, &prepared] {
        let check = store.check_chains().unwrap();
        assert_eq!(check.ledger_break, None);
        assert_eq!(check.stale_basis, None);
        assert_eq!(check.events, 4);
    }
}

#[test]
fn a_history_refuses_an_event_of_another_contact_or_without_an_id() {
    let (c, mut events) = history();
    events[1].contact = "K-9".into();
    let err = PreparedHistory::new(c.clone(), events).unwrap_err();
    assert!(err.to_string().contains("K-9"), "{err}");

    let (_, mut events) = history();
    events[2].id = None;
    assert!(PreparedHistory::new(c, events).is_err());
}

#[test]
fn a_prepared_history_whose_id_is_taken_writes_nothing() {
    let (c, events) = history();
    let (_dir, mut store) = new_store();
    add(&mut store, std::slice::from_ref(&c));
    let mut h = PreparedHistory::new(c, events).unwrap();
    let err = store
        .write(|tx| tx.insert_prepared_history(&mut h))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::DuplicateContact(ref id) if id == "MC-1"),
        "{err}"
    );
    assert!(store.events_for("MC-1").unwrap().is_empty());
}
