//! The Import screen: a ledger (JSONL), a Mailchimp audience export or a CSV with a column
//! mapping. Files come from the native dialog through [`Chooser`]; a preview of the first
//! rows shows what was detected; the import runs off the UI thread with progress and can
//! be cancelled (nothing is written then). All or nothing unless "skip invalid rows" is
//! on, which writes the rejected rows to a report file chosen with a save dialog.

mod view;
pub mod work;

use std::path::PathBuf;

use chrono::FixedOffset;
use iced::Task;

use super::contact::when;
use super::file_dialog::{ask, Chosen, DialogKind, FileRequest};
use super::handle::{GuiError, RegisterHandle};
use super::job::{self, CancelFlag, JobEvent, Progress};
use super::save_dialog::Chooser;
use crate::domain::Purpose;
use crate::i18n::{t, Lang};
use crate::import::mailchimp::MailchimpOptions;
use crate::register::MailchimpFiles;
pub use view::summary_lines;
use work::{Job, Outcome, PreviewTable, RowJob};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ledger,
    Mailchimp,
    Csv,
}

pub const KINDS: [Kind; 3] = [Kind::Ledger, Kind::Mailchimp, Kind::Csv];

/// Where a chosen file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The ledger or the CSV.
    Main,
    Subscribed,
    Unsubscribed,
    Cleaned,
    Report,
}

#[derive(Debug, Clone)]
pub enum Message {
    KindChosen(Kind),
    Choose(Slot),
    Chosen(Slot, Chosen),
    Remove(Slot),
    Previewed(PathBuf, Result<PreviewTable, GuiError>),
    /// A CSV field (index into `work::MAP_FIELDS`) mapped to a column, or unmapped.
    Mapped(usize, Option<String>),
    ConsentTextId(String),
    Purpose(String),
    /// Offset of the export's times in minutes east of UTC.
    Offset(i32),
    SkipInvalid(bool),
    Start,
    Job(u64, JobEvent<Outcome>),
    Cancel,
    Back,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Back,
    /// The register changed: lists shown elsewhere are out of date.
    Changed,
}

/// Where the run is.
#[derive(Debug, Clone)]
pub enum Run {
    Idle,
    Running {
        progress: Progress,
        cancel: CancelFlag,
    },
    Done(Outcome),
    Failed(GuiError),
    Cancelled,
}

/// A problem that keeps Start disabled (catalogue key).
pub type Missing = &'static str;

pub struct State {
    handle: RegisterHandle,
    chooser: Chooser,
    lang: Lang,
    pub(super) kind: Kind,
    pub(super) main: Option<PathBuf>,
    pub(super) mailchimp: [Option<PathBuf>; 3],
    /// The preview of the file chosen last, with its path (`None` while it is read).
    pub(super) preview: Option<(PathBuf, Option<Result<PreviewTable, GuiError>>)>,
    pub(super) mapping: Vec<Option<String>>,
    pub(super) consent_text_id: String,
    pub(super) purpose: Option<String>,
    pub(super) offset_minutes: i32,
    pub(super) skip_invalid: bool,
    pub(super) report: Option<PathBuf>,
    pub(super) run: Run,
    /// Results of an older run (after a cancel and a new start) are dropped by this key.
    request: u64,
}

