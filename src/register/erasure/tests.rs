//! Erasure through the facade: what is gone, what stays blocked, the retention refusal,
//! re-imports from every source, and that `verify` still passes afterwards.

use std::io::Cursor;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::*;
use crate::domain::{Channel, Purpose, Query, QueryChannel, ReasonCode, Role};
use crate::import::mailchimp::MailchimpOptions;
use crate::import::ImportControl;
use crate::register::{MailchimpFiles, RegisterError, ScreenOptions};

const PASS: &str = "correct horse battery staple";

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn now() -> DateTime<FixedOffset> {
    at("2026-06-01T12:00:00+02:00")
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn small(dir: &tempfile::TempDir) -> Register {
    let mut reg = Register::create(&dir.path().join("r.db"), PASS).unwrap();
    let text = std::fs::read_to_string(fixture("small.jsonl")).unwrap();
    reg.import_ledger(Cursor::new(text)).unwrap();
    reg
}

fn query(channel: Channel) -> Query {
    Query::new(
        QueryChannel::Contact(channel),
        Purpose::parse("newsletter").unwrap(),
        now(),
    )
}

fn reason_for(reg: &Register, reference: &str) -> ReasonCode {
    let c = reg.resolve(reference).unwrap();
    reg.check(&c, &query(Channel::Email)).unwrap().reason
}

#[test]
fn erasure_removes_the_person_and_keeps_them_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = small(&dir);
    assert_eq!(reason_for(&reg, "K-1001"), ReasonCode::AllowConsent);
    let s = reg
        .erase_at(
            "erika@example.de",
            "Art. 17 request by letter",
            false,
            now(),
        )
        .unwrap();
    assert_eq!(s.contact, "K-1001");
    assert_eq!(s.events, 2);
    // Email, phone, address (the events' identifier is the same email).
    assert_eq!(s.suppression_entries, 3);
    assert_eq!(reg.store.suppression_hashes().unwrap().len(), 3);

    // The contact keeps its id only; every channel answers DENY_SUPPRESSION_LIST.
    let c = reg.resolve("K-1001").unwrap();
    assert!(crate::domain::erasure::is_erased(&c));
    assert!(c.emails.is_empty() && c.phones.is_empty() && c.address.is_none());
    let view = reg
        .view(&c, &Purpose::parse("newsletter").unwrap(), now())
        .unwrap();
    assert!(view
        .channels
        .iter()
        .all(|(_, d)| d.reason == ReasonCode::DenySuppressionList));
    // Events stay (the ledger's skeleton), without their personal fields.
    for e in reg.events("K-1001").unwrap() {
        let text = serde_json::Value::Object(e.to_object()).to_string();
        assert!(
            !text.contains("erika") && !text.contains("203.0.113"),
            "{text}"
        );
    }
    // Not found by any identifier or name any more.
    assert!(matches!(
        reg.resolve("erika@example.de"),
        Err(RegisterError::ContactNotFound(_))
    ));
    assert!(reg.search("Mustermann", 10, now()).unwrap().is_empty());
    assert!(reg.search("erika", 10, now()).unwrap().is_empty());

    // Nowhere in the file's tables, nor in the ledger export.
    let stored = reg.store.all_stored_text().unwrap();
    for personal in [
        "erika@example.de",
        "Mustermann",
        "1711234567",
        "Musterstr",
        "Mozilla",
    ] {
        assert!(!stored.contains(personal), "{personal} still stored");
    }
    let mut export = Vec::new();
    reg.export_ledger(&mut export).unwrap();
    let export = String::from_utf8(export).unwrap();
    assert!(
        !export.contains("K-1001") && !export.contains("erika"),
        "{export}"
    );
    assert!(export.contains("K-1002"));

    // The minimal erasure record and an audit entry naming the user.
    let record = reg.erasure_of("K-1001").unwrap().unwrap();
    assert_eq!(
        (record.user.as_str(), record.reason.as_str()),
        ("admin", "Art. 17 request by letter")
    );
    let trail = reg.audit_trail(2).unwrap();
    assert_eq!(trail[0].action, "exported");
    assert_eq!(
        (
            trail[1].action.as_str(),
            trail[1].object.as_str(),
            trail[1].user.as_str()
        ),
        ("erased", "K-1001", "admin")
    );
    assert!(
        !trail[1].detail.contains("Art. 17"),
        "no free text in the trail"
    );

    // The chain still verifies after the erasure.
    let report = reg.verify().unwrap();
    assert!(report.intact(), "{:?}", report.first_problem());
    assert_eq!(report.events, 5);

    // Twice is refused.
    assert!(matches!(
        reg.erase_at("K-1001", "again", false, now()),
        Err(RegisterError::Erasure(ErasureError::AlreadyErased(_)))
    ));
}

