//! The contact screen through `update()` (simulator tests in `simulator.rs`). The simulator
//! does not run tasks, so each test performs the register call a task would make (the same
//! `load_view` / `write_and_view` functions) with `call_blocking` and feeds the message back.

use chrono::DateTime;
use iced_test::Simulator;

use super::*;
use crate::demo::demo_ledger;
use crate::domain::{EventKind, ObjectionScope, Relationship, Verdict};
use crate::i18n::tf;

const SIZE: (f32, f32) = (1280.0, 800.0);

fn demo_instant() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
}

/// The screen at the window size the product promises to work at.
fn sim(view: Element<'_, Message>) -> Simulator<'_, Message> {
    Simulator::with_size(Default::default(), SIZE, view)
}

struct Fixture {
    _dir: tempfile::TempDir,
    handle: RegisterHandle,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("contact.db"), "test passphrase").unwrap();
    reg.import_records(demo_ledger(demo_instant(), 7, 40).unwrap())
        .unwrap();
    Fixture {
        _dir: dir,
        handle: RegisterHandle::new(reg),
    }
}

/// Runs the view request the screen's last task would run and feeds the answer back.
fn load(s: &mut State) {
    let at = s.as_of().expect("a valid as-of instant");
    let (id, purpose) = (s.contact_id.clone(), s.purpose.clone());
    let result = s
        .handle
        .call_blocking(|reg| load_view(reg, &id, &purpose, at));
    let key = s.request;
    assert!(matches!(
        s.update(Message::Loaded(key, result)),
        Action::None
    ));
}

fn open(handle: &RegisterHandle, id: &str, lang: Lang) -> State {
    let (mut s, _task) = State::new(handle.clone(), id.into(), lang);
    load(&mut s);
    s
}

/// Pins "as of" to the demo instant, so what the screen shows does not depend on the clock.
fn pin(s: &mut State) {
    let at = demo_instant();
    assert!(matches!(
        s.update(Message::AsOfDate(when::date_text(&at, s.lang))),
        Action::Run(_)
    ));
    assert!(matches!(
        s.update(Message::AsOfTime(when::time_text(&at))),
        Action::Run(_)
    ));
    load(s);
}

/// Performs the write the Submit task would perform and feeds the answer back.
fn run_write(s: &mut State) -> Action {
    let (id, purpose, lang) = (s.contact_id.clone(), s.purpose.clone(), s.lang);
    let submission = s
        .form
        .as_mut()
        .and_then(|f| f.submission(&id, lang))
        .expect("a valid form");
    let result = s
        .handle
        .call_blocking(|reg| write_and_view(reg, &id, &purpose, submission));
    let key = s.request;
    s.update(Message::Recorded(key, result))
}

fn event_count(handle: &RegisterHandle, id: &str) -> usize {
    handle.call_blocking(|reg| reg.events(id)).unwrap().len()
}

fn verdicts(s: &State) -> Vec<(Channel, Verdict, &'static str)> {
    s.contact_view()
        .unwrap()
        .channels
        .iter()
        .map(|(c, d)| (*c, d.verdict, d.reason.as_str()))
        .collect()
}

fn feed(s: &mut State, messages: Vec<Message>) -> Vec<Action> {
    messages.into_iter().map(|m| s.update(m)).collect()
}

mod erase;
mod roles;
mod simulator;

#[test]
fn opening_erika_shows_her_newsletter_verdicts() {
    let f = fixture();
    let s = open(&f.handle, "K-1001", Lang::En);
    let view = s.contact_view().unwrap();
    assert_eq!(view.contact.name, "Erika Mustermann");
    assert_eq!(view.purpose.as_str(), "newsletter");
    let v = verdicts(&s);
    assert_eq!(v[0], (Channel::Email, Verdict::Allowed, "ALLOW_CONSENT"));
    assert_eq!(
        v[2].1,
        Verdict::Denied,
        "phone needs a verified phone consent"
    );
}

