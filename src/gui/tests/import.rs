//! The Import screen: files from a prepared chooser (never a real dialog), the import run
//! as the runtime runs its task, and the register checked afterwards.

use std::path::{Path, PathBuf};

use iced::{Settings, Theme};
use iced_test::Simulator;

use super::fixture;
use crate::gui::file_dialog::PreparedChooser;
use crate::gui::handle::RegisterHandle;
use crate::gui::import::{work, Action, Kind, Message, Run, Slot, State};
use crate::i18n::{t, Lang};
use crate::import::mailchimp::MailchimpOptions;
use crate::import::ImportControl;
use crate::register::{MailchimpFiles, Register};

pub fn mailchimp_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mailchimp")
        .join(name)
}

pub fn open(reg: &fixture::TestRegister) -> RegisterHandle {
    RegisterHandle::new(Register::open(&reg.path, fixture::PASSPHRASE).unwrap())
}

/// Feeds `m` and runs every task it starts, feeding their messages back in order, as the
/// runtime would. Returns whether the screen reported a change of the register.
pub fn step(s: &mut State, m: Message) -> bool {
    let mut queue = vec![m];
    let mut changed = false;
    while let Some(m) = queue.pop() {
        match s.update(m) {
            Action::Run(task) => queue.extend(fixture::run_task(task).into_iter().rev()),
            Action::Changed => changed = true,
            Action::None | Action::Back => {}
        }
    }
    changed
}

fn counts(handle: &RegisterHandle) -> (u64, u64) {
    let c = handle.call_blocking(|reg| reg.counts()).unwrap();
    (c.contacts, c.events)
}

/// The screen with the three files of the Mailchimp fixture chosen and the consent filled in.
pub fn mailchimp_ready(handle: &RegisterHandle, lang: Lang) -> (State, PreparedChooser) {
    let chooser = PreparedChooser::default();
    for f in ["subscribed.csv", "unsubscribed.csv", "cleaned.csv"] {
        chooser.answer(vec![mailchimp_file(f)]);
    }
    let mut s = State::new(handle.clone(), chooser.chooser(), lang);
    step(&mut s, Message::KindChosen(Kind::Mailchimp));
    for slot in [Slot::Subscribed, Slot::Unsubscribed, Slot::Cleaned] {
        step(&mut s, Message::Choose(slot));
    }
    step(&mut s, Message::ConsentTextId(" CT-NEWSLETTER-v3 ".into()));
    step(&mut s, Message::Purpose("newsletter".into()));
    (s, chooser)
}

#[test]
fn a_mailchimp_export_imports_with_the_counts_of_the_register_call() {
    let reg = fixture::empty();
    let handle = open(&reg);
    let (mut s, chooser) = mailchimp_ready(&handle, Lang::De);
    assert_eq!(chooser.requests().len(), 3, "one dialog per file");
    assert_eq!(s.missing(), None);

    assert!(step(&mut s, Message::Start), "the list is refreshed");
    let Run::Done(outcome) = s.run_state().clone() else {
        panic!("done: {:?}", s.run_state());
    };

    // The same files through the register directly, as the command line imports them.
    let other = fixture::empty();
    let mut direct = Register::open(&other.path, fixture::PASSPHRASE).unwrap();
    let expected = direct
        .import_mailchimp(
            &MailchimpFiles {
                subscribed: mailchimp_file("subscribed.csv"),
                unsubscribed: Some(mailchimp_file("unsubscribed.csv")),
                cleaned: Some(mailchimp_file("cleaned.csv")),
            },
            &MailchimpOptions {
                consent_text_id: "CT-NEWSLETTER-v3".into(),
                purpose: crate::domain::Purpose::parse("newsletter").unwrap(),
                offset: chrono::FixedOffset::east_opt(0).unwrap(),
            },
            fixture::instant(),
            &mut ImportControl::default(),
        )
        .unwrap();
    assert_eq!(outcome.rows, Some(expected.rows));
    assert_eq!(outcome.contacts_added, expected.contacts_added);
    assert_eq!(outcome.events_added, expected.events_added);
    assert_eq!(outcome.rejected, 0);
    assert!(outcome.contacts_added >= 5, "{outcome:?}");
    assert_eq!(counts(&handle).0, outcome.contacts_added);

    let found = fixture::search(&handle, "Schmidt");
    assert!(
        found.iter().any(|r| r
            .summary
            .contact
            .emails
            .contains(&"lena.schmidt@example.de".into())),
        "the imported contact is found"
    );

    // Importing the same export again adds nothing and changes nothing shown elsewhere.
    assert!(!step(&mut s, Message::Start));
    let Run::Done(again) = s.run_state().clone() else {
        panic!("done again");
    };
    assert_eq!((again.contacts_added, again.events_added), (0, 0));
    assert_eq!(again.unchanged, expected.events_added);
}

