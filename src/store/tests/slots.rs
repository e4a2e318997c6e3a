//! Users, key slots and the key file: unlock, refusals that change nothing, rekey.

use super::*;
use crate::domain::Role;
use crate::store::{keyring_path, Keyring};

/// The register, its SQLite side files and its key file, as bytes.
fn snapshot_all(path: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut files = snapshot(path);
    files.push((".keys".into(), std::fs::read(keyring_path(path)).ok()));
    files
}

fn create_admin(path: &Path) -> Store {
    Store::create_as(path, "admin", "admin-pw").unwrap()
}

#[test]
fn the_first_user_is_admin_and_unlocks_with_their_password() {
    let (_dir, path) = temp_register();
    let mut store = create_admin(&path);
    add(&mut store, &[person("K-1", "Erika")]);
    assert_eq!(store.users().unwrap().len(), 1);
    drop(store);
    assert!(keyring_path(&path).exists());
    let (store, role) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    assert_eq!(role, Role::Admin);
    assert_eq!(store.counts().unwrap().contacts, 1);
    // A second create refuses the existing register and key file, untouched.
    let before = snapshot_all(&path);
    assert!(matches!(
        Store::create_as(&path, "admin", "x"),
        Err(StoreError::AlreadyExists(_))
    ));
    drop(store);
    let after = snapshot_all(&path);
    assert_eq!(before[4], after[4], "key file changed");
}

#[test]
fn a_user_with_a_role_opens_with_that_role() {
    let (_dir, path) = temp_register();
    let mut store = create_admin(&path);
    store
        .write(|tx| tx.insert_user("erika", Role::Officer, Some("admin")))
        .map(|_| ())
        .unwrap_or_else(|e: StoreError| panic!("{e}"));
    store.set_slot("erika", "erika-pw").unwrap();
    let (_s, role) = Store::unlock(&path, "erika", "erika-pw").unwrap();
    assert_eq!(role, Role::Officer);
}

#[test]
fn wrong_password_and_unknown_user_are_the_same_refusal_and_change_nothing() {
    let (_dir, path) = temp_register();
    let mut store = create_admin(&path);
    add(&mut store, &[person("K-1", "Erika")]);
    drop(store);
    for (user, pw) in [
        ("admin", "wrong"),
        ("nobody", "admin-pw"),
        ("Admin", "admin-pw"),
    ] {
        let before = snapshot_all(&path);
        let err = Store::unlock(&path, user, pw).unwrap_err();
        assert!(matches!(err, StoreError::WrongPassphrase), "{user}: {err}");
        assert_eq!(err.to_string(), "wrong user name or passphrase");
        assert_unchanged(&before, &snapshot_all(&path));
    }
    // Also while another session has un-checkpointed writes in the WAL.
    let (mut open, _) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    add(&mut open, &[person("K-2", "Max")]);
    let before = snapshot_all(&path);
    assert!(before[1].1.is_some(), "expected a WAL");
    assert!(matches!(
        Store::unlock(&path, "admin", "wrong"),
        Err(StoreError::WrongPassphrase)
    ));
    assert_unchanged(&before, &snapshot_all(&path));
}

#[test]
fn a_slot_for_a_user_not_in_the_register_does_not_unlock() {
    let (_dir, path) = temp_register();
    let store = create_admin(&path);
    // Someone with the key adds a slot to the plain key file, but no users row.
    store.set_slot("mallory", "mallory-pw").unwrap();
    assert!(Keyring::load(&path)
        .unwrap()
        .users()
        .contains(&"mallory".to_owned()));
    drop(store);
    assert!(matches!(
        Store::unlock(&path, "mallory", "mallory-pw"),
        Err(StoreError::WrongPassphrase)
    ));
}

