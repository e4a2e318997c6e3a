//! The List screening screen: a campaign list (CSV) checked against the register for a
//! channel and purpose. The result file — every row with contact, match, verdict, reason,
//! legal basis and explanation added — is named in a save dialog when Start is pressed
//! (never over an existing file; written under a hidden name and renamed when complete,
//! so a cancelled or failed run leaves nothing). The screening runs off the UI thread with
//! progress; the summary counts verdicts, matches and reasons.

mod view;

pub use view::summary_lines;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use iced::Task;

use super::contact::when;
use super::file_dialog::{ask, Chosen, DialogKind, FileRequest};
use super::handle::{GuiError, RegisterHandle};
use super::import::work::{preview_csv, PreviewTable};
use super::job::{self, CancelFlag, JobEvent, Progress};
use super::save_dialog::Chooser;
use crate::domain::{Channel, Purpose, QueryChannel};
use crate::i18n::{t, Lang};
use crate::import::ImportControl;
use crate::outfile::{refuse_existing, PendingFile};
use crate::register::{Register, RegisterError, ScreenOptions, ScreenSummary};

/// The channels a campaign can go out on, and `none` (processing without contact).
pub const CHANNELS: [QueryChannel; 5] = [
    QueryChannel::Contact(Channel::Email),
    QueryChannel::Contact(Channel::Sms),
    QueryChannel::Contact(Channel::Phone),
    QueryChannel::Contact(Channel::Letter),
    QueryChannel::None,
];

#[derive(Debug, Clone)]
pub enum Message {
    ChooseList,
    ListChosen(Chosen),
    Previewed(PathBuf, Result<PreviewTable, GuiError>),
    Channel(QueryChannel),
    Purpose(String),
    Category(String),
    AsOf(String),
    Start,
    OutChosen(Chosen),
    Job(u64, JobEvent<Screened>),
    Cancel,
    Back,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Back,
}

/// A finished screening: the counts, the result file, and its first rows.
#[derive(Debug, Clone)]
pub struct Screened {
    pub summary: ScreenSummary,
    pub out: PathBuf,
    pub first_rows: Option<PreviewTable>,
}

#[derive(Debug, Clone)]
pub enum Run {
    Idle,
    Running {
        progress: Progress,
        cancel: CancelFlag,
    },
    Done(Screened),
    Failed(GuiError),
    Cancelled,
}

pub struct State {
    handle: RegisterHandle,
    chooser: Chooser,
    lang: Lang,
    pub(super) list: Option<PathBuf>,
    pub(super) preview: Option<(PathBuf, Option<Result<PreviewTable, GuiError>>)>,
    pub(super) channel: QueryChannel,
    pub(super) purpose: Option<String>,
    pub(super) category: String,
    pub(super) as_of: String,
    /// A problem with the input that only shows once Start is pressed (as-of, result file).
    pub(super) problem: Option<String>,
    pub(super) run: Run,
    request: u64,
}

