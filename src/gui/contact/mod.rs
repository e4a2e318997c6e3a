//! The Contact screen: who the person is, may we contact them on each channel for a
//! purpose at an instant and why, their ledger as a timeline, and the recording forms.

use iced::widget::{button, column, text};
use iced::{Element, Task};

use crate::gui::handle::{GuiError, RegisterHandle};
use crate::i18n::Lang;
use crate::register::ContactView;

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
    /// The contact view was (re)computed for the request `key`.
    Loaded(u64, Result<ContactView, GuiError>),
    Back,
}

pub struct State {
    handle: RegisterHandle,
    contact_id: String,
    lang: Lang,
    request: u64,
    view: Option<Result<ContactView, GuiError>>,
}

impl State {
    /// Opens the screen and loads the contact's view off the UI thread.
    pub fn new(handle: RegisterHandle, contact_id: String, lang: Lang) -> (State, Task<Message>) {
        let state = State {
            handle,
            contact_id,
            lang,
            request: 0,
            view: None,
        };
        let task = state.load();
        (state, task)
    }

    fn load(&self) -> Task<Message> {
        let id = self.contact_id.clone();
        let key = self.request;
        let at = chrono::Local::now().fixed_offset();
        let purpose = crate::domain::Purpose::parse("newsletter");
        Task::perform(
            self.handle.call(move |reg| {
                let contact = reg.resolve(&id)?;
                let purpose = purpose?;
                reg.view(&contact, &purpose, at)
            }),
            move |r| Message::Loaded(key, r),
        )
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Loaded(key, result) => {
                if key == self.request {
                    self.view = Some(result);
                }
                Action::None
            }
            Message::Back => Action::Back,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = match &self.view {
            None => text("…").into(),
            Some(Ok(v)) => text(v.contact.display_name().to_owned()).into(),
            Some(Err(e)) => text(e.message.clone()).into(),
        };
        column![button(text("Back")).on_press(Message::Back), body]
            .spacing(12)
            .into()
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }
}
