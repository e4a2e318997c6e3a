//! The Contact screen: who the person is, whether they may be contacted on each channel
//! for a purpose at an instant and why, their ledger as a timeline, and the recording
//! forms. Every register call runs off the UI thread; results carry a request key so a
//! stale answer (an older purpose or date) is dropped.

mod channels;
pub mod erase;
pub mod forms;
mod header;
pub mod reports;
mod style;
mod timeline;
pub mod when;

use std::collections::BTreeSet;

use iced::widget::{
    button, column, container, pick_list, row, scrollable, text, text_input, Column,
};
use iced::{Element, Length, Task};

use crate::domain::channel::WELL_KNOWN_PURPOSES;
use crate::domain::{Channel, Permission, Purpose, Relationship, Role};
use crate::gui::handle::{GuiError, RegisterHandle};
use crate::gui::permit;
use crate::i18n::{t, Lang};
use crate::register::{ContactView, Register, RegisterError};
use chrono::{DateTime, FixedOffset};
use forms::{Form, FormKind, FormMessage, Submission};

/// What the root does after an update.
pub enum Action {
    None,
    Run(Task<Message>),
    Back,
    /// The ledger changed: the root refreshes search results.
    Changed,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The contact view was computed for the request key.
    Loaded(u64, Result<ContactView, GuiError>),
    /// A form's event was written and the view recomputed (request key).
    Recorded(u64, Result<ContactView, GuiError>),
    Back,
    /// Esc (sent by the root, which owns the keyboard and Tab order): closes an open
    /// form, else goes back.
    Escape,
    PurposePicked(PurposeChoice),
    AsOfDate(String),
    AsOfTime(String),
    /// Enter in the date or time box: shows a problem even for a short entry.
    AsOfSubmit,
    AsOfNow,
    ToggleChannelEvents(Channel),
    ToggleEvent(String),
    OpenForm(FormKind),
    CloseForm,
    Form(FormMessage),
    Submit,
    Reports(reports::Message),
    Erase(erase::Message),
}

/// An entry of the purpose picker: the identifier, shown with its name where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeChoice {
    pub id: String,
    label: String,
}

impl std::fmt::Display for PurposeChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// The contact's view for `purpose` at `at` (runs on the blocking pool).
fn load_view(
    reg: &mut Register,
    contact_id: &str,
    purpose: &str,
    at: DateTime<FixedOffset>,
) -> Result<ContactView, RegisterError> {
    let contact = reg.resolve(contact_id)?;
    reg.view(&contact, &Purpose::parse(purpose)?, at)
}

/// Appends a valid form's event, then recomputes the view in the same call, so badges and
/// timeline change together. The view is as of now: a write is about the present, and a
/// user who had looked into the past sees the effect of what they recorded at once.
fn write_and_view(
    reg: &mut Register,
    contact_id: &str,
    purpose: &str,
    submission: Submission,
) -> Result<ContactView, RegisterError> {
    match submission {
        Submission::Record(event) => {
            reg.record(*event)?;
        }
        Submission::Classify {
            relationship,
            reason,
            at,
        } => {
            let contact = reg.resolve(contact_id)?;
            reg.classify(&contact, relationship, &reason, at)?;
        }
    }
    load_view(reg, contact_id, purpose, when::now())
}

/// A register error in one line: what went wrong and, where known, what to do.
fn error_line(e: &GuiError, lang: Lang) -> String {
    crate::gui::report_save::error_line(e, lang)
}

/// A catalogue text for a key built at run time, owned (the key is a temporary).
pub(crate) fn text_of(lang: Lang, key: &str) -> String {
    t(lang, key).to_owned()
}

pub struct State {
    handle: RegisterHandle,
    contact_id: String,
    lang: Lang,
    /// Key of the latest view request; answers to older ones are dropped.
    request: u64,
    view: Option<ContactView>,
    error: Option<GuiError>,
    purpose: String,
    as_of_date: String,
    as_of_time: String,
    /// "As of" means now until the user types another instant; while it does, every reload
    /// asks for the current moment (so a new event shows at once).
    as_of_now: bool,
    as_of_error: Option<String>,
    open_channels: BTreeSet<Channel>,
    open_events: BTreeSet<String>,
    form: Option<Form>,
    reports: reports::Reports,
    eraser: erase::Eraser,
}

