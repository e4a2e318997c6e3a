//! The evidence report (Einwilligungsnachweis) and the access report (Art. 15), read back
//! with poppler: names with umlauts, every event, reason codes, explanations, metadata.

mod report_common;
use report_common::*;

/// Every event id of a contact, as the register lists them.
fn event_ids(db: &std::path::Path, contact: &str) -> Vec<String> {
    let v = ok(db, &["show", contact, "--json"]).json();
    v["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no events in {v}"))
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn german_evidence_report_states_person_events_decisions_and_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    let pdf = report(&db, dir.path(), "de", &["evidence", "K-2001"], "k.pdf");
    qpdf_check(&pdf);
    let text = pdf_text(&pdf, None);
    for needle in [
        "Einwilligungsnachweis",
        "Jürgen Weiß-Ölmüller",
        "Königsallee 5, 40212 Düsseldorf, DE",
        "Bestandskunde",
        // who, how, proven by what
        "CT-NEWSLETTER-v3",
        "203.0.113.10",
        "203.0.113.11",
        "REC-2025-00042",
        "agent.schmidt",
        "Firefox/133.0",
        // times in local time and UTC
        "01.02.2025 09:00:00 (+01:00)",
        "01.02.2025 08:00:00 UTC",
        // the decisions with reason code and German explanation
        "DENY_OBJECTION",
        "Die Person hat der Werbung widersprochen — nicht kontaktieren.",
        "Art. 21(2),(3) DSGVO",
        // § 7a UWG: phone consent given 02.04.2025 → keep until 02.04.2030
        "02.04.2030",
        "Seite 1 von",
        "prüferin.öz",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
    for id in event_ids(&db, "K-2001") {
        assert!(text.contains(&id), "event {id} missing");
    }
    // The fingerprint is in the metadata and printed on the page.
    let info = pdf_info(&pdf);
    let keywords = &info["Keywords"];
    assert!(
        keywords.starts_with("consentry-report:v1;kind=evidence;contact=K-2001;sha256="),
        "{keywords}"
    );
    let sha = keywords.rsplit('=').next().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(text.contains(&format!("SHA-256: {sha}")));
    assert!(info["Title"].contains("Jürgen Weiß-Ölmüller"), "{info:?}");
    assert_eq!(info["Author"], "prüferin.öz");
    assert!(info["Subject"].contains("K-2001"));
    assert!(info.contains_key("CreationDate"));
    assert!(
        info["Page size"].contains("595.276 x 841.89"),
        "not A4: {info:?}"
    );
    // No false claim of a PDF standard.
    assert!(
        !info.contains_key("PDF subtype") || info["PDF subtype"].is_empty(),
        "{info:?}"
    );
}

#[test]
fn english_evidence_report_explains_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    let pdf = report(
        &db,
        dir.path(),
        "en",
        &["evidence", "greta@example.de"],
        "g.pdf",
    );
    qpdf_check(&pdf);
    let text = pdf_text(&pdf, None);
    for needle in [
        "Consent evidence",
        "Greta Groß",
        "Page 1 of",
        "DENY_DOI_PENDING",
        "Double opt-in not yet confirmed — do not contact.",
        "DENY_CONSENT_REVOKED",
        "The person has withdrawn their consent — do not contact.",
        "Consent withdrawn",
        "2025-05-01 08:00:00 (+00:00)",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
    for id in event_ids(&db, "K-2002") {
        assert!(text.contains(&id), "event {id} missing");
    }
    assert!(!text.contains("Seite"), "German in an English report");
}

#[test]
fn a_contact_with_500_events_breaks_across_pages_with_the_header_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    ok(&db, &["init"]);
    let mut ledger = String::from(
        "{\"kind\":\"contact\",\"id\":\"K-500\",\"party\":\"consumer\",\"name\":\"Zoë Müller-Lüdenscheidt\",\"emails\":[\"zoe@example.de\"]}\n",
    );
    ledger.push_str("{\"kind\":\"event\",\"id\":\"EV-00000\",\"contact\":\"K-500\",\"at\":\"2024-01-01T09:00:00+01:00\",\"type\":\"consent_given\",\"channels\":[\"email\"],\"purposes\":[\"newsletter\"],\"method\":\"paper_form\",\"consent_text_id\":\"CT-1\"}\n");
    for i in 1..500 {
        ledger.push_str(&format!(
            "{{\"kind\":\"event\",\"id\":\"EV-{i:05}\",\"contact\":\"K-500\",\"at\":\"2024-01-{:02}T{:02}:{:02}:00+01:00\",\"type\":\"marketing_sent\",\"channel\":\"email\",\"purpose\":\"newsletter\",\"objection_notice_included\":true}}\n",
            1 + i / 24 % 28,
            i % 24,
            i % 60
        ));
    }
    let file = dir.path().join("big.jsonl");
    std::fs::write(&file, ledger).unwrap();
    ok(&db, &["import", "ledger", file.to_str().unwrap()]);
    let pdf = report(&db, dir.path(), "de", &["evidence", "K-500"], "big.pdf");
    qpdf_check(&pdf);
    let n = pages(&pdf);
    assert!(n >= 10, "500 events on only {n} pages");
    let all = pdf_text(&pdf, None);
    for i in 0..500 {
        assert!(all.contains(&format!("EV-{i:05}")), "EV-{i:05} missing");
    }
    let mut pages_with_ledger_header = 0;
    for p in 1..=n {
        let text = pdf_text(&pdf, Some(p));
        assert!(
            text.contains(&format!("Seite {p} von {n}")),
            "page {p}: no `Seite {p} von {n}` in {text}"
        );
        assert!(text.contains("SHA-256:"), "page {p} has no fingerprint");
        if text.contains("Ereignis und Nachweisdaten") {
            pages_with_ledger_header += 1;
        }
    }
    // The ledger table runs over (nearly) every page after the first, each with its header.
    assert!(
        pages_with_ledger_header >= n - 2,
        "header on {pages_with_ledger_header} of {n} pages"
    );
    let last = pdf_text(&pdf, Some(n));
    assert!(last.contains("Ereignis und Nachweisdaten") || last.contains("Fingerabdruck"));
}

