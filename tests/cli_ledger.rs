//! Import and export of the ledger JSONL: atomicity, precise errors, round trip.

mod common;
use common::*;

#[test]
fn export_import_export_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    ok(&db, &["record", "K-1001", "note", "--text", "called back"]);
    let first = export(&db, dir.path(), "one.jsonl");
    assert_eq!(first.lines().count(), 9);
    assert!(
        first.contains("\"crm_ref\":\"x-9\""),
        "unknown fields are kept"
    );

    let db2 = dir.path().join("two.db");
    ok(&db2, &["init"]);
    let r = ok(
        &db2,
        &[
            "import",
            "ledger",
            dir.path().join("one.jsonl").to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(r["contacts_added"], 3);
    assert_eq!(r["events_added"], 6);
    let second = export(&db2, dir.path(), "two.jsonl");
    assert_eq!(first, second);

    // Re-importing the same file adds nothing.
    let r = ok(
        &db2,
        &[
            "import",
            "ledger",
            dir.path().join("one.jsonl").to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(r["contacts_added"], 0);
    assert_eq!(r["events_added"], 0);
    assert_eq!(r["unchanged"], 9);
}

#[test]
fn one_bad_line_imports_nothing_and_names_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let before = export(&db, dir.path(), "before.jsonl");
    let cases = [
        (
            r#"{"kind":"event","contact":"K-1001","at":"2025-05-01T10:00:00","type":"note","text":"x"}"#,
            "field `at`",
        ),
        (
            r#"{"kind":"event","contact":"K-1001","at":"2025-05-01T10:00:00Z","type":"consent_exploded"}"#,
            "field `type`",
        ),
        (
            r#"{"kind":"event","contact":"K-1001","at":"2025-05-01T10:00:00Z","type":"consent_revoked","channels":["fax"],"purposes":["newsletter"]}"#,
            "field `channels[0]`",
        ),
        (
            r#"{"kind":"event","contact":"K-1001","at":"2025-05-01T10:00:00Z","type":"consent_revoked","channels":["email"],"purposes":["News Letter"]}"#,
            "field `purposes[0]`",
        ),
        (
            r#"{"kind":"event","contact":"K-1001","at":"2025-05-01T10:00:00Z","type":"purchase","product_category":"tea","objection_notice_given":true}"#,
            "field `email_collected`",
        ),
        (
            r#"{"kind":"event","contact":"K-4040","at":"2025-05-01T10:00:00Z","type":"note","text":"x"}"#,
            "field `contact`",
        ),
        (
            r#"{"kind":"contact","id":"K-2000","party":"consumer","name":"Ola","phones":["12345"]}"#,
            "field `phones[0]`",
        ),
        (
            r#"{"kind":"event","id":"E-1","contact":"K-1001","at":"2025-05-01T10:00:00Z","type":"note","text":"changed"}"#,
            "field `id`",
        ),
        ("not json", "not valid JSON"),
    ];
    for (bad, needle) in cases {
        let file = dir.path().join("bad.jsonl");
        let good = r#"{"kind":"contact","id":"K-3000","party":"consumer","name":"Neu Person","emails":["neu@example.de"]}"#;
        let good_event = r#"{"kind":"event","contact":"K-3000","at":"2025-05-01T10:00:00Z","type":"note","text":"ok"}"#;
        std::fs::write(&file, format!("{good}\n{good_event}\n\n{bad}\n")).unwrap();
        let r = consentry(
            &db,
            Some(PASS),
            &["import", "ledger", file.to_str().unwrap()],
        );
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("line 4"), "{bad}: {}", r.stderr);
        assert!(
            r.stderr.contains(needle),
            "{bad}: expected {needle} in {}",
            r.stderr
        );
        assert_eq!(r.stderr.trim().lines().count(), 1);
        assert_eq!(
            export(&db, dir.path(), &format!("after-{}.jsonl", needle.len())),
            before,
            "{bad}"
        );
        std::fs::remove_file(dir.path().join(format!("after-{}.jsonl", needle.len()))).unwrap();
    }
}

#[test]
fn export_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let out = dir.path().join("x.jsonl");
    std::fs::write(&out, "keep me").unwrap();
    let r = consentry(
        &db,
        Some(PASS),
        &["export", "ledger", "--out", out.to_str().unwrap()],
    );
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}
