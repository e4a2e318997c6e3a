//! `screen`: every row kept, matched by email or by phone in any notation, unknown people
//! decided as such, summary on stderr and as JSON; exit 0 even with denials; no overwriting.

mod common;
use common::*;

use std::path::Path;

const AT: &str = "2025-06-01T12:00:00Z";

fn list(dir: &Path) -> std::path::PathBuf {
    // small.jsonl: K-1001 erika@example.de / +491711234567 with a confirmed newsletter
    // consent; K-1002 and K-1003 share +49301234567, K-1002 objected.
    let p = dir.join("kampagne.csv");
    std::fs::write(
        &p,
        "Name;E-MAIL;telefon;Kampagne\n\
         Erika;  ERIKA@Example.DE ;;Frühjahr\n\
         Jürgen;;+49 (0)30 1234567;Frühjahr\n\
         Niemand;nobody@example.com;;Frühjahr\n\
         Erika per Telefon;;0049-171-1234567;Frühjahr\n\
         Kaputt;not-an-email;12;Frühjahr\n",
    )
    .unwrap();
    p
}

fn screen(db: &Path, list: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "screen",
        list.to_str().unwrap(),
        "--purpose",
        "newsletter",
        "--at",
        AT,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    consentry(db, Some(PASS), &args)
}

