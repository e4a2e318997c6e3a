//! Report models from domain data alone: decisions per channel and purpose, § 7a UWG
//! keep-until, register counts, receipts with known and unknown recording times.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::controller::Controller;
use super::fingerprint::{sha256_hex, Scope};
use super::model::{purposes_on_record, EvidenceModel, Made, RegisterModel, RegisterTally};
use crate::domain::event::parse_instant;
use crate::domain::{Channel, Contact, Event, LedgerRecord, Policy, ReasonCode};

fn parse(lines: &str) -> (Vec<Contact>, Vec<Event>) {
    let (mut cs, mut es) = (Vec::new(), Vec::new());
    for l in lines.lines().filter(|l| !l.trim().is_empty()) {
        match LedgerRecord::parse(l).unwrap() {
            LedgerRecord::Contact(c) => cs.push(c),
            LedgerRecord::Event(e) => es.push(e),
        }
    }
    (cs, es)
}

const LEDGER: &str = r#"
{"kind":"contact","id":"K-1","party":"consumer","name":"Anna Öztürk","phones":["+49 171 1111111"]}
{"kind":"event","id":"E-1","contact":"K-1","at":"2025-01-10T10:00:00+01:00","type":"consent_given","channels":["phone"],"purposes":["product_offers_own"],"method":"recorded_call","consent_text_id":"CT-CALL","verified":["phone"]}
{"kind":"event","id":"E-2","contact":"K-1","at":"2025-03-01T10:00:00+01:00","type":"marketing_sent","channel":"phone","purpose":"product_offers_own"}
{"kind":"contact","id":"K-2","party":"consumer","name":"Bernd Groß"}
{"kind":"event","id":"E-3","contact":"K-2","at":"2025-02-01T10:00:00Z","type":"consent_given","channels":["email"],"purposes":["newsletter"],"method":"paper_form","consent_text_id":"CT-1"}
{"kind":"event","id":"E-4","contact":"K-2","at":"2025-02-05T10:00:00Z","type":"objection","scope":"channels","channels":["email"],"via":"letter"}
{"kind":"event","id":"E-5","contact":"K-2","at":"2025-04-05T10:00:00Z","type":"consent_revoked","channels":["email"],"purposes":["*"],"via":"email"}
"#;

fn made(at: &str) -> Made {
    Made {
        at: parse_instant(at, "at").unwrap(),
        by: "tester".into(),
    }
}

#[test]
fn evidence_decides_every_channel_for_every_purpose_and_keeps_phone_evidence() {
    let (cs, es) = parse(LEDGER);
    let events: Vec<Event> = es.iter().filter(|e| e.contact == "K-1").cloned().collect();
    let m = EvidenceModel::build(
        Controller::default(),
        cs[0].clone(),
        events,
        Policy::default(),
        made("2025-06-01T12:00:00+02:00"),
    );
    assert_eq!(m.decisions.len(), 4, "4 channels × 1 purpose");
    let phone = m
        .decisions
        .iter()
        .find(|d| d.channel == Channel::Phone)
        .unwrap();
    assert_eq!(phone.decision.reason, ReasonCode::AllowConsent);
    // Five years after the last use (the call campaign of 1 March 2025).
    assert_eq!(
        m.phone_keep_until(),
        Some(parse_instant("2030-03-01T10:00:00+01:00", "x").unwrap())
    );
    assert_eq!(m.stamp.scope, Scope::Contact("K-1".into()));
    assert_eq!(m.stamp.sha256.len(), 64);
}

#[test]
fn phone_evidence_is_kept_after_the_consent_is_revoked() {
    let (cs, mut es) = parse(LEDGER);
    es.retain(|e| e.contact == "K-1");
    let (_, revoked) = parse(
        r#"{"kind":"event","id":"E-9","contact":"K-1","at":"2025-04-01T10:00:00+02:00","type":"consent_revoked","channels":["phone"],"purposes":["product_offers_own"],"via":"phone"}"#,
    );
    es.extend(revoked);
    let m = EvidenceModel::build(
        Controller::default(),
        cs[0].clone(),
        es,
        Policy::default(),
        made("2025-06-01T12:00:00+02:00"),
    );
    let phone = m
        .decisions
        .iter()
        .find(|d| d.channel == Channel::Phone)
        .unwrap();
    assert_ne!(phone.decision.reason, ReasonCode::AllowConsent, "revoked");
    assert_eq!(
        phone.decision.keep_until, None,
        "no active consent to decide on"
    );
    // The duty to keep the evidence outlives the revocation (§ 7a Abs. 2 UWG).
    assert_eq!(
        m.phone_keep_until(),
        Some(parse_instant("2030-03-01T10:00:00+01:00", "x").unwrap())
    );
}

#[test]
fn without_any_purpose_on_record_newsletter_stands_in() {
    assert_eq!(purposes_on_record(&[])[0].as_str(), "newsletter");
}

