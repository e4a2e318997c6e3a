//! `update()` tests of the Search screen: stale answers, keyboard, states.

use super::fixture;
use crate::gui::handle::GuiError;
use crate::gui::search::{Action, Message, Results, State};
use crate::i18n::Lang;

fn found(s: &State) -> Vec<String> {
    match s.results() {
        Results::Found(rows) => rows.iter().map(|r| r.summary.contact.id.clone()).collect(),
        other => panic!("expected results, got {other:?}"),
    }
}

#[test]
fn typing_starts_a_search_and_a_stale_answer_is_dropped() {
    let (_reg, handle) = fixture::demo();
    let (mut s, _) = State::new(handle.clone(), Lang::De);
    assert!(matches!(s.results(), Results::Empty));

    assert!(matches!(
        s.update(Message::QueryChanged("M".into())),
        Action::Run(_)
    ));
    let first = s.request();
    assert!(matches!(s.results(), Results::Searching));
    let _ = s.update(Message::QueryChanged("Müller".into()));
    let second = s.request();
    assert!(second > first);

    let muellers = fixture::search(&handle, "Müller");
    let ms = fixture::search(&handle, "M");
    assert!(muellers.len() >= 2, "the demo has several Müllers");
    assert_ne!(muellers.len(), ms.len());

    // The newer answer arrives first; the older one must not replace it.
    let _ = s.update(Message::Searched(second, Ok(muellers.clone())));
    let _ = s.update(Message::Searched(first, Ok(ms)));
    let want: Vec<String> = muellers
        .iter()
        .map(|r| r.summary.contact.id.clone())
        .collect();
    assert_eq!(found(&s), want);
    // …nor an older error.
    let _ = s.update(Message::Searched(first, Err(GuiError::other("late"))));
    assert_eq!(found(&s), want);
}

#[test]
fn every_row_is_a_mueller_with_four_channels() {
    let (_reg, handle) = fixture::demo();
    let rows = fixture::search(&handle, "Müller");
    for r in &rows {
        let c = &r.summary.contact;
        let text = format!("{} {}", c.name, c.company.clone().unwrap_or_default());
        assert!(text.contains("Müller"), "{text}");
        assert_eq!(r.channels.len(), 4);
    }
    // Mueller finds the same people (the store folds umlauts).
    assert_eq!(fixture::search(&handle, "Mueller").len(), rows.len());
}

#[test]
fn a_phone_number_in_another_notation_finds_the_person() {
    let (_reg, handle) = fixture::demo();
    let rows = fixture::search(&handle, "0171/1234567");
    assert!(rows.iter().any(|r| r
        .summary
        .contact
        .phones
        .contains(&"+491711234567".to_owned())));
}

#[test]
fn arrows_move_the_selection_within_the_list_and_enter_opens_it() {
    let (_reg, handle) = fixture::demo();
    let (mut s, _) = State::new(handle.clone(), Lang::De);
    let _ = s.update(Message::QueryChanged("Müller".into()));
    let rows = fixture::search(&handle, "Müller");
    let n = rows.len();
    assert!(n >= 2);
    let _ = s.update(Message::Searched(s.request(), Ok(rows.clone())));
    assert_eq!(s.selected(), 0);

    let _ = s.update(Message::Up);
    assert_eq!(s.selected(), 0, "Up at the top stays at the top");
    let _ = s.update(Message::Down);
    assert_eq!(s.selected(), 1);
    for _ in 0..n + 3 {
        let _ = s.update(Message::Down);
    }
    assert_eq!(
        s.selected(),
        n - 1,
        "Down at the bottom stays at the bottom"
    );
    let _ = s.update(Message::Up);
    assert_eq!(s.selected(), n - 2);

    match s.update(Message::OpenSelected) {
        Action::Open(id) => assert_eq!(id, rows[n - 2].summary.contact.id),
        _ => panic!("Enter opens the selected contact"),
    }
    match s.update(Message::Open(0)) {
        Action::Open(id) => assert_eq!(id, rows[0].summary.contact.id),
        _ => panic!("a click opens that row"),
    }
    assert_eq!(s.selected(), 0);
    assert!(matches!(s.update(Message::Open(n + 10)), Action::None));
}

#[test]
fn a_refresh_keeps_the_selected_contact() {
    let (_reg, handle) = fixture::demo();
    let (mut s, _) = State::new(handle.clone(), Lang::De);
    let _ = s.update(Message::QueryChanged("Müller".into()));
    let rows = fixture::search(&handle, "Müller");
    let _ = s.update(Message::Searched(s.request(), Ok(rows.clone())));
    let _ = s.update(Message::Down);
    let chosen = s.selected_contact().unwrap().to_owned();

    let _ = s.refresh();
    assert_eq!(s.query(), "Müller");
    let mut reordered = rows.clone();
    reordered.reverse();
    let _ = s.update(Message::Searched(s.request(), Ok(reordered)));
    assert_eq!(s.selected_contact(), Some(chosen.as_str()));
}

#[test]
fn escape_clears_the_box_and_drops_answers_on_their_way() {
    let (_reg, handle) = fixture::demo();
    let (mut s, _) = State::new(handle.clone(), Lang::De);
    let _ = s.update(Message::QueryChanged("Müller".into()));
    let pending = s.request();
    assert!(matches!(s.update(Message::Clear), Action::Run(_)));
    assert_eq!(s.query(), "");
    assert!(matches!(s.results(), Results::Empty));
    let _ = s.update(Message::Searched(
        pending,
        Ok(fixture::search(&handle, "Müller")),
    ));
    assert!(matches!(s.results(), Results::Empty));
    assert!(matches!(s.update(Message::OpenSelected), Action::None));
}

#[test]
fn no_results_and_errors_are_states_of_their_own() {
    let (_reg, handle) = fixture::demo();
    let (mut s, _) = State::new(handle.clone(), Lang::En);
    let _ = s.update(Message::QueryChanged("Zzyzx".into()));
    let _ = s.update(Message::Searched(
        s.request(),
        Ok(fixture::search(&handle, "Zzyzx")),
    ));
    assert!(matches!(s.results(), Results::Found(rows) if rows.is_empty()));
    assert!(matches!(s.update(Message::OpenSelected), Action::None));

    let _ = s.update(Message::QueryChanged("Zzyzxa".into()));
    let _ = s.update(Message::Searched(
        s.request(),
        Err(GuiError::other("locked")),
    ));
    assert!(matches!(s.results(), Results::Failed(e) if e.message(Lang::En) == "locked"));

    // Deleting the text goes back to the empty state without asking the register.
    assert!(matches!(
        s.update(Message::QueryChanged("  ".into())),
        Action::Run(_)
    ));
    assert!(matches!(s.results(), Results::Empty));
}

#[test]
fn an_outdated_search_skips_the_work_and_the_newest_one_answers() {
    let (_reg, handle) = fixture::demo();
    let (mut s, _) = State::new(handle, Lang::De);
    let Action::Run(first) = s.update(Message::QueryChanged("Müller".into())) else {
        panic!("typing starts a search");
    };
    let Action::Run(second) = s.update(Message::QueryChanged("Müller ".into())) else {
        panic!("typing starts a search");
    };
    // Both ask for "Müller"; only the newer one does the work.
    let answers = fixture::run_task(first);
    assert!(matches!(&answers[..], [Message::Searched(1, Ok(rows))] if rows.is_empty()));
    let answers = fixture::run_task(second);
    assert!(matches!(&answers[..], [Message::Searched(2, Ok(rows))] if rows.len() >= 2));
    for m in answers {
        let _ = s.update(m);
    }
    assert!(found(&s).len() >= 2);
}
