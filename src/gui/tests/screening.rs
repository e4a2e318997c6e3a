//! The List screening screen: list and result file from a prepared chooser, the screening
//! run as the runtime runs its task, and the result compared with the command line's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Parser;
use iced::{Settings, Theme};
use iced_test::Simulator;

use super::fixture;
use crate::domain::{Channel, QueryChannel};
use crate::gui::file_dialog::{DialogKind, PreparedChooser};
use crate::gui::handle::RegisterHandle;
use crate::gui::screening::{Action, Message, Run, State};
use crate::i18n::{t, Lang};

/// Feeds `m` and runs every task it starts, as the runtime would.
fn step(s: &mut State, m: Message) {
    let mut queue = vec![m];
    while let Some(m) = queue.pop() {
        if let Action::Run(task) = s.update(m) {
            queue.extend(fixture::run_task(task).into_iter().rev());
        }
    }
}

/// A campaign list from the demo register: contacts' emails and phones in other
/// notations, and two people the register does not know.
fn campaign(handle: &RegisterHandle, dir: &Path) -> PathBuf {
    let mut lines = vec!["Name;E-Mail;Telefon".to_owned()];
    for q in ["Müller", "Schmidt", "GmbH", "Weber"] {
        for r in fixture::search(handle, q).iter().take(4) {
            let c = &r.summary.contact;
            let email = c.emails.first().cloned().unwrap_or_default().to_uppercase();
            let phone = c
                .phones
                .first()
                .map(|p| p.replacen("+49", "0", 1))
                .unwrap_or_default();
            lines.push(format!("{};{email};{phone}", c.name));
        }
    }
    lines.push("Unbekannt;niemand@example.org;".into());
    lines.push("Nur Telefon;;0171 0000000".into());
    let path = dir.join("kampagne.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// Verdict counts of a result file (the verdict is the fourth column from the end).
fn verdicts(out: &Path) -> BTreeMap<String, u64> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(out)
        .unwrap();
    let mut counts = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        *counts
            .entry(rec.get(rec.len() - 4).unwrap().to_owned())
            .or_default() += 1;
    }
    counts
}

/// The screen with the list chosen, for email and the newsletter, as of 1 June 2026.
fn ready(handle: &RegisterHandle, list: &Path, out: &Path) -> (State, PreparedChooser) {
    let chooser = PreparedChooser::default();
    chooser.answer(vec![list.to_path_buf()]);
    chooser.answer(vec![out.to_path_buf()]);
    let mut s = State::new(handle.clone(), chooser.chooser(), Lang::De);
    step(&mut s, Message::ChooseList);
    step(
        &mut s,
        Message::Channel(QueryChannel::Contact(Channel::Email)),
    );
    step(&mut s, Message::Purpose("newsletter".into()));
    step(&mut s, Message::AsOf("01.06.2026".into()));
    (s, chooser)
}

#[test]
fn the_summary_and_the_result_file_match_the_command_line() {
    let (reg, handle) = fixture::demo();
    let dir = tempfile::tempdir().unwrap();
    let list = campaign(&handle, dir.path());
    let out = dir.path().join("ergebnis.csv");
    let (mut s, chooser) = ready(&handle, &list, &out);
    assert_eq!(s.missing(), None);
    step(&mut s, Message::Start);
    let requests = chooser.requests();
    assert_eq!(requests[1].kind, DialogKind::Save);
    assert_eq!(
        requests[1].file_name.as_deref(),
        Some("kampagne-geprueft.csv")
    );
    let Run::Done(done) = s.run_state().clone() else {
        panic!("done: {:?}", s.run_state());
    };
    let rows = std::fs::read_to_string(&list).unwrap().lines().count() as u64 - 1;
    assert!(rows >= 6, "{rows}");
    assert_eq!(done.summary.rows, rows);
    assert!(done.first_rows.is_some());

    // The command line on the same register, list and options.
    let pass = dir.path().join("pass");
    std::fs::write(&pass, fixture::PASSPHRASE).unwrap();
    let cli_out = dir.path().join("cli.csv");
    let cli = crate::cli::Cli::parse_from([
        "consentry".as_ref(),
        "--db".as_ref(),
        reg.path.as_os_str(),
        "--passphrase-file".as_ref(),
        pass.as_os_str(),
        "--lang".as_ref(),
        "de".as_ref(),
        "screen".as_ref(),
        list.as_os_str(),
        "--channel".as_ref(),
        "email".as_ref(),
        "--purpose".as_ref(),
        "newsletter".as_ref(),
        "--at".as_ref(),
        "2026-06-01".as_ref(),
        "--out".as_ref(),
        cli_out.as_os_str(),
    ] as [&std::ffi::OsStr; 17]);
    assert_eq!(crate::cli::run(cli), 0);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&cli_out).unwrap(),
        "the same result file"
    );
    let cli_verdicts = verdicts(&cli_out);
    let gui_verdicts: BTreeMap<String, u64> = done
        .summary
        .by_verdict
        .iter()
        .map(|(k, v)| ((*k).to_owned(), *v))
        .collect();
    assert_eq!(gui_verdicts, cli_verdicts);
    assert!(
        cli_verdicts.len() == 2,
        "allowed and denied rows: {cli_verdicts:?}"
    );

    // Never over an existing file: the same name again is refused before anything runs,
    // in the screen's language (German here).
    chooser.answer(vec![out.clone()]);
    step(&mut s, Message::Start);
    assert!(
        s.problem().is_some_and(|p| p.contains("gibt es schon")),
        "{:?}",
        s.problem()
    );
    assert!(matches!(s.run_state(), Run::Done(_)));
}

