//! Facade: Mailchimp and mapped-CSV imports. Each import is one transaction: a bad row
//! aborts it with nothing written, unless the caller collects rejected rows
//! (`--skip-invalid`), in which case a bad row is reported and left out as a whole.

use std::path::{Path, PathBuf};

use super::{Register, RegisterError, Result};
use crate::domain::{Contact, Event, EventKind};
use crate::import::csv_map::{BoundMap, MapSpec};
use crate::import::mailchimp::{self, Columns, ListFile, MailchimpOptions};
use crate::import::{ImportControl, ImportError, Row, RowImportSummary, RowProblem, Table};
use crate::store::{StoreError, Tx};

/// The files of one Mailchimp audience export.
#[derive(Debug, Clone)]
pub struct MailchimpFiles {
    pub subscribed: PathBuf,
    pub unsubscribed: Option<PathBuf>,
    pub cleaned: Option<PathBuf>,
}

/// Why a row did not go in: its own fault (reported, or aborting), or the register's.
enum RowFailure {
    Problem(RowProblem),
    Fatal(RegisterError),
}

impl From<StoreError> for RowFailure {
    fn from(e: StoreError) -> Self {
        RowFailure::Fatal(e.into())
    }
}

impl Register {
    /// Imports a Mailchimp audience export (see `import::mailchimp` for the mapping).
    /// Importing the same export again adds nothing.
    pub fn import_mailchimp(
        &mut self,
        files: &MailchimpFiles,
        opts: &MailchimpOptions,
        control: &mut ImportControl<'_>,
    ) -> Result<RowImportSummary> {
        // Open every file and find its columns before writing anything.
        let mut tables = Vec::new();
        for (kind, path) in [
            (ListFile::Subscribed, Some(&files.subscribed)),
            (ListFile::Unsubscribed, files.unsubscribed.as_ref()),
            (ListFile::Cleaned, files.cleaned.as_ref()),
        ] {
            if let Some(path) = path {
                let table = Table::open(path)?;
                let cols = Columns::find(&table, kind)?;
                tables.push((kind, table, cols));
            }
        }
        self.store.write(|tx| {
            let mut summary = RowImportSummary::default();
            for (kind, mut table, cols) in tables {
                let headers = table.headers().to_vec();
                while let Some(row) = next_row(&mut table, &mut summary, control)? {
                    let outcome = mailchimp::parse_member(&cols, &row, kind, opts.offset)
                        .map_err(RowFailure::Problem)
                        .and_then(|m| apply_member(tx, &m, kind, opts, &mut summary));
                    settle(outcome, &table.label, &headers, &row, &mut summary, control)?;
                }
            }
            Ok(summary)
        })
    }

    /// Imports contacts from a CSV with a column mapping. A row matching a contact already
    /// in the register (by id, email, phone or customer number) leaves that contact as it is.
    pub fn import_csv(
        &mut self,
        path: &Path,
        spec: &MapSpec,
        control: &mut ImportControl<'_>,
    ) -> Result<RowImportSummary> {
        let mut table = Table::open(path)?;
        let map = BoundMap::bind(spec, &table)?;
        let headers = table.headers().to_vec();
        self.store.write(|tx| {
            let mut summary = RowImportSummary::default();
            while let Some(row) = next_row(&mut table, &mut summary, control)? {
                let outcome = map
                    .contact(&row)
                    .map_err(RowFailure::Problem)
                    .and_then(|c| apply_contact(tx, &c, &mut summary));
                settle(outcome, &table.label, &headers, &row, &mut summary, control)?;
            }
            Ok(summary)
        })
    }
}

