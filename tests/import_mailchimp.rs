//! `import mailchimp`: the three export files mapped to contacts and events, checked event
//! by event; re-import adds nothing; a bad row imports nothing; --skip-invalid reports.

mod common;
use common::*;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn mc(name: &str) -> String {
    fixture(&format!("mailchimp/{name}"))
        .to_str()
        .unwrap()
        .to_owned()
}

fn import_all(db: &Path) -> Value {
    ok(
        db,
        &[
            "import",
            "mailchimp",
            "--subscribed",
            &mc("subscribed.csv"),
            "--unsubscribed",
            &mc("unsubscribed.csv"),
            "--cleaned",
            &mc("cleaned.csv"),
            "--consent-text-id",
            "CT-MC-NEWSLETTER-1",
            "--purpose",
            "newsletter",
            "--json",
        ],
    )
    .json()
}

fn records(ledger: &str) -> Vec<Value> {
    ledger
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn contact_by_email<'a>(recs: &'a [Value], email: &str) -> &'a Value {
    recs.iter()
        .find(|r| {
            r["kind"] == "contact"
                && r["emails"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|e| e == email))
        })
        .unwrap_or_else(|| panic!("no contact with {email}"))
}

fn events_of<'a>(recs: &'a [Value], contact: &Value) -> Vec<&'a Value> {
    recs.iter()
        .filter(|r| r["kind"] == "event" && r["contact"] == contact["id"])
        .collect()
}

fn check(db: &Path, email: &str, at: &str) -> (i32, Value) {
    let r = consentry(
        db,
        Some(PASS),
        &[
            "check",
            email,
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--at",
            at,
            "--json",
        ],
    );
    (r.code, r.json())
}

#[test]
fn the_three_files_become_contacts_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let s = import_all(&db);
    assert_eq!(s["rows"], 6);
    assert_eq!(s["rejected"], 0);
    assert_eq!(s["contacts_added"], 5, "{s}");
    assert_eq!(s["contacts_matched"], 1, "erika@example.de is K-1001");
    assert_eq!(s["contacts_changed"], 1);
    // Lena 2, Jonas 1, legacy 1, Anna 3, Erika note + tag change 2, Bruno 2 + note 1.
    assert_eq!(s["events_added"], 12);

    let recs = records(&export(&db, dir.path(), "after.jsonl"));

    // Subscribed with double opt-in: request and confirmation, with the merge fields.
    let lena = contact_by_email(&recs, "lena.schmidt@example.de");
    assert!(lena["id"].as_str().unwrap().starts_with("MC-"));
    assert_eq!(lena["name"], "Lena Schmidt");
    assert_eq!(lena["party"], "consumer");
    assert_eq!(lena["phones"][0], "+49221987654");
    assert_eq!(lena["address"]["street"], "Hauptstr. 5");
    assert_eq!(lena["address"]["city"], "Köln");
    assert_eq!(lena["address"]["postcode"], "50667");
    assert_eq!(lena["address"]["country"], "DE");
    let ev = events_of(&recs, lena);
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0]["type"], "consent_requested");
    assert_eq!(ev[0]["at"], "2025-02-01T08:00:00+00:00");
    assert_eq!(ev[0]["channels"], serde_json::json!(["email"]));
    assert_eq!(ev[0]["purposes"], serde_json::json!(["newsletter"]));
    assert_eq!(ev[0]["method"], "mailchimp_signup");
    assert_eq!(ev[0]["prechecked"], false);
    assert_eq!(ev[0]["consent_text_id"], "CT-MC-NEWSLETTER-1");
    assert_eq!(ev[0]["identifier"], "lena.schmidt@example.de");
    assert_eq!(ev[0]["ip"], "203.0.113.20");
    assert_eq!(ev[0]["source"], "mailchimp_import");
    assert_eq!(ev[1]["type"], "consent_confirmed");
    assert_eq!(ev[1]["at"], "2025-02-01T08:07:30+00:00");
    assert_eq!(ev[1]["verified"], serde_json::json!(["email"]));
    assert_eq!(ev[1]["identifier"], "lena.schmidt@example.de");
    assert_eq!(ev[1]["ip"], "203.0.113.21");

    // Single opt-in only: the request, still pending.
    let jonas = contact_by_email(&recs, "jonas@example.org");
    assert_eq!(jonas["name"], "Jonas Weiß");
    let ev = events_of(&recs, jonas);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["type"], "consent_requested");
    assert_eq!(ev[0]["ip"], "198.51.100.7");

    // No sign-up record at all: kept as a legacy consent at LAST_CHANGED, name = address.
    let legacy = contact_by_email(&recs, "legacy@example.com");
    assert_eq!(legacy["name"], "legacy@example.com");
    let ev = events_of(&recs, legacy);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["type"], "consent_given");
    assert_eq!(ev[0]["method"], "legacy_import");
    assert_eq!(ev[0]["at"], "2024-06-01T12:00:00+00:00");

    // Unsubscribed (columns in another order): opt-in, confirmation, revocation with reason.
    let anna = contact_by_email(&recs, "anna@example.de");
    assert_eq!(anna["name"], "Anna Becker");
    let ev = events_of(&recs, anna);
    let types: Vec<&str> = ev.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["consent_requested", "consent_confirmed", "consent_revoked"]
    );
    assert_eq!(ev[2]["at"], "2025-04-01T18:30:00+00:00");
    assert_eq!(ev[2]["via"], "mailchimp_unsubscribe");
    assert_eq!(ev[2]["channels"], serde_json::json!(["email"]));
    let note = ev[2]["note"].as_str().unwrap();
    assert!(
        note.contains("I no longer want to receive these emails"),
        "{note}"
    );
    assert!(note.contains("April-Newsletter"), "{note}");

    // Cleaned, existing contact: not a consent event, a note and the tag (via contact_changed).
    let erika = contact_by_email(&recs, "erika@example.de");
    assert_eq!(erika["id"], "K-1001");
    assert_eq!(erika["name"], "Erika Mustermann", "existing data is kept");
    assert_eq!(erika["tags"], serde_json::json!(["undeliverable"]));
    let ev = events_of(&recs, erika);
    let new: Vec<&&Value> = ev
        .iter()
        .filter(|e| e["source"] == "mailchimp_import")
        .collect();
    assert_eq!(new.len(), 2);
    assert!(new
        .iter()
        .all(|e| !e["type"].as_str().unwrap().starts_with("consent")));
    assert!(new.iter().any(|e| e["type"] == "note"
        && e["text"].as_str().unwrap().contains("undeliverable")
        && e["note"] == "campaign: Mai-Newsletter"));
    assert!(new
        .iter()
        .any(|e| e["type"] == "contact_changed" && e["field"] == "tags"));

    // Cleaned, new contact: created with the tag, its sign-up events and the note.
    let bruno = contact_by_email(&recs, "bounce@example.net");
    assert_eq!(bruno["tags"], serde_json::json!(["undeliverable"]));
    let types: Vec<&str> = events_of(&recs, bruno)
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["consent_requested", "consent_confirmed", "note"]);

    // And the rules read them as the law says.
    let at = "2025-06-01T12:00:00Z";
    let (code, d) = check(&db, "lena.schmidt@example.de", at);
    assert_eq!(
        (code, d["reason"].as_str().unwrap()),
        (0, "ALLOW_CONSENT"),
        "{d}"
    );
    let (code, d) = check(&db, "jonas@example.org", at);
    assert_eq!(
        (code, d["reason"].as_str().unwrap()),
        (1, "DENY_DOI_PENDING")
    );
    let (_, d) = check(&db, "legacy@example.com", at);
    assert_eq!(d["reason"], "DENY_CONSENT_UNDOCUMENTED");
    let (_, d) = check(&db, "anna@example.de", at);
    assert_eq!(d["reason"], "DENY_CONSENT_REVOKED");
}

