//! The pseudonymised analytics export (LEGAL.md: Art. 4 Nr. 5 DSGVO). One row per contact
//! without an objection: an HMAC-SHA256 pseudonym under a key that stays inside the register,
//! and coarse fields only — no name, email, phone, street, city or customer number.

use chrono::{DateTime, FixedOffset};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::domain::{
    classify, decide, Address, Channel, ConsentFold, Contact, Event, Policy, Purpose, Query,
    QueryChannel, ReasonCode,
};

/// The purposes exported when none are asked for (DESIGN.md, "Ledger format").
pub use crate::domain::channel::WELL_KNOWN_PURPOSES;

/// The setting holding the pseudonym key (hex). Never exported, never printed.
pub const KEY_SETTING: &str = "analytics_pseudonym_key";

/// HMAC-SHA256 of the contact id under the register's key, in hex. Without the key the
/// pseudonym cannot be tied back to the contact, nor recomputed from a guessed id.
pub fn pseudonym(key: &[u8], contact_id: &str) -> String {
    // HMAC takes keys of any length; the error branch cannot happen.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(contact_id.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The first two digits of a German postcode (`10115` → `10`), the coarse area a postcode
/// names without pointing at a street. Empty for other countries or no postcode.
pub fn postcode_area(address: Option<&Address>) -> String {
    let Some(a) = address else {
        return String::new();
    };
    let german = a.country.as_deref().is_none_or(|c| {
        matches!(
            c.trim().to_uppercase().as_str(),
            "DE" | "DEU" | "GERMANY" | "DEUTSCHLAND"
        )
    });
    match a.postcode.as_deref().map(str::trim) {
        Some(p) if german && p.len() == 5 && p.chars().all(|c| c.is_ascii_digit()) => {
            p[..2].to_owned()
        }
        _ => String::new(),
    }
}

/// A purpose no consent names. The engine lifts an objection for a channel only for the
/// exact purpose a later consent covers; asking for this one therefore finds every
/// objection still standing on a channel, even if it was lifted for, say, the newsletter.
const PROBE_PURPOSE: &str = "any_direct_marketing";

/// Whether the person objected (Art. 21 DSGVO) as of `at`, as the decision engine reads the
/// ledger: `DENY_OBJECTION` on any channel (for any purpose not expressly consented to
/// again), or for profiling for direct marketing. Such people are left out of the export.
pub fn has_objection(
    contact: &Contact,
    events: &[Event],
    policy: &Policy,
    at: DateTime<FixedOffset>,
) -> bool {
    let objected = |channel: QueryChannel, purpose: &str| {
        Purpose::parse(purpose).is_ok_and(|p| {
            decide(contact, events, &Query::new(channel, p, at), policy, false).reason
                == ReasonCode::DenyObjection
        })
    };
    Channel::ALL
        .iter()
        .any(|c| objected(QueryChannel::Contact(*c), PROBE_PURPOSE))
        || objected(QueryChannel::None, "profiling_direct_marketing")
}

/// The header: fixed coarse fields, then `consent_<channel>_<purpose>` per purpose.
pub fn header(purposes: &[Purpose]) -> Vec<String> {
    let mut h: Vec<String> = [
        "pseudonym",
        "party",
        "relationship",
        "postcode_area",
        "country",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for p in purposes {
        for c in Channel::ALL {
            h.push(format!("consent_{}_{}", c.as_str(), p.as_str()));
        }
    }
    h
}

/// One contact's row, or `None` for a person with an objection.
pub fn row(
    key: &[u8],
    contact: &Contact,
    events: &[Event],
    policy: &Policy,
    at: DateTime<FixedOffset>,
    purposes: &[Purpose],
) -> Option<Vec<String>> {
    if has_objection(contact, events, policy, at) {
        return None;
    }
    let mut evs: Vec<&Event> = events.iter().filter(|e| e.at <= at).collect();
    evs.sort_by_key(|e| e.at);
    let country = contact
        .address
        .as_ref()
        .and_then(|a| a.country.as_deref())
        .map(|c| c.trim().to_uppercase())
        .filter(|c| c.len() <= 3)
        .unwrap_or_default();
    let mut r = vec![
        pseudonym(key, &contact.id),
        contact.party.as_str().to_owned(),
        classify(contact, &evs).relationship.as_str().to_owned(),
        postcode_area(contact.address.as_ref()),
        country,
    ];
    for p in purposes {
        for c in Channel::ALL {
            r.push(ConsentFold::fold(&evs, c, p).state.as_str().to_owned());
        }
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LedgerRecord;

    fn ledger(lines: &[&str]) -> (Contact, Vec<Event>) {
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

    #[test]
    fn an_objection_lifted_for_one_purpose_still_leaves_the_person_out() {
        let c = r#"{"kind":"contact","id":"K-1","party":"consumer","name":"A","emails":["a@x.de"],"address":{"postcode":"10115","country":"DE"}}"#;
        let objection = r#"{"kind":"event","id":"E-1","contact":"K-1","at":"2025-01-01T10:00:00Z","type":"objection","scope":"channels","channels":["email"],"via":"letter"}"#;
        let again = r#"{"kind":"event","id":"E-2","contact":"K-1","at":"2025-02-01T10:00:00Z","type":"consent_given","channels":["email"],"purposes":["newsletter"],"method":"paper_form","consent_text_id":"CT-1"}"#;
        let withdrawn = r#"{"kind":"event","id":"E-3","contact":"K-1","at":"2025-03-01T10:00:00Z","type":"objection_withdrawn","via":"letter"}"#;
        let policy = Policy::default();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let (contact, events) = ledger(&[c, objection, again, withdrawn]);
        let key = b"k";
        let purposes = [Purpose::parse("newsletter").unwrap()];
        let row_at = |t: &str| row(key, &contact, &events, &policy, at(t), &purposes);
        assert!(
            row_at("2024-12-31T00:00:00Z").is_some(),
            "before the objection"
        );
        assert!(row_at("2025-01-15T00:00:00Z").is_none(), "objected");
        assert!(
            row_at("2025-02-15T00:00:00Z").is_none(),
            "lifted for the newsletter only"
        );
        let r = row_at("2025-03-15T00:00:00Z").expect("objection withdrawn");
        assert_eq!(r[1..5], ["consumer", "prospect", "10", "DE"]);
        assert_eq!(r[5], "active");
    }

    #[test]
    fn pseudonyms_depend_on_the_key() {
        let a = pseudonym(b"key one", "K-1001");
        assert_eq!(a.len(), 64);
        assert_eq!(a, pseudonym(b"key one", "K-1001"));
        assert_ne!(a, pseudonym(b"key two", "K-1001"));
        assert_ne!(a, pseudonym(b"key one", "K-1002"));
    }

    #[test]
    fn postcode_area_is_two_digits_of_a_german_postcode() {
        let addr = |postcode: &str, country: Option<&str>| Address {
            postcode: Some(postcode.into()),
            country: country.map(str::to_owned),
            ..Default::default()
        };
        assert_eq!(postcode_area(Some(&addr("10115", Some("DE")))), "10");
        assert_eq!(postcode_area(Some(&addr("80331", None))), "80");
        assert_eq!(postcode_area(Some(&addr("1010", Some("AT")))), "");
        assert_eq!(postcode_area(Some(&addr("D-10115", None))), "");
        assert_eq!(postcode_area(None), "");
    }
}
