//! The SHA-256 fingerprint of the ledger content a report states, and the stamp that carries
//! it inside the PDF so `verify-report` can recompute it.
//!
//! Canonical content (documented in README "Reports"):
//! - evidence and access reports: the contact's slice of `consentry export ledger` — the
//!   contact line, then each of its events in ledger order — every line exactly as the export
//!   writes it, each followed by `\n`;
//! - register report: every event whose `at` lies in the period (`from` ≤ at ≤ `to`, compared
//!   as instants), in ledger order, the same way.
//!
//! The stamp is `consentry-report:v1;kind=…;…;sha256=<64 hex>`, stored in the PDF keywords
//! (and subject) and printed in every page footer.

use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};

use super::ReportError;
use crate::domain::event::{format_instant, parse_instant};
use crate::domain::{Contact, Event, LedgerRecord};

const PREFIX: &str = "consentry-report:v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Evidence,
    Access,
    Register,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Evidence => "evidence",
            ReportKind::Access => "access",
            ReportKind::Register => "register",
        }
    }
}

/// What part of the ledger a report states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Contact(String),
    /// Events with `from <= at <= to`; no `from` means from the first event.
    Period {
        from: Option<DateTime<FixedOffset>>,
        to: DateTime<FixedOffset>,
    },
}

/// The fingerprint of a report, as stored in the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub kind: ReportKind,
    pub scope: Scope,
    /// Lower-case hex SHA-256 of the canonical content.
    pub sha256: String,
}

impl Stamp {
    /// The machine-readable form (no commas: PDF keywords are joined with commas).
    pub fn marker(&self) -> String {
        let scope = match &self.scope {
            Scope::Contact(id) => format!("contact={id}"),
            Scope::Period { from, to } => format!(
                "from={};to={}",
                from.as_ref()
                    .map(format_instant)
                    .unwrap_or_else(|| "-".into()),
                format_instant(to)
            ),
        };
        format!(
            "{PREFIX};kind={};{scope};sha256={}",
            self.kind.as_str(),
            self.sha256
        )
    }

    pub fn parse(marker: &str) -> Option<Stamp> {
        let rest = marker.trim().strip_prefix(PREFIX)?.strip_prefix(';')?;
        let mut kind = None;
        let (mut contact, mut from, mut to, mut sha) = (None, None, None, None);
        for part in rest.split(';') {
            let (k, v) = part.split_once('=')?;
            match k {
                "kind" => {
                    kind = Some(match v {
                        "evidence" => ReportKind::Evidence,
                        "access" => ReportKind::Access,
                        "register" => ReportKind::Register,
                        _ => return None,
                    })
                }
                "contact" => contact = Some(v.to_owned()),
                "from" => from = Some(v.to_owned()),
                "to" => to = Some(v.to_owned()),
                "sha256" => sha = Some(v.to_owned()),
                _ => {}
            }
        }
        let kind = kind?;
        let sha256 = sha.filter(|s| s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()))?;
        let scope = match kind {
            ReportKind::Evidence | ReportKind::Access => Scope::Contact(contact?),
            ReportKind::Register => Scope::Period {
                from: match from?.as_str() {
                    "-" => None,
                    f => Some(parse_instant(f, "from").ok()?),
                },
                to: parse_instant(&to?, "to").ok()?,
            },
        };
        Some(Stamp {
            kind,
            scope,
            sha256: sha256.to_ascii_lowercase(),
        })
    }
}

/// The contact's ledger lines, as `export ledger` writes them.
pub fn contact_content(contact: &Contact, events: &[Event]) -> String {
    let mut out = LedgerRecord::Contact(contact.clone()).to_line();
    out.push('\n');
    for e in events {
        out.push_str(&LedgerRecord::Event(e.clone()).to_line());
        out.push('\n');
    }
    out
}

/// Whether an event lies in a register report's period.
pub fn in_period(
    e: &Event,
    from: Option<&DateTime<FixedOffset>>,
    to: &DateTime<FixedOffset>,
) -> bool {
    from.is_none_or(|f| e.at >= *f) && e.at <= *to
}

/// The period's event lines (events in ledger order, filtered by `in_period`). Tests only:
/// reports hash the same bytes line by line with [`PeriodFingerprint`].
#[cfg(test)]
pub fn period_content<'a>(events: impl IntoIterator<Item = &'a Event>) -> String {
    let mut out = String::new();
    for e in events {
        out.push_str(&LedgerRecord::Event(e.clone()).to_line());
        out.push('\n');
    }
    out
}

/// The SHA-256 of a period's event lines, fed one event at a time: the same bytes as
/// `period_content`, without holding the whole ledger's text (gigabytes on a large register).
#[derive(Clone, Default)]
pub struct PeriodFingerprint {
    hasher: Sha256,
}

impl PeriodFingerprint {
    /// Adds the next event of the period (the caller filters with `in_period`, in ledger order).
    pub fn add(&mut self, e: &Event) {
        self.hasher
            .update(LedgerRecord::Event(e.clone()).to_line().as_bytes());
        self.hasher.update(b"\n");
    }