#[test]
fn register_counts_and_receipts_with_known_and_unknown_recording_times() {
    let (cs, es) = parse(LEDGER);
    let contacts: Vec<(Contact, Vec<Event>)> = cs
        .iter()
        .map(|c| {
            let evs = es.iter().filter(|e| e.contact == c.id).cloned().collect();
            (c.clone(), evs)
        })
        .collect();
    let mut recorded: HashMap<String, DateTime<Utc>> = HashMap::new();
    // E-5 was received 5 April 10:00 UTC and recorded two days and three hours later.
    recorded.insert(
        "E-5".into(),
        parse_instant("2025-04-07T13:00:00Z", "x")
            .unwrap()
            .with_timezone(&Utc),
    );
    let from = Some(parse_instant("2025-02-01T00:00:00Z", "from").unwrap());
    let to = parse_instant("2025-12-31T23:59:59Z", "to").unwrap();
    let m = RegisterModel::build(
        Controller::default(),
        &contacts,
        &es,
        &recorded,
        Policy::default(),
        from,
        to,
        made("2026-01-02T09:00:00+01:00"),
    );
    assert_eq!(m.contacts, 2);
    // E-1 (10 January) is before the period.
    assert_eq!(m.events_in_period, 4);
    assert_eq!(m.revocations.len(), 1);
    assert_eq!(
        m.revocations[0].delay_seconds(),
        Some(2 * 86_400 + 3 * 3600)
    );
    assert_eq!(m.objections.len(), 1);
    assert_eq!(
        m.objections[0].recorded_at, None,
        "stored before it was kept"
    );
    assert_eq!(m.objections[0].delay_seconds(), None);
    assert_eq!(m.erasures, 0);
    let count = |c: Channel| m.counts.iter().find(|(x, _)| *x == c).unwrap().1;
    let email = count(Channel::Email);
    assert_eq!((email.revoked, email.objection, email.allowed), (1, 1, 0));
    assert_eq!(email.none, 1, "K-1 never consented by email");
    let phone = count(Channel::Phone);
    // K-1's phone consent went stale (18 months after last use) only in September 2026.
    assert_eq!((phone.active, phone.allowed), (1, 1));
    let letter = count(Channel::Letter);
    assert_eq!(letter.allowed, 2);
    // The fingerprint covers exactly the period's events.
    let period: String = es[1..]
        .iter()
        .map(|e| format!("{}\n", LedgerRecord::Event(e.clone()).to_line()))
        .collect();
    assert_eq!(m.stamp.sha256, sha256_hex(&period));
}

#[test]
fn the_register_document_says_when_recording_times_are_unknown() {
    use super::doc::Block;
    use crate::i18n::Lang;
    let (cs, es) = parse(LEDGER);
    let contacts: Vec<(Contact, Vec<Event>)> = cs
        .iter()
        .map(|c| {
            (
                c.clone(),
                es.iter().filter(|e| e.contact == c.id).cloned().collect(),
            )
        })
        .collect();
    let to = parse_instant("2025-12-31T23:59:59Z", "to").unwrap();
    let m = RegisterModel::build(
        Controller::default(),
        &contacts,
        &es,
        &HashMap::new(),
        Policy::default(),
        None,
        to,
        made("2026-01-02T09:00:00+01:00"),
    );
    for (lang, needle) in [(Lang::De, "unbekannt"), (Lang::En, "unknown")] {
        let doc = super::register_doc::document(lang, &m);
        let paragraphs: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(s, _) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            paragraphs
                .iter()
                .any(|p| p.contains("2") && p.contains(needle)),
            "{lang:?}: {paragraphs:?}"
        );
        assert!(doc.keywords[0].contains("kind=register;from=-;to=2025-12-31T23:59:59"));
    }
}

#[test]
fn the_register_tally_states_what_the_in_memory_build_states() {
    let (cs, es) = parse(LEDGER);
    let contacts: Vec<(Contact, Vec<Event>)> = cs
        .iter()
        .map(|c| {
            let evs = es.iter().filter(|e| e.contact == c.id).cloned().collect();
            (c.clone(), evs)
        })
        .collect();
    let mut recorded: HashMap<String, DateTime<Utc>> = HashMap::new();
    recorded.insert(
        "E-5".into(),
        parse_instant("2025-04-07T13:00:00Z", "x")
            .unwrap()
            .with_timezone(&Utc),
    );
    let at = |s: &str| parse_instant(s, "x").unwrap();
    for (from, to) in [
        (None, at("2025-12-31T23:59:59Z")),
        (Some(at("2025-02-01T00:00:00Z")), at("2025-12-31T23:59:59Z")),
        (
            Some(at("2025-02-05T11:00:00+01:00")),
            at("2025-04-05T12:00:00+02:00"),
        ),
        (None, at("2025-01-01T00:00:00Z")),
    ] {
        let built = RegisterModel::build(
            Controller::default(),
            &contacts,
            &es,
            &recorded,
            Policy::default(),
            from,
            to,
            made("2026-01-02T09:00:00+01:00"),
        );
        let mut tally = RegisterTally::new(Policy::default(), from, to);
        for (c, evs) in &contacts {
            tally.add_contact(c, evs);
        }
        for e in &es {
            tally.add_event(e, recorded.get(e.id_str()).copied());
        }
        let streamed = tally.finish(Controller::default(), made("2026-01-02T09:00:00+01:00"));
        assert_eq!(streamed, built, "{from:?} – {to}");
    }
}