/// A `;` CSV whose second row has an email address that is none.
fn csv_with_bad_row(dir: &Path) -> PathBuf {
    let path = dir.join("kunden.csv");
    std::fs::write(
        &path,
        "Kundennr;Name;Firma;E-Mail;Telefon\n\
         K-1;Anna Becker;;anna@example.de;0171 1234567\n\
         K-2;Bernd Bauer;Bauer GmbH;bernd-at-example.de;\n\
         K-3;Clara Wolf;;clara@example.de;\n",
    )
    .unwrap();
    path
}

#[test]
fn a_bad_csv_row_is_named_and_nothing_is_written_unless_invalid_rows_are_skipped() {
    let reg = fixture::empty();
    let handle = open(&reg);
    let dir = tempfile::tempdir().unwrap();
    let chooser = PreparedChooser::default();
    chooser.answer(vec![csv_with_bad_row(dir.path())]);
    let mut s = State::new(handle.clone(), chooser.chooser(), Lang::En);
    step(&mut s, Message::KindChosen(Kind::Csv));
    step(&mut s, Message::Choose(Slot::Main));

    // The mapping is prefilled from the German header names.
    let mapped = |field: &str| {
        let i = work::MAP_FIELDS
            .iter()
            .position(|(k, _, _)| *k == field)
            .unwrap();
        s.mapping()[i].clone()
    };
    assert_eq!(mapped("name").as_deref(), Some("Name"));
    assert_eq!(mapped("email").as_deref(), Some("E-Mail"));
    assert_eq!(mapped("phone").as_deref(), Some("Telefon"));
    assert_eq!(mapped("company").as_deref(), Some("Firma"));
    assert_eq!(mapped("customer_number").as_deref(), Some("Kundennr"));
    assert_eq!(mapped("city"), None);

    assert!(!step(&mut s, Message::Start));
    let Run::Failed(e) = s.run_state().clone() else {
        panic!("failed: {:?}", s.run_state());
    };
    assert!(e.message(Lang::En).contains("row 2"), "{e:?}");
    assert!(e.message(Lang::En).contains("E-Mail"), "{e:?}");
    assert_eq!(counts(&handle), (0, 0), "nothing was written");

    // Skipping needs a report file; the save dialog names it.
    step(&mut s, Message::SkipInvalid(true));
    assert_eq!(s.missing(), Some("imp-missing-report"));
    assert!(!step(&mut s, Message::Start), "refused without a report");
    let report = dir.path().join("abgewiesen.csv");
    chooser.answer(vec![report.clone()]);
    step(&mut s, Message::Choose(Slot::Report));
    assert!(step(&mut s, Message::Start));
    let Run::Done(outcome) = s.run_state().clone() else {
        panic!("done: {:?}", s.run_state());
    };
    assert_eq!((outcome.contacts_added, outcome.rejected), (2, 1));
    assert_eq!(outcome.report.as_deref(), Some(report.as_path()));
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(
        written.starts_with("file,row,line,column,problem"),
        "{written}"
    );
    assert!(written.contains("bernd-at-example.de"), "{written}");
    assert_eq!(counts(&handle).0, 2);
}

#[test]
fn cancelling_writes_nothing() {
    let reg = fixture::empty();
    let handle = open(&reg);
    let (mut s, _chooser) = mailchimp_ready(&handle, Lang::De);
    let Action::Run(task) = s.update(Message::Start) else {
        panic!("starts");
    };
    assert!(s.running());
    assert!(matches!(
        s.update(Message::KindChosen(Kind::Csv)),
        Action::None
    ));
    // Cancel before the work reaches its first row: the flag is what the register checks.
    let _ = s.update(Message::Cancel);
    for m in fixture::run_task(task) {
        assert!(!matches!(s.update(m), Action::Changed));
    }
    assert!(
        matches!(s.run_state(), Run::Cancelled),
        "{:?}",
        s.run_state()
    );
    assert_eq!(counts(&handle), (0, 0));

    // A ledger is cancelled through its reader.
    let chooser = PreparedChooser::default();
    chooser.answer(vec![
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.jsonl")
    ]);
    let mut s = State::new(handle.clone(), chooser.chooser(), Lang::De);
    step(&mut s, Message::KindChosen(Kind::Ledger));
    step(&mut s, Message::Choose(Slot::Main));
    let Action::Run(task) = s.update(Message::Start) else {
        panic!("starts");
    };
    // Leaving the screen cancels too.
    assert!(matches!(s.update(Message::Back), Action::Back));
    for m in fixture::run_task(task) {
        let _ = s.update(m);
    }
    assert!(
        matches!(s.run_state(), Run::Cancelled),
        "{:?}",
        s.run_state()
    );
    assert_eq!(counts(&handle), (0, 0));

    // Not cancelled, the same ledger goes in.
    assert!(step(&mut s, Message::Start));
    assert!(counts(&handle).0 > 0);
}

