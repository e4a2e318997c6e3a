//! The search as it was before the query was reshaped for speed (phone numbers by their
//! common digits plus `instr`, contacts joined after ranking), kept verbatim to prove on the
//! demo register that both give the same hits in the same order.

use chrono::DateTime;
use rusqlite::{params_from_iter, Connection};

use super::*;
use crate::domain::LedgerRecord;
use crate::store::{DbKey, Store};

fn reference_search(
    conn: &Connection,
    query: &str,
    limit: usize,
) -> Result<Vec<SearchHit>, StoreError> {
    let cleaned: String = query.chars().filter(|c| !c.is_control()).collect();
    let q = cleaned.trim();
    if q.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let lower = q.to_lowercase();
    let mut p = Params::default();

    // What counts as an exact hit (rank 0).
    let (id_a, id_b, id_c) = (
        p.push(q.to_owned()),
        p.push(q.to_uppercase()),
        p.push(lower.clone()),
    );
    let email = p.push_opt(normalise_email(q).ok());
    let e164 = if looks_like_phone(q) {
        normalise_phone(q).ok()
    } else {
        None
    };
    let phone = p.push_opt(e164.clone());
    // What counts as "starts with" (rank 1).
    let mut starts: Vec<Option<String>> = spellings(&lower)
        .into_iter()
        .map(|s| Some(format!("\n{s}")))
        .collect();
    starts.resize(3, None);
    let starts: Vec<String> = starts.into_iter().map(|s| p.push_opt(s)).collect();

    // What must match at all: one FTS5 expression plus instr() for short fragments.
    let mut fts_groups: Vec<String> = Vec::new();
    let mut filters: Vec<String> = Vec::new();
    if looks_like_phone(q) {
        // Digits as typed find partial numbers; E.164 digits find other notations of the same one.
        let mut alternatives = vec![q.chars().filter(char::is_ascii_digit).collect::<String>()];
        if let Some(number) = &e164 {
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            if !alternatives.contains(&digits) {
                alternatives.push(digits);
            }
        }
        fts_groups.push(
            alternatives
                .iter()
                .map(|a| phrase(a))
                .collect::<Vec<_>>()
                .join(" OR "),
        );
    } else {
        for token in lower.split_whitespace() {
            let variants = word_spellings(token);
            if token.chars().count() >= MIN_TRIGRAM_CHARS {
                let any = variants
                    .iter()
                    .map(|v| phrase(v))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                fts_groups.push(format!("({any})"));
            } else {
                let any = variants
                    .into_iter()
                    .map(|v| format!("instr(search_index.terms, {}) > 0", p.push(v)))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                filters.push(format!("({any})"));
            }
        }
    }
    if !fts_groups.is_empty() {
        filters.push(format!(
            "search_index MATCH {}",
            p.push(fts_groups.join(" AND "))
        ));
    }
    let cap = p.push(i64::try_from(limit.max(MAX_CANDIDATES)).unwrap_or(i64::MAX));
    let limit = p.push(i64::try_from(limit).unwrap_or(i64::MAX));

    // The first matches in index order are ranked, not all of them; the exact hits are
    // added back in case the cap cut them off (by rowid: an exact id, email, phone or
    // customer number is in `terms` anyway, and a second MATCH would double the cost).
    let sql = format!(
        "WITH exact(r) AS (
           SELECT rowid FROM contacts WHERE id IN ({id_a}, {id_b}, {id_c})
           UNION ALL SELECT contact FROM identifiers
             WHERE kind = 'customer_number' AND value IN ({id_a}, {id_b}, {id_c})
           UNION ALL SELECT contact FROM identifiers WHERE kind = 'email' AND value = {email}
           UNION ALL SELECT contact FROM identifiers WHERE kind = 'phone' AND value = {phone}
         ),
         cand(r, names, sort_name) AS (
           SELECT * FROM (
             SELECT search_index.rowid, names, sort_name FROM search_index
             WHERE {filters} LIMIT {cap}
           )
           UNION
           SELECT search_index.rowid, names, sort_name FROM search_index
           WHERE search_index.rowid IN (SELECT r FROM exact)
         )
         SELECT c.id,
           CASE
             WHEN cand.r IN (SELECT r FROM exact) THEN 0
             WHEN {starts} THEN 1
             ELSE 2
           END AS rank
         FROM cand JOIN contacts c ON c.rowid = cand.r
         ORDER BY rank, cand.sort_name, c.rowid
         LIMIT {limit}",
        starts = starts
            .iter()
            .map(|s| format!("instr(cand.names, {s}) > 0"))
            .collect::<Vec<_>>()
            .join(" OR "),
        filters = filters.join(" AND "),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let hits = stmt.query_map(params_from_iter(p.0), |r| {
        Ok(SearchHit {
            contact_id: r.get(0)?,
            rank: r.get(1)?,
        })
    })?;
    Ok(hits.collect::<Result<_, _>>()?)
}

