//! The Users screen (from Settings): admins list users, add one with a role and a first
//! password, remove one, and set a new password for one (e.g. after a rekey). Everyone can
//! change their own password here. The register checks every action again.

use iced::widget::{button, column, container, row, scrollable, text, text_input, Id};
use iced::{Center, Element, Fill, Task};
use zeroize::Zeroizing;

use super::handle::{GuiError, RegisterHandle};
use super::permit;
use super::theme;
use super::unlock::Secret;
use crate::domain::access::ROLES;
use crate::domain::{Permission, Role};
use crate::i18n::{t, tf, Lang};
use crate::register::{UserInfo, MIN_PASSWORD_CHARS};

pub const NAME_ID: &str = "users-name";
pub const PASSWORD_ID: &str = "users-password";
pub const RESET_ID: &str = "users-reset-password";

#[derive(Debug, Clone)]
pub enum Message {
    /// The list for request `u64` (older answers are dropped).
    Loaded(u64, Result<Vec<UserInfo>, GuiError>),
    NameChanged(String),
    RoleChosen(Role),
    PasswordChanged(Secret),
    RepeatChanged(Secret),
    Add,
    Added(Result<String, GuiError>),
    AskRemove(String),
    CancelRemove,
    ConfirmRemove,
    Removed(Result<String, GuiError>),
    /// Open the new-password form for this user (oneself or, as admin, anyone).
    StartReset(String),
    ResetPasswordChanged(Secret),
    ResetRepeatChanged(Secret),
    SaveReset,
    CancelReset,
    ResetDone(Result<String, GuiError>),
    Close,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Close,
}

/// What is wrong with a form, shown in place; nothing was sent to the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoName,
    TooShort,
    Mismatch,
    Failed(GuiError),
}

/// The last thing that worked, shown as a line above the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Added(String),
    Removed(String),
    PasswordSet(String),
}

pub struct State {
    handle: RegisterHandle,
    lang: Lang,
    users: Vec<UserInfo>,
    request: u64,
    loaded: bool,
    busy: bool,
    name: String,
    role: Role,
    password: Zeroizing<String>,
    repeat: Zeroizing<String>,
    /// The form's problem (add form, or reset form while it is open).
    problem: Option<Problem>,
    notice: Option<Notice>,
    removing: Option<String>,
    reset_for: Option<String>,
    reset_password: Zeroizing<String>,
    reset_repeat: Zeroizing<String>,
}

fn check_new(password: &str, repeat: &str) -> Option<Problem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(Problem::TooShort)
    } else if password != repeat {
        Some(Problem::Mismatch)
    } else {
        None
    }
}

