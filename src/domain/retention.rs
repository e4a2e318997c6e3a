//! § 7a UWG: a consumer's consent to phone advertising must be documented and the evidence
//! kept for five years after it was given and after each use. Unlike `Decision.keep_until`
//! (one purpose, only while the consent is active), this looks at every phone consent the
//! person ever gave, revoked or not — revoking does not end the duty to keep the evidence.

use chrono::{DateTime, FixedOffset};

use super::channel::Channel;
use super::contact::{Contact, Party};
use super::decision::months_after;
use super::event::{Event, EventKind};

/// Months the evidence is kept (5 years).
pub const PHONE_EVIDENCE_MONTHS: u32 = 60;

/// Until when the phone-consent evidence of `contact` must be kept, or `None` when there is
/// none to keep (a business, or no phone consent ever given). Uses after a grant extend it.
pub fn phone_evidence_keep_until(
    contact: &Contact,
    events: &[Event],
) -> Option<DateTime<FixedOffset>> {
    if contact.party != Party::Consumer {
        return None;
    }
    let mut first_grant: Option<DateTime<FixedOffset>> = None;
    let mut latest: Option<DateTime<FixedOffset>> = None;
    let mut later = |at: DateTime<FixedOffset>| {
        if latest.is_none_or(|l| at > l) {
            latest = Some(at);
        }
    };
    for e in events {
        match &e.kind {
            EventKind::ConsentGiven { channels, .. }
            | EventKind::ConsentConfirmed { channels, .. }
                if channels.iter().any(|c| c.covers(Channel::Phone)) =>
            {
                if first_grant.is_none_or(|g| e.at < g) {
                    first_grant = Some(e.at);
                }
                later(e.at);
            }
            _ => {}
        }
    }
    let first_grant = first_grant?;
    for e in events {
        if let EventKind::MarketingSent { channel, .. } = &e.kind {
            if *channel == Channel::Phone && e.at >= first_grant {
                later(e.at);
            }
        }
    }
    months_after(latest?, PHONE_EVIDENCE_MONTHS)
}

/// Whether erasing `contact` at `now` would destroy evidence § 7a still requires.
pub fn phone_evidence_retained(
    contact: &Contact,
    events: &[Event],
    now: DateTime<FixedOffset>,
) -> bool {
    phone_evidence_keep_until(contact, events).is_some_and(|k| now < k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LedgerRecord;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn parse(lines: &[&str]) -> (Contact, Vec<Event>) {
        let mut contact = None;
        let mut events = Vec::new();
        for l in lines {
            match LedgerRecord::parse(l).unwrap() {
                LedgerRecord::Contact(c) => contact = Some(c),
                LedgerRecord::Event(e) => events.push(e),
            }
        }
        (contact.unwrap(), events)
    }

    const CONSUMER: &str =
        r#"{"kind":"contact","id":"K-1","party":"consumer","name":"Erika Mustermann"}"#;
    const BUSINESS: &str =
        r#"{"kind":"contact","id":"K-1","party":"business","company":"Muster GmbH"}"#;
    const GIVEN: &str = r#"{"kind":"event","id":"E1","contact":"K-1","at":"2024-03-01T10:00:00+01:00","type":"consent_given","channels":["phone"],"purposes":["product_offers_own"],"method":"recorded_call","prechecked":false,"verified":["phone"]}"#;
    const USED: &str = r#"{"kind":"event","id":"E2","contact":"K-1","at":"2025-06-01T10:00:00+02:00","type":"marketing_sent","channel":"phone","purpose":"product_offers_own"}"#;
    const REVOKED: &str = r#"{"kind":"event","id":"E3","contact":"K-1","at":"2025-07-01T10:00:00+02:00","type":"consent_revoked","channels":["phone"],"purposes":["product_offers_own"]}"#;
    const EMAIL_ONLY: &str = r#"{"kind":"event","id":"E4","contact":"K-1","at":"2024-03-01T10:00:00+01:00","type":"consent_given","channels":["email"],"purposes":["newsletter"],"method":"web_form_checkbox","prechecked":false}"#;

    #[test]
    fn five_years_after_the_last_use_even_after_revocation() {
        let (c, evs) = parse(&[CONSUMER, GIVEN, USED, REVOKED]);
        assert_eq!(
            phone_evidence_keep_until(&c, &evs),
            Some(at("2030-06-01T10:00:00+02:00"))
        );
        assert!(phone_evidence_retained(
            &c,
            &evs,
            at("2030-06-01T09:59:59+02:00")
        ));
        assert!(!phone_evidence_retained(
            &c,
            &evs,
            at("2030-06-01T10:00:00+02:00")
        ));
    }

    #[test]
    fn five_years_after_the_grant_without_use() {
        let (c, evs) = parse(&[CONSUMER, GIVEN]);
        assert_eq!(
            phone_evidence_keep_until(&c, &evs),
            Some(at("2029-03-01T10:00:00+01:00"))
        );
    }

    #[test]
    fn nothing_to_keep_for_businesses_or_without_phone_consent() {
        let (b, evs) = parse(&[BUSINESS, GIVEN, USED]);
        assert_eq!(phone_evidence_keep_until(&b, &evs), None);
        let (c, evs) = parse(&[CONSUMER, EMAIL_ONLY, USED]);
        assert_eq!(phone_evidence_keep_until(&c, &evs), None);
        assert!(!phone_evidence_retained(
            &c,
            &evs,
            at("2025-01-01T00:00:00Z")
        ));
    }
}
