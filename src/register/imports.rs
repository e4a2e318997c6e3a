//! Facade: Mailchimp and mapped-CSV imports. Each import is one transaction: a bad row
//! aborts it with nothing written, unless the caller collects rejected rows
//! (`--skip-invalid`), in which case a bad row is reported and left out as a whole.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::{Register, RegisterError, Result};
use crate::domain::erasure::{is_erased, IdKind};
use crate::domain::Permission;
use crate::domain::{Contact, Event, EventKind};
use crate::import::csv_map::{BoundMap, MapSpec};
use crate::import::mailchimp::{self, Columns, ListFile, MailchimpOptions};
use crate::import::{ImportControl, ImportError, Row, RowImportSummary, RowProblem, Table};
use crate::store::{Store, StoreError, Tx};
use pipeline::{Item, NewMember};

mod fresh;
mod pipeline;
#[cfg(test)]
mod tests;

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
    /// A member already in the register (by email) gains the merge fields it lacks, as
    /// `contact_changed` events at `at`. Importing the same export again adds nothing.
    pub fn import_mailchimp(
        &mut self,
        files: &MailchimpFiles,
        opts: &MailchimpOptions,
        at: DateTime<FixedOffset>,
        control: &mut ImportControl<'_>,
    ) -> Result<RowImportSummary> {
        self.require(Permission::Import)?;
        self.with_bulk_journal(|reg| {
            reg.with_cache(IMPORT_CACHE_SIZE, |reg| {
                reg.mailchimp_rows(files, opts, at, control)
            })
        })
    }

    fn mailchimp_rows(
        &mut self,
        files: &MailchimpFiles,
        opts: &MailchimpOptions,
        at: DateTime<FixedOffset>,
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
        let suppression = self.suppression_list()?;
        let files: Vec<(ListFile, String, Vec<String>)> = tables
            .iter()
            .map(|(kind, table, _)| (*kind, table.label.clone(), table.headers().to_vec()))
            .collect();
        let (store, session) = (&mut self.store, &self.session);
        // Reading and preparing rows on a second thread, writing on this one (see
        // `pipeline`). The reader stops when the writer drops its end of the channel.
        std::thread::scope(|scope| {
            let ((rows_in, spent_out), (rows_out, spent_in)) = pipeline::channels();
            let reader = scope.spawn(move || pipeline::read_all(tables, opts, rows_in, spent_out));
            let mut items = pipeline::Items::new(rows_out, spent_in);
            let result = store.write(|tx| {
                tx.index_in_bulk()?;
                let mut summary = RowImportSummary::default();
                let mut known = Known::new(tx)?;
                loop {
                    if control.cancelled() {
                        return Err(ImportError::Cancelled.into());
                    }
                    let (file, row, member) = match items.next() {
                        Item::End => break,
                        Item::Failed(e) => return Err(e.into()),
                        Item::Unreadable { file, row, problem } => {
                            summary.rows += 1;
                            control.report_progress(summary.rows);
                            let (_, label, headers) = &files[file];
                            summary.rejected += 1;
                            control.reject(label, headers, &row, problem)?;
                            continue;
                        }
                        Item::Row { file, row, member } => (file, row, member),
                    };
                    summary.rows += 1;
                    control.report_progress(summary.rows);
                    let (kind, label, headers) = &files[file];
                    let (outcome, spent) = match member {
                        Ok(mut new) => {
                            let listed = suppression
                                .as_ref()
                                .is_some_and(|s| s.holds(IdKind::Email, &new.member.email));
                            let how = Apply {
                                kind: *kind,
                                opts,
                                at,
                                listed,
                            };
                            let outcome =
                                apply_member(tx, &mut new, &how, &mut known, &mut summary);
                            (outcome, Some(new))
                        }
                        Err(problem) => (Err(RowFailure::Problem(problem)), None),
                    };
                    settle(outcome, label, headers, &row, &mut summary, control)?;
                    items.recycle(row, spent);
                }
                drop(items);
                super::audit::rows_imported(tx, session, "mailchimp", &summary)?;
                Ok(summary)
            });
            // The writer's ends of the channels went with the closure, so a reader still
            // sending stops now. A reader that panicked has already failed the import
            // ("the file reader stopped"), with nothing written.
            let _ = reader.join();
            result
        })
    }

    /// Imports contacts from a CSV with a column mapping. A row matching a contact already
    /// in the register (by id, email, customer number or phone) adds only what that contact
    /// lacks, as `contact_changed` events at `at`; importing the same file again adds nothing.
    pub fn import_csv(
        &mut self,
        path: &Path,
        spec: &MapSpec,
        at: DateTime<FixedOffset>,
        control: &mut ImportControl<'_>,
    ) -> Result<RowImportSummary> {
        self.require(Permission::Import)?;
        self.with_bulk_journal(|reg| {
            reg.with_bulk_cache(|reg| reg.csv_rows(path, spec, at, control))
        })
    }

    fn csv_rows(
        &mut self,
        path: &Path,
        spec: &MapSpec,
        at: DateTime<FixedOffset>,
        control: &mut ImportControl<'_>,
    ) -> Result<RowImportSummary> {
        let mut table = Table::open(path)?;
        let map = BoundMap::bind(spec, &table)?;
        let headers = table.headers().to_vec();
        let suppression = self.suppression_list()?;
        self.store.write(|tx| {
            tx.index_in_bulk()?;
            let mut summary = RowImportSummary::default();
            while let Some(row) = next_row(&mut table, &mut summary, control)? {
                let outcome = map
                    .contact(&row)
                    .map_err(RowFailure::Problem)
                    .and_then(|c| {
                        let listed = suppression
                            .as_ref()
                            .is_some_and(|s| s.lists_identifier_of(&c));
                        apply_contact(tx, &c, at, listed, &mut summary)
                    });
                settle(outcome, &table.label, &headers, &row, &mut summary, control)?;
            }
            super::audit::rows_imported(tx, &self.session, "csv", &summary)?;
            Ok(summary)
        })
    }
}

