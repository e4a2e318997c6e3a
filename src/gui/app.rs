//! The app root: which screen is showing and the remembered settings; screens report to
//! the root through their `Action`. Its view (`view`), keyboard routing (`keys`) and idle
//! lock (`idle`) are in files of their own.

use std::path::PathBuf;
use std::time::Duration;

use iced::time::Instant;

use iced::{event, Subscription, Task, Theme};

use super::audit;
use super::contact;
use super::handle::RegisterHandle;
use super::policy;
use super::save_dialog::Chooser;
use super::search;
use super::settings::{self, Preferences};
use super::theme;
use super::tools;
use super::unlock;
use super::users;
use crate::i18n::{t, tf, Lang};

mod idle;
mod keys;
mod view;

pub(super) use keys::key_of_event;

/// How the app was started: `--db` / `$CONSENTRY_DB` and `--lang` win over what was
/// remembered; `preferences` is where the settings file lives (`None`: remember nothing,
/// as in tests).
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub register: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub preferences: Option<PathBuf>,
    /// Where registers live unless chosen otherwise, and where the demo register is kept
    /// (`None`: no demo button, the bare file name `register.db` is offered).
    pub data_dir: Option<PathBuf>,
}

/// Keys the root handles itself (widgets did not use them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Up,
    Down,
    Enter,
    Escape,
    Tab { shift: bool },
}

// One message at a time passes through; boxing would only add allocations per keystroke.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Message {
    Unlock(unlock::Message),
    Search(search::Message),
    Contact(contact::Message),
    SetLang(Lang),
    Key(Key),
    /// Close the register and go back to the Unlock screen.
    Lock,
    OpenSettings,
    Policy(policy::Message),
    OpenAudit,
    Audit(audit::Message),
    /// Opens the Import or the List screening screen.
    OpenTool(tools::Which),
    Tool(tools::Message),
    /// A keyboard, mouse or touch event at this instant: the idle lock starts counting again.
    Input(Instant),
    /// The idle lock's clock (every [`IDLE_CHECK_EVERY`] while a register is open).
    Tick(Instant),
    /// The idle lock time as typed on the settings screen.
    IdleMinutesChanged(String),
    /// Opens the Users screen (from Settings).
    OpenUsers,
    Users(users::Message),
}

/// How often the idle lock looks at the clock; the lock comes at most this late.
pub const IDLE_CHECK_EVERY: Duration = Duration::from_secs(15);

/// The idle lock's id on the settings screen.
pub const IDLE_MINUTES_ID: &str = "app-idle-minutes";

// There is exactly one screen value; its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Screen {
    Unlock(unlock::State),
    Search {
        handle: RegisterHandle,
        /// The open register's file, offered again when it is closed.
        path: PathBuf,
        register_name: String,
        demo: bool,
        search: search::State,
        /// The open contact, shown instead of the list; the search keeps its query and
        /// selection underneath.
        contact: Option<contact::State>,
        /// The policy settings, shown over the list and the contact while open.
        policy: Option<policy::State>,
        /// The audit screen (register report, report check), shown over the list and the
        /// contact while open.
        audit: Option<audit::State>,
        /// Import or list screening, shown over the list and the contact while open.
        tool: Option<tools::Tool>,
        /// The Users screen, shown over the settings while open.
        users: Option<users::State>,
    },
}

pub struct App {
    lang: Lang,
    prefs: Preferences,
    launch: Launch,
    screen: Screen,
    /// The file dialogs and viewer the report screens use (tests inject their own).
    chooser: Chooser,
    /// The last keyboard or mouse input, for the idle lock.
    last_input: Instant,
    /// The idle time ran out while a long job held the register: it closes when the job ends.
    lock_pending: bool,
    /// The idle lock time as typed, and whether that text was refused.
    idle_input: String,
    idle_refused: bool,
}

impl App {
    pub fn new(launch: Launch) -> (App, Task<Message>) {
        let prefs = launch
            .preferences
            .as_deref()
            .map(Preferences::load)
            .unwrap_or_default();
        let lang = launch
            .lang
            .or(prefs.lang)
            .unwrap_or_else(crate::i18n::system_lang);
        let (unlock, task) = Self::unlock_screen(&launch, &prefs, lang);
        let app = App {
            lang,
            prefs,
            launch,
            screen: Screen::Unlock(unlock),
            chooser: Chooser::native(),
            last_input: Instant::now(),
            lock_pending: false,
            idle_input: String::new(),
            idle_refused: false,
        };
        (app, task.map(Message::Unlock))
    }