impl State {
    /// Opens the screen and loads the contact's view off the UI thread.
    pub fn new(handle: RegisterHandle, contact_id: String, lang: Lang) -> (State, Task<Message>) {
        let now = when::now();
        let mut state = State {
            handle,
            contact_id,
            lang,
            request: 0,
            view: None,
            error: None,
            purpose: "newsletter".to_owned(),
            as_of_date: when::date_text(&now, lang),
            as_of_time: when::time_text(&now),
            as_of_now: true,
            as_of_error: None,
            open_channels: BTreeSet::new(),
            open_events: BTreeSet::new(),
            form: None,
            reports: reports::Reports::new(crate::gui::save_dialog::Chooser::native()),
            eraser: erase::Eraser::default(),
        };
        let task = state.reload();
        (state, task)
    }

    /// Asks again for the view with the chosen purpose and "as of", keeping open forms and
    /// expanded rows: for the root when something outside the screen changed (policy).
    pub fn refresh(&mut self) -> Task<Message> {
        self.reload()
    }

    /// The contact view on screen, once loaded.
    pub fn contact_view(&self) -> Option<&ContactView> {
        self.view.as_ref()
    }

    /// Where the report buttons' dialogs come from (tests answer without a dialog).
    pub fn set_chooser(&mut self, chooser: crate::gui::save_dialog::Chooser) {
        self.reports.set_chooser(chooser);
    }

    /// The signed-in role: what the side panel offers (the register checks again).
    fn role(&self) -> Role {
        self.handle.session().role
    }

    /// The open form, if any.
    pub fn form(&self) -> Option<&Form> {
        self.form.as_ref()
    }

    /// The instant the view is asked for: now, or the valid date and time typed.
    fn as_of(&self) -> Option<DateTime<FixedOffset>> {
        if self.as_of_now {
            Some(when::now())
        } else {
            when::parse_local(&self.as_of_date, &self.as_of_time, self.lang).ok()
        }
    }

    /// Recomputes the view for the current purpose and instant, off the UI thread.
    fn reload(&mut self) -> Task<Message> {
        let Some(at) = self.as_of() else {
            return Task::none();
        };
        self.request += 1;
        let key = self.request;
        let id = self.contact_id.clone();
        let purpose = self.purpose.clone();
        Task::perform(
            self.handle
                .call(move |reg| load_view(reg, &id, &purpose, at)),
            move |r| Message::Loaded(key, r),
        )
    }

    /// Writes a valid form's event, then recomputes the view in the same background call,
    /// so the badges and the timeline change together.
    fn write(&mut self, submission: Submission) -> Task<Message> {
        self.request += 1;
        let key = self.request;
        let id = self.contact_id.clone();
        let purpose = self.purpose.clone();
        Task::perform(
            self.handle
                .call(move |reg| write_and_view(reg, &id, &purpose, submission)),
            move |r| Message::Recorded(key, r),
        )
    }

    fn show_view(&mut self, view: ContactView) {
        if self.as_of_now {
            self.as_of_date = when::date_text(&view.as_of, self.lang);
            self.as_of_time = when::time_text(&view.as_of);
        }
        self.view = Some(view);
        self.error = None;
    }

