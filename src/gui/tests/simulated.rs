//! `iced_test` simulator tests: the real views, clicked and typed into headlessly, with
//! snapshot baselines in `tests/snapshots/` (rendered with `ICED_TEST_BACKEND=tiny-skia`).

use std::path::PathBuf;

use iced::keyboard::key;
use iced::widget::Id;
use iced::{Settings, Theme};
use iced_test::Simulator;

use super::fixture;
use crate::gui::handle::GuiError;
use crate::gui::{search, unlock, App, Launch, Message, Screen};
use crate::i18n::{t, Lang};
use crate::register::Register;

const SIZE: (f32, f32) = (1280.0, 800.0);

fn ui(app: &App) -> Simulator<'_, Message> {
    Simulator::with_size(Settings::default(), SIZE, app.view())
}

/// Feeds what the simulator produced back into the app, like the runtime does.
fn feed(app: &mut App, messages: Vec<Message>) {
    for m in messages {
        let _ = app.update(m);
    }
}

/// Compares with (or on first run creates) `tests/snapshots/<name>-tiny-skia.png`.
fn assert_snapshot(ui: &mut Simulator<'_, Message>, name: &str) {
    if std::env::var("ICED_TEST_BACKEND").as_deref() != Ok("tiny-skia") {
        // Baselines are tiny-skia renderings; another renderer would only write new files.
        eprintln!("snapshot {name} skipped: set ICED_TEST_BACKEND=tiny-skia (scripts/test does)");
        return;
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    let snapshot = ui.snapshot(&Theme::Light).unwrap();
    assert!(
        snapshot.matches_image(&path).unwrap(),
        "{name} differs from its baseline in tests/snapshots (delete the file to accept a new look)"
    );
}

/// A register under a fixed relative path, so the path field renders the same everywhere.
fn register_at_fixed_path(name: &str) -> PathBuf {
    let path = PathBuf::from("target/gui-tests").join(name);
    // Also what an interrupted earlier run may have left beside it (-wal, -shm, .keys).
    for suffix in ["", "-wal", "-shm", "-journal", ".keys"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Register::create(&path, fixture::PASSPHRASE).unwrap();
    path
}

#[test]
fn unlock_with_a_wrong_passphrase_shows_the_error_in_place() {
    let path = register_at_fixed_path("wrong-passphrase.db");
    let (mut app, _) = App::new(Launch {
        register: Some(path.clone()),
        lang: Some(Lang::De),
        ..Launch::default()
    });

    let mut ui1 = ui(&app);
    ui1.click(Id::new(unlock::PASSPHRASE_ID)).unwrap();
    ui1.typewrite("falsch");
    ui1.tap_key(key::Named::Enter);
    let messages: Vec<Message> = ui1.into_messages().collect();
    feed(&mut app, messages);
    match app.screen() {
        Screen::Unlock(s) => assert_eq!(s.busy(), Some(unlock::Busy::Opening)),
        _ => panic!("still on the unlock screen"),
    }

    // The runtime would now run the open task off the UI thread; the test runs it here.
    let err = GuiError::from(Register::open(&path, "falsch").err().unwrap());
    let _ = app.update(Message::Unlock(unlock::Message::Opened(Err(err))));

    let mut ui2 = ui(&app);
    assert!(ui2.find(t(Lang::De, "unlock-wrong-passphrase")).is_ok());
    assert!(
        ui2.find(t(Lang::De, "unlock-demo")).is_err(),
        "no data dir, no demo button"
    );
    assert_snapshot(&mut ui2, "unlock-wrong-passphrase");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(crate::store::keyring_path(&path));
}

#[test]
fn the_create_form_asks_twice_and_refuses_a_mismatch() {
    let (mut app, _) = App::new(Launch {
        register: Some(PathBuf::from("target/gui-tests/not-there.db")),
        lang: Some(Lang::En),
        ..Launch::default()
    });
    let mut ui1 = ui(&app);
    ui1.click(t(Lang::En, "unlock-to-create")).unwrap();
    let messages: Vec<Message> = ui1.into_messages().collect();
    feed(&mut app, messages);

    let mut ui2 = ui(&app);
    ui2.click(Id::new(unlock::PASSPHRASE_ID)).unwrap();
    ui2.typewrite("correct horse battery");
    ui2.click(Id::new(unlock::REPEAT_ID)).unwrap();
    ui2.typewrite("correct horse battery!");
    ui2.click(t(Lang::En, "unlock-create")).unwrap();
    let messages: Vec<Message> = ui2.into_messages().collect();
    feed(&mut app, messages);

    let mut ui3 = ui(&app);
    assert!(ui3.find(t(Lang::En, "unlock-mismatch")).is_ok());
    assert!(ui3.find(t(Lang::En, "unlock-strength-strong")).is_ok());
    assert_snapshot(&mut ui3, "unlock-create-mismatch");
}

/// The app on the search screen of a 60-contact demo register.
fn app_on_search() -> (
    App,
    crate::gui::handle::RegisterHandle,
    fixture::TestRegister,
) {
    let (reg, handle) = fixture::demo();
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..Launch::default()
    });
    let _ = app.update(Message::Unlock(unlock::Message::Opened(Ok(
        unlock::Unlocked {
            handle: handle.clone(),
            path: reg.path.clone(),
            demo: false,
        },
    ))));
    (app, handle, reg)
}