impl State {
    pub fn new(handle: RegisterHandle, lang: Lang) -> (State, Task<Message>) {
        let mut state = State {
            handle,
            lang,
            users: Vec::new(),
            request: 0,
            loaded: false,
            busy: false,
            name: String::new(),
            role: Role::Agent,
            password: Zeroizing::new(String::new()),
            repeat: Zeroizing::new(String::new()),
            problem: None,
            notice: None,
            removing: None,
            reset_for: None,
            reset_password: Zeroizing::new(String::new()),
            reset_repeat: Zeroizing::new(String::new()),
        };
        let task = state.reload();
        (state, task)
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub fn users(&self) -> &[UserInfo] {
        &self.users
    }

    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn removing(&self) -> Option<&str> {
        self.removing.as_deref()
    }

    pub fn reset_for(&self) -> Option<&str> {
        self.reset_for.as_deref()
    }

    pub fn request(&self) -> u64 {
        self.request
    }

    fn may_manage(&self) -> bool {
        permit::allows(self.handle.session().role, Permission::ManageUsers)
    }

    /// Asks for the list again (admins only: for others it would be refused).
    fn reload(&mut self) -> Task<Message> {
        self.request += 1;
        if !self.may_manage() {
            self.loaded = true;
            return Task::none();
        }
        let request = self.request;
        Task::perform(self.handle.call(|reg| reg.list_users()), move |r| {
            Message::Loaded(request, r)
        })
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Loaded(request, result) => {
                if request != self.request {
                    return Action::None;
                }
                self.loaded = true;
                match result {
                    Ok(users) => self.users = users,
                    Err(e) => self.problem = Some(Problem::Failed(e)),
                }
            }
            Message::NameChanged(n) => {
                self.name = n;
                self.problem = None;
            }
            Message::RoleChosen(r) => self.role = r,
            Message::PasswordChanged(Secret(p)) => {
                self.password = Zeroizing::new(p);
                self.problem = None;
            }
            Message::RepeatChanged(Secret(p)) => {
                self.repeat = Zeroizing::new(p);
                self.problem = None;
            }
            Message::Add => return self.add(),
            Message::Added(result) => {
                self.busy = false;
                match result {
                    Ok(name) => {
                        self.name.clear();
                        self.password = Zeroizing::new(String::new());
                        self.repeat = Zeroizing::new(String::new());
                        self.notice = Some(Notice::Added(name));
                        return Action::Run(self.reload());
                    }
                    Err(e) => self.problem = Some(Problem::Failed(e)),
                }
            }
            Message::AskRemove(name) => {
                self.removing = Some(name);
                self.problem = None;
            }
            Message::CancelRemove => self.removing = None,
            Message::ConfirmRemove => {
                let Some(name) = self.removing.take() else {
                    return Action::None;
                };
                if self.busy {
                    return Action::None;
                }
                self.busy = true;
                return Action::Run(Task::perform(
                    self.handle
                        .call(move |reg| reg.remove_user(&name).map(|()| name)),
                    Message::Removed,
                ));
            }
            Message::Removed(result) => {
                self.busy = false;
                match result {
                    Ok(name) => {
                        self.notice = Some(Notice::Removed(name));
                        return Action::Run(self.reload());
                    }
                    Err(e) => self.problem = Some(Problem::Failed(e)),
                }
            }
            Message::StartReset(name) => {
                self.reset_for = Some(name);
                self.reset_password = Zeroizing::new(String::new());
                self.reset_repeat = Zeroizing::new(String::new());
                self.problem = None;
                return Action::Run(iced::widget::operation::focus(RESET_ID));
            }
            Message::ResetPasswordChanged(Secret(p)) => {
                self.reset_password = Zeroizing::new(p);
                self.problem = None;
            }
            Message::ResetRepeatChanged(Secret(p)) => {
                self.reset_repeat = Zeroizing::new(p);
                self.problem = None;
            }
            Message::SaveReset => return self.save_reset(),
            Message::CancelReset => {
                self.reset_for = None;
                self.reset_password = Zeroizing::new(String::new());
                self.reset_repeat = Zeroizing::new(String::new());
                self.problem = None;
            }
            Message::ResetDone(result) => {
                self.busy = false;
                match result {
                    Ok(name) => {
                        self.reset_for = None;
                        self.reset_password = Zeroizing::new(String::new());
                        self.reset_repeat = Zeroizing::new(String::new());
                        self.notice = Some(Notice::PasswordSet(name));
                        return Action::Run(self.reload());
                    }
                    Err(e) => self.problem = Some(Problem::Failed(e)),
                }
            }
            Message::Close => return Action::Close,
        }
        Action::None
    }

    fn add(&mut self) -> Action {
        if self.busy || !self.may_manage() {
            return Action::None;
        }
        let name = self.name.trim().to_owned();
        let problem = if name.is_empty() {
            Some(Problem::NoName)
        } else {
            check_new(&self.password, &self.repeat)
        };
        if let Some(p) = problem {
            self.problem = Some(p);
            return Action::None;
        }
        self.busy = true;
        self.problem = None;
        let (role, password) = (self.role, self.password.clone());
        Action::Run(Task::perform(
            self.handle
                .call(move |reg| reg.add_user(&name, role, &password).map(|()| name)),
            Message::Added,
        ))
    }

