//! The idle lock: `update()` tests feeding the clock as `Tick` instants (nothing sleeps),
//! and the setting on the settings screen.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use iced::Settings;
use iced_test::Simulator;

use super::fixture;
use crate::gui::file_dialog::PreparedChooser;
use crate::gui::import::{Kind, Slot};
use crate::gui::{import, search, tools, unlock, App, Launch, Message, Screen};
use crate::i18n::{t, Lang};

const MINUTE: Duration = Duration::from_secs(60);

fn launch(dir: &Path) -> Launch {
    Launch {
        register: None,
        lang: Some(Lang::En),
        preferences: Some(dir.join("config/settings.json")),
        data_dir: Some(dir.join("data")),
    }
}

fn settings_file(dir: &Path) -> PathBuf {
    dir.join("config/settings.json")
}

/// An app with the demo register open on the search screen, and the instant of the last
/// input (fed as a message, as the event subscription would).
fn open_app(dir: &Path) -> (App, fixture::TestRegister, Instant) {
    let (reg, handle) = fixture::demo();
    let (mut app, _) = App::new(launch(dir));
    let _ = app.update(Message::Unlock(unlock::Message::Opened(Ok(
        unlock::Unlocked {
            handle,
            path: reg.path.clone(),
            demo: false,
        },
    ))));
    assert!(matches!(app.screen(), Screen::Search { .. }));
    let t0 = Instant::now();
    let _ = app.update(Message::Input(t0));
    (app, reg, t0)
}

/// Whether the app's view shows `text` somewhere.
fn shows(app: &App, text: &str) -> bool {
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), app.view());
    ui.find(text).is_ok()
}

fn is_open(app: &App) -> bool {
    matches!(app.screen(), Screen::Search { .. })
}

fn locked(app: &App) -> &unlock::State {
    match app.screen() {
        Screen::Unlock(s) => s,
        _ => panic!("expected the unlock screen"),
    }
}

#[test]
fn locks_at_the_limit_and_not_before() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, reg, t0) = open_app(dir.path());
    assert_eq!(app.idle_lock_minutes(), 10, "the default");
    assert!(shows(&app, t(Lang::En, "app-lock")));
    for after in [
        Duration::ZERO,
        5 * MINUTE,
        10 * MINUTE - Duration::from_secs(1),
    ] {
        let _ = app.update(Message::Tick(t0 + after));
        assert!(is_open(&app), "still open after {after:?}");
    }
    let _ = app.update(Message::Tick(t0 + 10 * MINUTE));
    let state = locked(&app);
    assert_eq!(
        state.path(),
        reg.path.display().to_string(),
        "same register offered"
    );
    assert_eq!(state.locked_after(), Some(10));
    assert!(state.passphrase_is_empty());
    assert_eq!(state.mode(), unlock::Mode::Open);
    assert_eq!(
        app.title(),
        "Consentry",
        "no register name left in the title"
    );

    // What is on screen: the lock message, nothing of the register.
    assert!(shows(&app, "Locked after 10 minutes without input"));
    assert!(shows(&app, t(Lang::En, "unlock-title")));
    assert!(!shows(&app, "Müller"));
    assert!(!shows(&app, t(Lang::En, "app-lock")));

    // Ticks on the unlock screen change nothing; the German message.
    let _ = app.update(Message::Tick(t0 + 60 * MINUTE));
    let _ = app.update(Message::SetLang(Lang::De));
    assert!(shows(&app, "Nach 10 Minuten ohne Eingabe gesperrt"));
}

#[test]
fn a_late_tick_locks_too_and_the_contact_goes_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _reg, t0) = open_app(dir.path());
    let _ = app.update(Message::Search(search::Message::QueryChanged(
        "Müller".into(),
    )));
    let (seq, rows) = match app.screen() {
        Screen::Search { handle, search, .. } => {
            (search.request(), fixture::search(handle, "Müller"))
        }
        _ => unreachable!(),
    };
    assert!(!rows.is_empty());
    let _ = app.update(Message::Search(search::Message::Searched(seq, Ok(rows))));
    let _ = app.update(Message::Search(search::Message::Open(0)));
    assert!(matches!(
        app.screen(),
        Screen::Search {
            contact: Some(_),
            ..
        }
    ));
    let _ = app.update(Message::Tick(t0 + 3 * 60 * MINUTE));
    assert_eq!(locked(&app).locked_after(), Some(10));
}

#[test]
fn input_starts_the_idle_time_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _reg, t0) = open_app(dir.path());
    let _ = app.update(Message::Input(t0 + 8 * MINUTE));
    let _ = app.update(Message::Tick(t0 + 12 * MINUTE));
    assert!(is_open(&app), "only 4 minutes since the last input");
    // An input that arrives late with an older instant does not move the clock back.
    let _ = app.update(Message::Input(t0 + MINUTE));
    let _ = app.update(Message::Tick(t0 + 17 * MINUTE + Duration::from_secs(59)));
    assert!(is_open(&app));
    let _ = app.update(Message::Tick(t0 + 18 * MINUTE));
    assert_eq!(locked(&app).locked_after(), Some(10));
}

