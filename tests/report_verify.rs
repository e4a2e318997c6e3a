//! `verify-report` and the register report: the fingerprint follows the ledger content a
//! report states, and a report that no longer matches exits 4 with one line on stderr.

mod report_common;
use report_common::*;

fn verify(db: &std::path::Path, pdf: &std::path::Path) -> Run {
    run_as(
        db,
        &["--lang", "en", "verify-report", pdf.to_str().unwrap()],
    )
}

fn stamp(pdf: &std::path::Path) -> String {
    pdf_info(pdf)["Keywords"].clone()
}

#[test]
fn evidence_fingerprint_changes_when_an_event_is_added() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    let before = report(&db, dir.path(), "de", &["evidence", "K-2001"], "before.pdf");
    let access = report(&db, dir.path(), "en", &["access", "K-2001"], "access.pdf");
    let other = report(&db, dir.path(), "de", &["evidence", "K-2002"], "other.pdf");
    for pdf in [&before, &access, &other] {
        let r = verify(&db, pdf);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("matches the register"), "{}", r.stdout);
    }
    // The same content gives the same fingerprint, whatever the language or report kind.
    let sha = |pdf: &std::path::Path| stamp(pdf).rsplit('=').next().unwrap().to_owned();
    assert_eq!(sha(&before), sha(&access));

    let rec = run_as(
        &db,
        &["record", "K-2001", "objection_withdrawn", "--via", "phone"],
    );
    assert_eq!(rec.code, 0, "{}", rec.stderr);

    for pdf in [&before, &access] {
        let r = verify(&db, pdf);
        assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
        assert!(r.stderr.contains("NO LONGER matches"), "{}", r.stderr);
    }
    // Another contact's report is untouched by it.
    assert_eq!(verify(&db, &other).code, 0);
    let after = report(&db, dir.path(), "de", &["evidence", "K-2001"], "after.pdf");
    assert_ne!(sha(&before), sha(&after));
    assert_eq!(verify(&db, &after).code, 0);

    let json = run_as(&db, &["verify-report", before.to_str().unwrap(), "--json"]);
    assert_eq!(json.code, 4);
    let v = json.json();
    assert_eq!(v["matches"], false);
    assert_eq!(v["stated_sha256"], sha(&before));
    assert_eq!(v["current_sha256"], sha(&after));
}

#[test]
fn the_fingerprint_is_the_contacts_slice_of_the_ledger_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    let pdf = report(&db, dir.path(), "en", &["evidence", "K-2001"], "e.pdf");
    let export = export(&db, dir.path(), "all.jsonl");
    // The contact line and its events, exactly as exported, each with its newline.
    let slice: String = export
        .lines()
        .filter(|l| l.contains("\"K-2001\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(slice.lines().count(), 6);
    let out = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(slice.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let expected = String::from_utf8(out.stdout).unwrap();
    let expected = expected.split_whitespace().next().unwrap();
    assert!(
        stamp(&pdf).ends_with(&format!("sha256={expected}")),
        "{}",
        stamp(&pdf)
    );
}

#[test]
fn register_report_counts_receipts_and_verifies_its_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    let pdf = report(
        &db,
        dir.path(),
        "de",
        &["register", "--from", "2025-01-01", "--to", "2025-12-31"],
        "reg.pdf",
    );
    qpdf_check(&pdf);
    let text = pdf_text(&pdf, None);
    for needle in [
        "Registerbericht",
        "Zeitraum: 01.01.2025 00:00:00",
        "Widerrufe im Zeitraum (1)",
        "Widersprüche im Zeitraum (1)",
        "EV-A5",
        "EV-B3",
        "K-2001",
        "K-2002",
        "Löschungen im Zeitraum",
        "Einwilligung veraltet nach",
        "Seite 1 von",
        "Dauer bis zur Erfassung",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
    assert!(stamp(&pdf).contains("kind=register;from=2025-01-01T00:00:00"));
    assert_eq!(verify(&db, &pdf).code, 0);

    // An event after the period leaves the report valid …
    let later = run_as(
        &db,
        &["record", "K-2002", "note", "--text", "Rückruf erbeten"],
    );
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert_eq!(verify(&db, &pdf).code, 0);
    // … one inside it does not.
    let inside = run_as(
        &db,
        &[
            "record",
            "K-2002",
            "objection",
            "--scope",
            "all",
            "--via",
            "letter",
            "--at",
            "2025-08-01T10:00:00+02:00",
        ],
    );
    assert_eq!(inside.code, 0, "{}", inside.stderr);
    let r = verify(&db, &pdf);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1);

    // The new objection was recorded now, long after it was received: the delay shows.
    let en = report(
        &db,
        dir.path(),
        "en",
        &["register", "--from", "2025-01-01"],
        "en.pdf",
    );
    let text = pdf_text(&en, None);
    assert!(text.contains("Objections in the period (2)"), "{text}");
    assert!(text.contains("Register report"));
    assert!(text.contains(" d "), "no delay in days: {text}");
}

#[test]
fn verify_report_refuses_files_that_are_not_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    let junk = dir.path().join("junk.pdf");
    std::fs::write(&junk, b"%PDF-1.4\nnothing here\n%%EOF").unwrap();
    let r = verify(&db, &junk);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no Consentry fingerprint"),
        "{}",
        r.stderr
    );
    let missing = verify(&db, &dir.path().join("nope.pdf"));
    assert_eq!(missing.code, 2);
    let out = dir.path().join("never.pdf");
    let backwards = run_as(
        &db,
        &[
            "report",
            "register",
            "--from",
            "2025-06-01",
            "--to",
            "2025-01-01",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(backwards.code, 2, "{}", backwards.stderr);
    assert!(backwards.stderr.contains("--from"), "{}", backwards.stderr);
    assert!(!out.exists());
}
