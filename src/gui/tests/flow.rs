//! The flow through the whole app, with its tasks really run (on a test tokio
//! runtime): search → open a contact → record an objection → every badge turns red, in
//! the contact screen and in the search list behind it.

use iced::Settings;
use iced_test::Simulator;

use super::fixture;
use crate::domain::Verdict;
use crate::gui::search::Results;
use crate::gui::{search, unlock, App, Key, Launch, Message, Screen};
use crate::i18n::{t, Lang};

/// Feeds messages into the app and runs the tasks they start, until nothing is left.
fn drive(app: &mut App, messages: Vec<Message>) {
    let mut queue = std::collections::VecDeque::from(messages);
    let mut steps = 0;
    while let Some(message) = queue.pop_front() {
        steps += 1;
        assert!(steps < 500, "the app keeps producing messages");
        queue.extend(fixture::run_task(app.update(message)));
    }
}

fn ui(app: &App) -> Simulator<'_, Message> {
    Simulator::with_size(Settings::default(), (1280.0, 800.0), app.view())
}

fn listed(app: &App) -> Vec<crate::register::SearchResult> {
    match app.screen() {
        Screen::Search { search, .. } => match search.results() {
            Results::Found(rows) => rows.clone(),
            other => panic!("expected results, got {other:?}"),
        },
        _ => panic!("expected the search screen"),
    }
}

#[test]
fn search_open_record_an_objection_and_every_badge_turns_red() {
    let (reg, handle) = fixture::demo();
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..Launch::default()
    });
    drive(
        &mut app,
        vec![Message::Unlock(unlock::Message::Opened(Ok(
            unlock::Unlocked {
                handle,
                path: reg.path.clone(),
                demo: false,
            },
        )))],
    );

    // Type "Müller" into the box, as a user would.
    let mut screen = ui(&app);
    screen
        .click(iced::widget::Id::new(search::QUERY_ID))
        .unwrap();
    screen.typewrite("Müller");
    let messages: Vec<Message> = screen.into_messages().collect();
    drive(&mut app, messages);

    // Someone who may still be contacted on some channel.
    let rows = listed(&app);
    let target = rows
        .iter()
        .find(|r| {
            r.channels
                .iter()
                .any(|(_, d)| d.verdict == Verdict::Allowed)
        })
        .expect("a Müller with an allowed channel")
        .summary
        .contact
        .clone();

    // Click the row: the contact screen opens and loads.
    let mut screen = ui(&app);
    screen.click(target.display_name()).unwrap();
    let messages: Vec<Message> = screen.into_messages().collect();
    drive(&mut app, messages);
    let Screen::Search {
        contact: Some(contact),
        ..
    } = app.screen()
    else {
        panic!("the contact screen is open");
    };
    let view = contact.contact_view().expect("the contact is loaded");
    assert_eq!(view.contact.id, target.id);
    assert!(view.channels.iter().any(|(_, d)| d.allowed()));

    // Record an objection against all direct marketing through the contact screen's form.
    let mut screen = ui(&app);
    screen.click(t(Lang::De, "form-open-objection")).unwrap();
    let messages: Vec<Message> = screen.into_messages().collect();
    drive(&mut app, messages);
    let mut screen = ui(&app);
    screen.click(t(Lang::De, "form-save")).unwrap();
    let messages: Vec<Message> = screen.into_messages().collect();
    drive(&mut app, messages);

    let Screen::Search {
        contact: Some(contact),
        ..
    } = app.screen()
    else {
        panic!("still on the contact screen");
    };
    let view = contact.contact_view().unwrap();
    assert!(
        view.channels.iter().all(|(_, d)| !d.allowed()),
        "every channel is denied after the objection: {:?}",
        view.channels
    );

    // Esc closes the contact; the list was refreshed and shows the same red strip.
    drive(&mut app, vec![Message::Key(Key::Escape)]);
    assert!(matches!(app.screen(), Screen::Search { contact: None, .. }));
    let row = listed(&app)
        .into_iter()
        .find(|r| r.summary.contact.id == target.id)
        .expect("still listed");
    assert!(row
        .channels
        .iter()
        .all(|(_, d)| d.verdict == Verdict::Denied));
    match app.screen() {
        Screen::Search { search, .. } => {
            assert_eq!(search.query(), "Müller");
            assert_eq!(search.selected_contact(), Some(target.id.as_str()));
        }
        _ => unreachable!(),
    }
    // The snapshot-free check of what is drawn: the row is still on screen.
    let mut screen = ui(&app);
    assert!(screen.find(target.display_name()).is_ok());
}
