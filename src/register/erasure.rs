//! Facade: erasure with a suppression entry (issue 5, part 4), and the suppression lookup
//! every decision makes (LEGAL.md, decision order step 2).

use chrono::{DateTime, FixedOffset, Utc};
use thiserror::Error;

use super::audit::audit_in;
use super::{Register, RegisterError, Result};
use crate::domain::chain::AuditAction;
use crate::domain::erasure::{erased_contact, identifiers, KeyedHasher, SuppressionList};
use crate::domain::event::format_instant;
use crate::domain::retention::phone_evidence_keep_until;
use crate::domain::{Contact, Event, Permission, ValidationError};
use crate::store::ErasureRecord;

#[derive(Debug, Error)]
pub enum ErasureError {
    /// § 7a UWG: the evidence of a consumer's phone consent must be kept.
    #[error(
        "contact {contact} has phone-consent evidence that must be kept until {until} \
         (§ 7a Abs. 2 UWG); erasing it now needs a confirmation"
    )]
    RetentionPeriod { contact: String, until: String },
    #[error("contact {0} is already erased")]
    AlreadyErased(String),
    /// Its ledger keeps only the skeleton; a report would state consents of nobody.
    #[error("contact {0} is erased: no personal data is left to report")]
    Erased(String),
}

impl ErasureError {
    pub fn hint(&self) -> &'static str {
        match self {
            ErasureError::RetentionPeriod { .. } => {
                "confirm with --confirm-retention if erasure must happen anyway"
            }
            ErasureError::AlreadyErased(_) => "nothing to do: its identifiers stay suppressed",
            ErasureError::Erased(_) => "the erasure record names who erased it, when and why",
        }
    }
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureSummary {
    pub contact: String,
    /// Events whose personal fields were removed (the events themselves stay).
    pub events: usize,
    /// Keyed hashes put on the suppression list (email addresses, phone numbers, address).
    pub suppression_entries: usize,
    /// Set when the erasure went ahead inside the § 7a retention period.
    pub retention_overridden: Option<DateTime<FixedOffset>>,
}

impl Register {
    /// Until when the contact's phone-consent evidence must be kept (§ 7a UWG), if that is
    /// later than `now`: erasing then needs a confirmation. For the GUI's warning.
    pub fn retention_until(
        &self,
        contact: &Contact,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<DateTime<FixedOffset>>> {
        self.require(Permission::Erase)?;
        let events = self.store.events_for(&contact.id)?;
        Ok(phone_evidence_keep_until(contact, &events).filter(|until| *until > now))
    }

    /// Erases a person (see `store::erasure`). Refuses inside the § 7a retention period
    /// unless `confirm_retention`.
    pub fn erase(
        &mut self,
        reference: &str,
        reason: &str,
        confirm_retention: bool,
    ) -> Result<ErasureSummary> {
        let now = Utc::now().fixed_offset();
        self.erase_at(reference, reason, confirm_retention, now)
    }

    /// [`Register::erase`] at a given instant (tests, and the GUI's injected clock).
    pub fn erase_at(
        &mut self,
        reference: &str,
        reason: &str,
        confirm_retention: bool,
        now: DateTime<FixedOffset>,
    ) -> Result<ErasureSummary> {
        self.require(Permission::Erase)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ValidationError::new("reason", "an erasure needs a reason").into());
        }
        let contact = self.lookup(reference)?;
        if self.store.erasure(&contact.id)?.is_some() {
            return Err(ErasureError::AlreadyErased(contact.id).into());
        }
        let events = self.store.events_for(&contact.id)?;
        let until = phone_evidence_keep_until(&contact, &events).filter(|u| *u > now);
        if let (Some(until), false) = (until, confirm_retention) {
            return Err(ErasureError::RetentionPeriod {
                contact: contact.id,
                until: format_instant(&until),
            }
            .into());
        }
        let record = ErasureRecord {
            contact: contact.id.clone(),
            at: now.timestamp_millis(),
            user: self.session.user.clone(),
            reason: reason.to_owned(),
        };
        let session = self.session.clone();
        let ids = identifiers(&contact, &events);
        let (events, entries) = self.store.write(|tx| {
            let hasher = KeyedHasher::new(&tx.suppression_key()?);
            let hashes: Vec<_> = ids.iter().map(|(k, v)| (*k, hasher.hash(*k, v))).collect();
            let events = tx.erase_contact(&erased_contact(&contact), &record, &hashes)?;
            // Counts only: the reason may name the person, it stays in the erasure record.
            let detail = format!(
                "events={events} suppression_entries={} retention_confirmed={}",
                hashes.len(),
                until.is_some()
            );
            audit_in(tx, &session, AuditAction::Erased, &contact.id, &detail)?;
            Ok::<_, super::RegisterError>((events, hashes.len()))
        })?;
        Ok(ErasureSummary {
            contact: contact.id,
            events,
            suppression_entries: entries,
            retention_overridden: until,
        })
    }

    /// The suppression list, or `None` while nobody was ever erased (then every lookup is
    /// skipped, so screenings of registers without erasures pay nothing).
    pub(crate) fn suppression_list(&self) -> Result<Option<SuppressionList>> {
        let Some(key) = self.store.suppression_key()? else {
            return Ok(None);
        };
        let hashes = self.store.suppression_hashes()?;
        let erased = self.store.erased_contact_ids()?;
        if hashes.is_empty() && erased.is_empty() {
            return Ok(None);
        }
        Ok(Some(SuppressionList::new(&key, hashes, erased)))
    }

    /// Whether decisions about this contact are `DENY_SUPPRESSION_LIST`.
    pub(crate) fn is_suppressed(&self, contact: &Contact, events: &[Event]) -> Result<bool> {
        Ok(self
            .suppression_list()?
            .is_some_and(|list| list.covers(contact, events)))
    }

    /// Refuses (`Erased`) for an erased contact: reports about it would be empty or wrong.
    pub(super) fn refuse_erased(&self, contact: &Contact) -> Result<()> {
        match self.store.erasure(&contact.id)? {
            Some(_) => Err(ErasureError::Erased(contact.id.clone()).into()),
            None => Ok(()),
        }
    }

    /// How many erasures happened in the period (`from` `None`: since the first).
    pub(super) fn erasures_between(
        &self,
        from: Option<DateTime<FixedOffset>>,
        to: DateTime<FixedOffset>,
    ) -> Result<usize> {
        let (from, to) = (
            from.map_or(i64::MIN, |f| f.timestamp_millis()),
            to.timestamp_millis(),
        );
        Ok(self
            .store
            .erasures()?
            .iter()
            .filter(|e| e.at >= from && e.at <= to)
            .count())
    }

    /// Whether the contact was erased (its record is the minimal form).
    pub fn erasure_of(&self, contact_id: &str) -> Result<Option<ErasureRecord>> {
        self.require(Permission::Read)?;
        Ok(self.store.erasure(contact_id)?)
    }
}

