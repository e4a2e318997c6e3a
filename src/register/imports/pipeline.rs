//! The Mailchimp import on both cores: a reader thread reads the files, checks and
//! normalises each row and computes what a new member would be stored as (contact record,
//! search entry, events with their JSON and ledger-chain hashes); the calling thread only
//! writes, in one transaction, and decides each row exactly as before (lookups, matches,
//! skips, errors), taking rows strictly in file order.
//!
//! Memory stays bounded: at most `QUEUE` batches of `BATCH` rows wait between the threads.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::import::mailchimp::{self, Columns, ListFile, MailchimpOptions, Member};
use crate::import::{ImportError, Row, RowProblem, Table};
use crate::store::{PreparedContact, PreparedEvent, StoreError};

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
    pub contact: PreparedContact,
    /// The member's events for `contact`; an event the store would refuse fails the import
    /// when the row is written, as it did when the events were stored one by one.
    pub events: Result<Vec<PreparedEvent>, StoreError>,
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
        let events = mailchimp::member_events(&contact.id, &member, kind, opts)
            .into_iter()
            .map(PreparedEvent::new)
            .collect();
        Ok(Box::new(NewMember {
            member,
            contact: PreparedContact::new(contact),
            events,
        }))
    }
}

/// Reads every table in order and sends its rows, ending with `End` (or `Failed`). Stops
/// early when the writer has hung up (it failed or was cancelled).
pub(super) fn read_all(
    tables: Vec<(ListFile, Table, Columns)>,
    opts: &MailchimpOptions,
    out: SyncSender<Vec<Item>>,
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
            if batch.len() >= BATCH && out.send(std::mem::take(&mut batch)).is_err() {
                return;
            }
        }
    }
    batch.push(Item::End);
    let _ = out.send(batch);
}

/// A bounded channel for [`read_all`].
pub(super) fn channel() -> (SyncSender<Vec<Item>>, Receiver<Vec<Item>>) {
    sync_channel(QUEUE)
}

/// The items in order, one at a time, from a [`read_all`] on another thread. A reader that
/// stopped without `End` (it panicked) ends the import with an error, never with a partial
/// import that looks complete.
pub(super) struct Items {
    rx: Receiver<Vec<Item>>,
    current: std::vec::IntoIter<Item>,
}

impl Items {
    pub(super) fn new(rx: Receiver<Vec<Item>>) -> Items {
        Items {
            rx,
            current: Vec::new().into_iter(),
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