    fn unlock_screen(
        launch: &Launch,
        prefs: &Preferences,
        lang: Lang,
    ) -> (unlock::State, Task<unlock::Message>) {
        let path = launch
            .register
            .clone()
            .or_else(|| prefs.last_register.clone())
            .or_else(|| launch.data_dir.as_ref().map(|d| d.join("register.db")))
            .unwrap_or_else(|| PathBuf::from("register.db"));
        let demo = launch.data_dir.as_ref().map(|d| d.join("demo.db"));
        let (mut state, task) = unlock::State::new(lang, &path, demo);
        if let Some(user) = &prefs.last_user {
            state.set_user(user);
        }
        (state, task)
    }

    /// Replaces the native file dialogs, for screens opened from now on.
    pub fn set_chooser(&mut self, chooser: Chooser) {
        self.chooser = chooser;
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// Minutes without input after which the open register is closed (0: never).
    pub fn idle_lock_minutes(&self) -> u32 {
        self.prefs.idle_lock_minutes
    }

    /// The typed idle lock time was refused (not whole minutes from 0 to 240).
    pub fn idle_refused(&self) -> bool {
        self.idle_refused
    }

    /// "Consentry", and the open register's file name once unlocked (it tells windows
    /// apart, and the smoke test waits for it).
    pub fn title(&self) -> String {
        let app = t(self.lang, "app-title");
        match &self.screen {
            Screen::Search { register_name, .. } if !register_name.is_empty() => {
                format!("{app} — {register_name}")
            }
            _ => app.to_owned(),
        }
    }

    pub fn theme(&self) -> Theme {
        Theme::Light
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::SetLang(lang) => {
                self.set_lang(lang);
                Task::none()
            }
            Message::Lock => self.lock(None),
            Message::Input(at) => {
                self.last_input = self.last_input.max(at);
                self.lock_pending = false;
                Task::none()
            }
            Message::Tick(now) => self.on_tick(now),
            Message::IdleMinutesChanged(input) => {
                match settings::parse_idle_minutes(&input) {
                    Some(minutes) => {
                        self.prefs.idle_lock_minutes = minutes;
                        self.idle_refused = false;
                        self.save_prefs();
                    }
                    None => self.idle_refused = true,
                }
                self.idle_input = input;
                Task::none()
            }
            Message::Key(key) => self.on_key(key),
            Message::OpenSettings => {
                let Screen::Search { handle, policy, .. } = &mut self.screen else {
                    return Task::none();
                };
                let (state, task) = policy::State::new(handle.clone(), self.lang);
                *policy = Some(state);
                self.idle_input = self.prefs.idle_lock_minutes.to_string();
                self.idle_refused = false;
                task.map(Message::Policy)
            }
            Message::Policy(m) => self.on_policy(m),
            Message::OpenUsers => {
                let Screen::Search { handle, users, .. } = &mut self.screen else {
                    return Task::none();
                };
                let (state, task) = users::State::new(handle.clone(), self.lang);
                *users = Some(state);
                task.map(Message::Users)
            }
            Message::Users(m) => {
                let Screen::Search {
                    users: Some(state), ..
                } = &mut self.screen
                else {
                    return Task::none();
                };
                match state.update(m) {
                    users::Action::None => Task::none(),
                    users::Action::Run(task) => task.map(Message::Users),
                    users::Action::Close => {
                        if let Screen::Search { users, .. } = &mut self.screen {
                            *users = None;
                        }
                        Task::none()
                    }
                }
            }
            Message::OpenTool(which) => {
                let Screen::Search { handle, tool, .. } = &mut self.screen else {
                    return Task::none();
                };
                if !super::permit::allows(handle.session().role, which.permission()) {
                    return Task::none();
                }
                let chooser = self.chooser.clone();
                *tool = Some(tools::Tool::open(which, handle.clone(), chooser, self.lang));
                Task::none()
            }
            Message::Tool(m) => {
                let Screen::Search {
                    tool: Some(state), ..
                } = &mut self.screen
                else {
                    return Task::none();
                };
                let action = state.update(m);
                let task = self.on_tool_action(action);
                if self.lock_pending && !self.job_running() {
                    // The job that held the register back has ended: the idle lock comes now.
                    return self.lock(Some(self.prefs.idle_lock_minutes));
                }
                task
            }
            Message::OpenAudit => {
                let Screen::Search { handle, audit, .. } = &mut self.screen else {
                    return Task::none();
                };
                let (state, task) =
                    audit::State::new(handle.clone(), self.lang, self.chooser.clone());
                *audit = Some(state);
                task.map(Message::Audit)
            }
            Message::Audit(m) => {
                let Screen::Search { audit, contact, .. } = &mut self.screen else {
                    return Task::none();
                };
                let Some(state) = audit else {
                    return Task::none();
                };
                match state.update(m) {
                    audit::Action::None => Task::none(),
                    audit::Action::Run(task) => task.map(Message::Audit),
                    audit::Action::Close => {
                        *audit = None;
                        // Back to what was under it: the open contact, else the search box.
                        back_under(contact)
                    }
                }
            }
            Message::Unlock(m) => {
                let Screen::Unlock(state) = &mut self.screen else {
                    return Task::none();
                };
                match state.update(m) {
                    unlock::Action::None => Task::none(),
                    unlock::Action::Run(task) => task.map(Message::Unlock),
                    unlock::Action::Unlocked(unlocked) => self.enter_register(unlocked),
                }
            }
            Message::Search(m) => {
                let Screen::Search { search, .. } = &mut self.screen else {
                    return Task::none();
                };
                let action = search.update(m);
                self.on_search_action(action)
            }
            Message::Contact(m) => {
                let Screen::Search {
                    search, contact, ..
                } = &mut self.screen
                else {
                    return Task::none();
                };
                let Some(state) = contact else {
                    return Task::none();
                };
                match state.update(m) {
                    contact::Action::None => Task::none(),
                    contact::Action::Run(task) => task.map(Message::Contact),
                    contact::Action::Back => {
                        *contact = None;
                        search::State::focus().map(Message::Search)
                    }
                    contact::Action::Changed => search.refresh().map(Message::Search),
                }
            }
        }
    }