/// Counts a ledger import's contact line whose identifiers are on the suppression list
/// (records of erased ids are counted where they are left out, in `import_record`).
pub(super) fn count_listed(
    list: Option<&SuppressionList>,
    record: &crate::domain::LedgerRecord,
    summary: &mut super::ImportSummary,
) {
    if let (Some(list), crate::domain::LedgerRecord::Contact(c)) = (list, record) {
        if !list.is_erased_id(&c.id) && list.lists_identifier_of(c) {
            summary.suppressed += 1;
        }
    }
}

impl Register {
    /// The contact `check` decides for: the one `reference` names, or, for an erased
    /// person's email or phone that no contact holds any more, the stand-in of
    /// `suppressed_stand_in` (so the answer is `DENY_SUPPRESSION_LIST`, not "not found").
    pub fn resolve_for_check(&self, reference: &str) -> Result<Contact> {
        self.require(Permission::Check)?;
        match self.lookup(reference) {
            Err(RegisterError::ContactNotFound(r)) => self
                .stand_in(reference)?
                .ok_or(RegisterError::ContactNotFound(r)),
            other => other,
        }
    }

    /// For `check` of an email address or phone number that no contact holds: when it
    /// belongs to an erased person, a stand-in contact holding just that identifier, whose
    /// every decision is `DENY_SUPPRESSION_LIST`; `None` otherwise.
    pub fn suppressed_stand_in(&self, reference: &str) -> Result<Option<Contact>> {
        self.require(Permission::Check)?;
        self.stand_in(reference)
    }

    fn stand_in(&self, reference: &str) -> Result<Option<Contact>> {
        let Some(list) = self.suppression_list()? else {
            return Ok(None);
        };
        let Some((kind, value)) = crate::domain::erasure::identifier_of(reference) else {
            return Ok(None);
        };
        if !list.holds(kind, &value) {
            return Ok(None);
        }
        let mut c = crate::screening::unknown_person();
        c.name = reference.trim().to_owned();
        match kind {
            crate::domain::erasure::IdKind::Email => c.emails.push(value),
            crate::domain::erasure::IdKind::Phone => c.phones.push(value),
            crate::domain::erasure::IdKind::Address => {}
        }
        Ok(Some(c))
    }
}

#[cfg(test)]
mod tests;
