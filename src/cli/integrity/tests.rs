//! `verify` through the command line, in process: exit 0 on an untouched register, exit 4
//! once a row was changed underneath the application with raw SQL.

use clap::Parser;

use crate::cli::{run, Cli};
use crate::register::Register;
use crate::store::Store;

const PASS: &str = "correct horse battery staple";

fn verify_exit(db: &std::path::Path, pass_file: &std::path::Path) -> i32 {
    let args = [
        "consentry",
        "--db",
        db.to_str().unwrap(),
        "--passphrase-file",
        pass_file.to_str().unwrap(),
        "--user",
        "admin",
        "verify",
    ];
    run(Cli::parse_from(args))
}

#[test]
fn verify_exits_4_after_a_raw_edit_of_an_event_or_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let pass_file = dir.path().join("pass");
    std::fs::write(&pass_file, PASS).unwrap();
    let mut reg = Register::create(&db, PASS).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    reg.import_records(crate::demo::demo_ledger(now, 7, 30).unwrap())
        .unwrap();
    let events = reg.counts().unwrap().events;
    let victim = reg.events("K-1008").unwrap()[0].id_str().to_owned();
    drop(reg);
    assert_eq!(verify_exit(&db, &pass_file), 0);

    // A byte changed in one event (its time), the trigger dropped first.
    let (store, _) = Store::unlock(&db, "admin", PASS).unwrap();
    store
        .execute_raw_for_tests(&format!(
            "DROP TRIGGER events_no_update;
             UPDATE events SET record = replace(record, '\"at\":\"2', '\"at\":\"1') WHERE id = '{victim}';"
        ))
        .unwrap();
    drop(store);
    assert_eq!(verify_exit(&db, &pass_file), 4);
    let reg = Register::open(&db, PASS).unwrap();
    let report = reg.verify().unwrap();
    let line = report.first_problem().unwrap();
    assert!(line.contains(&victim) && line.contains("K-1008"), "{line}");
    // Counted up to and including the broken link.
    assert!(report.events < events, "{} of {events}", report.events);
    assert!(report.ledger_break.is_some() && report.audit_break.is_none());
    drop(reg);

    // The audit trail on a fresh copy: one entry's user changed.
    let db2 = dir.path().join("r2.db");
    let mut reg = Register::create(&db2, PASS).unwrap();
    reg.import_records(crate::demo::demo_ledger(now, 7, 5).unwrap())
        .unwrap();
    drop(reg);
    assert_eq!(verify_exit(&db2, &pass_file), 0);
    let (store, _) = Store::unlock(&db2, "admin", PASS).unwrap();
    store
        .execute_raw_for_tests(
            "DROP TRIGGER audit_no_update; UPDATE audit SET user = 'nobody' WHERE seq = 1;
             CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
             BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
        )
        .unwrap();
    drop(store);
    assert_eq!(verify_exit(&db2, &pass_file), 4);
    let line = Register::open(&db2, PASS)
        .unwrap()
        .verify()
        .unwrap()
        .first_problem()
        .unwrap();
    assert!(
        line.starts_with("broken link in the audit trail: audit #1"),
        "{line}"
    );
}