#[test]
fn a_register_without_its_key_file_names_the_missing_file() {
    let (_dir, path) = temp_register();
    drop(create_admin(&path));
    std::fs::remove_file(keyring_path(&path)).unwrap();
    let err = Store::unlock(&path, "admin", "admin-pw").unwrap_err();
    assert!(matches!(&err, StoreError::KeyringMissing(p) if *p == keyring_path(&path)));
    assert!(err.to_string().contains(".keys is missing"), "{err}");
    assert!(err.to_string().contains("backup"), "{err}");
    std::fs::write(keyring_path(&path), b"{ not json").unwrap();
    assert!(matches!(
        Store::unlock(&path, "admin", "admin-pw"),
        Err(StoreError::KeyringDamaged { .. })
    ));
}

#[test]
fn rekey_replaces_the_key_and_drops_other_users_slots() {
    let (_dir, path) = temp_register();
    let mut store = create_admin(&path);
    add(&mut store, &[person("K-1", "Erika")]);
    store
        .write(|tx| tx.insert_user("erika", Role::Agent, None))
        .unwrap();
    store.set_slot("erika", "erika-pw").unwrap();
    let old = Keyring::load(&path)
        .unwrap()
        .unwrap("admin", "admin-pw")
        .pop()
        .unwrap();
    let old_id = store.key_id();

    assert!(matches!(
        store.rekey("admin", "wrong"),
        Err(StoreError::WrongPassphrase)
    ));
    let done = store.rekey("admin", "admin-pw").unwrap();
    assert_ne!(done.key_id, old_id);
    assert_eq!(done.key_id, store.key_id());
    assert_eq!(done.dropped, ["erika"]);
    // The live store goes on working under the new key.
    add(&mut store, &[person("K-2", "Max")]);
    drop(store);

    assert!(matches!(
        Store::open(&path, &old),
        Err(StoreError::WrongPassphrase)
    ));
    let (store, role) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    assert_eq!((role, store.counts().unwrap().contacts), (Role::Admin, 2));
    assert!(matches!(
        Store::unlock(&path, "erika", "erika-pw"),
        Err(StoreError::WrongPassphrase)
    ));
    // A new password for erika (an admin's reset) lets her in again.
    store.set_slot("erika", "new-pw").unwrap();
    assert_eq!(
        Store::unlock(&path, "erika", "new-pw").unwrap().1,
        Role::Agent
    );
    // Only slots for the new key remain, and no scratch files.
    let ring = Keyring::load(&path).unwrap();
    assert_eq!(ring.users_with_key(&done.key_id), ["admin", "erika"]);
    assert_eq!(ring.users(), ["admin", "erika"]);
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rekey") || n.contains("tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn rekey_refuses_while_another_session_has_the_register_open() {
    let (_dir, path) = temp_register();
    let mut store = create_admin(&path);
    let (other, _) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    let id = store.key_id();
    assert!(matches!(
        store.rekey("admin", "admin-pw"),
        Err(StoreError::Busy)
    ));
    // Nothing changed: same key, both sessions work, the key file has one slot.
    assert_eq!(store.key_id(), id);
    add(&mut store, &[person("K-1", "Erika")]);
    assert_eq!(other.counts().unwrap().contacts, 1);
    assert_eq!(
        Keyring::load(&path)
            .unwrap()
            .unwrap("admin", "admin-pw")
            .len(),
        1
    );
}

#[test]
fn a_backup_copy_is_encrypted_with_the_same_key() {
    let (dir, path) = temp_register();
    let mut store = create_admin(&path);
    add(&mut store, &[person("K-1", "Zyxwüller")]);
    let copy = dir.path().join("copy.db");
    store.backup_copy(&copy).unwrap();
    let bytes = std::fs::read(&copy).unwrap();
    assert!(!contains(&bytes, "Zyxw".as_bytes()));
    assert!(!contains(&bytes, b"SQLite format 3"));
    let key = Keyring::load(&path)
        .unwrap()
        .unwrap("admin", "admin-pw")
        .pop()
        .unwrap();
    let copy_store = Store::open(&copy, &key).unwrap();
    assert_eq!(
        copy_store.contact("K-1").unwrap().unwrap().name,
        "Zyxwüller"
    );
    // Never over an existing file.
    assert!(store.backup_copy(&copy).is_err());
}
