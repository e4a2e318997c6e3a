//! Erasure (Art. 17 DSGVO) with a suppression entry (LEGAL.md, "erasure vs. blocking"):
//! which identifiers of a person go on the suppression list, as what keyed hash, and what
//! is left of the contact (the § 7a retention check is `domain::retention`). Pure: the key
//! comes from the caller.

use std::collections::HashSet;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::contact::Contact;
use super::event::{Event, EventKind};
use super::identifiers::{looks_like_phone, normalise_email, normalise_phone};

pub type KeyedHash = [u8; 32];

/// The name an erased contact keeps (the field may not be empty).
pub const ERASED_NAME: &str = "[erased]";

/// What kind of identifier a suppression entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    Email,
    Phone,
    Address,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Email => "email",
            IdKind::Phone => "phone",
            IdKind::Address => "address",
        }
    }
}

/// HMAC-SHA256 of a normalised identifier under the register's suppression key. Without the
/// key (which never leaves the register) a hash cannot be tested against a guessed address.
pub fn keyed_hash(key: &[u8], kind: IdKind, normalised: &str) -> KeyedHash {
    KeyedHasher::new(key).hash(kind, normalised)
}

/// [`keyed_hash`] with the key schedule done once, for screening many rows.
#[derive(Clone)]
pub struct KeyedHasher(Option<Hmac<Sha256>>);

impl KeyedHasher {
    pub fn new(key: &[u8]) -> Self {
        // HMAC takes keys of any length: `None` cannot happen.
        KeyedHasher(Hmac::<Sha256>::new_from_slice(key).ok())
    }

    pub fn hash(&self, kind: IdKind, normalised: &str) -> KeyedHash {
        match self.0.clone() {
            Some(mut mac) => {
                mac.update(kind.as_str().as_bytes());
                mac.update(&[0]);
                mac.update(normalised.as_bytes());
                mac.finalize().into_bytes().into()
            }
            None => [0; 32],
        }
    }
}

/// The suppression list as a decision needs it (LEGAL.md step 2): the keyed hashes of
/// erased people's identifiers and the ids of erased contacts.
#[derive(Clone)]
pub struct SuppressionList {
    hasher: KeyedHasher,
    hashes: HashSet<KeyedHash>,
    erased: HashSet<String>,
}

impl SuppressionList {
    pub fn new(key: &[u8], hashes: HashSet<KeyedHash>, erased: HashSet<String>) -> Self {
        SuppressionList {
            hasher: KeyedHasher::new(key),
            hashes,
            erased,
        }
    }

    /// Whether this normalised identifier belongs to an erased person.
    pub fn holds(&self, kind: IdKind, normalised: &str) -> bool {
        self.hashes.contains(&self.hasher.hash(kind, normalised))
    }

    /// An email address or phone number as typed.
    pub fn holds_text(&self, text: &str) -> bool {
        identifier_of(text).is_some_and(|(k, v)| self.holds(k, &v))
    }

    pub fn is_erased_id(&self, contact_id: &str) -> bool {
        self.erased.contains(contact_id)
    }

    /// Whether any of the contact's own emails, phones or address is on the list (an
    /// import counts such contacts: they go in, but every decision denies them).
    pub fn lists_identifier_of(&self, contact: &Contact) -> bool {
        identifiers(contact, &[])
            .iter()
            .any(|(k, v)| self.holds(*k, v))
    }

    /// Whether the contact was erased, or any of its identifiers (see [`identifiers`]) is
    /// on the list: then every decision is `DENY_SUPPRESSION_LIST`.
    pub fn covers(&self, contact: &Contact, events: &[Event]) -> bool {
        self.erased.contains(&contact.id)
            || identifiers(contact, events)
                .iter()
                .any(|(k, v)| self.holds(*k, v))
    }
}

/// An email address or phone number as typed, normalised; `None` for anything else.
pub fn identifier_of(text: &str) -> Option<(IdKind, String)> {
    let text = text.trim();
    if text.contains('@') {
        return normalise_email(text).ok().map(|e| (IdKind::Email, e));
    }
    if looks_like_phone(text) {
        return normalise_phone(text).ok().map(|p| (IdKind::Phone, p));
    }
    None
}