#[test]
fn access_report_lists_data_purposes_sources_recipients_storage_and_rights() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    // Before any controller detail is set, reports and settings say so.
    let all = run_as(&db, &["--lang", "de", "settings", "get"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    for key in [
        "consent_stale_after_months = 18",
        "controller_name = (nicht gesetzt)",
        "dpo_contact = (nicht gesetzt)",
        "recipients = (nicht gesetzt)",
        "storage_period = (nicht gesetzt)",
    ] {
        assert!(
            all.stdout.contains(key),
            "missing `{key}` in\n{}",
            all.stdout
        );
    }
    for (k, v) in [
        ("controller_name", "Müller & Söhne Kaffeerösterei GmbH"),
        ("controller_address", "Hafenstraße 12, 20457 Hamburg"),
        ("dpo_contact", "datenschutz@mueller-soehne.example"),
        (
            "recipients",
            "Versanddienstleister DHL; E-Mail-Dienstleister Brevo (Auftragsverarbeiter)",
        ),
        (
            "storage_period",
            "Bis zum Widerruf; Nachweise 5 Jahre nach der letzten Nutzung",
        ),
        (
            "supervisory_authority",
            "Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit",
        ),
    ] {
        let r = run_as(&db, &["settings", "set", k, v]);
        assert_eq!(r.code, 0, "{k}: {}", r.stderr);
        assert_eq!(r.stdout.trim(), format!("{k} = {v}"));
    }
    let bad = run_as(&db, &["settings", "set", "controller_colour", "x"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("controller_name"), "{}", bad.stderr);
    let json = run_as(&db, &["settings", "get", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["dpo_contact"], "datenschutz@mueller-soehne.example");
    assert_eq!(
        v["own_offer_purposes"],
        "newsletter,product_offers_own,survey_customer_satisfaction"
    );

    let pdf = report(&db, dir.path(), "de", &["access", "K-2001"], "a.pdf");
    qpdf_check(&pdf);
    let text = pdf_text(&pdf, None);
    for needle in [
        "Auskunft nach Art. 15 DSGVO",
        "Jürgen Weiß-Ölmüller",
        "juergen@example.de",
        "+491717654321",
        "Müller & Söhne Kaffeerösterei GmbH",
        "Hafenstraße 12, 20457 Hamburg",
        // a field another system added is stored, so it is stated too
        "crm_ref CRM-4711",
        "Versanddienstleister DHL",
        "Nachweise 5 Jahre nach der letzten Nutzung",
        "Newsletter",
        "eigene Produktangebote",
        "unser Webshop",
        "aufgezeichnetes Telefonat",
        "Art. 7 Abs. 3 DSGVO",
        "Art. 21 Abs. 2 und 3 DSGVO",
        "Art. 17 DSGVO",
        "Art. 77 DSGVO",
        "Der Hamburgische Beauftragte für Datenschutz",
        "datenschutz@mueller-soehne.example",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
    for id in event_ids(&db, "K-2001") {
        assert!(text.contains(&id), "event {id} missing");
    }
    // The evidence report now names the controller too.
    let ev = report(&db, dir.path(), "en", &["evidence", "K-2001"], "e.pdf");
    assert!(pdf_text(&ev, None).contains("Müller & Söhne Kaffeerösterei GmbH"));
}

#[test]
fn reports_never_overwrite_and_leave_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = report_register(dir.path());
    let out = dir.path().join("exists.pdf");
    std::fs::write(&out, b"keep me").unwrap();
    for args in [
        vec![
            "report",
            "evidence",
            "K-2001",
            "--out",
            out.to_str().unwrap(),
        ],
        vec!["report", "register", "--out", out.to_str().unwrap()],
    ] {
        let r = run_as(&db, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("exists"), "{}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    let unknown = run_as(&db, &["report", "evidence", "K-9999", "--out", "x.pdf"]);
    assert_eq!(unknown.code, 2);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("partial") || n == "x.pdf")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
