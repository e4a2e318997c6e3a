//! The GUI's access to the register: one shared handle, every call off the UI thread.

use std::sync::{Arc, Mutex};

use super::error_text::{self, ErrorText};
use crate::i18n::{t, tf, Lang};
use crate::register::{Register, RegisterError, Session};

/// A register error as the GUI shows it: `Clone` (messages are cloned), already rendered
/// to the sentence and hint the user reads, in both GUI languages (the error is made off
/// the UI thread, which does not know the screen's language; the view picks one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuiError {
    de: ErrorText,
    en: ErrorText,
    /// The wrong passphrase is shown in place on the unlock screen, so it is told apart.
    pub wrong_passphrase: bool,
}

impl From<RegisterError> for GuiError {
    fn from(e: RegisterError) -> Self {
        GuiError {
            wrong_passphrase: matches!(
                e,
                RegisterError::Store(crate::store::StoreError::WrongPassphrase)
            ),
            ..GuiError::localized(|lang| error_text::register_error(&e, lang))
        }
    }
}

impl GuiError {
    /// A text that is the same in every language: for tests that feed a screen a failure.
    /// The program words every error in both languages ([`GuiError::localized`]).
    #[cfg(test)]
    pub fn other(message: impl Into<String>) -> Self {
        let text = ErrorText {
            message: message.into(),
            hint: String::new(),
        };
        GuiError {
            de: text.clone(),
            en: text,
            wrong_passphrase: false,
        }
    }

    /// An error worded by `render` in each GUI language.
    pub fn localized(render: impl Fn(Lang) -> ErrorText) -> Self {
        GuiError {
            de: render(Lang::De),
            en: render(Lang::En),
            wrong_passphrase: false,
        }
    }

    pub fn text(&self, lang: Lang) -> &ErrorText {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }

    /// What went wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        &self.text(lang).message
    }

    /// What to do about it, in `lang`; empty when there is nothing to do.
    pub fn hint(&self, lang: Lang) -> &str {
        &self.text(lang).hint
    }

    /// Work on the blocking pool that panicked or was cancelled.
    pub fn background(e: &tokio::task::JoinError) -> Self {
        let error = e.to_string();
        GuiError::localized(|lang| ErrorText {
            message: tf(lang, "error-background", &[("error", &error)]),
            hint: String::new(),
        })
    }

    fn unavailable() -> Self {
        GuiError::localized(|lang| ErrorText {
            message: t(lang, "error-unavailable").to_owned(),
            hint: String::new(),
        })
    }
}

impl std::fmt::Display for GuiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en.message)
    }
}

/// Shared, cheaply cloned access to the open register, and who unlocked it (read once at
/// unlock, so a screen can show what the role may do without waiting for the register).
#[derive(Clone)]
pub struct RegisterHandle(Arc<Mutex<Register>>, Arc<Session>);

impl std::fmt::Debug for RegisterHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegisterHandle")
    }
}

impl RegisterHandle {
    pub fn new(register: Register) -> Self {
        let session = Arc::new(register.session().clone());
        RegisterHandle(Arc::new(Mutex::new(register)), session)
    }

    /// The signed-in user and role.
    pub fn session(&self) -> &Session {
        &self.1
    }

    /// Runs `f` with the register on tokio's blocking pool, so the window never waits on SQL.
    /// Use inside `Task::perform(handle.call(...), Message::Done)`.
    pub fn call<T, F>(
        &self,
        f: F,
    ) -> impl std::future::Future<Output = Result<T, GuiError>> + Send + 'static
    where
        T: Send + 'static,
        F: FnOnce(&mut Register) -> Result<T, RegisterError> + Send + 'static,
    {
        let inner = self.0.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let mut reg = inner.lock().map_err(|_| GuiError::unavailable())?;
                f(&mut reg).map_err(GuiError::from)
            })
            .await
            .map_err(|e| GuiError::background(&e))?
        }
    }

    /// The same call, synchronously: for tests and for work already off the UI thread.
    pub fn call_blocking<T>(
        &self,
        f: impl FnOnce(&mut Register) -> Result<T, RegisterError>,
    ) -> Result<T, GuiError> {
        let mut reg = self.0.lock().map_err(|_| GuiError::unavailable())?;
        f(&mut reg).map_err(GuiError::from)
    }
}