    fn as_of_changed(&mut self) -> Action {
        self.as_of_now = false;
        match when::parse_local(&self.as_of_date, &self.as_of_time, self.lang) {
            Ok(_) => {
                self.as_of_error = None;
                Action::Run(self.reload())
            }
            Err(e) => {
                // No alarm while a value is still being typed; Enter shows it regardless.
                self.as_of_error = when::looks_complete(&self.as_of_date, &self.as_of_time)
                    .then(|| e.message().to_owned());
                Action::None
            }
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Loaded(key, result) => {
                if key == self.request {
                    match result {
                        Ok(view) => self.show_view(view),
                        Err(e) => self.error = Some(e),
                    }
                }
                Action::None
            }
            Message::Recorded(key, result) => match result {
                Ok(view) => {
                    self.form = None;
                    self.as_of_now = true;
                    self.as_of_error = None;
                    if key == self.request {
                        self.show_view(view);
                    }
                    Action::Changed
                }
                Err(e) => {
                    match &mut self.form {
                        Some(form) => {
                            form.saving = false;
                            form.errors.insert("form".into(), error_line(&e, self.lang));
                        }
                        // The form was closed while saving: the failure must still be seen.
                        None => self.error = Some(e),
                    }
                    Action::None
                }
            },
            Message::Back => Action::Back,
            Message::Escape => {
                if self.form.take().is_some() || self.eraser.close() {
                    Action::None
                } else {
                    Action::Back
                }
            }
            Message::PurposePicked(choice) => {
                self.purpose = choice.id;
                Action::Run(self.reload())
            }
            Message::AsOfDate(s) => {
                self.as_of_date = s;
                self.as_of_changed()
            }
            Message::AsOfTime(s) => {
                self.as_of_time = s;
                self.as_of_changed()
            }
            Message::AsOfSubmit => {
                if let Err(e) = when::parse_local(&self.as_of_date, &self.as_of_time, self.lang) {
                    self.as_of_error = Some(e.message().to_owned());
                }
                Action::None
            }
            Message::AsOfNow => {
                self.as_of_now = true;
                self.as_of_error = None;
                let now = when::now();
                self.as_of_date = when::date_text(&now, self.lang);
                self.as_of_time = when::time_text(&now);
                Action::Run(self.reload())
            }
            Message::ToggleChannelEvents(c) => {
                if !self.open_channels.remove(&c) {
                    self.open_channels.insert(c);
                }
                Action::None
            }
            Message::ToggleEvent(id) => {
                if !self.open_events.remove(&id) {
                    self.open_events.insert(id);
                }
                Action::None
            }
            // Defence in depth: the buttons are disabled for a role that may not record.
            Message::OpenForm(_) | Message::Submit
                if !permit::allows(self.role(), Permission::Record) =>
            {
                Action::None
            }
            Message::OpenForm(kind) => {
                let mut form =
                    Form::new(kind, &self.purpose, &self.handle.session().user, self.lang);
                // Classifying usually changes the classification: offer the other one.
                if let Some(view) = &self.view {
                    let c = &view.contact;
                    form.known_identifiers = c.emails.iter().chain(&c.phones).cloned().collect();
                    form.relationship = match view.classification.relationship {
                        Relationship::Customer => Relationship::Prospect,
                        Relationship::Prospect => Relationship::Customer,
                    };
                }
                self.form = Some(form);
                Action::Run(iced::widget::operation::focus(kind.first_input()))
            }
            Message::CloseForm => {
                self.form = None;
                Action::None
            }
            Message::Form(m) => {
                if let Some(form) = &mut self.form {
                    form.update(m, self.lang);
                }
                Action::None
            }
            Message::Submit => {
                let Some(form) = &mut self.form else {
                    return Action::None;
                };
                if form.saving {
                    return Action::None;
                }
                match form.submission(&self.contact_id, self.lang) {
                    Some(submission) => {
                        form.saving = true;
                        Action::Run(self.write(submission))
                    }
                    None => Action::None,
                }
            }
            Message::Reports(reports::Message::Evidence | reports::Message::Access)
                if !permit::allows(self.role(), Permission::Report) =>
            {
                Action::None
            }
            Message::Reports(m) => {
                let task = self
                    .reports
                    .update(m, &self.handle, &self.contact_id, self.lang);
                Action::Run(task.map(Message::Reports))
            }
            Message::Erase(m) => {
                let (id, purpose) = (self.contact_id.clone(), self.purpose.clone());
                match self
                    .eraser
                    .update(m, &self.handle, &id, &purpose, self.lang)
                {
                    erase::Outcome::None => Action::None,
                    erase::Outcome::Run(task) => Action::Run(task.map(Message::Erase)),
                    erase::Outcome::Erased(view) => {
                        self.form = None;
                        self.as_of_now = true;
                        self.show_view(*view);
                        Action::Changed
                    }
                }
            }
        }
    }

    /// The purposes offered: the well-known ones, then any other the contact's ledger names.
    fn purpose_choices(&self) -> Vec<PurposeChoice> {
        let mut ids: Vec<String> = WELL_KNOWN_PURPOSES
            .iter()
            .map(|p| (*p).to_owned())
            .collect();
        let mut push = |p: &str| {
            if p != Purpose::WILDCARD && !ids.iter().any(|x| x == p) {
                ids.push(p.to_owned());
            }
        };
        if let Some(v) = &self.view {
            for e in &v.events {
                if let Some((_, ps)) = e.kind.consent_scope() {
                    ps.iter().for_each(|p| push(p.as_str()));
                }
                if let crate::domain::EventKind::MarketingSent { purpose, .. } = &e.kind {
                    push(purpose.as_str());
                }
            }
        }
        push(&self.purpose.clone());
        ids.into_iter()
            .map(|id| PurposeChoice {
                label: forms::purpose_label(self.lang, &id),
                id,
            })
            .collect()
    }

