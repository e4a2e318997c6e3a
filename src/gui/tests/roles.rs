//! The root and the overlay screens by role: what a role may not do is shown disabled
//! (not hidden) and its message starts nothing; what it may do works as for an admin.

use iced::Settings;
use iced_test::Simulator;

use super::fixture;
use crate::domain::Role;
use crate::gui::handle::RegisterHandle;
use crate::gui::tools::{Tool, Which};
use crate::gui::{audit, policy, unlock, App, Launch, Message, Screen};
use crate::i18n::{t, Lang};
use crate::register::Register;

fn handle_as(reg: &fixture::TestRegister, role: Role) -> RegisterHandle {
    let mut r = Register::open(&reg.path, fixture::PASSPHRASE).unwrap();
    r.set_session_for_test("someone", role);
    RegisterHandle::new(r)
}

fn unlocked_as(reg: &fixture::TestRegister, role: Role) -> App {
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::En),
        ..Launch::default()
    });
    let _ = app.update(Message::Unlock(unlock::Message::Opened(Ok(
        unlock::Unlocked {
            handle: handle_as(reg, role),
            path: reg.path.clone(),
            demo: false,
        },
    ))));
    app
}

fn tool(app: &App) -> Option<Which> {
    match app.screen() {
        Screen::Search { tool, .. } => tool.as_ref().map(Tool::which),
        _ => None,
    }
}

/// The messages a click on the button labelled `label` in the app's window produces.
fn click(app: &App, label: &str) -> Vec<Message> {
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), app.view());
    ui.click(label).expect("the button is shown");
    ui.into_messages().collect()
}

#[test]
fn an_agent_sees_import_disabled_but_may_screen_a_list() {
    let reg = fixture::empty();
    let mut app = unlocked_as(&reg, Role::Agent);
    assert!(click(&app, t(Lang::En, "tools-import")).is_empty());
    // Sent anyway: nothing opens.
    let _ = app.update(Message::OpenTool(Which::Import));
    assert_eq!(tool(&app), None);

    let messages = click(&app, t(Lang::En, "tools-screening"));
    assert_eq!(messages.len(), 1);
    for m in messages {
        let _ = app.update(m);
    }
    assert_eq!(tool(&app), Some(Which::Screening));
}

#[test]
fn an_officer_opens_the_import() {
    let reg = fixture::empty();
    let mut app = unlocked_as(&reg, Role::Officer);
    for m in click(&app, t(Lang::En, "tools-import")) {
        let _ = app.update(m);
    }
    assert_eq!(tool(&app), Some(Which::Import));
}

#[test]
fn the_policy_is_read_only_for_an_officer_and_says_why() {
    let reg = fixture::empty();
    let handle = handle_as(&reg, Role::Officer);
    let (mut s, task) = policy::State::new(handle.clone(), Lang::En);
    for m in fixture::run_task(task) {
        let _ = s.update(m);
    }
    assert!(!s.fields().is_empty(), "the policy is shown");
    let stored = s.fields()[0].value.clone();
    assert!(matches!(
        s.update(policy::Message::Edited(0, "99".into())),
        policy::Action::None
    ));
    assert_eq!(s.fields()[0].value, stored, "typing changes nothing");
    assert!(matches!(
        s.update(policy::Message::Save),
        policy::Action::None
    ));
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), s.view());
    let reason = crate::gui::permit::refusal(
        Role::Officer,
        crate::domain::Permission::ChangeSettings,
        Lang::En,
    )
    .unwrap();
    assert!(ui.find(reason.as_str()).is_ok(), "the reason is on screen");
    ui.click(t(Lang::En, "policy-save")).unwrap();
    assert_eq!(ui.into_messages().count(), 0);
    let after = handle.call_blocking(|r| r.policy()).unwrap();
    assert_eq!(
        after.get(crate::domain::policy::POLICY_KEYS[0]).unwrap(),
        stored
    );
}

#[test]
fn an_agent_cannot_start_the_register_report_or_a_report_check() {
    let reg = fixture::empty();
    let handle = handle_as(&reg, Role::Agent);
    let (mut s, _task) =
        audit::State::new(handle, Lang::En, crate::gui::save_dialog::Chooser::native());
    assert!(matches!(
        s.update(audit::Message::CreateReport),
        audit::Action::None
    ));
    assert!(matches!(
        s.update(audit::Message::Verify),
        audit::Action::None
    ));
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), s.view());
    ui.click(t(Lang::En, "audit-report-create")).unwrap();
    ui.click(t(Lang::En, "audit-verify-choose")).unwrap();
    assert_eq!(ui.into_messages().count(), 0);
}
