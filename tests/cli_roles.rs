//! Roles through the real binary, tried as the issue says a new user would: an agent can
//! search, show, check and screen but not record, erase, import, report or export; an
//! auditor makes reports and verifies but never writes; an officer records and imports but
//! does not verify or change settings. A refusal is exit 3, one line naming the role
//! needed, and leaves every file of the register byte for byte as it was.

mod common;

use std::path::{Path, PathBuf};

use common::Run;

const ADMIN: (&str, &str) = ("chef", "chef-pass");
const AGENT: (&str, &str) = ("agent1", "agent1-pass");
const OFFICER: (&str, &str) = ("erika", "erika-pass");
const AUDITOR: (&str, &str) = ("audra", "audra-pass");

/// Runs consentry on `db` as `(user, password)` ($CONSENTRY_USER, $CONSENTRY_PASSPHRASE).
fn run_as(db: &Path, (user, pass): (&str, &str), new_pass: Option<&str>, args: &[&str]) -> Run {
    common::consentry_as(db, Some(user), Some(pass), new_pass, args)
}

#[track_caller]
fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r
}

/// Every file of the register (database, WAL, shared memory, key slots).
fn files(db: &Path) -> Vec<Option<Vec<u8>>> {
    ["", "-wal", "-shm", ".keys"]
        .iter()
        .map(|s| {
            let mut p = db.as_os_str().to_owned();
            p.push(s);
            std::fs::read(p).ok()
        })
        .collect()
}

/// Refused with exit 3, one line that names what was refused and the role needed, and
/// nothing changed on disk (nor an output file left behind).
#[track_caller]
fn refused(db: &Path, who: (&str, &str), args: &[&str], needs: &str, out: Option<&Path>) {
    let before = files(db);
    let r = run_as(db, who, None, args);
    assert_eq!(r.code, 3, "{args:?} as {}: {}{}", who.0, r.stdout, r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
    assert!(
        r.stderr.contains(&format!("user `{}`", who.0)),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("that needs the role {needs}")),
        "{args:?}: {needs:?} not in {}",
        r.stderr
    );
    assert!(
        files(db) == before,
        "{args:?} as {} changed the register",
        who.0
    );
    if let Some(out) = out {
        assert!(!out.exists(), "{args:?} left {}", out.display());
    }
}

