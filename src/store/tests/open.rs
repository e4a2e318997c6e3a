//! Creating, opening and refusing files; what reaches the disk.

use std::io::Write;

use serde_json::json;

use super::*;
use crate::domain::Policy;
use crate::store::migrations::user_version;
use crate::store::SCHEMA_VERSION;

#[test]
fn create_then_open_round_trips() {
    let (_dir, path) = temp_register();
    let k1 = contact(
        json!({"id":"K-1","party":"consumer","name":"Erika Mustermann",
        "emails":["erika@example.de"],"phones":["+49 30 1234567"],"customer_number":"KD-1","crm":7}),
    );
    let ev = note("K-1", "2025-02-01T09:00:00+01:00", "called back");
    {
        let mut store = Store::create(&path, &key()).unwrap();
        assert_eq!(store.path(), path.as_path());
        store
            .write(|tx| {
                tx.insert_contact(&k1)?;
                tx.append_event(&ev)?;
                tx.set_setting("language", "de")
            })
            .unwrap();
    }
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(store.contact("K-1").unwrap(), Some(k1.clone()));
    assert_eq!(store.contacts().unwrap(), vec![k1]);
    assert_eq!(store.events_for("K-1").unwrap().len(), 1);
    assert_eq!(store.setting("language").unwrap().as_deref(), Some("de"));
    assert_eq!(store.setting("missing").unwrap(), None);
    assert_eq!(
        store.counts().unwrap(),
        crate::store::Counts {
            contacts: 1,
            events: 1
        }
    );
    assert_eq!(user_version(&store.conn).unwrap(), SCHEMA_VERSION);
}

#[test]
fn a_second_session_can_open_a_register_in_use() {
    let (_dir, path) = temp_register();
    let mut first = Store::create(&path, &key()).unwrap();
    let mut second = Store::open(&path, &key()).unwrap();
    add(&mut first, &[person("K-1", "Erika")]);
    assert_eq!(second.contact("K-1").unwrap().unwrap().name, "Erika");
    add(&mut second, &[person("K-2", "Max")]);
    assert_eq!(first.counts().unwrap().contacts, 2);
    assert!(matches!(
        Store::open(&path, &wrong_key()),
        Err(StoreError::WrongPassphrase)
    ));
}

#[test]
fn session_pragmas_are_in_effect() {
    let (_dir, store) = new_store();
    let get = |name: &str| -> String {
        store
            .conn
            .query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap()
    };
    // SQLCipher accepts the log level (otherwise "hmac check failed" lands on stderr).
    assert_eq!(get("cipher_log_level"), "NONE");
    assert_eq!(get("journal_mode"), "wal");
    assert_eq!(get("synchronous"), "1");
    assert_eq!(get("foreign_keys"), "1");
    assert_eq!(get("temp_store"), "2");
}

#[test]
fn wrong_passphrase_is_refused_and_changes_nothing() {
    // In both page layouts: an old register is also tried in the new one first.
    for format in crate::store::PageFormat::NEWEST_FIRST {
        wrong_key_changes_nothing(format);
    }
}

fn wrong_key_changes_nothing(format: crate::store::PageFormat) {
    let (_dir, path) = temp_register();
    let mut store = Store::create_in_format(&path, &key(), format).unwrap();
    add(&mut store, &[person("K-1", "Erika Mustermann")]);
    drop(store);
    let before = snapshot(&path);
    assert!(matches!(
        Store::open(&path, &wrong_key()),
        Err(StoreError::WrongPassphrase)
    ));
    assert_unchanged(&before, &snapshot(&path));

    // Also while another session has the file open with un-checkpointed writes in the WAL.
    let mut open = Store::open(&path, &key()).unwrap();
    add(&mut open, &[person("K-2", "Max Mustermann")]);
    let before = snapshot(&path);
    assert!(before[1].1.as_ref().is_some_and(|wal| !wal.is_empty()));
    assert!(matches!(
        Store::open(&path, &wrong_key()),
        Err(StoreError::WrongPassphrase)
    ));
    assert_unchanged(&before, &snapshot(&path));

    // And on the files a crash leaves behind (main file, WAL with frames, -shm).
    let crashed = path.with_file_name("crashed.consentry");
    for suffix in ["", "-wal", "-shm"] {
        let from = crate::store::open::sidecar_path(&path, suffix);
        std::fs::copy(from, crate::store::open::sidecar_path(&crashed, suffix)).unwrap();
    }
    drop(open);
    let before = snapshot(&crashed);
    assert!(matches!(
        Store::open(&crashed, &wrong_key()),
        Err(StoreError::WrongPassphrase)
    ));
    assert_unchanged(&before, &snapshot(&crashed));
    assert_eq!(
        Store::open(&crashed, &key())
            .unwrap()
            .counts()
            .unwrap()
            .contacts,
        2
    );
    assert_eq!(
        Store::open(&path, &key())
            .unwrap()
            .counts()
            .unwrap()
            .contacts,
        2
    );
}