    fn save_reset(&mut self) -> Action {
        let Some(name) = self.reset_for.clone() else {
            return Action::None;
        };
        if self.busy {
            return Action::None;
        }
        if let Some(p) = check_new(&self.reset_password, &self.reset_repeat) {
            self.problem = Some(p);
            return Action::None;
        }
        self.busy = true;
        self.problem = None;
        let password = self.reset_password.clone();
        Action::Run(Task::perform(
            self.handle
                .call(move |reg| reg.change_password(&name, &password).map(|()| name)),
            Message::ResetDone,
        ))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let me = self.handle.session().user.clone();
        let role = self.handle.session().role;
        let idle = !self.busy;
        let mut body = column![
            row![
                button(text(t(lang, "users-back")))
                    .padding([6, 12])
                    .style(theme::secondary_button)
                    .on_press(Message::Close),
                text(t(lang, "users-title")).size(24),
            ]
            .spacing(16)
            .align_y(Center),
            text(tf(
                lang,
                "users-signed-in",
                &[("user", &me), ("role", role_label(lang, role))]
            ))
            .size(14)
            .color(theme::MUTED_TEXT),
        ]
        .spacing(12);

        if let Some(notice) = &self.notice {
            let (key, name) = match notice {
                Notice::Added(n) => ("users-added", n),
                Notice::Removed(n) => ("users-removed", n),
                Notice::PasswordSet(n) => ("users-password-set", n),
            };
            body = body.push(text(tf(lang, key, &[("user", name)])).color(theme::ALLOWED));
        }
        if self.reset_for.is_none() {
            if let Some(p) = &self.problem {
                body = body.push(problem_view(lang, p));
            }
        }

        // Own password: everyone.
        body = body.push(
            button(text(t(lang, "users-own-password")))
                .padding([6, 12])
                .style(theme::secondary_button)
                .on_press_maybe(idle.then(|| Message::StartReset(me.clone()))),
        );
        if let Some(name) = &self.reset_for {
            body = body.push(self.reset_form(name));
        }

        if let Some(note) = permit::note(role, Permission::ManageUsers, lang) {
            return page(body.push(note));
        }
        if !self.loaded {
            return page(body.push(text(t(lang, "users-loading")).color(theme::MUTED_TEXT)));
        }

        let mut list = column![].spacing(6);
        for u in &self.users {
            let mut line = row![
                text(&u.name).size(16).width(Fill),
                text(role_label(lang, u.role)).size(14).width(210),
            ]
            .spacing(12)
            .align_y(Center);
            if !u.can_sign_in {
                line = line.push(theme::badge(t(lang, "users-no-password"), theme::DENIED));
            }
            line = line.push(
                button(text(t(lang, "users-reset")).size(14))
                    .padding([4, 10])
                    .style(theme::secondary_button)
                    .on_press_maybe(idle.then(|| Message::StartReset(u.name.clone()))),
            );
            // Removing oneself is refused by the register; the button says so by being off.
            line = line.push(
                button(text(t(lang, "users-remove")).size(14))
                    .padding([4, 10])
                    .style(theme::secondary_button)
                    .on_press_maybe(
                        (idle && u.name != me).then(|| Message::AskRemove(u.name.clone())),
                    ),
            );
            list = list.push(container(line.padding([6, 10])).style(theme::card_style));
            if self.removing.as_deref() == Some(u.name.as_str()) {
                list = list.push(
                    row![
                        text(tf(lang, "users-remove-confirm", &[("user", &u.name)])),
                        button(text(t(lang, "users-remove-yes")))
                            .padding([4, 10])
                            .style(theme::primary_button)
                            .on_press_maybe(idle.then_some(Message::ConfirmRemove)),
                        button(text(t(lang, "users-cancel")))
                            .padding([4, 10])
                            .style(theme::link_button)
                            .on_press(Message::CancelRemove),
                    ]
                    .spacing(10)
                    .align_y(Center),
                );
            }
        }
        body = body.push(list).push(self.add_form());
        page(body)
    }