/// The next row, after the cancel check and a progress report. A row the CSV reader cannot
/// read is handed on as an empty row with its problem, so `--skip-invalid` can report it.
fn next_row(
    table: &mut Table,
    summary: &mut RowImportSummary,
    control: &mut ImportControl<'_>,
) -> Result<Option<Row>> {
    loop {
        if control.cancelled() {
            return Err(ImportError::Cancelled.into());
        }
        let Some(next) = table.next_row() else {
            return Ok(None);
        };
        summary.rows += 1;
        control.report_progress(summary.rows);
        match next {
            Ok(row) => return Ok(Some(row)),
            Err(ImportError::Row {
                row,
                line,
                problem,
                column,
                ..
            }) => {
                let empty = Row {
                    number: row,
                    line,
                    record: csv::StringRecord::new(),
                };
                let headers = table.headers().to_vec();
                summary.rejected += 1;
                control.reject(
                    &table.label,
                    &headers,
                    &empty,
                    RowProblem::new(column, problem),
                )?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn settle(
    outcome: Result<(), RowFailure>,
    file: &str,
    headers: &[String],
    row: &Row,
    summary: &mut RowImportSummary,
    control: &mut ImportControl<'_>,
) -> Result<()> {
    match outcome {
        Ok(()) => Ok(()),
        Err(RowFailure::Fatal(e)) => Err(e),
        Err(RowFailure::Problem(p)) => {
            summary.rejected += 1;
            Ok(control.reject(file, headers, row, p)?)
        }
    }
}

fn apply_member(
    tx: &Tx<'_>,
    member: &mailchimp::Member,
    kind: ListFile,
    opts: &MailchimpOptions,
    summary: &mut RowImportSummary,
) -> Result<(), RowFailure> {
    let existing = match tx.contact_ids_by_email(&member.email)?.first() {
        Some(id) => tx.contact(id)?,
        None => None,
    };
    let (mut contact, created) = match existing {
        Some(c) => (c, false),
        None => {
            let c = mailchimp::new_contact(member, kind);
            if tx.contact(&c.id)?.is_some() {
                return Err(RowFailure::Problem(RowProblem::new(
                    "",
                    format!(
                        "contact id {} is taken by a contact without this email address",
                        c.id
                    ),
                )));
            }
            (c, true)
        }
    };
    let mut events = mailchimp::member_events(&contact.id, member, kind, opts);
    if let (false, Some((at, _))) = (created, &member.clean) {
        events.extend(mailchimp::undeliverable_change(
            &contact,
            *at,
            &opts.purpose,
        ));
    }
    // Check every event before writing any, so a refused row leaves nothing behind. Event
    // ids include the contact id, so a contact new in this row can have none stored yet.
    let fresh = if created {
        events
    } else {
        only_new(tx, events, summary)?
    };
    if created {
        tx.insert_contact(&contact)?;
        summary.contacts_added += 1;
    } else {
        summary.contacts_matched += 1;
    }
    for event in fresh {
        if let EventKind::ContactChanged { field, new, .. } = &event.kind {
            if field == "tags" {
                contact.tags = new
                    .as_ref()
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|t| t.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                tx.update_contact(&contact)?;
                summary.contacts_changed += 1;
            }
        }
        tx.append_event(&event)?;
        summary.events_added += 1;
    }
    Ok(())
}

/// Drops events already stored with identical content; one stored with other content
/// under the same id makes the row fail (events are never changed).
fn only_new(
    tx: &Tx<'_>,
    events: Vec<Event>,
    summary: &mut RowImportSummary,
) -> Result<Vec<Event>, RowFailure> {
    let mut fresh = Vec::new();
    let mut unchanged = 0;
    for e in events {
        match tx.event(e.id_str())? {
            Some(stored) if stored == e => unchanged += 1,
            Some(_) => {
                return Err(RowFailure::Problem(RowProblem::new(
                    "",
                    format!(
                        "event {} is already in the register with other content (was this export imported before with another --consent-text-id?)",
                        e.id_str()
                    ),
                )))
            }
            None => fresh.push(e),
        }
    }
    summary.events_unchanged += unchanged;
    Ok(fresh)
}

fn apply_contact(
    tx: &Tx<'_>,
    contact: &Contact,
    summary: &mut RowImportSummary,
) -> Result<(), RowFailure> {
    let mut matched = tx.contact(&contact.id)?.is_some();
    for email in &contact.emails {
        matched = matched || !tx.contact_ids_by_email(email)?.is_empty();
    }
    for phone in &contact.phones {
        matched = matched || !tx.contact_ids_by_phone(phone)?.is_empty();
    }
    if let Some(n) = &contact.customer_number {
        matched = matched || !tx.contact_id_by_customer_number(n)?.is_empty();
    }
    if matched {
        summary.contacts_matched += 1;
    } else {
        tx.insert_contact(contact)?;
        summary.contacts_added += 1;
    }
    Ok(())
}
