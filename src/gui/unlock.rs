//! The Unlock screen: choose a register file, give the user name and passphrase, or create
//! a new register (the user becomes its admin), or open the demo register. Opening derives
//! the key from the passphrase (Argon2id, ~25 ms) and so runs off the UI thread; the result
//! comes back as [`Message::Opened`].

use std::path::{Path, PathBuf};

use iced::widget::{button, column, container, row, rule, text, text_input, Id};
use iced::{Center, Element, Fill, Task};
use zeroize::Zeroizing;

use super::handle::{GuiError, RegisterHandle};
use super::theme;
use crate::i18n::{t, tf, Lang};
use crate::register::Register;

/// The demo register's passphrase: it holds invented sample data only, and the screen says so.
pub const DEMO_PASSPHRASE: &str = "demo";

pub const PATH_ID: &str = "unlock-path";
pub const USER_ID: &str = "unlock-user";
pub const PASSPHRASE_ID: &str = "unlock-passphrase";
pub const REPEAT_ID: &str = "unlock-repeat";

/// A typed secret; its `Debug` never shows the text (messages may be logged).
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An open register, handed to the root.
#[derive(Debug, Clone)]
pub struct Unlocked {
    pub handle: RegisterHandle,
    pub path: PathBuf,
    /// The demo register is not remembered as the user's last register.
    pub demo: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    PathChanged(String),
    UserChanged(String),
    PassphraseChanged(Secret),
    RepeatChanged(Secret),
    /// Enter or the Open/Create button.
    Submit,
    /// Open the native file dialog (never sent by tests: a dialog would wait for a human).
    ChooseFile,
    FileChosen(Option<PathBuf>),
    ShowCreate,
    ShowOpen,
    OpenDemo,
    Opened(Result<Unlocked, GuiError>),
}

pub enum Action {
    None,
    Run(Task<Message>),
    Unlocked(Unlocked),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Open,
    Create,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    Opening,
    Creating,
    Demo,
}

/// What went wrong, shown in place under the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    WrongPassphrase,
    NoPath,
    NoUser,
    NoPassphrase,
    Missing,
    Exists,
    TooShort,
    Mismatch,
    Failed(GuiError),
}

/// How hard a new passphrase is to guess, roughly: length counts most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    TooShort,
    Weak,
    Fair,
    Strong,
}

/// The shortest passphrase accepted for a new register (the same rule as `consentry init`).
pub const MIN_PASSPHRASE_CHARS: usize = 4;

