//! Finding people and asking the register: search, show, check, record, classify.

mod common;
use common::*;

fn check(db: &std::path::Path, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.push("--json");
    let r = consentry(db, Some(PASS), &all);
    assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
    (r.code, r.json())
}

#[test]
fn phone_notations_resolve_to_the_same_contact() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    for n in [
        "0171 1234567",
        "+49 171 1234567",
        "0049-171-1234567",
        "0171/1234567",
        "K-1001",
        "Erika@Example.de",
    ] {
        let r = ok(&db, &["show", n, "--json"]).json();
        assert_eq!(r["contact"]["id"], "K-1001", "{n}");
        let hits = ok(&db, &["search", n, "--json"]).json();
        assert_eq!(hits[0]["id"], "K-1001", "search {n}: {hits}");
    }
}

#[test]
fn search_finds_names_with_and_without_umlauts() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    for q in [
        "Jürgen",
        "Juergen",
        "Weiss",
        "weiß",
        "C-77",
        "juergen.weiss",
    ] {
        let hits = ok(&db, &["search", q, "--json"]).json();
        assert_eq!(hits[0]["id"], "K-1002", "{q}: {hits}");
    }
    let hits = ok(&db, &["search", "Krüger", "--json"]).json();
    assert_eq!(hits[0]["id"], "K-1003");
    let r = ok(&db, &["search", "Zebra"]);
    assert!(r.stdout.contains("No matches"), "{}", r.stdout);
    let r = ok(&db, &["--lang", "de", "search", "Zebra"]);
    assert!(r.stdout.contains("Keine Treffer"), "{}", r.stdout);
}

#[test]
fn ambiguous_and_unknown_references_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    // K-1002 and K-1003 share the landline.
    let r = consentry(&db, Some(PASS), &["show", "(030) 123 45 67"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("K-1002") && r.stderr.contains("K-1003"),
        "{}",
        r.stderr
    );
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "check",
            "nobody@example.de",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no contact matches"), "{}", r.stderr);
}

#[test]
fn check_answers_with_reason_basis_explanation_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let at = "2025-06-01T12:00:00+02:00";
    let (code, d) = check(
        &db,
        &[
            "K-1001",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--at",
            at,
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(d["verdict"], "allowed");
    assert_eq!(d["reason"], "ALLOW_CONSENT");
    assert_eq!(d["events"], serde_json::json!(["E-1", "E-2"]));
    assert!(d["legal_basis"]
        .as_str()
        .unwrap()
        .contains("§ 7 Abs. 2 Nr. 2 UWG"));
    assert!(d["explanation"]["de"]
        .as_str()
        .unwrap()
        .contains("Einwilligung"));
    assert!(d["explanation"]["en"].as_str().unwrap().contains("consent"));

    let (code, d) = check(
        &db,
        &[
            "K-1001",
            "--channel",
            "phone",
            "--purpose",
            "newsletter",
            "--at",
            at,
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(d["reason"], "DENY_CHANNEL_NOT_COVERED");
    let (_, d) = check(
        &db,
        &[
            "K-1001",
            "--channel",
            "email",
            "--purpose",
            "partner_offers",
            "--at",
            at,
        ],
    );
    assert_eq!(d["reason"], "DENY_PURPOSE_NOT_COVERED");
    let (_, d) = check(
        &db,
        &[
            "K-1001",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--at",
            at,
            "--to",
            "other@example.de",
        ],
    );
    assert_eq!(d["reason"], "DENY_ADDRESS_NOT_VERIFIED");
    let (_, d) = check(
        &db,
        &[
            "K-1003",
            "--channel",
            "phone",
            "--purpose",
            "product_offers_own",
            "--at",
            at,
        ],
    );
    assert_eq!(d["reason"], "ALLOW_PRESUMED_CONSENT_B2B");
    let (_, d) = check(
        &db,
        &[
            "K-1003",
            "--channel",
            "phone",
            "--purpose",
            "product_offers_own",
            "--at",
            at,
            "--automated",
        ],
    );
    assert_eq!(d["reason"], "DENY_AUTOMATED_CALL_NO_EXPRESS_CONSENT");
    let (_, d) = check(
        &db,
        &[
            "K-1003",
            "--channel",
            "letter",
            "--purpose",
            "product_offers_own",
            "--at",
            at,
        ],
    );
    assert_eq!(d["reason"], "ALLOW_LETTER_LEGITIMATE_INTEREST");
}

#[test]
fn check_at_past_instants_with_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    // Jürgen bought coffee on 1 March (email collected, notice given) and objected at 10:00+01:00 on 12 March.
    let q = |at: &str| {
        check(
            &db,
            &[
                "K-1002",
                "--channel",
                "email",
                "--purpose",
                "newsletter",
                "--category",
                "coffee",
                "--at",
                at,
            ],
        )
        .1
    };
    assert_eq!(
        q("2025-03-12T08:59:59Z")["reason"],
        "ALLOW_EXISTING_CUSTOMER_7_3"
    );
    assert_eq!(q("2025-03-12T09:00:00Z")["reason"], "DENY_OBJECTION");
    assert_eq!(q("2025-03-12T10:00:00+01:00")["reason"], "DENY_OBJECTION");
    assert_eq!(
        q("2025-03-12T09:59:59+01:00")["reason"],
        "ALLOW_EXISTING_CUSTOMER_7_3"
    );
    assert_eq!(
        q("2025-03-12T09:00:00Z")["events"],
        serde_json::json!(["E-4"])
    );
    // Before the purchase he was a prospect without consent.
    assert_eq!(q("2025-02-28T23:59:59Z")["reason"], "DENY_NO_CONSENT");
    // A date means the end of that day.
    assert_eq!(q("2025-03-11")["reason"], "ALLOW_EXISTING_CUSTOMER_7_3");
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "check",
            "K-1002",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--at",
            "yesterday",
        ],
    );
    assert_eq!(r.code, 2);
}