#[test]
fn zero_minutes_never_locks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _reg, t0) = open_app(dir.path());
    let _ = app.update(Message::IdleMinutesChanged("0".into()));
    assert_eq!(app.idle_lock_minutes(), 0);
    for hours in [1, 8, 100] {
        let _ = app.update(Message::Tick(t0 + hours * 60 * MINUTE));
        assert!(is_open(&app), "open after {hours} h");
    }
}

#[test]
fn a_running_import_postpones_the_lock_until_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _reg, t0) = open_app(dir.path());
    let chooser = PreparedChooser::default();
    chooser.answer(vec![
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.jsonl")
    ]);
    app.set_chooser(chooser.chooser());
    let tool = |m: import::Message| Message::Tool(tools::Message::Import(m));
    let _ = app.update(Message::OpenTool(tools::Which::Import));
    let _ = app.update(tool(import::Message::KindChosen(Kind::Ledger)));
    let choose = app.update(tool(import::Message::Choose(Slot::Main)));
    for m in fixture::run_task(choose) {
        for m in fixture::run_task(app.update(m)) {
            let _ = app.update(m);
        }
    }
    let job = app.update(tool(import::Message::Start));
    let running = |app: &App| {
        matches!(
            app.screen(),
            Screen::Search {
                tool: Some(tools::Tool::Import(s)),
                ..
            } if s.running()
        )
    };
    assert!(running(&app), "the import runs");

    let _ = app.update(Message::Tick(t0 + 30 * MINUTE));
    assert!(is_open(&app), "not locked while the job holds the register");
    assert!(running(&app));

    // The job ends: the postponed lock comes with its last message.
    for m in fixture::run_task(job) {
        let _ = app.update(m);
    }
    assert_eq!(locked(&app).locked_after(), Some(10));
}

#[test]
fn input_during_a_job_cancels_the_postponed_lock() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _reg, t0) = open_app(dir.path());
    let chooser = PreparedChooser::default();
    chooser.answer(vec![
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.jsonl")
    ]);
    app.set_chooser(chooser.chooser());
    let tool = |m: import::Message| Message::Tool(tools::Message::Import(m));
    let _ = app.update(Message::OpenTool(tools::Which::Import));
    let _ = app.update(tool(import::Message::KindChosen(Kind::Ledger)));
    let choose = app.update(tool(import::Message::Choose(Slot::Main)));
    for m in fixture::run_task(choose) {
        for m in fixture::run_task(app.update(m)) {
            let _ = app.update(m);
        }
    }
    let job = app.update(tool(import::Message::Start));
    let _ = app.update(Message::Tick(t0 + 11 * MINUTE));
    let _ = app.update(Message::Input(t0 + 12 * MINUTE));
    for m in fixture::run_task(job) {
        let _ = app.update(m);
    }
    assert!(is_open(&app), "the user came back before the job ended");
    let _ = app.update(Message::Tick(t0 + 21 * MINUTE));
    assert!(is_open(&app));
    let _ = app.update(Message::Tick(t0 + 22 * MINUTE));
    assert!(!is_open(&app));
}

#[test]
fn the_setting_is_saved_and_an_invalid_value_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _reg, t0) = open_app(dir.path());
    let _ = app.update(Message::OpenSettings);
    let _ = app.update(Message::IdleMinutesChanged("25".into()));
    assert_eq!(app.idle_lock_minutes(), 25);
    assert!(!app.idle_refused());
    let text = std::fs::read_to_string(settings_file(dir.path())).unwrap();
    assert!(text.contains("\"idle_lock_minutes\": 25"), "{text}");

    for bad in ["241", "-5", "1.5", "zehn", ""] {
        let _ = app.update(Message::IdleMinutesChanged(bad.into()));
        assert!(app.idle_refused(), "{bad:?} refused");
        assert_eq!(app.idle_lock_minutes(), 25, "{bad:?} keeps the setting");
    }
    assert!(shows(
        &app,
        "Please give whole minutes from 0 to 240. The lock stays at 25 minutes."
    ));
    let text = std::fs::read_to_string(settings_file(dir.path())).unwrap();
    assert!(text.contains("\"idle_lock_minutes\": 25"), "{text}");

    // The saved time applies now and at the next start.
    let _ = app.update(Message::Tick(t0 + 24 * MINUTE));
    assert!(is_open(&app));
    let _ = app.update(Message::Tick(t0 + 25 * MINUTE));
    assert_eq!(locked(&app).locked_after(), Some(25));
    let (again, _) = App::new(launch(dir.path()));
    assert_eq!(again.idle_lock_minutes(), 25);
}

#[test]
fn the_settings_screen_shows_the_idle_time_as_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _reg, _) = open_app(dir.path());
    let _ = app.update(Message::OpenSettings);
    assert!(shows(&app, t(Lang::En, "app-idle-lock")));
    assert!(!shows(&app, "Please give whole minutes"));
}
