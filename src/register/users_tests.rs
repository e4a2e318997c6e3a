//! Users, rekey, backup and restore through the facade: refusals, roles, the audit trail.

use std::path::{Path, PathBuf};

use super::*;
use crate::register::{Register, RegisterError};
use crate::store::StoreError;

const ADMIN_PW: &str = "admin-pw";

fn register(dir: &Path) -> (PathBuf, Register) {
    let path = dir.join("reg.db");
    let reg = Register::create_as(&path, "chef", ADMIN_PW).unwrap();
    (path, reg)
}

fn ledger() -> &'static str {
    concat!(
        r#"{"kind":"contact","id":"K-1","party":"consumer","name":"Erika Mustermann","emails":["erika@example.de"]}"#,
        "\n",
        r#"{"kind":"event","id":"EV-1","contact":"K-1","at":"2025-02-01T09:00:00+01:00","type":"note","text":"called"}"#,
        "\n"
    )
}

fn export(reg: &Register) -> Vec<u8> {
    let mut out = Vec::new();
    reg.export_ledger(&mut out).unwrap();
    out
}

/// The newest audit entries as (user, action, object).
fn trail(reg: &Register, n: usize) -> Vec<(String, String, String)> {
    reg.audit_trail(n)
        .unwrap()
        .into_iter()
        .map(|r| (r.user, r.action, r.object))
        .collect()
}

fn is_user_error(r: Result<()>, want: UserError) {
    match r {
        Err(RegisterError::User(e)) => assert_eq!(e, want),
        other => panic!("expected {want:?}, got {other:?}"),
    }
}

#[test]
fn add_list_remove_and_passwords_with_their_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut reg) = register(dir.path());
    reg.add_user("erika", Role::Officer, "erika-pw").unwrap();
    reg.add_user("max", Role::Agent, "max-pw").unwrap();
    is_user_error(
        reg.add_user("max", Role::Admin, "other-pw"),
        UserError::Exists("max".into()),
    );
    is_user_error(
        reg.add_user("bad name", Role::Agent, "pw-pw"),
        UserError::InvalidName("bad name".into()),
    );
    is_user_error(
        reg.add_user("kurz", Role::Agent, "pw"),
        UserError::PasswordTooShort,
    );
    let users: Vec<(String, Role, bool)> = reg
        .list_users()
        .unwrap()
        .into_iter()
        .map(|u| (u.name, u.role, u.can_sign_in))
        .collect();
    assert_eq!(
        users,
        [
            ("chef".into(), Role::Admin, true),
            ("erika".into(), Role::Officer, true),
            ("max".into(), Role::Agent, true)
        ]
    );
    is_user_error(
        reg.remove_user("chef"),
        UserError::RemoveSelf("chef".into()),
    );
    is_user_error(
        reg.remove_user("nobody"),
        UserError::Unknown("nobody".into()),
    );

    // Non-admins: forbidden, and nothing changes.
    let mut erika = Register::open_as(&path, "erika", "erika-pw").unwrap();
    assert_eq!(erika.session().role, Role::Officer);
    for refused in [
        erika.add_user("x", Role::Admin, "x-pw-x"),
        erika.remove_user("max"),
        erika.change_password("max", "new-max-pw"),
        erika.list_users().map(|_| ()),
        erika.rekey("erika-pw").map(|_| ()),
        erika.backup(&dir.path().join("b.backup")).map(|_| ()),
    ] {
        assert!(
            matches!(refused, Err(RegisterError::Forbidden { .. })),
            "{refused:?}"
        );
    }
    assert!(!dir.path().join("b.backup").exists());
    // Her own password she may change; the old one stops working.
    erika.change_password("erika", "erika-new").unwrap();
    assert!(matches!(
        Register::open_as(&path, "erika", "erika-pw"),
        Err(RegisterError::Store(StoreError::WrongPassphrase))
    ));
    drop(erika);
    Register::open_as(&path, "erika", "erika-new").unwrap();

    // The last admin stays: another admin may remove chef only once there is a second.
    reg.add_user("boss", Role::Admin, "boss-pw").unwrap();
    let mut boss = Register::open_as(&path, "boss", "boss-pw").unwrap();
    boss.remove_user("chef").unwrap();
    is_user_error(
        boss.remove_user("boss"),
        UserError::RemoveSelf("boss".into()),
    );
    assert!(matches!(
        Register::open_as(&path, "chef", ADMIN_PW),
        Err(RegisterError::Store(StoreError::WrongPassphrase))
    ));
    boss.add_user("zweit", Role::Admin, "zweit-pw").unwrap();
    let mut zweit = Register::open_as(&path, "zweit", "zweit-pw").unwrap();
    zweit.remove_user("boss").unwrap();
    // zweit is now the only admin; nobody else can remove them, and they cannot themselves.
    is_user_error(
        zweit.remove_user("zweit"),
        UserError::RemoveSelf("zweit".into()),
    );

    // Who did what is in the audit trail.
    let t = trail(&zweit, 50);
    let has = |user: &str, action: &str, object: &str| {
        t.iter()
            .any(|(u, a, o)| u == user && a == action && o == object)
    };
    assert!(has("chef", "user_added", "chef"), "{t:?}");
    assert!(has("chef", "user_added", "erika"), "{t:?}");
    assert!(has("erika", "unlock", "erika"), "{t:?}");
    assert!(has("erika", "password_changed", "erika"), "{t:?}");
    assert!(has("boss", "user_removed", "chef"), "{t:?}");
    assert!(has("zweit", "user_removed", "boss"), "{t:?}");
    assert!(zweit.verify().unwrap().intact());
}

