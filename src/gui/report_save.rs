//! Making a PDF report from a screen: the save dialog, rendering and writing off the UI
//! thread, then "Saved to …" with an Open button. Shared by the contact screen (evidence
//! and access reports) and the audit screen (register report).

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use iced::widget::{button, column, row, text};
use iced::{Center, Element, Task};

use super::contact::when;
use super::error_text;
use super::handle::{GuiError, RegisterHandle};
use super::save_dialog::{Chooser, SaveRequest};
use super::theme;
use crate::i18n::{t, tf, Lang};
use crate::register::reports::{write_report, ReportFailure};
use crate::register::Register;
use crate::report::Made;

/// Which report to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRequest {
    Evidence(String),
    Access(String),
    /// The events with `from <= at <= to`.
    Register {
        from: DateTime<FixedOffset>,
        to: DateTime<FixedOffset>,
    },
}

/// Where the report goes, as chosen in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// The file existed when the dialog returned: the dialog asked, and the user agreed to
    /// replace it.
    pub replace: bool,
}

/// A report failure in both GUI languages (register errors inside it too), like every
/// `GuiError`: the view picks its language.
pub fn gui_error(e: ReportFailure) -> GuiError {
    match e {
        ReportFailure::Register(r) => GuiError::from(r),
        other => GuiError::localized(|lang| error_text::report_failure(&other, lang)),
    }
}

/// Renders the report as of now (runs on the blocking pool).
pub fn render(
    reg: &Register,
    request: &ReportRequest,
    lang: Lang,
) -> Result<Vec<u8>, ReportFailure> {
    let made = Made {
        at: when::now(),
        by: reg.session().user.clone(),
    };
    let rendered = match request {
        ReportRequest::Evidence(id) => reg.evidence_report(&reg.resolve(id)?, lang, made)?,
        ReportRequest::Access(id) => reg.access_report(&reg.resolve(id)?, lang, made)?,
        ReportRequest::Register { from, to } => {
            reg.register_report(Some(*from), *to, lang, made)?
        }
    };
    Ok(rendered.pdf)
}

/// Writes a rendered PDF to the chosen file.
///
/// `write_report` never overwrites. When the user confirmed replacing an existing file in
/// the dialog, the new PDF (already rendered in full, so a failed rendering never touches
/// the old file) is written next to it under a fresh name and then renamed over it: the
/// old file is replaced in one step, and stays as it was if anything fails.
pub fn write_chosen(target: &Target, pdf: &[u8]) -> Result<(), ReportFailure> {
    if !target.replace {
        return write_report(&target.path, pdf);
    }
    let name = target
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report.pdf".to_owned());
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let fresh = target
        .path
        .with_file_name(format!(".{name}.{}-{stamp}.new", std::process::id()));
    write_report(&fresh, pdf)?;
    std::fs::rename(&fresh, &target.path).map_err(|source| {
        let _ = std::fs::remove_file(&fresh);
        ReportFailure::Write {
            path: target.path.clone(),
            source,
        }
    })
}

/// Renders and writes in one background call; the path written on success.
pub fn save(
    reg: &Register,
    request: &ReportRequest,
    lang: Lang,
    target: &Target,
) -> Result<PathBuf, GuiError> {
    let pdf = render(reg, request, lang).map_err(gui_error)?;
    write_chosen(target, &pdf).map_err(gui_error)?;
    Ok(target.path.clone())
}

/// A contact id or date as part of a file name: anything a file system might refuse
/// becomes `_`.
pub fn file_name_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Idle,
    /// The save dialog is open.
    Choosing,
    /// Rendering and writing.
    Writing,
    Saved(PathBuf),
    Failed(String),
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The dialog answered for the request key.
    Chosen(u64, Option<PathBuf>),
    Written(u64, Result<PathBuf, GuiError>),
    /// Open the saved file in the desktop's viewer.
    Open,
    Opened(Result<(), String>),
}

/// One screen's report making: at most one report at a time.
pub struct Saver {
    chooser: Chooser,
    /// Key of the latest request; answers to older ones are dropped.
    key: u64,
    stage: Stage,
    pending: Option<ReportRequest>,
    open_error: Option<String>,
}

