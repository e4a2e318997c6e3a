//! The idle lock: after `idle_lock_minutes` without input the register closes (waiting for
//! a running import or screening), and what counts as input.

use std::sync::Mutex;
use std::time::Duration;

use iced::time::Instant;
use iced::{event, mouse, Event, Task};

use super::*;

impl App {
    /// Closes the register: every screen holding it is dropped (and with them everything
    /// personal on screen), and the Unlock screen offers the same file again with an empty,
    /// focused passphrase field. `idle`: closed by the idle lock after so many minutes.
    pub(super) fn lock(&mut self, idle: Option<u32>) -> Task<Message> {
        let (mut unlock, task) = match &self.screen {
            Screen::Search { path, handle, .. } => {
                let (mut state, task) = unlock::State::new(
                    self.lang,
                    path,
                    self.launch.data_dir.as_ref().map(|d| d.join("demo.db")),
                );
                // The same user signs in again.
                state.set_user(&handle.session().user);
                (state, task)
            }
            Screen::Unlock(_) => Self::unlock_screen(&self.launch, &self.prefs, self.lang),
        };
        if let Some(minutes) = idle {
            unlock.set_locked_after(minutes);
        }
        self.screen = Screen::Unlock(unlock);
        self.lock_pending = false;
        task.map(Message::Unlock)
    }

    /// The idle lock: closes the register once no input came for the set time. A running
    /// import or screening holds the register; the lock then waits for it to end.
    pub(super) fn on_tick(&mut self, now: Instant) -> Task<Message> {
        let minutes = self.prefs.idle_lock_minutes;
        if minutes == 0 || !matches!(self.screen, Screen::Search { .. }) {
            return Task::none();
        }
        let limit = Duration::from_secs(u64::from(minutes) * 60);
        if now.saturating_duration_since(self.last_input) < limit {
            return Task::none();
        }
        if self.job_running() {
            self.lock_pending = true;
            return Task::none();
        }
        self.lock(Some(minutes))
    }

    /// An import or a screening is running (it holds the register until it ends).
    pub(super) fn job_running(&self) -> bool {
        match &self.screen {
            Screen::Search {
                tool: Some(tools::Tool::Import(s)),
                ..
            } => s.running(),
            Screen::Search {
                tool: Some(tools::Tool::Screening(s)),
                ..
            } => s.running(),
            _ => false,
        }
    }
}

/// Any keyboard, mouse or touch event counts as input for the idle lock. Cursor moves come
/// in floods, so at most one a second becomes a message.
pub(super) fn input_of_event(
    event: Event,
    _status: event::Status,
    _window: iced::window::Id,
) -> Option<Message> {
    const MOVES_EVERY: Duration = Duration::from_secs(1);
    static LAST_MOVE: Mutex<Option<Instant>> = Mutex::new(None);
    let now = Instant::now();
    match event {
        Event::Mouse(mouse::Event::CursorMoved { .. }) => {
            let mut last = LAST_MOVE.lock().ok()?;
            if last.is_some_and(|l| now.saturating_duration_since(l) < MOVES_EVERY) {
                return None;
            }
            *last = Some(now);
            Some(Message::Input(now))
        }
        Event::Keyboard(_) | Event::Mouse(_) | Event::Touch(_) => Some(Message::Input(now)),
        _ => None,
    }
}
