//! The use-case facade both front ends call: open, import, export, search, show, check,
//! record, classify, settings. Synchronous; the GUI calls it off the UI thread.

use std::io::{BufRead, Write};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use thiserror::Error;

use crate::domain::chain::AuditAction;
use crate::domain::erasure::is_erased;
use crate::domain::identifiers::{looks_like_phone, normalise_email, normalise_phone};
use crate::domain::{
    classify_at, decide, Channel, Classification, Contact, Decision, Event, EventKind,
    LedgerRecord, Permission, Policy, Purpose, Query, QueryChannel, Relationship, Role,
    ValidationError,
};
use crate::store::{Store, StoreError, Tx};

#[cfg(test)]
mod access_tests;
mod audit;
mod backup;
mod bulk;
mod demo_register;
mod erasure;
mod exports;
mod imports;
pub mod reports;
mod screening;
mod settings_all;
mod status;
mod users;

pub use audit::{AuditRecord, ChainBreak, VerifyReport};
pub use backup::BackupSummary;
pub use demo_register::DEMO_USERS;
pub use erasure::{ErasureError, ErasureSummary};
pub use exports::AnalyticsSummary;
pub use imports::MailchimpFiles;
pub use screening::{ScreenOptions, ScreenSummary};
pub use status::SearchResult;
pub use users::{UserError, UserInfo, DEFAULT_USER, MIN_PASSWORD_CHARS};

#[derive(Debug, Error)]
pub enum RegisterError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("line {line}: {message}")]
    Import { line: usize, message: String },
    #[error("no contact matches `{0}`")]
    ContactNotFound(String),
    #[error("`{reference}` matches {} contacts: {}", candidates.len(), candidates.join(", "))]
    Ambiguous {
        reference: String,
        candidates: Vec<String>,
    },
    /// A Mailchimp, CSV or list-screening file (row, column and problem named).
    #[error(transparent)]
    File(#[from] crate::import::ImportError),
    #[error(transparent)]
    Output(#[from] crate::outfile::OutputError),
    /// An erasure refused (retention period, already erased).
    #[error(transparent)]
    Erasure(#[from] erasure::ErasureError),
    /// The signed-in user's role may not do this (CLI exit 3).
    #[error("user `{user}` (role {role}) may not {}; that needs the role {}", permission.as_str(), needed_roles(*permission))]
    Forbidden {
        user: String,
        role: Role,
        permission: Permission,
    },
    /// User management refused (name taken, last admin, …).
    #[error(transparent)]
    User(users::UserError),
    /// A backup file that cannot be restored.
    #[error("{0}")]
    Backup(String),
    #[error("could not read or write {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl RegisterError {
    /// What the user can do about it, in one short sentence.
    pub fn hint(&self) -> &'static str {
        match self {
            RegisterError::Store(e) => store_hint(e),
            RegisterError::Invalid(_) => "correct the value and run the command again",
            RegisterError::Import { .. } => "fix that line; nothing was imported",
            RegisterError::ContactNotFound(_) => {
                "search with `consentry search` and use the contact id"
            }
            RegisterError::Ambiguous { .. } => "use one of the contact ids listed",
            RegisterError::Io { .. } => "check the path and permissions",
            RegisterError::Output(_) => {
                "choose another file name, or check the folder's permissions"
            }
            RegisterError::File(e) => e.hint(),
            RegisterError::Erasure(e) => e.hint(),
            RegisterError::Forbidden { .. } => {
                "ask a user with that role, or an admin to change your role"
            }
            RegisterError::User(e) => e.hint(),
            RegisterError::Backup(_) => "give the file written by `consentry backup`",
        }
    }
}

fn store_hint(e: &StoreError) -> &'static str {
    match e {
        StoreError::WrongPassphrase => {
            "check the user (--user or CONSENTRY_USER) and the passphrase (CONSENTRY_PASSPHRASE or --passphrase-file)"
        }
        StoreError::KeyringMissing(_) | StoreError::KeyringDamaged { .. } => {
            "restore the register and its .keys file with `consentry restore BACKUP --to PATH` (a register made before user accounts has no key file: export its ledger with that earlier version and import it into a new register)"
        }
        StoreError::Busy => "close the other Consentry sessions on this register and try again",
        StoreError::NotFound(_) => {
            "create a register with `consentry init` or give the right path with --db"
        }
        StoreError::AlreadyExists(_) => {
            "choose another path with --db; an existing register is never overwritten"
        }
        StoreError::NewerSchema { .. } => "open it with a newer version of Consentry",
        StoreError::NotARegister => "give the path of a Consentry register with --db",
        _ => "run `consentry verify` and restore a backup if the problem stays",
    }
}

