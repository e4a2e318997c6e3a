//! `import csv --map`: German Excel files (Windows-1252, `;`), atomicity on a bad row deep
//! in a large file, and the --skip-invalid report.

mod common;
use common::*;

use std::path::{Path, PathBuf};

const MAP: &str =
    "name=Name,email=E-Mail,phone=Telefon,company=Firma,customer_number=Kundennr,party=Typ,postcode=PLZ,city=Ort";

fn import(db: &Path, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        "csv",
        file.to_str().unwrap(),
        "--map",
        MAP,
        "--json",
    ];
    args.extend_from_slice(extra);
    consentry(db, Some(PASS), &args)
}

fn fresh(dir: &Path) -> PathBuf {
    let db = dir.join("reg.db");
    ok(&db, &["init"]);
    db
}

#[test]
fn windows_1252_semicolon_file_with_umlauts() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh(dir.path());
    let text = "Name;E-Mail;Telefon;Firma;Kundennr;Typ;PLZ;Ort\r\n\
                Jürgen Weiß;J.Weiss@Example.de;0171/1234567;;K-77;Privat;80331;München\r\n\
                Käthe Groß;k.gross@baeckerei.de;030 98765432;Bäckerei Krüger GmbH;K-78;Firma;10115;Berlin\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture really is not UTF-8"
    );
    let file = dir.path().join("excel.csv");
    std::fs::write(&file, &bytes).unwrap();
    let r = import(&db, &file, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.json();
    assert_eq!(s["contacts_added"], 2);
    let ledger = export(&db, dir.path(), "l.jsonl");
    let recs: Vec<serde_json::Value> = ledger
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let j = &recs[0];
    assert_eq!(j["name"], "Jürgen Weiß");
    assert_eq!(j["emails"][0], "j.weiss@example.de");
    assert_eq!(j["phones"][0], "+491711234567");
    assert_eq!(j["customer_number"], "K-77");
    assert_eq!(j["party"], "consumer");
    assert_eq!(j["address"]["city"], "München");
    let k = &recs[1];
    assert_eq!(k["name"], "Käthe Groß");
    assert_eq!(k["company"], "Bäckerei Krüger GmbH");
    assert_eq!(k["party"], "business");
    // Found by the umlaut name afterwards.
    let hits = ok(&db, &["search", "Krüger", "--json"]).json();
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    // Importing again adds nothing: the rows match the contacts now in the register.
    let again = import(&db, &file, &[]).json();
    assert_eq!(again["contacts_added"], 0);
    assert_eq!(again["contacts_matched"], 2);
}

#[test]
fn utf8_with_bom_and_commas() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh(dir.path());
    let file = dir.path().join("bom.csv");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        "Name,E-Mail,Telefon,Firma,Kundennr,Typ,PLZ,Ort\n\"Weiß, Jürgen\",jw@example.de,,,,,,\n"
            .as_bytes(),
    );
    std::fs::write(&file, bytes).unwrap();
    let s = import(&db, &file, &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let ledger = export(&db, dir.path(), "l.jsonl");
    assert!(ledger.contains("\"name\":\"Weiß, Jürgen\""), "{ledger}");
}

fn big_file(dir: &Path, rows: usize, bad_row: Option<usize>) -> PathBuf {
    let mut text = String::from("Name;E-Mail;Telefon;Firma;Kundennr;Typ;PLZ;Ort\n");
    for i in 1..=rows {
        let email = if Some(i) == bad_row {
            "person-at-example.de".to_owned()
        } else {
            format!("person{i}@example.de")
        };
        text.push_str(&format!("Person {i};{email};;;N-{i};Privat;10115;Berlin\n"));
    }
    let p = dir.join(format!("big-{rows}-{bad_row:?}.csv"));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_bad_row_at_row_5000_leaves_the_register_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let before = export(&db, dir.path(), "before.jsonl");
    let file = big_file(dir.path(), 10_000, Some(5_000));
    let r = import(&db, &file, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("row 5000"), "{}", r.stderr);
    assert!(r.stderr.contains("line 5001"), "{}", r.stderr);
    assert!(r.stderr.contains("column `E-Mail`"), "{}", r.stderr);
    assert!(r.stderr.contains("person-at-example.de"), "{}", r.stderr);
    assert_eq!(export(&db, dir.path(), "after.jsonl"), before);

    // The same file without the bad row goes in whole.
    let good = big_file(dir.path(), 10_000, None);
    let s = import(&db, &good, &[]).json();
    assert_eq!(s["contacts_added"], 10_000);
}

