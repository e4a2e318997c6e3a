//! Reports through the facade: build a model from the register, render it to PDF bytes,
//! write it without ever overwriting, and verify a report against the register.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use thiserror::Error;

use super::{Register, RegisterError};
use crate::domain::chain::AuditAction;
use crate::domain::Contact;
use crate::domain::Permission;
use crate::i18n::Lang;
use crate::report::fingerprint::{contact_content, in_period, sha256_hex, PeriodFingerprint};
use crate::report::{
    self, AccessModel, EvidenceModel, Made, RegisterModel, RegisterTally, RenderedReport,
    ReportError, Scope, Stamp,
};

#[derive(Debug, Error)]
pub enum ReportFailure {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("{} exists; reports never overwrite a file", .0.display())]
    Exists(PathBuf),
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the period is empty: --from {from} is after --to {to}")]
    EmptyPeriod { from: String, to: String },
}

impl ReportFailure {
    /// What the user can do about it, in one short sentence.
    pub fn hint(&self) -> &'static str {
        match self {
            ReportFailure::Register(e) => e.hint(),
            ReportFailure::Report(ReportError::NotAReport(_)) => {
                "give a PDF made by `consentry report`"
            }
            ReportFailure::Report(_) => "reinstall Consentry; its embedded font is damaged",
            ReportFailure::Exists(_) => "choose another file name or move the old report away",
            ReportFailure::Write { .. } => "check the folder exists and is writable",
            ReportFailure::EmptyPeriod { .. } => "give --from before --to",
        }
    }
}

/// The answer of `verify-report`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCheck {
    /// What the report says it states.
    pub stamp: Stamp,
    /// The fingerprint of that content in the register now; `None` if the contact is gone.
    pub current: Option<String>,
}

impl ReportCheck {
    pub fn matches(&self) -> bool {
        self.current.as_deref() == Some(self.stamp.sha256.as_str())
    }
}

impl Register {
    pub fn evidence_model(
        &self,
        contact: &Contact,
        made: Made,
    ) -> Result<EvidenceModel, ReportFailure> {
        self.require(Permission::Report)?;
        self.evidence_of(contact, made)
    }

    /// `evidence_model` without the role check, for the report methods that checked already.
    fn evidence_of(&self, contact: &Contact, made: Made) -> Result<EvidenceModel, ReportFailure> {
        self.refuse_erased(contact)?;
        Ok(EvidenceModel::build(
            self.stored_controller()?,
            contact.clone(),
            self.store
                .events_for(&contact.id)
                .map_err(RegisterError::from)?,
            self.store.policy().map_err(RegisterError::from)?,
            made,
        ))
    }

    /// The evidence report (Einwilligungsnachweis) of one contact as of `made.at`.
    pub fn evidence_report(
        &self,
        contact: &Contact,
        lang: Lang,
        made: Made,
    ) -> Result<RenderedReport, ReportFailure> {
        self.require(Permission::Report)?;
        let rendered = report::render_evidence(&self.evidence_of(contact, made)?, lang)?;
        self.audit(AuditAction::ReportMade, &contact.id, "evidence")?;
        Ok(rendered)
    }

    pub fn access_model(
        &self,
        contact: &Contact,
        made: Made,
    ) -> Result<AccessModel, ReportFailure> {
        self.require(Permission::Report)?;
        self.access_of(contact, made)
    }

    /// `access_model` without the role check, for the report methods that checked already.
    fn access_of(&self, contact: &Contact, made: Made) -> Result<AccessModel, ReportFailure> {
        self.refuse_erased(contact)?;
        Ok(AccessModel::build(
            self.stored_controller()?,
            contact.clone(),
            self.store
                .events_for(&contact.id)
                .map_err(RegisterError::from)?,
            made,
        ))
    }

    /// The access report (Art. 15 DSGVO) of one contact.
    pub fn access_report(
        &self,
        contact: &Contact,
        lang: Lang,
        made: Made,
    ) -> Result<RenderedReport, ReportFailure> {
        self.require(Permission::Report)?;
        let rendered = report::render_access(&self.access_of(contact, made)?, lang)?;
        self.audit(AuditAction::ReportMade, &contact.id, "access")?;
        Ok(rendered)
    }

