//! The rollback journal of a large write (store/journal.rs).

use super::*;

fn sidecar(dir: &TempDir, suffix: &str) -> PathBuf {
    dir.path().join(format!("register.consentry{suffix}"))
}

/// A register of 300 contacts `K-0`… named `{name}000`…: enough pages that a later write
/// changes pages that existed before it.
fn register_of_300(name: &str) -> (TempDir, Store) {
    let (dir, mut store) = new_store();
    let contacts: Vec<Contact> = (0..300)
        .map(|i| person(&format!("K-{i}"), &format!("{name}{i:03}")))
        .collect();
    add(&mut store, &contacts);
    (dir, store)
}

#[test]
fn a_bulk_journal_write_is_encrypted_durable_and_followed_by_the_wal() {
    let (dir, mut store) = register_of_300("Plaintextkeeper");

    assert!(store.begin_bulk_journal().unwrap());
    assert_eq!(store.journal().unwrap(), ("delete".to_owned(), 2));
    assert!(
        !sidecar(&dir, "-wal").exists(),
        "the WAL was checkpointed away"
    );
    // A tiny cache: pages spill into the file mid-write, the old ones into the journal.
    store.set_cache_size(10).unwrap();
    let mut journal_seen = false;
    store
        .write(|tx| -> Result<(), StoreError> {
            for i in 0..2_000 {
                tx.insert_contact(&person(&format!("N-{i}"), &format!("Newplainname{i:04}")))?;
            }
            let mut c = tx.contact("K-0")?.unwrap();
            c.name = "Changedname".into();
            tx.update_contact(&c)?;
            let journal = std::fs::read(sidecar(&dir, "-journal")).unwrap();
            journal_seen = !journal.is_empty();
            for plain in [&b"Plaintextkeeper"[..], b"Newplainname", b"Changedname"] {
                assert!(!contains(&journal, plain), "plaintext in the journal");
            }
            Ok(())
        })
        .unwrap();
    assert!(journal_seen, "the write went through a rollback journal");
    assert!(!sidecar(&dir, "-journal").exists(), "removed at commit");
    let file = std::fs::read(dir.path().join("register.consentry")).unwrap();
    assert!(!contains(&file, b"Newplainname"));

    store.end_bulk_journal().unwrap();
    assert_eq!(store.journal().unwrap(), ("wal".to_owned(), 1));
    drop(store);
    let store = Store::open(&dir.path().join("register.consentry"), &key()).unwrap();
    assert_eq!(store.counts().unwrap().contacts, 2_300);
    assert_eq!(store.contact("K-0").unwrap().unwrap().name, "Changedname");
    assert_eq!(store.journal().unwrap(), ("wal".to_owned(), 1));
}

#[test]
fn a_failed_bulk_journal_write_is_rolled_back() {
    let (dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    assert!(store.begin_bulk_journal().unwrap());
    let result = store.write(|tx| -> Result<(), StoreError> {
        tx.insert_contact(&person("K-2", "Max"))?;
        Err(StoreError::ContactNotFound("stop".into()))
    });
    assert!(result.is_err());
    store.end_bulk_journal().unwrap();
    assert_eq!(store.counts().unwrap().contacts, 1);
    assert!(!sidecar(&dir, "-journal").exists());
}

#[test]
fn while_another_connection_reads_the_write_keeps_the_wal() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    let reader = store.reader().unwrap();
    reader
        .execute_raw_for_tests("BEGIN; SELECT count(*) FROM contacts;")
        .unwrap();
    assert!(!store.begin_bulk_journal().unwrap());
    assert_eq!(store.journal().unwrap(), ("wal".to_owned(), 1));
    add(&mut store, &[person("K-2", "Max")]);
    reader.execute_raw_for_tests("COMMIT;").unwrap();
    assert_eq!(store.counts().unwrap().contacts, 2);
}

/// Another program with the register open, even idle between reads (a desktop app), keeps
/// the WAL: SQLite leaves it only when no other connection uses it. Both go on working.
#[test]
fn an_idle_second_connection_keeps_the_wal_and_both_go_on() {
    let (_dir, mut store) = new_store();
    add(&mut store, &[person("K-1", "Erika")]);
    let mut other = store.reader().unwrap();
    assert_eq!(other.counts().unwrap().contacts, 1);
    assert!(!store.begin_bulk_journal().unwrap());
    assert_eq!(store.journal().unwrap(), ("wal".to_owned(), 1));
    add(&mut store, &[person("K-2", "Max")]);
    assert_eq!(other.counts().unwrap().contacts, 2);
    add(&mut other, &[person("K-3", "Ida")]);
    assert_eq!(store.counts().unwrap().contacts, 3);
}

/// What `store::journal` promises of a crash mid-import: the file and its hot journal, as a
/// crash would leave them, refuse a wrong key without a byte changed, and open with the
/// right one at the state before the write, the journal rolled back and gone.
#[test]
fn a_crash_mid_write_rolls_back_on_the_next_open() {
    let (dir, mut store) = register_of_300("Erika");
    assert!(store.begin_bulk_journal().unwrap());
    let committed = std::fs::read(sidecar(&dir, "")).unwrap();
    store.set_cache_size(10).unwrap();
    let crashed = tempfile::tempdir().unwrap();
    let copy = crashed.path().join("register.consentry");
    store
        .write(|tx| -> Result<(), StoreError> {
            for i in 0..2_000 {
                tx.insert_contact(&person(&format!("N-{i}"), "Max"))?;
            }
            let mut c = tx.contact("K-0")?.unwrap();
            c.name = "Changed".into();
            tx.update_contact(&c)?;
            // The files as a crash at this moment would leave them.
            for suffix in ["", "-journal"] {
                std::fs::copy(sidecar(&dir, suffix), format!("{}{suffix}", copy.display()))
                    .unwrap();
            }
            Ok(())
        })
        .unwrap();

    let files = snapshot(&copy);
    assert!(files[3].1.is_some(), "a hot journal beside the copy");
    assert_ne!(
        files[0].1.as_ref(),
        Some(&committed),
        "spilled pages in the file"
    );
    assert!(matches!(
        Store::open(&copy, &wrong_key()),
        Err(StoreError::WrongPassphrase)
    ));
    assert_unchanged(&files, &snapshot(&copy));

    let reopened = Store::open(&copy, &key()).unwrap();
    assert_eq!(reopened.counts().unwrap().contacts, 300);
    assert_eq!(reopened.contact("K-0").unwrap().unwrap().name, "Erika000");
    assert!(reopened.contact("N-0").unwrap().is_none());
    let check = reopened.check_chains().unwrap();
    assert!(check.integrity.is_empty(), "{:?}", check.integrity);
    assert_eq!(check.stale_basis, None);
    assert!(!std::path::Path::new(&format!("{}-journal", copy.display())).exists());
}
