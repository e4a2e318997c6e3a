//! Issue 5 "done when", tried the way a new user would, through the real binary:
//! an agent cannot record or erase; an officer's objection appears in the audit trail with
//! their name; a byte changed in an event is caught by `verify`; an erased person imported
//! again from a bought address list is still blocked.

mod common;
use common::*;

use std::path::{Path, PathBuf};

const AGENT_PASS: &str = "agent secret 1";
const OFFICER_PASS: &str = "officer secret 1";

/// Runs consentry as `user` with `pass` (and `new_pass` for commands that set one).
fn as_user(db: &Path, user: &str, pass: &str, new_pass: Option<&str>, args: &[&str]) -> Run {
    consentry_as(db, Some(user), Some(pass), new_pass, args)
}

fn must(r: Run, what: &str) -> Run {
    assert_eq!(r.code, 0, "{what}: {}{}", r.stdout, r.stderr);
    r
}

/// The small fixture register, plus an agent and an officer.
fn staffed_register(dir: &Path) -> PathBuf {
    let db = small_register(dir);
    for (name, role, pass) in [
        ("anna", "agent", AGENT_PASS),
        ("olaf", "officer", OFFICER_PASS),
    ] {
        must(
            as_user(
                &db,
                "admin",
                PASS,
                Some(pass),
                &["user", "add", name, "--role", role],
            ),
            "user add",
        );
    }
    db
}

const OBJECTION: [&str; 8] = [
    "record",
    "K-1001",
    "objection",
    "--at",
    "2025-06-01T10:00:00+02:00",
    "--scope",
    "all",
    "--via",
];

#[test]
fn an_agent_can_check_but_not_record_or_erase() {
    let dir = tempfile::tempdir().unwrap();
    let db = staffed_register(dir.path());
    let before = export(&db, dir.path(), "before.jsonl");

    let check = as_user(
        &db,
        "anna",
        AGENT_PASS,
        None,
        &[
            "check",
            "K-1001",
            "--channel",
            "email",
            "--purpose",
            "newsletter",
        ],
    );
    assert!(check.code == 0 || check.code == 1, "{}", check.stderr);

    let mut record = OBJECTION.to_vec();
    record.push("letter");
    let refused = as_user(&db, "anna", AGENT_PASS, None, &record);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains("officer"), "{}", refused.stderr);

    let erase = as_user(
        &db,
        "anna",
        AGENT_PASS,
        None,
        &["erase", "K-1001", "--reason", "Art. 17 request"],
    );
    assert_eq!(erase.code, 3, "{}", erase.stderr);
    assert!(erase.stderr.contains("officer"), "{}", erase.stderr);

    assert_eq!(export(&db, dir.path(), "after.jsonl"), before);

    // Her check was a read, but her sign-in is in the audit trail; the refusals left nothing.
    let audit = must(
        as_user(&db, "admin", PASS, None, &["audit", "--json"]),
        "audit",
    );
    let by_anna: Vec<String> = audit
        .json()
        .as_array()
        .unwrap_or_else(|| panic!("audit --json is a list: {}", audit.stdout))
        .iter()
        .filter(|e| e["user"] == "anna")
        .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(by_anna, vec!["unlock"], "{}", audit.stdout);
}

#[test]
fn an_officers_objection_is_in_the_audit_trail_with_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = staffed_register(dir.path());
    let mut record = OBJECTION.to_vec();
    record.push("letter");
    must(as_user(&db, "olaf", OFFICER_PASS, None, &record), "record");

    let audit = must(
        as_user(&db, "admin", PASS, None, &["audit", "--json"]),
        "audit",
    );
    let text = audit.stdout.to_lowercase();
    let entries = audit.json();
    let entries = entries
        .as_array()
        .or_else(|| entries["entries"].as_array())
        .unwrap_or_else(|| panic!("audit --json is a list of entries: {text}"))
        .clone();
    assert!(
        entries.iter().any(|e| {
            let line = e.to_string().to_lowercase();
            e["user"] == "olaf" && line.contains("objection") && line.contains("k-1001")
        }),
        "no audit entry by olaf for the objection: {text}"
    );
    must(as_user(&db, "admin", PASS, None, &["verify"]), "verify");
}

#[test]
fn a_byte_changed_in_an_event_page_is_caught_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = staffed_register(dir.path());
    must(
        as_user(&db, "admin", PASS, None, &["verify"]),
        "verify before",
    );

    // Change one byte in the last page of the (encrypted) file, where the ledger rows sit
    // after the import; no key is needed for this kind of tampering.
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(
        !Path::new(&format!("{}-wal", db.display())).exists()
            || std::fs::metadata(format!("{}-wal", db.display()))
                .unwrap()
                .len()
                == 0,
        "the register is checkpointed when no one has it open"
    );
    let page = 4096;
    let target = bytes.len() - page / 2;
    bytes[target] ^= 0x40;
    std::fs::write(&db, &bytes).unwrap();

    let r = as_user(&db, "admin", PASS, None, &["verify"]);
    assert_eq!(
        r.code, 4,
        "verify must fail with exit 4: {}{}",
        r.stdout, r.stderr
    );
}

#[test]
fn an_erased_person_imported_again_from_a_bought_list_is_still_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let db = staffed_register(dir.path());
    let erase = as_user(
        &db,
        "olaf",
        OFFICER_PASS,
        None,
        &[
            "erase",
            "K-1001",
            "--reason",
            "Art. 17 request by letter",
            "--confirm-retention",
        ],
    );
    assert_eq!(erase.code, 0, "{}{}", erase.stdout, erase.stderr);

    // A bought address list with her email in another spelling and her phone in another
    // notation.
    let list = dir.path().join("bought.csv");
    std::fs::write(
        &list,
        "Name;E-Mail;Telefon\r\nErika Mustermann;Erika@Example.DE;0171 1234567\r\n",
    )
    .unwrap();
    must(
        as_user(
            &db,
            "olaf",
            OFFICER_PASS,
            None,
            &[
                "import",
                "csv",
                list.to_str().unwrap(),
                "--map",
                "name=Name,email=E-Mail,phone=Telefon",
            ],
        ),
        "import of the bought list",
    );

    for (who, channel) in [("erika@example.de", "email"), ("+491711234567", "phone")] {
        let r = as_user(
            &db,
            "anna",
            AGENT_PASS,
            None,
            &[
                "check",
                who,
                "--channel",
                channel,
                "--purpose",
                "newsletter",
                "--json",
            ],
        );
        assert_eq!(r.code, 1, "{who}: {}{}", r.stdout, r.stderr);
        assert_eq!(
            r.json()["reason"],
            "DENY_SUPPRESSION_LIST",
            "{who}: {}",
            r.stdout
        );
    }

    // Screening the same list before a campaign blocks her as well.
    let out = dir.path().join("screened.csv");
    must(
        as_user(
            &db,
            "anna",
            AGENT_PASS,
            None,
            &[
                "screen",
                list.to_str().unwrap(),
                "--channel",
                "email",
                "--purpose",
                "newsletter",
                "--out",
                out.to_str().unwrap(),
            ],
        ),
        "screen",
    );
    let screened = std::fs::read_to_string(&out).unwrap();
    assert!(screened.contains("DENY_SUPPRESSION_LIST"), "{screened}");

    // Her old data is gone from the register's own export.
    let ledger = export(&db, dir.path(), "after.jsonl");
    assert!(!ledger.contains("203.0.113.10"), "{ledger}");
    must(
        as_user(&db, "admin", PASS, None, &["verify"]),
        "verify after erasure",
    );
}