/// Page cache of a Mailchimp import (negative: KiB). Its writes are spread over three
/// randomly keyed indexes (identifiers, contact ids, event ids, together ~200 MB at a million
/// rows); every index page that falls out of the cache is decrypted, authenticated and,
/// being changed again, encrypted anew. The peak memory of a million-row import stays
/// below 300 MB with it (README "Performance").
const IMPORT_CACHE_SIZE: i64 = -144 * 1024;

impl Register {
    /// Runs bulk work (imports, screening, exports) with a larger page cache and restores
    /// the previous size afterwards, also when the work fails.
    pub(super) fn with_bulk_cache<T>(
        &mut self,
        f: impl FnOnce(&mut Register) -> Result<T>,
    ) -> Result<T> {
        self.with_cache(Store::BULK_CACHE_SIZE, f)
    }

    /// Runs an import with a rollback journal instead of the WAL where it can (see
    /// `store::journal`), and with the WAL again afterwards, also when the import fails.
    fn with_bulk_journal<T>(&mut self, f: impl FnOnce(&mut Register) -> Result<T>) -> Result<T> {
        let switched = self.store.begin_bulk_journal()?;
        let result = f(self);
        if switched {
            // Best effort: the import's outcome stands either way, and a register left in
            // rollback mode (as safe) gets the WAL again when it is next opened.
            let _ = self.store.end_bulk_journal();
        }
        result
    }

    /// [`Register::with_bulk_cache`] with a page cache of `size` (as SQLite's `cache_size`).
    fn with_cache<T>(
        &mut self,
        size: i64,
        f: impl FnOnce(&mut Register) -> Result<T>,
    ) -> Result<T> {
        let previous = self.store.cache_size()?;
        self.store.set_cache_size(size)?;
        let result = f(self);
        // Best effort: the work is done either way; a failed restore only costs memory.
        let _ = self.store.set_cache_size(previous);
        result
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

/// What a member row is applied with besides the row itself.
#[derive(Clone, Copy)]
struct Apply<'a> {
    kind: ListFile,
    opts: &'a MailchimpOptions,
    at: DateTime<FixedOffset>,
    /// The email is on the suppression list (counted only).
    listed: bool,
}

/// Emails and contact ids this import wrote, when the register was empty before it: a value
/// not in them cannot be in the register, and its lookup is skipped (see `fresh`).
/// `None` for a register that had contacts: every lookup asks it.
struct Known(Option<(fresh::Filter, fresh::Filter)>);

impl Known {
    fn new(tx: &Tx<'_>) -> Result<Known, StoreError> {
        Ok(Known(match tx.has_contacts()? {
            true => None,
            false => Some((fresh::Filter::new(), fresh::Filter::new())),
        }))
    }