#[test]
fn incomplete_input_does_not_start_and_cancel_leaves_no_file() {
    let (_reg, handle) = fixture::demo();
    let dir = tempfile::tempdir().unwrap();
    let list = campaign(&handle, dir.path());
    let out = dir.path().join("ergebnis.csv");

    let chooser = PreparedChooser::default();
    let mut s = State::new(handle.clone(), chooser.chooser(), Lang::De);
    assert_eq!(s.missing(), Some("scr-missing-list"));
    assert!(matches!(s.update(Message::Start), Action::None));
    chooser.answer(vec![list.clone()]);
    step(&mut s, Message::ChooseList);
    assert_eq!(s.missing(), Some("scr-missing-purpose"), "no purpose");
    assert!(matches!(s.enter(), Action::None));
    assert_eq!(chooser.requests().len(), 1, "no save dialog was asked for");

    step(&mut s, Message::Purpose("newsletter".into()));
    step(&mut s, Message::AsOf("31.02.2026".into()));
    step(&mut s, Message::Start);
    assert!(s.problem().is_some(), "an impossible date is named");
    assert_eq!(chooser.requests().len(), 1);

    // Cancelled before the first batch: no result file, not even a partial one.
    step(&mut s, Message::AsOf(String::new()));
    let Action::Run(dialog) = s.update(Message::Start) else {
        panic!("asks for the result file");
    };
    drop(dialog);
    let Action::Run(task) = s.update(Message::OutChosen(vec![out.clone()])) else {
        panic!("starts");
    };
    let _ = s.update(Message::Cancel);
    for m in fixture::run_task(task) {
        let _ = s.update(m);
    }
    assert!(
        matches!(s.run_state(), Run::Cancelled),
        "{:?}",
        s.run_state()
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the list"
    );
}

#[test]
fn simulator_the_summary_and_the_first_rows() {
    let (_reg, handle) = fixture::demo();
    // A fixed directory name: the result's path is shown.
    let dir = PathBuf::from("target/gui-tests/screening");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let list = campaign(&handle, &dir);
    let out = dir.join("ergebnis.csv");
    let (mut s, _chooser) = ready(&handle, &list, &out);
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), s.view());
    ui.click(t(Lang::De, "scr-start")).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    for m in messages {
        step(&mut s, m);
    }
    let Run::Done(done) = s.run_state().clone() else {
        panic!("done: {:?}", s.run_state());
    };
    let mut ui = Simulator::with_size(Settings::default(), (1280.0, 800.0), s.view());
    for line in crate::gui::screening::summary_lines(&done, Lang::De) {
        assert!(ui.find(line.as_str()).is_ok(), "{line}");
    }
    assert!(ui.find(t(Lang::De, "scr-first-rows")).is_ok());
    if std::env::var("ICED_TEST_BACKEND").as_deref() == Ok("tiny-skia") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/screening-done-de");
        assert!(ui
            .snapshot(&Theme::Light)
            .unwrap()
            .matches_image(path)
            .unwrap());
    }
}
