//! The role × operation matrix at the facade: every public operation of `Register` under
//! every role. Allowed → it works; forbidden → `Forbidden` naming the role needed, and the
//! register is exactly as before (ledger, counts, settings). Front ends only add to this.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::reports::ReportFailure;
use super::{MailchimpFiles, Register, RegisterError, ScreenOptions, Session};
use crate::domain::access::ROLES;
use crate::domain::{
    Channel, Event, EventKind, Permission, Purpose, Query, QueryChannel, Relationship, Role,
};
use crate::i18n::Lang;
use crate::import::mailchimp::MailchimpOptions;
use crate::import::ImportControl;
use crate::report::Made;

impl Register {
    /// Switches the signed-in user without a key slot, for tests of the role checks (the
    /// GUI's tests use it too). Real sessions come from unlocking.
    pub(crate) fn set_session_for_test(&mut self, user: &str, role: Role) {
        self.session = Session {
            user: user.to_owned(),
            role,
        };
    }
}

type Outcome = std::result::Result<(), RegisterError>;

fn instant(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn now() -> DateTime<FixedOffset> {
    instant("2026-06-01T12:00:00+02:00")
}

fn made() -> Made {
    Made {
        at: now(),
        by: "tester".into(),
    }
}

/// A report's own failures are not what this test is about: only the register's error
/// (and so `Forbidden`) passes through.
fn report<T>(r: Result<T, ReportFailure>) -> Outcome {
    match r {
        Ok(_) => Ok(()),
        Err(ReportFailure::Register(e)) => Err(e),
        Err(other) => panic!("the report failed for another reason: {other}"),
    }
}

fn newsletter() -> Purpose {
    Purpose::parse("newsletter").unwrap()
}

fn fixture_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}"))
}

/// Input files the operations read, made once per register.
struct Inputs {
    _dir: tempfile::TempDir,
    db: PathBuf,
    backup: PathBuf,
    csv: PathBuf,
    list: PathBuf,
    report_pdf: Vec<u8>,
}

fn demo_register() -> (Register, Inputs) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mut reg = Register::create(&db, "test pass").unwrap();
    reg.import_records(crate::demo::demo_ledger(now(), 7, 30).unwrap())
        .unwrap();
    let csv = dir.path().join("contacts.csv");
    std::fs::write(
        &csv,
        "Name,E-Mail\nJonas Neumann,jonas.neumann@example.de\n",
    )
    .unwrap();
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "email\nerika@example.de\nnobody@example.de\n").unwrap();
    let k = reg.resolve("K-1001").unwrap();
    let report_pdf = reg.evidence_report(&k, Lang::En, made()).unwrap().pdf;
    (
        reg,
        Inputs {
            backup: dir.path().join("backup.bin"),
            _dir: dir,
            db,
            csv,
            list,
            report_pdf,
        },
    )
}

/// Everything a refused write could have touched, read as admin.
type Snapshot = (
    Vec<u8>,
    u64,
    u64,
    Vec<Option<String>>,
    Option<String>,
    Vec<(String, Role)>,
    Option<Vec<u8>>,
);

fn snapshot(reg: &mut Register) -> Snapshot {
    let session = reg.session().clone();
    reg.set_session_for_test("snapshot", Role::Admin);
    let mut ledger = Vec::new();
    reg.export_ledger(&mut ledger).unwrap();
    let counts = reg.counts().unwrap();
    let settings = Register::setting_keys()
        .into_iter()
        .map(|k| reg.setting_value(k).unwrap())
        .collect();
    // The analytics pseudonym key is a setting too (made on the first export).
    let key = reg
        .store
        .setting(crate::export::analytics::KEY_SETTING)
        .unwrap();
    let users = reg
        .list_users()
        .unwrap()
        .into_iter()
        .map(|u| (u.name, u.role))
        .collect();
    let slots = std::fs::read(crate::store::keyring_path(reg.path())).ok();
    reg.set_session_for_test(&session.user, session.role);
    (
        ledger,
        counts.contacts,
        counts.events,
        settings,
        key,
        users,
        slots,
    )
}

type Operation = fn(&mut Register, &Inputs) -> Outcome;

