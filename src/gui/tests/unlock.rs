//! `update()` tests of the Unlock screen.

use std::path::Path;

use super::fixture;
use crate::gui::handle::{GuiError, RegisterHandle};
use crate::gui::unlock::{
    strength, Action, Busy, Message, Mode, Problem, Secret, State, Strength, Unlocked,
};
use crate::i18n::Lang;
use crate::register::Register;

fn screen(path: &Path) -> State {
    State::new(Lang::De, path, None).0
}

fn type_passphrase(s: &mut State, p: &str) {
    let _ = s.update(Message::PassphraseChanged(Secret(p.into())));
}

#[test]
fn wrong_passphrase_is_shown_in_place_and_the_field_is_cleared() {
    let reg = fixture::empty();
    let mut s = screen(&reg.path);
    type_passphrase(&mut s, "falsch");
    assert!(matches!(s.update(Message::Submit), Action::Run(_)));
    assert_eq!(s.busy(), Some(Busy::Opening));
    // A second Enter while the key is derived starts nothing.
    assert!(matches!(s.update(Message::Submit), Action::None));

    let err = GuiError::from(Register::open(&reg.path, "falsch").err().unwrap());
    assert!(err.wrong_passphrase);
    // The screen asks to focus the passphrase field again.
    assert!(matches!(
        s.update(Message::Opened(Err(err))),
        Action::Run(_)
    ));
    assert_eq!(s.problem(), Some(&Problem::WrongPassphrase));
    assert_eq!(s.busy(), None);
    // The field is empty for the next try: submitting again says so, it does not reopen.
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert_eq!(s.problem(), Some(&Problem::NoPassphrase));
}

#[test]
fn other_failures_are_shown_with_their_message() {
    let reg = fixture::empty();
    let mut s = screen(&reg.path);
    let _ = s.update(Message::Opened(Err(GuiError::other("disk on fire"))));
    assert!(
        matches!(s.problem(), Some(Problem::Failed(e)) if e.message(Lang::En) == "disk on fire")
    );
}

#[test]
fn typing_clears_the_problem() {
    let reg = fixture::empty();
    let mut s = screen(&reg.path);
    let _ = s.update(Message::Submit);
    assert_eq!(s.problem(), Some(&Problem::NoPassphrase));
    type_passphrase(&mut s, "x");
    assert_eq!(s.problem(), None);
}

#[test]
fn opening_a_missing_file_says_so_before_asking_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = screen(&dir.path().join("nothing.db"));
    type_passphrase(&mut s, "egal");
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert_eq!(s.problem(), Some(&Problem::Missing));
    let _ = s.update(Message::PathChanged("  ".into()));
    let _ = s.update(Message::Submit);
    assert_eq!(s.problem(), Some(&Problem::NoPath));
}

#[test]
fn create_refuses_a_mismatch_a_short_passphrase_and_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let new_path = dir.path().join("neu.db");
    let mut s = screen(&new_path);
    let _ = s.update(Message::ShowCreate);
    assert_eq!(s.mode(), Mode::Create);

    type_passphrase(&mut s, "lange Passphrase 1");
    let _ = s.update(Message::RepeatChanged(Secret("lange Passphrase 2".into())));
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert_eq!(s.problem(), Some(&Problem::Mismatch));

    type_passphrase(&mut s, "abc");
    let _ = s.update(Message::RepeatChanged(Secret("abc".into())));
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert_eq!(s.problem(), Some(&Problem::TooShort));
    assert!(
        !new_path.exists(),
        "nothing is written while the form is invalid"
    );

    let existing = fixture::empty();
    let _ = s.update(Message::PathChanged(existing.path.display().to_string()));
    type_passphrase(&mut s, "lange Passphrase 1");
    let _ = s.update(Message::RepeatChanged(Secret("lange Passphrase 1".into())));
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert_eq!(s.problem(), Some(&Problem::Exists));

    let _ = s.update(Message::PathChanged(new_path.display().to_string()));
    assert!(matches!(s.update(Message::Submit), Action::Run(_)));
    assert_eq!(s.busy(), Some(Busy::Creating));
}

#[test]
fn a_successful_open_hands_the_register_to_the_root() {
    let reg = fixture::empty();
    let mut s = screen(&reg.path);
    type_passphrase(&mut s, fixture::PASSPHRASE);
    let _ = s.update(Message::Submit);
    let handle = RegisterHandle::new(Register::open(&reg.path, fixture::PASSPHRASE).unwrap());
    let action = s.update(Message::Opened(Ok(Unlocked {
        handle,
        path: reg.path.clone(),
        demo: false,
    })));
    match action {
        Action::Unlocked(u) => assert_eq!(u.path, reg.path),
        _ => panic!("expected the register to be handed over"),
    }
    assert_eq!(s.busy(), None);
}

#[test]
fn the_demo_button_exists_only_with_a_place_for_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let mut without = screen(&dir.path().join("r.db"));
    assert!(matches!(without.update(Message::OpenDemo), Action::None));
    let (mut with, _) = State::new(
        Lang::En,
        &dir.path().join("r.db"),
        Some(dir.path().join("demo.db")),
    );
    assert!(matches!(with.update(Message::OpenDemo), Action::Run(_)));
    assert_eq!(with.busy(), Some(Busy::Demo));
}

