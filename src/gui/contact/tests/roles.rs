//! What the contact screen offers by role: an agent sees the record and report buttons
//! disabled, and their messages start nothing even if sent (the register would refuse
//! too); an officer may record; an auditor may make reports but not record.

use super::*;
use crate::domain::Role;

fn fixture_as(role: Role) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("roles.db"), "test passphrase").unwrap();
    reg.import_records(demo_ledger(demo_instant(), 7, 20).unwrap())
        .unwrap();
    reg.set_session_for_test("someone", role);
    Fixture {
        _dir: dir,
        handle: RegisterHandle::new(reg),
    }
}

/// Clicks the button labelled `label` and returns the messages it produced.
fn click(s: &State, label: &str) -> Vec<Message> {
    let mut ui = sim(s.view());
    ui.click(label).expect("the button is shown");
    ui.into_messages().collect()
}

#[test]
fn an_agent_sees_the_record_buttons_disabled_and_cannot_record() {
    let f = fixture_as(Role::Agent);
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let before = event_count(&f.handle, "K-1001");
    // Shown, not hidden: the agent learns what the role does not cover.
    for kind in [
        FormKind::Objection,
        FormKind::Revocation,
        FormKind::Classify,
    ] {
        let label = text_of(Lang::En, &format!("form-open-{}", kind.key()));
        assert!(click(&s, &label).is_empty(), "{label} is disabled");
    }
    for key in ["reports-gui-evidence", "reports-gui-access"] {
        assert!(click(&s, t(Lang::En, key)).is_empty(), "{key} is disabled");
    }
    // Sent anyway (a stale message, a shortcut): nothing opens, nothing runs.
    assert!(matches!(
        s.update(Message::OpenForm(FormKind::Objection)),
        Action::None
    ));
    assert!(s.form().is_none());
    assert!(matches!(s.update(Message::Submit), Action::None));
    assert!(matches!(
        s.update(Message::Reports(reports::Message::Evidence)),
        Action::None
    ));
    assert!(matches!(
        s.update(Message::Reports(reports::Message::Access)),
        Action::None
    ));
    assert_eq!(event_count(&f.handle, "K-1001"), before);
    // Reading stays: the purpose can be changed and the view reloads.
    let view = s.contact_view().unwrap();
    assert_eq!(view.contact.id, "K-1001");
    assert_eq!(view.channels.len(), 4);
}

#[test]
fn the_register_refuses_an_agents_write_that_got_past_the_screen() {
    let f = fixture_as(Role::Agent);
    let mut s = open(&f.handle, "K-1001", Lang::En);
    // A form filled while the role allowed it (the screen cannot know of a later change).
    let mut form = Form::new(FormKind::Note, "newsletter", "anna", Lang::En);
    form.update(FormMessage::Text("text", "called back".into()), Lang::En);
    s.form = Some(form);
    let before = event_count(&f.handle, "K-1001");
    let action = run_write(&mut s);
    assert!(matches!(action, Action::None));
    let problem = &s.form().unwrap().errors["form"];
    assert!(
        problem.contains("may not record events") && problem.contains("officer or admin"),
        "{problem}"
    );
    assert_eq!(event_count(&f.handle, "K-1001"), before);
}

#[test]
fn an_officer_may_record_and_an_auditor_only_report() {
    let f = fixture_as(Role::Officer);
    let mut s = open(&f.handle, "K-1001", Lang::En);
    let label = text_of(Lang::En, "form-open-objection");
    let messages = click(&s, &label);
    assert!(!messages.is_empty());
    feed(&mut s, messages);
    assert_eq!(s.form().unwrap().kind, FormKind::Objection);

    let f = fixture_as(Role::Auditor);
    let mut s = open(&f.handle, "K-1001", Lang::En);
    assert!(click(&s, &label).is_empty(), "an auditor never writes");
    let messages = click(&s, t(Lang::En, "reports-gui-evidence"));
    assert_eq!(messages.len(), 1, "an auditor makes reports");
    let actions = feed(&mut s, messages);
    assert!(matches!(actions[0], Action::Run(_)));
}