pub fn strength(passphrase: &str) -> Strength {
    let len = passphrase.chars().count();
    let classes = [
        passphrase.chars().any(|c| c.is_lowercase()),
        passphrase.chars().any(|c| c.is_uppercase()),
        passphrase.chars().any(|c| c.is_ascii_digit()),
        passphrase.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    match len {
        l if l < MIN_PASSPHRASE_CHARS => Strength::TooShort,
        l if l >= 16 || (l >= 12 && classes >= 2) => Strength::Strong,
        l if l >= 8 => Strength::Fair,
        _ => Strength::Weak,
    }
}

pub struct State {
    lang: Lang,
    path: String,
    user: String,
    passphrase: Zeroizing<String>,
    repeat: Zeroizing<String>,
    mode: Mode,
    busy: Option<Busy>,
    problem: Option<Problem>,
    demo_path: Option<PathBuf>,
    /// The offered path had no file at start: a first start, so the screen points to
    /// "create" and the demo instead of waiting for a passphrase that cannot help.
    first_start: bool,
    /// The register was closed by the idle lock after this many minutes without input.
    locked_after: Option<u32>,
}

impl State {
    /// `path` is the register offered first; `demo_path` where the demo register lives
    /// (`None` hides the demo button: without a data directory there is nowhere to put it).
    pub fn new(lang: Lang, path: &Path, demo_path: Option<PathBuf>) -> (State, Task<Message>) {
        let state = State {
            lang,
            path: path.display().to_string(),
            user: crate::register::DEFAULT_USER.to_owned(),
            passphrase: Zeroizing::new(String::new()),
            repeat: Zeroizing::new(String::new()),
            mode: Mode::Open,
            busy: None,
            problem: None,
            demo_path,
            first_start: !path.exists(),
            locked_after: None,
        };
        (state, iced::widget::operation::focus(PASSPHRASE_ID))
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    pub fn busy(&self) -> Option<Busy> {
        self.busy
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The user name offered (the last one used, else `admin`).
    pub fn set_user(&mut self, user: &str) {
        self.user = user.to_owned();
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Says on the screen that the idle lock closed the register after `minutes`.
    pub fn set_locked_after(&mut self, minutes: u32) {
        self.locked_after = Some(minutes);
    }

    pub fn locked_after(&self) -> Option<u32> {
        self.locked_after
    }

    pub fn passphrase_is_empty(&self) -> bool {
        self.passphrase.is_empty()
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::PathChanged(p) => {
                self.first_start = false;
                self.path = p;
                self.problem = None;
            }
            Message::UserChanged(u) => {
                self.user = u;
                self.problem = None;
            }
            Message::PassphraseChanged(Secret(p)) => {
                self.passphrase = Zeroizing::new(p);
                self.problem = None;
            }
            Message::RepeatChanged(Secret(p)) => {
                self.repeat = Zeroizing::new(p);
                self.problem = None;
            }
            Message::ShowCreate | Message::ShowOpen => {
                self.mode = if matches!(message, Message::ShowCreate) {
                    Mode::Create
                } else {
                    Mode::Open
                };
                self.repeat = Zeroizing::new(String::new());
                self.problem = None;
                return Action::Run(iced::widget::operation::focus(PASSPHRASE_ID));
            }
            Message::ChooseFile => return Action::Run(self.choose_file()),
            Message::FileChosen(Some(p)) => {
                self.first_start = false;
                self.path = p.display().to_string();
                self.problem = None;
                return Action::Run(iced::widget::operation::focus(PASSPHRASE_ID));
            }
            Message::FileChosen(None) => {}
            Message::Submit => return self.submit(),
            Message::OpenDemo => return self.open_demo(),
            Message::Opened(result) => {
                self.busy = None;
                match result {
                    Ok(unlocked) => {
                        self.passphrase = Zeroizing::new(String::new());
                        self.repeat = Zeroizing::new(String::new());
                        self.problem = None;
                        return Action::Unlocked(unlocked);
                    }
                    Err(e) if e.wrong_passphrase => {
                        self.problem = Some(Problem::WrongPassphrase);
                        self.passphrase = Zeroizing::new(String::new());
                        // The field keeps (or regains) focus, ready for the next try.
                        return Action::Run(iced::widget::operation::focus(PASSPHRASE_ID));
                    }
                    Err(e) => self.problem = Some(Problem::Failed(e)),
                }
            }
        }
        Action::None
    }

    fn submit(&mut self) -> Action {
        if self.busy.is_some() {
            return Action::None;
        }
        let path = PathBuf::from(self.path.trim());
        let problem = if path.as_os_str().is_empty() {
            Some(Problem::NoPath)
        } else if self.mode == Mode::Open && !path.exists() {
            Some(Problem::Missing)
        } else if self.mode == Mode::Create
            && (path.exists() || crate::store::keyring_path(&path).exists())
        {
            Some(Problem::Exists)
        } else if self.user.trim().is_empty() {
            Some(Problem::NoUser)
        } else if self.passphrase.is_empty() {
            Some(Problem::NoPassphrase)
        } else if self.mode == Mode::Create && strength(&self.passphrase) == Strength::TooShort {
            Some(Problem::TooShort)
        } else if self.mode == Mode::Create && *self.passphrase != *self.repeat {
            Some(Problem::Mismatch)
        } else {
            None
        };
        if let Some(p) = problem {
            self.problem = Some(p);
            return Action::None;
        }
        self.problem = None;
        let pass = self.passphrase.clone();
        let user = self.user.trim().to_owned();
        let create = self.mode == Mode::Create;
        self.busy = Some(if create {
            Busy::Creating
        } else {
            Busy::Opening
        });
        Action::Run(open_task(path, false, move |p| {
            if create {
                Register::create_as(p, &user, &pass)
            } else {
                // A sign-in to the desktop app is recorded at once (a session may only read).
                Register::open_as(p, &user, &pass).and_then(|r| r.record_unlock().map(|()| r))
            }
        }))
    }

    fn open_demo(&mut self) -> Action {
        let Some(path) = self.demo_path.clone() else {
            return Action::None;
        };
        if self.busy.is_some() {
            return Action::None;
        }
        self.busy = Some(Busy::Demo);
        self.problem = None;
        let now = chrono::Local::now().fixed_offset();
        let user = demo_user(&self.user).to_owned();
        Action::Run(open_task(path, true, move |p| {
            Register::open_or_create_demo(
                p,
                &user,
                DEMO_PASSPHRASE,
                now,
                crate::demo::DEMO_CONTACTS,
            )
            .and_then(|r| r.record_unlock().map(|()| r))
        }))
    }

    fn choose_file(&self) -> Task<Message> {
        let create = self.mode == Mode::Create;
        let current = PathBuf::from(self.path.trim());
        let title = t(self.lang, "unlock-choose-title").to_owned();
        Task::perform(
            async move {
                // The synchronous dialog on the blocking pool: it may wait minutes for the user.
                tokio::task::spawn_blocking(move || {
                    let mut dialog = rfd::FileDialog::new()
                        .set_title(title)
                        .add_filter("Consentry", &["db"]);
                    if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
                        dialog = dialog.set_directory(dir);
                    }
                    if create {
                        dialog.set_file_name("register.db").save_file()
                    } else {
                        dialog.pick_file()
                    }
                })
                .await
                .ok()
                .flatten()
            },
            Message::FileChosen,
        )
    }

    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let idle = self.busy.is_none();
        let creating = self.mode == Mode::Create;

        let path_row = row![
            text_input(t(lang, "unlock-path-placeholder"), &self.path)
                .id(Id::new(PATH_ID))
                .on_input_maybe(idle.then_some(Message::PathChanged))
                .on_submit(Message::Submit)
                .padding(8),
            button(text(t(lang, "unlock-choose")))
                .padding([8, 14])
                .style(theme::secondary_button)
                .on_press_maybe(idle.then_some(Message::ChooseFile)),
        ]
        .spacing(8);

        let passphrase = text_input(t(lang, "unlock-passphrase-placeholder"), &self.passphrase)
            .id(Id::new(PASSPHRASE_ID))
            .secure(true)
            .on_input_maybe(idle.then_some(|s| Message::PassphraseChanged(Secret(s))))
            .on_submit(Message::Submit)
            .padding(8);

        let mut form = column![
            text(t(
                lang,
                if creating {
                    "unlock-create-title"
                } else {
                    "unlock-title"
                }
            ))
            .size(24),
            text(t(lang, "unlock-path")).size(14),
            path_row,
        ]
        .spacing(8);
        if let Some(minutes) = self.locked_after {
            form = form.push(
                text(tf(
                    lang,
                    "unlock-idle-locked",
                    &[("minutes", &minutes.to_string())],
                ))
                .size(14)
                .color(theme::ACCENT),
            );
        }
        if self.first_start && !creating {
            form = form.push(
                text(t(lang, "unlock-first-start"))
                    .size(13)
                    .color(theme::ACCENT),
            );
        }
        let user = text_input(t(lang, "unlock-user-placeholder"), &self.user)
            .id(Id::new(USER_ID))
            .on_input_maybe(idle.then_some(Message::UserChanged))
            .on_submit(Message::Submit)
            .padding(8);
        let user_label = if creating {
            "unlock-user-new"
        } else {
            "unlock-user"
        };
        form = form
            .push(text(t(lang, user_label)).size(14))
            .push(user)
            .push(text(t(lang, "unlock-passphrase")).size(14))
            .push(passphrase);

        if creating {
            let repeat = text_input(t(lang, "unlock-repeat-placeholder"), &self.repeat)
                .id(Id::new(REPEAT_ID))
                .secure(true)
                .on_input_maybe(idle.then_some(|s| Message::RepeatChanged(Secret(s))))
                .on_submit(Message::Submit)
                .padding(8);
            form = form
                .push(text(t(lang, "unlock-repeat")).size(14))
                .push(repeat)
                .push(strength_hint(lang, strength(&self.passphrase)));
        }

        if let Some(problem) = &self.problem {
            form = form.push(problem_view(lang, problem));
        }
        if let Some(busy) = self.busy {
            let key = match busy {
                Busy::Opening => "unlock-opening",
                Busy::Creating => "unlock-creating",
                Busy::Demo => "unlock-demo-creating",
            };
            form = form.push(text(t(lang, key)).color(theme::MUTED_TEXT));
        }

        let (primary, switch_label, switch_msg) = if creating {
            ("unlock-create", "unlock-to-open", Message::ShowOpen)
        } else {
            ("unlock-open", "unlock-to-create", Message::ShowCreate)
        };
        form = form.push(
            row![
                button(text(t(lang, primary)))
                    .padding([8, 18])
                    .style(theme::primary_button)
                    .on_press_maybe(idle.then_some(Message::Submit)),
                button(text(t(lang, switch_label)))
                    .padding([8, 14])
                    .style(theme::link_button)
                    .on_press_maybe(idle.then_some(switch_msg)),
            ]
            .spacing(12)
            .align_y(Center),
        );

        if self.demo_path.is_some() {
            form = form.push(rule::horizontal(1)).push(
                column![
                    button(text(t(lang, "unlock-demo")))
                        .padding([8, 14])
                        .style(theme::secondary_button)
                        .on_press_maybe(idle.then_some(Message::OpenDemo)),
                    text(t(lang, "unlock-demo-note"))
                        .size(13)
                        .color(theme::MUTED_TEXT),
                ]
                .spacing(6),
            );
        }

        let card = container(form.spacing(10).padding(28))
            .max_width(560)
            .style(theme::card_style);
        container(card)
            .center_x(Fill)
            .padding(40)
            .height(Fill)
            .style(theme::page_style)
            .into()
    }
}

/// The demo user to sign in as: the typed name if it is one of the demo's users (to try a
/// role), else its admin.
pub fn demo_user(typed: &str) -> &'static str {
    let typed = typed.trim();
    crate::register::DEMO_USERS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == typed)
        .unwrap_or(crate::register::DEMO_USERS[0].0)
}

