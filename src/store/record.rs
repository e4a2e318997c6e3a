//! Records are stored as the ledger's own JSON objects, so export and import share one format.

use serde_json::Value;

use super::error::StoreError;
use crate::domain::json::Object;
use crate::domain::{Contact, Event};

pub(super) fn encode(obj: Object) -> String {
    Value::Object(obj).to_string()
}

/// [`encode`] of a borrowed object (the ledger chain reads the event after it is written).
pub(super) fn encode_ref(obj: &Object) -> Result<String, StoreError> {
    serde_json::to_string(obj)
        .map_err(|e| StoreError::Corrupt(format!("a record cannot be written: {e}")))
}

/// `what` names the row (e.g. `contact K-1`) so damage can be located.
pub(super) fn decode(text: &str, what: &str) -> Result<Object, StoreError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(StoreError::Corrupt(format!(
            "{what}: record is not a JSON object"
        ))),
        Err(e) => Err(StoreError::Corrupt(format!(
            "{what}: unreadable record: {e}"
        ))),
    }
}

/// A stored contact row. Its phone numbers were validated and written in E.164 when it was
/// stored, and validating them again with `phonenumber` was the largest part of reading a
/// contact (list screening reads up to 100 000). Numbers in that form (`+` and digits) are
/// taken as stored; any other value goes through the full validation as before.
pub(super) fn contact(text: &str, id: &str) -> Result<Contact, StoreError> {
    let what = format!("contact {id}");
    contact_from_object(decode(text, &what)?, &what)
}

/// [`contact`] of an already parsed record; `what` names it in errors.
fn contact_from_object(mut obj: Object, what: &str) -> Result<Contact, StoreError> {
    let stored = match obj.get("phones") {
        Some(Value::Array(list)) if list.iter().all(is_e164) => obj.shift_remove("phones"),
        _ => None,
    };
    let mut contact =
        Contact::from_object(obj).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))?;
    if let Some(Value::Array(list)) = stored {
        for phone in list {
            if let Value::String(p) = phone {
                // As `from_object` does: each number once, first place kept.
                if !contact.phones.contains(&p) {
                    contact.phones.push(p);
                }
            }
        }
    }
    Ok(contact)
}

/// A stored event row.
pub(super) fn event(text: &str, id: &str) -> Result<Event, StoreError> {
    let what = format!("event {id}");
    Event::from_object(decode(text, &what)?)
        .map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn is_e164(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.len() > 1
        && s.starts_with('+')
        && s[1..].bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LedgerRecord;

    #[test]
    fn stored_contacts_read_as_full_validation_reads_them() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
        let mut with_phones = 0;
        for record in crate::demo::demo_ledger(now, 5, 400).unwrap() {
            if let LedgerRecord::Contact(c) = record {
                let text = encode(c.to_object());
                let full = Contact::from_object(decode(&text, "c").unwrap()).unwrap();
                assert_eq!(contact(&text, &c.id).unwrap(), full, "{text}");
                assert_eq!(full, c);
                with_phones += usize::from(!c.phones.is_empty());
            }
        }
        assert!(with_phones > 100, "{with_phones}");
        // Not in stored form: validated as before, errors included.
        let odd = r#"{"id":"K-9","party":"consumer","name":"A","phones":["0171 1234567","+491711234567"],"x":1}"#;
        let c = contact(odd, "K-9").unwrap();
        assert_eq!(c.phones, vec!["+491711234567"]);
        let bad = r#"{"id":"K-9","party":"consumer","name":"A","phones":["12"]}"#;
        assert!(matches!(contact(bad, "K-9"), Err(StoreError::Corrupt(_))));
        // Unknown fields keep their order around the numbers taken out.
        let extra = r#"{"id":"K-9","a":1,"party":"consumer","phones":["+491711234567","+491711234567"],"name":"A","z":2}"#;
        let c = contact(extra, "K-9").unwrap();
        assert_eq!(c.phones, vec!["+491711234567"]);
        assert_eq!(
            c,
            Contact::from_object(decode(extra, "c").unwrap()).unwrap()
        );
    }
}