#[test]
fn importing_the_same_export_twice_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    import_all(&db);
    let first = export(&db, dir.path(), "one.jsonl");
    let again = import_all(&db);
    assert_eq!(again["contacts_added"], 0, "{again}");
    assert_eq!(again["events_added"], 0);
    assert_eq!(again["contacts_changed"], 0);
    assert_eq!(
        again["events_unchanged"], 11,
        "every event but the tag change is found again"
    );
    assert_eq!(again["contacts_matched"], 6);
    assert_eq!(first, export(&db, dir.path(), "two.jsonl"));
}

#[test]
fn timezone_gives_the_offset_of_the_exports_times() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    ok(&db, &["init"]);
    ok(
        &db,
        &[
            "import",
            "mailchimp",
            "--subscribed",
            &mc("subscribed.csv"),
            "--consent-text-id",
            "CT-1",
            "--purpose",
            "newsletter",
            "--timezone",
            "+01:00",
        ],
    );
    let recs = records(&export(&db, dir.path(), "l.jsonl"));
    let lena = contact_by_email(&recs, "lena.schmidt@example.de");
    let ev = events_of(&recs, lena);
    assert_eq!(
        ev[0]["at"], "2025-02-01T08:00:00+01:00",
        "07:00 UTC, written with the offset given"
    );
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "import",
            "mailchimp",
            "--subscribed",
            &mc("subscribed.csv"),
            "--consent-text-id",
            "CT-1",
            "--purpose",
            "newsletter",
            "--timezone",
            "Europe/Berlin",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("fixed offset"), "{}", r.stderr);
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const HEADER: &str = "Email Address,First Name,OPTIN_TIME,CONFIRM_TIME,Phone Number";