#[test]
fn an_erased_identifier_is_denied_without_a_contact() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = small(&dir);
    assert_eq!(reg.suppressed_stand_in("erika@example.de").unwrap(), None);
    reg.erase_at("K-1001", "request", false, now()).unwrap();
    for typed in ["Erika@Example.DE", "0171 1234567", "+49-171-1234567"] {
        let stand_in = reg.suppressed_stand_in(typed).unwrap().expect(typed);
        let d = reg.check(&stand_in, &query(Channel::Email)).unwrap();
        assert_eq!(d.reason, ReasonCode::DenySuppressionList, "{typed}");
    }
    assert_eq!(reg.suppressed_stand_in("someone@example.de").unwrap(), None);

    // What `check` resolves: a contact, the stand-in, or "not found" for anyone else.
    assert_eq!(reg.resolve_for_check("K-1002").unwrap().id, "K-1002");
    let stand_in = reg.resolve_for_check("erika@example.de").unwrap();
    let d = reg.check(&stand_in, &query(Channel::Email)).unwrap();
    assert_eq!(d.reason, ReasonCode::DenySuppressionList);
    assert!(matches!(
        reg.resolve_for_check("someone@example.de"),
        Err(RegisterError::ContactNotFound(_))
    ));
}

#[test]
fn re_imports_from_every_source_stay_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = small(&dir);
    let mut old_export = Vec::new();
    reg.export_ledger(&mut old_export).unwrap();
    reg.erase_at("K-1001", "request", false, now()).unwrap();

    // An old full export: the erased person's records are left out, nothing comes back.
    let s = reg.import_ledger(Cursor::new(old_export)).unwrap();
    assert_eq!((s.contacts_added, s.events_added), (0, 0));
    assert_eq!(s.suppressed, 3, "{s:?}");
    assert!(reg
        .store
        .all_stored_text()
        .unwrap()
        .find("Mustermann")
        .is_none());

    // A bought list in the ledger format with a new id: imported, but denied.
    let line = r#"{"kind":"contact","id":"L-1","party":"consumer","name":"E. M.","emails":["ERIKA@example.de"]}
{"kind":"event","id":"L-E1","contact":"L-1","at":"2026-05-01T10:00:00Z","type":"consent_given","channels":["email"],"purposes":["newsletter"],"method":"paper_form","consent_text_id":"CT-1"}"#;
    let s = reg.import_ledger(Cursor::new(line)).unwrap();
    assert_eq!((s.contacts_added, s.suppressed), (1, 1));
    assert_eq!(reason_for(&reg, "L-1"), ReasonCode::DenySuppressionList);

    // A CSV with the phone number.
    let csv = dir.path().join("list.csv");
    std::fs::write(&csv, "Name;Phone\nE. Mustermann;0171 1234567\n").unwrap();
    let spec = "name=Name,phone=Phone".parse().unwrap();
    let s = reg
        .import_csv(&csv, &spec, now(), &mut ImportControl::default())
        .unwrap();
    assert_eq!((s.contacts_added, s.suppressed), (1, 1), "{s:?}");
    let id = reg.store.contact_ids_by_phone("+491711234567").unwrap();
    assert_eq!(id.len(), 1);
    assert_eq!(reason_for(&reg, &id[0]), ReasonCode::DenySuppressionList);
}