#[test]
fn incomplete_input_does_not_start() {
    let reg = fixture::empty();
    let handle = open(&reg);
    let chooser = PreparedChooser::default();
    let mut s = State::new(handle.clone(), chooser.chooser(), Lang::De);
    assert_eq!(s.missing(), Some("imp-missing-subscribed"));
    assert!(matches!(s.update(Message::Start), Action::None));
    assert!(matches!(s.enter(), Action::None));

    // A cancelled dialog leaves the form as it was.
    chooser.answer(Vec::new());
    step(&mut s, Message::Choose(Slot::Subscribed));
    assert_eq!(s.missing(), Some("imp-missing-subscribed"));

    chooser.answer(vec![mailchimp_file("subscribed.csv")]);
    step(&mut s, Message::Choose(Slot::Subscribed));
    assert_eq!(s.missing(), Some("imp-missing-text-id"));
    step(&mut s, Message::ConsentTextId("CT-1".into()));
    assert_eq!(s.missing(), Some("imp-missing-purpose"), "no purpose");
    assert!(matches!(s.update(Message::Start), Action::None));
    assert!(matches!(s.run_state(), Run::Idle));

    // A CSV mapping without an identifier is refused too.
    chooser.answer(vec![mailchimp_file("subscribed.csv")]);
    step(&mut s, Message::KindChosen(Kind::Csv));
    step(&mut s, Message::Choose(Slot::Main));
    for i in 0..work::MAP_FIELDS.len() {
        step(&mut s, Message::Mapped(i, None));
    }
    step(&mut s, Message::Mapped(1, Some("First Name".into())));
    assert_eq!(s.missing(), Some("imp-missing-mapping"));
    assert!(matches!(s.update(Message::Start), Action::None));
    assert_eq!(counts(&handle), (0, 0));
}

const SIZE: (f32, f32) = (1280.0, 800.0);

fn snapshot(ui: &mut Simulator<'_, Message>, name: &str) {
    if std::env::var("ICED_TEST_BACKEND").as_deref() != Ok("tiny-skia") {
        eprintln!("snapshot {name} skipped: set ICED_TEST_BACKEND=tiny-skia (scripts/test does)");
        return;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    assert!(
        ui.snapshot(&Theme::Light)
            .unwrap()
            .matches_image(&path)
            .unwrap(),
        "{name} differs from its baseline in tests/snapshots (delete the file to accept a new look)"
    );
}

#[test]
fn simulator_a_mailchimp_import_from_the_start_button_to_the_summary() {
    let reg = fixture::empty();
    let handle = open(&reg);
    let (mut s, _chooser) = mailchimp_ready(&handle, Lang::De);
    let mut ui = Simulator::with_size(Settings::default(), SIZE, s.view());
    assert!(
        ui.find("subscribed.csv").is_ok(),
        "the chosen file is shown"
    );
    ui.click(t(Lang::De, "imp-start")).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(matches!(messages.as_slice(), [Message::Start]));
    let mut changed = false;
    for m in messages {
        changed |= step(&mut s, m);
    }
    assert!(changed);
    let Run::Done(outcome) = s.run_state().clone() else {
        panic!("done");
    };
    let mut ui = Simulator::with_size(Settings::default(), SIZE, s.view());
    assert!(ui.find(t(Lang::De, "imp-done")).is_ok());
    for line in crate::gui::import::summary_lines(&outcome, Lang::De) {
        assert!(ui.find(line.as_str()).is_ok(), "{line}");
    }
    snapshot(&mut ui, "import-mailchimp-done-de");
}

#[test]
fn simulator_the_csv_mapping_editor_and_preview() {
    let reg = fixture::empty();
    let handle = open(&reg);
    let dir = tempfile::tempdir().unwrap();
    let chooser = PreparedChooser::default();
    chooser.answer(vec![csv_with_bad_row(dir.path())]);
    let mut s = State::new(handle, chooser.chooser(), Lang::De);
    step(&mut s, Message::KindChosen(Kind::Csv));
    step(&mut s, Message::Choose(Slot::Main));
    let mut ui = Simulator::with_size(Settings::default(), SIZE, s.view());
    assert!(ui
        .find("Erkannt: Kodierung UTF-8, Trennzeichen Semikolon (;)")
        .is_ok());
    assert!(ui.find("Anna Becker").is_ok(), "the preview shows the rows");
    assert!(ui.find(t(Lang::De, "imp-field-customer_number")).is_ok());
    snapshot(&mut ui, "import-csv-mapping-de");
}
