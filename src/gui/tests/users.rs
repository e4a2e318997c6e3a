//! `update()` tests of the Users screen, with its register tasks run as the runtime would.

use super::fixture;
use crate::domain::Role;
use crate::gui::handle::RegisterHandle;
use crate::gui::unlock::Secret;
use crate::gui::users::{Action, Message, Notice, Problem, State};
use crate::gui::{App, Key, Launch, Message as AppMessage, Screen};
use crate::i18n::Lang;
use crate::register::Register;

/// Runs the action's task and feeds every message back; repeats for follow-up tasks.
fn settle(s: &mut State, action: Action) {
    let mut pending = vec![action];
    while let Some(action) = pending.pop() {
        if let Action::Run(task) = action {
            for m in fixture::run_task(task) {
                pending.push(s.update(m));
            }
        }
    }
}

fn open(s: &mut State, m: Message) {
    let action = s.update(m);
    settle(s, action);
}

fn names(s: &State) -> Vec<(String, Role)> {
    s.users().iter().map(|u| (u.name.clone(), u.role)).collect()
}

fn admin_screen(reg: &fixture::TestRegister) -> State {
    let handle = RegisterHandle::new(Register::open(&reg.path, fixture::PASSPHRASE).unwrap());
    let (mut s, task) = State::new(handle, Lang::De);
    settle(&mut s, Action::Run(task));
    s
}

fn fill_add(s: &mut State, name: &str, role: Role, pw: &str, repeat: &str) {
    let _ = s.update(Message::NameChanged(name.into()));
    let _ = s.update(Message::RoleChosen(role));
    let _ = s.update(Message::PasswordChanged(Secret(pw.into())));
    let _ = s.update(Message::RepeatChanged(Secret(repeat.into())));
}

#[test]
fn an_admin_adds_a_user_with_a_role_and_the_form_is_checked_first() {
    let reg = fixture::empty();
    let mut s = admin_screen(&reg);
    assert_eq!(names(&s), [("admin".to_owned(), Role::Admin)]);

    fill_add(&mut s, "erika", Role::Officer, "erika-pw-1", "erika-pw-2");
    assert!(matches!(s.update(Message::Add), Action::None));
    assert_eq!(s.problem(), Some(&Problem::Mismatch));
    fill_add(&mut s, "erika", Role::Officer, "ab", "ab");
    assert!(matches!(s.update(Message::Add), Action::None));
    assert_eq!(s.problem(), Some(&Problem::TooShort));
    fill_add(&mut s, " ", Role::Officer, "erika-pw-1", "erika-pw-1");
    assert!(matches!(s.update(Message::Add), Action::None));
    assert_eq!(s.problem(), Some(&Problem::NoName));

    fill_add(&mut s, "erika", Role::Officer, "erika-pw-1", "erika-pw-1");
    open(&mut s, Message::Add);
    assert_eq!(s.notice(), Some(&Notice::Added("erika".into())));
    assert_eq!(
        names(&s),
        [
            ("admin".to_owned(), Role::Admin),
            ("erika".to_owned(), Role::Officer)
        ]
    );
    let erika = Register::open_as(&reg.path, "erika", "erika-pw-1").unwrap();
    assert_eq!(erika.session().role, Role::Officer);

    // The same name again: the register's refusal is shown in place.
    fill_add(&mut s, "erika", Role::Agent, "other-pw", "other-pw");
    open(&mut s, Message::Add);
    match s.problem() {
        Some(Problem::Failed(e)) => {
            assert!(e.message(Lang::En).contains("already exists"), "{e:?}")
        }
        other => panic!("expected the refusal, got {other:?}"),
    }
}

#[test]
fn remove_asks_first_and_reset_sets_a_new_password() {
    let reg = fixture::empty();
    {
        let mut admin = Register::open(&reg.path, fixture::PASSPHRASE).unwrap();
        admin.add_user("max", Role::Agent, "max-pw-1").unwrap();
        admin
            .add_user("erika", Role::Officer, "erika-pw-1")
            .unwrap();
    }
    let mut s = admin_screen(&reg);
    // Reset erika's password: checked, then set.
    open(&mut s, Message::StartReset("erika".into()));
    assert_eq!(s.reset_for(), Some("erika"));
    let _ = s.update(Message::ResetPasswordChanged(Secret("neu-1234".into())));
    let _ = s.update(Message::ResetRepeatChanged(Secret("neu-9999".into())));
    assert!(matches!(s.update(Message::SaveReset), Action::None));
    assert_eq!(s.problem(), Some(&Problem::Mismatch));
    let _ = s.update(Message::ResetRepeatChanged(Secret("neu-1234".into())));
    open(&mut s, Message::SaveReset);
    assert_eq!(s.notice(), Some(&Notice::PasswordSet("erika".into())));
    assert_eq!(s.reset_for(), None);
    assert!(Register::open_as(&reg.path, "erika", "erika-pw-1").is_err());
    Register::open_as(&reg.path, "erika", "neu-1234").unwrap();

    // Remove: first a question, cancel changes nothing; confirm removes.
    let _ = s.update(Message::AskRemove("max".into()));
    assert_eq!(s.removing(), Some("max"));
    let _ = s.update(Message::CancelRemove);
    assert_eq!(s.removing(), None);
    assert_eq!(s.users().len(), 3);
    let _ = s.update(Message::AskRemove("max".into()));
    open(&mut s, Message::ConfirmRemove);
    assert_eq!(s.notice(), Some(&Notice::Removed("max".into())));
    assert!(!s.users().iter().any(|u| u.name == "max"));
    assert!(Register::open_as(&reg.path, "max", "max-pw-1").is_err());

    // Removing oneself is refused by the register, shown in place.
    let _ = s.update(Message::AskRemove("admin".into()));
    open(&mut s, Message::ConfirmRemove);
    assert!(
        matches!(s.problem(), Some(Problem::Failed(e)) if e.message(Lang::En).contains("yourself"))
    );
}

