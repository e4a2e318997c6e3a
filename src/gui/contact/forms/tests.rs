//! The forms turn input into exactly the ledger event the domain accepts, and name the
//! field of every problem.

use super::*;
use crate::domain::{ChannelSel, EventKind, ObjectionScope};

fn form(kind: FormKind) -> Form {
    let mut f = Form::new(kind, "newsletter", "olaf", Lang::En);
    f.update(FormMessage::Date("2026-03-12".into()), Lang::En);
    f.update(FormMessage::Time("10:30".into()), Lang::En);
    f
}

fn event(f: &mut Form) -> Event {
    match f.submission("K-1001", Lang::En) {
        Some(Submission::Record(e)) => *e,
        other => panic!(
            "expected an event, got {other:?} with errors {:?}",
            f.errors
        ),
    }
}

#[test]
fn an_objection_against_all_marketing_becomes_the_ledger_event() {
    let mut f = form(FormKind::Objection);
    f.update(FormMessage::Text("via", "letter".into()), Lang::En);
    f.update(
        FormMessage::Text("note", "Brief vom 28.11.".into()),
        Lang::En,
    );
    let e = event(&mut f);
    assert_eq!(
        e.kind,
        EventKind::Objection {
            scope: ObjectionScope::All,
            via: Some("letter".into())
        }
    );
    assert_eq!(e.contact, "K-1001");
    assert_eq!(e.source.as_deref(), Some("gui"));
    assert_eq!(e.note.as_deref(), Some("Brief vom 28.11."));
    assert_eq!(
        e.at,
        when::parse_local("2026-03-12", "10:30", Lang::En).unwrap()
    );
}

#[test]
fn an_objection_for_chosen_channels_needs_a_channel() {
    let mut f = form(FormKind::Objection);
    f.update(FormMessage::ObjectionAll(false), Lang::En);
    assert!(f.submission("K-1001", Lang::En).is_none());
    assert_eq!(f.errors["channels"], t(Lang::En, "form-error-choose"));
    f.update(FormMessage::Channel(Channel::Phone, true), Lang::En);
    f.update(FormMessage::Channel(Channel::Sms, true), Lang::En);
    assert!(f.errors.is_empty(), "editing the field clears its problem");
    let e = event(&mut f);
    assert_eq!(
        e.kind,
        EventKind::Objection {
            scope: ObjectionScope::Channels(vec![Channel::Sms, Channel::Phone]),
            via: None
        }
    );
}

#[test]
fn a_consent_without_channels_or_method_is_refused_at_those_fields() {
    let mut f = form(FormKind::ConsentGiven);
    f.update(FormMessage::Text("method", "  ".into()), Lang::En);
    assert!(f.submission("K-1001", Lang::En).is_none());
    // The domain stops at the first problem; the channel list comes first.
    assert_eq!(f.errors["channels"], t(Lang::En, "form-error-choose"));
    f.update(FormMessage::Channel(Channel::Email, true), Lang::En);
    assert!(f.submission("K-1001", Lang::En).is_none());
    assert_eq!(f.errors["method"], t(Lang::En, "form-error-required"));
    f.update(FormMessage::Text("method", "paper_form".into()), Lang::En);
    f.update(FormMessage::Verified("email", true), Lang::En);
    f.update(
        FormMessage::OtherPurposes("event_invitations, newsletter".into()),
        Lang::En,
    );
    let e = event(&mut f);
    let EventKind::ConsentGiven {
        channels,
        purposes,
        method,
        verified,
        ..
    } = e.kind
    else {
        panic!("not a consent")
    };
    assert_eq!(channels, vec![ChannelSel::One(Channel::Email)]);
    let purposes: Vec<&str> = purposes.iter().map(|p| p.as_str()).collect();
    assert_eq!(purposes, ["newsletter", "event_invitations"]);
    assert_eq!(method, "paper_form");
    assert_eq!(verified, Some(vec!["email".to_owned()]));
}

#[test]
fn a_typed_purpose_must_be_an_identifier() {
    let mut f = form(FormKind::ConsentRequested);
    f.update(FormMessage::Channel(Channel::Email, true), Lang::De);
    f.update(
        FormMessage::OtherPurposes("Gewinnspiel 2026".into()),
        Lang::De,
    );
    assert!(f.submission("K-1001", Lang::De).is_none());
    assert!(
        f.errors["purposes"].contains("Gewinnspiel 2026"),
        "{:?}",
        f.errors
    );
}

