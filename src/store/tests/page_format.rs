//! Page layouts (`page_format.rs`): new registers get large pages signed with SHA-256,
//! registers made before keep SQLCipher 4's defaults, and copies keep their source's.

use rusqlite::OpenFlags;

use super::*;
use crate::domain::Role;
use crate::store::open::{self, immutable_uri};
use crate::store::{Keyring, PageFormat};

/// SQLite's own page size (under SQLCipher the pragma answers in text).
fn page_size(store: &Store) -> i64 {
    store
        .conn
        .query_row("PRAGMA page_size", [], |r| r.get::<_, String>(0))
        .unwrap()
        .parse()
        .unwrap()
}

fn layout(store: &Store) -> PageFormat {
    PageFormat::of(&store.conn).unwrap()
}

/// A register as the program made it before large pages: SQLCipher 4's defaults, with an
/// admin and a key file.
fn old_register(path: &Path) -> Store {
    let key = DbKey::generate();
    let mut store = Store::create_in_format(path, &key, PageFormat::Sqlcipher4).unwrap();
    store
        .write(|tx| tx.insert_user("admin", Role::Admin, None))
        .unwrap();
    let mut ring = Keyring::new();
    ring.set_slot("admin", "admin-pw", &key).unwrap();
    ring.save_new(path).unwrap();
    store
}

#[test]
fn a_new_register_has_16_kib_pages_signed_with_hmac_sha256() {
    let (_dir, path) = temp_register();
    let mut store = Store::create(&path, &key()).unwrap();
    add(&mut store, &[person("K-1", "Erika")]);
    assert_eq!(layout(&store), PageFormat::Large);
    assert_eq!(page_size(&store), 16384);
    let hmac: String = store
        .conn
        .query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))
        .unwrap();
    assert_eq!(hmac, "HMAC_SHA256");
    drop(store);
    assert_eq!(std::fs::metadata(&path).unwrap().len() % 16384, 0);
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(layout(&store), PageFormat::Large);
    assert_eq!(store.contact("K-1").unwrap().unwrap().name, "Erika");
}

#[test]
fn each_layout_reads_only_its_own_files() {
    let (dir, new_path) = temp_register();
    let old_path = dir.path().join("old.consentry");
    drop(Store::create(&new_path, &key()).unwrap());
    drop(Store::create_in_format(&old_path, &key(), PageFormat::Sqlcipher4).unwrap());
    let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    let try_as = |path: &Path, format| {
        open::connect_as(
            immutable_uri(path).unwrap(),
            path,
            &key(),
            read_only,
            format,
        )
    };
    assert!(try_as(&new_path, PageFormat::Large).is_ok());
    assert!(try_as(&old_path, PageFormat::Sqlcipher4).is_ok());
    // The wrong layout looks like a wrong key: that is why `connect` tries both.
    assert!(matches!(
        try_as(&new_path, PageFormat::Sqlcipher4),
        Err(StoreError::WrongPassphrase)
    ));
    assert!(matches!(
        try_as(&old_path, PageFormat::Large),
        Err(StoreError::WrongPassphrase)
    ));
}

#[test]
fn an_old_register_opens_in_its_own_layout_and_keeps_it() {
    let (_dir, path) = temp_register();
    let mut store = old_register(&path);
    add(&mut store, &[person("K-1", "Erika")]);
    assert_eq!(
        (layout(&store), page_size(&store)),
        (PageFormat::Sqlcipher4, 4096)
    );
    drop(store);

    let (mut store, role) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    assert_eq!(role, Role::Admin);
    assert_eq!(
        (layout(&store), page_size(&store)),
        (PageFormat::Sqlcipher4, 4096)
    );
    assert_eq!(store.contact("K-1").unwrap().unwrap().name, "Erika");
    // A second session beside un-checkpointed WAL frames finds the layout too.
    add(&mut store, &[person("K-2", "Max")]);
    let (second, _) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    assert_eq!(second.counts().unwrap().contacts, 2);
    assert_eq!(layout(&second), PageFormat::Sqlcipher4);
    drop((store, second));
    assert_eq!(std::fs::metadata(&path).unwrap().len() % 4096, 0);
    let (store, _) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    let check = store.check_chains().unwrap();
    assert_eq!(check.integrity, Vec::<String>::new());
    assert_eq!((check.audit_break, check.ledger_break), (None, None));
}

/// Backs `store` up beside it and opens the copy: its layout and its contacts' names.
fn backup_of(store: &Store, key: &DbKey) -> (PageFormat, Vec<String>) {
    let copy_path = store.path().with_extension("copy");
    store.backup_copy(&copy_path).unwrap();
    let copy = Store::open(&copy_path, key).unwrap();
    let names = copy
        .contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    (layout(&copy), names)
}

#[test]
fn backups_and_rekeys_keep_the_layout_of_their_source() {
    let (dir, path) = temp_register();
    let mut old = old_register(&path);
    add(&mut old, &[person("K-1", "Erika")]);
    let old_key = old.key.duplicate();
    assert_eq!(
        backup_of(&old, &old_key),
        (PageFormat::Sqlcipher4, vec!["Erika".to_owned()])
    );

    old.rekey("admin", "admin-pw").unwrap();
    assert_eq!(layout(&old), PageFormat::Sqlcipher4);
    drop(old);
    let (old, _) = Store::unlock(&path, "admin", "admin-pw").unwrap();
    assert_eq!(layout(&old), PageFormat::Sqlcipher4);
    assert_eq!(old.counts().unwrap().contacts, 1);

    let mut new = Store::create(&dir.path().join("new.consentry"), &key()).unwrap();
    add(&mut new, &[person("K-2", "Max")]);
    assert_eq!(
        backup_of(&new, &key()),
        (PageFormat::Large, vec!["Max".to_owned()])
    );
}

#[test]
fn the_benchmarks_plain_copy_has_the_registers_page_size() {
    use crate::store::bench_support::PlainCopy;
    let (dir, path) = temp_register();
    let mut store = Store::create(&path, &key()).unwrap();
    add(&mut store, &[person("K-1", "Erika")]);
    let plain = dir.path().join("plain.db");
    PlainCopy::export(&store, &plain).unwrap();
    let bytes = std::fs::read(&plain).unwrap();
    // Unencrypted SQLite; the header's page size (bytes 16-17, big-endian) is the register's.
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert_eq!(u16::from_be_bytes([bytes[16], bytes[17]]), 16384);
    let copy = PlainCopy::open(&plain).unwrap();
    assert_eq!(copy.search("erika", 10).unwrap().len(), 1);
}
