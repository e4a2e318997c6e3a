//! The screen as a user meets it, through the iced_test simulator at 1280×800: clicks and
//! typing produce messages, which the test feeds back into `update`; snapshots are compared
//! with the baselines in tests/snapshots (rendered with ICED_TEST_BACKEND=tiny-skia, TZ=UTC).

use iced::Theme;

use super::*;

#[test]
fn expanding_shows_the_events_a_verdict_rests_on_and_evidence_fields() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let email = &s.contact_view().unwrap().channels[0].1;
    let first = email.event_ids[0].clone();
    let mut ui = sim(s.view());
    assert!(ui.find(first.as_str()).is_err());
    let show = tf(
        Lang::En,
        "contact-channel-show-events",
        &[("count", &email.event_ids.len().to_string())],
    );
    ui.click(show.as_str()).unwrap();
    let actions = {
        let messages: Vec<Message> = ui.into_messages().collect();
        feed(&mut s, messages)
    };
    assert!(actions.iter().all(|a| matches!(a, Action::None)));
    assert!(s.open_channels.contains(&Channel::Email));

    let view = s.contact_view().unwrap();
    let request = view
        .events
        .iter()
        .find(|e| e.kind.type_name() == "consent_requested")
        .unwrap();
    s.update(Message::ToggleEvent(request.id_str().to_owned()));
    let mut ui = sim(s.view());
    assert!(ui.find("203.0.113.10").is_ok() || ui.find(t(Lang::En, "form-field-ip")).is_ok());
    assert!(ui.find(t(Lang::En, "form-field-consent_text_id")).is_ok());
}

#[test]
fn presumed_consent_is_offered_for_a_business_contact_only() {
    let f = fixture();
    let label = t(Lang::En, "form-open-presumed_consent_documented");
    let s = open(&f.handle, "K-1001", Lang::En);
    assert!(sim(s.view()).find(label).is_err());
    let s = open(&f.handle, "K-1006", Lang::En);
    assert!(sim(s.view()).find(label).is_ok());
}

#[test]
fn simulator_record_an_objection_by_letter_turns_every_badge_red() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let mut ui = sim(s.view());
    assert!(ui.find("allowed").is_ok(), "email starts allowed");
    ui.click(t(Lang::En, "form-open-objection")).unwrap();
    {
        let messages: Vec<Message> = ui.into_messages().collect();
        feed(&mut s, messages)
    };
    assert_eq!(s.form().unwrap().kind, FormKind::Objection);

    let mut ui = sim(s.view());
    ui.click(t(Lang::En, "form-via-letter")).unwrap();
    ui.click(iced::widget::Id::new("form-note")).unwrap();
    ui.typewrite("Brief vom 28.11.");
    // Enter in a text box submits a valid form.
    ui.tap_key(iced::keyboard::Key::Named(
        iced::keyboard::key::Named::Enter,
    ));
    let actions = {
        let messages: Vec<Message> = ui.into_messages().collect();
        feed(&mut s, messages)
    };
    assert!(
        actions.iter().any(|a| matches!(a, Action::Run(_))),
        "Save starts the write"
    );
    assert!(matches!(run_write(&mut s), Action::Changed));

    let mut ui = sim(s.view());
    assert!(
        ui.find("allowed").is_err(),
        "no channel is allowed any more"
    );
    assert!(ui.find("denied").is_ok());
    assert!(ui.find(t(Lang::En, "contact-event-objection")).is_ok());
    let view = s.contact_view().unwrap();
    let newest = timeline::newest_first(&view.events)[0];
    assert_eq!(newest.note.as_deref(), Some("Brief vom 28.11."));
    assert!(matches!(
        &newest.kind,
        EventKind::Objection { scope: ObjectionScope::All, via: Some(v) } if v == "letter"
    ));
    for (channel, verdict, code) in verdicts(&s) {
        assert_eq!(
            (verdict, code),
            (Verdict::Denied, "DENY_OBJECTION"),
            "{channel}"
        );
    }
}

#[test]
fn simulator_a_form_refuses_bad_input_with_the_problem_in_view() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    pin(&mut s);
    let before = event_count(&f.handle, "K-1001");
    let mut ui = sim(s.view());
    ui.click(t(Lang::En, "form-open-purchase")).unwrap();
    {
        let messages: Vec<Message> = ui.into_messages().collect();
        feed(&mut s, messages)
    };
    s.update(Message::Form(FormMessage::Date("2026-06-01".into())));
    s.update(Message::Form(FormMessage::Time("11:00".into())));

    let mut ui = sim(s.view());
    ui.click(iced::widget::Id::new("form-order_ref")).unwrap();
    ui.typewrite("A-1");
    ui.click(t(Lang::En, "form-save")).unwrap();
    let actions = {
        let messages: Vec<Message> = ui.into_messages().collect();
        feed(&mut s, messages)
    };
    assert!(actions.iter().all(|a| matches!(a, Action::None)));
    assert_eq!(event_count(&f.handle, "K-1001"), before);

    let mut ui = sim(s.view());
    assert!(ui.find(t(Lang::En, "form-error-required")).is_ok());
    assert!(ui
        .snapshot(&Theme::Light)
        .unwrap()
        .matches_image("tests/snapshots/contact_purchase_form_error")
        .unwrap());
}

#[test]
fn simulator_snapshot_of_erika_in_german() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::De);
    pin(&mut s);
    let mut ui = sim(s.view());
    assert!(ui.find("Erika Mustermann").is_ok());
    assert!(ui.find(t(Lang::De, "verdict-allowed")).is_ok());
    assert!(ui
        .snapshot(&Theme::Light)
        .unwrap()
        .matches_image("tests/snapshots/contact_erika_de")
        .unwrap());
}

#[test]
fn later_events_are_marked_when_looking_into_the_past() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let later = t(Lang::En, "contact-timeline-later");
    assert!(sim(s.view()).find(later).is_err());
    s.update(Message::AsOfDate("2000-01-01".into()));
    load(&mut s);
    assert!(sim(s.view()).find(later).is_ok());
}

#[test]
fn the_language_switch_rewrites_the_date_and_every_label() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    s.update(Message::AsOfDate("2026-03-12".into()));
    s.set_lang(Lang::De);
    assert_eq!(s.as_of_date, "12.03.2026");
    let mut ui = sim(s.view());
    assert!(ui.find(t(Lang::De, "contact-back")).is_ok());
    assert!(ui.find(t(Lang::De, "form-open-objection")).is_ok());
}

#[test]
fn simulator_snapshot_of_the_objection_form() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    pin(&mut s);
    s.update(Message::OpenForm(FormKind::Objection));
    s.update(Message::Form(FormMessage::Date("2026-06-01".into())));
    s.update(Message::Form(FormMessage::Time("09:15".into())));
    s.update(Message::Form(FormMessage::Text("via", "letter".into())));
    let mut ui = sim(s.view());
    assert!(ui.find(t(Lang::En, "form-objection-explain")).is_ok());
    assert!(ui
        .snapshot(&Theme::Light)
        .unwrap()
        .matches_image("tests/snapshots/contact_objection_form_en")
        .unwrap());
}

#[test]
fn a_known_address_fills_the_identifier_in_one_click() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    s.update(Message::OpenForm(FormKind::ConsentConfirmed));
    let mut ui = sim(s.view());
    let use_email = tf(
        Lang::En,
        "form-identifier-use",
        &[("id", "erika@example.de")],
    );
    ui.click(use_email.as_str()).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    feed(&mut s, messages);
    assert_eq!(s.form().unwrap().text("identifier"), "erika@example.de");
}