/// A register with the small fixture and one user per role.
fn register(dir: &Path) -> PathBuf {
    let db = dir.join("reg.db");
    ok(run_as(&db, ADMIN, None, &["init"]));
    let ledger = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.jsonl");
    ok(run_as(
        &db,
        ADMIN,
        None,
        &["import", "ledger", ledger.to_str().unwrap()],
    ));
    for ((name, pass), role) in [(AGENT, "agent"), (OFFICER, "officer"), (AUDITOR, "auditor")] {
        ok(run_as(
            &db,
            ADMIN,
            Some(pass),
            &["user", "add", name, "--role", role],
        ));
    }
    db
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

fn list(dir: &Path) -> String {
    let list = dir.join("list.csv");
    std::fs::write(&list, "email\nerika@example.de\nnobody@example.de\n").unwrap();
    list.to_str().unwrap().to_owned()
}

#[test]
fn an_agent_searches_shows_checks_and_screens_but_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = register(dir.path());
    let d = dir.path();

    let found = ok(run_as(&db, AGENT, None, &["search", "Mustermann"])).stdout;
    assert!(found.contains("K-1001"), "{found}");
    ok(run_as(&db, AGENT, None, &["show", "erika@example.de"]));
    // check: 0 allowed, 1 denied; both are answers, not refusals.
    let check = run_as(
        &db,
        AGENT,
        None,
        &[
            "check",
            "0171 1234567",
            "--channel",
            "phone",
            "--purpose",
            "newsletter",
        ],
    );
    assert!(
        matches!(check.code, 0 | 1),
        "{}{}",
        check.stdout,
        check.stderr
    );
    let out = path(d, "screened.csv");
    ok(run_as(
        &db,
        AGENT,
        None,
        &[
            "screen",
            &list(d),
            "--channel",
            "email",
            "--purpose",
            "newsletter",
            "--out",
            &out,
        ],
    ));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("erika@example.de"));

    let officer = "officer or admin";
    refused(
        &db,
        AGENT,
        &[
            "record",
            "K-1001",
            "objection",
            "--scope",
            "all",
            "--via",
            "phone",
        ],
        officer,
        None,
    );
    refused(
        &db,
        AGENT,
        &[
            "classify", "K-1001", "--as", "customer", "--reason", "bought",
        ],
        officer,
        None,
    );
    refused(
        &db,
        AGENT,
        &["erase", "K-1001", "--reason", "Art. 17 request"],
        officer,
        None,
    );
    let ledger = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.jsonl");
    refused(
        &db,
        AGENT,
        &["import", "ledger", ledger.to_str().unwrap()],
        officer,
        None,
    );
    let pdf = d.join("evidence.pdf");
    refused(
        &db,
        AGENT,
        &[
            "report",
            "evidence",
            "K-1001",
            "--out",
            pdf.to_str().unwrap(),
        ],
        "officer, auditor or admin",
        Some(&pdf),
    );
    let export = d.join("export.jsonl");
    refused(
        &db,
        AGENT,
        &["export", "ledger", "--out", export.to_str().unwrap()],
        "officer, auditor or admin",
        Some(&export),
    );
    refused(&db, AGENT, &["verify"], "auditor or admin", None);
    refused(
        &db,
        AGENT,
        &["settings", "set", "consent_stale_after_months", "30"],
        "admin",
        None,
    );
}

#[test]
fn an_auditor_makes_reports_and_verifies_but_does_not_record_or_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = register(dir.path());
    let d = dir.path();

    for kind in ["evidence", "access"] {
        let out = path(d, &format!("{kind}.pdf"));
        ok(run_as(
            &db,
            AUDITOR,
            None,
            &["report", kind, "K-1001", "--out", &out],
        ));
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    }
    let out = path(d, "register.pdf");
    ok(run_as(
        &db,
        AUDITOR,
        None,
        &["report", "register", "--out", &out],
    ));
    ok(run_as(&db, AUDITOR, None, &["verify"]));
    ok(run_as(
        &db,
        AUDITOR,
        None,
        &["export", "ledger", "--out", &path(d, "export.jsonl")],
    ));

    let officer = "officer or admin";
    refused(
        &db,
        AUDITOR,
        &["record", "K-1001", "note", "--text", "looked at it"],
        officer,
        None,
    );
    let ledger = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.jsonl");
    refused(
        &db,
        AUDITOR,
        &["import", "ledger", ledger.to_str().unwrap()],
        officer,
        None,
    );
    refused(
        &db,
        AUDITOR,
        &["erase", "K-1002", "--reason", "request"],
        officer,
        None,
    );
}

#[test]
fn an_officer_records_classifies_and_imports_but_does_not_verify_or_change_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = register(dir.path());

    let rec = ok(run_as(
        &db,
        OFFICER,
        None,
        &[
            "--json",
            "record",
            "K-1001",
            "objection",
            "--scope",
            "all",
            "--via",
            "letter",
        ],
    ))
    .json();
    assert_eq!(rec["recorded"]["recorded_by"], "erika", "{rec}");
    ok(run_as(
        &db,
        OFFICER,
        None,
        &[
            "classify", "K-1001", "--as", "customer", "--reason", "bought",
        ],
    ));
    // The objection is in force: email is denied now (exit 1, an answer).
    let check = run_as(
        &db,
        OFFICER,
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
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);

    refused(&db, OFFICER, &["verify"], "auditor or admin", None);
    refused(
        &db,
        OFFICER,
        &["settings", "set", "consent_stale_after_months", "30"],
        "admin",
        None,
    );
}
