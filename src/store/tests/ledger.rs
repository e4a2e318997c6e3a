//! Contacts, the append-only ledger, settings and transactions.

use serde_json::json;

use super::*;
use crate::domain::Policy;

#[test]
fn ledger_rows_cannot_be_updated_or_deleted() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    store
        .write(|tx| tx.append_event(&note("K-1", "2025-01-01T00:00:00Z", "first")))
        .unwrap();
    for sql in [
        "UPDATE events SET record = '{}'",
        "UPDATE events SET at_utc = 0 WHERE id = 'EV-000001'",
        "DELETE FROM events",
    ] {
        let err = store.conn.execute(sql, []).unwrap_err();
        assert!(
            err.to_string().contains("ledger events are append-only"),
            "{sql}: {err}"
        );
    }
    assert_eq!(store.all_events().unwrap().len(), 1);
}

#[test]
fn append_assigns_unique_ids_and_keeps_content_and_order() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika"), person("K-2", "Max")]);
    let rich = event(
        json!({"contact":"K-1","at":"2025-02-01T09:00:00+01:00","type":"consent_requested",
        "channels":["email"],"purposes":["newsletter"],"method":"web_form_checkbox","prechecked":false,
        "consent_text_id":"CT-NEWSLETTER-v3","identifier":"erika@example.de","ip":"203.0.113.10",
        "recorded_by":"dpo","custom":{"nested":[1,2]}}),
    );
    // An imported event already holds the id the counter would give the second event.
    let imported = event(
        json!({"id":"EV-000002","contact":"K-2","at":"2025-01-01T00:00:00Z",
        "type":"note","text":"imported"}),
    );
    let later = note(
        "K-1",
        "2024-12-31T23:00:00-01:00",
        "earlier instant, appended later",
    );
    let more = note("K-2", "2025-03-01T00:00:00Z", "third");
    let ids = store
        .write(|tx| {
            [&imported, &rich, &later, &more]
                .into_iter()
                .map(|e| tx.append_event(e))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
    assert_eq!(ids[0], "EV-000002");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(ids[1..].iter().all(|id| id.starts_with("EV-")), "{ids:?}");

    let with_id = |e: &Event, id: &str| {
        let mut e = e.clone();
        e.id = Some(id.to_owned());
        e
    };
    let k1 = store.events_for("K-1").unwrap();
    assert_eq!(k1.len(), 2);
    assert_eq!(k1[0].to_object(), with_id(&rich, &ids[1]).to_object());
    assert_eq!(k1[1].to_object(), with_id(&later, &ids[2]).to_object());
    assert_eq!(k1[1].at, later.at, "offset kept");
    let all: Vec<_> = store
        .all_events()
        .unwrap()
        .into_iter()
        .map(|e| e.id.unwrap())
        .collect();
    assert_eq!(all, ids, "ledger order is append order");
    assert_eq!(store.event(&ids[1]).unwrap(), Some(with_id(&rich, &ids[1])));
    assert_eq!(store.event("EV-999999").unwrap(), None);
    assert!(store.events_for("K-404").unwrap().is_empty());

    // Ids assigned in a later transaction do not collide either.
    let next = store.write(|tx| tx.append_event(&more)).unwrap();
    assert!(!ids.contains(&next), "{next} reused");
}

#[test]
fn append_refuses_unknown_contacts_and_duplicate_ids() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    let err = store
        .write(|tx| tx.append_event(&note("K-9", "2025-01-01T00:00:00Z", "x")))
        .unwrap_err();
    assert!(matches!(err, StoreError::ContactNotFound(id) if id == "K-9"));
    let mut e = note("K-1", "2025-01-01T00:00:00Z", "x");
    e.id = Some("E-1".into());
    store.write(|tx| tx.append_event(&e)).unwrap();
    let err = store.write(|tx| tx.append_event(&e)).unwrap_err();
    assert!(matches!(err, StoreError::DuplicateEvent(id) if id == "E-1"));
    e.id = Some("not an id!".into());
    assert!(matches!(
        store.write(|tx| tx.append_event(&e)),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.counts().unwrap().events, 1);
}

#[test]
fn contacts_insert_update_and_identifier_lookups() {
    let (_dir, mut store) = new_store();
    let mut k1 = contact(json!({"id":"K-1","party":"consumer","name":"Erika",
        "emails":["erika@example.de"],"phones":["0171 1234567"],"customer_number":"KD-1"}));
    let k2 = contact(
        json!({"id":"K-2","party":"business","name":"Max","company":"ACME",
        "emails":["erika@example.de"]}),
    );
    add(&mut store, &[k1.clone(), k2.clone()]);
    assert_eq!(
        store.contact_ids_by_email("erika@example.de").unwrap(),
        vec!["K-1", "K-2"]
    );
    assert_eq!(
        store.contact_ids_by_phone("+491711234567").unwrap(),
        vec!["K-1"]
    );
    assert_eq!(
        store.contact_id_by_customer_number("KD-1").unwrap(),
        vec!["K-1"]
    );
    assert!(store
        .contact_ids_by_email("nobody@example.de")
        .unwrap()
        .is_empty());

    let err = store.write(|tx| tx.insert_contact(&k2)).unwrap_err();
    assert!(matches!(err, StoreError::DuplicateContact(id) if id == "K-2"));
    let err = store
        .write(|tx| tx.update_contact(&person("K-9", "Nobody")))
        .unwrap_err();
    assert!(matches!(err, StoreError::ContactNotFound(id) if id == "K-9"));

    k1.emails = vec!["erika.neu@example.de".into()];
    k1.phones.clear();
    k1.customer_number = Some("KD-2".into());
    store.write(|tx| tx.update_contact(&k1)).unwrap();
    assert_eq!(store.contact("K-1").unwrap(), Some(k1.clone()));
    assert_eq!(
        store.contact_ids_by_email("erika@example.de").unwrap(),
        vec!["K-2"]
    );
    assert_eq!(
        store.contact_ids_by_email("erika.neu@example.de").unwrap(),
        vec!["K-1"]
    );
    assert!(store
        .contact_ids_by_phone("+491711234567")
        .unwrap()
        .is_empty());
    assert!(store
        .contact_id_by_customer_number("KD-1")
        .unwrap()
        .is_empty());
    assert_eq!(
        store.contact_id_by_customer_number("KD-2").unwrap(),
        vec!["K-1"]
    );
    assert_eq!(store.contacts().unwrap(), vec![k1, k2], "insertion order");
}

#[derive(Debug)]
enum CallerError {
    Store(StoreError),
    Refused,
}

impl From<StoreError> for CallerError {
    fn from(e: StoreError) -> Self {
        CallerError::Store(e)
    }
}

#[test]
fn a_failing_write_rolls_back_everything() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    let result: Result<(), CallerError> = store.write(|tx| {
        tx.insert_contact(&person("K-2", "Zyxwüller"))?;
        tx.update_contact(&person("K-1", "Erika Geändert"))?;
        tx.append_event(&note("K-1", "2025-01-01T00:00:00Z", "x"))?;
        tx.set_setting("language", "en")?;
        // Reads inside the transaction see its own writes.
        assert!(tx.contact("K-2")?.is_some());
        assert_eq!(tx.search("zyxw", 5)?.len(), 1);
        Err(CallerError::Refused)
    });
    assert!(matches!(result, Err(CallerError::Refused)));
    assert_eq!(store.contact("K-2").unwrap(), None);
    assert_eq!(store.contact("K-1").unwrap().unwrap().name, "Erika");
    assert_eq!(
        store.counts().unwrap(),
        crate::store::Counts {
            contacts: 1,
            events: 0
        }
    );
    assert_eq!(store.setting("language").unwrap(), None);
    assert!(store.search("zyxw", 5).unwrap().is_empty());
    assert_eq!(store.search("geändert", 5).unwrap(), vec![]);

    // A store error from inside converts into the caller's error type.
    let result: Result<(), CallerError> = store.write(|tx| {
        tx.insert_contact(&person("K-3", "Neu"))?;
        tx.insert_contact(&person("K-1", "Twice"))?;
        Ok(())
    });
    assert!(matches!(
        result,
        Err(CallerError::Store(StoreError::DuplicateContact(_)))
    ));
    assert_eq!(store.contact("K-3").unwrap(), None);
}

