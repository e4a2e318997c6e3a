//! The Audit screen: what the register holds, the register report for a period, the
//! check whether an earlier report still matches the register, and the audit trail's and
//! ledger's hash chains (`chain.rs`).

use std::path::PathBuf;

use chrono::{DateTime, Duration, FixedOffset};
use iced::widget::{button, column, container, row, scrollable, text, text_input, Column};
use iced::{Center, Element, Fill, Length, Task};

use super::contact::when;
use super::error_text::ErrorText;
use super::handle::{GuiError, RegisterHandle};
use super::permit;
use super::report_save::{self, error_line, file_name_part, gui_error, ReportRequest, Saver};
use super::save_dialog::{Chooser, SaveRequest};
use super::theme;
use crate::domain::Permission;
use crate::i18n::{t, tf, Lang};
use crate::register::reports::ReportCheck;
use crate::register::Register;
use crate::report::{ReportKind, Scope};
use crate::store::Counts;

/// The ids of the period fields (tests and focus).
pub const FROM_ID: &str = "audit-from";
pub const TO_ID: &str = "audit-to";

/// How far back the period reaches when the screen opens.
const DEFAULT_DAYS: i64 = 30;

#[derive(Debug, Clone)]
pub enum Message {
    Counted(Result<Counts, GuiError>),
    From(String),
    To(String),
    CreateReport,
    Save(report_save::Message),
    Verify,
    VerifyChosen(u64, Option<PathBuf>),
    Verified(u64, Result<Verification, GuiError>),
    Chain(chain::Message),
    Close,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Close,
}

/// The answer for a report file checked against the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub file: PathBuf,
    pub check: ReportCheck,
}

/// Reads a report and recomputes its fingerprint (runs on the blocking pool).
pub fn verify_file(reg: &Register, file: PathBuf) -> Result<Verification, GuiError> {
    let pdf = std::fs::read(&file).map_err(|e| {
        let (name, error) = (file.display().to_string(), e.to_string());
        GuiError::localized(|lang| ErrorText {
            message: tf(
                lang,
                "reports-gui-read-failed",
                &[("file", &name), ("error", &error)],
            ),
            hint: String::new(),
        })
    })?;
    let check = reg.verify_report(&pdf).map_err(gui_error)?;
    Ok(Verification { file, check })
}

pub struct State {
    handle: RegisterHandle,
    lang: Lang,
    chooser: Chooser,
    counts: Option<Result<Counts, GuiError>>,
    from: String,
    to: String,
    period_error: Option<String>,
    saver: Saver,
    verify_key: u64,
    verifying: bool,
    verified: Option<Result<Verification, String>>,
    chain: chain::Panel,
}

impl State {
    /// Opens the screen with the last 30 days and counts the register off the UI thread.
    pub fn new(handle: RegisterHandle, lang: Lang, chooser: Chooser) -> (State, Task<Message>) {
        let now = when::now();
        let state = State {
            handle: handle.clone(),
            lang,
            chooser: chooser.clone(),
            counts: None,
            from: when::date_text(&(now - Duration::days(DEFAULT_DAYS)), lang),
            to: when::date_text(&now, lang),
            period_error: None,
            saver: Saver::new(chooser),
            verify_key: 0,
            verifying: false,
            verified: None,
            chain: chain::Panel::default(),
        };
        // The chain check is started by its button: on a large register it reads every
        // event and holds the register meanwhile, so opening the screen must not start it.
        let task = Task::perform(handle.call(|reg| reg.counts()), Message::Counted);
        (state, task)
    }

    pub fn saver(&self) -> &Saver {
        &self.saver
    }

    pub fn period_error(&self) -> Option<&str> {
        self.period_error.as_deref()
    }

    pub fn verified(&self) -> Option<&Result<Verification, String>> {
        self.verified.as_ref()
    }