#[test]
fn skip_invalid_report_lists_rejected_rows_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh(dir.path());
    let file = dir.path().join("c.csv");
    std::fs::write(
        &file,
        "Name;E-Mail;Telefon;Firma;Kundennr;Typ;PLZ;Ort\n\
         Anna;anna@example.de;;;;;;\n\
         Bernd;bernd@;;;;;;\n\
         ;carla@example.de;;;;;;\n\
         Dora;dora@example.de;;;;Verein;;\n\
         Emil;emil@example.de;0171 1234567;;;;;\n",
    )
    .unwrap();
    let report = dir.path().join("report.csv");
    let r = import(&db, &file, &["--skip-invalid", report.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.json();
    assert_eq!(s["rows"], 5);
    assert_eq!(s["rejected"], 3);
    assert_eq!(s["contacts_added"], 2);
    let text = std::fs::read_to_string(&report).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "file", "row", "line", "column", "problem", "Name", "E-Mail", "Telefon", "Firma",
            "Kundennr", "Typ", "PLZ", "Ort"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let cell = |r: &csv::StringRecord, i: usize| r.get(i).unwrap().to_owned();
    assert_eq!(
        (cell(&rows[0], 1), cell(&rows[0], 3)),
        ("2".into(), "E-Mail".into())
    );
    assert!(cell(&rows[0], 4).contains("not an email address"));
    assert_eq!(cell(&rows[0], 5), "Bernd");
    assert_eq!(
        (cell(&rows[1], 1), cell(&rows[1], 3)),
        ("3".into(), "Name".into())
    );
    assert!(cell(&rows[1], 4).contains("name or a company"));
    assert_eq!(
        (cell(&rows[2], 1), cell(&rows[2], 3)),
        ("4".into(), "Typ".into())
    );
    assert!(cell(&rows[2], 4).contains("`Verein`"));
    let ledger = export(&db, dir.path(), "l.jsonl");
    assert!(ledger.contains("anna@example.de") && ledger.contains("emil@example.de"));
    assert!(!ledger.contains("dora@example.de"));
}

#[test]
fn a_bad_mapping_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh(dir.path());
    let file = dir.path().join("c.csv");
    std::fs::write(&file, "Name;Mail\nAnna;a@x.de\n").unwrap();
    for (map, says) in [
        ("name=Name,email=E-Mail", "no column `E-Mail`"),
        ("name=Name,mail=Mail", "unknown field `mail`"),
        ("email=Mail", "map a name"),
    ] {
        let r = consentry(
            &db,
            Some(PASS),
            &["import", "csv", file.to_str().unwrap(), "--map", map],
        );
        assert_eq!(r.code, 2, "{map}");
        assert!(r.stderr.contains(says), "{map}: {}", r.stderr);
    }
}

#[test]
fn a_known_contact_gains_what_it_lacks_and_keeps_what_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let file = dir.path().join("crm.csv");
    std::fs::write(
        &file,
        "Name;E-Mail;Telefon;Firma;Kundennr;Typ;PLZ;Ort\n\
         Erika M. (CRM);ERIKA@example.de;0170 5555555;;K-99;;99999;Irgendwo\n",
    )
    .unwrap();
    let s = import(&db, &file, &[]).json();
    assert_eq!(s["contacts_added"], 0, "{s}");
    assert_eq!(s["contacts_matched"], 1);
    assert_eq!(s["contacts_changed"], 1);
    assert_eq!(s["events_added"], 2, "phones and customer_number");
    let ledger = export(&db, dir.path(), "l.jsonl");
    let recs: Vec<serde_json::Value> = ledger
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let erika = &recs[0];
    assert_eq!(
        erika["name"], "Erika Mustermann",
        "the register's name is kept"
    );
    assert_eq!(
        erika["phones"],
        serde_json::json!(["+491711234567", "+491705555555"])
    );
    assert_eq!(erika["customer_number"], "K-99");
    assert_eq!(
        erika["address"]["postcode"], "10115",
        "an address is not overwritten"
    );
    let changes: Vec<&serde_json::Value> = recs
        .iter()
        .filter(|r| r["type"] == "contact_changed" && r["contact"] == "K-1001")
        .collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["field"], "phones");
    assert_eq!(changes[0]["old"], serde_json::json!(["+491711234567"]));
    assert_eq!(changes[0]["source"], "csv_import");
    assert_eq!(changes[1]["field"], "customer_number");
    assert_eq!(changes[1]["new"], "K-99");
    // Found by the new number now; a second import adds nothing.
    ok(&db, &["show", "0170 5555555"]);
    let again = import(&db, &file, &[]).json();
    assert_eq!(
        (
            again["events_added"].as_u64(),
            again["contacts_changed"].as_u64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(export(&db, dir.path(), "l2.jsonl"), ledger);
}

#[test]
fn a_row_matching_two_contacts_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let before = export(&db, dir.path(), "before.jsonl");
    let file = dir.path().join("crm.csv");
    // K-1002 and K-1003 share the number 030 1234567.
    std::fs::write(
        &file,
        "Name;E-Mail;Telefon;Firma;Kundennr;Typ;PLZ;Ort\nZentrale;;030/1234567;;;;;\n",
    )
    .unwrap();
    let r = import(&db, &file, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("row 1"), "{}", r.stderr);
    assert!(r.stderr.contains("K-1002, K-1003"), "{}", r.stderr);
    assert_eq!(export(&db, dir.path(), "after.jsonl"), before);
}