    /// The register model for the events with `from <= at <= to` (no `from`: since the first).
    pub fn register_model(
        &self,
        from: Option<DateTime<FixedOffset>>,
        to: DateTime<FixedOffset>,
        made: Made,
    ) -> Result<RegisterModel, ReportFailure> {
        self.require(Permission::Report)?;
        self.register_of(from, to, made)
    }

    /// `register_model` without the role check, for `register_report` that checked already.
    fn register_of(
        &self,
        from: Option<DateTime<FixedOffset>>,
        to: DateTime<FixedOffset>,
        made: Made,
    ) -> Result<RegisterModel, ReportFailure> {
        if let Some(f) = from.filter(|f| *f > to) {
            return Err(ReportFailure::EmptyPeriod {
                from: f.to_rfc3339(),
                to: to.to_rfc3339(),
            });
        }
        // Erased people are not counted as contactable (their consents' skeletons remain).
        let erased = self
            .store
            .erased_contact_ids()
            .map_err(RegisterError::from)?;
        // Two passes holding one contact, then one event, at a time (a register may hold
        // millions): the decision bases for the counts, the ledger for the period.
        let mut tally =
            RegisterTally::new(self.store.policy().map_err(RegisterError::from)?, from, to);
        self.store.for_each_basis(|basis| {
            if !erased.contains(&basis.contact.id) {
                tally.add_contact(&basis.contact, &basis.events);
            }
            Ok::<(), RegisterError>(())
        })?;
        self.store.for_each_event_with_recorded(|e, recorded_at| {
            tally.add_event(e, recorded_at);
            Ok::<(), RegisterError>(())
        })?;
        let mut model = tally.finish(self.stored_controller()?, made);
        model.erasures = self.erasures_between(from, to)?;
        Ok(model)
    }

    /// The register report for auditors over a period.
    pub fn register_report(
        &self,
        from: Option<DateTime<FixedOffset>>,
        to: DateTime<FixedOffset>,
        lang: Lang,
        made: Made,
    ) -> Result<RenderedReport, ReportFailure> {
        self.require(Permission::Report)?;
        let rendered = report::render_register(&self.register_of(from, to, made)?, lang)?;
        self.audit(AuditAction::ReportMade, "register", "register")?;
        Ok(rendered)
    }

    /// Reads the fingerprint a report states and recomputes it from the register now.
    pub fn verify_report(&self, pdf: &[u8]) -> Result<ReportCheck, ReportFailure> {
        self.require(Permission::Report)?;
        let stamp = report::fingerprint::find_stamp(pdf)?;
        let current = match &stamp.scope {
            Scope::Contact(id) => match self.store.contact(id).map_err(RegisterError::from)? {
                None => None,
                Some(c) => Some(sha256_hex(&contact_content(
                    &c,
                    &self.store.events_for(id).map_err(RegisterError::from)?,
                ))),
            },
            Scope::Period { from, to } => {
                let mut fingerprint = PeriodFingerprint::default();
                self.store.for_each_event_with_recorded(|e, _| {
                    if in_period(e, from.as_ref(), to) {
                        fingerprint.add(e);
                    }
                    Ok::<(), RegisterError>(())
                })?;
                Some(fingerprint.finish())
            }
        };
        Ok(ReportCheck { stamp, current })
    }
}

/// Writes a report to `path` without overwriting: to a temporary name in the same folder,
/// then linked into place (which fails if `path` appeared meanwhile). Nothing is left behind
/// on failure.
pub fn write_report(path: &Path, pdf: &[u8]) -> Result<(), ReportFailure> {
    if path.exists() {
        return Err(ReportFailure::Exists(path.to_path_buf()));
    }
    let write_err = |source| ReportFailure::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("report.pdf");
    let tmp = dir.join(format!(".{name}.{}.partial", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(write_err)?;
        file.write_all(pdf).map_err(write_err)?;
        file.sync_all().map_err(write_err)?;
        drop(file);
        match std::fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(ReportFailure::Exists(path.to_path_buf()))
            }
            // Some file systems have no hard links: fall back to a rename.
            Err(_) if !path.exists() => std::fs::rename(&tmp, path).map_err(write_err),
            Err(_) => Err(ReportFailure::Exists(path.to_path_buf())),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

#[cfg(test)]
#[path = "reports_tests.rs"]
mod tests;