impl Saver {
    pub fn new(chooser: Chooser) -> Self {
        Saver {
            chooser,
            key: 0,
            stage: Stage::Idle,
            pending: None,
            open_error: None,
        }
    }

    pub fn set_chooser(&mut self, chooser: Chooser) {
        self.chooser = chooser;
    }

    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// While a dialog is open or a report is being made, no other is started.
    pub fn busy(&self) -> bool {
        matches!(self.stage, Stage::Choosing | Stage::Writing)
    }

    /// Shows a problem found before any dialog (an invalid period) in the report's place.
    pub fn fail(&mut self, message: String) {
        self.key += 1;
        self.pending = None;
        self.stage = Stage::Failed(message);
    }

    /// Opens the save dialog for `request`.
    pub fn start(&mut self, request: ReportRequest, dialog: SaveRequest) -> Task<Message> {
        if self.busy() {
            return Task::none();
        }
        self.key += 1;
        let key = self.key;
        self.stage = Stage::Choosing;
        self.pending = Some(request);
        self.open_error = None;
        Task::perform(self.chooser.save_pdf(dialog), move |p| {
            Message::Chosen(key, p)
        })
    }

    pub fn update(
        &mut self,
        message: Message,
        handle: &RegisterHandle,
        lang: Lang,
    ) -> Task<Message> {
        match message {
            Message::Chosen(key, chosen) => {
                if key != self.key {
                    return Task::none();
                }
                let (Some(path), Some(request)) = (chosen, self.pending.take()) else {
                    self.stage = Stage::Idle;
                    return Task::none();
                };
                let target = Target {
                    replace: path.exists(),
                    path,
                };
                self.stage = Stage::Writing;
                let work = handle.call(move |reg| Ok(save(reg, &request, lang, &target)));
                Task::perform(async move { work.await.and_then(|r| r) }, move |r| {
                    Message::Written(key, r)
                })
            }
            Message::Written(key, result) => {
                if key == self.key {
                    self.stage = match result {
                        Ok(path) => Stage::Saved(path),
                        Err(e) => Stage::Failed(error_line(&e, lang)),
                    };
                }
                Task::none()
            }
            Message::Open => match &self.stage {
                Stage::Saved(path) => {
                    self.open_error = None;
                    Task::perform(self.chooser.show(path.clone()), Message::Opened)
                }
                _ => Task::none(),
            },
            Message::Opened(result) => {
                self.open_error = result
                    .err()
                    .map(|e| tf(lang, "reports-gui-open-failed", &[("error", &e)]));
                Task::none()
            }
        }
    }

    /// The progress, the result with its Open button, or the error; nothing when idle.
    pub fn view(&self, lang: Lang) -> Option<Element<'_, Message>> {
        let line: Element<'_, Message> = match &self.stage {
            Stage::Idle | Stage::Choosing => return None,
            Stage::Writing => text(t(lang, "reports-gui-creating")).size(14).into(),
            Stage::Failed(e) => text(e.as_str()).size(14).color(theme::ERROR_TEXT).into(),
            Stage::Saved(path) => {
                let saved = tf(
                    lang,
                    "reports-gui-saved",
                    &[("file", &path.display().to_string())],
                );
                let mut c = column![row![
                    text(saved).size(14).width(iced::Fill),
                    button(text(t(lang, "reports-gui-open")).size(14))
                        .padding([4, 10])
                        .style(theme::secondary_button)
                        .on_press(Message::Open),
                ]
                .spacing(8)
                .align_y(Center)]
                .spacing(4);
                if let Some(e) = &self.open_error {
                    c = c.push(text(e.as_str()).size(14).color(theme::ERROR_TEXT));
                }
                c.into()
            }
        };
        Some(line)
    }
}

/// A GUI error in one line: what went wrong and, where known, what to do.
pub fn error_line(e: &GuiError, lang: Lang) -> String {
    let text = e.text(lang);
    if text.hint.is_empty() {
        text.message.clone()
    } else {
        format!("{} — {}", text.message, text.hint)
    }
}

#[cfg(test)]
pub mod testing;