#[test]
fn newer_schema_is_refused_untouched() {
    let (_dir, path) = temp_register();
    let store = Store::create(&path, &key()).unwrap();
    store
        .conn
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(store);
    let before = snapshot(&path);
    match Store::open(&path, &key()) {
        Err(StoreError::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert_unchanged(&before, &snapshot(&path));
}

#[test]
fn create_refuses_an_existing_path_and_makes_parent_dirs() {
    let (dir, path) = temp_register();
    std::fs::write(&path, b"precious").unwrap();
    assert!(matches!(Store::create(&path, &key()), Err(StoreError::AlreadyExists(p)) if p == path));
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");

    let nested = dir.path().join("a/b/register.consentry");
    drop(Store::create(&nested, &key()).unwrap());
    let before = snapshot(&nested);
    assert!(matches!(
        Store::create(&nested, &key()),
        Err(StoreError::AlreadyExists(_))
    ));
    assert_unchanged(&before, &snapshot(&nested));
    assert!(Store::open(&nested, &key()).is_ok());
}

#[test]
fn files_that_are_not_registers_are_refused_untouched() {
    let (dir, _) = temp_register();
    // Random bytes: SQLCipher cannot tell them from a wrong key.
    let random = dir.path().join("random.bin");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&random, &bytes).unwrap();
    let before = snapshot(&random);
    assert!(matches!(
        Store::open(&random, &key()),
        Err(StoreError::WrongPassphrase | StoreError::NotARegister)
    ));
    assert_unchanged(&before, &snapshot(&random));

    // A plain (unencrypted) SQLite database.
    let plain = dir.path().join("plain.sqlite");
    let conn = rusqlite::Connection::open(&plain).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let before = snapshot(&plain);
    assert!(matches!(
        Store::open(&plain, &key()),
        Err(StoreError::NotARegister)
    ));
    assert_unchanged(&before, &snapshot(&plain));

    // An empty file would otherwise decrypt as an empty database and be "migrated".
    let empty = dir.path().join("empty");
    std::fs::File::create(&empty).unwrap().flush().unwrap();
    assert!(matches!(
        Store::open(&empty, &key()),
        Err(StoreError::NotARegister)
    ));
    assert_eq!(std::fs::read(&empty).unwrap(), b"");

    // An encrypted database with the right key that is not ours.
    let foreign = dir.path().join("foreign.db");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch(&key().pragma("key")).unwrap();
    conn.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);
    let before = snapshot(&foreign);
    assert!(matches!(
        Store::open(&foreign, &key()),
        Err(StoreError::NotARegister)
    ));
    assert_unchanged(&before, &snapshot(&foreign));

    assert!(matches!(
        Store::open(dir.path(), &key()),
        Err(StoreError::NotARegister)
    ));
    let missing = dir.path().join("missing");
    assert!(matches!(
        Store::open(&missing, &key()),
        Err(StoreError::NotFound(_))
    ));
    assert!(!missing.exists());
}

#[test]
fn an_empty_password_is_refused() {
    let (_dir, path) = temp_register();
    assert!(matches!(
        Store::create_as(&path, "admin", ""),
        Err(StoreError::EmptyPassphrase)
    ));
    assert!(!path.exists());
    assert!(!crate::store::keyring_path(&path).exists());
    drop(Store::create_as(&path, "admin", "pw").unwrap());
    assert!(matches!(
        Store::unlock(&path, "admin", ""),
        Err(StoreError::EmptyPassphrase)
    ));
}

#[test]
fn no_plaintext_reaches_the_disk() {
    let (_dir, path) = temp_register();
    let mut store = Store::create(&path, &key()).unwrap();
    let secret = contact(
        json!({"id":"K-1","party":"consumer","name":"Zyxwüller Qoph",
        "emails":["zyxw.secret@example.de"],"phones":["0171 9876543"]}),
    );
    add(&mut store, &[secret]);
    store
        .write(|tx| {
            tx.append_event(&note("K-1", "2025-01-01T00:00:00Z", "Qoph-Notiz"))?;
            tx.set_policy(&Policy::default())
        })
        .unwrap();
    let needles: [&[u8]; 6] = [
        "Zyxwüller".as_bytes(),
        b"zyxw",
        b"Zyxw",
        b"secret@example",
        b"491719876543",
        b"Qoph",
    ];
    let check = |when: &str| {
        let files = snapshot(&path);
        for (suffix, bytes) in &files {
            for needle in needles {
                let found = bytes.as_deref().is_some_and(|b| contains(b, needle));
                assert!(
                    !found,
                    "{when}: {:?} in register{suffix}",
                    String::from_utf8_lossy(needle)
                );
            }
        }
        files
    };
    // While open, the writes sit un-checkpointed in the WAL.
    let files = check("while open");
    assert!(
        files[1].1.as_ref().is_some_and(|wal| wal.len() > 4096),
        "expected WAL content"
    );
    drop(store);
    check("after close");
}