/// Every public facade operation that does work for a user, with the permission it needs.
fn operations() -> Vec<(&'static str, Permission, Operation)> {
    vec![
        ("search", Permission::Read, |r, _| {
            r.search("Mustermann", 10, now()).map(drop)
        }),
        ("search_with_status", Permission::Read, |r, _| {
            r.search_with_status("Mustermann", 10, &newsletter(), now())
                .map(drop)
        }),
        ("resolve", Permission::Read, |r, _| {
            r.resolve("K-1001").map(drop)
        }),
        ("events", Permission::Read, |r, _| {
            r.events("K-1001").map(drop)
        }),
        ("view", Permission::Read, |r, _| {
            let c = r.lookup("K-1001")?;
            r.view(&c, &newsletter(), now()).map(drop)
        }),
        ("policy", Permission::Read, |r, _| r.policy().map(drop)),
        ("counts", Permission::Read, |r, _| r.counts().map(drop)),
        ("controller", Permission::Read, |r, _| {
            r.controller().map(drop)
        }),
        ("setting_value", Permission::Read, |r, _| {
            r.setting_value("consent_stale_after_months").map(drop)
        }),
        ("check", Permission::Check, |r, _| {
            let c = r.lookup("K-1001")?;
            let q = Query::new(QueryChannel::Contact(Channel::Email), newsletter(), now());
            r.check(&c, &q).map(drop)
        }),
        ("screen_list", Permission::Screen, |r, i| {
            let opts = ScreenOptions {
                channel: QueryChannel::Contact(Channel::Email),
                purpose: newsletter(),
                at: now(),
                category: None,
                email_column: None,
                phone_column: None,
                lang: Lang::En,
            };
            r.screen_list(&i.list, Vec::new(), &opts, &mut ImportControl::default())
                .map(drop)
        }),
        ("record", Permission::Record, |r, _| {
            r.record(Event {
                id: None,
                contact: "K-1001".into(),
                at: now(),
                kind: EventKind::Note {
                    text: "called back".into(),
                },
                recorded_by: Some("tester".into()),
                source: None,
                note: None,
                extra: Default::default(),
            })
            .map(drop)
        }),
        ("classify", Permission::Record, |r, _| {
            let c = r.lookup("K-1001")?;
            r.classify(&c, Relationship::Customer, "bought in the shop", now())
                .map(drop)
        }),
        ("import_ledger", Permission::Import, |r, _| {
            let line = r#"{"kind":"contact","id":"K-9001","party":"business","relationship":"prospect","name":"Neu GmbH","company":"Neu GmbH","emails":["info@neu.example"],"phones":[],"address":null,"customer_number":null}"#;
            r.import_ledger(Cursor::new(line)).map(drop)
        }),
        ("import_records", Permission::Import, |r, _| {
            let records = crate::domain::ledger::parse_jsonl(
                r#"{"kind":"contact","id":"K-9002","party":"consumer","relationship":"prospect","name":"Ida Neu","company":null,"emails":[],"phones":[],"address":null,"customer_number":null}"#,
            )
            .unwrap();
            r.import_records(records).map(drop)
        }),
        ("import_record_stream", Permission::Import, |r, _| {
            let records = crate::domain::ledger::parse_jsonl(
                r#"{"kind":"contact","id":"K-9003","party":"consumer","relationship":"prospect","name":"Ole Neu","company":null,"emails":[],"phones":[],"address":null,"customer_number":null}"#,
            )
            .unwrap();
            let batches = vec![Ok::<_, RegisterError>(records)];
            r.import_record_stream(batches, 10, |_| {}).map(drop)
        }),
        ("import_mailchimp", Permission::Import, |r, _| {
            let files = MailchimpFiles {
                subscribed: fixture_file("mailchimp/subscribed.csv"),
                unsubscribed: Some(fixture_file("mailchimp/unsubscribed.csv")),
                cleaned: Some(fixture_file("mailchimp/cleaned.csv")),
            };
            let opts = MailchimpOptions {
                consent_text_id: "CT-NEWSLETTER-v3".into(),
                purpose: newsletter(),
                offset: FixedOffset::east_opt(0).unwrap(),
            };
            r.import_mailchimp(&files, &opts, now(), &mut ImportControl::default())
                .map(drop)
        }),
        ("import_csv", Permission::Import, |r, i| {
            let spec = "name=Name,email=E-Mail".parse().unwrap();
            r.import_csv(&i.csv, &spec, now(), &mut ImportControl::default())
                .map(drop)
        }),
        ("evidence_model", Permission::Report, |r, _| {
            let c = r.lookup("K-1001")?;
            report(r.evidence_model(&c, made()))
        }),
        ("evidence_report", Permission::Report, |r, _| {
            let c = r.lookup("K-1001")?;
            report(r.evidence_report(&c, Lang::De, made()))
        }),
        ("access_model", Permission::Report, |r, _| {
            let c = r.lookup("K-1001")?;
            report(r.access_model(&c, made()))
        }),
        ("access_report", Permission::Report, |r, _| {
            let c = r.lookup("K-1001")?;
            report(r.access_report(&c, Lang::En, made()))
        }),
        ("register_model", Permission::Report, |r, _| {
            report(r.register_model(None, now(), made()))
        }),
        ("register_report", Permission::Report, |r, _| {
            report(r.register_report(None, now(), Lang::De, made()))
        }),
        ("verify_report", Permission::Report, |r, i| {
            report(r.verify_report(&i.report_pdf))
        }),
        ("export_ledger", Permission::Export, |r, _| {
            r.export_ledger(Vec::new()).map(drop)
        }),
        ("export_analytics", Permission::Export, |r, _| {
            r.export_analytics(Vec::new(), &[], now()).map(drop)
        }),
        ("set_policy_value", Permission::ChangeSettings, |r, _| {
            r.set_policy_value("consent_stale_after_months", "30")
                .map(drop)
        }),
        ("set_setting_value", Permission::ChangeSettings, |r, _| {
            r.set_setting_value("controller_name", "Beispiel GmbH")
                .map(drop)
        }),
        ("erasure_of", Permission::Read, |r, _| {
            r.erasure_of("K-1001").map(drop)
        }),
        ("resolve_for_check", Permission::Check, |r, _| {
            r.resolve_for_check("K-1001").map(drop)
        }),
        ("suppressed_stand_in", Permission::Check, |r, _| {
            r.suppressed_stand_in("nobody@example.de").map(drop)
        }),
        ("retention_until", Permission::Erase, |r, _| {
            let c = r.lookup("K-1030")?;
            r.retention_until(&c, now()).map(drop)
        }),
        ("erase_at", Permission::Erase, |r, _| {
            r.erase_at("K-1030", "Art. 17 request by letter", true, now())
                .map(drop)
        }),
        ("audit_trail", Permission::Verify, |r, _| {
            r.audit_trail(20).map(drop)
        }),
        ("verify", Permission::Verify, |r, _| r.verify().map(drop)),
        ("backup", Permission::Administer, |r, i| {
            r.backup(&i.backup).map(drop)
        }),
        ("add_user", Permission::ManageUsers, |r, _| {
            r.add_user("newbie", Role::Agent, "newbie-pass")
        }),
        ("list_users", Permission::ManageUsers, |r, _| {
            r.list_users().map(drop)
        }),
        ("remove_user", Permission::ManageUsers, |r, _| {
            r.remove_user("newbie")
        }),
        ("add_demo_users", Permission::ManageUsers, |r, _| {
            r.add_demo_users("demo-pass")
        }),
        // Last: the register works on under its new key.
        ("rekey", Permission::Administer, |r, _| {
            r.rekey("test pass").map(drop)
        }),
    ]
}

