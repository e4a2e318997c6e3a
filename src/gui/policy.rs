//! The policy settings screen: the product decisions where the law is disputed
//! (LEGAL.md) — when a consent goes stale, which purposes count as advertising one's own
//! similar goods, which product categories are similar. Every value is checked by the
//! domain before anything is written; a bad one is shown next to its field and nothing
//! changes.

use iced::widget::{button, column, container, row, scrollable, text, text_input, Id};
use iced::{Center, Element, Fill, Task};

use super::handle::{GuiError, RegisterHandle};
use super::permit;
use super::theme;
use crate::domain::policy::POLICY_KEYS;
use crate::domain::Permission;
use crate::i18n::{t, tf, Lang};
use crate::register::Register;

/// The new values as stored (key, value), or the problems per key when nothing was written.
pub type SaveOutcome = Result<Vec<(String, String)>, Vec<(String, String)>>;

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Vec<(String, String)>, GuiError>),
    Edited(usize, String),
    Save,
    Saved(Result<SaveOutcome, GuiError>),
    Close,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Close,
    /// The policy changed: verdicts shown elsewhere are out of date.
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub value: String,
    /// The value in the register; the field is "changed" while it differs.
    pub stored: String,
    pub problem: Option<String>,
}

pub struct State {
    handle: RegisterHandle,
    lang: Lang,
    fields: Vec<Field>,
    loaded: bool,
    saving: bool,
    saved: bool,
    error: Option<GuiError>,
}

/// The policy as text, one entry per key of [`POLICY_KEYS`].
pub fn read(reg: &Register) -> crate::register::Result<Vec<(String, String)>> {
    let policy = reg.policy()?;
    POLICY_KEYS
        .iter()
        .map(|&k| Ok((k.to_owned(), policy.get(k)?)))
        .collect()
}

/// Checks every change against the domain first and writes only if all are valid, so a
/// save is all or nothing.
pub fn write(
    reg: &mut Register,
    changes: &[(String, String)],
) -> crate::register::Result<SaveOutcome> {
    let mut trial = reg.policy()?;
    let problems: Vec<(String, String)> = changes
        .iter()
        .filter_map(|(k, v)| trial.set(k, v).err().map(|e| (k.clone(), e.problem)))
        .collect();
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    for (k, v) in changes {
        reg.set_policy_value(k, v)?;
    }
    Ok(Ok(read(reg)?))
}

impl State {
    pub fn new(handle: RegisterHandle, lang: Lang) -> (State, Task<Message>) {
        let task = Task::perform(handle.call(|reg| read(reg)), Message::Loaded);
        let state = State {
            handle,
            lang,
            fields: Vec::new(),
            loaded: false,
            saving: false,
            saved: false,
            error: None,
        };
        (state, task)
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    pub fn saved(&self) -> bool {
        self.saved
    }

    fn changes(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .filter(|f| f.value.trim() != f.stored)
            .map(|f| (f.key.to_owned(), f.value.trim().to_owned()))
            .collect()
    }

    fn show(&mut self, values: Vec<(String, String)>) {
        self.fields = POLICY_KEYS
            .iter()
            .map(|&key| {
                let stored = values
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                Field {
                    key,
                    value: stored.clone(),
                    stored,
                    problem: None,
                }
            })
            .collect();
        self.loaded = true;
    }

    /// Whether the signed-in role may change the policy (else the screen is read-only).
    fn may_change(&self) -> bool {
        permit::allows(self.handle.session().role, Permission::ChangeSettings)
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Edited(..) | Message::Save if !self.may_change() => {}
            Message::Loaded(Ok(values)) => self.show(values),
            Message::Loaded(Err(e)) => self.error = Some(e),
            Message::Edited(i, value) => {
                if let Some(f) = self.fields.get_mut(i) {
                    f.value = value;
                    f.problem = None;
                    self.saved = false;
                }
            }
            Message::Save => {
                let changes = self.changes();
                if changes.is_empty() || self.saving {
                    return Action::None;
                }
                self.saving = true;
                self.error = None;
                return Action::Run(Task::perform(
                    self.handle.call(move |reg| write(reg, &changes)),
                    Message::Saved,
                ));
            }
            Message::Saved(result) => {
                self.saving = false;
                match result {
                    Ok(Ok(values)) => {
                        self.show(values);
                        self.saved = true;
                        return Action::Changed;
                    }
                    Ok(Err(problems)) => {
                        for f in &mut self.fields {
                            f.problem = problems
                                .iter()
                                .find(|(k, _)| k == f.key)
                                .map(|(_, p)| p.clone());
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            Message::Close => return Action::Close,
        }
        Action::None
    }

    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let mut body = column![
            row![
                button(text(t(lang, "policy-back")))
                    .padding([6, 12])
                    .style(theme::secondary_button)
                    .on_press(Message::Close),
                text(t(lang, "policy-title")).size(24),
            ]
            .spacing(16)
            .align_y(Center),
            text(t(lang, "policy-intro"))
                .size(14)
                .color(theme::MUTED_TEXT),
        ]
        .spacing(12);
        let role = self.handle.session().role;
        if let Some(note) = permit::note(role, Permission::ChangeSettings, lang) {
            body = body.push(note);
        }

        if let Some(e) = &self.error {
            body = body.push(theme::error_box(
                column![text(t(lang, "policy-failed")), text(e.message(lang))].spacing(4),
            ));
        }
        if !self.loaded {
            if self.error.is_none() {
                body = body.push(text(t(lang, "policy-loading")).color(theme::MUTED_TEXT));
            }
            return page(body);
        }

        for (i, f) in self.fields.iter().enumerate() {
            let mut field = column![
                text(t(lang, &format!("policy-{}", f.key)).to_owned()).size(16),
                text(t(lang, &format!("policy-{}-help", f.key)).to_owned())
                    .size(13)
                    .color(theme::MUTED_TEXT),
                text_input(t(lang, "policy-empty"), &f.value)
                    .id(Id::from(format!("policy-{}", f.key)))
                    .on_input_maybe(self.may_change().then_some(move |v| Message::Edited(i, v)))
                    .on_submit(Message::Save)
                    .padding(8),
            ]
            .spacing(4);
            if let Some(p) = &f.problem {
                field = field.push(text(p).size(13).color(theme::ERROR_TEXT));
            }
            body = body.push(container(field.padding(12)).style(theme::card_style));
        }

        let changed = !self.changes().is_empty();
        let status = if self.saving {
            t(lang, "policy-saving").to_owned()
        } else if self.saved {
            t(lang, "policy-saved").to_owned()
        } else if changed {
            tf(
                lang,
                "policy-changed",
                &[("count", &self.changes().len().to_string())],
            )
        } else {
            String::new()
        };
        body = body.push(
            row![
                permit::guarded(
                    button(text(t(lang, "policy-save")))
                        .padding([8, 18])
                        .style(theme::primary_button),
                    (changed && !self.saving).then_some(Message::Save),
                    role,
                    Permission::ChangeSettings,
                    lang,
                ),
                text(status).color(theme::MUTED_TEXT),
            ]
            .spacing(12)
            .align_y(Center),
        );
        page(body)
    }
}

fn page<'a>(body: iced::widget::Column<'a, Message>) -> Element<'a, Message> {
    scrollable(
        container(body.max_width(820).padding([20, 24]))
            .center_x(Fill)
            .width(Fill),
    )
    .height(Fill)
    .into()
}
