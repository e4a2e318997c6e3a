//! Creating and opening registers: secrets, refusals, encryption at rest.

mod common;
use common::*;

#[test]
fn init_creates_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    ok(&db, &["init"]);
    assert!(db.exists());
    let before = register_bytes(&db);
    let again = consentry(&db, Some(PASS), &["init"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("exists"), "{}", again.stderr);
    assert_eq!(register_bytes(&db), before);
}

#[test]
fn wrong_passphrase_is_exit_3_and_leaves_the_file_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let before = register_bytes(&db);
    let r = consentry(&db, Some("wrong passphrase"), &["search", "Erika"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("passphrase"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
    assert!(
        !r.stderr.contains("hmac"),
        "SQLCipher noise leaked: {}",
        r.stderr
    );
    assert_eq!(register_bytes(&db), before);
    // The right one still works afterwards.
    ok(&db, &["search", "Erika"]);
}

#[test]
fn missing_secret_and_missing_register_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let r = consentry(&db, None, &["search", "Erika"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("CONSENTRY_PASSPHRASE"), "{}", r.stderr);

    let r = consentry(&dir.path().join("nope.db"), Some(PASS), &["search", "x"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("init"), "{}", r.stderr);
    assert!(
        !dir.path().join("nope.db").exists(),
        "opening must not create a file"
    );
}

#[test]
fn passphrase_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let file = dir.path().join("secret");
    std::fs::write(&file, format!("{PASS}\n")).unwrap();
    let r = consentry(
        &db,
        None,
        &[
            "--passphrase-file",
            file.to_str().unwrap(),
            "show",
            "K-1001",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::write(&file, "wrong\n").unwrap();
    let r = consentry(
        &db,
        None,
        &[
            "--passphrase-file",
            file.to_str().unwrap(),
            "show",
            "K-1001",
        ],
    );
    assert_eq!(r.code, 3);
}

#[test]
fn nothing_personal_is_readable_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    // Also write through the journal path.
    ok(
        &db,
        &[
            "record",
            "K-1001",
            "note",
            "--text",
            "Rückruf gewünscht von Frau Mustermann",
        ],
    );
    let needles = [
        "Erika",
        "Mustermann",
        "erika@example.de",
        "Jürgen",
        "juergen.weiss",
        "Bäckerei",
        "491711234567",
        "Musterstr",
        "Rückruf",
        "CT-NEWSLETTER",
    ];
    let files = register_bytes(&db);
    assert!(!files.is_empty());
    for (suffix, bytes) in files {
        for n in needles {
            let hay = bytes.windows(n.len()).any(|w| w == n.as_bytes());
            assert!(!hay, "`{n}` readable in {}{suffix}", db.display());
        }
    }
    // No stray plaintext files beside the register.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(name.starts_with("reg.db"), "unexpected file {name}");
    }
}

#[test]
fn settings_get_set_and_refuse_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let r = ok(&db, &["settings", "get", "--json"]).json();
    assert_eq!(r["consent_stale_after_months"], "18");
    assert_eq!(
        r["own_offer_purposes"],
        "newsletter,product_offers_own,survey_customer_satisfaction"
    );
    ok(
        &db,
        &["settings", "set", "consent_stale_after_months", "24"],
    );
    let r = ok(&db, &["settings", "get", "consent_stale_after_months"]);
    assert_eq!(r.stdout.trim(), "consent_stale_after_months = 24");
    for (k, v) in [
        ("consent_stale_after_months", "soon"),
        ("similarity_groups", "coffee"),
        ("colour", "red"),
    ] {
        let r = consentry(&db, Some(PASS), &["settings", "set", k, v]);
        assert_eq!(r.code, 2, "{k}={v}: {}", r.stderr);
    }
    let r = ok(&db, &["settings", "get", "consent_stale_after_months"]);
    assert_eq!(r.stdout.trim(), "consent_stale_after_months = 24");
}

#[test]
fn settings_change_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    // Erika confirmed in February 2025; stale 18 months later.
    let late = "2026-09-01T00:00:00Z";
    let r = consentry(
        &db,
        Some(PASS),
        &[
            "check",
            "K-1001",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--at",
            late,
            "--json",
        ],
    );
    assert_eq!(r.json()["reason"], "DENY_CONSENT_STALE");
    ok(&db, &["settings", "set", "consent_stale_after_months", "0"]);
    let r = ok(
        &db,
        &[
            "check",
            "K-1001",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--at",
            late,
            "--json",
        ],
    );
    assert_eq!(r.json()["reason"], "ALLOW_CONSENT");
}
