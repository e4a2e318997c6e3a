//! The basis must decide exactly as the whole ledger does: every demo history, every
//! channel, purpose, instant, category, target address and policy, both ways.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset};

use super::*;
use crate::domain::classification::classify_at;
use crate::domain::erasure::identifiers;
use crate::domain::{decide, Channel, LedgerRecord, Policy, Purpose, Query, QueryChannel};

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
}

/// Each demo contact with its whole ledger, in ledger order.
fn histories(seed: u64, contacts: usize) -> Vec<(Contact, Vec<Event>)> {
    let mut out: Vec<(Contact, Vec<Event>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for record in crate::demo::demo_ledger(now(), seed, contacts).unwrap() {
        match record {
            LedgerRecord::Contact(c) => {
                index.insert(c.id.clone(), out.len());
                out.push((c, Vec::new()));
            }
            LedgerRecord::Event(e) => {
                let at = index[&e.contact];
                out[at].1.push(e);
            }
        }
    }
    out
}

#[test]
fn the_basis_decides_every_demo_history_as_the_whole_ledger_does() {
    let people = histories(11, 300);
    let mut purposes: BTreeSet<String> = ["newsletter", "offers", "analytics", "profiling"]
        .map(String::from)
        .into();
    let mut categories: BTreeSet<Option<String>> = [None].into();
    for (_, events) in &people {
        for e in events {
            if let Some((_, ps)) = e.kind.consent_scope() {
                purposes.extend(
                    ps.iter()
                        .filter(|p| !p.is_wildcard())
                        .map(|p| p.to_string()),
                );
            }
            if let EventKind::Purchase {
                product_category, ..
            } = &e.kind
            {
                categories.insert(Some(product_category.clone()));
            }
        }
    }
    let categories: Vec<Option<String>> = categories.into_iter().take(4).collect();
    let policies = [
        Policy::default(),
        Policy {
            consent_stale_after_months: 0,
            ..Policy::default()
        },
    ];
    let instants = [
        now() - Duration::days(900),
        now() - Duration::days(200),
        now(),
        now() + Duration::days(700),
        now() + Duration::days(2200),
    ];
    let channels: Vec<QueryChannel> = Channel::ALL
        .into_iter()
        .map(QueryChannel::Contact)
        .chain([QueryChannel::None])
        .collect();

    let (mut decisions, mut stripped, mut notes) = (0usize, 0usize, 0usize);
    let mut reasons = BTreeSet::new();
    for (contact, events) in &people {
        let basis = DecisionBasis::of(contact, events);
        assert_eq!(basis.contact, *contact);
        notes += events.len() - basis.events.len();
        stripped += usize::from(basis.events.iter().zip(events).any(|(b, e)| b != e));
        assert_eq!(
            identifiers(contact, events),
            identifiers(&basis.contact, &basis.events),
            "{}",
            contact.id
        );
        let targets = [
            None,
            contact.emails.first().cloned(),
            contact.phones.first().cloned(),
        ];
        for at in instants {
            assert_eq!(
                classify_at(contact, events, at),
                classify_at(&basis.contact, &basis.events, at)
            );
            for policy in &policies {
                for q in queries(at, &channels, &purposes, &categories, &targets) {
                    let full = decide(contact, events, &q, policy, false);
                    let from_basis = decide(&basis.contact, &basis.events, &q, policy, false);
                    assert_eq!(full, from_basis, "{} {q:?}", contact.id);
                    reasons.insert(full.reason);
                    decisions += 1;
                }
            }
        }
    }
    // The comparison covered a real spread, and the basis really is smaller.
    assert!(decisions > 50_000, "{decisions}");
    assert!(reasons.len() >= 15, "{reasons:?}");
    assert!(stripped > 100, "{stripped}");
    assert!(notes > 0, "no note was left out");
}

#[test]
fn a_basis_grown_event_by_event_equals_the_basis_of_the_whole_ledger() {
    for (contact, events) in histories(5, 120) {
        let mut grown = DecisionBasis::new(contact.clone());
        for e in &events {
            grown.push(e);
        }
        assert_eq!(grown, DecisionBasis::of(&contact, &events));
    }
}

#[test]
fn the_basis_keeps_no_network_or_free_text_evidence() {
    for (contact, events) in histories(3, 200) {
        for e in DecisionBasis::of(&contact, &events).events {
            if matches!(e.kind, EventKind::Classified { .. }) {
                continue; // kept whole on purpose (who classified and why)
            }
            let text = serde_json::Value::Object(e.to_object()).to_string();
            for field in [
                "\"ip\"",
                "\"user_agent\"",
                "\"source_url\"",
                "\"order_ref\"",
                "\"evidence_ref\"",
                "\"via\"",
                "\"note\"",
                "\"source\"",
                "\"recorded_by\"",
            ] {
                assert!(!text.contains(field), "{field} in {text}");
            }
            assert!(!matches!(e.kind, EventKind::Note { .. }));
        }
    }
}

/// Every channel and purpose at `at`, with the variants each channel's rules look at: the
/// advertised category for email, the target address, an automated call.
fn queries(
    at: DateTime<FixedOffset>,
    channels: &[QueryChannel],
    purposes: &BTreeSet<String>,
    categories: &[Option<String>],
    targets: &[Option<String>; 3],
) -> Vec<Query> {
    let mut out = Vec::new();
    for channel in channels {
        for purpose in purposes {
            let base = Query::new(*channel, Purpose::parse(purpose).unwrap(), at);
            let with = |f: &dyn Fn(&mut Query)| {
                let mut q = base.clone();
                f(&mut q);
                q
            };
            match channel {
                QueryChannel::Contact(Channel::Email) => {
                    for category in categories {
                        out.push(with(&|q| q.category = category.clone()));
                    }
                    out.push(with(&|q| q.to = targets[1].clone()));
                }
                QueryChannel::Contact(Channel::Phone) => {
                    out.push(with(&|q| q.to = targets[2].clone()));
                    out.push(with(&|q| q.automated = true));
                }
                QueryChannel::Contact(Channel::Sms) => {
                    out.push(with(&|q| q.to = targets[2].clone()));
                }
                _ => {}
            }
            out.push(base);
        }
    }
    out
}
