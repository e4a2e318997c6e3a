//! The bulk tools opened from the header — Import and List screening — as one value for
//! the root: it shows at most one of them over the search, routes its messages and keys,
//! and turns their actions into what the root does (close, refresh the list).

use iced::{Element, Task};

use super::handle::RegisterHandle;
use super::save_dialog::Chooser;
use super::{import, screening, Key};
use crate::i18n::Lang;

// One tool at a time; its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Tool {
    Import(import::State),
    Screening(screening::State),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Import,
    Screening,
}

impl Which {
    /// What the signed-in role needs to open the tool.
    pub fn permission(self) -> crate::domain::Permission {
        match self {
            Which::Import => crate::domain::Permission::Import,
            Which::Screening => crate::domain::Permission::Screen,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Import(import::Message),
    Screening(screening::Message),
}

pub enum Action {
    None,
    Run(Task<Message>),
    Close,
    /// The register changed: the search list asks again.
    Changed,
}

impl Tool {
    pub fn open(which: Which, handle: RegisterHandle, chooser: Chooser, lang: Lang) -> Tool {
        match which {
            Which::Import => Tool::Import(import::State::new(handle, chooser, lang)),
            Which::Screening => Tool::Screening(screening::State::new(handle, chooser, lang)),
        }
    }

    pub fn which(&self) -> Which {
        match self {
            Tool::Import(_) => Which::Import,
            Tool::Screening(_) => Which::Screening,
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        match self {
            Tool::Import(s) => s.set_lang(lang),
            Tool::Screening(s) => s.set_lang(lang),
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match (self, message) {
            (Tool::Import(s), Message::Import(m)) => from_import(s.update(m)),
            (Tool::Screening(s), Message::Screening(m)) => from_screening(s.update(m)),
            // A late message of a tool that was closed and replaced by the other one.
            _ => Action::None,
        }
    }

    /// Esc goes back to the search, cancelling a running job first (it holds the register,
    /// so the search would wait for it; a cancelled import writes nothing). Enter starts
    /// when the input is complete.
    pub fn key(&mut self, key: Key) -> Action {
        match (self, key) {
            (Tool::Import(s), Key::Escape) => {
                let _ = s.update(import::Message::Cancel);
                Action::Close
            }
            (Tool::Screening(s), Key::Escape) => {
                let _ = s.update(screening::Message::Cancel);
                Action::Close
            }
            (Tool::Import(s), Key::Enter) => from_import(s.enter()),
            (Tool::Screening(s), Key::Enter) => from_screening(s.enter()),
            _ => Action::None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match self {
            Tool::Import(s) => s.view().map(Message::Import),
            Tool::Screening(s) => s.view().map(Message::Screening),
        }
    }
}

fn from_import(action: import::Action) -> Action {
    match action {
        import::Action::None => Action::None,
        import::Action::Run(task) => Action::Run(task.map(Message::Import)),
        import::Action::Back => Action::Close,
        import::Action::Changed => Action::Changed,
    }
}

fn from_screening(action: screening::Action) -> Action {
    match action {
        screening::Action::None => Action::None,
        screening::Action::Run(task) => Action::Run(task.map(Message::Screening)),
        screening::Action::Back => Action::Close,
    }
}