#[test]
fn every_role_may_do_exactly_what_the_matrix_says() {
    for role in ROLES {
        let (mut reg, inputs) = demo_register();
        // The admin is the register's own first user, whose key slot `rekey` rewraps.
        let user = match role {
            Role::Admin => super::DEFAULT_USER,
            _ => "someone",
        };
        reg.set_session_for_test(user, role);
        for (name, permission, op) in operations() {
            let before = snapshot(&mut reg);
            let outcome = op(&mut reg, &inputs);
            if role.allows(permission) {
                if let Err(e) = outcome {
                    panic!("{role} may {name}, but: {e}");
                }
                continue;
            }
            match outcome {
                Err(RegisterError::Forbidden {
                    user: u,
                    role: r,
                    permission: p,
                }) => {
                    assert_eq!((u.as_str(), r, p), (user, role, permission));
                }
                other => panic!("{role} may not {name}, got {other:?}"),
            }
            assert!(
                before == snapshot(&mut reg),
                "{role}: the refused {name} changed the register"
            );
        }
        drop(reg);
        assert!(inputs.db.exists());
    }
}

#[test]
fn the_refusal_names_the_role_needed() {
    let (mut reg, inputs) = demo_register();
    reg.set_session_for_test("agent1", Role::Agent);
    let record = operations()
        .into_iter()
        .find(|(n, ..)| *n == "record")
        .unwrap()
        .2;
    let e = record(&mut reg, &inputs).unwrap_err();
    assert_eq!(
        e.to_string(),
        "user `agent1` (role agent) may not record events or classify; that needs the role officer or admin"
    );
    reg.set_session_for_test("audit", Role::Auditor);
    let import = operations()
        .into_iter()
        .find(|(n, ..)| *n == "import_csv")
        .unwrap()
        .2;
    let e = import(&mut reg, &inputs).unwrap_err().to_string();
    assert!(e.contains("may not import"), "{e}");
    assert!(e.contains("officer or admin"), "{e}");
    reg.set_session_for_test("officer1", Role::Officer);
    let settings = operations()
        .into_iter()
        .find(|(n, ..)| *n == "set_policy_value")
        .unwrap()
        .2;
    let e = settings(&mut reg, &inputs).unwrap_err().to_string();
    assert!(e.ends_with("that needs the role admin"), "{e}");
}

