//! The GUI's wording of register errors: German is German and keeps the details, English
//! keeps today's sentences, and no hint sends a GUI user to a command-line flag.

use std::path::PathBuf;

use super::*;
use crate::domain::Role;
use crate::gui::handle::GuiError;

fn io(what: &str) -> std::io::Error {
    std::io::Error::other(what.to_owned())
}

fn row_error() -> RegisterError {
    ImportError::Row {
        file: "kunden.csv".into(),
        row: 2,
        line: 3,
        column: "E-Mail".into(),
        problem: "not an email address".into(),
    }
    .into()
}

fn retention() -> RegisterError {
    ErasureError::RetentionPeriod {
        contact: "K-1001".into(),
        until: "2031-05-01".into(),
    }
    .into()
}

fn forbidden() -> RegisterError {
    RegisterError::Forbidden {
        user: "agnes".into(),
        role: Role::Agent,
        permission: Permission::Erase,
    }
}

/// Errors whose English GUI sentence is the CLI's sentence word for word.
fn same_as_cli() -> Vec<RegisterError> {
    vec![
        row_error(),
        ImportError::Row {
            file: "liste.csv".into(),
            row: 7,
            line: 9,
            column: String::new(),
            problem: "too few fields".into(),
        }
        .into(),
        ImportError::MissingColumn {
            file: "liste.csv".into(),
            wanted: "email".into(),
            found: "Name, Telefon".into(),
        }
        .into(),
        ImportError::Empty {
            file: "leer.csv".into(),
        }
        .into(),
        ImportError::Read {
            file: "weg.csv".into(),
            source: io("gone"),
        }
        .into(),
        ImportError::Cancelled.into(),
        retention(),
        ErasureError::AlreadyErased("K-1002".into()).into(),
        ErasureError::Erased("K-1003".into()).into(),
        forbidden(),
        RegisterError::Forbidden {
            user: "otto".into(),
            role: Role::Officer,
            permission: Permission::ManageUsers,
        },
        RegisterError::User(UserError::InvalidName("a b".into())),
        RegisterError::User(UserError::Exists("erika".into())),
        RegisterError::User(UserError::Unknown("max".into())),
        RegisterError::User(UserError::LastAdmin("admin".into())),
        RegisterError::User(UserError::RemoveSelf("admin".into())),
        RegisterError::User(UserError::PasswordTooShort),
        StoreError::WrongPassphrase.into(),
        StoreError::EmptyPassphrase.into(),
        StoreError::Busy.into(),
        StoreError::NotARegister.into(),
        StoreError::NewerSchema {
            found: 9,
            supported: 7,
        }
        .into(),
        StoreError::KeyringMissing(PathBuf::from("/daten/r.db.keys")).into(),
        StoreError::KeyringDamaged {
            path: PathBuf::from("/daten/r.db.keys"),
            problem: "bad slot".into(),
        }
        .into(),
        StoreError::DuplicateContact("K-1".into()).into(),
        StoreError::ContactNotFound("K-2".into()).into(),
        StoreError::DuplicateEvent("E-3".into()).into(),
        StoreError::Invalid(ValidationError::new("email", "must contain @")).into(),
        StoreError::Io {
            path: PathBuf::from("/daten/r.db"),
            source: io("denied"),
        }
        .into(),
        ValidationError::new("channels", "must not be empty").into(),
        RegisterError::Import {
            line: 4,
            message: "bad json".into(),
        },
        RegisterError::ContactNotFound("Meier".into()),
        RegisterError::Ambiguous {
            reference: "Meier".into(),
            candidates: vec!["K-1".into(), "K-2".into()],
        },
        crate::outfile::OutputError::Exists(PathBuf::from("/out/a.csv")).into(),
        crate::outfile::OutputError::Appeared {
            target: PathBuf::from("/out/a.csv"),
            tmp: PathBuf::from("/out/.a.tmp"),
        }
        .into(),
        RegisterError::Io {
            what: "the list".into(),
            source: io("denied"),
        },
    ]
}

/// Errors the CLI words with a command or flag, which the GUI words for the window.
fn worded_for_the_window() -> Vec<RegisterError> {
    vec![
        StoreError::NotFound(PathBuf::from("/daten/fehlt.db")).into(),
        StoreError::AlreadyExists(PathBuf::from("/daten/da.db")).into(),
        StoreError::Corrupt("page 4".into()).into(),
        ImportError::Map("no field `x`".into()).into(),
        RegisterError::Backup("not a backup".into()),
    ]
}

#[test]
fn english_messages_are_the_cli_sentences() {
    for e in same_as_cli() {
        assert_eq!(register_error(&e, Lang::En).message, e.to_string());
    }
}

#[test]
fn every_text_is_found_and_no_hint_names_a_command_line_flag() {
    for e in same_as_cli().into_iter().chain(worded_for_the_window()) {
        for lang in [Lang::De, Lang::En] {
            let text = register_error(&e, lang);
            for s in [&text.message, &text.hint] {
                assert!(!s.contains("error-"), "missing key in {lang:?}: {s}");
                assert!(!s.contains("{ $"), "unfilled placeable in {lang:?}: {s}");
                assert!(!s.contains("--"), "a flag in {lang:?}: {s}");
                assert!(!s.contains("`consentry"), "a command in {lang:?}: {s}");
            }
        }
        // German differs from English (a missing translation would fall through to English).
        let (de, en) = (register_error(&e, Lang::De), register_error(&e, Lang::En));
        assert_ne!(de.message, en.message, "{e:?}");
    }
}