    fn enter_register(&mut self, unlocked: unlock::Unlocked) -> Task<Message> {
        // Opening took input (the passphrase, a click); the idle time starts from here.
        self.last_input = self.last_input.max(Instant::now());
        self.lock_pending = false;
        if !unlocked.demo {
            self.prefs.last_register = Some(unlocked.path.clone());
            // Who signed in is offered again next time (a name, no secret).
            self.prefs.last_user = Some(unlocked.handle.session().user.clone());
            self.save_prefs();
        }
        let (search, task) = search::State::new(unlocked.handle.clone(), self.lang);
        self.screen = Screen::Search {
            handle: unlocked.handle,
            path: unlocked.path.clone(),
            register_name: unlocked
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            demo: unlocked.demo,
            search,
            contact: None,
            policy: None,
            audit: None,
            tool: None,
            users: None,
        };
        task.map(Message::Search)
    }

    fn on_policy(&mut self, message: policy::Message) -> Task<Message> {
        let Screen::Search {
            handle,
            search,
            contact,
            policy,
            ..
        } = &mut self.screen
        else {
            return Task::none();
        };
        let Some(state) = policy else {
            return Task::none();
        };
        match state.update(message) {
            policy::Action::None => Task::none(),
            policy::Action::Run(task) => task.map(Message::Policy),
            policy::Action::Close => {
                *policy = None;
                back_under(contact)
            }
            policy::Action::Changed => {
                // Every verdict may have changed: the list asks again, and an open contact
                // is loaded afresh.
                let mut tasks = vec![search.refresh().map(Message::Search)];
                let open = contact
                    .as_ref()
                    .and_then(|c| c.contact_view())
                    .map(|v| v.contact.id.clone());
                if let Some(id) = open {
                    let (mut state, task) = contact::State::new(handle.clone(), id, self.lang);
                    state.set_chooser(self.chooser.clone());
                    *contact = Some(state);
                    tasks.push(task.map(Message::Contact));
                }
                Task::batch(tasks)
            }
        }
    }

