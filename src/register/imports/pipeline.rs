//! The Mailchimp import on both cores: a reader thread reads the files, checks and
//! normalises each row and computes what a new member would be stored as (contact record,
//! search entry, events with their JSON and ledger-chain hashes, decision basis); the
//! calling thread only writes, in one transaction, and decides each row exactly as before
//! (lookups, matches, skips, errors), taking rows strictly in file order.
//!
//! Memory stays bounded: at most `QUEUE` batches of `BATCH` rows wait between the threads.
//! Rows the writer is done with go back to the reader to be freed there: freeing on the
//! thread that allocated is cheaper (the allocator's per-thread arenas), and it is work off
//! the writer, which is the slower of the two.

use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

use crate::import::mailchimp::{self, Columns, ListFile, MailchimpOptions, Member};
use crate::import::{ImportError, Row, RowProblem, Table};
use crate::store::{PreparedHistory, StoreError};

/// Rows per message: a channel operation per row would cost more than some rows do.
const BATCH: usize = 256;
/// Batches in flight; enough to keep the writer from waiting on the reader.
const QUEUE: usize = 4;

/// One row as the reader leaves it for the writer.
pub(super) enum Item {
    /// A readable row of file number `file` (index into the writer's file list).
    Row {
        file: usize,
        row: Row,
        member: Result<Box<NewMember>, RowProblem>,
    },
    /// A row the CSV reader could not read, handed on as an empty row with its problem.
    Unreadable {
        file: usize,
        row: Row,
        problem: RowProblem,
    },
    /// Reading failed as a whole (not one row): the import stops.
    Failed(ImportError),
    /// Every file was read to the end.
    End,
}

/// A checked member row, and what it is stored as if no contact has its email yet.
pub(super) struct NewMember {
    pub member: Member,
    /// The id the member's contact gets.
    pub id: String,
    /// The new contact with its events; an event the store would refuse fails the import
    /// when the row is written, as it did when the events were stored one by one. `None`
    /// only while the writer holds it.
    pub history: Option<Result<PreparedHistory, StoreError>>,
}

impl NewMember {
    pub(super) fn prepare(
        cols: &Columns,
        row: &Row,
        kind: ListFile,
        opts: &MailchimpOptions,
    ) -> Result<Box<NewMember>, RowProblem> {
        let member = mailchimp::parse_member(cols, row, kind, opts.offset)?;
        let contact = mailchimp::new_contact(&member, kind);
        let events = mailchimp::member_events(&contact.id, &member, kind, opts);
        Ok(Box::new(NewMember {
            id: contact.id.clone(),
            history: Some(PreparedHistory::new(contact, events)),
            member,
        }))
    }
}

/// A row the writer is done with, on its way back to be freed.
pub(super) type Spent = (Row, Option<Box<NewMember>>);

/// Reads every table in order and sends its rows, ending with `End` (or `Failed`). Stops
/// early when the writer has hung up (it failed or was cancelled). Frees what comes back
/// on `spent` as it goes.
pub(super) fn read_all(
    tables: Vec<(ListFile, Table, Columns)>,
    opts: &MailchimpOptions,
    out: SyncSender<Vec<Item>>,
    spent: Receiver<Vec<Spent>>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    for (file, (kind, mut table, cols)) in tables.into_iter().enumerate() {
        while let Some(next) = table.next_row() {
            let item = match next {
                Ok(row) => {
                    let member = NewMember::prepare(&cols, &row, kind, opts);
                    Item::Row { file, row, member }
                }
                Err(ImportError::Row {
                    row,
                    line,
                    problem,
                    column,
                    ..
                }) => Item::Unreadable {
                    file,
                    row: Row {
                        number: row,
                        line,
                        record: csv::StringRecord::new(),
                    },
                    problem: RowProblem::new(column, problem),
                },
                Err(e) => {
                    batch.push(Item::Failed(e));
                    let _ = out.send(batch);
                    return;
                }
            };
            batch.push(item);
            if batch.len() >= BATCH {
                while let Ok(done) = spent.try_recv() {
                    drop(done);
                }
                if out.send(std::mem::take(&mut batch)).is_err() {
                    return;
                }
            }
        }
    }
    batch.push(Item::End);
    let _ = out.send(batch);
}

/// The channels for [`read_all`]: rows to the writer (bounded), spent rows back (bounded by
/// what the writer received).
#[allow(clippy::type_complexity)]
pub(super) fn channels() -> (
    (SyncSender<Vec<Item>>, Receiver<Vec<Spent>>),
    (Receiver<Vec<Item>>, Sender<Vec<Spent>>),
) {
    let (rows_in, rows_out) = sync_channel(QUEUE);
    let (spent_in, spent_out) = channel();
    ((rows_in, spent_out), (rows_out, spent_in))
}

/// The items in order, one at a time, from a [`read_all`] on another thread. A reader that
/// stopped without `End` (it panicked) ends the import with an error, never with a partial
/// import that looks complete.
pub(super) struct Items {
    rx: Receiver<Vec<Item>>,
    current: std::vec::IntoIter<Item>,
    back: Sender<Vec<Spent>>,
    spent: Vec<Spent>,
}

impl Items {
    pub(super) fn new(rx: Receiver<Vec<Item>>, back: Sender<Vec<Spent>>) -> Items {
        Items {
            rx,
            current: Vec::new().into_iter(),
            back,
            spent: Vec::with_capacity(BATCH),
        }
    }

    /// Hands a row the writer is done with back to the reader.
    pub(super) fn recycle(&mut self, row: Row, member: Option<Box<NewMember>>) {
        self.spent.push((row, member));
        if self.spent.len() >= BATCH {
            // A reader that has finished frees nothing more: these are dropped here.
            let _ = self.back.send(std::mem::take(&mut self.spent));
        }
    }

    pub(super) fn next(&mut self) -> Item {
        loop {
            if let Some(item) = self.current.next() {
                return item;
            }
            match self.rx.recv() {
                Ok(batch) => self.current = batch.into_iter(),
                Err(_) => {
                    return Item::Failed(ImportError::Read {
                        file: "(import reader)".to_owned(),
                        source: std::io::Error::other("the file reader stopped unexpectedly"),
                    })
                }
            }
        }
    }
}