pub type Result<T, E = RegisterError> = std::result::Result<T, E>;

/// What an import added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub contacts_added: usize,
    pub events_added: usize,
    /// Records already in the register with identical content (re-import adds nothing).
    pub unchanged: usize,
    /// Records of erased contacts left out, and new contacts whose email, phone or address
    /// is on the suppression list (imported, but every decision denies them).
    pub suppressed: usize,
}

/// A contact as listed in search results.
#[derive(Debug, Clone)]
pub struct ContactSummary {
    pub contact: Contact,
    pub classification: Classification,
}

/// Everything the contact screen / `show` presents, as of one instant.
#[derive(Debug, Clone)]
pub struct ContactView {
    pub contact: Contact,
    pub classification: Classification,
    pub as_of: DateTime<FixedOffset>,
    pub purpose: Purpose,
    /// One decision per channel (email, SMS, phone, letter) for `purpose`.
    pub channels: Vec<(Channel, Decision)>,
    /// The whole ledger of the contact, in ledger order (also events after `as_of`).
    pub events: Vec<Event>,
}

fn needed_roles(permission: Permission) -> String {
    let names: Vec<&str> = permission
        .needed_by()
        .into_iter()
        .filter(|r| *r != Role::Admin)
        .map(Role::as_str)
        .collect();
    match names.as_slice() {
        [] => "admin".to_owned(),
        _ => format!("{} or admin", names.join(", ")),
    }
}

/// Who unlocked the register; every facade call is checked against `role` and every audit
/// entry names `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    pub role: Role,
}

pub struct Register {
    store: Store,
    session: Session,
}

