//! The audit screen through `update()` and the iced_test simulator at 1280×800, with the
//! test chooser (no dialog ever opens), and reached from the app's header.

use std::path::{Path, PathBuf};

use chrono::Duration;
use iced::widget::Id;
use iced::Theme;
use iced_test::Simulator;

use super::{Action, Message, State, FROM_ID, TO_ID};
use crate::gui::contact::when;
use crate::gui::report_save::testing::{
    demo_register, drive, pdf_text, run_task, DemoRegister, TestChooser,
};
use crate::gui::report_save::{self, ReportRequest, Stage, Target};
use crate::gui::save_dialog::Chooser;
use crate::gui::{App, Key, Launch, Screen};
use crate::i18n::{t, tf, Lang};

type Fixture = DemoRegister;

fn fixture() -> Fixture {
    demo_register("audit.db")
}

fn sim(view: iced::Element<'_, Message>) -> Simulator<'_, Message> {
    Simulator::with_size(Default::default(), (1280.0, 800.0), view)
}

fn open(f: &Fixture, lang: Lang, chooser: Chooser) -> State {
    let (mut s, task) = State::new(f.handle.clone(), lang, chooser);
    settle(&mut s, run_task(task));
    s
}

fn settle(s: &mut State, messages: Vec<Message>) {
    drive(messages, |m| match s.update(m) {
        Action::Run(task) => Some(task),
        _ => None,
    });
}

fn click(s: &mut State, label: &str) {
    let mut ui = sim(s.view());
    ui.click(label).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(!messages.is_empty(), "{label} is enabled");
    settle(s, messages);
}

/// Focuses a period field in the view, then sets its text (what typing into it sends).
fn type_into(s: &mut State, id: &'static str, value: &str) {
    let message = if id == FROM_ID {
        Message::From(value.into())
    } else {
        Message::To(value.into())
    };
    let mut ui = sim(s.view());
    ui.click(Id::new(id)).unwrap();
    drop(ui);
    settle(s, vec![message]);
}

fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect()
}

#[test]
fn opens_with_the_last_30_days_and_the_register_counts() {
    let f = fixture();
    let s = open(
        &f,
        Lang::De,
        Chooser::new(std::sync::Arc::new(TestChooser::default())),
    );
    let now = when::now();
    assert_eq!(
        s.from,
        when::date_text(&(now - Duration::days(30)), Lang::De)
    );
    assert_eq!(s.to, when::date_text(&now, Lang::De));
    let n = f.handle.call_blocking(|reg| reg.counts()).unwrap();
    assert_eq!(n.contacts, 30);
    let shown = tf(
        Lang::De,
        "audit-counts",
        &[
            ("contacts", &n.contacts.to_string()),
            ("events", &n.events.to_string()),
        ],
    );
    assert!(sim(s.view()).find(shown.as_str()).is_ok());
}

#[test]
fn a_register_report_for_a_period_is_written_and_can_be_opened() {
    let f = fixture();
    let target = f.dir.path().join("register.pdf");
    let (answers, chooser) = TestChooser::saving_to(&target);
    let mut s = open(&f, Lang::De, chooser);
    type_into(&mut s, FROM_ID, "01.01.2026");
    type_into(&mut s, TO_ID, "01.06.2026");
    click(&mut s, t(Lang::De, "audit-report-create"));

    assert_eq!(
        answers.asked.lock().unwrap()[0].file_name,
        "Registerbericht-2026-01-01-bis-2026-06-01.pdf"
    );
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"));
    let text = pdf_text(&target);
    assert!(text.contains("Registerbericht"), "{text}");
    assert!(text.contains("01.01.2026"), "the period is stated: {text}");
    assert_eq!(s.saver().stage(), &Stage::Saved(target.clone()));
    click(&mut s, t(Lang::De, "reports-gui-open"));
    assert_eq!(*answers.shown.lock().unwrap(), vec![target]);
}

#[test]
fn an_invalid_period_shows_an_error_and_writes_nothing() {
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    let (answers, chooser) = TestChooser::saving_to(&out.path().join("x.pdf"));
    let mut s = open(&f, Lang::En, chooser);

    type_into(&mut s, FROM_ID, "2026-06-01");
    type_into(&mut s, TO_ID, "2026-01-01");
    click(&mut s, t(Lang::En, "audit-report-create"));
    assert_eq!(s.period_error(), Some(t(Lang::En, "audit-period-reversed")));
    assert!(sim(s.view())
        .find(t(Lang::En, "audit-period-reversed"))
        .is_ok());

    type_into(&mut s, FROM_ID, "31.02.2026");
    click(&mut s, t(Lang::En, "audit-report-create"));
    assert_eq!(s.period_error(), Some(t(Lang::En, "audit-bad-from")));

    assert!(
        answers.asked.lock().unwrap().is_empty(),
        "no dialog for a bad period"
    );
    assert!(pdfs_in(out.path()).is_empty());
}