/// No public facade method may skip the check: every `pub fn` of `Register` starts with
/// `self.require(…)`, or only hands its arguments on to one that does (`erase` → `erase_at`),
/// unless it is listed here as deliberately unchecked. A new method (erase, verify,
/// users …) passes by calling `require` first, like the rest.
#[test]
fn every_public_facade_method_starts_with_require() {
    let unchecked = [
        // Opening and restoring: the session does not exist yet.
        "create",
        "open",
        "create_as",
        "open_as",
        "open_or_create_demo",
        "restore",
        // The session itself.
        "session",
        "require",
        "path",
        // A constant list of key names, no register content.
        "setting_keys",
        // One's own password needs no permission; another user's needs ManageUsers,
        // checked inside.
        "change_password",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("register.rs")];
    for entry in std::fs::read_dir(root.join("register")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".rs") && !name.contains("test") {
            files.push(path);
        }
    }
    // (method, file, the first statements of its body)
    let mut methods: Vec<(String, String, Vec<String>)> = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // A test module at the end of a file is not facade.
        let text = text.split("#[cfg(test)]").next().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // Only methods of `Register` (not of the error and result types beside it).
        let mut in_register = false;
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with("impl Register {") {
                in_register = true;
            } else if line.starts_with('}') {
                in_register = false;
            }
            let Some(rest) = line.trim_start().strip_prefix("pub fn ") else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !in_register || unchecked.contains(&name.as_str()) {
                continue;
            }
            let body_start = (i..lines.len())
                .find(|&j| lines[j].trim_end().ends_with('{'))
                .unwrap();
            let first: Vec<String> = lines[body_start + 1..]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .take(3)
                .map(str::to_owned)
                .collect();
            methods.push((name, file.display().to_string(), first));
        }
    }
    assert!(methods.len() >= 25, "the scan found only {}", methods.len());
    let mut guarded: Vec<String> = methods
        .iter()
        .filter(|(_, _, first)| {
            first
                .first()
                .is_some_and(|l| l.starts_with("self.require(Permission::"))
        })
        .map(|(n, ..)| n.clone())
        .collect();
    // A thin wrapper: its first statements call a guarded method (to a fixed point).
    loop {
        let more: Vec<String> = methods
            .iter()
            .filter(|(n, _, first)| {
                !guarded.contains(n)
                    && first
                        .iter()
                        .any(|l| guarded.iter().any(|g| l.contains(&format!("self.{g}("))))
            })
            .map(|(n, ..)| n.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        guarded.extend(more);
    }
    let unguarded: Vec<String> = methods
        .iter()
        .filter(|(n, ..)| !guarded.contains(n))
        .map(|(n, f, _)| format!("{n} in {f}"))
        .collect();
    assert!(
        unguarded.is_empty(),
        "public facade methods that do not start with self.require(Permission::…): {unguarded:?}"
    );
}