impl State {
    pub fn new(handle: RegisterHandle, chooser: Chooser, lang: Lang) -> State {
        State {
            handle,
            chooser,
            lang,
            kind: Kind::Mailchimp,
            main: None,
            mailchimp: [None, None, None],
            preview: None,
            mapping: vec![None; work::MAP_FIELDS.len()],
            consent_text_id: String::new(),
            purpose: None,
            offset_minutes: 0,
            skip_invalid: false,
            report: None,
            run: Run::Idle,
            request: 0,
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn run_state(&self) -> &Run {
        &self.run
    }

    pub fn mapping(&self) -> &[Option<String>] {
        &self.mapping
    }

    pub fn running(&self) -> bool {
        matches!(self.run, Run::Running { .. })
    }

    /// What is still missing before the import can start, first problem first.
    pub fn missing(&self) -> Option<Missing> {
        let preview_failed = matches!(&self.preview, Some((_, Some(Err(_)))));
        let previewing = matches!(&self.preview, Some((_, None)));
        match self.kind {
            Kind::Ledger | Kind::Csv if self.main.is_none() => return Some("imp-missing-file"),
            Kind::Mailchimp if self.mailchimp[0].is_none() => {
                return Some("imp-missing-subscribed")
            }
            _ if preview_failed => return Some("imp-missing-readable"),
            _ if previewing => return Some("imp-missing-preview"),
            Kind::Mailchimp if self.consent_text_id.trim().is_empty() => {
                return Some("imp-missing-text-id")
            }
            Kind::Mailchimp if self.purpose.is_none() => return Some("imp-missing-purpose"),
            Kind::Csv if work::map_spec(&self.mapping).is_none() => {
                return Some("imp-missing-mapping")
            }
            _ => {}
        }
        if self.kind != Kind::Ledger && self.skip_invalid && self.report.is_none() {
            return Some("imp-missing-report");
        }
        None
    }

    /// The import as the register takes it, when everything needed is there.
    fn job(&self) -> Option<Job> {
        if self.missing().is_some() {
            return None;
        }
        match self.kind {
            Kind::Ledger => Some(Job::Ledger(self.main.clone()?)),
            Kind::Csv => Some(Job::Rows(RowJob::Csv(
                self.main.clone()?,
                work::map_spec(&self.mapping)?,
            ))),
            Kind::Mailchimp => {
                let opts = MailchimpOptions {
                    consent_text_id: self.consent_text_id.trim().to_owned(),
                    purpose: Purpose::parse(self.purpose.as_deref()?).ok()?,
                    offset: FixedOffset::east_opt(self.offset_minutes * 60)?,
                };
                let [subscribed, unsubscribed, cleaned] = self.mailchimp.clone();
                let files = MailchimpFiles {
                    subscribed: subscribed?,
                    unsubscribed,
                    cleaned,
                };
                Some(Job::Rows(RowJob::Mailchimp(files, opts)))
            }
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        if self.running() && matches!(message, Message::Back) {
            // Leaving cancels: the job holds the register, so the search would wait for it.
            let _ = self.update(Message::Cancel);
            return Action::Back;
        }
        if self.running() && !matches!(message, Message::Job(..) | Message::Cancel) {
            // While an import runs the form stays as it was started.
            return Action::None;
        }
        match message {
            Message::KindChosen(kind) => {
                if kind != self.kind {
                    self.kind = kind;
                    self.main = None;
                    self.preview = None;
                    self.run = Run::Idle;
                }
            }
            Message::Choose(slot) => return Action::Run(self.ask(slot)),
            Message::Chosen(slot, paths) => {
                let Some(path) = paths.into_iter().next() else {
                    return Action::None; // the dialog was cancelled
                };
                self.run = Run::Idle;
                match slot {
                    Slot::Report => self.report = Some(path.clone()),
                    Slot::Main => self.main = Some(path.clone()),
                    Slot::Subscribed => self.mailchimp[0] = Some(path.clone()),
                    Slot::Unsubscribed => self.mailchimp[1] = Some(path.clone()),
                    Slot::Cleaned => self.mailchimp[2] = Some(path.clone()),
                }
                if slot != Slot::Report {
                    return Action::Run(self.load_preview(path));
                }
            }
            Message::Remove(slot) => match slot {
                Slot::Unsubscribed => self.mailchimp[1] = None,
                Slot::Cleaned => self.mailchimp[2] = None,
                Slot::Report => self.report = None,
                Slot::Main | Slot::Subscribed => {}
            },
            Message::Previewed(path, result) => {
                // Only the newest file's preview is shown.
                if self.preview.as_ref().is_some_and(|(p, _)| *p == path) {
                    if self.kind == Kind::Csv {
                        if let Ok(p) = &result {
                            self.mapping = work::suggest_mapping(&p.headers);
                        }
                    }
                    self.preview = Some((path, Some(result)));
                }
            }
            Message::Mapped(i, column) => {
                if let Some(m) = self.mapping.get_mut(i) {
                    *m = column;
                }
            }
            Message::ConsentTextId(v) => self.consent_text_id = v,
            Message::Purpose(p) => self.purpose = Some(p),
            Message::Offset(m) => self.offset_minutes = m,
            Message::SkipInvalid(on) => self.skip_invalid = on,
            Message::Start => return self.start(),
            Message::Cancel => {
                if let Run::Running { cancel, .. } = &self.run {
                    cancel.cancel();
                }
            }
            Message::Job(request, event) => return self.on_job(request, event),
            Message::Back => return Action::Back,
        }
        Action::None
    }

    fn ask(&self, slot: Slot) -> Task<Message> {
        let lang = self.lang;
        let request = match slot {
            Slot::Report => FileRequest::new(DialogKind::Save, t(lang, "imp-report-title"))
                .filter("CSV", &["csv"])
                .file_name(t(lang, "imp-report-file-name")),
            Slot::Main if self.kind == Kind::Ledger => {
                FileRequest::new(DialogKind::Open, t(lang, "imp-choose-title"))
                    .filter("JSONL", &["jsonl", "json", "txt"])
            }
            _ => FileRequest::new(DialogKind::Open, t(lang, "imp-choose-title"))
                .filter("CSV", &["csv", "txt"]),
        };
        ask(&self.chooser, request, move |paths| {
            Message::Chosen(slot, paths)
        })
    }

    fn load_preview(&mut self, path: PathBuf) -> Task<Message> {
        self.preview = Some((path.clone(), None));
        let ledger = self.kind == Kind::Ledger;
        let read = path.clone();
        Task::perform(
            async move {
                tokio::task::spawn_blocking(move || {
                    let result = if ledger {
                        work::preview_ledger(&read)
                    } else {
                        work::preview_csv(&read)
                    };
                    result.map_err(GuiError::from)
                })
                .await
                .map_err(|e| GuiError::background(&e))?
            },
            move |result| Message::Previewed(path, result),
        )
    }

    fn start(&mut self) -> Action {
        let Some(job) = self.job() else {
            return Action::None;
        };
        self.request += 1;
        let request = self.request;
        let cancel = CancelFlag::default();
        self.run = Run::Running {
            progress: Progress::default(),
            cancel: cancel.clone(),
        };
        let report = (self.skip_invalid && self.kind != Kind::Ledger)
            .then(|| self.report.clone())
            .flatten();
        let at = when::now();
        let stream = job::run(&self.handle, move |reg, progress| {
            work::run(reg, &job, at, report.as_deref(), &cancel, progress)
        });
        Action::Run(Task::run(stream, move |e| Message::Job(request, e)))
    }

    fn on_job(&mut self, request: u64, event: JobEvent<Outcome>) -> Action {
        if request != self.request {
            return Action::None;
        }
        let Run::Running { progress, cancel } = &mut self.run else {
            return Action::None;
        };
        match event {
            JobEvent::Progress(p) => *progress = p,
            JobEvent::Finished(result) => {
                let cancelled = cancel.is_cancelled();
                self.run = match result {
                    Ok(outcome) => {
                        let wrote = outcome.wrote();
                        self.run = Run::Done(outcome);
                        // A used report name is not offered again: files are never overwritten.
                        self.report = None;
                        return if wrote { Action::Changed } else { Action::None };
                    }
                    Err(_) if cancelled => Run::Cancelled,
                    Err(e) => Run::Failed(e),
                };
            }
        }
        Action::None
    }

    /// Enter: start when everything is there.
    pub fn enter(&mut self) -> Action {
        if self.running() {
            return Action::None;
        }
        self.update(Message::Start)
    }
}