impl Register {
    /// The signed-in user and role.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Refuses (`Forbidden`) unless the session's role may do `permission`. Every public
    /// facade method calls this first, so no front end can skip it.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.session.role.allows(permission) {
            Ok(())
        } else {
            Err(RegisterError::Forbidden {
                user: self.session.user.clone(),
                role: self.session.role,
                permission,
            })
        }
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn policy(&self) -> Result<Policy> {
        self.require(Permission::Read)?;
        Ok(self.store.policy()?)
    }

    pub fn counts(&self) -> Result<crate::store::Counts> {
        self.require(Permission::Read)?;
        Ok(self.store.counts()?)
    }

    /// Imports ledger JSONL atomically: one bad line and nothing is written.
    pub fn import_ledger(&mut self, input: impl BufRead) -> Result<ImportSummary> {
        self.require(Permission::Import)?;
        let suppression = self.suppression_list()?;
        self.store.write(|tx| {
            let mut summary = ImportSummary::default();
            for (i, line) in input.lines().enumerate() {
                let line_no = i + 1;
                let line = line.map_err(|source| RegisterError::Io {
                    what: format!("line {line_no} of the ledger"),
                    source,
                })?;
                if line.trim().is_empty() {
                    continue;
                }
                let record = LedgerRecord::parse(&line).map_err(|e| RegisterError::Import {
                    line: line_no,
                    message: e.to_string(),
                })?;
                erasure::count_listed(suppression.as_ref(), &record, &mut summary);
                import_record(tx, record, &mut summary).map_err(|e| match e {
                    RegisterError::Import { .. } => e,
                    other => RegisterError::Import {
                        line: line_no,
                        message: other.to_string(),
                    },
                })?;
            }
            audit::ledger_imported(tx, &self.session, "ledger", &summary)?;
            Ok(summary)
        })
    }

    /// Imports already parsed records (the demo generator), atomically.
    pub fn import_records(&mut self, records: Vec<LedgerRecord>) -> Result<ImportSummary> {
        self.require(Permission::Import)?;
        let suppression = self.suppression_list()?;
        self.store.write(|tx| {
            let mut summary = ImportSummary::default();
            for (i, record) in records.into_iter().enumerate() {
                erasure::count_listed(suppression.as_ref(), &record, &mut summary);
                import_record(tx, record, &mut summary).map_err(|e| RegisterError::Import {
                    line: i + 1,
                    message: e.to_string(),
                })?;
            }
            audit::ledger_imported(tx, &self.session, "records", &summary)?;
            Ok(summary)
        })
    }

    /// Writes the whole register as ledger JSONL: each contact, then its events in ledger order.
    /// The output imports again into an empty register with the same content.
    pub fn export_ledger(&self, mut out: impl Write) -> Result<usize> {
        self.require(Permission::Export)?;
        let io = |source| RegisterError::Io {
            what: "the export".into(),
            source,
        };
        let mut lines = 0;
        // Erased people are left out: their minimal records hold nothing to restore, and
        // their suppression entries only work under this register's key (README).
        let erased = self.store.erased_contact_ids()?;
        for contact in self.store.contacts()? {
            if erased.contains(&contact.id) {
                continue;
            }
            writeln!(out, "{}", LedgerRecord::Contact(contact.clone()).to_line()).map_err(io)?;
            lines += 1;
            for event in self.store.events_for(&contact.id)? {
                writeln!(out, "{}", LedgerRecord::Event(event).to_line()).map_err(io)?;
                lines += 1;
            }
        }
        out.flush().map_err(io)?;
        self.audit(AuditAction::Exported, "ledger", &format!("lines={lines}"))?;
        Ok(lines)
    }

    /// Finds a contact by id, email, phone number in any notation, or customer number.
    /// An ambiguous reference is an error listing the candidates.
    pub fn resolve(&self, reference: &str) -> Result<Contact> {
        self.require(Permission::Read)?;
        self.lookup(reference)
    }

    /// `resolve` without the role check, for facade methods that checked their own
    /// permission already (a contact reference inside a record, erase, report …).
    pub(crate) fn lookup(&self, reference: &str) -> Result<Contact> {
        let reference = reference.trim();
        if let Some(c) = self.store.contact(reference)? {
            return Ok(c);
        }
        let mut ids = if reference.contains('@') {
            let email = normalise_email(reference)?;
            self.store.contact_ids_by_email(&email)?
        } else if looks_like_phone(reference) {
            match normalise_phone(reference) {
                Ok(p) => self.store.contact_ids_by_phone(&p)?,
                Err(_) => self.store.contact_id_by_customer_number(reference)?,
            }
        } else {
            self.store.contact_id_by_customer_number(reference)?
        };
        ids.sort();
        ids.dedup();
        match ids.len() {
            0 => Err(RegisterError::ContactNotFound(reference.to_owned())),
            1 => self
                .store
                .contact(&ids[0])?
                .ok_or_else(|| RegisterError::ContactNotFound(reference.to_owned())),
            _ => {
                // Ids only: an error line may end up in a log, and the names of the other
                // contacts are not what the user typed (issue 5, hygiene).
                let candidates = ids.clone();
                Err(RegisterError::Ambiguous {
                    reference: reference.to_owned(),
                    candidates,
                })
            }
        }
    }

    /// Contacts matching a search text (name, company, email, phone in any notation, customer number).
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<ContactSummary>> {
        self.require(Permission::Read)?;
        let mut out = Vec::new();
        for hit in self.store.search(query, limit)? {
            if let Some(contact) = self.store.contact(&hit.contact_id)? {
                let events = self.store.events_for(&contact.id)?;
                out.push(ContactSummary {
                    classification: classify_at(&contact, &events, at),
                    contact,
                });
            }
        }
        Ok(out)
    }

    pub fn events(&self, contact_id: &str) -> Result<Vec<Event>> {
        self.require(Permission::Read)?;
        Ok(self.store.events_for(contact_id)?)
    }

    /// One decision.
    pub fn check(&self, contact: &Contact, query: &Query) -> Result<Decision> {
        self.require(Permission::Check)?;
        let events = self.store.events_for(&contact.id)?;
        let policy = self.store.policy()?;
        let suppressed = self.is_suppressed(contact, &events)?;
        Ok(decide(contact, &events, query, &policy, suppressed))
    }

    /// The contact with its classification and a decision per channel for `purpose` at `at`.
    pub fn view(
        &self,
        contact: &Contact,
        purpose: &Purpose,
        at: DateTime<FixedOffset>,
    ) -> Result<ContactView> {
        self.require(Permission::Read)?;
        let events = self.store.events_for(&contact.id)?;
        let policy = self.store.policy()?;
        let suppressed = self.is_suppressed(contact, &events)?;
        let channels = Channel::ALL
            .iter()
            .map(|&c| {
                let q = Query::new(QueryChannel::Contact(c), purpose.clone(), at);
                (c, decide(contact, &events, &q, &policy, suppressed))
            })
            .collect();
        Ok(ContactView {
            classification: classify_at(contact, &events, at),
            contact: contact.clone(),
            as_of: at,
            purpose: purpose.clone(),
            channels,
            events,
        })
    }

    /// Appends one validated event to a contact's ledger and returns it as stored (with its id).
    /// A `contact_changed` event also updates the contact record (the ledger keeps the history).
    pub fn record(&mut self, event: Event) -> Result<Event> {
        self.require(Permission::Record)?;
        self.append(event)
    }

    /// `record` without the role check, for facade methods that checked already (classify).
    fn append(&mut self, mut event: Event) -> Result<Event> {
        // Whoever is signed in records it: the ledger and the audit trail name the same person.
        event.recorded_by = Some(self.session.user.clone());
        self.store.write(|tx| {
            let mut contact = tx
                .contact(&event.contact)?
                .ok_or_else(|| RegisterError::ContactNotFound(event.contact.clone()))?;
            if let EventKind::ContactChanged { field, new, .. } = &event.kind {
                apply_change(&mut contact, field, new.as_ref())?;
                tx.update_contact(&contact)?;
            }
            let id = tx.append_event(&event)?;
            audit::event_appended(tx, &self.session, &event, &id)?;
            Ok(Event {
                id: Some(id),
                ..event
            })
        })
    }

    /// Records a manual classification (who and why are kept in the ledger).
    pub fn classify(
        &mut self,
        contact: &Contact,
        relationship: Relationship,
        reason: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Event> {
        self.require(Permission::Record)?;
        if reason.trim().is_empty() {
            return Err(ValidationError::new("reason", "a classification needs a reason").into());
        }
        self.append(Event {
            id: None,
            contact: contact.id.clone(),
            at,
            kind: EventKind::Classified {
                relationship,
                reason: reason.trim().to_owned(),
            },
            recorded_by: None, // `append` names the signed-in user
            source: None,
            note: None,
            extra: Default::default(),
        })
    }

    /// Changes one policy setting; a bad value changes nothing.
    pub fn set_policy_value(&mut self, key: &str, value: &str) -> Result<Policy> {
        self.require(Permission::ChangeSettings)?;
        self.store_policy_value(key, value)
    }

    /// `set_policy_value` without the role check (`set_setting_value` checked already).
    fn store_policy_value(&mut self, key: &str, value: &str) -> Result<Policy> {
        let mut policy = self.store.policy()?;
        policy.set(key, value)?;
        self.store.write(|tx| {
            tx.set_policy(&policy)?;
            let detail = policy.get(key).unwrap_or_default();
            audit::audit_in(tx, &self.session, AuditAction::SettingChanged, key, &detail)
                .map_err(RegisterError::from)
        })?;
        Ok(policy)
    }
}

