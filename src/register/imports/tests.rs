//! The two-thread Mailchimp import against the code it replaced (kept below verbatim as
//! `reference_*`, one thread, contacts and events written one by one): the same ledger,
//! byte for byte, the same counts, and the same all-or-nothing behaviour.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::*;
use crate::import::mailchimp::MailchimpOptions;
use crate::import::ImportControl;

const PASS: &str = "correct horse battery staple";

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
}

fn opts() -> MailchimpOptions {
    MailchimpOptions {
        consent_text_id: "CT-NEWSLETTER-v3".into(),
        purpose: crate::domain::Purpose::parse("newsletter").unwrap(),
        offset: FixedOffset::east_opt(0).unwrap(),
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mailchimp")
        .join(name)
}

fn fixtures() -> MailchimpFiles {
    MailchimpFiles {
        subscribed: fixture("subscribed.csv"),
        unsubscribed: Some(fixture("unsubscribed.csv")),
        cleaned: Some(fixture("cleaned.csv")),
    }
}

/// A subscribed export of `n` rows spanning several reader batches: some members twice
/// (another spelling of the email, more merge fields the second time), some with a phone
/// number, an address, only LAST_CHANGED, or a confirmation without a request; one
/// member of the fixtures again; and, when `bad_row` is given, an invalid phone number there.
fn big_export(dir: &Path, n: usize, bad_row: Option<usize>) -> PathBuf {
    let mut text = String::from(
        "Email Address,First Name,Last Name,Address,Phone Number,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LAST_CHANGED\n",
    );
    for i in 1..=n {
        let email = if i % 97 == 0 {
            format!("Member.{}@Example.DE", i - 50)
        } else {
            format!("member.{i}@example.de")
        };
        let phone = match i % 5 {
            0 => format!("0171 {:07}", i),
            1 => format!("+49 30 {:06}", i),
            _ => String::new(),
        };
        let phone = if Some(i) == bad_row {
            "12".to_owned()
        } else {
            phone
        };
        let address = if i % 3 == 0 {
            format!("Weg {i}  Köln  NW  50667  DE")
        } else {
            String::new()
        };
        let (optin, confirm, changed) = match i % 7 {
            0 => ("", "", "2024-06-01 12:00:00"),
            1 => ("", "2024-02-01 08:00:00", "2024-02-01 08:00:00"),
            _ => (
                "2024-01-01 10:00:00",
                "2024-01-01 10:05:00",
                "2024-01-01 10:05:00",
            ),
        };
        text.push_str(&format!(
            "{email},Jürgen,Müller {i},{address},{phone},{optin},203.0.113.1,{confirm},203.0.113.2,{changed}\n"
        ));
    }
    text.push_str("lena.schmidt@example.de,Lena,Schmidt,,0221 987654,2025-02-01 08:00:00,203.0.113.20,2025-02-01 08:07:30,203.0.113.21,2025-02-01 08:07:30\n");
    let path = dir.join(format!("big-{n}-{bad_row:?}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

fn ledger(reg: &Register) -> String {
    let mut out = Vec::new();
    reg.export_ledger(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Runs one import with rejected rows collected (`skip`) or not, on the pipeline or the
/// reference code.
fn run(
    reg: &mut Register,
    files: &MailchimpFiles,
    reference: bool,
    skip: bool,
) -> (Result<RowImportSummary>, Vec<String>) {
    let mut rejected = Vec::new();
    let mut progress = Vec::new();
    let result = {
        let mut on_reject = |r: crate::import::RejectedRow<'_>| {
            rejected.push(format!(
                "{} {} {} {}",
                r.file, r.row.number, r.column, r.problem
            ))
        };
        let mut on_progress = |n: u64| progress.push(n);
        let mut control = ImportControl {
            rejected: None,
            progress: Some(&mut on_progress),
            cancel: None,
        };
        if skip {
            control.rejected = Some(&mut on_reject);
        }
        if reference {
            reference_import(reg, files, &opts(), now(), &mut control)
        } else {
            reg.import_mailchimp(files, &opts(), now(), &mut control)
        }
    };
    let rows = result
        .as_ref()
        .map(|s| s.rows)
        .unwrap_or(progress.len() as u64);
    assert_eq!(
        progress,
        (1..=rows).collect::<Vec<_>>(),
        "progress after every row"
    );
    (result, rejected)
}

#[test]
fn pipeline_stores_what_the_previous_code_stored() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 1_300, None);
    let bad = big_export(dir.path(), 900, Some(650));
    let mut pipe = Register::create(&dir.path().join("p.db"), PASS).unwrap();
    let mut refr = Register::create(&dir.path().join("r.db"), PASS).unwrap();
    let steps = [
        (fixtures(), false),
        (
            MailchimpFiles {
                subscribed: big.clone(),
                unsubscribed: None,
                cleaned: None,
            },
            false,
        ),
        // Again: adds nothing.
        (
            MailchimpFiles {
                subscribed: big,
                unsubscribed: None,
                cleaned: None,
            },
            false,
        ),
        // A bad row, skipped and reported.
        (
            MailchimpFiles {
                subscribed: bad.clone(),
                unsubscribed: None,
                cleaned: None,
            },
            true,
        ),
        (fixtures(), false),
    ];
    for (files, skip) in &steps {
        let (a, rejected_a) = run(&mut pipe, files, false, *skip);
        let (b, rejected_b) = run(&mut refr, files, true, *skip);
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(rejected_a, rejected_b);
        assert_eq!(ledger(&pipe), ledger(&refr));
    }
    let stored = ledger(&pipe);
    assert!(stored.lines().count() > 3_000, "{}", stored.lines().count());
    // Both registers verify intact, the derived decision bases included (merging a phone
    // number and an address into an existing member once left one out of step).
    let (vp, vr) = (pipe.verify().unwrap(), refr.verify().unwrap());
    assert!(vp.intact(), "{:?}", vp.first_problem());
    assert!(vr.intact(), "{:?}", vr.first_problem());
    assert_eq!(vp.events, vr.events);
    // The same bad row without --skip-invalid: the same error, nothing written.
    let before = ledger(&pipe);
    let files = MailchimpFiles {
        subscribed: bad,
        unsubscribed: None,
        cleaned: None,
    };
    let (a, _) = run(&mut pipe, &files, false, false);
    let (b, _) = run(&mut refr, &files, true, false);
    let (a, b) = (a.unwrap_err().to_string(), b.unwrap_err().to_string());
    assert_eq!(a, b);
    assert!(a.contains("row 650"), "{a}");
    assert_eq!(ledger(&pipe), before);
}

#[test]
fn a_bad_row_far_into_a_new_register_leaves_it_empty() {
    let dir = tempfile::tempdir().unwrap();
    let bad = big_export(dir.path(), 5_200, Some(5_000));
    let mut reg = Register::create(&dir.path().join("p.db"), PASS).unwrap();
    let files = MailchimpFiles {
        subscribed: bad,
        unsubscribed: None,
        cleaned: None,
    };
    let (result, _) = run(&mut reg, &files, false, false);
    let err = result.unwrap_err().to_string();
    assert!(
        err.contains("row 5000") && err.contains("Phone Number"),
        "{err}"
    );
    assert_eq!(reg.store.counts().unwrap(), crate::store::Counts::default());
    assert_eq!(reg.store.search("müller", 10).unwrap(), Vec::new());
    // The import ran with a rollback journal (store::journal); the WAL is back after it.
    assert_eq!(reg.store.journal().unwrap(), ("wal".to_owned(), 1));
    assert!(!dir.path().join("p.db-journal").exists());
}

#[test]
fn cancelling_stops_the_reader_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 3_000, None);
    let mut reg = Register::create(&dir.path().join("p.db"), PASS).unwrap();
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = cancel.clone();
    let mut on_progress = |n: u64| {
        if n == 1_000 {
            flag.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let mut control = ImportControl {
        rejected: None,
        progress: Some(&mut on_progress),
        cancel: Some(cancel.clone()),
    };
    let files = MailchimpFiles {
        subscribed: big,
        unsubscribed: None,
        cleaned: None,
    };
    let err = reg
        .import_mailchimp(&files, &opts(), now(), &mut control)
        .unwrap_err();
    assert!(
        matches!(err, RegisterError::File(ImportError::Cancelled)),
        "{err:?}"
    );
    assert_eq!(reg.store.counts().unwrap(), crate::store::Counts::default());
}

/// The import as it was before the reader thread (commit 615af6c), verbatim but for names.
fn reference_import(
    reg: &mut Register,
    files: &MailchimpFiles,
    opts: &MailchimpOptions,
    at: DateTime<FixedOffset>,
    control: &mut ImportControl<'_>,
) -> Result<RowImportSummary> {
    reg.require(Permission::Import)?;
    reg.with_bulk_cache(|reg| reference_rows(reg, files, opts, at, control))
}

fn reference_rows(
    reg: &mut Register,
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
    let suppression = reg.suppression_list()?;
    let session = reg.session.clone();
    reg.store.write(|tx| {
        let mut summary = RowImportSummary::default();
        for (kind, mut table, cols) in tables {
            let headers = table.headers().to_vec();
            while let Some(row) = next_row(&mut table, &mut summary, control)? {
                let outcome = mailchimp::parse_member(&cols, &row, kind, opts.offset)
                    .map_err(RowFailure::Problem)
                    .and_then(|m| {
                        let listed = suppression
                            .as_ref()
                            .is_some_and(|s| s.holds(IdKind::Email, &m.email));
                        reference_apply_member(tx, &m, kind, opts, at, listed, &mut summary)
                    });
                settle(outcome, &table.label, &headers, &row, &mut summary, control)?;
            }
        }
        crate::register::audit::rows_imported(tx, &session, "mailchimp", &summary)?;
        Ok(summary)
    })
}

fn reference_apply_member(
    tx: &Tx<'_>,
    member: &mailchimp::Member,
    kind: ListFile,
    opts: &MailchimpOptions,
    at: DateTime<FixedOffset>,
    listed: bool,
    summary: &mut RowImportSummary,
) -> Result<(), RowFailure> {
    if listed {
        summary.suppressed += 1;
    }
    let existing = match tx.contact_ids_by_email(&member.email)?.first() {
        Some(id) => tx.contact(id)?,
        None => None,
    };
    let (mut contact, created) = match existing {
        Some(c) => (c, false),
        None => {
            let c = mailchimp::new_contact(member, kind);
            // The member's id is made from the email: an erased member stays erased.
            if tx.contact(&c.id)?.as_ref().is_some_and(is_erased) {
                return Ok(());
            }
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
        // The merge fields, never the `undeliverable` tag: that has its own event below.
        let updated = merged(
            &contact,
            &mailchimp::new_contact(member, ListFile::Subscribed),
        );
        record_changes(tx, &contact, &updated, at, mailchimp::SOURCE, summary)?;
        contact = updated;
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
