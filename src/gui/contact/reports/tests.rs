//! The contact screen's report buttons, clicked in the iced_test simulator at 1280×800. The
//! test chooser answers the save dialog with a temporary path (no dialog ever opens); the
//! tasks the clicks start run as the runtime would run them.

use std::path::Path;

use iced_test::Simulator;

use super::super::{Action, Message, State};
use crate::gui::report_save::testing::{
    demo_register, drive, pdf_text, run_task, DemoRegister, TestChooser,
};
use crate::gui::report_save::{save, ReportRequest, Stage, Target};
use crate::i18n::{t, tf, Lang};

type Fixture = DemoRegister;

fn fixture() -> Fixture {
    demo_register("reports.db")
}

fn sim(view: iced::Element<'_, Message>) -> Simulator<'_, Message> {
    Simulator::with_size(Default::default(), (1280.0, 800.0), view)
}

/// The contact screen, loaded, with the test chooser.
fn open(f: &Fixture, id: &str, lang: Lang, chooser: crate::gui::save_dialog::Chooser) -> State {
    let (mut s, task) = State::new(f.handle.clone(), id.into(), lang);
    s.set_chooser(chooser);
    for m in run_task(task) {
        let _ = s.update(m);
    }
    assert!(s.contact_view().is_some(), "the contact loads");
    s
}

/// Feeds messages and runs every task they start, to the end.
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

fn is_pdf(path: &Path) -> bool {
    std::fs::read(path).unwrap().starts_with(b"%PDF")
}

#[test]
fn evidence_report_button_saves_a_pdf_naming_the_contact_and_offers_to_open_it() {
    let f = fixture();
    let target = f.dir.path().join("nachweis.pdf");
    let (answers, chooser) = TestChooser::saving_to(&target);
    let mut s = open(&f, "K-1001", Lang::En, chooser);

    click(&mut s, t(Lang::En, "reports-gui-evidence"));

    let asked = answers.asked.lock().unwrap().clone();
    let today = crate::gui::contact::when::now()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].file_name, format!("Evidence-K-1001-{today}.pdf"));
    assert!(target.exists() && is_pdf(&target));
    let text = pdf_text(&target);
    assert!(text.contains("Erika Mustermann"), "{text}");
    assert!(text.contains("Consent evidence"), "English, as the UI");
    assert_eq!(s.reports.saver().stage(), &Stage::Saved(target.clone()));

    let saved = tf(
        Lang::En,
        "reports-gui-saved",
        &[("file", &target.display().to_string())],
    );
    let mut ui = sim(s.view());
    assert!(ui.find(saved.as_str()).is_ok(), "Saved to … is shown");
    ui.click(t(Lang::En, "reports-gui-open")).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    settle(&mut s, messages);
    assert_eq!(*answers.shown.lock().unwrap(), vec![target]);
}

#[test]
fn access_report_in_german_is_named_and_written_in_german() {
    let f = fixture();
    let target = f.dir.path().join("auskunft.pdf");
    let (answers, chooser) = TestChooser::saving_to(&target);
    let mut s = open(&f, "K-1001", Lang::De, chooser);

    click(&mut s, "Auskunft nach Art. 15 (PDF)");

    let name = answers.asked.lock().unwrap()[0].file_name.clone();
    assert!(name.starts_with("Auskunft-Art15-K-1001-"), "{name}");
    assert!(is_pdf(&target));
    let text = pdf_text(&target);
    assert!(text.contains("Erika Mustermann"), "{text}");
    assert!(text.contains("Art. 15"), "{text}");
    let mut ui = sim(s.view());
    assert!(ui.find("Öffnen").is_ok());
}

