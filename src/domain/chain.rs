//! The hash chains that make the register tamper-evident (issue 5, part 3): the audit
//! trail and the ledger. Pure: the store supplies the rows, salts and times.
//!
//! An event enters the ledger chain split in two: its *skeleton* (type, time, channels,
//! purposes, flags — what the rules read) as canonical JSON, and its *personal fields*
//! (identifier, IP, free text, unknown fields) each as a salted SHA-256. Erasing a person
//! later removes those fields from the row but keeps their hashes, so the chain still
//! verifies without keeping anything that points at the person.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::json::Object;

pub type Hash = [u8; 32];

/// The "previous hash" of the first link of a chain.
pub const GENESIS: Hash = [0; 32];

/// What an erased free-text field holds, where the event type requires the field.
pub const ERASED_TEXT: &str = "[erased]";

/// Event keys that are not about the person: the structure the decision rules read, the
/// staff member who recorded it, and where it came from. Every other key — including
/// fields this version does not know — is treated as personal.
const SKELETON_KEYS: &[&str] = &[
    "kind",
    "id",
    "contact",
    "at",
    "type",
    "channels",
    "purposes",
    "method",
    "prechecked",
    "consent_text_id",
    "verified",
    "via",
    "scope",
    "product_category",
    "email_collected",
    "phone_collected",
    "objection_notice_given",
    "paid",
    "channel",
    "purpose",
    "objection_notice_included",
    "by",
    "list",
    "relationship",
    "field",
    "recorded_by",
    "source",
];

/// Personal fields an event type cannot be read without; erasure leaves [`ERASED_TEXT`].
const REQUIRED_TEXT: &[&str] = &["text", "reason", "circumstances"];

pub fn is_personal_field(key: &str) -> bool {
    !SKELETON_KEYS.contains(&key)
}

/// An event's JSON object split into what the chain stores in clear and what it hashes.
/// Borrows from the object: an import splits every event it writes, so nothing is copied.
#[derive(Debug, Clone, PartialEq)]
pub struct EventParts<'a> {
    /// Structural fields, sorted by key.
    pub skeleton: Vec<(&'a str, &'a Value)>,
    /// Personal fields, sorted by key.
    pub personal: Vec<(&'a str, &'a Value)>,
}

pub fn split_event(obj: &Object) -> EventParts<'_> {
    let mut skeleton = Vec::with_capacity(obj.len());
    let mut personal = Vec::new();
    for (k, v) in obj {
        if is_personal_field(k) {
            personal.push((k.as_str(), v));
        } else {
            skeleton.push((k.as_str(), v));
        }
    }
    skeleton.sort_unstable_by(|a, b| a.0.cmp(b.0));
    personal.sort_unstable_by(|a, b| a.0.cmp(b.0));
    EventParts { skeleton, personal }
}

/// The event as kept after erasure: the skeleton, and [`ERASED_TEXT`] where the type
/// needs a text field to stay readable.
pub fn erased_event(obj: &Object) -> Object {
    let mut out = Object::new();
    for (k, v) in obj {
        if !is_personal_field(k) {
            out.insert(k.clone(), v.clone());
        } else if REQUIRED_TEXT.contains(&k.as_str()) {
            out.insert(k.clone(), Value::String(ERASED_TEXT.to_owned()));
        }
    }
    out
}

/// JSON with object keys sorted at every level, so the same content always hashes alike
/// whatever order the fields were written in.
pub fn canonical(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes sorted `(key, value)` entries as a canonical JSON object.
fn write_entries(entries: &[(&str, &Value)], out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing JSON into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, *k);
        out.push(b':');
        write_canonical(v, out);
    }
    out.push(b'}');
}

/// A string, number, bool or null exactly as serde_json writes it (same escapes).
fn write_scalar(value: &Value, out: &mut Vec<u8>) {
    // Writing JSON into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&str, &Value)> =
                map.iter().map(|(k, v)| (k.as_str(), v)).collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            write_entries(&entries, out);
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(v, out);
            }
            out.push(b']');
        }
        scalar => write_scalar(scalar, out),
    }
}

/// Salted hash of one personal field. Erasure deletes the event's random salt, so the hash
/// left in the chain can no longer confirm a guessed value (a name, an email address).
pub fn personal_hash(salt: &[u8], key: &str, value: &Value) -> Hash {
    let mut encoded = Vec::with_capacity(64);
    write_canonical(value, &mut encoded);
    let mut h = Sha256::new();
    h.update(b"consentry-personal-v1\0");
    h.update((salt.len() as u64).to_be_bytes());
    h.update(salt);
    h.update(key.as_bytes());
    h.update([0]);
    h.update(&encoded);
    h.finalize().into()
}