    fn may_have_email(&self, email: &str) -> bool {
        self.0
            .as_ref()
            .is_none_or(|(emails, _)| emails.may_hold(email))
    }

    fn may_have_id(&self, id: &str) -> bool {
        self.0.as_ref().is_none_or(|(_, ids)| ids.may_hold(id))
    }

    /// Before the contact is written: the filters may say "maybe" too early, never "no" too late.
    fn add(&mut self, email: &str, id: &str) {
        if let Some((emails, ids)) = self.0.as_mut() {
            emails.add(email);
            ids.add(id);
        }
    }
}

/// One member row: a new contact with its events (computed ahead on the reader thread), or,
/// for a member whose email a contact already has, what the row adds to that contact.
fn apply_member(
    tx: &Tx<'_>,
    new: &mut NewMember,
    row: &Apply<'_>,
    known: &mut Known,
    summary: &mut RowImportSummary,
) -> Result<(), RowFailure> {
    let Apply {
        kind,
        opts,
        at,
        listed,
    } = *row;
    if listed {
        summary.suppressed += 1;
    }
    let member = &new.member;
    let existing = match known.may_have_email(&member.email) {
        true => match tx.contact_ids_by_email(&member.email)?.first() {
            Some(id) => tx.contact(id)?,
            None => None,
        },
        false => None,
    };
    if let Some(contact) = existing {
        return apply_to_existing(tx, contact, member, kind, opts, at, summary);
    }
    let id = &new.id;
    let stored = match known.may_have_id(id) {
        true => tx.contact(id)?,
        false => None,
    };
    match stored {
        // The member's id is made from the email: an erased member stays erased.
        Some(stored) if is_erased(&stored) => return Ok(()),
        Some(_) => {
            return Err(RowFailure::Problem(RowProblem::new(
                "",
                format!("contact id {id} is taken by a contact without this email address"),
            )))
        }
        None => {}
    }
    // Event ids include the contact id, so a contact new in this row has none stored yet.
    known.add(&member.email, id);
    let mut history = new.history.take().expect("each row is written once")?;
    tx.insert_prepared_history(&mut history)?;
    summary.contacts_added += 1;
    summary.events_added += history.event_count() as u64;
    // Back with the rest of the row, to be freed on the reader thread.
    new.history = Some(Ok(history));
    Ok(())
}

/// A member row for a contact already in the register (matched by email): the row's events
/// it lacks, the merge fields it lacks, and the `undeliverable` tag for a cleaned address.
fn apply_to_existing(
    tx: &Tx<'_>,
    mut contact: Contact,
    member: &mailchimp::Member,
    kind: ListFile,
    opts: &MailchimpOptions,
    at: DateTime<FixedOffset>,
    summary: &mut RowImportSummary,
) -> Result<(), RowFailure> {
    let mut events = mailchimp::member_events(&contact.id, member, kind, opts);
    if let Some((at, _)) = &member.clean {
        events.extend(mailchimp::undeliverable_change(
            &contact,
            *at,
            &opts.purpose,
        ));
    }
    // Check every event before writing any, so a refused row leaves nothing behind.
    let fresh = only_new(tx, events, summary)?;
    summary.contacts_matched += 1;
    // The merge fields, never the `undeliverable` tag: that has its own event below.
    let updated = merged(
        &contact,
        &mailchimp::new_contact(member, ListFile::Subscribed),
    );
    record_changes(tx, &contact, &updated, at, mailchimp::SOURCE, summary)?;
    contact = updated;
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

/// A row's contact: inserted when new; for a contact already in the register, what the row
/// adds (see [`merged`]) is recorded as `contact_changed` events at `at`.
fn apply_contact(
    tx: &Tx<'_>,
    row: &Contact,
    at: DateTime<FixedOffset>,
    listed: bool,
    summary: &mut RowImportSummary,
) -> Result<(), RowFailure> {
    if listed {
        summary.suppressed += 1;
    }
    let Some(existing) = matching_contact(tx, row)? else {
        tx.insert_contact(row)?;
        summary.contacts_added += 1;
        return Ok(());
    };
    if is_erased(&existing) {
        // Never fill an erased record in again; count it once as suppressed.
        summary.suppressed += u64::from(!listed);
        return Ok(());
    }
    summary.contacts_matched += 1;
    record_changes(
        tx,
        &existing,
        &merged(&existing, row),
        at,
        CSV_SOURCE,
        summary,
    )
}

/// Writes the difference between a contact and its updated form: one `contact_changed`
/// event per changed field (old and new value as in the ledger's contact line), then the
/// contact itself. Nothing when they are equal.
fn record_changes(
    tx: &Tx<'_>,
    existing: &Contact,
    updated: &Contact,
    at: DateTime<FixedOffset>,
    source: &str,
    summary: &mut RowImportSummary,
) -> Result<(), RowFailure> {
    if updated == existing {
        return Ok(());
    }
    let (before, after) = (existing.to_object(), updated.to_object());
    for field in MERGED_FIELDS {
        let (old, new) = (before.get(field), after.get(field));
        if old == new {
            continue;
        }
        tx.append_event(&Event {
            id: None,
            contact: existing.id.clone(),
            at,
            kind: EventKind::ContactChanged {
                field: field.to_owned(),
                old: old.cloned(),
                new: new.cloned(),
            },
            recorded_by: None,
            source: Some(source.to_owned()),
            note: None,
            extra: Default::default(),
        })?;
        summary.events_added += 1;
    }
    tx.update_contact(updated)?;
    summary.contacts_changed += 1;
    Ok(())
}

const CSV_SOURCE: &str = "csv_import";
const MERGED_FIELDS: [&str; 6] = [
    "emails",
    "phones",
    "tags",
    "company",
    "customer_number",
    "address",
];

/// The contact a row stands for: by id, else email, else customer number, else phone (the
/// most specific identifier first; a phone number may be shared, e.g. a switchboard).
/// Several contacts on the deciding identifier make the row ambiguous.
fn matching_contact(tx: &Tx<'_>, row: &Contact) -> Result<Option<Contact>, RowFailure> {
    if let Some(c) = tx.contact(&row.id)? {
        return Ok(Some(c));
    }
    let mut levels: Vec<(&str, Vec<String>)> = Vec::new();
    let mut ids = Vec::new();
    for e in &row.emails {
        ids.extend(tx.contact_ids_by_email(e)?);
    }
    levels.push(("email", ids));
    let ids = match &row.customer_number {
        Some(n) => tx.contact_id_by_customer_number(n)?,
        None => Vec::new(),
    };
    levels.push(("customer number", ids));
    let mut ids = Vec::new();
    for p in &row.phones {
        ids.extend(tx.contact_ids_by_phone(p)?);
    }
    levels.push(("phone", ids));
    for (what, mut ids) in levels {
        ids.sort();
        ids.dedup();
        match ids.len() {
            0 => continue,
            1 => return Ok(tx.contact(&ids[0])?),
            _ => {
                return Err(RowFailure::Problem(RowProblem::new(
                    "",
                    format!(
                        "the {what} belongs to several contacts ({}); give the contact id in an id column",
                        ids.join(", ")
                    ),
                )))
            }
        }
    }
    Ok(None)
}

/// What a row adds to a contact already in the register: email addresses, phone numbers
/// and tags it lacks, and company, customer number or address where it has none. Values
/// the register holds are never overwritten by a spreadsheet.
fn merged(existing: &Contact, row: &Contact) -> Contact {
    let mut c = existing.clone();
    let add = |list: &mut Vec<String>, new: &[String]| {
        for v in new {
            if !list.contains(v) {
                list.push(v.clone());
            }
        }
    };
    add(&mut c.emails, &row.emails);
    add(&mut c.phones, &row.phones);
    add(&mut c.tags, &row.tags);
    if c.company.is_none() {
        c.company = row.company.clone();
    }
    if c.customer_number.is_none() {
        c.customer_number = row.customer_number.clone();
    }
    if c.address.is_none() {
        c.address = row.address.clone();
    }
    c
}