    fn controls(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let choices = self.purpose_choices();
        let selected = choices.iter().find(|c| c.id == self.purpose).cloned();
        let mut c = column![row![
            text(t(lang, "contact-purpose")).size(15),
            pick_list(choices, selected, Message::PurposePicked).width(Length::Fixed(330.0)),
            text(t(lang, "contact-as-of")).size(15),
            text_input(t(lang, "contact-when-date-hint"), &self.as_of_date)
                .id("as-of-date")
                .width(Length::Fixed(120.0))
                .on_input(Message::AsOfDate)
                .on_submit(Message::AsOfSubmit),
            text_input(t(lang, "contact-when-time-hint"), &self.as_of_time)
                .id("as-of-time")
                .width(Length::Fixed(80.0))
                .on_input(Message::AsOfTime)
                .on_submit(Message::AsOfSubmit),
            button(text(t(lang, "contact-when-now")))
                .style(button::secondary)
                .on_press(Message::AsOfNow),
        ]
        .spacing(10)
        .align_y(iced::Alignment::Center)]
        .spacing(4);
        if let Some(e) = &self.as_of_error {
            c = c.push(style::error_text(e.as_str()));
        }
        c.into()
    }

    fn actions(&self, view: &ContactView) -> Element<'_, Message> {
        let lang = self.lang;
        let mut c = Column::new()
            .spacing(6)
            .push(text(t(lang, "contact-record")).size(18));
        for kind in FormKind::ALL {
            if !kind.offered_for(view.contact.party) {
                continue;
            }
            let open = self.form.as_ref().is_some_and(|f| f.kind == kind);
            let b = button(text(text_of(lang, &format!("form-open-{}", kind.key()))))
                .width(Length::Fill)
                .style(if open {
                    button::primary
                } else {
                    button::secondary
                });
            c = c.push(permit::guarded(
                b,
                Some(Message::OpenForm(kind)),
                self.role(),
                Permission::Record,
                lang,
            ));
        }
        c = c
            .push(iced::widget::space::vertical().height(12))
            .push(self.reports.view(lang, self.role()).map(Message::Reports));
        // An erased contact has nothing left to erase.
        if !crate::domain::erasure::is_erased(&view.contact) {
            c = c
                .push(iced::widget::space::vertical().height(12))
                .push(self.eraser.button(self.role(), lang).map(Message::Erase));
        }
        if let Some(done) = self.eraser.done() {
            c = c.push(text(done).size(14));
        }
        c.into()
    }

    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let Some(view) = &self.view else {
            let body: Element<'_, Message> = match &self.error {
                Some(e) => column![
                    style::error_text(error_line(e, lang)),
                    button(text(t(lang, "contact-back"))).on_press(Message::Back)
                ]
                .spacing(12)
                .into(),
                None => text(t(lang, "contact-loading")).into(),
            };
            return container(body).padding(24).into();
        };
        let mut main = column![header::view(view, lang)].spacing(16).padding(16);
        if crate::domain::erasure::is_erased(&view.contact) {
            main = main.push(style::error_text(t(lang, "erased-banner")));
        }
        main = main
            .push(self.controls())
            .push(channels::view(view, &self.open_channels, lang));
        if let Some(e) = &self.error {
            main = main.push(style::error_text(error_line(e, lang)));
        }
        main = main.push(timeline::view(
            &view.events,
            &self.open_events,
            view.as_of,
            lang,
        ));
        // An open form takes the place of the list of forms (it has its own Cancel), so
        // its Save button stays within a 800-pixel-high window.
        let side = match &self.form {
            Some(form) => column![forms::view(form, lang)],
            None if self.eraser.is_open() => column![self.eraser.view(lang).map(Message::Erase)],
            None => column![self.actions(view)],
        }
        .padding(16);
        row![
            scrollable(main).width(Length::Fill).height(Length::Fill),
            scrollable(side)
                .width(Length::Fixed(440.0))
                .height(Length::Fill),
        ]
        .into()
    }

    pub fn set_lang(&mut self, lang: Lang) {
        // Dates are typed in the language's notation; carry a valid pinned instant over.
        let pinned = (!self.as_of_now)
            .then(|| when::parse_local(&self.as_of_date, &self.as_of_time, self.lang).ok())
            .flatten();
        self.lang = lang;
        let at = pinned.unwrap_or_else(|| {
            self.view
                .as_ref()
                .map(|v| v.as_of)
                .unwrap_or_else(when::now)
        });
        self.as_of_date = when::date_text(&at, lang);
        self.as_of_time = when::time_text(&at);
    }
}

#[cfg(test)]
mod tests;
