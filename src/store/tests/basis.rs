//! The decision basis stays in step with the ledger through every write path: inserts,
//! contact changes, appended events, a write larger than one run, a rolled-back write, a
//! register from before the table existed; and a row changed underneath is reported.

use serde_json::json;

use super::*;
use crate::domain::DecisionBasis;

fn consent(contact: &str, at: &str) -> Event {
    event(
        json!({"contact": contact, "at": at, "type": "consent_requested",
        "channels": ["email"], "purposes": ["newsletter"], "method": "web_form_checkbox",
        "prechecked": false, "consent_text_id": "CT-1", "identifier": "erika@example.de",
        "ip": "203.0.113.10", "user_agent": "Mozilla/5.0"}),
    )
}

/// Every contact's stored basis against the one its ledger gives.
#[track_caller]
fn assert_in_step(store: &Store) {
    assert_eq!(store.check_chains().unwrap().stale_basis, None);
    let ids: Vec<String> = store
        .contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let bases = store.decision_bases_by_ids(&ids).unwrap();
    assert_eq!(bases.len(), ids.len());
    for id in &ids {
        let contact = store.contact(id).unwrap().unwrap();
        let events = store.events_for(id).unwrap();
        assert_eq!(bases[id], DecisionBasis::of(&contact, &events), "{id}");
    }
}