/// The personal fields' hashes, sorted by key.
pub fn personal_hashes(salt: &[u8], personal: &[(&str, &Value)]) -> Vec<(String, Hash)> {
    personal
        .iter()
        .map(|(k, v)| ((*k).to_owned(), personal_hash(salt, k, v)))
        .collect()
}

/// One link of the ledger chain: the previous link, the event's position, its skeleton
/// (sorted entries) and the hashes of its personal fields (sorted by key).
pub fn event_link(
    prev: &Hash,
    seq: i64,
    skeleton: &[(&str, &Value)],
    personal: &[(String, Hash)],
) -> Hash {
    event_link_encoded(prev, seq, &encode_skeleton(skeleton), personal)
}

/// The skeleton as [`event_link`] hashes it (canonical JSON of the sorted entries), for
/// computing it ahead of the link (an import does that on a second thread).
pub fn encode_skeleton(skeleton: &[(&str, &Value)]) -> Vec<u8> {
    let mut encoded = Vec::with_capacity(256);
    write_entries(skeleton, &mut encoded);
    encoded
}

/// [`event_link`] with the skeleton already encoded by [`encode_skeleton`].
pub fn event_link_encoded(
    prev: &Hash,
    seq: i64,
    encoded: &[u8],
    personal: &[(String, Hash)],
) -> Hash {
    let mut h = Sha256::new();
    h.update(b"consentry-event-v1\0");
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update((encoded.len() as u64).to_be_bytes());
    h.update(encoded);
    for (k, hash) in personal {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(hash);
    }
    h.finalize().into()
}

/// Checks a stored event against what was chained: every personal field still present
/// must hash as recorded, none may be added, and one may be missing (or [`ERASED_TEXT`])
/// only for an erased contact. `Err` says what differs, without the values.
pub fn check_personal(
    parts: &EventParts,
    salt: &[u8],
    recorded: &[(String, Hash)],
    erased: bool,
) -> Result<(), String> {
    for (k, v) in &parts.personal {
        let Some((_, want)) = recorded.iter().find(|(rk, _)| rk.as_str() == *k) else {
            return Err(format!("field `{k}` was not in the event as recorded"));
        };
        let placeholder = erased && v.as_str() == Some(ERASED_TEXT);
        if !placeholder && personal_hash(salt, k, v) != *want {
            return Err(format!("field `{k}` differs from the event as recorded"));
        }
    }
    if !erased {
        if let Some((k, _)) = recorded
            .iter()
            .find(|(k, _)| !parts.personal.iter().any(|(pk, _)| *pk == k.as_str()))
        {
            return Err(format!("field `{k}` is missing from the event as recorded"));
        }
    }
    Ok(())
}

/// One audit-trail entry as chained (the row without its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    /// Unix milliseconds.
    pub at: i64,
    pub user: String,
    pub action: String,
    pub object: String,
    pub detail: String,
}

pub fn audit_link(prev: &Hash, e: &AuditEntry) -> Hash {
    let encoded = Value::Array(vec![
        e.seq.into(),
        e.at.into(),
        e.user.clone().into(),
        e.action.clone().into(),
        e.object.clone().into(),
        e.detail.clone().into(),
    ])
    .to_string();
    let mut h = Sha256::new();
    h.update(b"consentry-audit-v1\0");
    h.update(prev);
    h.update(encoded.as_bytes());
    h.finalize().into()
}