    /// The period typed: from the start of the first day to the end of the last, local time.
    pub fn period(&self) -> Result<(DateTime<FixedOffset>, DateTime<FixedOffset>), String> {
        let lang = self.lang;
        let from = when::parse_local(&self.from, "00:00:00", lang)
            .map_err(|_| t(lang, "audit-bad-from").to_owned())?;
        let to = when::parse_local(&self.to, "23:59:59", lang)
            .map_err(|_| t(lang, "audit-bad-to").to_owned())?;
        if from > to {
            return Err(t(lang, "audit-period-reversed").to_owned());
        }
        Ok((from, to))
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            // Defence in depth: both buttons are disabled for a role without reports.
            Message::CreateReport | Message::Verify
                if !permit::allows(self.handle.session().role, Permission::Report) =>
            {
                Action::None
            }
            Message::Counted(result) => {
                self.counts = Some(result);
                Action::None
            }
            Message::From(s) => {
                self.from = s;
                self.period_error = None;
                Action::None
            }
            Message::To(s) => {
                self.to = s;
                self.period_error = None;
                Action::None
            }
            Message::CreateReport => {
                if self.saver.busy() {
                    return Action::None;
                }
                match self.period() {
                    Err(e) => {
                        // Nothing is asked or written for a period that names no days.
                        self.period_error = Some(e);
                        Action::None
                    }
                    Ok((from, to)) => {
                        self.period_error = None;
                        let dialog = SaveRequest {
                            title: t(self.lang, "audit-report-create").to_owned(),
                            file_name: tf(
                                self.lang,
                                "reports-gui-file-register",
                                &[
                                    (
                                        "from",
                                        &file_name_part(&from.format("%Y-%m-%d").to_string()),
                                    ),
                                    ("to", &file_name_part(&to.format("%Y-%m-%d").to_string())),
                                ],
                            ),
                        };
                        let request = ReportRequest::Register { from, to };
                        Action::Run(self.saver.start(request, dialog).map(Message::Save))
                    }
                }
            }
            Message::Save(m) => {
                let task = self.saver.update(m, &self.handle, self.lang);
                Action::Run(task.map(Message::Save))
            }
            Message::Verify => {
                if self.verifying {
                    return Action::None;
                }
                self.verifying = true;
                self.verified = None;
                self.verify_key += 1;
                let key = self.verify_key;
                let dialog = self
                    .chooser
                    .open_pdf(t(self.lang, "audit-verify-dialog").to_owned());
                Action::Run(Task::perform(dialog, move |p| {
                    Message::VerifyChosen(key, p)
                }))
            }
            Message::VerifyChosen(key, chosen) => {
                if key != self.verify_key {
                    return Action::None;
                }
                let Some(file) = chosen else {
                    self.verifying = false;
                    return Action::None;
                };
                let work = self.handle.call(move |reg| Ok(verify_file(reg, file)));
                Action::Run(Task::perform(
                    async move { work.await.and_then(|r| r) },
                    move |r| Message::Verified(key, r),
                ))
            }
            Message::Verified(key, result) => {
                if key == self.verify_key {
                    self.verifying = false;
                    self.verified = Some(result.map_err(|e| error_line(&e, self.lang)));
                }
                Action::None
            }
            Message::Chain(m) => Action::Run(
                self.chain
                    .update(m, &self.handle, self.lang)
                    .map(Message::Chain),
            ),
            Message::Close => Action::Close,
        }
    }

    pub fn chain(&self) -> &chain::Panel {
        &self.chain
    }

    #[cfg(test)]
    pub fn chain_mut(&mut self) -> &mut chain::Panel {
        &mut self.chain
    }

    pub fn set_lang(&mut self, lang: Lang) {
        // Dates are typed in the language's notation; carry valid ones over.
        let old = self.lang;
        let convert = |s: &str| {
            when::parse_local(s, "12:00", old)
                .map(|d| when::date_text(&d, lang))
                .unwrap_or_else(|_| s.to_owned())
        };
        self.from = convert(&self.from);
        self.to = convert(&self.to);
        self.lang = lang;
        if self.period_error.is_some() {
            self.period_error = self.period().err();
        }
    }

    /// What a checked report states, in words.
    fn describe(&self, check: &ReportCheck) -> String {
        let lang = self.lang;
        match (&check.stamp.kind, &check.stamp.scope) {
            (ReportKind::Register, Scope::Period { from, to }) => {
                let from = from
                    .map(|f| when::date_text(&f, lang))
                    .unwrap_or_else(|| t(lang, "audit-verify-from-start").to_owned());
                tf(
                    lang,
                    "audit-verify-kind-register",
                    &[("from", &from), ("to", &when::date_text(to, lang))],
                )
            }
            (kind, Scope::Contact(id)) => {
                let key = match kind {
                    ReportKind::Access => "audit-verify-kind-access",
                    _ => "audit-verify-kind-evidence",
                };
                tf(lang, key, &[("contact", id)])
            }
            (kind, Scope::Period { .. }) => kind.as_str().to_owned(),
        }
    }

    fn verify_view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let mut c = column![
            text(t(lang, "audit-verify-heading")).size(18),
            text(t(lang, "audit-verify-explain")).size(14),
            permit::guarded(
                button(text(t(lang, "audit-verify-choose")))
                    .padding([6, 12])
                    .style(theme::secondary_button),
                (!self.verifying).then_some(Message::Verify),
                self.handle.session().role,
                Permission::Report,
                lang,
            ),
        ]
        .spacing(8);
        if self.verifying {
            c = c.push(text(t(lang, "audit-verify-checking")).size(14));
        }
        match &self.verified {
            None => {}
            Some(Err(e)) => c = c.push(text(e.as_str()).size(14).color(theme::ERROR_TEXT)),
            Some(Ok(v)) => {
                let args = [
                    ("file", v.file.display().to_string()),
                    ("report", self.describe(&v.check)),
                ];
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let (key, color, badge) = if v.check.matches() {
                    ("audit-verify-matches", theme::ALLOWED, "✓")
                } else if v.check.current.is_none() {
                    ("audit-verify-gone", theme::DENIED, "✗")
                } else {
                    ("audit-verify-mismatch", theme::DENIED, "✗")
                };
                c = c.push(
                    row![
                        theme::badge(badge, color),
                        text(tf(lang, key, &args)).size(14).width(Fill)
                    ]
                    .spacing(8)
                    .align_y(Center),
                );
            }
        }
        card(c)
    }

    fn report_view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let idle = !self.saver.busy();
        let field = |id: &'static str, value: &str, on: fn(String) -> Message| {
            text_input(t(lang, "audit-date-hint"), value)
                .id(id)
                .width(Length::Fixed(130.0))
                .on_input_maybe(idle.then_some(on))
                .on_submit(Message::CreateReport)
                .padding(6)
        };
        let mut c = column![
            text(t(lang, "audit-report-heading")).size(18),
            text(t(lang, "audit-report-explain")).size(14),
            row![
                text(t(lang, "audit-from")).size(15),
                field(FROM_ID, &self.from, Message::From),
                text(t(lang, "audit-to")).size(15),
                field(TO_ID, &self.to, Message::To),
                permit::guarded(
                    button(text(t(lang, "audit-report-create")))
                        .padding([6, 12])
                        .style(theme::primary_button),
                    idle.then_some(Message::CreateReport),
                    self.handle.session().role,
                    Permission::Report,
                    lang,
                ),
            ]
            .spacing(10)
            .align_y(Center),
        ]
        .spacing(8);
        if let Some(e) = &self.period_error {
            c = c.push(text(e.as_str()).size(14).color(theme::ERROR_TEXT));
        }
        if let Some(status) = self.saver.view(lang) {
            c = c.push(status.map(Message::Save));
        }
        card(c)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let counts: Element<'_, Message> = match &self.counts {
            None => text(t(lang, "audit-counts-loading")).size(14).into(),
            Some(Ok(n)) => text(tf(
                lang,
                "audit-counts",
                &[
                    ("contacts", &n.contacts.to_string()),
                    ("events", &n.events.to_string()),
                ],
            ))
            .size(14)
            .into(),
            Some(Err(e)) => text(error_line(e, lang))
                .size(14)
                .color(theme::ERROR_TEXT)
                .into(),
        };
        let page: Column<'_, Message> = column![
            row![
                button(text(t(lang, "audit-close")))
                    .padding([6, 12])
                    .style(theme::secondary_button)
                    .on_press(Message::Close),
                text(t(lang, "audit-title")).size(24),
            ]
            .spacing(16)
            .align_y(Center),
            card(column![text(t(lang, "audit-counts-heading")).size(18), counts].spacing(8)),
            self.report_view(),
            self.verify_view(),
            card(Element::from(self.chain.view(&self.handle, lang)).map(Message::Chain)),
        ]
        .spacing(16)
        .padding(24)
        .max_width(980);
        scrollable(container(page).center_x(Fill))
            .height(Fill)
            .into()
    }
}

fn card<'a>(content: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    container(content)
        .padding(16)
        .width(Fill)
        .style(theme::card_style)
        .into()
}

pub mod chain;

#[cfg(test)]
mod tests;