#[test]
fn a_chosen_file_fills_the_path_and_a_cancelled_dialog_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = screen(&dir.path().join("r.db"));
    let _ = s.update(Message::FileChosen(None));
    assert!(s.path().ends_with("r.db"));
    let _ = s.update(Message::FileChosen(Some(dir.path().join("anders.db"))));
    assert!(s.path().ends_with("anders.db"));
}

#[test]
fn strength_grows_with_length() {
    assert_eq!(strength(""), Strength::TooShort);
    assert_eq!(strength("abc"), Strength::TooShort);
    assert_eq!(strength("abcd"), Strength::Weak);
    assert_eq!(strength("abcdefgh"), Strength::Fair);
    assert_eq!(strength("abcdefghijkl"), Strength::Fair);
    assert_eq!(strength("Abcdefghijkl"), Strength::Strong);
    assert_eq!(strength("pferd batterie heftklammer"), Strength::Strong);
    // Characters, not bytes: four umlauts are four characters.
    assert_eq!(strength("äöüß"), Strength::Weak);
}

#[test]
fn secrets_do_not_show_in_debug_output() {
    let m = Message::PassphraseChanged(Secret("streng geheim".into()));
    assert!(!format!("{m:?}").contains("geheim"));
}

fn type_user(s: &mut State, u: &str) {
    let _ = s.update(Message::UserChanged(u.into()));
}

/// Submits and runs the open task as the runtime would; returns what it handed over.
fn submit_and_open(s: &mut State) -> Action {
    let Action::Run(task) = s.update(Message::Submit) else {
        panic!("expected the open task, problem: {:?}", s.problem());
    };
    let mut last = Action::None;
    for m in fixture::run_task(task) {
        last = s.update(m);
    }
    last
}

#[test]
fn the_user_field_defaults_to_admin_and_an_empty_one_is_refused() {
    let reg = fixture::empty();
    let mut s = screen(&reg.path);
    assert_eq!(s.user(), "admin");
    type_user(&mut s, "  ");
    type_passphrase(&mut s, fixture::PASSPHRASE);
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert_eq!(s.problem(), Some(&Problem::NoUser));
    // Typing clears it.
    type_user(&mut s, "admin");
    assert_eq!(s.problem(), None);
}

#[test]
fn a_user_signs_in_with_their_role_and_a_wrong_user_is_refused_in_place() {
    let reg = fixture::empty();
    {
        let mut admin = Register::open(&reg.path, fixture::PASSPHRASE).unwrap();
        admin
            .add_user("erika", crate::domain::Role::Officer, "erikas passwort")
            .unwrap();
    }
    let mut s = screen(&reg.path);
    // Another user's passphrase under this name: the same "wrong user or passphrase".
    type_user(&mut s, "erika");
    type_passphrase(&mut s, fixture::PASSPHRASE);
    let _ = submit_and_open(&mut s);
    assert_eq!(s.problem(), Some(&Problem::WrongPassphrase));
    assert_eq!(s.user(), "erika", "the name stays for the next try");

    type_passphrase(&mut s, "erikas passwort");
    match submit_and_open(&mut s) {
        Action::Unlocked(u) => {
            assert_eq!(u.handle.session().user, "erika");
            assert_eq!(u.handle.session().role, crate::domain::Role::Officer);
        }
        _ => panic!("expected erika to be signed in: {:?}", s.problem()),
    }
}

#[test]
fn create_makes_the_typed_user_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("neu.db");
    let mut s = screen(&path);
    let _ = s.update(Message::ShowCreate);
    type_user(&mut s, "chefin");
    type_passphrase(&mut s, "lange Passphrase 1");
    let _ = s.update(Message::RepeatChanged(Secret("lange Passphrase 1".into())));
    match submit_and_open(&mut s) {
        Action::Unlocked(u) => {
            assert_eq!(u.handle.session().user, "chefin");
            assert_eq!(u.handle.session().role, crate::domain::Role::Admin);
        }
        _ => panic!("expected the new register: {:?}", s.problem()),
    }
    assert!(crate::store::keyring_path(&path).exists());
    // A second create over the same path (or only its key file) is refused in place.
    let mut again = screen(&path);
    let _ = again.update(Message::ShowCreate);
    type_passphrase(&mut again, "lange Passphrase 1");
    let _ = again.update(Message::RepeatChanged(Secret("lange Passphrase 1".into())));
    assert!(matches!(again.update(Message::Submit), Action::None));
    assert_eq!(again.problem(), Some(&Problem::Exists));
}

#[test]
fn the_demo_opens_as_the_typed_demo_user_else_as_admin() {
    use crate::gui::unlock::demo_user;
    assert_eq!(demo_user("officer"), "officer");
    assert_eq!(demo_user(" agent "), "agent");
    assert_eq!(demo_user("auditor"), "auditor");
    assert_eq!(demo_user("admin"), "admin");
    assert_eq!(demo_user("erika"), "admin");
    assert_eq!(demo_user(""), "admin");
}
