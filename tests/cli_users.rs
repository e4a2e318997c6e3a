//! Users, roles, key slots, rekey, backup and restore through the real binary.

mod common;

use std::path::Path;

use common::Run;

/// Runs consentry with `--db db`, signed in as `user` (via $CONSENTRY_USER) with `pass`,
/// and `new_pass` as $CONSENTRY_NEW_PASSPHRASE.
fn run(db: &Path, user: &str, pass: &str, new_pass: Option<&str>, args: &[&str]) -> Run {
    common::consentry_as(db, Some(user), Some(pass), new_pass, args)
}

/// Runs consentry as the register's first user, `admin` with `admin-pass`.
fn admin(db: &Path, args: &[&str]) -> Run {
    run(db, "admin", "admin-pass", None, args)
}

/// A new register (admin / admin-pass) with the small fixture and the officer `erika`
/// (erika-pass).
fn with_officer_erika(db: &Path) {
    ok(admin(db, &["init"]));
    import_small(db, "admin", "admin-pass");
    ok(run(
        db,
        "admin",
        "admin-pass",
        Some("erika-pass"),
        &["user", "add", "erika", "--role", "officer"],
    ));
}

#[track_caller]
fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r
}

#[track_caller]
fn fails(r: Run, code: i32, needle: &str) -> Run {
    assert_eq!(r.code, code, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(needle), "{needle:?} not in {}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
    r
}

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

fn import_small(db: &Path, user: &str, pass: &str) {
    let ledger = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.jsonl");
    ok(run(
        db,
        user,
        pass,
        None,
        &["import", "ledger", ledger.to_str().unwrap()],
    ));
}

#[test]
fn init_names_the_first_admin_and_users_are_managed_by_admins_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    ok(run(&db, "chef", "chef-pass", None, &["init"]));
    assert!(dir.path().join("reg.db.keys").exists());
    // Any other user name, or the default `admin`, does not exist.
    fails(
        run(&db, "admin", "chef-pass", None, &["search", "x"]),
        3,
        "wrong user name or passphrase",
    );

    ok(run(
        &db,
        "chef",
        "chef-pass",
        Some("erika-pass"),
        &["user", "add", "erika", "--role", "officer"],
    ));
    ok(run(
        &db,
        "chef",
        "chef-pass",
        Some("max-pass"),
        &["user", "add", "max", "--role", "agent"],
    ));
    let list = ok(run(
        &db,
        "chef",
        "chef-pass",
        None,
        &["--json", "user", "list"],
    ))
    .json();
    let roles: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().into(),
                u["role"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("chef".into(), "admin".into()),
            ("erika".into(), "officer".into()),
            ("max".into(), "agent".into())
        ]
    );
    let text = ok(run(&db, "chef", "chef-pass", None, &["user", "list"])).stdout;
    assert!(text.contains("erika") && text.contains("officer"), "{text}");

    // Refusals: bad role (2), taken name (2), password in the environment only.
    fails(
        run(
            &db,
            "chef",
            "chef-pass",
            Some("x-pass"),
            &["user", "add", "x", "--role", "boss"],
        ),
        2,
        "--role",
    );
    fails(
        run(
            &db,
            "chef",
            "chef-pass",
            Some("x-pass"),
            &["user", "add", "max", "--role", "agent"],
        ),
        2,
        "already exists",
    );
    // No new password and no terminal: exit 3, nothing added.
    fails(
        run(
            &db,
            "chef",
            "chef-pass",
            None,
            &["user", "add", "y", "--role", "agent"],
        ),
        3,
        "CONSENTRY_NEW_PASSPHRASE",
    );

    // An officer may not manage users (exit 3, names the role needed), not even list them.
    let before = files(&db);
    fails(
        run(
            &db,
            "erika",
            "erika-pass",
            Some("z-pass"),
            &["user", "add", "z", "--role", "admin"],
        ),
        3,
        "admin",
    );
    fails(
        run(&db, "erika", "erika-pass", None, &["user", "list"]),
        3,
        "manage users",
    );
    fails(
        run(&db, "erika", "erika-pass", None, &["user", "remove", "max"]),
        3,
        "manage users",
    );
    fails(
        run(
            &db,
            "max",
            "max-pass",
            Some("hijack"),
            &["user", "passwd", "chef"],
        ),
        3,
        "manage users",
    );
    assert_eq!(
        files(&db)[3],
        before[3],
        "key file changed by a refused command"
    );

    // An agent cannot record; an officer can, as themselves.
    import_small(&db, "chef", "chef-pass");
    fails(
        run(
            &db,
            "max",
            "max-pass",
            None,
            &["record", "K-1001", "note", "--text", "x"],
        ),
        3,
        "agent",
    );
    let rec = ok(run(
        &db,
        "erika",
        "erika-pass",
        None,
        &["--json", "record", "K-1001", "note", "--text", "x"],
    ))
    .json();
    assert_eq!(rec["recorded"]["recorded_by"], "erika");

    // Own password: anyone. The old one stops working.
    ok(run(
        &db,
        "max",
        "max-pass",
        Some("max-new-pass"),
        &["user", "passwd"],
    ));
    fails(
        run(&db, "max", "max-pass", None, &["search", "x"]),
        3,
        "wrong user name or passphrase",
    );
    ok(run(&db, "max", "max-new-pass", None, &["search", "x"]));
    // An admin resets another user's.
    ok(run(
        &db,
        "chef",
        "chef-pass",
        Some("reset-pass"),
        &["user", "passwd", "max"],
    ));
    ok(run(&db, "max", "reset-pass", None, &["search", "x"]));

    // Remove: not yourself, not the last admin; a removed user cannot sign in.
    fails(
        run(&db, "chef", "chef-pass", None, &["user", "remove", "chef"]),
        2,
        "yourself",
    );
    ok(run(
        &db,
        "chef",
        "chef-pass",
        Some("boss2-pass"),
        &["user", "add", "boss2", "--role", "admin"],
    ));
    ok(run(
        &db,
        "boss2",
        "boss2-pass",
        None,
        &["user", "remove", "chef"],
    ));
    fails(
        run(&db, "chef", "chef-pass", None, &["search", "x"]),
        3,
        "wrong user name or passphrase",
    );
    fails(
        run(
            &db,
            "boss2",
            "boss2-pass",
            None,
            &["user", "remove", "nobody"],
        ),
        2,
        "no user",
    );
    ok(run(
        &db,
        "boss2",
        "boss2-pass",
        None,
        &["user", "remove", "max"],
    ));
    fails(
        run(&db, "max", "reset-pass", None, &["search", "x"]),
        3,
        "wrong user name or passphrase",
    );
}