#[test]
fn a_mailchimp_member_erased_stays_erased_and_screening_denies() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.db"), PASS).unwrap();
    let files = MailchimpFiles {
        subscribed: fixture("mailchimp/subscribed.csv"),
        unsubscribed: None,
        cleaned: None,
    };
    let opts = MailchimpOptions {
        consent_text_id: "CT-NEWSLETTER-v3".into(),
        purpose: Purpose::parse("newsletter").unwrap(),
        offset: FixedOffset::east_opt(0).unwrap(),
    };
    reg.import_mailchimp(&files, &opts, now(), &mut ImportControl::default())
        .unwrap();
    reg.erase_at("lena.schmidt@example.de", "request", false, now())
        .unwrap();
    let again = reg
        .import_mailchimp(&files, &opts, now(), &mut ImportControl::default())
        .unwrap();
    assert_eq!(again.suppressed, 1, "{again:?}");
    assert_eq!(again.contacts_added, 0);
    assert!(!reg.store.all_stored_text().unwrap().contains("Schmidt"));

    // List screening: the erased address, in any spelling, and its phone number.
    let list = dir.path().join("campaign.csv");
    std::fs::write(
        &list,
        "email,phone\nLENA.SCHMIDT@example.de,\n,0221 987654\njonas@example.org,\n",
    )
    .unwrap();
    let mut out = Vec::new();
    let opts = ScreenOptions {
        channel: QueryChannel::Contact(Channel::Email),
        purpose: Purpose::parse("newsletter").unwrap(),
        at: now(),
        category: None,
        email_column: None,
        phone_column: None,
        lang: crate::domain::reason::Lang::En,
    };
    let summary = reg
        .screen_list(&list, &mut out, &opts, &mut ImportControl::default())
        .unwrap();
    assert_eq!(
        summary.by_reason.get("DENY_SUPPRESSION_LIST"),
        Some(&2),
        "{summary:?}"
    );
    let out = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[1].contains("DENY_SUPPRESSION_LIST"), "{out}");
    assert!(rows[2].contains("DENY_SUPPRESSION_LIST"), "{out}");
    assert!(!rows[3].contains("DENY_SUPPRESSION_LIST"), "{out}");
    assert!(reg.verify().unwrap().intact());
}

#[test]
fn phone_consent_evidence_inside_retention_needs_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = small(&dir);
    let c = reg.resolve("K-1001").unwrap();
    let given = r#"{"kind":"event","contact":"K-1001","at":"2025-02-20T11:00:00+01:00","type":"consent_given","channels":["phone"],"purposes":["product_offers_own"],"method":"recorded_call","consent_text_id":"CT-1","verified":["phone"]}"#;
    let crate::domain::LedgerRecord::Event(e) = crate::domain::LedgerRecord::parse(given).unwrap()
    else {
        panic!("not an event")
    };
    reg.record(e).unwrap();
    assert_eq!(
        reg.retention_until(&c, now()).unwrap(),
        Some(at("2030-02-20T11:00:00+01:00"))
    );
    let err = reg.erase_at("K-1001", "request", false, now()).unwrap_err();
    assert!(err.to_string().contains("2030-02-20"), "{err}");
    assert!(err.hint().contains("--confirm-retention"));
    // Nothing happened.
    assert_eq!(reason_for(&reg, "K-1001"), ReasonCode::AllowConsent);
    assert!(reg.erasure_of("K-1001").unwrap().is_none());

    let s = reg.erase_at("K-1001", "request", true, now()).unwrap();
    assert_eq!(
        s.retention_overridden,
        Some(at("2030-02-20T11:00:00+01:00"))
    );
    // After the period no confirmation is needed (K-1002 has no phone consent at all).
    assert_eq!(
        reg.retention_until(&c, at("2030-03-01T00:00:00Z")).unwrap(),
        None
    );
    reg.erase_at("K-1002", "request", false, now()).unwrap();
}

