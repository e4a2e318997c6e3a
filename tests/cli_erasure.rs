//! `erase`, `verify` and `audit` through the real binary (issue 5): an erased person's
//! email is still denied by `check` (exit 1), a retention refusal is exit 2 and changes
//! nothing, and the register still verifies afterwards.

mod common;

use common::{consentry, ok, small_register, PASS};

fn check_email(db: &std::path::Path, who: &str) -> common::Run {
    consentry(
        db,
        Some(PASS),
        &[
            "--json",
            "check",
            who,
            "--channel",
            "email",
            "--purpose",
            "newsletter",
        ],
    )
}

#[test]
fn an_erased_email_is_denied_by_check_and_the_register_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    let before = check_email(&db, "erika@example.de").json();
    assert_ne!(before["reason"], "DENY_SUPPRESSION_LIST");

    let r = ok(
        &db,
        &["erase", "erika@example.de", "--reason", "Art. 17 letter"],
    );
    assert!(r.stdout.contains("erased K-1001"), "{}", r.stdout);

    for who in ["erika@example.de", "ERIKA@example.de", "K-1001"] {
        let r = check_email(&db, who);
        assert_eq!(r.code, 1, "{who}: {}{}", r.stdout, r.stderr);
        assert_eq!(r.json()["reason"], "DENY_SUPPRESSION_LIST", "{who}");
    }
    // An address nobody ever had is still "not found" (usage error), not a denial.
    assert_eq!(check_email(&db, "nobody@example.de").code, 2);

    let v = ok(&db, &["--json", "verify"]);
    assert_eq!(v.json()["intact"], true, "{}", v.stdout);
    let v = ok(&db, &["verify"]);
    assert!(v.stdout.starts_with("verify: intact"), "{}", v.stdout);

    let audit = ok(&db, &["--json", "audit", "--limit", "50"]).json();
    let erased = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "erased")
        .expect("an erased entry");
    assert_eq!(erased["object"], "K-1001");
    assert_eq!(erased["user"], "admin");

    let export = common::export(&db, dir.path(), "after.jsonl");
    assert!(!export.contains("erika") && !export.contains("K-1001"));

    // A bought list with the erased address: imported, counted, and still denied.
    let list = dir.path().join("bought.csv");
    std::fs::write(&list, "Name,Email\nE. Mustermann,erika@example.de\n").unwrap();
    let r = ok(
        &db,
        &[
            "--json",
            "import",
            "csv",
            list.to_str().unwrap(),
            "--map",
            "name=Name,email=Email",
        ],
    );
    assert_eq!(r.json()["suppressed"], 1, "{}", r.stdout);
    let r = check_email(&db, "erika@example.de");
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["reason"], "DENY_SUPPRESSION_LIST");
}

#[test]
fn erasure_inside_the_retention_period_needs_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_register(dir.path());
    ok(
        &db,
        &[
            "record",
            "K-1001",
            "consent_given",
            "--channels",
            "phone",
            "--purposes",
            "product_offers_own",
            "--method",
            "recorded_call",
            "--consent-text-id",
            "CT-1",
            "--verified",
            "phone",
        ],
    );
    let before = common::export(&db, dir.path(), "before.jsonl");
    let r = consentry(&db, Some(PASS), &["erase", "K-1001", "--reason", "request"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("§ 7a") && r.stderr.contains("--confirm-retention"),
        "{}",
        r.stderr
    );
    // A refusal erases nothing (opening the register does write an `unlock` audit entry).
    assert_eq!(common::export(&db, dir.path(), "refused.jsonl"), before);
    assert_ne!(
        check_email(&db, "erika@example.de").json()["reason"],
        "DENY_SUPPRESSION_LIST"
    );

    let r = ok(
        &db,
        &[
            "erase",
            "K-1001",
            "--reason",
            "request",
            "--confirm-retention",
        ],
    );
    assert!(r.stdout.contains("overridden"), "{}", r.stdout);
    assert_eq!(check_email(&db, "erika@example.de").code, 1);
}