#[test]
fn global_user_flag_wins_over_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    ok(run(
        &db,
        "ignored",
        "pass-1234",
        None,
        &["--user", "root2", "init"],
    ));
    ok(run(
        &db,
        "ignored",
        "pass-1234",
        None,
        &["--user", "root2", "user", "list"],
    ));
    fails(
        run(&db, "ignored", "pass-1234", None, &["user", "list"]),
        3,
        "wrong user name",
    );
}

#[test]
fn wrong_password_and_unknown_user_leave_every_file_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    ok(admin(&db, &["init"]));
    import_small(&db, "admin", "admin-pass");
    let before = files(&db);
    fails(
        run(&db, "admin", "wrong-pass", None, &["search", "Erika"]),
        3,
        "wrong user name or passphrase",
    );
    fails(
        run(&db, "nobody", "admin-pass", None, &["search", "Erika"]),
        3,
        "wrong user name or passphrase",
    );
    assert_eq!(files(&db), before);
}

#[test]
fn a_register_without_its_key_file_says_which_file_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    ok(admin(&db, &["init"]));
    std::fs::remove_file(dir.path().join("reg.db.keys")).unwrap();
    let r = fails(admin(&db, &["search", "x"]), 2, "reg.db.keys is missing");
    assert!(r.stderr.contains("restore"), "{}", r.stderr);
}

