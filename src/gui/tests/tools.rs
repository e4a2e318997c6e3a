//! Import and List screening from the root: opened from the header, Esc back to the
//! search, and an import that wrote refreshes the list.

use iced::{Settings, Theme};
use iced_test::Simulator;

use super::fixture;
use super::import::{mailchimp_file, open};
use crate::gui::file_dialog::PreparedChooser;
use crate::gui::tools::{self, Tool, Which};
use crate::gui::{import, unlock, App, Key, Launch, Message, Screen};
use crate::i18n::{t, Lang};

fn unlocked(reg: &fixture::TestRegister, chooser: &PreparedChooser) -> App {
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..Launch::default()
    });
    app.set_chooser(chooser.chooser());
    let _ = app.update(Message::Unlock(unlock::Message::Opened(Ok(
        unlock::Unlocked {
            handle: open(reg),
            path: reg.path.clone(),
            demo: false,
        },
    ))));
    app
}

fn which(app: &App) -> Option<Which> {
    match app.screen() {
        Screen::Search { tool, .. } => tool.as_ref().map(Tool::which),
        _ => None,
    }
}

fn request(app: &App) -> u64 {
    match app.screen() {
        Screen::Search { search, .. } => search.request(),
        _ => unreachable!(),
    }
}

/// Runs what a message starts, feeding the results back as the runtime would.
fn run(app: &mut App, m: Message) {
    let mut queue = vec![m];
    while let Some(m) = queue.pop() {
        let task = app.update(m);
        queue.extend(fixture::run_task(task).into_iter().rev());
    }
}

#[test]
fn the_header_opens_both_tools_and_esc_goes_back_to_the_search() {
    let reg = fixture::empty();
    let chooser = PreparedChooser::default();
    let mut app = unlocked(&reg, &chooser);
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), app.view());
    ui.click(t(Lang::De, "tools-screening")).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    for m in messages {
        let _ = app.update(m);
    }
    assert_eq!(which(&app), Some(Which::Screening));
    let _ = app.update(Message::Key(Key::Escape));
    assert_eq!(which(&app), None);

    let _ = app.update(Message::OpenTool(Which::Import));
    assert_eq!(which(&app), Some(Which::Import));
    // Enter on an incomplete form starts nothing (and does not reach the hidden list).
    let _ = app.update(Message::Key(Key::Enter));
    assert!(matches!(app.screen(), Screen::Search { contact: None, .. }));
    let _ = app.update(Message::Key(Key::Escape));
    assert_eq!(which(&app), None);
}

#[test]
fn an_import_through_the_root_refreshes_the_list() {
    let reg = fixture::empty();
    let chooser = PreparedChooser::default();
    chooser.answer(vec![mailchimp_file("subscribed.csv")]);
    let mut app = unlocked(&reg, &chooser);
    let _ = app.update(Message::OpenTool(Which::Import));
    let im = |m: import::Message| Message::Tool(tools::Message::Import(m));
    run(
        &mut app,
        im(import::Message::Choose(import::Slot::Subscribed)),
    );
    run(&mut app, im(import::Message::ConsentTextId("CT-1".into())));
    run(&mut app, im(import::Message::Purpose("newsletter".into())));
    let before = request(&app);
    // Enter starts the import once the form is complete.
    run(&mut app, Message::Key(Key::Enter));
    assert!(request(&app) > before, "the list asks again");
    let Screen::Search {
        tool: Some(Tool::Import(s)),
        ..
    } = app.screen()
    else {
        panic!("the import screen stays open");
    };
    assert!(matches!(s.run_state(), import::Run::Done(o) if o.contacts_added == 3));

    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), app.view());
    assert!(ui.find(t(Lang::De, "imp-done")).is_ok());
    if std::env::var("ICED_TEST_BACKEND").as_deref() == Ok("tiny-skia") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots/app-import-done-de");
        assert!(ui
            .snapshot(&Theme::Light)
            .unwrap()
            .matches_image(path)
            .unwrap());
    }
}