#[test]
fn policy_defaults_and_round_trips() {
    let (_dir, mut store) = new_store();
    assert_eq!(store.policy().unwrap(), Policy::default());
    let mut p = Policy::default();
    p.set("similarity_groups", "coffee,tea").unwrap();
    p.set("consent_stale_after_months", "24").unwrap();
    store.write(|tx| tx.set_policy(&p)).unwrap();
    assert_eq!(store.policy().unwrap(), p);
    store
        .write(|tx| tx.set_setting("policy", "{broken"))
        .unwrap();
    assert!(matches!(store.policy(), Err(StoreError::Corrupt(_))));
}

/// Migration 8 replaced the trigger that filled `event_recorded` with an insert in the one
/// event insert path: every event, plain or prepared, gets exactly one row, also in a
/// register that still had the trigger before it was opened by this version.
#[test]
fn every_appended_event_is_recorded_once_also_after_migration_8() {
    let (dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    store
        .write(|tx| tx.append_event(&note("K-1", "2025-01-01T00:00:00Z", "before")))
        .unwrap();
    // The register as version 7 left it: the trigger in place.
    store
        .conn
        .execute_batch(
            "CREATE TRIGGER events_recorded_at AFTER INSERT ON events
             BEGIN
                 INSERT INTO event_recorded (seq, recorded_at)
                 VALUES (new.seq, CAST(unixepoch('subsec') * 1000 AS INTEGER));
             END;
             PRAGMA user_version = 7;",
        )
        .unwrap();
    drop(store);
    let mut store = Store::open(&dir.path().join("register.consentry"), &key()).unwrap();
    let triggers: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'events_recorded_at'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 0, "migration 8 drops the trigger");
    let mut prepared = crate::store::PreparedHistory::new(
        person("K-2", "Max"),
        vec![event(json!({"id":"EV-P","contact":"K-2",
            "at":"2025-01-03T00:00:00Z","type":"note","text":"prepared"}))],
    )
    .unwrap();
    store
        .write(|tx| {
            tx.append_event(&note("K-1", "2025-01-02T00:00:00Z", "plain"))?;
            tx.insert_prepared_history(&mut prepared)
        })
        .unwrap();
    let recorded = store.events_recorded_at().unwrap();
    let ids: Vec<String> = store
        .all_events()
        .unwrap()
        .iter()
        .map(|e| e.id_str().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        assert!(recorded.contains_key(id), "{id} has no recording time");
    }
    let rows: i64 = store
        .conn
        .query_row("SELECT count(*) FROM event_recorded", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 3, "one row per event");
}