fn import_record(tx: &Tx<'_>, record: LedgerRecord, summary: &mut ImportSummary) -> Result<()> {
    match record {
        LedgerRecord::Contact(c) => match tx.contact(&c.id)? {
            // An erased person is never filled in again (e.g. from an old export).
            Some(existing) if is_erased(&existing) => summary.suppressed += 1,
            Some(existing) if existing == c => summary.unchanged += 1,
            Some(_) => {
                return Err(ValidationError::new(
                    "id",
                    format!(
                        "contact {} already exists with different data (record a contact_changed event instead)",
                        c.id
                    ),
                )
                .into())
            }
            None => {
                tx.insert_contact(&c)?;
                summary.contacts_added += 1;
            }
        },
        LedgerRecord::Event(e) => {
            let Some(owner) = tx.contact(&e.contact)? else {
                return Err(ValidationError::new(
                    "contact",
                    format!("unknown contact {} (its contact line must come before its events)", e.contact),
                )
                .into());
            };
            if is_erased(&owner) {
                summary.suppressed += 1;
                return Ok(());
            }
            if let Some(id) = &e.id {
                if let Some(existing) = tx.event(id)? {
                    if existing == e {
                        summary.unchanged += 1;
                        return Ok(());
                    }
                    return Err(ValidationError::new(
                        "id",
                        format!("event {id} already exists with different content (events are never changed)"),
                    )
                    .into());
                }
            }
            tx.append_event(&e)?;
            summary.events_added += 1;
        }
    }
    Ok(())
}

