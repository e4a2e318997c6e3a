//! `update()` tests of the app root: remembered settings, screen changes, keyboard routing.

use std::path::{Path, PathBuf};

use super::fixture;
use crate::gui::handle::RegisterHandle;
use crate::gui::{search, unlock, App, Key, Launch, Message, Screen};
use crate::i18n::Lang;

fn launch(dir: &Path) -> Launch {
    Launch {
        register: None,
        lang: None,
        preferences: Some(dir.join("config/settings.json")),
        data_dir: Some(dir.join("data")),
    }
}

fn unlock_path(app: &App) -> String {
    match app.screen() {
        Screen::Unlock(s) => s.path().to_owned(),
        _ => panic!("expected the unlock screen"),
    }
}

fn search_state(app: &App) -> &search::State {
    match app.screen() {
        Screen::Search { search, .. } => search,
        _ => panic!("expected the search screen"),
    }
}

fn contact_open(app: &App) -> bool {
    matches!(
        app.screen(),
        Screen::Search {
            contact: Some(_),
            ..
        }
    )
}

fn unlocked(handle: RegisterHandle, path: PathBuf, demo: bool) -> Message {
    Message::Unlock(unlock::Message::Opened(Ok(unlock::Unlocked {
        handle,
        path,
        demo,
    })))
}

/// An app on the search screen of a demo register, with "Müller" typed and answered.
fn searching_muellers() -> (App, Vec<String>, fixture::TestRegister) {
    let (reg, handle) = fixture::demo();
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..Launch::default()
    });
    let _ = app.update(unlocked(handle.clone(), reg.path.clone(), false));
    let _ = app.update(Message::Search(search::Message::QueryChanged(
        "Müller".into(),
    )));
    let rows = fixture::search(&handle, "Müller");
    let ids = rows.iter().map(|r| r.summary.contact.id.clone()).collect();
    let seq = search_state(&app).request();
    let _ = app.update(Message::Search(search::Message::Searched(seq, Ok(rows))));
    (app, ids, reg)
}

#[test]
fn the_first_path_is_db_else_the_last_one_else_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = App::new(launch(dir.path()));
    assert_eq!(
        PathBuf::from(unlock_path(&app)),
        dir.path().join("data/register.db")
    );

    crate::gui::settings::Preferences {
        lang: None,
        last_register: Some(PathBuf::from("/srv/firma.db")),
        ..Default::default()
    }
    .save(&dir.path().join("config/settings.json"))
    .unwrap();
    let (app, _) = App::new(launch(dir.path()));
    assert_eq!(unlock_path(&app), "/srv/firma.db");

    let (app, _) = App::new(Launch {
        register: Some(PathBuf::from("/tmp/explizit.db")),
        ..launch(dir.path())
    });
    assert_eq!(unlock_path(&app), "/tmp/explizit.db");
}

#[test]
fn the_language_is_switchable_and_remembered_and_lang_wins() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..launch(dir.path())
    });
    assert_eq!(app.lang(), Lang::De);
    let _ = app.update(Message::SetLang(Lang::En));
    assert_eq!(app.lang(), Lang::En);

    let (again, _) = App::new(launch(dir.path()));
    assert_eq!(again.lang(), Lang::En, "remembered across starts");
    let (forced, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..launch(dir.path())
    });
    assert_eq!(
        forced.lang(),
        Lang::De,
        "--lang beats the remembered language"
    );
}

#[test]
fn unlocking_opens_the_search_and_remembers_the_path_but_not_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let (reg, handle) = fixture::demo();
    let (mut app, _) = App::new(launch(dir.path()));
    let _ = app.update(unlocked(handle.clone(), reg.path.clone(), true));
    assert!(matches!(app.screen(), Screen::Search { demo: true, .. }));
    let (fresh, _) = App::new(launch(dir.path()));
    assert_eq!(
        PathBuf::from(unlock_path(&fresh)),
        dir.path().join("data/register.db")
    );

    let _ = app.update(Message::Lock);
    assert!(matches!(app.screen(), Screen::Unlock(_)));
    let _ = app.update(unlocked(handle, reg.path.clone(), false));
    assert!(matches!(app.screen(), Screen::Search { demo: false, .. }));
    let (fresh, _) = App::new(launch(dir.path()));
    assert_eq!(PathBuf::from(unlock_path(&fresh)), reg.path);
}

#[test]
fn arrows_enter_and_escape_are_routed_to_the_search() {
    let (mut app, ids, _reg) = searching_muellers();
    let _ = app.update(Message::Key(Key::Down));
    let _ = app.update(Message::Key(Key::Down));
    let _ = app.update(Message::Key(Key::Up));
    assert_eq!(search_state(&app).selected_contact(), Some(ids[1].as_str()));

    let _ = app.update(Message::Key(Key::Enter));
    assert!(contact_open(&app), "Enter opens the selected contact");
    // Arrows belong to the contact screen now, not to the hidden list.
    let _ = app.update(Message::Key(Key::Down));
    assert_eq!(search_state(&app).selected(), 1);

    let _ = app.update(Message::Key(Key::Escape));
    assert!(!contact_open(&app), "Esc goes back to the list");
    assert_eq!(search_state(&app).query(), "Müller", "the query is kept");
    assert_eq!(search_state(&app).selected_contact(), Some(ids[1].as_str()));

    let _ = app.update(Message::Key(Key::Escape));
    assert_eq!(
        search_state(&app).query(),
        "",
        "Esc on the list clears the box"
    );
}