/// Every identifier of the person: the contact's emails, phones and address, the
/// `identifier` of consent events and the old and new values of changed emails and phones.
/// Normalised, sorted, without duplicates.
pub fn identifiers(contact: &Contact, events: &[Event]) -> Vec<(IdKind, String)> {
    let mut out: Vec<(IdKind, String)> = Vec::new();
    out.extend(contact.emails.iter().map(|e| (IdKind::Email, e.clone())));
    out.extend(contact.phones.iter().map(|p| (IdKind::Phone, p.clone())));
    if let Some(a) = &contact.address {
        let n = a.normalised();
        if !n.is_empty() {
            out.push((IdKind::Address, n));
        }
    }
    for e in events {
        match &e.kind {
            EventKind::ConsentRequested { identifier, .. }
            | EventKind::ConsentConfirmed { identifier, .. }
            | EventKind::ConsentGiven { identifier, .. } => {
                out.extend(identifier.as_deref().and_then(identifier_of));
            }
            EventKind::ContactChanged { field, old, new }
                if field == "emails" || field == "phones" =>
            {
                for v in [old, new].into_iter().flatten() {
                    for text in texts(v) {
                        out.extend(identifier_of(text));
                    }
                }
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

fn texts(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => s.split(',').collect(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What is left of an erased contact: id, party and relationship (so the ledger's skeleton
/// still reads), a placeholder name and the `erased` marker.
pub fn erased_contact(c: &Contact) -> Contact {
    let mut extra = super::json::Object::new();
    extra.insert("erased".into(), Value::Bool(true));
    Contact {
        id: c.id.clone(),
        party: c.party,
        relationship: c.relationship,
        name: ERASED_NAME.to_owned(),
        company: None,
        emails: Vec::new(),
        phones: Vec::new(),
        address: None,
        customer_number: None,
        tags: Vec::new(),
        extra,
    }
}

/// Whether the record is the minimal form [`erased_contact`] leaves.
pub fn is_erased(c: &Contact) -> bool {
    c.extra.get("erased") == Some(&Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contact(v: Value) -> Contact {
        Contact::from_object(v.as_object().cloned().unwrap_or_default()).unwrap()
    }

    fn event(v: Value) -> Event {
        Event::from_object(v.as_object().cloned().unwrap_or_default()).unwrap()
    }

    fn erika() -> Contact {
        contact(
            json!({"id":"K-1","party":"consumer","name":"Erika Mustermann",
            "emails":["erika@example.de"],"phones":["030 1234567"],
            "address":{"street":"Musterstr. 1","postcode":"10115","city":"Berlin","country":"DE"}}),
        )
    }

    #[test]
    fn identifiers_come_from_the_contact_and_its_events() {
        let events = [
            event(
                json!({"contact":"K-1","at":"2025-01-01T00:00:00Z","type":"consent_requested",
                "channels":["email"],"purposes":["newsletter"],"method":"web","prechecked":false,
                "identifier":"Erika.Old@Example.DE"}),
            ),
            event(
                json!({"contact":"K-1","at":"2025-01-02T00:00:00Z","type":"contact_changed",
                "field":"phones","old":["0171 1234567"],"new":["030 1234567"]}),
            ),
        ];
        let ids = identifiers(&erika(), &events);
        assert_eq!(
            ids,
            vec![
                (IdKind::Email, "erika.old@example.de".to_owned()),
                (IdKind::Email, "erika@example.de".to_owned()),
                (IdKind::Phone, "+491711234567".to_owned()),
                (IdKind::Phone, "+49301234567".to_owned()),
                (IdKind::Address, "musterstr. 1, 10115 berlin, de".to_owned()),
            ]
        );
    }

    #[test]
    fn keyed_hashes_depend_on_key_kind_and_value() {
        let a = keyed_hash(b"k1", IdKind::Email, "erika@example.de");
        assert_eq!(a, keyed_hash(b"k1", IdKind::Email, "erika@example.de"));
        assert_ne!(a, keyed_hash(b"k2", IdKind::Email, "erika@example.de"));
        assert_ne!(a, keyed_hash(b"k1", IdKind::Phone, "erika@example.de"));
        assert_ne!(a, keyed_hash(b"k1", IdKind::Email, "erika@example.com"));
        assert_eq!(
            identifier_of(" 0049-30-1234567 "),
            Some((IdKind::Phone, "+49301234567".to_owned()))
        );
        assert_eq!(identifier_of("K-1001"), None);
    }

    #[test]
    fn the_list_covers_erased_ids_and_any_matching_identifier() {
        let key = b"register key";
        let hashes = [keyed_hash(key, IdKind::Email, "erika@example.de")]
            .into_iter()
            .collect();
        let list = SuppressionList::new(key, hashes, ["K-9".to_owned()].into_iter().collect());
        assert!(list.covers(&erika(), &[]));
        assert!(list.holds_text("Erika@Example.DE"));
        assert!(!list.holds_text("+49 30 1234567"));
        let mut other = erika();
        other.emails = vec!["someone@example.de".into()];
        assert!(!list.covers(&other, &[]));
        other.id = "K-9".into();
        assert!(list.covers(&other, &[]));
    }

    #[test]
    fn the_erased_form_reads_back_and_holds_nothing_personal() {
        let e = erased_contact(&erika());
        let back = Contact::from_object(e.to_object()).unwrap();
        assert_eq!(back, e);
        assert!(is_erased(&back));
        assert!(!is_erased(&erika()));
        let text = serde_json::Value::Object(e.to_object()).to_string();
        for personal in ["Erika", "example.de", "1234567", "Musterstr"] {
            assert!(!text.contains(personal), "{text}");
        }
    }
}
