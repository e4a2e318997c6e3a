//! What the Import screen hands to the register: the column mapping suggested from the
//! header, the preview, and the import itself (run on the blocking pool by `gui::job`).

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::gui::job::{self, CancelFlag};
use crate::import::csv_map::{Field, MapSpec};
use crate::import::mailchimp::MailchimpOptions;
use crate::import::table::header_key;
use crate::import::{ImportControl, ImportError, RejectedRow};
use crate::outfile::RejectReport;
use crate::register::{MailchimpFiles, Register, RegisterError};

/// The register fields a CSV column can be mapped to, with the header names (any case,
/// spaces, `-` and `_` forgiven) that suggest a column for it, most specific first.
pub const MAP_FIELDS: &[(&str, Field, &[&str])] = &[
    (
        "name",
        Field::Name,
        &["Name", "Vollständiger Name", "Full Name", "Kontakt"],
    ),
    (
        "first_name",
        Field::FirstName,
        &["Vorname", "First Name", "FNAME"],
    ),
    (
        "last_name",
        Field::LastName,
        &["Nachname", "Last Name", "LNAME", "Familienname"],
    ),
    (
        "company",
        Field::Company,
        &["Firma", "Company", "Unternehmen", "Firmenname"],
    ),
    (
        "email",
        Field::Email,
        &["E-Mail", "Email Address", "E-Mail-Adresse", "Mail"],
    ),
    (
        "phone",
        Field::Phone,
        &[
            "Telefon",
            "Phone",
            "Telefonnummer",
            "Phone Number",
            "Tel",
            "Mobil",
            "Handy",
        ],
    ),
    (
        "customer_number",
        Field::CustomerNumber,
        &["Kundennummer", "Kundennr", "Kunden-Nr", "Customer Number"],
    ),
    ("party", Field::Party, &["Typ", "Party", "Kundentyp", "Art"]),
    (
        "relationship",
        Field::Relationship,
        &["Beziehung", "Relationship", "Status"],
    ),
    (
        "street",
        Field::Street,
        &["Straße", "Strasse", "Street", "Adresse"],
    ),
    (
        "postcode",
        Field::Postcode,
        &["PLZ", "Postleitzahl", "Postcode", "Zip"],
    ),
    ("city", Field::City, &["Ort", "Stadt", "City"]),
    ("country", Field::Country, &["Land", "Country"]),
    ("tags", Field::Tags, &["Tags", "Schlagworte"]),
    ("id", Field::Id, &["id", "Kontakt-ID", "contact_id"]),
];

/// For each of [`MAP_FIELDS`] the column suggested by the header, each column used once.
pub fn suggest_mapping(headers: &[String]) -> Vec<Option<String>> {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut used = vec![false; headers.len()];
    MAP_FIELDS
        .iter()
        .map(|(_, _, names)| {
            let i = names.iter().find_map(|n| {
                let wanted = header_key(n);
                (0..keys.len()).find(|&i| !used[i] && keys[i] == wanted)
            })?;
            used[i] = true;
            Some(headers[i].clone())
        })
        .collect()
}

/// The mapping as the register takes it; `None` while a name or an identifier is missing
/// (the same rule as `--map`).
pub fn map_spec(mapping: &[Option<String>]) -> Option<MapSpec> {
    let entries: Vec<(Field, String)> = MAP_FIELDS
        .iter()
        .zip(mapping)
        .filter_map(|((_, f, _), c)| c.clone().map(|c| (*f, c)))
        .collect();
    let has = |fs: &[Field]| entries.iter().any(|(f, _)| fs.contains(f));
    let named = has(&[
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Company,
    ]);
    let identified = has(&[Field::Email, Field::Phone, Field::CustomerNumber, Field::Id]);
    (named && identified).then_some(MapSpec { entries })
}

/// The first rows as the screen shows them; a ledger is shown line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewTable {
    /// Encoding and delimiter as detected, e.g. `UTF-8`, `;` (empty for a ledger).
    pub encoding: String,
    pub delimiter: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub const PREVIEW_ROWS: usize = 5;

pub fn preview_csv(path: &Path) -> Result<PreviewTable, RegisterError> {
    let p = crate::import::preview(path, PREVIEW_ROWS)?;
    Ok(PreviewTable {
        encoding: p.format.encoding.as_str().to_owned(),
        delimiter: (p.format.delimiter as char).to_string(),
        headers: p.headers,
        rows: p.rows,
    })
}