#[test]
fn the_last_admin_cannot_be_removed_even_by_a_stale_admin_session() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut chef) = register(dir.path());
    chef.add_user("zweit", Role::Admin, "zweit-pw").unwrap();
    // zweit's session stays open while chef removes zweit: chef is now the last admin.
    let mut zweit = Register::open_as(&path, "zweit", "zweit-pw").unwrap();
    chef.remove_user("zweit").unwrap();
    is_user_error(
        zweit.remove_user("chef"),
        UserError::LastAdmin("chef".into()),
    );
    assert!(Register::open_as(&path, "chef", ADMIN_PW).is_ok());
}

#[test]
fn rekey_keeps_the_admin_and_drops_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut reg) = register(dir.path());
    reg.import_ledger(ledger().as_bytes()).unwrap();
    reg.add_user("erika", Role::Officer, "erika-pw").unwrap();
    let before = export(&reg);
    assert!(matches!(
        reg.rekey("wrong"),
        Err(RegisterError::Store(StoreError::WrongPassphrase))
    ));
    let done = reg.rekey(ADMIN_PW).unwrap();
    assert_eq!(done.dropped, ["erika"]);
    assert_eq!(export(&reg), before);
    assert!(reg
        .list_users()
        .unwrap()
        .iter()
        .any(|u| u.name == "erika" && !u.can_sign_in));
    drop(reg);
    let mut reg = Register::open_as(&path, "chef", ADMIN_PW).unwrap();
    assert_eq!(export(&reg), before);
    assert!(Register::open_as(&path, "erika", "erika-pw").is_err());
    reg.change_password("erika", "erika-new").unwrap();
    let erika = Register::open_as(&path, "erika", "erika-new").unwrap();
    assert_eq!(erika.session().role, Role::Officer);
    assert!(trail(&reg, 20)
        .iter()
        .any(|(u, a, o)| u == "chef" && a == "rekeyed" && *o == done.key_id));
    assert!(reg.verify().unwrap().intact());
}

