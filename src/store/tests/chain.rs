//! The audit trail and the ledger chain: untouched rows verify; a row changed underneath
//! the application (raw SQL, triggers dropped first) is named by `check_chains`.

use serde_json::json;

use super::*;

fn filled() -> (TempDir, Store) {
    let (dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika"), person("K-2", "Hans")]);
    store
        .write(|tx| {
            tx.append_event(&event(
                json!({"contact":"K-1","at":"2025-02-01T09:00:00+01:00",
                "type":"consent_requested","channels":["email"],"purposes":["newsletter"],
                "method":"web_form_checkbox","prechecked":false,"identifier":"erika@example.de",
                "ip":"203.0.113.10"}),
            ))?;
            tx.append_event(&note("K-2", "2025-02-02T10:00:00Z", "called back"))?;
            tx.append_event(&note("K-1", "2025-02-03T10:00:00Z", "wants letters"))?;
            tx.append_audit(
                1_700_000_000_000,
                "dpo",
                "event_recorded",
                "K-1",
                "note EV-000003",
            )?;
            tx.append_audit(
                1_700_000_000_001,
                "dpo",
                "imported",
                "ledger",
                "contacts_added=2",
            )?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    (dir, store)
}

#[test]
fn an_untouched_register_verifies_and_reports_its_heads() {
    let (_dir, store) = new_store();
    let empty = store.check_chains().unwrap();
    assert_eq!((empty.events, empty.audit_entries), (0, 0));
    assert_eq!(empty.ledger_head, [0; 32]);

    let (_dir, store) = filled();
    let c = store.check_chains().unwrap();
    assert_eq!((c.events, c.audit_entries), (3, 2));
    assert_eq!(c.ledger_break, None);
    assert_eq!(c.audit_break, None);
    assert!(c.integrity.is_empty(), "{:?}", c.integrity);
    assert!(c.missing_triggers.is_empty(), "{:?}", c.missing_triggers);
    assert_ne!(c.ledger_head, [0; 32]);
    // The head is the last link: one more event moves it.
    let mut store = store;
    store
        .write(|tx| {
            tx.append_event(&note("K-2", "2025-03-01T10:00:00Z", "x"))
                .map(|_| ())
        })
        .unwrap();
    let after = store.check_chains().unwrap();
    assert_eq!(after.ledger_break, None);
    assert_ne!(after.ledger_head, c.ledger_head);
}

#[test]
fn the_triggers_refuse_edits_even_with_raw_sql() {
    let (_dir, store) = filled();
    for sql in [
        "UPDATE events SET record = '{}' WHERE seq = 1",
        "DELETE FROM events WHERE seq = 1",
        "UPDATE audit SET user = 'x' WHERE seq = 1",
        "DELETE FROM audit WHERE seq = 2",
        "UPDATE event_chain SET salt = NULL WHERE seq = 1",
    ] {
        let err = store.conn().execute_batch(sql).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
}

#[test]
fn a_changed_event_is_named() {
    let (_dir, store) = filled();
    let before = store.check_chains().unwrap();
    // An insider edits the second event's note text underneath the application.
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER events_no_update;
             UPDATE events SET record = replace(record, 'called back', 'never called')
             WHERE id = 'EV-000002';",
        )
        .unwrap();
    let c = store.check_chains().unwrap();
    let b = c.ledger_break.expect("the change is caught");
    assert_eq!((b.table, b.seq), ("events", 2));
    assert!(
        b.object.contains("EV-000002") && b.object.contains("K-2"),
        "{b:?}"
    );
    assert!(b.problem.contains("`text` differs"), "{b:?}");
    assert!(
        !b.problem.contains("called"),
        "no values in the report: {b:?}"
    );
    assert_eq!(c.missing_triggers, vec!["events_no_update"]);
    assert_eq!(c.audit_break, None);
    assert_eq!(c.audit_head, before.audit_head);
}

#[test]
fn a_changed_skeleton_field_and_a_changed_column_are_caught() {
    let (_dir, store) = filled();
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER events_no_update;
             UPDATE events SET record = replace(record, '\"prechecked\":false', '\"prechecked\":true')
             WHERE seq = 1;",
        )
        .unwrap();
    let b = store.check_chains().unwrap().ledger_break.unwrap();
    assert_eq!(b.seq, 1);
    assert!(b.problem.contains("hash mismatch"), "{b:?}");

    let (_dir, store) = filled();
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER events_no_update; UPDATE events SET at_utc = at_utc + 1 WHERE seq = 3;",
        )
        .unwrap();
    let b = store.check_chains().unwrap().ledger_break.unwrap();
    assert_eq!(b.seq, 3);
    assert!(b.problem.contains("columns"), "{b:?}");
}

#[test]
fn removed_and_smuggled_events_are_caught() {
    let (_dir, store) = filled();
    store
        .conn()
        .execute_batch("PRAGMA foreign_keys = OFF; DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 2;")
        .unwrap();
    let b = store.check_chains().unwrap().ledger_break.unwrap();
    assert_eq!(b.seq, 2);
    assert!(b.problem.contains("removed"), "{b:?}");

    let (_dir, store) = filled();
    store
        .conn()
        .execute_batch(
            "INSERT INTO events (id, contact, at_utc, type, record)
             SELECT 'EV-X', contact, at_utc, type, replace(record, 'EV-000003', 'EV-X')
             FROM events WHERE seq = 3;",
        )
        .unwrap();
    let b = store.check_chains().unwrap().ledger_break.unwrap();
    assert_eq!(b.seq, 4);
    assert!(b.problem.contains("not in the chain"), "{b:?}");
}

#[test]
fn a_changed_or_removed_audit_entry_is_named() {
    let (_dir, store) = filled();
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER audit_no_update; UPDATE audit SET user = 'someone' WHERE seq = 1;",
        )
        .unwrap();
    let c = store.check_chains().unwrap();
    let b = c.audit_break.unwrap();
    assert_eq!((b.table, b.seq), ("audit", 1));
    assert!(b.object.contains("event_recorded K-1"), "{b:?}");
    assert_eq!(c.ledger_break, None);

    let (_dir, store) = filled();
    store
        .conn()
        .execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 1;")
        .unwrap();
    let b = store.check_chains().unwrap().audit_break.unwrap();
    assert!(b.problem.contains("missing"), "{b:?}");
}

