//! Keyboard routing at the root: which keys it takes, and where each goes.

use iced::keyboard::{self, key};
use iced::{event, Event, Task};

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: Key) -> Task<Message> {
        if let Key::Tab { shift } = key {
            return if shift {
                iced::widget::operation::focus_previous()
            } else {
                iced::widget::operation::focus_next()
            };
        }
        match &mut self.screen {
            Screen::Unlock(_) => Task::none(),
            Screen::Search { users: Some(_), .. } => {
                if key == Key::Escape {
                    self.update(Message::Users(users::Message::Close))
                } else {
                    Task::none()
                }
            }
            Screen::Search {
                policy: Some(_), ..
            } => {
                if key == Key::Escape {
                    self.on_policy(policy::Message::Close)
                } else {
                    Task::none()
                }
            }
            Screen::Search { audit: Some(_), .. } => {
                if key == Key::Escape {
                    self.update(Message::Audit(audit::Message::Close))
                } else {
                    Task::none()
                }
            }
            Screen::Search {
                tool: Some(state), ..
            } => {
                let action = state.key(key);
                self.on_tool_action(action)
            }
            Screen::Search {
                contact: Some(_), ..
            } => {
                if key == Key::Escape {
                    // The contact screen closes an open form first, else goes back.
                    self.update(Message::Contact(contact::Message::Escape))
                } else {
                    Task::none()
                }
            }
            Screen::Search { search, .. } => {
                let message = match key {
                    Key::Up => search::Message::Up,
                    Key::Down => search::Message::Down,
                    Key::Enter => search::Message::OpenSelected,
                    Key::Escape => search::Message::Clear,
                    Key::Tab { .. } => return Task::none(),
                };
                let action = search.update(message);
                self.on_search_action(action)
            }
        }
    }
}

/// The keys the root acts on. Esc is taken even when a text box used it (the box only
/// drops its focus; the search also wants to clear). Others only when no widget took them,
/// so Enter in a text box submits that box and nothing else.
pub(in crate::gui) fn key_of_event(
    event: Event,
    status: event::Status,
    _window: iced::window::Id,
) -> Option<Key> {
    let Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) = event else {
        return None;
    };
    let ignored = status == event::Status::Ignored;
    match key.as_ref() {
        keyboard::Key::Named(key::Named::Escape) => Some(Key::Escape),
        keyboard::Key::Named(key::Named::ArrowUp) if ignored => Some(Key::Up),
        keyboard::Key::Named(key::Named::ArrowDown) if ignored => Some(Key::Down),
        keyboard::Key::Named(key::Named::Enter) if ignored => Some(Key::Enter),
        keyboard::Key::Named(key::Named::Tab) if ignored => Some(Key::Tab {
            shift: modifiers.shift(),
        }),
        _ => None,
    }
}