/// Runs `open` on the blocking pool and reports the result as [`Message::Opened`].
fn open_task(
    path: PathBuf,
    demo: bool,
    open: impl FnOnce(&Path) -> crate::register::Result<Register> + Send + 'static,
) -> Task<Message> {
    Task::perform(
        async move {
            tokio::task::spawn_blocking(move || {
                open(&path)
                    .map(|register| Unlocked {
                        handle: RegisterHandle::new(register),
                        path,
                        demo,
                    })
                    .map_err(GuiError::from)
            })
            .await
            .map_err(|e| GuiError::background(&e))?
        },
        Message::Opened,
    )
}

fn strength_hint<'a>(lang: Lang, s: Strength) -> Element<'a, Message> {
    let (key, color) = match s {
        Strength::TooShort => ("unlock-strength-too-short", theme::DENIED),
        Strength::Weak => ("unlock-strength-weak", theme::DENIED),
        Strength::Fair => ("unlock-strength-fair", theme::NEUTRAL),
        Strength::Strong => ("unlock-strength-strong", theme::ALLOWED),
    };
    row![
        theme::badge(t(lang, key), color),
        text(t(lang, "unlock-strength-advice"))
            .size(13)
            .color(theme::MUTED_TEXT),
    ]
    .spacing(8)
    .align_y(Center)
    .into()
}

fn problem_view<'a>(lang: Lang, problem: &'a Problem) -> Element<'a, Message> {
    let key = match problem {
        Problem::WrongPassphrase => "unlock-wrong-passphrase",
        Problem::NoPath => "unlock-no-path",
        Problem::NoUser => "unlock-no-user",
        Problem::NoPassphrase => "unlock-no-passphrase",
        Problem::Missing => "unlock-missing",
        Problem::Exists => "unlock-exists",
        Problem::TooShort => "unlock-too-short",
        Problem::Mismatch => "unlock-mismatch",
        Problem::Failed(e) => {
            // The hint is the window's wording (gui::error_text), never a command-line flag.
            let mut c = column![text(t(lang, "unlock-failed")), text(e.message(lang))].spacing(4);
            if !e.hint(lang).is_empty() {
                c = c.push(text(e.hint(lang)).size(13));
            }
            return theme::error_box(c);
        }
    };
    theme::error_box(text(t(lang, key)))
}