fn queries(store: &Store) -> Vec<String> {
    let mut out: Vec<String> = [
        "müller", "Muel", "schmi", "an", "ann mü", "gmbh", "k-10", "0171", "1234", "+49 30",
        "0049", "@example",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    for c in store.contacts().unwrap().iter().step_by(7) {
        if let Some(last) = c.name.split_whitespace().last() {
            out.push(last.chars().take(5).collect());
        }
        if let Some(e) = c.emails.first() {
            out.push(e.to_uppercase());
            let local: Vec<char> = e.split('@').next().unwrap_or("").chars().collect();
            if local.len() >= 6 {
                out.push(local[1..local.len().min(9)].iter().collect());
            }
        }
        if let Some(national) = c.phones.first().and_then(|p| p.strip_prefix("+49")) {
            let (area, rest) = national.split_at(3.min(national.len()));
            out.push(format!("0{area} {rest}"));
            out.push(format!("+49 {area} {rest}"));
            out.push(format!("0049-{area}-{rest}"));
            out.push(format!("0{area}/{rest}"));
            out.push(rest.chars().take(5).collect());
        }
        if let Some(n) = &c.customer_number {
            out.push(n.clone());
        }
    }
    out
}

#[test]
fn same_hits_as_the_previous_query_on_the_demo_register() {
    let dir = tempfile::tempdir().unwrap();
    let key = DbKey::from_slice(&[3u8; 32]).unwrap();
    let mut store = Store::create(&dir.path().join("r.db"), &key).unwrap();
    let now = DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    let records = crate::demo::demo_ledger(now, 11, 1_500).unwrap();
    store
        .write(|tx| -> Result<(), StoreError> {
            for r in &records {
                if let LedgerRecord::Contact(c) = r {
                    tx.insert_contact(c)?;
                }
            }
            Ok(())
        })
        .unwrap();
    // A number held inside a longer one and in a customer number (found, not exact), and
    // one holding only the common digits (not found by a full number).
    let extra = [
        r#"{"id":"X-1","party":"consumer","name":"Lang","phones":["+4917112345678"]}"#,
        r#"{"id":"X-2","party":"business","name":"Nummer","customer_number":"A01711234567"}"#,
        r#"{"id":"X-3","party":"business","name":"Kern","customer_number":"Z1711234567Z"}"#,
        r#"{"id":"X-4","party":"consumer","name":"Kurz","phones":["+491711234567"]}"#,
    ];
    store
        .write(|tx| -> Result<(), StoreError> {
            for json in extra {
                let c = crate::domain::Contact::from_object(serde_json::from_str(json).unwrap())
                    .unwrap();
                tx.insert_contact(&c)?;
            }
            Ok(())
        })
        .unwrap();
    let mut qs = queries(&store);
    qs.extend(
        [
            "0171 1234567",
            "+49 171 1234567",
            "0049-171-1234567",
            "0171/1234567",
        ]
        .map(String::from),
    );
    assert!(qs.len() > 500, "{}", qs.len());
    let mut with_hits = 0;
    for q in &qs {
        for limit in [50, 3] {
            let new = search(store.conn(), q, limit).unwrap();
            let old = reference_search(store.conn(), q, limit).unwrap();
            assert_eq!(new, old, "{q:?} limit {limit}");
            with_hits += usize::from(!new.is_empty());
        }
    }
    assert!(
        with_hits > qs.len(),
        "most queries find someone: {with_hits}"
    );
    let full = search(store.conn(), "0171 1234567", 50).unwrap();
    let ranks: Vec<(&str, u32)> = full
        .iter()
        .map(|h| (h.contact_id.as_str(), h.rank))
        .collect();
    // Erika (K-1001) has this number too.
    assert_eq!(
        ranks,
        vec![("K-1001", 0), ("X-4", 0), ("X-1", 2), ("X-2", 2)]
    );
}

#[test]
fn phone_core_is_the_longest_common_digit_run() {
    let alts = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        phone_core(&alts(&["01711234567", "491711234567"])).as_deref(),
        Some("1711234567")
    );
    assert_eq!(
        phone_core(&alts(&["00491711234567", "491711234567"])).as_deref(),
        Some("491711234567")
    );
    assert_eq!(phone_core(&alts(&["12345"])).as_deref(), Some("12345"));
    assert_eq!(phone_core(&alts(&["12", "12"])), None);
    assert_eq!(phone_core(&alts(&["123", "456"])), None);
    assert_eq!(phone_core(&[]), None);
}
