//! The contact search: fragments, spellings, phone notations, ranking, hostile input.

use serde_json::json;

use super::*;

fn ids(store: &Store, q: &str) -> Vec<String> {
    store
        .search(q, 50)
        .unwrap()
        .into_iter()
        .map(|h| h.contact_id)
        .collect()
}

fn sample() -> (TempDir, Store) {
    let (dir, mut store) = new_store();
    add(
        &mut store,
        &[
            contact(json!({"id":"K-1","party":"consumer","name":"Jürgen Müller",
                "emails":["juergen.mueller@example.de"],"phones":["0171 1234567"],"customer_number":"KD-100"})),
            contact(
                json!({"id":"K-2","party":"business","name":"Erika Mustermann","company":"Weiß & Söhne GmbH",
                "emails":["erika@shop.example.com"],"phones":["+49 30 9876543"]}),
            ),
            contact(
                json!({"id":"K-3","party":"consumer","name":"Anna Mueller","emails":["anna@example.org"]}),
            ),
            contact(json!({"id":"K-4","party":"consumer","name":"Max Ammüller"})),
        ],
    );
    (dir, store)
}

#[test]
fn finds_by_name_fragment_and_any_umlaut_spelling() {
    let (_dir, store) = sample();
    assert_eq!(ids(&store, "Jürg"), vec!["K-1"]);
    assert_eq!(ids(&store, "ustermann"), vec!["K-2"]);
    for q in ["Müller", "Muller", "Mueller", "müll", "MUELL"] {
        let found = ids(&store, q);
        assert!(found.contains(&"K-1".to_string()), "{q}: {found:?}");
        assert!(found.contains(&"K-4".to_string()), "{q}: {found:?}");
    }
    // A name stored as "Mueller" is found by its umlaut spelling too.
    assert!(ids(&store, "Müller").contains(&"K-3".to_string()));
    assert_eq!(ids(&store, "jürgen müller"), vec!["K-1"]);
    assert_eq!(ids(&store, "weiss söhne"), vec!["K-2"], "company, ß folded");
    assert!(ids(&store, "Schmidt").is_empty());
}

#[test]
fn finds_by_email_id_and_customer_number() {
    let (_dir, store) = sample();
    assert_eq!(ids(&store, "shop.exa"), vec!["K-2"]);
    assert_eq!(ids(&store, "ERIKA@shop.example.com"), vec!["K-2"]);
    assert_eq!(ids(&store, "kd-100"), vec!["K-1"]);
    assert_eq!(ids(&store, "k-3"), vec!["K-3"]);
}

#[test]
fn finds_phone_numbers_in_any_notation_and_partially() {
    let (_dir, store) = sample();
    for q in [
        "0171 1234567",
        "+49 171 1234567",
        "0049-171-1234567",
        "0171/1234567",
        "+49 (0)171 1234567",
        "1234567",
        "0171 123",
        "4917112",
    ] {
        assert_eq!(ids(&store, q), vec!["K-1"], "{q}");
    }
    assert_eq!(ids(&store, "030 9876543"), vec!["K-2"]);
    assert_eq!(
        store.search("0171 1234567", 5).unwrap()[0].rank,
        0,
        "exact number ranks first"
    );
    assert!(ids(&store, "0172 7654321").is_empty());
}

#[test]
fn odd_input_never_errors() {
    let (_dir, store) = sample();
    let long = "ä".repeat(5000);
    for q in [
        "\"",
        "\"\"\"",
        "*",
        "AND",
        "(",
        ")",
        "a\"b\"c",
        "NEAR(",
        "müller*",
        "-",
        "^",
        ":",
        "'",
        "'; DROP TABLE contacts; --",
        "\"müller\" OR 1=1",
        "\0",
        "x\0y",
        "%",
        "_",
        "\\",
        "NOT müller",
        "( ) AND OR NOT",
        "+",
        "+++",
        "0",
        "00",
        "()",
        long.as_str(),
        "  ",
        "",
    ] {
        if let Err(e) = store.search(q, 10) {
            panic!("{q:?}: {e}");
        }
    }
    assert_eq!(store.counts().unwrap().contacts, 4);
    assert!(store.search("", 10).unwrap().is_empty());
    assert!(store.search("   ", 10).unwrap().is_empty());
}

#[test]
fn short_fragments_use_substring_matching() {
    let (_dir, store) = sample();
    assert_eq!(ids(&store, "mü jü"), vec!["K-1"]);
    let found = ids(&store, "an");
    assert!(
        found.contains(&"K-2".to_string()) && found.contains(&"K-3".to_string()),
        "{found:?}"
    );
    assert_eq!(ids(&store, "anna mu"), vec!["K-3"]);
}