    fn on_tool_action(&mut self, action: tools::Action) -> Task<Message> {
        let Screen::Search {
            search,
            tool,
            contact,
            ..
        } = &mut self.screen
        else {
            return Task::none();
        };
        match action {
            tools::Action::None => Task::none(),
            tools::Action::Run(task) => task.map(Message::Tool),
            tools::Action::Close => {
                *tool = None;
                back_under(contact)
            }
            // The same refresh as after a change on the contact screen.
            tools::Action::Changed => search.refresh().map(Message::Search),
        }
    }

    fn on_search_action(&mut self, action: search::Action) -> Task<Message> {
        match action {
            search::Action::None => Task::none(),
            search::Action::Run(task) => task.map(Message::Search),
            search::Action::Open(id) => {
                let Screen::Search {
                    handle, contact, ..
                } = &mut self.screen
                else {
                    return Task::none();
                };
                let (mut state, task) = contact::State::new(handle.clone(), id, self.lang);
                state.set_chooser(self.chooser.clone());
                *contact = Some(state);
                task.map(Message::Contact)
            }
        }
    }

    fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        match &mut self.screen {
            Screen::Unlock(s) => s.set_lang(lang),
            Screen::Search {
                search,
                contact,
                policy,
                audit,
                tool,
                users,
                ..
            } => {
                search.set_lang(lang);
                if let Some(u) = users {
                    u.set_lang(lang);
                }
                if let Some(x) = tool {
                    x.set_lang(lang);
                }
                if let Some(a) = audit {
                    a.set_lang(lang);
                }
                if let Some(c) = contact {
                    c.set_lang(lang);
                }
                if let Some(p) = policy {
                    p.set_lang(lang);
                }
            }
        }
        self.prefs.lang = Some(lang);
        self.save_prefs();
    }

    fn save_prefs(&self) {
        if let Some(path) = &self.launch.preferences {
            // Losing the remembered language or path is an inconvenience, not an error to
            // interrupt the user with.
            let _ = self.prefs.save(path);
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let mut subscriptions = vec![
            event::listen_with(key_of_event).map(Message::Key),
            event::listen_with(idle::input_of_event),
        ];
        if matches!(self.screen, Screen::Search { .. }) && self.prefs.idle_lock_minutes > 0 {
            subscriptions.push(iced::time::every(IDLE_CHECK_EVERY).map(Message::Tick));
        }
        Subscription::batch(subscriptions)
    }
}

/// Leaving an overlay screen (audit, policy, a tool) returns to what lies under it: the open
/// contact as it was, else the search box, focused.
fn back_under(contact: &Option<contact::State>) -> Task<Message> {
    match contact {
        Some(_) => Task::none(),
        None => search::State::focus().map(Message::Search),
    }
}

/// Runs the window until it is closed.
pub fn run(launch: Launch) -> iced::Result {
    iced::application(move || App::new(launch.clone()), App::update, App::view)
        .title(App::title)
        .theme(App::theme)
        .subscription(App::subscription)
        .default_font(iced::Font::with_name("Fira Sans"))
        .window(iced::window::Settings {
            size: iced::Size::new(1280.0, 800.0),
            // Below this the result rows and the contact's two columns no longer fit.
            min_size: Some(iced::Size::new(960.0, 600.0)),
            icon: window_icon(),
            // The desktop entry's name: X11 WM_CLASS and the Wayland app id, so the desktop
            // shows the entry's icon and name for the window (StartupWMClass in the .desktop).
            #[cfg(target_os = "linux")]
            platform_specific: iced::window::settings::PlatformSpecific {
                application_id: "de.consentry.Consentry".to_string(),
                ..Default::default()
            },
            ..iced::window::Settings::default()
        })
        .run()
}

/// The app icon (packaging/linux/icons, 64 × 64 raw RGBA rendered from the SVG by its
/// `render` script), so no image decoder is needed.
fn window_icon() -> Option<iced::window::Icon> {
    let rgba = include_bytes!("../../packaging/linux/icons/window-64x64.rgba");
    iced::window::icon::from_rgba(rgba.to_vec(), 64, 64).ok()
}
