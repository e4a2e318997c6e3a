//! Facade: the audit trail (who did what, when, to which object) and `verify`.
//!
//! Every write and every sensitive read calls [`Register::audit`] (own transaction) or
//! [`audit_in`] (inside the write it records, so both commit or neither). `object` is an id
//! (contact, event, file name the user typed, setting key); `detail` holds counts and
//! codes only — never names, addresses, phone numbers or free text.

use chrono::Utc;

use super::{Register, Result, Session};
use crate::domain::chain::{AuditAction, Hash};
use crate::domain::Permission;
pub use crate::store::ChainBreak;
use crate::store::{AuditRow, StoreError, Tx};

/// One audit entry as listed (`consentry audit`, the Audit screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: chrono::DateTime<Utc>,
    pub user: String,
    pub action: String,
    pub object: String,
    pub detail: String,
    /// The entry's link hash, hex.
    pub hash: String,
}

/// The answer of `verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries and events checked (all of them, or up to and including a broken link).
    pub audit_entries: u64,
    pub events: u64,
    /// The chain heads (hex): an auditor notes them; a later verify that reports other
    /// heads for the same entries means history was rewritten.
    pub audit_head: String,
    pub ledger_head: String,
    pub audit_break: Option<ChainBreak>,
    pub ledger_break: Option<ChainBreak>,
    /// What SQLite's and SQLCipher's integrity checks reported (empty: fine).
    pub integrity: Vec<String>,
    /// Append-only triggers that are gone (or no longer refuse anything).
    pub missing_triggers: Vec<&'static str>,
    /// Erased contacts whose erasure is not in the audit trail (made outside the application).
    pub unaudited_erasures: Vec<String>,
    /// Where the derived decision basis (what screening decides from) first disagrees with
    /// the ledger, e.g. `contact K-1`.
    pub stale_basis: Option<String>,
}

impl VerifyReport {
    pub fn intact(&self) -> bool {
        self.first_problem().is_none()
    }

    /// The first problem found, as one line naming where it is; `None` when intact.
    pub fn first_problem(&self) -> Option<String> {
        let link = |b: &ChainBreak| format!("{} #{} ({}): {}", b.table, b.seq, b.object, b.problem);
        if let Some(b) = &self.ledger_break {
            return Some(format!("broken link in the ledger: {}", link(b)));
        }
        if let Some(b) = &self.audit_break {
            return Some(format!("broken link in the audit trail: {}", link(b)));
        }
        if let Some(c) = self.unaudited_erasures.first() {
            return Some(format!(
                "contact {c} has an erasure record but no erasure in the audit trail"
            ));
        }
        if let Some(t) = self.missing_triggers.first() {
            return Some(format!("the append-only trigger `{t}` is missing"));
        }
        if let Some(w) = &self.stale_basis {
            return Some(format!(
                "the decision basis of {w} does not match its ledger (derived data changed outside the application)"
            ));
        }
        self.integrity
            .first()
            .map(|p| format!("database integrity check failed: {p}"))
    }
}

/// Appends an audit entry for the session's user inside the write transaction `tx`.
pub(crate) fn audit_in(
    tx: &Tx<'_>,
    session: &Session,
    action: AuditAction,
    object: &str,
    detail: &str,
) -> std::result::Result<(), StoreError> {
    tx.append_audit(
        Utc::now().timestamp_millis(),
        &session.user,
        action.as_str(),
        object,
        detail,
    )
}

impl Register {
    /// Appends an audit entry for the session's user, in a transaction of its own (for
    /// reads worth recording: reports, exports, unlock).
    pub(crate) fn audit(&self, action: AuditAction, object: &str, detail: &str) -> Result<()> {
        self.store.append_audit(
            Utc::now().timestamp_millis(),
            &self.session.user,
            action.as_str(),
            object,
            detail,
        )?;
        Ok(())
    }

    /// The newest `limit` audit entries, newest first (auditor, admin).
    pub fn audit_trail(&self, limit: usize) -> Result<Vec<AuditRecord>> {
        self.require(Permission::Verify)?;
        Ok(self
            .store
            .audit_entries(limit)?
            .into_iter()
            .map(record)
            .collect())
    }

    /// Recomputes the audit trail's and the ledger's hash chains, runs the database
    /// integrity checks and looks for the append-only triggers (auditor, admin).
    pub fn verify(&self) -> Result<VerifyReport> {
        self.require(Permission::Verify)?;
        // A register upgraded from before the chain existed gets its old events chained.
        self.store.chain_legacy_events()?;
        let c = self.store.check_chains()?;
        Ok(VerifyReport {
            audit_entries: c.audit_entries,
            events: c.events,
            audit_head: hex_head(&c.audit_head),
            ledger_head: hex_head(&c.ledger_head),
            audit_break: c.audit_break,
            ledger_break: c.ledger_break,
            integrity: c.integrity,
            missing_triggers: c.missing_triggers,
            unaudited_erasures: c.unaudited_erasures,
            stale_basis: c.stale_basis,
        })
    }
}

fn hex_head(h: &Hash) -> String {
    hex::encode(h)
}

fn record(row: AuditRow) -> AuditRecord {
    let e = row.entry;
    AuditRecord {
        seq: e.seq,
        at: chrono::DateTime::<Utc>::from_timestamp_millis(e.at).unwrap_or_default(),
        user: e.user,
        action: e.action,
        object: e.object,
        detail: e.detail,
        hash: hex::encode(row.hash),
    }
}

/// The audit entry for an event appended to the ledger: the contact as object, the event's
/// type and id as detail (never its fields: they may hold free text).
pub(super) fn event_appended(
    tx: &Tx<'_>,
    session: &Session,
    event: &crate::domain::Event,
    id: &str,
) -> std::result::Result<(), StoreError> {
    use crate::domain::EventKind;
    let action = match event.kind {
        EventKind::Classified { .. } => AuditAction::Classified,
        EventKind::ContactChanged { .. } => AuditAction::ContactEdited,
        _ => AuditAction::EventRecorded,
    };
    let detail = format!("{} {id}", event.kind.type_name());
    audit_in(tx, session, action, &event.contact, &detail)
}

/// The audit entry of a ledger import: counts only.
pub(super) fn ledger_imported(
    tx: &Tx<'_>,
    session: &Session,
    object: &str,
    s: &super::ImportSummary,
) -> std::result::Result<(), StoreError> {
    let detail = format!(
        "contacts_added={} events_added={} unchanged={}",
        s.contacts_added, s.events_added, s.unchanged
    );
    audit_in(tx, session, AuditAction::Imported, object, &detail)
}

/// The audit entry of a Mailchimp or CSV import: counts only.
pub(super) fn rows_imported(
    tx: &Tx<'_>,
    session: &Session,
    object: &str,
    s: &crate::import::RowImportSummary,
) -> std::result::Result<(), StoreError> {
    let detail = format!(
        "rows={} rejected={} contacts_added={} contacts_matched={} contacts_changed={} events_added={}",
        s.rows, s.rejected, s.contacts_added, s.contacts_matched, s.contacts_changed, s.events_added
    );
    audit_in(tx, session, AuditAction::Imported, object, &detail)
}