impl State {
    pub fn new(handle: RegisterHandle, chooser: Chooser, lang: Lang) -> State {
        State {
            handle,
            chooser,
            lang,
            list: None,
            preview: None,
            channel: QueryChannel::Contact(Channel::Email),
            purpose: None,
            category: String::new(),
            as_of: String::new(),
            problem: None,
            run: Run::Idle,
            request: 0,
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub fn run_state(&self) -> &Run {
        &self.run
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    pub fn running(&self) -> bool {
        matches!(self.run, Run::Running { .. })
    }

    /// What keeps Start disabled (catalogue key).
    pub fn missing(&self) -> Option<&'static str> {
        if self.list.is_none() {
            return Some("scr-missing-list");
        }
        match &self.preview {
            Some((_, None)) => return Some("imp-missing-preview"),
            Some((_, Some(Err(_)))) => return Some("imp-missing-readable"),
            _ => {}
        }
        if self.purpose.is_none() {
            return Some("scr-missing-purpose");
        }
        None
    }

    /// The instant to decide for: the end of the typed day, or now.
    fn instant(&self) -> Result<DateTime<FixedOffset>, String> {
        let date = self.as_of.trim();
        if date.is_empty() {
            return Ok(when::now());
        }
        when::parse_local(date, "23:59:59", self.lang).map_err(|e| e.message().to_owned())
    }

    pub fn update(&mut self, message: Message) -> Action {
        if self.running() && matches!(message, Message::Back) {
            // Leaving cancels: the job holds the register, so the search would wait for it.
            let _ = self.update(Message::Cancel);
            return Action::Back;
        }
        if self.running() && !matches!(message, Message::Job(..) | Message::Cancel) {
            return Action::None;
        }
        match message {
            Message::ChooseList => {
                let request = FileRequest::new(DialogKind::Open, t(self.lang, "scr-choose-title"))
                    .filter("CSV", &["csv", "txt"]);
                return Action::Run(ask(&self.chooser, request, Message::ListChosen));
            }
            Message::ListChosen(paths) => {
                let Some(path) = paths.into_iter().next() else {
                    return Action::None;
                };
                self.list = Some(path.clone());
                self.preview = Some((path.clone(), None));
                self.run = Run::Idle;
                self.problem = None;
                let read = path.clone();
                return Action::Run(Task::perform(
                    async move {
                        tokio::task::spawn_blocking(move || {
                            preview_csv(&read).map_err(GuiError::from)
                        })
                        .await
                        .map_err(|e| GuiError::background(&e))?
                    },
                    move |r| Message::Previewed(path, r),
                ));
            }
            Message::Previewed(path, result) => {
                if self.preview.as_ref().is_some_and(|(p, _)| *p == path) {
                    self.preview = Some((path, Some(result)));
                }
            }
            Message::Channel(c) => self.channel = c,
            Message::Purpose(p) => self.purpose = Some(p),
            Message::Category(c) => self.category = c,
            Message::AsOf(d) => {
                self.as_of = d;
                self.problem = None;
            }
            Message::Start => return self.ask_out(),
            Message::OutChosen(paths) => {
                if let Some(out) = paths.into_iter().next() {
                    return self.start(out);
                }
            }
            Message::Cancel => {
                if let Run::Running { cancel, .. } = &self.run {
                    cancel.cancel();
                }
            }
            Message::Job(request, event) => self.on_job(request, event),
            Message::Back => return Action::Back,
        }
        Action::None
    }

    /// Start: check the input, then ask where the result goes.
    fn ask_out(&mut self) -> Action {
        if self.missing().is_some() {
            return Action::None;
        }
        if let Err(p) = self.instant() {
            self.problem = Some(p);
            return Action::None;
        }
        let stem = self
            .list
            .as_deref()
            .and_then(Path::file_stem)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let request = FileRequest::new(DialogKind::Save, t(self.lang, "scr-out-title"))
            .filter("CSV", &["csv"])
            .file_name(format!("{stem}-{}.csv", t(self.lang, "scr-out-suffix")));
        Action::Run(ask(&self.chooser, request, Message::OutChosen))
    }

    fn start(&mut self, out: PathBuf) -> Action {
        let (Some(list), Some(purpose)) = (self.list.clone(), self.purpose.clone()) else {
            return Action::None;
        };
        let at = match self.instant() {
            Ok(at) => at,
            Err(p) => {
                self.problem = Some(p);
                return Action::None;
            }
        };
        if let Err(e) = refuse_existing(&out) {
            self.problem = Some(
                GuiError::from(crate::register::RegisterError::from(e))
                    .message(self.lang)
                    .to_owned(),
            );
            return Action::None;
        }
        let purpose = match Purpose::parse(&purpose) {
            Ok(p) => p,
            Err(e) => {
                self.problem = Some(e.problem);
                return Action::None;
            }
        };
        let opts = ScreenOptions {
            channel: self.channel,
            purpose,
            at,
            category: Some(self.category.trim().to_owned()).filter(|c| !c.is_empty()),
            email_column: None,
            phone_column: None,
            lang: self.lang,
        };
        self.problem = None;
        self.request += 1;
        let request = self.request;
        let cancel = CancelFlag::default();
        self.run = Run::Running {
            progress: Progress::default(),
            cancel: cancel.clone(),
        };
        let stream = job::run(&self.handle, move |reg, report| {
            screen(reg, &list, &out, &opts, &cancel, report)
        });
        Action::Run(Task::run(stream, move |e| Message::Job(request, e)))
    }

    fn on_job(&mut self, request: u64, event: JobEvent<Screened>) {
        if request != self.request {
            return;
        }
        let Run::Running { progress, cancel } = &mut self.run else {
            return;
        };
        match event {
            JobEvent::Progress(p) => *progress = p,
            JobEvent::Finished(Ok(done)) => self.run = Run::Done(done),
            JobEvent::Finished(Err(_)) if cancel.is_cancelled() => self.run = Run::Cancelled,
            JobEvent::Finished(Err(e)) => self.run = Run::Failed(e),
        }
    }

    /// Enter: start when everything is there.
    pub fn enter(&mut self) -> Action {
        if self.running() {
            return Action::None;
        }
        self.update(Message::Start)
    }
}

/// The screening as the CLI runs it, into a file that appears only when complete.
pub fn screen(
    reg: &Register,
    list: &Path,
    out: &Path,
    opts: &ScreenOptions,
    cancel: &CancelFlag,
    report: job::Report<'_>,
) -> Result<Screened, RegisterError> {
    let total = job::estimate_rows(&[list]);
    let mut file = PendingFile::create(out)?;
    let mut on_progress = |n: u64| report(n, total);
    let mut control = ImportControl {
        rejected: None,
        progress: Some(&mut on_progress),
        cancel: Some(cancel.shared()),
    };
    let summary = reg.screen_list(list, file.writer()?, opts, &mut control)?;
    drop(control);
    file.commit()?;
    Ok(Screened {
        summary,
        out: out.to_path_buf(),
        // The summary stands without the table; a read failure only hides the table.
        first_rows: preview_csv(out).ok(),
    })
}