    fn add_form(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let idle = !self.busy;
        let mut roles = row![].spacing(6);
        for r in ROLES {
            let style = if r == self.role {
                theme::primary_button
            } else {
                theme::secondary_button
            };
            roles = roles.push(
                button(text(role_label(lang, r)).size(14))
                    .padding([4, 10])
                    .style(style)
                    .on_press(Message::RoleChosen(r)),
            );
        }
        let form = column![
            text(t(lang, "users-add-title")).size(18),
            text_input(t(lang, "users-name-placeholder"), &self.name)
                .id(Id::new(NAME_ID))
                .on_input_maybe(idle.then_some(Message::NameChanged))
                .on_submit(Message::Add)
                .padding(8),
            roles,
            text(t(lang, "users-role-help"))
                .size(13)
                .color(theme::MUTED_TEXT),
            text_input(t(lang, "users-password-placeholder"), &self.password)
                .id(Id::new(PASSWORD_ID))
                .secure(true)
                .on_input_maybe(idle.then_some(|s| Message::PasswordChanged(Secret(s))))
                .on_submit(Message::Add)
                .padding(8),
            text_input(t(lang, "users-repeat-placeholder"), &self.repeat)
                .secure(true)
                .on_input_maybe(idle.then_some(|s| Message::RepeatChanged(Secret(s))))
                .on_submit(Message::Add)
                .padding(8),
            button(text(t(lang, "users-add")))
                .padding([8, 18])
                .style(theme::primary_button)
                .on_press_maybe(idle.then_some(Message::Add)),
        ]
        .spacing(8);
        container(form.padding(14)).style(theme::card_style).into()
    }

    fn reset_form<'a>(&'a self, name: &str) -> Element<'a, Message> {
        let lang = self.lang;
        let idle = !self.busy;
        let mut form = column![
            text(tf(lang, "users-reset-title", &[("user", name)])).size(18),
            text_input(t(lang, "users-password-placeholder"), &self.reset_password)
                .id(Id::new(RESET_ID))
                .secure(true)
                .on_input_maybe(idle.then_some(|s| Message::ResetPasswordChanged(Secret(s))))
                .on_submit(Message::SaveReset)
                .padding(8),
            text_input(t(lang, "users-repeat-placeholder"), &self.reset_repeat)
                .secure(true)
                .on_input_maybe(idle.then_some(|s| Message::ResetRepeatChanged(Secret(s))))
                .on_submit(Message::SaveReset)
                .padding(8),
        ]
        .spacing(8);
        if let Some(p) = &self.problem {
            form = form.push(problem_view(lang, p));
        }
        form = form.push(
            row![
                button(text(t(lang, "users-reset-save")))
                    .padding([8, 18])
                    .style(theme::primary_button)
                    .on_press_maybe(idle.then_some(Message::SaveReset)),
                button(text(t(lang, "users-cancel")))
                    .padding([8, 14])
                    .style(theme::link_button)
                    .on_press(Message::CancelReset),
            ]
            .spacing(12),
        );
        container(form.padding(14)).style(theme::card_style).into()
    }
}

fn role_label(lang: Lang, role: Role) -> &'static str {
    t(
        lang,
        match role {
            Role::Agent => "users-role-agent",
            Role::Officer => "users-role-officer",
            Role::Auditor => "users-role-auditor",
            Role::Admin => "users-role-admin",
        },
    )
}

fn problem_view<'a>(lang: Lang, problem: &'a Problem) -> Element<'a, Message> {
    let key = match problem {
        Problem::NoName => "users-no-name",
        Problem::TooShort => "users-too-short",
        Problem::Mismatch => "users-mismatch",
        Problem::Failed(e) => {
            return theme::error_box(
                column![text(t(lang, "users-failed")), text(e.message(lang))].spacing(4),
            )
        }
    };
    theme::error_box(text(t(lang, key)))
}

fn page(body: iced::widget::Column<'_, Message>) -> Element<'_, Message> {
    scrollable(container(body.padding(24).max_width(860)).center_x(Fill))
        .height(Fill)
        .into()
}