#[test]
fn ranking_puts_exact_then_name_starts_then_the_rest() {
    let (_dir, mut store) = new_store();
    add(
        &mut store,
        &[
            person("K-10", "Zora Anna"),
            person("K-11", "Anna Zweig"),
            contact(json!({"id":"ANNA","party":"consumer","name":"Xaver"})),
            person("K-12", "Anna Berg"),
            person("K-13", "Hannah"),
        ],
    );
    let hits = store.search("anna", 10).unwrap();
    let got: Vec<(&str, u32)> = hits
        .iter()
        .map(|h| (h.contact_id.as_str(), h.rank))
        .collect();
    assert_eq!(
        got,
        vec![
            ("ANNA", 0),
            ("K-12", 1),
            ("K-11", 1),
            ("K-13", 2),
            ("K-10", 2)
        ]
    );
    assert_eq!(store.search("anna", 2).unwrap().len(), 2);
    assert!(store.search("anna", 0).unwrap().is_empty());
}

#[test]
fn the_index_follows_update_contact() {
    let (_dir, mut store) = sample();
    let mut k1 = store.contact("K-1").unwrap().unwrap();
    k1.name = "Jürgen Zyxwbauer".into();
    k1.emails = vec!["jz@example.de".into()];
    k1.phones = vec!["+491609999999".into()];
    store.write(|tx| tx.update_contact(&k1)).unwrap();
    assert_eq!(ids(&store, "Jürgen"), vec!["K-1"]);
    assert_eq!(ids(&store, "zyxwbauer"), vec!["K-1"]);
    assert!(!ids(&store, "müller").contains(&"K-1".to_string()));
    assert!(ids(&store, "0171 1234567").is_empty());
    assert_eq!(ids(&store, "0160 9999999"), vec!["K-1"]);
}

#[test]
fn contacts_inserted_in_a_write_are_searchable_within_it_and_after() {
    let (_dir, mut store) = new_store();
    // More than one run of pending search entries (search::PENDING_MAX).
    let n = 10_250;
    let mut mid_write = Vec::new();
    store
        .write(|tx| -> Result<(), StoreError> {
            for i in 0..n {
                tx.insert_contact(&person(&format!("K-{i}"), &format!("Zyx{i:05} Test")))?;
                if i == 10 {
                    // A search inside the write sees what was inserted so far.
                    mid_write = tx.search("zyx00007", 5)?;
                    // An update of a contact whose entry was still pending replaces it.
                    let mut c = tx.contact("K-3")?.unwrap();
                    c.name = "Quorbel Test".into();
                    tx.update_contact(&c)?;
                }
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(mid_write.len(), 1);
    assert_eq!(mid_write[0].contact_id, "K-7");
    assert_eq!(ids(&store, "quorbel"), vec!["K-3"]);
    assert!(ids(&store, "zyx00003").is_empty());
    for i in [0, 9_999, 10_000, n - 1] {
        assert_eq!(ids(&store, &format!("zyx{i:05}")), vec![format!("K-{i}")]);
    }
    let rows: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM search_index", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, n as i64, "one entry per contact");
}

#[test]
fn a_failed_write_leaves_no_pending_search_entries_behind() {
    let (_dir, mut store) = new_store();
    let result = store.write(|tx| -> Result<(), StoreError> {
        tx.insert_contact(&person("K-1", "Plinkert"))?;
        Err(StoreError::ContactNotFound("stop".into()))
    });
    assert!(result.is_err());
    store
        .write(|tx| tx.insert_contact(&person("K-2", "Plonkert")))
        .unwrap();
    assert!(ids(&store, "plinkert").is_empty());
    assert_eq!(ids(&store, "plonkert"), vec!["K-2"]);
}

/// A write indexed in bulk (a large import) finds the same contacts, and leaves FTS5's own
/// settings as the small writes after it want them; one that fails leaves them untouched.
#[test]
fn a_bulk_indexed_write_is_searchable_and_restores_the_index_settings() {
    use crate::store::search::configured;
    let (_dir, mut store) = new_store();
    let before = configured(store.conn()).unwrap();
    let failed = store.write(|tx| -> Result<(), StoreError> {
        tx.index_in_bulk()?;
        assert_eq!(configured(&tx.tx).unwrap(), (Some(16 << 20), Some(16)));
        tx.insert_contact(&person("K-0", "Plinkert"))?;
        Err(StoreError::ContactNotFound("stop".into()))
    });
    assert!(failed.is_err());
    assert_eq!(configured(store.conn()).unwrap(), before, "rolled back");

    // More than one bulk run (search::BULK_PENDING_MAX).
    let n = 20_100;
    store
        .write(|tx| -> Result<(), StoreError> {
            tx.index_in_bulk()?;
            for i in 0..n {
                tx.insert_contact(&person(&format!("K-{i}"), &format!("Zyx{i:05} Test")))?;
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(
        configured(store.conn()).unwrap(),
        (Some(1 << 20), Some(4)),
        "FTS5's defaults again"
    );
    for i in [0, 19_999, 20_000, n - 1] {
        assert_eq!(ids(&store, &format!("zyx{i:05}")), vec![format!("K-{i}")]);
    }
    assert!(ids(&store, "plinkert").is_empty());
    let rows: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM search_index", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, n as i64, "one entry per contact");
}