#[test]
fn a_bad_row_in_german_names_file_row_line_and_column() {
    let de = register_error(&row_error(), Lang::De);
    assert_eq!(
        de.message,
        "kunden.csv, Datensatz 2 (Zeile 3), Spalte `E-Mail`: not an email address"
    );
    assert!(de.hint.contains("überspringen"), "{}", de.hint);
    let en = register_error(&row_error(), Lang::En);
    assert!(en.hint.contains("skip invalid rows"), "{}", en.hint);
}

#[test]
fn the_retention_refusal_in_german_says_to_confirm_in_the_warning() {
    let de = register_error(&retention(), Lang::De);
    assert!(de.message.contains("K-1001"), "{}", de.message);
    assert!(de.message.contains("2031-05-01"), "{}", de.message);
    assert!(de.message.contains("aufbewahrt"), "{}", de.message);
    assert!(de.hint.contains("Bestätigen Sie"), "{}", de.hint);
    // The CLI's hint names --confirm-retention; the window's does not.
    assert!(retention().hint().contains("--confirm-retention"));
    let en = register_error(&retention(), Lang::En);
    assert!(en.hint.contains("warning"), "{}", en.hint);
}

#[test]
fn a_forbidden_action_in_german_names_user_role_and_roles_needed() {
    let de = register_error(&forbidden(), Lang::De);
    assert_eq!(
        de.message,
        "Benutzer `agnes` (Rolle agent) ist nicht berechtigt, eine Person zu löschen; \
         dafür ist die Rolle officer oder admin nötig."
    );
    assert!(de.hint.contains("Administrator"), "{}", de.hint);
}

#[test]
fn store_and_user_errors_in_german() {
    let wrong = register_error(&StoreError::WrongPassphrase.into(), Lang::De);
    assert_eq!(wrong.message, "Benutzername oder Passphrase ist falsch.");
    assert!(!wrong.hint.contains("CONSENTRY_"), "{}", wrong.hint);
    let newer = register_error(
        &StoreError::NewerSchema {
            found: 9,
            supported: 7,
        }
        .into(),
        Lang::De,
    );
    assert!(
        newer.message.contains("Schemaversion 9"),
        "{}",
        newer.message
    );
    assert!(newer.message.contains("(7)"), "{}", newer.message);
    let last = register_error(
        &RegisterError::User(UserError::LastAdmin("root".into())),
        Lang::De,
    );
    assert!(last.message.contains("`root` ist der letzte Administrator"));
    let short = register_error(&RegisterError::User(UserError::PasswordTooShort), Lang::De);
    let min = crate::register::MIN_PASSWORD_CHARS.to_string();
    assert!(short.message.contains(&format!("mindestens {min} Zeichen")));
}

#[test]
fn report_failures_in_german() {
    let empty = ReportFailure::EmptyPeriod {
        from: "2026-05-01".into(),
        to: "2026-04-01".into(),
    };
    let de = report_failure(&empty, Lang::De);
    assert!(de.message.contains("Zeitraum ist leer"), "{}", de.message);
    assert!(de.message.contains("2026-05-01") && de.message.contains("2026-04-01"));
    let inner = report_failure(&ReportFailure::Register(forbidden()), Lang::De);
    assert!(
        inner.message.contains("nicht berechtigt"),
        "{}",
        inner.message
    );
    let exists = report_failure(&ReportFailure::Exists(PathBuf::from("/x/b.pdf")), Lang::De);
    assert!(exists.message.contains("/x/b.pdf"), "{}", exists.message);
}

#[test]
fn the_gui_error_keeps_both_languages_and_the_wrong_passphrase_mark() {
    let e = GuiError::from(RegisterError::from(StoreError::WrongPassphrase));
    assert!(e.wrong_passphrase);
    assert_eq!(e.message(Lang::En), "wrong user name or passphrase");
    assert_eq!(
        e.message(Lang::De),
        "Benutzername oder Passphrase ist falsch."
    );
    assert_eq!(e.to_string(), "wrong user name or passphrase");
    let other = GuiError::from(retention());
    assert!(!other.wrong_passphrase);
    assert!(other.hint(Lang::De).contains("Bestätigen Sie"));
}

#[test]
fn a_report_failure_in_the_gui_keeps_both_languages() {
    let e = crate::gui::report_save::gui_error(ReportFailure::Exists(PathBuf::from("/x/b.pdf")));
    assert_eq!(
        e.message(Lang::De),
        report_failure(&ReportFailure::Exists(PathBuf::from("/x/b.pdf")), Lang::De).message
    );
    assert_eq!(
        e.message(Lang::En),
        report_failure(&ReportFailure::Exists(PathBuf::from("/x/b.pdf")), Lang::En).message
    );
    assert_ne!(e.message(Lang::De), e.message(Lang::En));
}
