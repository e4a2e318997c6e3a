//! Register errors in the user's language. The CLI keeps the English `Display` texts and
//! hints (they name flags and commands); the GUI words the same facts for the window, in
//! German or English, with the same details (files, rows, ids). Every match is exhaustive
//! so a new error variant cannot reach the window untranslated.

use std::path::Path;

use crate::domain::{Permission, ValidationError};
use crate::i18n::{t, tf, Lang};
use crate::import::ImportError;
use crate::outfile::OutputError;
use crate::register::reports::ReportFailure;
use crate::register::{ErasureError, RegisterError, UserError};
use crate::report::ReportError;
use crate::store::StoreError;

/// What the window shows: the sentence, and what to do (empty when there is nothing to do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorText {
    pub message: String,
    pub hint: String,
}

impl ErrorText {
    fn new(message: String, hint: &str) -> Self {
        ErrorText {
            message,
            hint: hint.to_owned(),
        }
    }
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

pub fn register_error(e: &RegisterError, lang: Lang) -> ErrorText {
    let hint = |key| t(lang, key);
    match e {
        RegisterError::Store(s) => store_error(s, lang),
        RegisterError::Invalid(v) => ErrorText::new(invalid(v, lang), hint("error-invalid-hint")),
        RegisterError::Import { line, message } => ErrorText::new(
            tf(
                lang,
                "error-import-line",
                &[("line", &line.to_string()), ("message", message)],
            ),
            hint("error-import-line-hint"),
        ),
        RegisterError::ContactNotFound(reference) => ErrorText::new(
            tf(lang, "error-contact-not-found", &[("reference", reference)]),
            hint("error-contact-not-found-hint"),
        ),
        RegisterError::Ambiguous {
            reference,
            candidates,
        } => ErrorText::new(
            tf(
                lang,
                "error-ambiguous",
                &[
                    ("reference", reference),
                    ("count", &candidates.len().to_string()),
                    ("candidates", &candidates.join(", ")),
                ],
            ),
            hint("error-ambiguous-hint"),
        ),
        RegisterError::File(f) => import_error(f, lang),
        RegisterError::Output(o) => output_error(o, lang),
        RegisterError::Erasure(er) => erasure_error(er, lang),
        RegisterError::Forbidden {
            user,
            role,
            permission,
        } => ErrorText::new(
            tf(
                lang,
                "error-forbidden",
                &[
                    ("user", user),
                    ("role", role.as_str()),
                    ("action", t(lang, action_key(*permission))),
                    ("roles", &super::permit::needed_roles(*permission, lang)),
                ],
            ),
            hint("error-forbidden-hint"),
        ),
        RegisterError::User(u) => user_error(u, lang),
        RegisterError::Backup(problem) => ErrorText::new(
            tf(lang, "error-backup", &[("problem", problem)]),
            hint("error-backup-hint"),
        ),
        RegisterError::Io { what, source } => ErrorText::new(
            tf(
                lang,
                "error-io",
                &[("what", what), ("error", &source.to_string())],
            ),
            hint("error-io-hint"),
        ),
    }
}

fn invalid(v: &ValidationError, lang: Lang) -> String {
    tf(
        lang,
        "error-invalid",
        &[("field", &v.field), ("problem", &v.problem)],
    )
}

fn store_error(e: &StoreError, lang: Lang) -> ErrorText {
    let general = t(lang, "error-store-hint");
    let keyring = t(lang, "error-store-keyring-hint");
    let (message, hint) = match e {
        StoreError::NotFound(p) => (
            tf(lang, "error-store-not-found", &[("path", &path(p))]),
            t(lang, "error-store-not-found-hint"),
        ),
        StoreError::AlreadyExists(p) => (
            tf(lang, "error-store-exists", &[("path", &path(p))]),
            t(lang, "error-store-exists-hint"),
        ),
        // Nothing to look up: the unlock screen asks for a passphrase again.
        StoreError::EmptyPassphrase => (t(lang, "error-store-empty-passphrase").to_owned(), ""),
        StoreError::WrongPassphrase => (
            t(lang, "error-store-wrong-passphrase").to_owned(),
            t(lang, "error-store-wrong-passphrase-hint"),
        ),
        StoreError::KeyringMissing(p) => (
            tf(lang, "error-store-keyring-missing", &[("path", &path(p))]),
            keyring,
        ),
        StoreError::KeyringDamaged { path: p, problem } => (
            tf(
                lang,
                "error-store-keyring-damaged",
                &[("path", &path(p)), ("problem", problem)],
            ),
            keyring,
        ),
        StoreError::NotARegister => (
            t(lang, "error-store-not-a-register").to_owned(),
            t(lang, "error-store-not-a-register-hint"),
        ),
        StoreError::NewerSchema { found, supported } => (
            tf(
                lang,
                "error-store-newer-schema",
                &[
                    ("found", &found.to_string()),
                    ("supported", &supported.to_string()),
                ],
            ),
            t(lang, "error-store-newer-schema-hint"),
        ),
        StoreError::Busy => (
            t(lang, "error-store-busy").to_owned(),
            t(lang, "error-store-busy-hint"),
        ),
        StoreError::DuplicateContact(id) => (
            tf(lang, "error-store-duplicate-contact", &[("id", id)]),
            general,
        ),
        StoreError::ContactNotFound(id) => (
            tf(lang, "error-store-contact-not-found", &[("id", id)]),
            general,
        ),
        StoreError::DuplicateEvent(id) => (
            tf(lang, "error-store-duplicate-event", &[("id", id)]),
            general,
        ),
        StoreError::Invalid(v) => (
            tf(
                lang,
                "error-store-invalid",
                &[("field", &v.field), ("problem", &v.problem)],
            ),
            general,
        ),
        StoreError::Corrupt(problem) => (
            tf(lang, "error-store-corrupt", &[("problem", problem)]),
            general,
        ),
        StoreError::Io { path: p, source } => (
            tf(
                lang,
                "error-store-io",
                &[("path", &path(p)), ("error", &source.to_string())],
            ),
            general,
        ),
        StoreError::Sqlite(err) => (
            tf(lang, "error-store-sqlite", &[("error", &err.to_string())]),
            general,
        ),
    };
    ErrorText::new(message, hint)
}

fn import_error(e: &ImportError, lang: Lang) -> ErrorText {
    let (message, hint) = match e {
        ImportError::Row {
            file,
            row,
            line,
            column,
            problem,
        } => {
            let (row, line) = (row.to_string(), line.to_string());
            let mut args = vec![
                ("file", file.as_str()),
                ("row", row.as_str()),
                ("line", line.as_str()),
                ("problem", problem.as_str()),
            ];
            let key = if column.is_empty() {
                "error-file-row"
            } else {
                args.push(("column", column.as_str()));
                "error-file-row-column"
            };
            (tf(lang, key, &args), "error-file-row-hint")
        }
        ImportError::MissingColumn {
            file,
            wanted,
            found,
        } => (
            tf(
                lang,
                "error-file-missing-column",
                &[("file", file), ("wanted", wanted), ("found", found)],
            ),
            "error-file-missing-column-hint",
        ),
        ImportError::Empty { file } => (
            tf(lang, "error-file-empty", &[("file", file)]),
            "error-file-hint",
        ),
        ImportError::Read { file, source } => (
            tf(
                lang,
                "error-file-read",
                &[("file", file), ("error", &source.to_string())],
            ),
            "error-file-hint",
        ),
        ImportError::Map(problem) => (
            tf(lang, "error-file-map", &[("problem", problem)]),
            "error-file-map-hint",
        ),
        ImportError::Cancelled => (
            t(lang, "error-file-cancelled").to_owned(),
            "error-file-cancelled-hint",
        ),
    };
    ErrorText::new(message, t(lang, hint))
}

fn output_error(e: &OutputError, lang: Lang) -> ErrorText {
    let message = match e {
        OutputError::Exists(p) => tf(lang, "error-output-exists", &[("path", &path(p))]),
        OutputError::Io { path: p, source } => tf(
            lang,
            "error-output-io",
            &[("path", &path(p)), ("error", &source.to_string())],
        ),
        OutputError::Appeared { target, tmp } => tf(
            lang,
            "error-output-appeared",
            &[("target", &path(target)), ("tmp", &path(tmp))],
        ),
    };
    ErrorText::new(message, t(lang, "error-output-hint"))
}

fn erasure_error(e: &ErasureError, lang: Lang) -> ErrorText {
    let (message, hint) = match e {
        ErasureError::RetentionPeriod { contact, until } => (
            tf(
                lang,
                "error-erasure-retention",
                &[("contact", contact), ("until", until)],
            ),
            "error-erasure-retention-hint",
        ),
        ErasureError::AlreadyErased(id) => (
            tf(lang, "error-erasure-already", &[("id", id)]),
            "error-erasure-already-hint",
        ),
        ErasureError::Erased(id) => (
            tf(lang, "error-erasure-erased", &[("id", id)]),
            "error-erasure-erased-hint",
        ),
    };
    ErrorText::new(message, t(lang, hint))
}

fn user_error(e: &UserError, lang: Lang) -> ErrorText {
    let (key, name) = match e {
        UserError::InvalidName(n) => ("error-user-invalid-name", n.as_str()),
        UserError::Exists(n) => ("error-user-exists", n.as_str()),
        UserError::Unknown(n) => ("error-user-unknown", n.as_str()),
        UserError::LastAdmin(n) => ("error-user-last-admin", n.as_str()),
        UserError::RemoveSelf(n) => ("error-user-remove-self", n.as_str()),
        UserError::PasswordTooShort => ("error-user-too-short", ""),
    };
    let min = crate::register::MIN_PASSWORD_CHARS.to_string();
    ErrorText::new(
        tf(lang, key, &[("name", name), ("min", &min)]),
        t(lang, &format!("{key}-hint")),
    )
}

/// A report failure; register errors inside it as above.
pub fn report_failure(e: &ReportFailure, lang: Lang) -> ErrorText {
    match e {
        ReportFailure::Register(r) => register_error(r, lang),
        ReportFailure::Report(ReportError::Font(problem)) => ErrorText::new(
            tf(lang, "error-report-font", &[("problem", problem)]),
            t(lang, "error-report-font-hint"),
        ),
        ReportFailure::Report(ReportError::NotAReport(_)) => {
            ErrorText::new(t(lang, "reports-gui-not-a-report").to_owned(), "")
        }
        ReportFailure::Exists(p) => {
            ErrorText::new(tf(lang, "reports-gui-exists", &[("file", &path(p))]), "")
        }
        ReportFailure::Write { path: p, source } => ErrorText::new(
            tf(
                lang,
                "reports-gui-write-failed",
                &[("file", &path(p)), ("error", &source.to_string())],
            ),
            "",
        ),
        ReportFailure::EmptyPeriod { from, to } => ErrorText::new(
            tf(
                lang,
                "error-report-empty-period",
                &[("from", from), ("to", to)],
            ),
            t(lang, "error-report-empty-period-hint"),
        ),
    }
}

fn action_key(p: Permission) -> &'static str {
    match p {
        Permission::Read => "error-action-read",
        Permission::Check => "error-action-check",
        Permission::Screen => "error-action-screen",
        Permission::Record => "error-action-record",
        Permission::Import => "error-action-import",
        Permission::Erase => "error-action-erase",
        Permission::Report => "error-action-report",
        Permission::Export => "error-action-export",
        Permission::Verify => "error-action-verify",
        Permission::ManageUsers => "error-action-manage-users",
        Permission::ChangeSettings => "error-action-change-settings",
        Permission::Administer => "error-action-administer",
    }
}

#[cfg(test)]
mod tests;