#[test]
fn rekey_keeps_the_admin_and_asks_for_new_passwords_for_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    with_officer_erika(&db);
    let keys_before = std::fs::read(dir.path().join("reg.db.keys")).unwrap();
    fails(
        run(&db, "erika", "erika-pass", None, &["rekey"]),
        3,
        "admin",
    );
    assert_eq!(
        std::fs::read(dir.path().join("reg.db.keys")).unwrap(),
        keys_before
    );

    let r = ok(admin(&db, &["--json", "rekey"])).json();
    assert_eq!(r["need_new_password"], serde_json::json!(["erika"]));
    ok(admin(&db, &["search", "Erika"]));
    fails(
        run(&db, "erika", "erika-pass", None, &["search", "x"]),
        3,
        "wrong user name or passphrase",
    );
    let list = ok(admin(&db, &["--json", "user", "list"])).json();
    assert_eq!(list[1]["name"], "erika");
    assert_eq!(list[1]["can_sign_in"], false);
    ok(run(
        &db,
        "admin",
        "admin-pass",
        Some("erika-new"),
        &["user", "passwd", "erika"],
    ));
    ok(run(&db, "erika", "erika-new", None, &["search", "x"]));
}

#[test]
fn backup_then_restore_gives_an_identical_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    with_officer_erika(&db);
    ok(run(
        &db,
        "erika",
        "erika-pass",
        None,
        &[
            "record",
            "K-1001",
            "objection",
            "--scope",
            "all",
            "--via",
            "letter",
        ],
    ));
    let backup = dir.path().join("reg.backup");
    let backup_s = backup.to_str().unwrap();
    // An officer may not make backups.
    fails(
        run(
            &db,
            "erika",
            "erika-pass",
            None,
            &["backup", "--out", backup_s],
        ),
        3,
        "admin",
    );
    assert!(!backup.exists());
    ok(admin(&db, &["backup", "--out", backup_s]));
    // Never over an existing file.
    let bytes = std::fs::read(&backup).unwrap();
    fails(admin(&db, &["backup", "--out", backup_s]), 2, "exists");
    assert_eq!(std::fs::read(&backup).unwrap(), bytes);
    // Still encrypted: no names from the fixture in it.
    assert!(!String::from_utf8_lossy(&bytes).contains("Mustermann"));

    let restored = dir.path().join("sub/restored.db");
    let restored_s = restored.to_str().unwrap();
    // Wrong password, unknown user: refused, nothing written.
    fails(
        run(
            &db,
            "admin",
            "wrong-pass",
            None,
            &["restore", backup_s, "--to", restored_s],
        ),
        3,
        "wrong user name or passphrase",
    );
    fails(
        run(
            &db,
            "mallory",
            "admin-pass",
            None,
            &["restore", backup_s, "--to", restored_s],
        ),
        3,
        "wrong user name or passphrase",
    );
    assert!(!restored.exists());
    assert!(!dir.path().join("sub/restored.db.keys").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
        .map(|d| d.count())
        .into_iter()
        .collect();
    assert!(leftovers.iter().all(|n| *n == 0), "{leftovers:?}");
    // Any user of the backup can restore it (here the officer).
    ok(run(
        &db,
        "erika",
        "erika-pass",
        None,
        &["restore", backup_s, "--to", restored_s],
    ));
    // Refuses an existing target, untouched.
    let before = files(&restored);
    fails(
        admin(&db, &["restore", backup_s, "--to", restored_s]),
        2,
        "exists",
    );
    assert_eq!(files(&restored), before);

    let out_a = dir.path().join("a.jsonl");
    let out_b = dir.path().join("b.jsonl");
    ok(admin(
        &db,
        &["export", "ledger", "--out", out_a.to_str().unwrap()],
    ));
    ok(run(
        &restored,
        "admin",
        "admin-pass",
        None,
        &["export", "ledger", "--out", out_b.to_str().unwrap()],
    ));
    assert_eq!(
        std::fs::read(&out_a).unwrap(),
        std::fs::read(&out_b).unwrap()
    );
    // The restored register keeps its users and roles.
    fails(
        run(&restored, "erika", "erika-pass", None, &["user", "list"]),
        3,
        "manage users",
    );

    // A truncated backup is refused, nothing written.
    let cut = dir.path().join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let target = dir.path().join("cut.db");
    fails(
        admin(
            &db,
            &[
                "restore",
                cut.to_str().unwrap(),
                "--to",
                target.to_str().unwrap(),
            ],
        ),
        2,
        "not a complete Consentry backup",
    );
    assert!(!target.exists());
}
