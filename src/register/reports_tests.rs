//! The register report streams (one contact, then one event, at a time) and must state
//! exactly what the in-memory build stated before: same counts, receipts, erasures and
//! fingerprint, so reports made before the change still verify.

use chrono::{DateTime, Duration, FixedOffset};

use super::*;
use crate::domain::{Event, LedgerRecord};
use crate::report::fingerprint::sha256_hex;
use crate::report::render_register;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
}

fn made() -> Made {
    Made {
        at: now(),
        by: "auditor".into(),
    }
}

fn event(line: &str) -> Event {
    match LedgerRecord::parse(line).unwrap() {
        LedgerRecord::Event(e) => e,
        other => panic!("not an event: {other:?}"),
    }
}

/// A demo register with one person erased and events recorded after the import, out of
/// time order and interleaved across contacts (ledger order is not time order).
fn demo(dir: &tempfile::TempDir) -> Register {
    let mut reg = Register::create(&dir.path().join("r.db"), "test passphrase").unwrap();
    reg.import_records(crate::demo::demo_ledger(now(), 7, 60).unwrap())
        .unwrap();
    for line in [
        r#"{"kind":"event","contact":"K-1003","at":"2026-05-20T09:00:00+02:00","type":"consent_revoked","channels":["email"],"purposes":["*"],"via":"letter"}"#,
        r#"{"kind":"event","contact":"K-1002","at":"2025-11-02T08:30:00Z","type":"objection","scope":"all","via":"phone"}"#,
        r#"{"kind":"event","contact":"K-1004","at":"2026-05-31T23:00:00+05:30","type":"note","text":"called back"}"#,
    ] {
        reg.record(event(line)).unwrap();
    }
    reg.erase_at("K-1005", "request", true, now()).unwrap();
    reg
}

/// The register model exactly as `register_of` built it before it streamed: every event,
/// every contact's events grouped in memory, the recorded times by event id.
fn in_memory(
    reg: &Register,
    from: Option<DateTime<FixedOffset>>,
    to: DateTime<FixedOffset>,
) -> RegisterModel {
    let all = reg.store.all_events().unwrap();
    let erased = reg.store.erased_contact_ids().unwrap();
    let mut contacts: Vec<(Contact, Vec<Event>)> = reg
        .store
        .contacts()
        .unwrap()
        .into_iter()
        .filter(|c| !erased.contains(&c.id))
        .map(|c| (c, Vec::new()))
        .collect();
    let index: std::collections::HashMap<String, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.id.clone(), i))
        .collect();
    for e in &all {
        if let Some(&i) = index.get(&e.contact) {
            contacts[i].1.push(e.clone());
        }
    }
    let mut model = RegisterModel::build(
        reg.stored_controller().unwrap(),
        &contacts,
        &all,
        &reg.store.events_recorded_at().unwrap(),
        reg.store.policy().unwrap(),
        from,
        to,
        made(),
    );
    model.erasures = reg.erasures_between(from, to).unwrap();
    model
}

fn periods() -> Vec<(Option<DateTime<FixedOffset>>, DateTime<FixedOffset>)> {
    let india = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
    let long_ago = DateTime::parse_from_rfc3339("1990-01-01T00:00:00Z").unwrap();
    vec![
        (None, now()),
        (None, now() + Duration::days(3 * 365)),
        (Some(now() - Duration::days(365)), now()),
        (
            Some(now() - Duration::days(3 * 365)),
            now() - Duration::days(365),
        ),
        // Bounds in another offset: compared as instants.
        (
            Some((now() - Duration::days(230)).with_timezone(&india)),
            (now() - Duration::hours(7)).with_timezone(&india),
        ),
        // Empty: no event lies in it.
        (Some(long_ago), long_ago),
    ]
}

#[test]
fn the_streamed_register_model_equals_the_in_memory_one_for_every_period() {
    let dir = tempfile::tempdir().unwrap();
    let reg = demo(&dir);
    let all = reg.store.all_events().unwrap().len();
    for (from, to) in periods() {
        let streamed = reg.register_model(from, to, made()).unwrap();
        let reference = in_memory(&reg, from, to);
        assert_eq!(streamed, reference, "period {from:?} – {to}");
    }
    // The comparison covered real content: the erasure, receipts, every contact but one.
    let whole = reg.register_model(None, now(), made()).unwrap();
    assert_eq!((whole.contacts, whole.erasures), (59, 1));
    assert_eq!(whole.events_in_period, all);
    assert!(
        whole.revocations.len() >= 2,
        "{:?}",
        whole.revocations.len()
    );
    assert!(whole.objections.len() >= 2, "{:?}", whole.objections.len());
    let counted = |m: &RegisterModel| {
        m.counts
            .iter()
            .map(|(_, n)| n.active + n.pending + n.revoked + n.objection + n.allowed)
            .sum::<usize>()
    };
    assert!(counted(&whole) > 59, "{:?}", whole.counts);
    // The recorded events' receipt times are known.
    assert!(whole
        .revocations
        .iter()
        .any(|r| r.event.contact == "K-1003" && r.recorded_at.is_some()));
    let older = reg
        .register_model(
            Some(now() - Duration::days(3 * 365)),
            now() - Duration::days(365),
            made(),
        )
        .unwrap();
    assert!(older.events_in_period > 0 && older.events_in_period < all);
    let long_ago = DateTime::parse_from_rfc3339("1990-01-01T00:00:00Z").unwrap();
    let empty = reg
        .register_model(Some(long_ago), long_ago, made())
        .unwrap();
    assert_eq!(empty.events_in_period, 0);
    assert!(empty.revocations.is_empty() && empty.objections.is_empty());
    assert_eq!(empty.stamp.sha256, sha256_hex(""));
    assert_eq!(
        empty.contacts, 59,
        "contacts are counted whatever the period"
    );
}

#[test]
fn a_report_made_by_the_in_memory_build_still_verifies_and_a_later_event_breaks_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = demo(&dir);
    let last_year = (Some(now() - Duration::days(365)), now());
    let older = (
        Some(now() - Duration::days(3 * 365)),
        now() - Duration::days(365),
    );
    let pdf = |m: &RegisterModel| render_register(m, Lang::En).unwrap().pdf;
    let recent = pdf(&in_memory(&reg, last_year.0, last_year.1));
    let before = pdf(&in_memory(&reg, older.0, older.1));
    for report in [&recent, &before] {
        let check = reg.verify_report(report).unwrap();
        assert!(check.matches(), "{check:?}");
    }
    // An event received in the last year, recorded now: only that period's report changes.
    reg.record(event(
        r#"{"kind":"event","contact":"K-1002","at":"2026-01-15T10:00:00Z","type":"objection_withdrawn","via":"email"}"#,
    ))
    .unwrap();
    let check = reg.verify_report(&recent).unwrap();
    assert!(!check.matches(), "{check:?}");
    assert_eq!(
        check.current,
        Some(
            reg.register_model(last_year.0, last_year.1, made())
                .unwrap()
                .stamp
                .sha256
        )
    );
    assert!(reg.verify_report(&before).unwrap().matches());
}