fn read_rows(out: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(out).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[test]
fn email_campaign_rows_get_verdicts_matched_by_email_and_phone() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let list = list(dir.path());
    let out = dir.path().join("ergebnis.csv");
    let r = screen(&db, &list, &out, &["--channel", "email", "--json"]);
    assert_eq!(r.code, 0, "denials are data, not exit 1: {}", r.stderr);
    let (header, rows) = read_rows(&out);
    assert_eq!(
        header,
        [
            "Name",
            "E-MAIL",
            "telefon",
            "Kampagne",
            "contact_id",
            "match",
            "verdict",
            "reason",
            "legal_basis",
            "explanation"
        ]
    );
    assert_eq!(rows.len(), 5);
    // Input columns are kept as they were.
    assert_eq!(
        rows[0][..4],
        ["Erika", "  ERIKA@Example.DE ", "", "Frühjahr"]
    );
    let pick = |r: &Vec<String>| (r[4].clone(), r[5].clone(), r[6].clone(), r[7].clone());
    let s = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(
        pick(&rows[0]),
        s("K-1001", "email", "allowed", "ALLOW_CONSENT")
    );
    assert_eq!(
        pick(&rows[1]),
        s("K-1002 K-1003", "phone", "denied", "DENY_OBJECTION"),
        "a shared number: every contact listed, the objection wins"
    );
    assert_eq!(pick(&rows[2]), s("", "none", "denied", "DENY_NO_CONSENT"));
    assert_eq!(
        pick(&rows[3]),
        s("K-1001", "phone", "allowed", "ALLOW_CONSENT")
    );
    assert_eq!(pick(&rows[4]), s("", "none", "denied", "DENY_NO_CONSENT"));
    assert!(rows.iter().all(|r| !r[8].is_empty() && !r[9].is_empty()));

    let summary = r.json();
    assert_eq!(summary["rows"], 5);
    assert_eq!(summary["by_verdict"]["allowed"], 2);
    assert_eq!(summary["by_verdict"]["denied"], 3);
    assert_eq!(summary["by_reason"]["DENY_NO_CONSENT"], 2);
    assert_eq!(summary["by_reason"]["DENY_OBJECTION"], 1);
    assert_eq!(summary["by_match"]["email"], 1);
    assert_eq!(summary["by_match"]["phone"], 2);
    assert_eq!(summary["by_match"]["none"], 2);
    assert!(r.stderr.contains("DENY_OBJECTION: 1"), "{}", r.stderr);

    // Never overwrites.
    let before = std::fs::read(&out).unwrap();
    let r = screen(&db, &list, &out, &["--channel", "email"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exists"), "{}", r.stderr);
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn unknown_people_get_the_decision_for_an_unknown_person_per_channel() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let list = list(dir.path());
    let out = dir.path().join("brief.csv");
    let r = screen(&db, &list, &out, &["--channel", "letter"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, rows) = read_rows(&out);
    assert_eq!(rows[2][5], "none");
    assert_eq!(rows[2][7], "ALLOW_LETTER_LEGITIMATE_INTEREST");
    assert_eq!(rows[1][7], "DENY_OBJECTION");

    let out = dir.path().join("telefon.csv");
    let r = screen(&db, &list, &out, &["--channel", "phone"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, rows) = read_rows(&out);
    assert_eq!(rows[2][7], "DENY_PHONE_CONSUMER_NO_EXPRESS_CONSENT");
    // A phone campaign matches by number first.
    assert_eq!(
        (rows[3][4].as_str(), rows[3][5].as_str()),
        ("K-1001", "phone")
    );
}

#[test]
fn named_columns_and_german_explanations() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let list = dir.path().join("l.csv");
    std::fs::write(&list, "Kontakt,Nummer\nerika@example.de,\n,0171 1234567\n").unwrap();
    let out_de = dir.path().join("de.csv");
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "--lang",
            "de",
            "screen",
            list.to_str().unwrap(),
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--at",
            AT,
            "--out",
            out_de.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2, "no email or phone column found");
    assert!(r.stderr.contains("--email-column"), "{}", r.stderr);
    for (lang, out) in [("de", &out_de), ("en", &dir.path().join("en.csv"))] {
        let r = consentry(
            &db,
            Some(PASS),
            &[
                "--lang",
                lang,
                "screen",
                list.to_str().unwrap(),
                "--channel",
                "email",
                "--purpose",
                "newsletter",
                "--at",
                AT,
                "--email-column",
                "Kontakt",
                "--phone-column",
                "Nummer",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let read = |p: &Path| -> Vec<Vec<String>> {
        csv::Reader::from_path(p)
            .unwrap()
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let (de, en) = (read(&out_de), read(&dir.path().join("en.csv")));
    assert_eq!((de[0][2].as_str(), de[0][3].as_str()), ("K-1001", "email"));
    assert_eq!((de[1][2].as_str(), de[1][3].as_str()), ("K-1001", "phone"));
    assert_ne!(de[0][7], en[0][7], "explanation follows --lang");
}

#[test]
fn an_excel_list_comes_back_as_utf8_with_bom_and_its_umlauts() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let (bytes, _, _) =
        encoding_rs::WINDOWS_1252.encode("Name;E-Mail\nJürgen Weiß;juergen.weiss@example.de\n");
    let list = dir.path().join("excel.csv");
    std::fs::write(&list, &bytes).unwrap();
    let out = dir.path().join("out.csv");
    let r = screen(&db, &list, &out, &["--channel", "email"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = std::fs::read(&out).unwrap();
    assert!(written.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = std::str::from_utf8(&written[3..]).unwrap();
    assert!(
        text.contains("Jürgen Weiß;juergen.weiss@example.de;K-1002;email;denied;DENY_OBJECTION;"),
        "{text}"
    );
}

#[test]
fn the_rows_own_address_must_be_the_one_consented_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let list = dir.path().join("l.csv");
    // Erika's consent was confirmed for erika@example.de; the list row found her by phone
    // but would mail another address.
    std::fs::write(
        &list,
        "email,phone\nerika@example.de,\nerika.privat@example.com,0171 1234567\n,0171 1234567\n",
    )
    .unwrap();
    let out = dir.path().join("o.csv");
    let r = screen(&db, &list, &out, &["--channel", "email"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<Vec<String>> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[3].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("email", "ALLOW_CONSENT"),
            ("phone", "DENY_ADDRESS_NOT_VERIFIED"),
            ("phone", "ALLOW_CONSENT"),
        ]
    );
}