    /// Lower-case hex, as `sha256_hex` gives it.
    pub fn finish(self) -> String {
        hex::encode(self.hasher.finalize())
    }
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Finds the stamp in a PDF written by Consentry: printpdf stores the keywords as a
/// UTF-16BE hex string; a literal string (as other tools may rewrite it) is found too.
pub fn find_stamp(pdf: &[u8]) -> Result<Stamp, ReportError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(ReportError::NotAReport("the file is not a PDF".into()));
    }
    let mut i = 0;
    while i < pdf.len() {
        match pdf[i] {
            b'<' if pdf.get(i + 1) == Some(&b'<') => i += 1, // a dictionary, not a string
            b'<' => {
                let body = &pdf[i + 1..];
                let len = body
                    .iter()
                    .position(|b| !(b.is_ascii_hexdigit() || b.is_ascii_whitespace()))
                    .unwrap_or(body.len());
                if body.get(len) == Some(&b'>') {
                    if let Some(stamp) = decode_hex_utf16(&body[..len]).and_then(|s| stamp_in(&s)) {
                        return Ok(stamp);
                    }
                    i += len;
                }
            }
            b'(' => {
                let body = &pdf[i + 1..];
                if let Some(end) = body.iter().position(|&b| b == b')') {
                    if let Some(stamp) = std::str::from_utf8(&body[..end]).ok().and_then(stamp_in) {
                        return Ok(stamp);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(ReportError::NotAReport(
        "no Consentry fingerprint found in the PDF (was it made by `consentry report`?)".into(),
    ))
}

fn stamp_in(text: &str) -> Option<Stamp> {
    let start = text.find(PREFIX)?;
    let marker = text[start..].split(',').next()?;
    Stamp::parse(marker)
}

fn decode_hex_utf16(hex_digits: &[u8]) -> Option<String> {
    let digits: Vec<u8> = hex_digits
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if digits.len() < 8 || digits.len() % 4 != 0 {
        return None;
    }
    let bytes = hex::decode(&digits).ok()?;
    let body = bytes.strip_prefix(&[0xFE, 0xFF])?;
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(scope: Scope, kind: ReportKind) -> Stamp {
        Stamp {
            kind,
            scope,
            sha256: sha256_hex("x"),
        }
    }

    #[test]
    fn markers_round_trip() {
        let to = parse_instant("2026-11-29T18:00:00+01:00", "to").unwrap();
        for s in [
            stamp(Scope::Contact("K-1001".into()), ReportKind::Evidence),
            stamp(Scope::Contact("K-1001".into()), ReportKind::Access),
            stamp(Scope::Period { from: None, to }, ReportKind::Register),
            stamp(Scope::Period { from: Some(to), to }, ReportKind::Register),
        ] {
            assert!(!s.marker().contains(','));
            assert_eq!(Stamp::parse(&s.marker()), Some(s));
        }
        assert_eq!(
            Stamp::parse("consentry-report:v1;kind=evidence;contact=K-1;sha256=zz"),
            None
        );
    }

    #[test]
    fn the_stamp_is_found_in_a_hex_or_literal_string() {
        let s = stamp(Scope::Contact("K-7".into()), ReportKind::Evidence);
        let utf16: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(
                format!("other,{}", s.marker())
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes),
            )
            .collect();
        let pdf = format!("%PDF-1.7\n<< /Keywords <{}> >>", hex::encode_upper(utf16));
        assert_eq!(find_stamp(pdf.as_bytes()).unwrap(), s);
        let literal = format!("%PDF-1.3\n<< /Keywords ({}) >>", s.marker());
        assert_eq!(find_stamp(literal.as_bytes()).unwrap(), s);
        assert!(find_stamp(b"%PDF-1.7\n<< >>").is_err());
        assert!(find_stamp(b"hello").is_err());
    }

    #[test]
    fn the_period_fingerprint_hashes_the_period_content_line_by_line() {
        let now = parse_instant("2026-06-01T12:00:00+02:00", "now").unwrap();
        let events: Vec<Event> = crate::demo::demo_ledger(now, 3, 40)
            .unwrap()
            .into_iter()
            .filter_map(|r| match r {
                LedgerRecord::Event(e) => Some(e),
                LedgerRecord::Contact(_) => None,
            })
            .collect();
        for from in [None, Some(now - chrono::Duration::days(400))] {
            let period: Vec<&Event> = events
                .iter()
                .filter(|e| in_period(e, from.as_ref(), &now))
                .collect();
            assert!(period.len() > 20, "{}", period.len());
            let mut fingerprint = PeriodFingerprint::default();
            for e in &period {
                fingerprint.add(e);
            }
            assert_eq!(
                fingerprint.finish(),
                sha256_hex(&period_content(period.iter().copied()))
            );
        }
        assert_eq!(PeriodFingerprint::default().finish(), sha256_hex(""));
    }
}