#[test]
fn recording_an_objection_turns_every_channel_red() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let at = "2025-06-01T12:00:00+02:00";
    let view = ok(&db, &["show", "K-1001", "--at", at, "--json"]).json();
    assert_eq!(view["channels"][0]["verdict"], "allowed");
    let rec = ok(
        &db,
        &[
            "record",
            "K-1001",
            "objection",
            "--scope",
            "all",
            "--via",
            "letter",
            "--at",
            "2025-05-31T09:00:00+02:00",
            "--json",
        ],
    )
    .json();
    let id = rec["recorded"]["id"].as_str().unwrap().to_owned();
    assert_eq!(rec["recorded"]["type"], "objection");
    let view = ok(&db, &["show", "K-1001", "--at", at, "--json"]).json();
    for ch in view["channels"].as_array().unwrap() {
        assert_eq!(ch["verdict"], "denied", "{ch}");
        assert_eq!(ch["reason"], "DENY_OBJECTION");
        assert_eq!(ch["events"], serde_json::json!([id.clone()]));
    }
    assert_eq!(view["events"].as_array().unwrap().len(), 3);
}

#[test]
fn record_refuses_bad_input_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let before = export(&db, dir.path(), "before.jsonl");
    let cases: [&[&str]; 6] = [
        &["record", "K-1001", "objection", "--scope", "most"],
        &[
            "record",
            "K-1001",
            "consent_given",
            "--channels",
            "fax",
            "--purposes",
            "newsletter",
            "--method",
            "paper_form",
        ],
        &[
            "record",
            "K-1001",
            "consent_given",
            "--channels",
            "email",
            "--purposes",
            "newsletter",
        ],
        &["record", "K-1001", "teleport"],
        &[
            "record",
            "K-1001",
            "note",
            "--text",
            "x",
            "--at",
            "2025-13-45",
        ],
        &["record", "K-9999", "note", "--text", "x"],
    ];
    for args in cases {
        let r = consentry(&db, Some(PASS), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1);
    }
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "record",
            "K-1001",
            "consent_given",
            "--channels",
            "email",
            "--purposes",
            "newsletter",
        ],
    );
    assert!(r.stderr.contains("--method"), "{}", r.stderr);
    assert_eq!(export(&db, dir.path(), "after.jsonl"), before);
}

#[test]
fn classify_records_who_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let r = consentry(
        &db,
        Some(PASS),
        &["classify", "K-1001", "--as", "customer", "--reason", " "],
    );
    assert_eq!(r.code, 2);
    let r = consentry(
        &db,
        Some(PASS),
        &["classify", "K-1001", "--as", "vip", "--reason", "x"],
    );
    assert_eq!(r.code, 2);
    let mut cmd_env = vec![
        "classify",
        "K-1001",
        "--as",
        "customer",
        "--reason",
        "Rahmenvertrag 2025",
    ];
    cmd_env.push("--json");
    let rec = ok(&db, &cmd_env).json();
    assert_eq!(rec["recorded"]["type"], "classified");
    let view = ok(&db, &["show", "K-1001", "--json"]).json();
    assert_eq!(view["classification"]["relationship"], "customer");
    assert_eq!(view["classification"]["basis"]["kind"], "manual");
    assert_eq!(
        view["classification"]["basis"]["reason"],
        "Rahmenvertrag 2025"
    );
    let text = ok(&db, &["--lang", "de", "show", "K-1001"]).stdout;
    assert!(
        text.contains("Bestandskunde") && text.contains("Rahmenvertrag 2025"),
        "{text}"
    );
}

#[test]
fn demo_register_is_realistic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let r = ok(&db, &["demo", "--json"]).json();
    assert!(r["contacts"].as_u64().unwrap() >= 290, "{r}");
    let hits = ok(&db, &["search", "Müller", "--json"]).json();
    assert!(hits.as_array().unwrap().len() >= 3, "{hits}");
    let (code, d) = check(
        &db,
        &[
            "erika@example.de",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
        ],
    );
    assert_eq!((code, d["reason"].as_str().unwrap()), (0, "ALLOW_CONSENT"));
    let again = consentry(&db, Some(PASS), &["demo"]);
    assert_eq!(again.code, 2, "demo must not overwrite");
}
