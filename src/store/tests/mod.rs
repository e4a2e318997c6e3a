//! Store tests against real encrypted files in temporary directories.

mod basis;
mod chain;
mod journal;
mod ledger;
mod open;
mod page_format;
mod prepared;
mod search;
mod slots;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tempfile::TempDir;

use super::{DbKey, Store, StoreError};
use crate::domain::{Contact, Event};

/// A fixed raw key for the store's own tests (the keyring has its own tests).
fn key() -> DbKey {
    DbKey::from_slice(&[7u8; 32]).unwrap()
}

fn wrong_key() -> DbKey {
    DbKey::from_slice(&[8u8; 32]).unwrap()
}

fn temp_register() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.consentry");
    (dir, path)
}

fn new_store() -> (TempDir, Store) {
    let (dir, path) = temp_register();
    let store = Store::create(&path, &key()).unwrap();
    (dir, store)
}

fn contact(v: Value) -> Contact {
    Contact::from_object(v.as_object().unwrap().clone()).unwrap()
}

fn person(id: &str, name: &str) -> Contact {
    contact(json!({"id": id, "party": "consumer", "name": name}))
}

fn note(contact: &str, at: &str, text: &str) -> Event {
    event(json!({"contact": contact, "at": at, "type": "note", "text": text}))
}

fn event(v: Value) -> Event {
    Event::from_object(v.as_object().unwrap().clone()).unwrap()
}

fn add(store: &mut Store, contacts: &[Contact]) {
    store
        .write(|tx| {
            for c in contacts {
                tx.insert_contact(c)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

/// The register and its SQLite side files, as bytes (None: file absent).
fn snapshot(path: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let p = super::open::sidecar_path(path, suffix);
            (suffix.to_string(), std::fs::read(p).ok())
        })
        .collect()
}

/// Compares snapshots naming the file that changed (the bytes themselves are unreadable).
#[track_caller]
fn assert_unchanged(before: &[(String, Option<Vec<u8>>)], after: &[(String, Option<Vec<u8>>)]) {
    for ((suffix, a), (_, b)) in before.iter().zip(after) {
        let describe = |x: &Option<Vec<u8>>| x.as_ref().map(|v| v.len());
        let first_diff = match (a, b) {
            (Some(a), Some(b)) => a.iter().zip(b).position(|(x, y)| x != y),
            _ => None,
        };
        assert!(
            a == b,
            "register{suffix} changed: {:?} -> {:?} bytes, first difference at {first_diff:?}",
            describe(a),
            describe(b)
        );
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