#[test]
fn a_non_admin_sees_no_list_but_can_change_their_own_password() {
    let reg = fixture::empty();
    {
        let mut admin = Register::open(&reg.path, fixture::PASSPHRASE).unwrap();
        admin.add_user("max", Role::Agent, "max-pw-1").unwrap();
    }
    let handle = RegisterHandle::new(Register::open_as(&reg.path, "max", "max-pw-1").unwrap());
    let (mut s, task) = State::new(handle, Lang::En);
    settle(&mut s, Action::Run(task));
    assert!(s.users().is_empty());
    fill_add(&mut s, "mallory", Role::Admin, "mallory-pw", "mallory-pw");
    assert!(matches!(s.update(Message::Add), Action::None));
    open(&mut s, Message::StartReset("max".into()));
    let _ = s.update(Message::ResetPasswordChanged(Secret("max-pw-2".into())));
    let _ = s.update(Message::ResetRepeatChanged(Secret("max-pw-2".into())));
    open(&mut s, Message::SaveReset);
    assert_eq!(s.notice(), Some(&Notice::PasswordSet("max".into())));
    Register::open_as(&reg.path, "max", "max-pw-2").unwrap();
    assert!(Register::open_as(&reg.path, "mallory", "mallory-pw").is_err());
}

#[test]
fn a_stale_list_is_dropped() {
    let reg = fixture::empty();
    let mut s = admin_screen(&reg);
    let old = s.request() - 1;
    let _ = s.update(Message::Loaded(old, Ok(Vec::new())));
    assert_eq!(s.users().len(), 1);
}

#[test]
fn settings_lead_to_the_users_screen_and_escape_goes_back() {
    let reg = fixture::empty();
    let handle = RegisterHandle::new(Register::open(&reg.path, fixture::PASSPHRASE).unwrap());
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..Launch::default()
    });
    let _ = app.update(AppMessage::Unlock(crate::gui::unlock::Message::Opened(Ok(
        crate::gui::unlock::Unlocked {
            handle,
            path: reg.path.clone(),
            demo: false,
        },
    ))));
    let _ = app.update(AppMessage::OpenSettings);
    let _ = app.update(AppMessage::OpenUsers);
    assert!(matches!(
        app.screen(),
        Screen::Search {
            users: Some(_),
            policy: Some(_),
            ..
        }
    ));
    let _ = app.update(AppMessage::Key(Key::Escape));
    assert!(matches!(
        app.screen(),
        Screen::Search {
            users: None,
            policy: Some(_),
            ..
        }
    ));
}

#[test]
fn the_users_screen_shows_roles_and_the_add_form() {
    let reg = fixture::empty();
    {
        let mut admin = Register::open(&reg.path, fixture::PASSPHRASE).unwrap();
        admin
            .add_user("erika.m", Role::Officer, "erika-pw-1")
            .unwrap();
    }
    let mut s = admin_screen(&reg);
    let _ = s.update(Message::AskRemove("erika.m".into()));
    let mut ui =
        iced_test::Simulator::with_size(iced::Settings::default(), (1280.0, 800.0), s.view());
    for needle in [
        "Benutzer",
        "erika.m",
        "Datenschutzbeauftragte(r)",
        "Administrator(in)",
        "Benutzer hinzufügen",
        "erika.m entfernen? Die Anmeldung ist danach nicht mehr möglich.",
    ] {
        assert!(ui.find(needle).is_ok(), "{needle}");
    }
    if std::env::var("ICED_TEST_BACKEND").as_deref() == Ok("tiny-skia") {
        let path =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/users-de");
        assert!(ui
            .snapshot(&iced::Theme::Light)
            .unwrap()
            .matches_image(&path)
            .unwrap());
    }
}
