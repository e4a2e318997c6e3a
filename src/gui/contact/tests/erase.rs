//! Erasing from the contact screen through `update()`: the confirmation step, the § 7a
//! warning that needs its own tick, the erased view, and a role that may not erase.

use super::*;
use crate::domain::{Event, ReasonCode};
use crate::gui::contact::erase::Message as E;
use crate::gui::report_save::testing::run_task;

/// Feeds `m` and every message its tasks produce back into the screen; the last action.
fn drive(s: &mut State, m: Message) -> Vec<&'static str> {
    let mut seen = Vec::new();
    let mut queue = vec![m];
    while let Some(m) = queue.pop() {
        match s.update(m) {
            Action::Run(task) => {
                seen.push("run");
                // Focus operations yield no message; register calls do.
                queue.extend(run_task(task));
            }
            Action::Changed => seen.push("changed"),
            Action::Back => seen.push("back"),
            Action::None => {}
        }
    }
    seen
}

/// A demo contact with (`true`) or without phone-consent evidence still to keep.
fn contact_with_retention(handle: &RegisterHandle, wanted: bool) -> String {
    handle
        .call_blocking(|reg| {
            for c in reg.search("K-10", 50, when::now())? {
                let keep = reg.retention_until(&c.contact, when::now())?.is_some();
                if keep == wanted {
                    return Ok(c.contact.id);
                }
            }
            Ok(String::new())
        })
        .unwrap()
}

fn erased_everywhere(s: &State) -> bool {
    let view = s.contact_view().unwrap();
    crate::domain::erasure::is_erased(&view.contact)
        && view
            .channels
            .iter()
            .all(|(_, d)| d.reason == ReasonCode::DenySuppressionList)
}

#[test]
fn erasing_needs_a_reason_then_shows_the_erased_contact() {
    let f = fixture();
    let id = contact_with_retention(&f.handle, false);
    assert!(
        !id.is_empty(),
        "the demo has a contact without phone consent"
    );
    let mut s = open(&f.handle, &id, Lang::En);
    drive(&mut s, Message::Erase(E::Open));
    assert!(s.eraser.is_open());
    assert_eq!(s.eraser.retention(), None);
    // Enter without a reason says so and erases nothing.
    drive(&mut s, Message::Erase(E::Confirm));
    assert_eq!(s.eraser.error(), Some(t(Lang::En, "erase-reason-missing")));
    drive(&mut s, Message::Erase(E::Reason("Art. 17 request".into())));
    let seen = drive(&mut s, Message::Erase(E::Confirm));
    assert!(seen.contains(&"changed"), "{seen:?}");
    assert!(!s.eraser.is_open());
    assert!(s.eraser.done().unwrap().contains("suppression"));
    assert!(erased_everywhere(&s));
    // The erased contact offers no second erasure; its view says it is erased.
    let mut ui = sim(s.view());
    assert!(ui.find(t(Lang::En, "erase-button")).is_err());
    assert!(ui.find(t(Lang::En, "erased-banner")).is_ok());
}

#[test]
fn the_retention_warning_needs_its_own_confirmation() {
    let f = fixture();
    let id = contact_with_retention(&f.handle, false);
    // Give the contact a phone consent: its evidence must now be kept for five years.
    f.handle
        .call_blocking(|reg| {
            let e = Event::from_object(
                serde_json::json!({"contact": id, "at": "2026-05-01T10:00:00+02:00",
                    "type": "consent_given", "channels": ["phone"],
                    "purposes": ["product_offers_own"], "method": "recorded_call",
                    "consent_text_id": "CT-1"})
                .as_object()
                .unwrap()
                .clone(),
            )?;
            reg.record(e)
        })
        .unwrap();
    let mut s = open(&f.handle, &id, Lang::De);
    drive(&mut s, Message::Erase(E::Open));
    let until = s.eraser.retention().expect("a retention date");
    assert_eq!(until.format("%Y").to_string(), "2031");
    drive(&mut s, Message::Erase(E::Reason("Antrag".into())));
    // Without the tick the step does nothing, and the German warning names the date.
    drive(&mut s, Message::Erase(E::Confirm));
    assert!(s.eraser.is_open() && !erased_everywhere(&s));
    let mut ui = sim(s.view());
    let warning = tf(
        Lang::De,
        "erase-retention",
        &[("until", &when::date_text(&until, Lang::De))],
    );
    assert!(ui.find(warning.as_str()).is_ok());
    drop(ui);
    drive(&mut s, Message::Erase(E::ConfirmRetention(true)));
    drive(&mut s, Message::Erase(E::Confirm));
    assert!(erased_everywhere(&s));
    // Esc after the erasure goes back (nothing is open any more).
    assert!(matches!(s.update(Message::Escape), Action::Back));
}

#[test]
fn a_refused_erasure_is_shown_in_german_on_a_german_screen() {
    let f = fixture();
    let id = contact_with_retention(&f.handle, false);
    let mut s = open(&f.handle, &id, Lang::De);
    drive(&mut s, Message::Erase(E::Open));
    drive(&mut s, Message::Erase(E::Reason("Antrag".into())));
    // Someone else erases the contact meanwhile: the register refuses the second erasure.
    f.handle
        .call_blocking(|reg| reg.erase(&id, "anderswo", false))
        .unwrap();
    drive(&mut s, Message::Erase(E::Confirm));
    let want = format!(
        "Der Kontakt {id} ist bereits gelöscht. — Nichts zu tun: Seine Kennungen bleiben gesperrt."
    );
    assert_eq!(s.eraser.error(), Some(want.as_str()));
    let mut ui = sim(s.view());
    assert!(ui.find(want.as_str()).is_ok());
    assert!(ui
        .find(format!("contact {id} is already erased").as_str())
        .is_err());
}

#[test]
fn an_agent_cannot_erase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut admin = Register::create(&path, "test passphrase").unwrap();
    admin
        .import_records(demo_ledger(demo_instant(), 7, 10).unwrap())
        .unwrap();
    admin
        .add_user("agnes", Role::Agent, "test passphrase")
        .unwrap();
    drop(admin);
    let handle = RegisterHandle::new(Register::open_as(&path, "agnes", "test passphrase").unwrap());
    let mut s = open(&handle, "K-1001", Lang::En);
    assert!(drive(&mut s, Message::Erase(E::Open)).is_empty());
    assert!(!s.eraser.is_open());
    // The button is there, disabled: clicking it sends nothing.
    let mut ui = sim(s.view());
    let _ = ui.click(t(Lang::En, "erase-button"));
    assert_eq!(ui.into_messages().count(), 0);
}

#[test]
fn the_import_summary_names_rows_of_erased_people() {
    use crate::gui::import::{summary_lines, work::Outcome};
    let quiet = summary_lines(&Outcome::default(), Lang::De);
    assert!(!quiet.iter().any(|l| l.contains("DENY_SUPPRESSION_LIST")));
    let o = Outcome {
        suppressed: 2,
        ..Outcome::default()
    };
    let lines = summary_lines(&o, Lang::En);
    let want = tf(Lang::En, "import-suppressed", &[("n", "2")]);
    assert!(lines.contains(&want), "{lines:?}");
}
