//! The policy settings screen: all-or-nothing saves, problems next to their field, and the
//! root refreshing verdicts after a change.

use iced::{Settings, Theme};
use iced_test::Simulator;

use super::fixture;
use crate::gui::policy::{Action, Message, State};
use crate::gui::{search, unlock, App, Key, Launch, Screen};
use crate::i18n::{t, Lang};

/// The screen with the register's values loaded (its load task really run).
fn loaded(handle: &crate::gui::handle::RegisterHandle, lang: Lang) -> State {
    let (mut s, task) = State::new(handle.clone(), lang);
    for m in fixture::run_task(task) {
        let _ = s.update(m);
    }
    s
}

fn stale_months(handle: &crate::gui::handle::RegisterHandle) -> u32 {
    handle
        .call_blocking(|reg| reg.policy())
        .unwrap()
        .consent_stale_after_months
}

/// Presses Save and feeds the write's answer back; returns what the screen asked of the root.
fn save(s: &mut State) -> Action {
    let Action::Run(task) = s.update(Message::Save) else {
        panic!("Save with changes starts a write");
    };
    let mut last = Action::None;
    for m in fixture::run_task(task) {
        last = s.update(m);
    }
    last
}

#[test]
fn the_register_values_are_shown_and_a_valid_change_is_written() {
    let (_reg, handle) = fixture::demo();
    let mut s = loaded(&handle, Lang::De);
    let keys: Vec<&str> = s.fields().iter().map(|f| f.key).collect();
    assert_eq!(keys, crate::domain::policy::POLICY_KEYS.to_vec());
    assert_eq!(s.fields()[0].value, "18");

    assert!(
        matches!(s.update(Message::Save), Action::None),
        "nothing to save"
    );
    let _ = s.update(Message::Edited(0, " 24 ".into()));
    assert!(matches!(save(&mut s), Action::Changed));
    assert!(s.saved());
    assert_eq!(s.fields()[0].stored, "24");
    assert_eq!(stale_months(&handle), 24);
}

#[test]
fn one_bad_value_writes_nothing_and_is_shown_at_its_field() {
    let (_reg, handle) = fixture::demo();
    let mut s = loaded(&handle, Lang::En);
    let _ = s.update(Message::Edited(0, "30".into()));
    let _ = s.update(Message::Edited(1, "Not A Purpose!".into()));
    assert!(matches!(save(&mut s), Action::None));
    assert_eq!(s.fields()[0].problem, None);
    assert!(s.fields()[1].problem.is_some());
    assert_eq!(
        stale_months(&handle),
        18,
        "the valid change was not written either"
    );
    assert!(!s.saved());

    let _ = s.update(Message::Edited(1, "newsletter".into()));
    assert_eq!(s.fields()[1].problem, None, "editing clears the problem");
}

#[test]
fn settings_open_from_the_search_and_close_with_esc_and_a_change_refreshes_the_list() {
    let (reg, handle) = fixture::demo();
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..Launch::default()
    });
    let _ = app.update(crate::gui::Message::Unlock(unlock::Message::Opened(Ok(
        unlock::Unlocked {
            handle: handle.clone(),
            path: reg.path.clone(),
            demo: false,
        },
    ))));
    let _ = app.update(crate::gui::Message::Search(search::Message::QueryChanged(
        "Müller".into(),
    )));
    let before = match app.screen() {
        Screen::Search { search, .. } => search.request(),
        _ => unreachable!(),
    };

    for m in fixture::run_task(app.update(crate::gui::Message::OpenSettings)) {
        let _ = app.update(m);
    }
    assert!(matches!(
        app.screen(),
        Screen::Search {
            policy: Some(_),
            ..
        }
    ));
    // Arrows and Enter do not reach the hidden list.
    let _ = app.update(crate::gui::Message::Key(Key::Enter));
    assert!(matches!(app.screen(), Screen::Search { contact: None, .. }));

    let _ = app.update(crate::gui::Message::Policy(Message::Edited(0, "6".into())));
    let task = app.update(crate::gui::Message::Policy(Message::Save));
    for m in fixture::run_task(task) {
        let _ = app.update(m);
    }
    match app.screen() {
        Screen::Search { search, .. } => {
            assert!(search.request() > before, "the list asks again");
            assert_eq!(search.query(), "Müller");
        }
        _ => unreachable!(),
    }

    let _ = app.update(crate::gui::Message::Key(Key::Escape));
    assert!(matches!(app.screen(), Screen::Search { policy: None, .. }));
    assert_eq!(stale_months(&handle), 6);
}

#[test]
fn simulator_the_problem_shows_next_to_the_field() {
    let (_reg, handle) = fixture::demo();
    let mut s = loaded(&handle, Lang::De);
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), s.view());
    ui.click(iced::widget::Id::new("policy-consent_stale_after_months"))
        .unwrap();
    ui.typewrite("x");
    let messages: Vec<Message> = ui.into_messages().collect();
    for m in messages {
        let _ = s.update(m);
    }
    // Save is enabled only once there is a change, so it is clicked on the next frame.
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), s.view());
    ui.click(t(Lang::De, "policy-save")).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    let mut tasks = Vec::new();
    for m in messages {
        if let Action::Run(task) = s.update(m) {
            tasks.push(task);
        }
    }
    assert_eq!(tasks.len(), 1, "one save");
    for task in tasks {
        for m in fixture::run_task(task) {
            let _ = s.update(m);
        }
    }
    let problem = s.fields()[0].problem.clone().expect("a problem");
    assert!(problem.contains("18x"), "{problem}");
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), s.view());
    assert!(ui.find(problem.as_str()).is_ok());
    assert_eq!(stale_months(&handle), 18);
    if std::env::var("ICED_TEST_BACKEND").as_deref() == Ok("tiny-skia") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots/policy-problem-de");
        assert!(ui
            .snapshot(&Theme::Light)
            .unwrap()
            .matches_image(path)
            .unwrap());
    }
}