#[test]
fn while_a_report_is_made_the_buttons_are_disabled_and_progress_is_shown() {
    let f = fixture();
    let target = f.dir.path().join("r.pdf");
    let (_answers, chooser) = TestChooser::saving_to(&target);
    let mut s = open(&f, "K-1001", Lang::En, chooser);

    let Action::Run(dialog) = s.update(Message::Reports(super::Message::Evidence)) else {
        panic!("the button opens the dialog");
    };
    assert!(s.reports.saver().busy());
    let mut ui = sim(s.view());
    ui.click(t(Lang::En, "reports-gui-access")).unwrap();
    assert_eq!(
        ui.into_messages().count(),
        0,
        "disabled while the dialog is open"
    );

    let chosen = run_task(dialog);
    let Action::Run(write) = s.update(chosen.into_iter().next().unwrap()) else {
        panic!("a chosen file starts the work");
    };
    assert_eq!(s.reports.saver().stage(), &Stage::Writing);
    let mut ui = sim(s.view());
    assert!(ui.find(t(Lang::En, "reports-gui-creating")).is_ok());
    ui.click(t(Lang::En, "reports-gui-evidence")).unwrap();
    assert_eq!(ui.into_messages().count(), 0, "disabled while writing");

    settle(&mut s, run_task(write));
    assert!(!s.reports.saver().busy());
    assert!(is_pdf(&target));
}

#[test]
fn cancelling_the_dialog_writes_nothing_and_shows_nothing() {
    let f = fixture();
    let (answers, chooser) = TestChooser::saving_to(Path::new("/nonexistent"));
    answers.set_save_to(None);
    let mut s = open(&f, "K-1001", Lang::En, chooser);
    click(&mut s, t(Lang::En, "reports-gui-evidence"));
    assert_eq!(s.reports.saver().stage(), &Stage::Idle);
    let written: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("reports.db"))
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

/// The dialog asked and the user agreed to replace the file: it is replaced by the new PDF,
/// and nothing else is left in the folder.
#[test]
fn an_existing_file_confirmed_in_the_dialog_is_replaced_by_the_new_report() {
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("alt.pdf");
    std::fs::write(&target, b"old report").unwrap();
    let (_answers, chooser) = TestChooser::saving_to(&target);
    let mut s = open(&f, "K-1001", Lang::En, chooser);
    click(&mut s, t(Lang::En, "reports-gui-evidence"));
    assert!(is_pdf(&target), "{:?}", s.reports.saver().stage());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
}

#[test]
fn an_existing_file_is_not_destroyed_when_rendering_fails() {
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("alt.pdf");
    std::fs::write(&target, b"old report").unwrap();
    let (_answers, chooser) = TestChooser::saving_to(&target);
    let mut s = open(&f, "K-1001", Lang::En, chooser);
    // The contact vanished meanwhile (erased from another window): rendering fails.
    s.contact_id = "K-9999".into();
    click(&mut s, t(Lang::En, "reports-gui-evidence"));

    assert!(matches!(s.reports.saver().stage(), Stage::Failed(_)));
    assert_eq!(std::fs::read(&target).unwrap(), b"old report");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        1,
        "no temp file left"
    );
    let Stage::Failed(e) = s.reports.saver().stage() else {
        unreachable!()
    };
    let mut ui = sim(s.view());
    assert!(ui.find(e.as_str()).is_ok(), "the error is shown in place");
}

/// A file that appeared after the dialog returned was never confirmed: it is kept, and the
/// user is told.
#[test]
fn a_file_that_appeared_after_the_dialog_is_kept() {
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("neu.pdf");
    let request = ReportRequest::Evidence("K-1001".into());
    let unconfirmed = Target {
        path: target.clone(),
        replace: false,
    };
    std::fs::write(&target, b"someone else's").unwrap();
    let err = f
        .handle
        .call_blocking(|reg| Ok(save(reg, &request, Lang::De, &unconfirmed)))
        .unwrap()
        .unwrap_err();
    assert!(err.message(Lang::De).contains("gibt es schon"), "{err:?}");
    assert_eq!(std::fs::read(&target).unwrap(), b"someone else's");
}

#[test]
fn a_viewer_that_fails_is_reported_in_place() {
    let f = fixture();
    let target = f.dir.path().join("v.pdf");
    let (answers, chooser) = TestChooser::saving_to(&target);
    *answers.show_fails.lock().unwrap() = Some("no viewer for PDF".into());
    let mut s = open(&f, "K-1001", Lang::En, chooser);
    click(&mut s, t(Lang::En, "reports-gui-evidence"));
    click(&mut s, t(Lang::En, "reports-gui-open"));
    let shown = tf(
        Lang::En,
        "reports-gui-open-failed",
        &[("error", "no viewer for PDF")],
    );
    assert!(sim(s.view()).find(shown.as_str()).is_ok());
}
