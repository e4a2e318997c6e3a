//! `export analytics`: pseudonyms only, no identifier of the register in the file, objectors
//! left out, the key stays inside the register.

mod common;
use common::*;

use std::path::Path;

fn analytics(db: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "export",
        "analytics",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    ok(db, &args).json()
}

fn mailchimp(db: &Path) {
    let f = |n: &str| {
        fixture(&format!("mailchimp/{n}"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    ok(
        db,
        &[
            "import",
            "mailchimp",
            "--subscribed",
            &f("subscribed.csv"),
            "--unsubscribed",
            &f("unsubscribed.csv"),
            "--cleaned",
            &f("cleaned.csv"),
            "--consent-text-id",
            "CT-1",
            "--purpose",
            "newsletter",
        ],
    );
}

#[test]
fn no_identifier_from_the_register_and_no_objector() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    mailchimp(&db);
    let out = dir.path().join("analyse.csv");
    let s = analytics(&db, &out, &[]);
    assert_eq!(s["rows"], 7, "8 contacts, K-1002 objected: {s}");
    assert_eq!(s["left_out_objection"], 1);
    let text = std::fs::read_to_string(&out).unwrap();
    let lower = text.to_lowercase();

    // Every identifier the register holds, searched for in the file.
    let ledger = export(&db, dir.path(), "l.jsonl");
    let mut needles: Vec<String> = Vec::new();
    for line in ledger.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        if r["kind"] != "contact" {
            continue;
        }
        needles.push(r["id"].as_str().unwrap().to_owned());
        needles.push(r["name"].as_str().unwrap().to_owned());
        for e in r["emails"].as_array().unwrap() {
            let e = e.as_str().unwrap();
            needles.push(e.to_owned());
            needles.push(e.split('@').next().unwrap().to_owned());
        }
        for p in r["phones"].as_array().unwrap() {
            let p = p.as_str().unwrap();
            needles.push(p.to_owned());
            needles.push(p.trim_start_matches('+').to_owned());
            needles.push(format!("0{}", &p[3..]));
        }
        if let Some(street) = r["address"]["street"].as_str() {
            needles.push(street.to_owned());
        }
        if let Some(city) = r["address"]["city"].as_str() {
            needles.push(city.to_owned());
        }
        if let Some(postcode) = r["address"]["postcode"].as_str() {
            needles.push(postcode.to_owned());
        }
        if let Some(n) = r["customer_number"].as_str() {
            needles.push(n.to_owned());
        }
    }
    assert!(needles.len() > 30);
    for n in &needles {
        assert!(
            !lower.contains(&n.to_lowercase()),
            "`{n}` found in the analytics export:\n{text}"
        );
    }

    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header[..5],
        [
            "pseudonym",
            "party",
            "relationship",
            "postcode_area",
            "country"
        ]
    );
    assert!(header.contains(&"consent_email_newsletter".to_owned()));
    assert_eq!(header.len(), 5 + 7 * 4);
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    assert!(rows
        .iter()
        .all(|r| r[0].len() == 64 && r[0].chars().all(|c| c.is_ascii_hexdigit())));
    // Coarse fields: K-1001 lives in 10115 → area 10; Lena (Köln 50667) → 50.
    let areas: Vec<&str> = rows.iter().map(|r| &r[3]).collect();
    assert!(areas.contains(&"10") && areas.contains(&"50"), "{areas:?}");
    let email_news = header
        .iter()
        .position(|h| h == "consent_email_newsletter")
        .unwrap();
    let states: Vec<&str> = rows.iter().map(|r| &r[email_news]).collect();
    assert!(
        states.contains(&"active") && states.contains(&"revoked") && states.contains(&"pending")
    );

    // Pseudonyms are stable within the register, and the key is nowhere to be seen.
    let out2 = dir.path().join("analyse2.csv");
    analytics(&db, &out2, &[]);
    assert_eq!(std::fs::read_to_string(&out2).unwrap(), text);
    let settings = ok(&db, &["settings", "get"]).stdout;
    assert!(!settings.contains("pseudonym"), "{settings}");
    assert!(!export(&db, dir.path(), "l2.jsonl").contains("pseudonym"));
}

#[test]
fn another_register_gives_other_pseudonyms_and_purposes_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let one = small_register(&dir.path().join("a"));
    let two = small_register(&dir.path().join("b"));
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    analytics(&one, &a, &["--purpose", "newsletter"]);
    analytics(&two, &b, &["--purpose", "newsletter"]);
    let first_col = |p: &Path| -> Vec<String> {
        csv::Reader::from_path(p)
            .unwrap()
            .records()
            .map(|r| r.unwrap()[0].to_owned())
            .collect()
    };
    let (pa, pb) = (first_col(&a), first_col(&b));
    assert_eq!(pa.len(), 2);
    assert!(
        pa.iter().all(|p| !pb.contains(p)),
        "each register has its own key"
    );
    let header = std::fs::read_to_string(&a).unwrap();
    assert!(header.lines().next().unwrap().ends_with(
        "consent_email_newsletter,consent_sms_newsletter,consent_phone_newsletter,consent_letter_newsletter"
    ));
}

#[test]
fn an_objection_to_profiling_or_one_channel_leaves_the_person_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let out = dir.path().join("x.csv");
    assert_eq!(analytics(&db, &out, &[])["rows"], 2);
    ok(
        &db,
        &[
            "record",
            "K-1003",
            "objection",
            "--scope",
            "channels",
            "--channels",
            "phone",
            "--via",
            "phone",
        ],
    );
    let out = dir.path().join("y.csv");
    let s = analytics(&db, &out, &[]);
    assert_eq!(
        (s["rows"].as_u64(), s["left_out_objection"].as_u64()),
        (Some(1), Some(2))
    );
}