pub fn preview_ledger(path: &Path) -> Result<PreviewTable, RegisterError> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|source| RegisterError::Io {
        what: path.display().to_string(),
        source,
    })?;
    let rows = BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .take(PREVIEW_ROWS)
        // A ledger line can be long; the preview shows its start.
        .map(|l| vec![l.chars().take(160).collect()])
        .collect();
    Ok(PreviewTable {
        encoding: String::new(),
        delimiter: String::new(),
        headers: vec!["JSONL".to_owned()],
        rows,
    })
}

/// What an import did, for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// Rows read (not known for a ledger).
    pub rows: Option<u64>,
    pub contacts_added: u64,
    pub contacts_matched: u64,
    pub events_added: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Rows of erased people (suppression list): imported but denied, or left out.
    pub suppressed: u64,
    /// Where the rejected rows were written.
    pub report: Option<PathBuf>,
}

impl Outcome {
    /// Whether the register changed (the list then asks again).
    pub fn wrote(&self) -> bool {
        // A changed contact always comes with its `contact_changed` events.
        self.contacts_added + self.events_added > 0
    }
}

/// One import, everything decided.
#[derive(Debug, Clone)]
pub enum Job {
    Ledger(PathBuf),
    Rows(RowJob),
}

/// The imports that read CSV rows (with rejected-row reports and row progress).
#[derive(Debug, Clone)]
pub enum RowJob {
    Mailchimp(MailchimpFiles, MailchimpOptions),
    Csv(PathBuf, MapSpec),
}

/// Runs `job` at `at`; `report` gets the rows read. With `skip_report`, invalid rows go
/// to that file and the rest is imported; else the first bad row stops everything.
pub fn run(
    reg: &mut Register,
    job: &Job,
    at: DateTime<FixedOffset>,
    skip_report: Option<&Path>,
    cancel: &CancelFlag,
    report: job::Report<'_>,
) -> Result<Outcome, RegisterError> {
    let rows_job = match job {
        Job::Ledger(path) => return run_ledger(reg, path, cancel, report),
        Job::Rows(r) => r,
    };
    let total = match rows_job {
        RowJob::Mailchimp(f, _) => {
            let mut paths = vec![f.subscribed.as_path()];
            paths.extend(f.unsubscribed.as_deref());
            paths.extend(f.cleaned.as_deref());
            job::estimate_rows(&paths)
        }
        RowJob::Csv(p, _) => job::estimate_rows(&[p]),
    };
    let mut rejects = skip_report.map(RejectReport::create).transpose()?;
    let mut on_progress = |n: u64| report(n, total);
    let mut on_reject = |r: RejectedRow<'_>| {
        if let Some(rep) = rejects.as_mut() {
            rep.add(r);
        }
    };
    let mut control = ImportControl {
        rejected: None,
        progress: Some(&mut on_progress),
        cancel: Some(cancel.shared()),
    };
    if skip_report.is_some() {
        control.rejected = Some(&mut on_reject);
    }
    let result = match rows_job {
        RowJob::Mailchimp(files, opts) => reg.import_mailchimp(files, opts, at, &mut control),
        RowJob::Csv(path, spec) => reg.import_csv(path, spec, at, &mut control),
    };
    drop(control);
    let s = result?;
    if let Some(rep) = rejects {
        rep.finish()?;
    }
    Ok(Outcome {
        rows: Some(s.rows),
        contacts_added: s.contacts_added,
        contacts_matched: s.contacts_matched,
        events_added: s.events_added,
        unchanged: s.events_unchanged,
        rejected: s.rejected,
        suppressed: s.suppressed,
        report: skip_report.map(Path::to_path_buf),
    })
}

/// A ledger is all or nothing (one bad line stops it). Its import has no progress or
/// cancel of its own, so the file is read through [`Watched`]: bytes read are the
/// progress, and a cancel fails the read, which rolls the transaction back.
fn run_ledger(
    reg: &mut Register,
    path: &Path,
    cancel: &CancelFlag,
    report: job::Report<'_>,
) -> Result<Outcome, RegisterError> {
    let io = |source| RegisterError::Io {
        what: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let watched = Watched {
        inner: file,
        read: 0,
        total,
        cancel: cancel.clone(),
        report,
    };
    let s = reg.import_ledger(BufReader::new(watched))?;
    Ok(Outcome {
        rows: None,
        contacts_added: s.contacts_added as u64,
        events_added: s.events_added as u64,
        unchanged: s.unchanged as u64,
        suppressed: s.suppressed as u64,
        ..Outcome::default()
    })
}

struct Watched<'a, R> {
    inner: R,
    read: u64,
    total: u64,
    cancel: CancelFlag,
    report: job::Report<'a>,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(std::io::Error::other(ImportError::Cancelled.to_string()));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.report)(self.read, self.total);
        Ok(n)
    }
}