#[test]
fn audit_entries_name_the_user_for_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut admin = Register::create(&path, PASS).unwrap();
    admin.add_user("olga", Role::Officer, PASS).unwrap();
    drop(admin);
    let mut olga = Register::open_as(&path, "olga", PASS).unwrap();
    let text = std::fs::read_to_string(fixture("small.jsonl")).unwrap();
    olga.import_ledger(Cursor::new(text)).unwrap();
    let c = olga.resolve("K-1002").unwrap();
    let objection = r#"{"kind":"event","contact":"K-1002","at":"2026-05-01T10:00:00Z","type":"objection","scope":"all","via":"phone","note":"very angry, wife is ill"}"#;
    let crate::domain::LedgerRecord::Event(e) =
        crate::domain::LedgerRecord::parse(objection).unwrap()
    else {
        panic!("not an event")
    };
    let stored = olga.record(e).unwrap();
    olga.classify(
        &c,
        crate::domain::Relationship::Customer,
        "bought twice",
        now(),
    )
    .unwrap();
    olga.evidence_report(
        &c,
        crate::i18n::Lang::En,
        crate::report::Made {
            at: now(),
            by: "olga".into(),
        },
    )
    .unwrap();
    olga.erase_at("K-1003", "request", false, now()).unwrap();
    // An officer may not read the trail; the auditor trail is read as admin.
    assert!(matches!(
        olga.audit_trail(10),
        Err(RegisterError::Forbidden { .. })
    ));
    drop(olga);
    let admin = Register::open(&path, PASS).unwrap();
    let trail = admin.audit_trail(100).unwrap();
    let find = |action: &str, object: &str| {
        trail
            .iter()
            .find(|r| r.action == action && r.object == object)
            .unwrap_or_else(|| panic!("{action} {object} in {trail:#?}"))
    };
    let objection = find("event_recorded", "K-1002");
    assert_eq!(objection.user, "olga");
    assert_eq!(objection.detail, format!("objection {}", stored.id_str()));
    assert_eq!(find("classified", "K-1002").user, "olga");
    assert_eq!(find("imported", "ledger").user, "olga");
    assert_eq!(find("report_made", "K-1002").user, "olga");
    assert_eq!(find("erased", "K-1003").user, "olga");
    for r in &trail {
        for personal in ["angry", "bought twice", "Weiß", "example.de", "request"] {
            assert!(!r.detail.contains(personal), "{r:?}");
        }
    }
    assert!(admin.verify().unwrap().intact());
}

#[test]
fn errors_name_ids_not_people_and_erased_contacts_get_no_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = small(&dir);
    // K-1002 and K-1003 share a switchboard number.
    let err = reg.resolve("030 1234567").unwrap_err().to_string();
    assert!(err.contains("K-1002") && err.contains("K-1003"), "{err}");
    for name in ["Weiß", "Käthe", "Bäckerei"] {
        assert!(!err.contains(name), "{err}");
    }

    let made = crate::report::Made {
        at: now(),
        by: "admin".into(),
    };
    let before = reg.register_model(None, now(), made.clone()).unwrap();
    assert_eq!((before.contacts, before.erasures), (3, 0));
    reg.erase_at("K-1001", "request", false, now()).unwrap();
    let erased = reg.resolve("K-1001").unwrap();
    let err = reg
        .evidence_report(&erased, crate::i18n::Lang::En, made.clone())
        .unwrap_err();
    assert!(err.to_string().contains("erased"), "{err}");
    assert!(reg
        .access_report(&erased, crate::i18n::Lang::En, made.clone())
        .is_err());
    // The register report counts the erasure, and the erased person no longer as a contact.
    let model = reg.register_model(None, now(), made).unwrap();
    assert_eq!((model.contacts, model.erasures), (2, 1));
}

#[test]
fn the_analytics_export_leaves_erased_and_suppressed_people_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = small(&dir);
    let export = |reg: &mut Register| {
        let mut out = Vec::new();
        let s = reg.export_analytics(&mut out, &[], now()).unwrap();
        (s.rows, s.left_out)
    };
    // K-1002 objected: left out already.
    assert_eq!(export(&mut reg), (2, 1));
    // Erasing Erika leaves her out; nobody else shares her identifiers.
    reg.erase_at("K-1001", "request", false, now()).unwrap();
    assert_eq!(export(&mut reg), (1, 2));
    // K-1002 shares the switchboard number with K-1003: erasing K-1002 blocks that
    // number, so K-1003 is suppressed too (LEGAL.md step 2: any identifier matches).
    reg.erase_at("K-1002", "request", false, now()).unwrap();
    assert_eq!(export(&mut reg), (0, 3));
    assert_eq!(reason_for(&reg, "K-1003"), ReasonCode::DenySuppressionList);
}