/// What an audit entry records; `as_str` is what the trail stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Unlock,
    EventRecorded,
    ContactEdited,
    Classified,
    Imported,
    Erased,
    ReportMade,
    Exported,
    SettingChanged,
    UserAdded,
    UserRemoved,
    UserChanged,
    PasswordChanged,
    Rekeyed,
    BackupMade,
    Restored,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Unlock => "unlock",
            AuditAction::EventRecorded => "event_recorded",
            AuditAction::ContactEdited => "contact_edited",
            AuditAction::Classified => "classified",
            AuditAction::Imported => "imported",
            AuditAction::Erased => "erased",
            AuditAction::ReportMade => "report_made",
            AuditAction::Exported => "exported",
            AuditAction::SettingChanged => "setting_changed",
            AuditAction::UserAdded => "user_added",
            AuditAction::UserRemoved => "user_removed",
            AuditAction::UserChanged => "user_changed",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::Rekeyed => "rekeyed",
            AuditAction::BackupMade => "backup_made",
            AuditAction::Restored => "restored",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        v.as_object().cloned().unwrap_or_default()
    }

    fn sample() -> Object {
        obj(
            json!({"kind":"event","id":"EV-1","contact":"K-1","at":"2025-02-01T09:00:00+01:00",
            "type":"consent_requested","channels":["email"],"purposes":["newsletter"],
            "method":"web_form_checkbox","prechecked":false,"identifier":"erika@example.de",
            "ip":"203.0.113.10","crm_note":"likes cats"}),
        )
    }

    #[test]
    fn personal_fields_and_unknown_fields_are_split_off() {
        let obj = sample();
        let parts = split_event(&obj);
        let keys: Vec<&str> = parts.personal.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["crm_note", "identifier", "ip"]);
        let has = |key: &str| parts.skeleton.iter().any(|(k, _)| *k == key);
        assert!(has("channels") && !has("ip"));
        // Sorted, whatever the object's order.
        assert!(parts.skeleton.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn canonical_json_ignores_key_order() {
        let a = json!({"b":1,"a":{"y":[1,{"d":2,"c":3}],"x":"é"}});
        let b = json!({"a":{"x":"é","y":[1,{"c":3,"d":2}]},"b":1});
        assert_eq!(canonical(&a), canonical(&b));
        assert_eq!(
            canonical(&a),
            r#"{"a":{"x":"é","y":[1,{"c":3,"d":2}]},"b":1}"#
        );
    }

    #[test]
    fn a_link_changes_with_every_input() {
        let obj = sample();
        let parts = split_event(&obj);
        let salt = [7u8; 16];
        let hashes = personal_hashes(&salt, &parts.personal);
        let base = event_link(&GENESIS, 1, &parts.skeleton, &hashes);
        assert_eq!(base, event_link(&GENESIS, 1, &parts.skeleton, &hashes));
        assert_ne!(base, event_link(&[1; 32], 1, &parts.skeleton, &hashes));
        assert_ne!(base, event_link(&GENESIS, 2, &parts.skeleton, &hashes));
        let mut changed = sample();
        changed.insert("prechecked".into(), json!(true));
        let changed_parts = split_event(&changed);
        assert_ne!(
            base,
            event_link(&GENESIS, 1, &changed_parts.skeleton, &hashes)
        );
        let other = personal_hashes(&[8u8; 16], &parts.personal);
        assert_ne!(base, event_link(&GENESIS, 1, &parts.skeleton, &other));
    }

    #[test]
    fn an_erased_event_still_checks_but_a_changed_one_does_not() {
        let salt = [3u8; 16];
        let obj = sample();
        let original = split_event(&obj);
        let recorded = personal_hashes(&salt, &original.personal);
        assert_eq!(check_personal(&original, &salt, &recorded, false), Ok(()));

        let erased_obj = erased_event(&sample());
        let erased = split_event(&erased_obj);
        assert!(erased.personal.is_empty());
        assert_eq!(erased.skeleton, original.skeleton);
        assert_eq!(check_personal(&erased, &salt, &recorded, true), Ok(()));
        // Without an erasure record, missing fields are a break.
        let err = check_personal(&erased, &salt, &recorded, false).unwrap_err();
        assert!(err.contains("`crm_note` is missing"), "{err}");

        let mut changed = sample();
        changed.insert("ip".into(), json!("198.51.100.1"));
        let changed_parts = split_event(&changed);
        let err = check_personal(&changed_parts, &salt, &recorded, true).unwrap_err();
        assert!(err.contains("`ip` differs"), "{err}");
        assert!(!err.contains("198.51"), "no values in the message: {err}");

        let mut added = sample();
        added.insert("user_agent".into(), json!("x"));
        let added_parts = split_event(&added);
        let err = check_personal(&added_parts, &salt, &recorded, false).unwrap_err();
        assert!(err.contains("`user_agent` was not"), "{err}");
    }

    #[test]
    fn required_text_stays_as_a_placeholder() {
        let note = obj(
            json!({"kind":"event","contact":"K-1","at":"2025-01-01T00:00:00Z",
            "type":"note","text":"called, wife answered","note":"x"}),
        );
        let erased = erased_event(&note);
        assert_eq!(erased["text"], json!(ERASED_TEXT));
        assert!(!erased.contains_key("note"));
        assert!(super::super::Event::from_object(erased).is_ok());
    }

    #[test]
    fn audit_links_cover_every_column() {
        let e = AuditEntry {
            seq: 1,
            at: 1_700_000_000_000,
            user: "dpo".into(),
            action: "erased".into(),
            object: "K-1".into(),
            detail: String::new(),
        };
        let base = audit_link(&GENESIS, &e);
        for changed in [
            AuditEntry {
                seq: 2,
                ..e.clone()
            },
            AuditEntry { at: 1, ..e.clone() },
            AuditEntry {
                user: "x".into(),
                ..e.clone()
            },
            AuditEntry {
                action: "x".into(),
                ..e.clone()
            },
            AuditEntry {
                object: "K-2".into(),
                ..e.clone()
            },
            AuditEntry {
                detail: "x".into(),
                ..e.clone()
            },
        ] {
            assert_ne!(base, audit_link(&GENESIS, &changed), "{changed:?}");
        }
        assert_ne!(base, audit_link(&[9; 32], &e));
    }
}
