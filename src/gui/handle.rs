//! The GUI's access to the register: one shared handle, every call off the UI thread.

use std::sync::{Arc, Mutex};

use crate::register::{Register, RegisterError, Session};

/// A register error as the GUI shows it: `Clone` (messages are cloned), already rendered
/// to the sentence and hint the user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuiError {
    pub message: String,
    pub hint: String,
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
            hint: e.hint().to_owned(),
            message: e.to_string(),
        }
    }
}

impl GuiError {
    pub fn other(message: impl Into<String>) -> Self {
        GuiError {
            message: message.into(),
            hint: String::new(),
            wrong_passphrase: false,
        }
    }
}

impl std::fmt::Display for GuiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
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
                let mut reg = inner.lock().map_err(|_| {
                    GuiError::other(
                        "the register is unavailable after an earlier failure; restart Consentry",
                    )
                })?;
                f(&mut reg).map_err(GuiError::from)
            })
            .await
            .map_err(|e| GuiError::other(format!("background work failed: {e}")))?
        }
    }

    /// The same call, synchronously: for tests and for work already off the UI thread.
    pub fn call_blocking<T>(
        &self,
        f: impl FnOnce(&mut Register) -> Result<T, RegisterError>,
    ) -> Result<T, GuiError> {
        let mut reg = self.0.lock().map_err(|_| {
            GuiError::other(
                "the register is unavailable after an earlier failure; restart Consentry",
            )
        })?;
        f(&mut reg).map_err(GuiError::from)
    }
}
