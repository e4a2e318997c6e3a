//! The stored basis round-trips every demo history and rejects damaged bytes.

use super::*;
use crate::domain::LedgerRecord;

#[test]
fn every_demo_ledger_round_trips_whole_and_as_basis() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    let mut contacts = std::collections::HashMap::new();
    let mut order = Vec::new();
    for record in crate::demo::demo_ledger(now, 9, 300).unwrap() {
        match record {
            LedgerRecord::Contact(c) => {
                order.push(c.id.clone());
                contacts.insert(c.id.clone(), (c, Vec::new()));
            }
            LedgerRecord::Event(e) => contacts.get_mut(&e.contact).unwrap().1.push(e),
        }
    }
    let mut types = std::collections::BTreeSet::new();
    for id in order {
        let (c, events) = &contacts[&id];
        // Whole (every field of every type, as erasure and future kept fields need)…
        let whole = DecisionBasis {
            contact: c.clone(),
            events: events.clone(),
        };
        assert_eq!(decode(&encode(&whole)).unwrap(), whole);
        // …and as the basis keeps it.
        let basis = DecisionBasis::of(c, events);
        let bytes = encode(&basis);
        assert_eq!(decode(&bytes).unwrap(), basis);
        types.extend(events.iter().map(|e| e.kind.type_name()));
    }
    assert_eq!(
        types.len(),
        crate::domain::event::EVENT_TYPES.len(),
        "{types:?}"
    );
}

#[test]
fn instants_keep_fractions_of_a_second_and_their_offset() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    let mut records = crate::demo::demo_ledger(now, 2, 3).unwrap().into_iter();
    let Some(LedgerRecord::Contact(c)) = records.next() else {
        panic!("the demo starts with a contact");
    };
    let mut events: Vec<Event> = records
        .filter_map(|r| match r {
            LedgerRecord::Event(e) if e.contact == c.id => Some(e),
            _ => None,
        })
        .collect();
    assert!(events.len() >= 3, "{}", events.len());
    for (e, at) in events.iter_mut().zip([
        "2025-02-01T09:00:00.123456789+05:30",
        "1969-12-31T23:59:59.999-01:00",
        "2025-02-01T09:00:00.5Z",
    ]) {
        e.at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    }
    let whole = DecisionBasis { contact: c, events };
    let back = decode(&encode(&whole)).unwrap();
    assert_eq!(back, whole);
    assert_eq!(
        back.events[0].at.to_rfc3339(),
        "2025-02-01T09:00:00.123456789+05:30"
    );
}

#[test]
fn damaged_or_foreign_bytes_are_errors_not_panics() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    let LedgerRecord::Contact(c) = crate::demo::demo_ledger(now, 1, 1).unwrap().remove(0) else {
        panic!("the demo starts with a contact");
    };
    let bytes = encode(&DecisionBasis::new(c));
    for cut in 0..bytes.len() {
        assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut other = bytes.clone();
    other[0] = VERSION + 1;
    assert!(decode(&other).unwrap_err().to_string().contains("version"));
    let mut longer = bytes;
    longer.push(0);
    assert!(decode(&longer).is_err());
    // Arbitrary bytes never panic.
    let mut x: u32 = 12345;
    for _ in 0..2000 {
        let junk: Vec<u8> = (0..64)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        let _ = decode(&junk);
    }
}