#[test]
fn backup_then_restore_gives_the_same_export_and_refuses_what_it_must() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut reg) = register(dir.path());
    reg.import_ledger(ledger().as_bytes()).unwrap();
    reg.add_user("erika", Role::Auditor, "erika-pw").unwrap();
    let backup = dir.path().join("reg.backup");
    let summary = reg.backup(&backup).unwrap();
    assert_eq!(summary.users, ["chef", "erika"]);
    assert!(summary.bytes > 4096);
    // Never overwritten.
    assert!(reg.backup(&backup).is_err());

    let target = dir.path().join("restored/reg.db");
    let listing = |p: &Path| -> Vec<String> {
        std::fs::read_dir(p)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    for (user, pw) in [("chef", "wrong"), ("nobody", ADMIN_PW)] {
        assert!(matches!(
            Register::restore(&backup, &target, user, pw),
            Err(RegisterError::Store(StoreError::WrongPassphrase))
        ));
        assert!(listing(&dir.path().join("restored")).is_empty());
    }
    let done = Register::restore(&backup, &target, "erika", "erika-pw").unwrap();
    assert_eq!(done.role, Role::Auditor);
    assert_eq!(
        listing(&dir.path().join("restored")).len(),
        2,
        "db and keys only"
    );
    let restored = Register::open_as(&target, "chef", ADMIN_PW).unwrap();
    assert_eq!(export(&restored), export(&reg));
    assert!(restored.verify().unwrap().intact());
    assert!(trail(&restored, 5)
        .iter()
        .any(|(u, a, _)| u == "erika" && a == "restored"));
    assert!(trail(&reg, 5)
        .iter()
        .any(|(u, a, _)| u == "chef" && a == "backup_made"));
    // An existing target (or only its key file) is refused, untouched.
    let keys = crate::store::keyring_path(&target);
    let before = (
        std::fs::read(&target).unwrap(),
        std::fs::read(&keys).unwrap(),
    );
    assert!(matches!(
        Register::restore(&backup, &target, "chef", ADMIN_PW),
        Err(RegisterError::Store(StoreError::AlreadyExists(_)))
    ));
    assert_eq!(
        (
            std::fs::read(&target).unwrap(),
            std::fs::read(&keys).unwrap()
        ),
        before
    );
    let only_keys = dir.path().join("other.db");
    std::fs::write(crate::store::keyring_path(&only_keys), b"{}").unwrap();
    assert!(Register::restore(&backup, &only_keys, "chef", ADMIN_PW).is_err());
    assert!(!only_keys.exists());
    // A damaged backup: nothing written.
    let mut bytes = std::fs::read(&backup).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    let bad = dir.path().join("bad.backup");
    std::fs::write(&bad, &bytes).unwrap();
    let t2 = dir.path().join("t2/reg.db");
    assert!(matches!(
        Register::restore(&bad, &t2, "chef", ADMIN_PW),
        Err(RegisterError::Backup(_))
    ));
    assert!(listing(&dir.path().join("t2")).is_empty());
}

#[test]
fn a_sign_in_is_recorded_with_the_first_audit_entry_or_at_once_and_never_by_a_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut reg) = register(dir.path());
    reg.import_ledger(ledger().as_bytes()).unwrap();
    reg.add_user("max", Role::Agent, "max-pw-1").unwrap();
    reg.add_user("audra", Role::Auditor, "audra-pw").unwrap();
    drop(reg);
    let files = |p: &Path| -> Vec<Option<Vec<u8>>> {
        ["", "-wal", "-shm"]
            .iter()
            .map(|s| {
                let mut name = p.as_os_str().to_owned();
                name.push(s);
                std::fs::read(PathBuf::from(name)).ok()
            })
            .collect()
    };
    // A refused command: the file stays byte-identical, no sign-in recorded.
    let before = files(&path);
    let mut max = Register::open_as(&path, "max", "max-pw-1").unwrap();
    assert!(max.import_ledger(ledger().as_bytes()).is_err());
    drop(max);
    assert_eq!(files(&path), before);
    // The desktop app records the sign-in at once; only once per session.
    let max = Register::open_as(&path, "max", "max-pw-1").unwrap();
    max.record_unlock().unwrap();
    max.record_unlock().unwrap();
    drop(max);
    let audra = Register::open_as(&path, "audra", "audra-pw").unwrap();
    let t = trail(&audra, 3);
    // audra's own sign-in rode along with her first audited read (this trail is not one).
    assert_eq!(
        t.iter()
            .filter(|(u, a, _)| u == "max" && a == "unlock")
            .count(),
        1,
        "{t:?}"
    );
    assert!(!t.iter().any(|(u, _, _)| u == "audra"), "{t:?}");
    let mut out = Vec::new();
    audra.export_ledger(&mut out).unwrap();
    let t = trail(&audra, 3);
    assert_eq!(
        t.iter()
            .map(|(u, a, _)| (u.as_str(), a.as_str()))
            .take(2)
            .collect::<Vec<_>>(),
        [("audra", "exported"), ("audra", "unlock")],
        "{t:?}"
    );
    assert!(audra.verify().unwrap().intact());
}