#[test]
fn the_newest_audit_entries_come_first() {
    let (_dir, store) = filled();
    let rows = store.audit_entries(10).unwrap();
    let seqs: Vec<i64> = rows.iter().map(|r| r.entry.seq).collect();
    assert_eq!(seqs, vec![2, 1]);
    assert_eq!(rows[1].entry.user, "dpo");
    assert_eq!(store.audit_entries(1).unwrap().len(), 1);
    store
        .append_audit(1_700_000_000_002, "auditor", "report_made", "register", "")
        .unwrap();
    assert_eq!(store.audit_entries(1).unwrap()[0].entry.user, "auditor");
    assert_eq!(store.check_chains().unwrap().audit_break, None);
}

#[test]
fn a_forged_erasure_record_is_caught_by_the_audit_cross_check() {
    let (_dir, store) = filled();
    // An insider strips K-1's IP address and covers it with an erasure record of their own.
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER events_no_update;
             UPDATE events SET record = json_remove(record, '$.ip') WHERE seq = 1;
             INSERT INTO erasures (contact, at, user, reason) VALUES ('K-1', 0, 'x', 'x');",
        )
        .unwrap();
    let c = store.check_chains().unwrap();
    // The missing field alone would pass for an erased contact …
    assert_eq!(c.ledger_break, None);
    // … but the erasure is not in the (chained) audit trail.
    assert_eq!(c.unaudited_erasures, vec!["K-1".to_owned()]);
}

#[test]
fn events_from_before_the_chain_are_chained_once_before_anything_new() {
    let (_dir, mut store) = filled();
    // As a register migrated to schema 4 finds itself: three events, no links yet.
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER event_chain_no_delete; DELETE FROM event_chain;
             INSERT INTO settings (key, value) VALUES ('ledger_chain_legacy_until', '3')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
        )
        .unwrap();
    let b = store.check_chains().unwrap().ledger_break.unwrap();
    assert!(b.problem.contains("not in the chain"), "{b:?}");
    store.chain_legacy_events().unwrap();
    let c = store.check_chains().unwrap();
    assert_eq!((c.events, c.ledger_break), (3, None));
    // A second run adds nothing; a new event links after the old ones.
    store.chain_legacy_events().unwrap();
    store
        .write(|tx| {
            tx.append_event(&note("K-2", "2025-03-01T10:00:00Z", "x"))
                .map(|_| ())
        })
        .unwrap();
    let c = store.check_chains().unwrap();
    assert_eq!((c.events, c.ledger_break), (4, None));
}