#[test]
fn keys_on_the_unlock_screen_do_nothing_but_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = App::new(launch(dir.path()));
    for key in [
        Key::Up,
        Key::Down,
        Key::Enter,
        Key::Escape,
        Key::Tab { shift: true },
    ] {
        let _ = app.update(Message::Key(key));
        assert!(matches!(app.screen(), Screen::Unlock(_)));
    }
}

#[test]
fn the_title_is_consentry_then_names_the_open_register() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = App::new(launch(dir.path()));
    assert_eq!(app.title(), "Consentry");
    let _ = app.update(Message::SetLang(Lang::En));
    assert_eq!(app.title(), "Consentry");
    let (reg, handle) = fixture::demo();
    let _ = app.update(unlocked(handle, reg.path.clone(), false));
    assert_eq!(app.title(), "Consentry — register.db");
}

mod keys {
    use iced::event::Status;
    use iced::keyboard::{self, key, Location, Modifiers};
    use iced::Event;

    use crate::gui::app::key_of_event;
    use crate::gui::Key;

    fn press(named: key::Named, code: key::Code, modifiers: Modifiers) -> Event {
        Event::Keyboard(keyboard::Event::KeyPressed {
            key: keyboard::Key::Named(named),
            modified_key: keyboard::Key::Named(named),
            physical_key: key::Physical::Code(code),
            location: Location::Standard,
            modifiers,
            text: None,
            repeat: false,
        })
    }

    fn route(named: key::Named, code: key::Code, status: Status) -> Option<Key> {
        key_of_event(
            press(named, code, Modifiers::default()),
            status,
            iced::window::Id::unique(),
        )
    }

    #[test]
    fn esc_is_always_the_roots_and_other_keys_only_when_no_widget_used_them() {
        use key::{Code, Named};
        assert_eq!(
            route(Named::Escape, Code::Escape, Status::Captured),
            Some(Key::Escape)
        );
        assert_eq!(
            route(Named::ArrowDown, Code::ArrowDown, Status::Ignored),
            Some(Key::Down)
        );
        assert_eq!(
            route(Named::ArrowUp, Code::ArrowUp, Status::Ignored),
            Some(Key::Up)
        );
        assert_eq!(
            route(Named::ArrowDown, Code::ArrowDown, Status::Captured),
            None
        );
        // Enter in a text box submits that box only.
        assert_eq!(route(Named::Enter, Code::Enter, Status::Captured), None);
        assert_eq!(
            route(Named::Enter, Code::Enter, Status::Ignored),
            Some(Key::Enter)
        );
        assert_eq!(
            route(Named::Tab, Code::Tab, Status::Ignored),
            Some(Key::Tab { shift: false })
        );
        let shift_tab = key_of_event(
            press(Named::Tab, Code::Tab, Modifiers::SHIFT),
            Status::Ignored,
            iced::window::Id::unique(),
        );
        assert_eq!(shift_tab, Some(Key::Tab { shift: true }));
        assert_eq!(route(Named::Home, Code::Home, Status::Ignored), None);
    }
}

#[test]
fn the_last_user_is_remembered_and_offered_again() {
    let dir = tempfile::tempdir().unwrap();
    let user_on_unlock = |app: &App| match app.screen() {
        Screen::Unlock(s) => s.user().to_owned(),
        _ => panic!("expected the unlock screen"),
    };
    let (app, _) = App::new(launch(dir.path()));
    assert_eq!(user_on_unlock(&app), "admin");

    let reg = fixture::empty();
    {
        let mut admin = crate::register::Register::open(&reg.path, fixture::PASSPHRASE).unwrap();
        admin
            .add_user("erika", crate::domain::Role::Officer, "erikas passwort")
            .unwrap();
    }
    let handle = RegisterHandle::new(
        crate::register::Register::open_as(&reg.path, "erika", "erikas passwort").unwrap(),
    );
    let (mut app, _) = App::new(launch(dir.path()));
    let _ = app.update(unlocked(handle, reg.path.clone(), false));
    // Locking offers the same user again, and so does the next start.
    let _ = app.update(Message::Lock);
    assert_eq!(user_on_unlock(&app), "erika");
    let (app, _) = App::new(launch(dir.path()));
    assert_eq!(user_on_unlock(&app), "erika");
    let saved = std::fs::read_to_string(dir.path().join("config/settings.json")).unwrap();
    assert!(saved.contains("\"last_user\": \"erika\""), "{saved}");
    assert!(!saved.contains("passwort"), "{saved}");
}