#[test]
fn a_form_refuses_bad_input_and_writes_nothing() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let before = event_count(&f.handle, "K-1001");
    s.update(Message::OpenForm(FormKind::ConsentGiven));
    let request = s.request;
    assert!(matches!(s.update(Message::Submit), Action::None));
    let form = s.form().unwrap();
    assert_eq!(form.errors["channels"], t(Lang::En, "form-error-choose"));
    assert!(!form.saving);
    assert_eq!(s.request, request, "no register call was started");

    s.update(Message::OpenForm(FormKind::Purchase));
    s.update(Message::Form(FormMessage::Date("2026-13-01".into())));
    assert!(matches!(s.update(Message::Submit), Action::None));
    let form = s.form().unwrap();
    assert_eq!(form.errors["when"], t(Lang::En, "contact-when-bad-date"));
    assert_eq!(
        form.errors["product_category"],
        t(Lang::En, "form-error-required")
    );
    assert_eq!(event_count(&f.handle, "K-1001"), before);
}

#[test]
fn a_valid_objection_denies_every_channel_at_once() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let before = event_count(&f.handle, "K-1001");
    s.update(Message::OpenForm(FormKind::Objection));
    s.update(Message::Form(FormMessage::Text("via", "letter".into())));
    assert!(matches!(s.update(Message::Submit), Action::Run(_)));
    assert!(s.form().unwrap().saving);
    assert!(
        matches!(s.update(Message::Submit), Action::None),
        "a second Enter while saving writes nothing more"
    );

    assert!(matches!(run_write(&mut s), Action::Changed));
    assert!(s.form().is_none(), "the form closes after the write");
    for (channel, verdict, code) in verdicts(&s) {
        assert_eq!(
            (verdict, code),
            (Verdict::Denied, "DENY_OBJECTION"),
            "{channel}"
        );
    }
    assert_eq!(event_count(&f.handle, "K-1001"), before + 1);
    let view = s.contact_view().unwrap();
    let newest = timeline::newest_first(&view.events)[0];
    assert_eq!(
        newest.kind,
        EventKind::Objection {
            scope: ObjectionScope::All,
            via: Some("letter".into())
        }
    );
    assert_eq!(newest.source.as_deref(), Some("gui"));
    assert_eq!(
        newest.recorded_by.as_deref(),
        Some(f.handle.session().user.as_str())
    );
}

#[test]
fn a_write_error_is_shown_in_the_form_and_nothing_changes() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    s.update(Message::OpenForm(FormKind::Note));
    s.update(Message::Form(FormMessage::Text("text", "x".into())));
    s.update(Message::Submit);
    let key = s.request;
    let failed = Err(GuiError::other("the register file is read-only"));
    assert!(matches!(
        s.update(Message::Recorded(key, failed)),
        Action::None
    ));
    let form = s.form().unwrap();
    assert!(!form.saving, "the user can try again");
    assert!(form.errors["form"].contains("read-only"));

    // Closed while saving: the failure shows on the screen instead.
    s.update(Message::Submit);
    s.update(Message::Escape);
    let key = s.request;
    let failed = Err(GuiError::other("the disk is full"));
    s.update(Message::Recorded(key, failed));
    assert!(sim(s.view()).find("the disk is full").is_ok());
}

#[test]
fn classifying_records_who_and_why() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::De);
    s.update(Message::OpenForm(FormKind::Classify));
    assert_eq!(
        s.form().unwrap().relationship,
        Relationship::Prospect,
        "Erika is a customer, so the form offers the other classification"
    );
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert_eq!(
        s.form().unwrap().errors["reason"],
        t(Lang::De, "form-error-required")
    );
    s.update(Message::Form(FormMessage::Text(
        "reason",
        "Kundenkonto gekündigt".into(),
    )));
    assert!(matches!(s.update(Message::Submit), Action::Run(_)));
    assert!(matches!(run_write(&mut s), Action::Changed));
    let view = s.contact_view().unwrap();
    // A purchase outranks a manual prospect classification (LEGAL.md), so Erika stays a
    // customer; the manual event is on record with its reason.
    assert!(view.events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Classified { reason, relationship: Relationship::Prospect } if reason == "Kundenkonto gekündigt"
    )));
}

#[test]
fn changing_the_purpose_recomputes_and_drops_the_stale_answer() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let old_key = s.request;
    let choice = s
        .purpose_choices()
        .into_iter()
        .find(|c| c.id == "partner_offers")
        .unwrap();
    assert!(matches!(
        s.update(Message::PurposePicked(choice)),
        Action::Run(_)
    ));
    // An answer to the earlier request arriving late must not overwrite the new one.
    let stale = s.contact_view().cloned().unwrap();
    load(&mut s);
    s.update(Message::Loaded(old_key, Ok(stale)));
    let view = s.contact_view().unwrap();
    assert_eq!(view.purpose.as_str(), "partner_offers");
    assert_eq!(
        verdicts(&s)[0].1,
        Verdict::Denied,
        "Erika consented to the newsletter, not to partner offers"
    );
}

