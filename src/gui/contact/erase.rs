//! Erasing the person on the contact screen (issue 5): a button that opens a confirmation
//! step in the side panel — the reason, and when § 7a UWG evidence must still be kept, an
//! explicit "erase anyway" — then `Register::erase` off the UI thread and the new view.

use chrono::{DateTime, FixedOffset};
use iced::widget::{button, checkbox, column, text, text_input, Column};
use iced::{Element, Length, Task};

use super::{error_line, load_view, style, when};
use crate::domain::{Permission, Role};
use crate::gui::handle::{GuiError, RegisterHandle};
use crate::gui::permit;
use crate::i18n::{t, tf, Lang};
use crate::register::{ContactView, ErasureSummary};

/// The reason box (tests and focus).
pub const REASON_ID: &str = "erase-reason";

#[derive(Debug, Clone)]
pub enum Message {
    Open,
    /// Until when § 7a evidence must be kept (`None`: nothing in the way), for the key.
    Checked(u64, Result<Option<DateTime<FixedOffset>>, GuiError>),
    Reason(String),
    ConfirmRetention(bool),
    Confirm,
    Cancel,
    /// The erasure and the contact's view afterwards, for the key.
    Done(u64, Box<Result<(ErasureSummary, ContactView), GuiError>>),
}

/// What the contact screen does after an update.
pub enum Outcome {
    None,
    Run(Task<Message>),
    /// The person was erased: show this view, tell the root the register changed.
    Erased(Box<ContactView>),
}

#[derive(Default)]
pub struct Eraser {
    open: bool,
    key: u64,
    reason: String,
    /// `Some(None)` once checked and nothing must be kept; `None` while unknown.
    retention: Option<Option<DateTime<FixedOffset>>>,
    confirm_retention: bool,
    running: bool,
    error: Option<String>,
    done: Option<String>,
}

impl Eraser {
    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn done(&self) -> Option<&str> {
        self.done.as_deref()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The retention date the confirmation step warns about, once known.
    pub fn retention(&self) -> Option<DateTime<FixedOffset>> {
        self.retention.flatten()
    }

    fn ready(&self) -> bool {
        let retention_ok = match self.retention {
            Some(None) => true,
            Some(Some(_)) => self.confirm_retention,
            // Still asking: the warning must be seen before anything is erased.
            None => false,
        };
        !self.running && !self.reason.trim().is_empty() && retention_ok
    }

    /// Closes the step (Esc); `false` if it was not open.
    pub fn close(&mut self) -> bool {
        let was = self.open && !self.running;
        if was {
            *self = Eraser {
                key: self.key + 1,
                done: self.done.take(),
                ..Eraser::default()
            };
        }
        was
    }

    pub fn update(
        &mut self,
        message: Message,
        handle: &RegisterHandle,
        contact_id: &str,
        purpose: &str,
        lang: Lang,
    ) -> Outcome {
        match message {
            // Defence in depth: the button is disabled for a role that may not erase.
            Message::Open | Message::Confirm
                if !permit::allows(handle.session().role, Permission::Erase) =>
            {
                Outcome::None
            }
            Message::Open => {
                *self = Eraser {
                    open: true,
                    key: self.key + 1,
                    ..Eraser::default()
                };
                let key = self.key;
                let id = contact_id.to_owned();
                let work = handle.call(move |reg| {
                    let contact = reg.resolve(&id)?;
                    reg.retention_until(&contact, when::now())
                });
                Outcome::Run(Task::batch([
                    Task::perform(work, move |r| Message::Checked(key, r)),
                    iced::widget::operation::focus(REASON_ID),
                ]))
            }
            Message::Checked(key, result) => {
                if key == self.key {
                    match result {
                        Ok(until) => self.retention = Some(until),
                        Err(e) => self.error = Some(error_line(&e, lang)),
                    }
                }
                Outcome::None
            }
            Message::Reason(s) => {
                self.reason = s;
                self.error = None;
                Outcome::None
            }
            Message::ConfirmRetention(on) => {
                self.confirm_retention = on;
                Outcome::None
            }
            Message::Confirm => {
                if self.reason.trim().is_empty() {
                    self.error = Some(t(lang, "erase-reason-missing").to_owned());
                    return Outcome::None;
                }
                if !self.ready() {
                    return Outcome::None;
                }
                self.running = true;
                self.error = None;
                let key = self.key;
                let (id, reason, purpose) = (
                    contact_id.to_owned(),
                    self.reason.clone(),
                    purpose.to_owned(),
                );
                let confirm = self.confirm_retention;
                let work = handle.call(move |reg| {
                    let summary = reg.erase_at(&id, &reason, confirm, when::now())?;
                    let view = load_view(reg, &id, &purpose, when::now())?;
                    Ok((summary, view))
                });
                Outcome::Run(Task::perform(work, move |r| {
                    Message::Done(key, Box::new(r))
                }))
            }
            Message::Cancel => {
                self.close();
                Outcome::None
            }
            Message::Done(key, result) => {
                if key != self.key {
                    return Outcome::None;
                }
                self.running = false;
                match *result {
                    Ok((summary, view)) => {
                        let done = tf(
                            lang,
                            "erase-done",
                            &[
                                ("events", &summary.events.to_string()),
                                ("entries", &summary.suppression_entries.to_string()),
                            ],
                        );
                        *self = Eraser {
                            key: self.key + 1,
                            done: Some(done),
                            ..Eraser::default()
                        };
                        Outcome::Erased(Box::new(view))
                    }
                    Err(e) => {
                        self.error = Some(error_line(&e, lang));
                        Outcome::None
                    }
                }
            }
        }
    }

    /// The "Erase person …" button for the list of actions.
    pub fn button<'a>(&self, role: Role, lang: Lang) -> Element<'a, Message> {
        permit::guarded(
            button(text(t(lang, "erase-button")))
                .width(Length::Fill)
                .style(button::danger),
            Some(Message::Open),
            role,
            Permission::Erase,
            lang,
        )
    }

    /// The confirmation step, shown in place of the list of actions while open.
    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let mut c: Column<'_, Message> = column![
            text(t(lang, "erase-heading")).size(18),
            text(t(lang, "erase-explain")).size(14),
            text(t(lang, "erase-reason")).size(14),
            text_input(t(lang, "erase-reason-hint"), &self.reason)
                .id(REASON_ID)
                .on_input_maybe((!self.running).then_some(Message::Reason))
                .on_submit(Message::Confirm)
                .padding(6),
        ]
        .spacing(8);
        if let Some(Some(until)) = self.retention {
            let date = when::date_text(&until, lang);
            c = c.push(style::error_text(tf(
                lang,
                "erase-retention",
                &[("until", &date)],
            )));
            c = c.push(
                checkbox(self.confirm_retention)
                    .label(t(lang, "erase-retention-confirm"))
                    .on_toggle_maybe((!self.running).then_some(Message::ConfirmRetention)),
            );
        }
        if self.running {
            c = c.push(text(t(lang, "erase-running")).size(14));
        }
        if let Some(e) = &self.error {
            c = c.push(style::error_text(e.as_str()));
        }
        c.push(
            iced::widget::row![
                button(text(t(lang, "erase-confirm")))
                    .style(button::danger)
                    .on_press_maybe(self.ready().then_some(Message::Confirm)),
                button(text(t(lang, "erase-cancel")))
                    .style(button::secondary)
                    .on_press_maybe((!self.running).then_some(Message::Cancel)),
            ]
            .spacing(10),
        )
        .into()
    }
}