#[test]
fn a_revocation_can_cover_every_channel_and_purpose() {
    let mut f = form(FormKind::Revocation);
    f.update(FormMessage::AllChannels(true), Lang::En);
    f.update(FormMessage::AllPurposes(true), Lang::En);
    f.update(FormMessage::Text("via", "phone".into()), Lang::En);
    let e = event(&mut f);
    let (channels, purposes) = e.kind.consent_scope().unwrap();
    assert_eq!(channels, [ChannelSel::Any]);
    assert!(purposes[0].is_wildcard() && purposes.len() == 1);
}

#[test]
fn a_purchase_needs_its_category_and_keeps_the_flags() {
    let mut f = form(FormKind::Purchase);
    assert!(f.submission("K-1001", Lang::En).is_none());
    assert_eq!(
        f.errors["product_category"],
        t(Lang::En, "form-error-required")
    );
    f.update(
        FormMessage::Text("product_category", "coffee".into()),
        Lang::En,
    );
    f.update(FormMessage::Flag("email_collected", true), Lang::En);
    f.update(FormMessage::Text("order_ref", "A-77".into()), Lang::En);
    let e = event(&mut f);
    assert_eq!(
        e.kind,
        EventKind::Purchase {
            product_category: "coffee".into(),
            email_collected: true,
            phone_collected: Some(false),
            objection_notice_given: false,
            order_ref: Some("A-77".into()),
        }
    );
}

#[test]
fn a_wrong_date_or_time_is_shown_at_the_time_field_together_with_other_problems() {
    let mut f = form(FormKind::Note);
    f.update(FormMessage::Date("31.02.2026".into()), Lang::De);
    assert!(f.submission("K-1001", Lang::De).is_none());
    assert_eq!(f.errors["when"], t(Lang::De, "contact-when-bad-date"));
    assert_eq!(f.errors["text"], t(Lang::De, "form-error-required"));
    f.update(FormMessage::Date("12.03.2026".into()), Lang::De);
    f.update(FormMessage::Time("9.30".into()), Lang::De);
    f.update(
        FormMessage::Text("text", "Rückruf erbeten".into()),
        Lang::De,
    );
    assert!(f.submission("K-1001", Lang::De).is_none());
    assert_eq!(f.errors["when"], t(Lang::De, "contact-when-bad-time"));
    f.update(FormMessage::Time("09:30".into()), Lang::De);
    assert_eq!(
        event(&mut f).kind,
        EventKind::Note {
            text: "Rückruf erbeten".into()
        }
    );
}

#[test]
fn classifying_needs_a_reason() {
    let mut f = form(FormKind::Classify);
    assert!(f.submission("K-1001", Lang::En).is_none());
    assert_eq!(f.errors["reason"], t(Lang::En, "form-error-required"));
    f.update(FormMessage::Relationship(Relationship::Prospect), Lang::En);
    f.update(
        FormMessage::Text("reason", "Vertrag beendet".into()),
        Lang::En,
    );
    match f.submission("K-1001", Lang::En) {
        Some(Submission::Classify {
            relationship,
            reason,
            ..
        }) => {
            assert_eq!(relationship, Relationship::Prospect);
            assert_eq!(reason, "Vertrag beendet");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn presumed_consent_is_offered_only_for_businesses() {
    assert!(FormKind::PresumedConsent.offered_for(Party::Business));
    assert!(!FormKind::PresumedConsent.offered_for(Party::Consumer));
    assert!(FormKind::Objection.offered_for(Party::Consumer));
}

#[test]
fn every_form_and_field_has_its_texts_in_both_languages() {
    for lang in [Lang::De, Lang::En] {
        for kind in FormKind::ALL {
            for key in [
                format!("form-open-{}", kind.key()),
                format!("form-title-{}", kind.key()),
            ] {
                assert_ne!(t(lang, &key), key);
            }
            for f in kind.fields() {
                if let Field::Text(n) | Field::Flag(n) = f {
                    let key = format!("form-field-{n}");
                    assert_ne!(t(lang, &key), key);
                }
            }
        }
    }
}