#[test]
fn a_bad_row_imports_nothing_and_names_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    // Compared by content, not bytes: an import switches the file to a rollback journal and
    // back (store/journal.rs), which rewrites the header page, re-encrypted.
    let before = export(&db, dir.path(), "before.jsonl");
    let cases = [
        (
            "a@x.de,A,2025-01-01 10:00:00,,\nnot-an-address,B,2025-01-01 10:00:00,,\n",
            "row 2",
            "column `Email Address`",
        ),
        (
            "a@x.de,A,2025-01-01 10:00:00,,\nb@x.de,B,01.01.2025,,\n",
            "row 2",
            "column `OPTIN_TIME`",
        ),
        (
            "a@x.de,A,2025-01-01 10:00:00,,12345\n",
            "row 1",
            "column `Phone Number`",
        ),
    ];
    for (case, (rows, row, column)) in cases.into_iter().enumerate() {
        let f = write(dir.path(), "s.csv", &format!("{HEADER}\n{rows}"));
        let r = consentry(
            &db,
            Some(PASS),
            &[
                "import",
                "mailchimp",
                "--subscribed",
                f.to_str().unwrap(),
                "--consent-text-id",
                "CT-1",
                "--purpose",
                "newsletter",
            ],
        );
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(row) && r.stderr.contains(column),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
        assert_eq!(
            export(&db, dir.path(), &format!("after-{case}.jsonl")),
            before,
            "register unchanged"
        );
        assert!(!dir.path().join("reg.db-journal").exists());
    }
    // A file without the email column is refused before anything is read.
    let f = write(
        dir.path(),
        "n.csv",
        "Mail,OPTIN_TIME\na@x.de,2025-01-01 10:00:00\n",
    );
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "import",
            "mailchimp",
            "--subscribed",
            f.to_str().unwrap(),
            "--consent-text-id",
            "CT-1",
            "--purpose",
            "newsletter",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Email Address"), "{}", r.stderr);
}

#[test]
fn skip_invalid_imports_the_rest_and_reports_the_rejected_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    ok(&db, &["init"]);
    let f = write(
        dir.path(),
        "s.csv",
        &format!(
            "{HEADER}\na@x.de,A,2025-01-01 10:00:00,2025-01-01 10:05:00,\nkaputt,B,2025-01-01 10:00:00,,\nc@x.de,C,2025-01-01 10:00:00,,0171 1234567\nd@x.de,D,gestern,,\n"
        ),
    );
    let report = dir.path().join("rejected.csv");
    let s = ok(
        &db,
        &[
            "import",
            "mailchimp",
            "--subscribed",
            f.to_str().unwrap(),
            "--consent-text-id",
            "CT-1",
            "--purpose",
            "newsletter",
            "--skip-invalid",
            report.to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(s["rows"], 4);
    assert_eq!(s["rejected"], 2);
    assert_eq!(s["contacts_added"], 2);
    assert_eq!(s["events_added"], 3);
    let text = std::fs::read_to_string(&report).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "file,row,line,column,problem,Email Address,First Name,OPTIN_TIME,CONFIRM_TIME,Phone Number"
    );
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[1].starts_with("s.csv,2,3,Email Address,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("not an email address"), "{}", lines[1]);
    assert!(
        lines[1].ends_with(",kaputt,B,2025-01-01 10:00:00,,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("s.csv,4,5,OPTIN_TIME,"),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains("gestern"), "{}", lines[2]);
    // The report never overwrites.
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "import",
            "mailchimp",
            "--subscribed",
            f.to_str().unwrap(),
            "--consent-text-id",
            "CT-1",
            "--purpose",
            "newsletter",
            "--skip-invalid",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exists"), "{}", r.stderr);
}

#[test]
fn a_known_member_gains_missing_merge_fields_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let f = write(
        dir.path(),
        "s.csv",
        "Email Address,First Name,Last Name,Phone Number,Address,Company,OPTIN_TIME,CONFIRM_TIME\n\
         erika@example.de,Erika,Neu,0170 5555555,Anderswo 1  Hamburg  HH  20095  DE,Muster AG,2025-05-01 10:00:00,2025-05-01 10:05:00\n",
    );
    let args = [
        "import",
        "mailchimp",
        "--subscribed",
        f.to_str().unwrap(),
        "--consent-text-id",
        "CT-1",
        "--purpose",
        "newsletter",
        "--json",
    ];
    let s = ok(&db, &args).json();
    assert_eq!(s["contacts_matched"], 1, "{s}");
    assert_eq!(
        s["events_added"], 4,
        "request, confirmation, phones, company: {s}"
    );
    let recs = records(&export(&db, dir.path(), "l.jsonl"));
    let erika = contact_by_email(&recs, "erika@example.de");
    assert_eq!(erika["name"], "Erika Mustermann");
    assert_eq!(erika["phones"][1], "+491705555555");
    assert_eq!(erika["company"], "Muster AG");
    assert_eq!(
        erika["address"]["city"], "Berlin",
        "an address is never overwritten"
    );
    let fields: Vec<&str> = events_of(&recs, erika)
        .iter()
        .filter(|e| e["type"] == "contact_changed")
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["phones", "company"]);
    let again = ok(&db, &args).json();
    assert_eq!(again["events_added"], 0, "{again}");
}
