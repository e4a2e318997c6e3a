//! PDF reports: consent evidence (Einwilligungsnachweis), access report (Art. 15 DSGVO) and
//! the register report for auditors. Models are built from domain data (`model`), turned
//! into documents in the report language (`evidence`, `access`, `register_doc`) and set on
//! A4 by a small layout engine on printpdf (`layout`).

pub mod access;
pub mod controller;
pub mod doc;
pub mod evidence;
pub mod fingerprint;
mod fonts;
pub mod layout;
pub mod model;
#[cfg(test)]
mod model_tests;
pub mod register_doc;
mod text;

use thiserror::Error;

pub use controller::{Controller, CONTROLLER_KEYS};
pub use fingerprint::{ReportKind, Scope, Stamp};
pub use model::{AccessModel, EvidenceModel, Made, RegisterModel, RegisterTally};

use crate::i18n::Lang;

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("{0}")]
    Font(String),
    #[error("{0}")]
    NotAReport(String),
}

/// A finished report: the PDF and what it states.
#[derive(Debug, Clone)]
pub struct RenderedReport {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub stamp: Stamp,
}

fn finish(doc: &doc::Doc, stamp: &Stamp) -> Result<RenderedReport, ReportError> {
    let (pdf, pages) = layout::render(doc)?;
    Ok(RenderedReport {
        pdf,
        pages,
        stamp: stamp.clone(),
    })
}

pub fn render_evidence(m: &EvidenceModel, lang: Lang) -> Result<RenderedReport, ReportError> {
    finish(&evidence::document(lang, m), &m.stamp)
}

pub fn render_access(m: &AccessModel, lang: Lang) -> Result<RenderedReport, ReportError> {
    finish(&access::document(lang, m), &m.stamp)
}

pub fn render_register(m: &RegisterModel, lang: Lang) -> Result<RenderedReport, ReportError> {
    finish(&register_doc::document(lang, m), &m.stamp)
}