/// Applies a `contact_changed` to the contact record. Identifier fields take the new full value.
fn apply_change(contact: &mut Contact, field: &str, new: Option<&Value>) -> Result<()> {
    let text = |v: Option<&Value>| -> Result<Option<String>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(_) => {
                Err(ValidationError::new("new", format!("expected text for `{field}`")).into())
            }
        }
    };
    let list = |v: Option<&Value>| -> Result<Vec<String>> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(s
                .split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| {
                    x.as_str().map(str::to_owned).ok_or_else(|| {
                        ValidationError::new("new", "expected a list of text").into()
                    })
                })
                .collect(),
            Some(_) => {
                Err(ValidationError::new("new", format!("expected a list for `{field}`")).into())
            }
        }
    };
    match field {
        "name" => {
            contact.name = text(new)?.unwrap_or_default();
            if contact.name.is_empty() && contact.company.is_none() {
                return Err(ValidationError::new("new", "a contact needs a name or a company").into());
            }
        }
        "company" => contact.company = text(new)?,
        "customer_number" => contact.customer_number = text(new)?,
        "party" => {
            contact.party = text(new)?
                .ok_or_else(|| ValidationError::new("new", "party must be consumer or business"))?
                .parse()?
        }
        "emails" => {
            contact.emails = list(new)?
                .iter()
                .map(|e| normalise_email(e).map_err(|err| ValidationError::new("new", err.problem)))
                .collect::<Result<_, _>>()?
        }
        "phones" => {
            contact.phones = list(new)?
                .iter()
                .map(|p| normalise_phone(p).map_err(|err| ValidationError::new("new", err.problem)))
                .collect::<Result<_, _>>()?
        }
        "tags" => contact.tags = list(new)?,
        "address" => {
            let mut obj = serde_json::Map::new();
            obj.insert("id".into(), Value::String(contact.id.clone()));
            obj.insert("party".into(), Value::String(contact.party.as_str().into()));
            obj.insert("name".into(), Value::String("x".into()));
            obj.insert("address".into(), new.cloned().unwrap_or(Value::Null));
            // Reuse the contact reader's address validation.
            contact.address = Contact::from_object(obj)
                .map_err(|e| ValidationError::new("new", e.problem))?
                .address;
        }
        other => {
            return Err(ValidationError::new(
                "field",
                format!("`{other}` cannot be changed (name, company, customer_number, party, emails, phones, tags, address)"),
            )
            .into())
        }
    }
    Ok(())
}