#[test]
fn verify_says_a_fresh_report_matches_and_not_after_an_event_is_recorded() {
    let f = fixture();
    let report = f.dir.path().join("nachweis.pdf");
    f.handle
        .call_blocking(|reg| {
            Ok(report_save::save(
                reg,
                &ReportRequest::Evidence("K-1001".into()),
                Lang::En,
                &Target {
                    path: report.clone(),
                    replace: false,
                },
            ))
        })
        .unwrap()
        .unwrap();
    let answers = std::sync::Arc::new(TestChooser::default());
    answers.set_open(Some(&report));
    let mut s = open(&f, Lang::En, Chooser::new(answers.clone()));

    click(&mut s, t(Lang::En, "audit-verify-choose"));
    assert!(matches!(s.verified(), Some(Ok(v)) if v.check.matches()));
    let file = report.display().to_string();
    let matches = tf(
        Lang::En,
        "audit-verify-matches",
        &[
            ("file", &file),
            ("report", "evidence report, contact K-1001"),
        ],
    );
    assert!(sim(s.view()).find(matches.as_str()).is_ok(), "{matches}");

    // Recording an event changes the contact's ledger, so the report no longer matches.
    f.handle
        .call_blocking(|reg| {
            let c = reg.resolve("K-1001")?;
            reg.classify(
                &c,
                crate::domain::Relationship::Customer,
                "Rahmenvertrag",
                when::now(),
            )
        })
        .unwrap();
    click(&mut s, t(Lang::En, "audit-verify-choose"));
    assert!(matches!(s.verified(), Some(Ok(v)) if !v.check.matches()));
    let mismatch = tf(
        Lang::En,
        "audit-verify-mismatch",
        &[
            ("file", &file),
            ("report", "evidence report, contact K-1001"),
        ],
    );
    let mut ui = sim(s.view());
    assert!(ui.find(mismatch.as_str()).is_ok(), "{mismatch}");
    assert!(mismatch.contains("does not match"));
}

#[test]
fn verify_of_a_pdf_not_made_by_consentry_says_so() {
    let f = fixture();
    let other = f.dir.path().join("fremd.pdf");
    std::fs::write(&other, b"%PDF-1.4\n%%EOF\n").unwrap();
    let answers = std::sync::Arc::new(TestChooser::default());
    answers.set_open(Some(&other));
    let mut s = open(&f, Lang::De, Chooser::new(answers));
    click(&mut s, t(Lang::De, "audit-verify-choose"));
    assert_eq!(
        s.verified(),
        Some(&Err(t(Lang::De, "reports-gui-not-a-report").to_owned()))
    );
}

/// The app: the header's Audit button opens the screen, Esc leaves it for the search.
#[test]
fn the_header_opens_the_audit_screen_and_esc_goes_back_to_search() {
    let f = fixture();
    let (mut app, _) = App::new(Launch {
        lang: Some(Lang::De),
        ..Launch::default()
    });
    app.set_chooser(Chooser::new(std::sync::Arc::new(TestChooser::default())));
    let unlocked = crate::gui::unlock::Unlocked {
        handle: f.handle.clone(),
        path: f.dir.path().join("audit.db"),
        demo: false,
    };
    let _ = app.update(crate::gui::Message::Unlock(
        crate::gui::unlock::Message::Opened(Ok(unlocked)),
    ));

    let mut ui = Simulator::with_size(Default::default(), (1280.0, 800.0), app.view());
    ui.click("Prüfung").unwrap();
    let messages: Vec<crate::gui::Message> = ui.into_messages().collect();
    drive(messages, |m| Some(app.update(m)));
    assert!(matches!(
        app.screen(),
        Screen::Search { audit: Some(_), .. }
    ));

    let _ = app.update(crate::gui::Message::Key(Key::Escape));
    assert!(matches!(
        app.screen(),
        Screen::Search {
            audit: None,
            contact: None,
            ..
        }
    ));

    // Opened over a contact, Esc goes back to that contact.
    use crate::gui::search::Message as Search;
    drive(
        vec![crate::gui::Message::Search(Search::QueryChanged(
            "K-1001".into(),
        ))],
        |m| Some(app.update(m)),
    );
    drive(vec![crate::gui::Message::Search(Search::Open(0))], |m| {
        Some(app.update(m))
    });
    drive(vec![crate::gui::Message::OpenAudit], |m| {
        Some(app.update(m))
    });
    assert!(matches!(
        app.screen(),
        Screen::Search {
            audit: Some(_),
            contact: Some(_),
            ..
        }
    ));
    let _ = app.update(crate::gui::Message::Key(Key::Escape));
    assert!(matches!(
        app.screen(),
        Screen::Search {
            audit: None,
            contact: Some(_),
            ..
        }
    ));
}

/// The audit screen as an auditor first sees it (German), with a saved report and a check.
#[test]
fn snapshot_of_the_audit_screen_in_german() {
    let f = fixture();
    // A fixed relative path, so the picture is the same everywhere. It is not removed
    // first: a run beside this one may be reading it, and an existing file is replaced in
    // one step (the flow under test).
    let target = PathBuf::from("target/gui-tests/audit/Registerbericht.pdf");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let (answers, chooser) = TestChooser::saving_to(&target);
    answers.set_open(Some(&target));
    let mut s = open(&f, Lang::De, chooser);
    // A fixed period and fixed counts, so the picture does not depend on the day.
    type_into(&mut s, FROM_ID, "01.01.2026");
    type_into(&mut s, TO_ID, "01.06.2026");
    click(&mut s, t(Lang::De, "audit-report-create"));
    click(&mut s, t(Lang::De, "audit-verify-choose"));
    assert!(matches!(s.verified(), Some(Ok(v)) if v.check.matches()));
    // The chain check runs when asked; its heads and times differ in every register.
    assert!(
        s.chain().result().is_none(),
        "not started by opening the screen"
    );
    click(&mut s, t(Lang::De, "chain-run"));
    assert!(matches!(s.chain().result(), Some(Ok((r, _))) if r.intact()));
    s.chain_mut().forget();

    let mut ui = sim(s.view());
    if std::env::var("ICED_TEST_BACKEND").as_deref() != Ok("tiny-skia") {
        eprintln!("snapshot skipped: set ICED_TEST_BACKEND=tiny-skia (scripts/test does)");
        return;
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/audit-de");
    let snapshot = ui.snapshot(&Theme::Light).unwrap();
    assert!(
        snapshot.matches_image(&path).unwrap(),
        "audit-de differs from its baseline in tests/snapshots (delete the file to accept a new look)"
    );
}