fn request(app: &App) -> u64 {
    match app.screen() {
        Screen::Search { search, .. } => search.request(),
        _ => panic!("expected the search screen"),
    }
}

#[test]
fn the_empty_search_tells_what_to_type() {
    let (app, _handle, _reg) = app_on_search();
    let mut ui1 = ui(&app);
    assert!(ui1.find(t(Lang::De, "search-empty")).is_ok());
    assert_snapshot(&mut ui1, "search-empty");
}

#[test]
fn typing_mueller_lists_the_muellers_and_a_click_opens_one() {
    let (mut app, handle, _reg) = app_on_search();
    let mut ui1 = ui(&app);
    ui1.click(Id::new(search::QUERY_ID)).unwrap();
    ui1.typewrite("Müller");
    let messages: Vec<Message> = ui1.into_messages().collect();
    feed(&mut app, messages);

    // The runtime would run the search task; the test runs the same search at a fixed instant.
    let rows = fixture::search(&handle, "Müller");
    assert!(rows.len() >= 2);
    let seq = request(&app);
    let _ = app.update(Message::Search(search::Message::Searched(
        seq,
        Ok(rows.clone()),
    )));

    let mut ui2 = ui(&app);
    for r in &rows {
        assert!(
            ui2.find(r.summary.contact.display_name()).is_ok(),
            "{} is listed",
            r.summary.contact.display_name()
        );
    }
    assert!(ui2.find(t(Lang::De, "search-empty")).is_err());
    assert_snapshot(&mut ui2, "search-mueller");

    let second = rows[1].summary.contact.display_name().to_owned();
    ui2.click(second.as_str()).unwrap();
    let messages: Vec<Message> = ui2.into_messages().collect();
    feed(&mut app, messages);
    assert!(matches!(
        app.screen(),
        Screen::Search {
            contact: Some(_),
            ..
        }
    ));
}

#[test]
fn a_search_without_matches_says_so() {
    let (mut app, _handle, _reg) = app_on_search();
    let _ = app.update(Message::Search(search::Message::QueryChanged(
        "Zzyzx".into(),
    )));
    let seq = request(&app);
    let _ = app.update(Message::Search(search::Message::Searched(
        seq,
        Ok(Vec::new()),
    )));
    let mut ui1 = ui(&app);
    let expected = crate::i18n::tf(Lang::De, "search-none", &[("query", "Zzyzx")]);
    assert!(ui1.find(expected.as_str()).is_ok());
}

#[test]
fn a_phone_number_typed_differently_finds_erika_in_english() {
    let (mut app, handle, _reg) = app_on_search();
    let _ = app.update(Message::SetLang(Lang::En));
    let _ = app.update(Message::Search(search::Message::QueryChanged(
        "0171/1234567".into(),
    )));
    let rows = fixture::search(&handle, "0171/1234567");
    let seq = request(&app);
    let _ = app.update(Message::Search(search::Message::Searched(seq, Ok(rows))));

    let mut ui1 = ui(&app);
    assert!(ui1.find("Erika Mustermann").is_ok());
    assert!(ui1.find("+491711234567").is_ok());
    assert!(ui1.find(t(Lang::En, "search-count-one")).is_ok());
    assert!(
        ui1.find(t(Lang::En, "app-lock")).is_ok(),
        "the header is English too"
    );
    assert_snapshot(&mut ui1, "search-phone-en");
}

#[test]
fn a_first_start_points_to_create_and_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        data_dir: Some(dir.path().to_path_buf()),
        ..Launch::default()
    });
    let mut ui1 = ui(&app);
    assert!(ui1.find(t(Lang::De, "unlock-first-start")).is_ok());
    assert!(ui1.find(t(Lang::De, "unlock-demo")).is_ok());
    drop(ui1);
    let _ = app.update(Message::Unlock(unlock::Message::PathChanged(
        "/anderswo/register.db".into(),
    )));
    let mut ui2 = ui(&app);
    assert!(ui2.find(t(Lang::De, "unlock-first-start")).is_err());
}