/// K-1 (Erika) without events, K-2 (Hans) with one consent request.
fn erika_and_hans_who_consented() -> (TempDir, Store) {
    let (dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika"), person("K-2", "Hans")]);
    store
        .write(|tx| tx.append_event(&consent("K-2", "2025-02-01T09:00:00+01:00")))
        .unwrap();
    (dir, store)
}

#[test]
fn inserts_changes_and_appends_keep_the_basis_in_step() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika"), person("K-2", "Hans")]);
    assert_in_step(&store);
    store
        .write(|tx| {
            tx.append_event(&consent("K-1", "2025-02-01T09:00:00+01:00"))?;
            tx.append_event(&note("K-1", "2025-02-02T09:00:00+01:00", "called"))?;
            let mut erika = person("K-1", "Erika Muster");
            erika.emails = vec!["erika@example.de".into()];
            tx.update_contact(&erika)?;
            tx.append_event(&note("K-2", "2025-02-03T09:00:00+01:00", "wrote"))?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_in_step(&store);
    // A later write starts from the stored row.
    store
        .write(|tx| tx.append_event(&consent("K-1", "2025-03-01T09:00:00+01:00")))
        .unwrap();
    assert_in_step(&store);
    let basis = &store.decision_bases_by_ids(&["K-1".into()]).unwrap()["K-1"];
    assert_eq!(basis.contact.name, "Erika Muster");
    // The note is left out; the evidence details too.
    assert_eq!(basis.events.len(), 2);
    let text = store.all_stored_text().unwrap();
    assert!(text.contains("Mozilla/5.0"), "the ledger itself keeps them");
}

#[test]
fn a_write_larger_than_one_run_keeps_every_basis() {
    let (_dir, mut store) = new_store();
    let people: Vec<Contact> = (0..10_050)
        .map(|i| person(&format!("K-{i}"), "Name"))
        .collect();
    store
        .write(|tx| {
            for c in &people {
                tx.insert_contact(c)?;
                tx.append_event(&consent(&c.id, "2025-02-01T09:00:00+01:00"))?;
            }
            // Contacts written out in the first run change again.
            tx.append_event(&consent("K-0", "2025-04-01T09:00:00+01:00"))?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let bases = store.decision_bases(&[1, 2, 10_050]).unwrap();
    assert_eq!(bases.len(), 3);
    assert_eq!(bases[&1].events.len(), 2);
    assert_eq!(bases[&10_050].events.len(), 1);
    assert_in_step(&store);
}

#[test]
fn a_rolled_back_write_leaves_no_basis() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    let failed: Result<(), StoreError> = store.write(|tx| {
        tx.insert_contact(&person("K-2", "Hans"))?;
        tx.append_event(&consent("K-1", "2025-02-01T09:00:00+01:00"))?;
        tx.append_event(&consent("K-404", "2025-02-01T09:00:00+01:00"))?;
        Ok(())
    });
    assert!(matches!(failed, Err(StoreError::ContactNotFound(_))));
    assert!(store.decision_bases(&[2]).unwrap().is_empty());
    assert!(store.decision_bases(&[1]).unwrap()[&1].events.is_empty());
    assert_in_step(&store);
}

#[test]
fn a_register_without_bases_gets_them_on_open() {
    let (dir, store) = erika_and_hans_who_consented();
    // As a register from before migration 5 looks after it ran.
    store
        .execute_raw_for_tests(
            "DELETE FROM decision_basis;
             INSERT INTO settings (key, value) VALUES ('decision_basis_incomplete', '1');",
        )
        .unwrap();
    assert_eq!(
        store.check_chains().unwrap().stale_basis.as_deref(),
        Some("contact K-1")
    );
    drop(store);
    let store = Store::open(&dir.path().join("register.consentry"), &key()).unwrap();
    assert_in_step(&store);
    assert_eq!(store.setting("decision_basis_incomplete").unwrap(), None);
}

#[test]
fn a_basis_changed_underneath_is_reported_by_name() {
    let (_dir, store) = erika_and_hans_who_consented();
    // Someone gives K-2 the basis of K-1, who never consented.
    store
        .execute_raw_for_tests(
            "UPDATE decision_basis SET basis = (SELECT basis FROM decision_basis WHERE contact = 1)
             WHERE contact = 2",
        )
        .unwrap();
    assert_eq!(
        store.check_chains().unwrap().stale_basis.as_deref(),
        Some("contact K-2")
    );
    // Bytes that are no basis at all: reported the same way, and reading them is an error.
    store
        .execute_raw_for_tests("UPDATE decision_basis SET basis = x'01ff' WHERE contact = 1")
        .unwrap();
    assert_eq!(
        store.check_chains().unwrap().stale_basis.as_deref(),
        Some("contact K-1")
    );
    assert!(matches!(
        store.decision_bases(&[1]),
        Err(StoreError::Corrupt(_))
    ));
    // A row for no contact at all.
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    store
        .execute_raw_for_tests(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO decision_basis (contact, basis) VALUES (99, x'00');
             PRAGMA foreign_keys = ON;",
        )
        .unwrap();
    assert_eq!(
        store.check_chains().unwrap().stale_basis.as_deref(),
        Some("1 basis row(s) without a contact")
    );
}

#[test]
fn bases_and_events_stream_one_at_a_time_in_order() {
    let (_dir, mut store) = new_store();
    add(
        &mut store,
        &[
            person("K-2", "Hans"),
            person("K-1", "Erika"),
            person("K-3", "Max"),
        ],
    );
    store
        .write(|tx| {
            tx.append_event(&consent("K-1", "2025-02-01T09:00:00+01:00"))?;
            tx.append_event(&note("K-2", "2025-01-01T09:00:00+01:00", "wrote"))?;
            tx.append_event(&consent("K-1", "2025-01-15T09:00:00+01:00"))?;
            tx.append_event(&consent("K-3", "2025-03-01T09:00:00+01:00"))?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    // K-3 lost its row (rowid 3): its basis comes from its ledger. An event stored before
    // recording times were kept (seq 2) has none.
    store
        .execute_raw_for_tests(
            "DELETE FROM decision_basis WHERE contact = 3;
             DROP TRIGGER event_recorded_no_delete;
             DELETE FROM event_recorded WHERE seq = 2;",
        )
        .unwrap();

    let mut bases = Vec::new();
    store
        .for_each_basis(|b| {
            bases.push(b);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let expected: Vec<DecisionBasis> = ["K-2", "K-1", "K-3"]
        .iter()
        .map(|id| {
            let contact = store.contact(id).unwrap().unwrap();
            DecisionBasis::of(&contact, &store.events_for(id).unwrap())
        })
        .collect();
    assert_eq!(
        bases, expected,
        "insertion order, each as its ledger gives it"
    );
    assert_eq!(bases[2].events.len(), 1);

    let mut events = Vec::new();
    store
        .for_each_event_with_recorded(|e, at| {
            events.push((e.clone(), at));
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let ledger: Vec<Event> = events.iter().map(|(e, _)| e.clone()).collect();
    assert_eq!(
        ledger,
        store.all_events().unwrap(),
        "ledger order, whole events"
    );
    let recorded = store.events_recorded_at().unwrap();
    let known: Vec<bool> = events.iter().map(|(_, at)| at.is_some()).collect();
    assert_eq!(known, [true, false, true, true]);
    for (e, at) in &events {
        assert_eq!(*at, recorded.get(e.id_str()).copied(), "{}", e.id_str());
    }

    // The first error of the callback ends the pass and is returned.
    let mut calls = 0;
    let stopped = store.for_each_event_with_recorded(|_, _| {
        calls += 1;
        Err(StoreError::Corrupt("stop".into()))
    });
    assert!(matches!(stopped, Err(StoreError::Corrupt(_))));
    assert_eq!(calls, 1);
}

#[test]
fn a_change_from_nothing_stays_in_step() {
    // A contact edit records `old: null` for a field that was empty; the stored event
    // reads back without it. Both must give the same basis (an import merging a phone
    // number and an address into an existing member made verify fail before).
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    store
        .write(|tx| {
            let mut erika = person("K-1", "Erika");
            erika.phones = vec!["+49221987654".into()];
            tx.update_contact(&erika)?;
            tx.append_event(&Event {
                id: None,
                contact: "K-1".into(),
                at: chrono::DateTime::parse_from_rfc3339("2025-02-01T09:00:00+01:00").unwrap(),
                kind: crate::domain::EventKind::ContactChanged {
                    field: "address".into(),
                    old: Some(serde_json::Value::Null),
                    new: Some(json!({"city": "Köln"})),
                },
                recorded_by: None,
                source: None,
                note: None,
                extra: Default::default(),
            })?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_in_step(&store);
}

#[test]
fn an_instant_with_fractions_of_a_second_stays_in_step() {
    // An imported ledger may carry them; the stored text keeps every digit.
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    store
        .write(|tx| tx.append_event(&consent("K-1", "2025-02-01T09:00:00.123456789+01:00")))
        .unwrap();
    assert_in_step(&store);
}