#[test]
fn as_of_recomputes_and_an_invalid_date_shows_an_error() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::De);
    let key = s.request;
    assert!(matches!(
        s.update(Message::AsOfDate("31.02.2025".into())),
        Action::None
    ));
    assert_eq!(
        s.as_of_error.as_deref(),
        Some(t(Lang::De, "contact-when-bad-date"))
    );
    assert_eq!(s.request, key, "nothing is asked for an invalid date");
    // While typing, a short entry is not yet an error; Enter shows the problem.
    assert!(matches!(
        s.update(Message::AsOfDate("01.0".into())),
        Action::None
    ));
    assert!(s.as_of_error.is_none());
    s.update(Message::AsOfSubmit);
    assert_eq!(
        s.as_of_error.as_deref(),
        Some(t(Lang::De, "contact-when-bad-date"))
    );
    assert_eq!(s.request, key);
    assert!(matches!(
        s.update(Message::AsOfDate("01.01.2000".into())),
        Action::Run(_)
    ));
    assert!(s.as_of_error.is_none());
    load(&mut s);
    assert_eq!(
        verdicts(&s)[0],
        (Channel::Email, Verdict::Denied, "DENY_NO_CONSENT"),
        "in 2000 there was no consent yet"
    );
    assert!(matches!(s.update(Message::AsOfNow), Action::Run(_)));
    load(&mut s);
    assert_eq!(verdicts(&s)[0].1, Verdict::Allowed);
}

#[test]
fn escape_closes_the_form_then_goes_back() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    s.update(Message::OpenForm(FormKind::Note));
    assert!(matches!(s.update(Message::Escape), Action::None));
    assert!(s.form().is_none());
    assert!(matches!(s.update(Message::Escape), Action::Back));
    assert!(matches!(s.update(Message::Back), Action::Back));
}

#[test]
fn recording_while_looking_into_the_past_shows_the_present_afterwards() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    pin(&mut s);
    assert!(!s.as_of_now);
    assert!(
        matches!(
            s.update(Message::OpenForm(FormKind::Objection)),
            Action::Run(_)
        ),
        "opening a form focuses its first text box"
    );
    s.update(Message::Submit);
    assert!(matches!(run_write(&mut s), Action::Changed));
    assert!(s.as_of_now);
    assert!(s.contact_view().unwrap().as_of > demo_instant());
    assert!(verdicts(&s)
        .iter()
        .all(|(_, v, code)| *v == Verdict::Denied && *code == "DENY_OBJECTION"));
}

#[test]
fn ledger_identifiers_read_as_words_in_the_timeline() {
    use serde_json::json;
    let de = Lang::De;
    assert_eq!(
        timeline::field_value(de, "channels", &json!(["email", "phone"])),
        "E-Mail, Telefon"
    );
    assert_eq!(
        timeline::field_value(de, "channels", &json!(["*"])),
        "Alle Kanäle"
    );
    assert_eq!(
        timeline::field_value(de, "purposes", &json!(["newsletter", "event_x"])),
        "Newsletter, event_x"
    );
    assert_eq!(
        timeline::field_value(de, "via", &json!("letter")),
        "per Brief"
    );
    assert_eq!(timeline::field_value(de, "via", &json!("fax")), "fax");
    assert_eq!(
        timeline::field_value(de, "prechecked", &json!(false)),
        "nein"
    );
    assert_eq!(
        timeline::field_value(de, "ip", &json!("203.0.113.10")),
        "203.0.113.10"
    );
}

#[test]
fn refresh_asks_again_with_the_chosen_purpose_and_instant() {
    let f = fixture();
    let mut s = open(&f.handle, "K-1001", Lang::En);
    s.update(Message::AsOfDate("2000-01-01".into()));
    s.update(Message::OpenForm(FormKind::Note));
    let key = s.request;
    let _task = s.refresh();
    assert_eq!(
        s.request,
        key + 1,
        "a new request, so older answers are dropped"
    );
    load(&mut s);
    assert!(s.form().is_some(), "the open form stays");
    let view = s.contact_view().unwrap();
    assert_eq!(when::date_text(&view.as_of, Lang::En), "2000-01-01");
}
