//! Mailchimp audience exports (subscribed / unsubscribed / cleaned CSV) as contacts and
//! ledger events. Columns are found by header name, never by position: exports differ in
//! their merge fields and column order.
//!
//! Mapping (documented in the README, "Importing from Mailchimp"):
//! `OPTIN_TIME`/`OPTIN_IP` → `consent_requested` (method `mailchimp_signup`);
//! `CONFIRM_TIME`/`CONFIRM_IP` → `consent_confirmed` (verified `email`);
//! a subscribed member with neither → `consent_given` with method `legacy_import` at
//! `LAST_CHANGED` (kept, but treated as undocumented by the rules);
//! `UNSUB_TIME` (+ reason, campaign) → `consent_revoked` via `mailchimp_unsubscribe`;
//! `CLEAN_TIME` → a `note` and the contact tag `undeliverable` (a bounce is no consent event).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::table::{Row, Table};
use super::{ImportError, RowProblem};
use crate::domain::identifiers::{normalise_email, normalise_phone};
use crate::domain::{
    Address, Channel, ChannelSel, Contact, Event, EventKind, Party, Purpose, Relationship,
};

pub const UNDELIVERABLE_TAG: &str = "undeliverable";
pub const SIGNUP_METHOD: &str = "mailchimp_signup";
pub const UNSUBSCRIBE_VIA: &str = "mailchimp_unsubscribe";
pub const SOURCE: &str = "mailchimp_import";
pub const CLEANED_NOTE: &str = "Mailchimp: address cleaned (undeliverable, bounced)";

/// Which of the three export files a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFile {
    Subscribed,
    Unsubscribed,
    Cleaned,
}

impl ListFile {
    pub fn as_str(self) -> &'static str {
        match self {
            ListFile::Subscribed => "subscribed",
            ListFile::Unsubscribed => "unsubscribed",
            ListFile::Cleaned => "cleaned",
        }
    }
}

/// What the export does not say and the importer must: the consent wording shown at
/// sign-up, the purpose, and the offset of the export's timestamps.
#[derive(Debug, Clone)]
pub struct MailchimpOptions {
    pub consent_text_id: String,
    pub purpose: Purpose,
    /// Mailchimp writes times without offset, in UTC; `--timezone` may say otherwise.
    pub offset: FixedOffset,
}

/// Column positions of one export file.
#[derive(Debug, Clone)]
pub struct Columns {
    email: usize,
    email_name: String,
    first: Option<usize>,
    last: Option<usize>,
    full_name: Option<usize>,
    company: Option<usize>,
    phone: Option<usize>,
    address: Option<usize>,
    optin_time: Option<usize>,
    optin_ip: Option<usize>,
    confirm_time: Option<usize>,
    confirm_ip: Option<usize>,
    last_changed: Option<usize>,
    unsub_time: Option<usize>,
    unsub_reason: Option<usize>,
    unsub_reason_other: Option<usize>,
    unsub_campaign: Option<usize>,
    clean_time: Option<usize>,
    clean_campaign: Option<usize>,
    headers: Vec<String>,
}

impl Columns {
    pub fn find(table: &Table, file: ListFile) -> Result<Columns, ImportError> {
        let missing = |wanted: &str| ImportError::MissingColumn {
            file: table.label.clone(),
            wanted: wanted.to_owned(),
            found: table.headers().join(", "),
        };
        let email = table
            .column(&["Email Address", "EMAIL", "E-Mail-Adresse", "E-Mail"])
            .ok_or_else(|| missing("`Email Address`"))?;
        let c = |names: &[&str]| table.column(names);
        let cols = Columns {
            email,
            email_name: table.headers()[email].clone(),
            first: c(&["First Name", "FNAME", "Vorname"]),
            last: c(&["Last Name", "LNAME", "Nachname"]),
            full_name: c(&["Name", "Full Name"]),
            company: c(&["Company", "COMPANY", "Firma"]),
            phone: c(&["Phone Number", "PHONE", "Phone", "Telefon"]),
            address: c(&["Address", "ADDRESS", "Adresse"]),
            optin_time: c(&["OPTIN_TIME"]),
            optin_ip: c(&["OPTIN_IP"]),
            confirm_time: c(&["CONFIRM_TIME"]),
            confirm_ip: c(&["CONFIRM_IP"]),
            last_changed: c(&["LAST_CHANGED"]),
            unsub_time: c(&["UNSUB_TIME"]),
            unsub_reason: c(&["UNSUB_REASON"]),
            unsub_reason_other: c(&["UNSUB_REASON_OTHER"]),
            unsub_campaign: c(&["UNSUB_CAMPAIGN_TITLE"]),
            clean_time: c(&["CLEAN_TIME"]),
            clean_campaign: c(&["CLEAN_CAMPAIGN_TITLE"]),
            headers: table.headers().to_vec(),
        };
        match file {
            ListFile::Unsubscribed if cols.unsub_time.is_none() => Err(missing("`UNSUB_TIME`")),
            ListFile::Cleaned if cols.clean_time.is_none() => Err(missing("`CLEAN_TIME`")),
            _ => Ok(cols),
        }
    }

    fn name(&self, i: Option<usize>) -> String {
        i.and_then(|i| self.headers.get(i).cloned())
            .unwrap_or_default()
    }
}

/// One member row, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub email: String,
    pub name: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub address: Option<Address>,
    pub optin: Option<(DateTime<FixedOffset>, Option<String>)>,
    pub confirm: Option<(DateTime<FixedOffset>, Option<String>)>,
    pub last_changed: Option<DateTime<FixedOffset>>,
    /// (time, reason, campaign title)
    pub unsub: Option<(DateTime<FixedOffset>, Option<String>, Option<String>)>,
    /// (time, campaign title)
    pub clean: Option<(DateTime<FixedOffset>, Option<String>)>,
}

/// Reads and checks one row; the problem names the column as it is spelt in the file.
pub fn parse_member(
    cols: &Columns,
    row: &Row,
    file: ListFile,
    offset: FixedOffset,
) -> Result<Member, RowProblem> {
    let raw_email = row
        .get(Some(cols.email))
        .ok_or_else(|| RowProblem::new(&cols.email_name, "the email address is empty"))?;
    let email =
        normalise_email(raw_email).map_err(|e| RowProblem::new(&cols.email_name, e.problem))?;
    let time = |i: Option<usize>| -> Result<Option<DateTime<FixedOffset>>, RowProblem> {
        row.get(i)
            .map(|s| parse_time(s, offset).map_err(|p| RowProblem::new(cols.name(i), p)))
            .transpose()
    };
    let text = |i: Option<usize>| row.get(i).map(str::to_owned);
    let phone = row
        .get(cols.phone)
        .map(|p| normalise_phone(p).map_err(|e| RowProblem::new(cols.name(cols.phone), e.problem)))
        .transpose()?;
    let name = match row.get(cols.full_name) {
        Some(full) if row.get(cols.first).is_none() && row.get(cols.last).is_none() => {
            full.to_owned()
        }
        _ => [row.get(cols.first), row.get(cols.last)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
    };
    let optin = time(cols.optin_time)?.map(|t| (t, text(cols.optin_ip)));
    let confirm = time(cols.confirm_time)?.map(|t| (t, text(cols.confirm_ip)));
    let last_changed = time(cols.last_changed)?;
    let unsub = match file {
        ListFile::Unsubscribed => {
            let at = time(cols.unsub_time)?.ok_or_else(|| {
                RowProblem::new(
                    cols.name(cols.unsub_time),
                    "an unsubscribed member needs the time of unsubscribing",
                )
            })?;
            let reason = match (text(cols.unsub_reason), text(cols.unsub_reason_other)) {
                (Some(r), Some(o)) => Some(format!("{r} ({o})")),
                (r, o) => r.or(o),
            };
            Some((at, reason, text(cols.unsub_campaign)))
        }
        _ => None,
    };
    let clean = match file {
        ListFile::Cleaned => {
            let at = time(cols.clean_time)?.ok_or_else(|| {
                RowProblem::new(
                    cols.name(cols.clean_time),
                    "a cleaned member needs the time the address was cleaned",
                )
            })?;
            Some((at, text(cols.clean_campaign)))
        }
        _ => None,
    };
    if file == ListFile::Subscribed
        && optin.is_none()
        && confirm.is_none()
        && last_changed.is_none()
    {
        return Err(RowProblem::new(
            cols.name(cols.optin_time.or(cols.last_changed)),
            "a subscribed member without OPTIN_TIME, CONFIRM_TIME or LAST_CHANGED has no time to record the subscription at",
        ));
    }
    Ok(Member {
        email,
        name,
        company: text(cols.company),
        phone,
        address: row.get(cols.address).map(parse_address),
        optin,
        confirm,
        last_changed,
        unsub,
        clean,
    })
}

/// Mailchimp's `2019-03-13 11:51:12` (no offset: read in `offset`), or RFC 3339 as is.
pub fn parse_time(s: &str, offset: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .and_then(|n| offset.from_local_datetime(&n).single())
        .ok_or_else(|| format!("`{s}` is not a time (expected e.g. 2025-03-13 11:51:12)"))
}

/// Mailchimp's one-cell address is `addr1  addr2  city  state  zip  country`, parts
/// separated by two spaces, empty parts often left out: `Musterstr. 1  Berlin  BE  10115  DE`.
/// A trailing two-letter part is the country, an all-digit part the postcode; of the
/// parts before the postcode the first is the street (with `addr2` joined to it), and the
/// last that is not a short state code the city. One part only: all of it is the street.
pub fn parse_address(raw: &str) -> Address {
    let mut parts: Vec<&str> = raw
        .split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut address = Address::default();
    if parts.len() < 2 {
        address.street = Some(raw.trim().to_owned());
        return address;
    }
    if parts
        .last()
        .is_some_and(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()))
    {
        address.country = parts.pop().map(str::to_owned);
    }
    if let Some(k) = parts
        .iter()
        .skip(1)
        .position(|p| p.len() >= 4 && p.chars().all(|c| c.is_ascii_digit()))
    {
        address.postcode = Some(parts.remove(k + 1).to_owned());
        parts.truncate(k + 1);
    }
    let is_state = |p: &str| p.len() <= 3 && p.chars().all(|c| c.is_ascii_uppercase());
    if parts.len() > 2 && parts.last().is_some_and(|p| is_state(p)) {
        parts.pop();
    }
    if parts.len() >= 2 {
        address.city = parts.pop().map(str::to_owned);
    }
    address.street = Some(parts.join(", ")).filter(|s| !s.is_empty());
    address
}

/// `MC-` and the first 10 hex digits of SHA-256 of the normalised email: the same member
/// gets the same id in every import.
pub fn contact_id(email: &str) -> String {
    format!(
        "MC-{}",
        &hex::encode(Sha256::digest(email.as_bytes()))[..10]
    )
}

/// A new contact for a member no contact in the register has the email of.
pub fn new_contact(member: &Member, file: ListFile) -> Contact {
    let name = if member.name.is_empty() && member.company.is_none() {
        member.email.clone()
    } else {
        member.name.clone()
    };
    Contact {
        id: contact_id(&member.email),
        // The export says nothing about it; consumer is the stricter reading.
        party: Party::Consumer,
        relationship: Relationship::Prospect,
        name,
        company: member.company.clone(),
        emails: vec![member.email.clone()],
        phones: member.phone.iter().cloned().collect(),
        address: member.address.clone(),
        customer_number: None,
        tags: if file == ListFile::Cleaned {
            vec![UNDELIVERABLE_TAG.to_owned()]
        } else {
            Vec::new()
        },
        extra: Default::default(),
    }
}

/// Deterministic event id from (contact, type, instant, purpose): importing the same export
/// twice yields the same ids, and the register skips identical events.
pub fn event_id(
    contact: &str,
    kind: &str,
    at: &DateTime<FixedOffset>,
    purpose: &Purpose,
) -> String {
    let digest = Sha256::digest(
        format!(
            "{contact}\n{kind}\n{}\n{}",
            at.timestamp_millis(),
            purpose.as_str()
        )
        .as_bytes(),
    );
    format!("MC-{}", &hex::encode(digest)[..20])
}

/// The ledger events one member row stands for, in time order of the steps.
pub fn member_events(
    contact: &str,
    member: &Member,
    file: ListFile,
    opts: &MailchimpOptions,
) -> Vec<Event> {
    let channels = vec![ChannelSel::One(Channel::Email)];
    let purposes = vec![opts.purpose.clone()];
    let event = |at: DateTime<FixedOffset>, kind: EventKind, note: Option<String>| Event {
        id: Some(event_id(contact, kind.type_name(), &at, &opts.purpose)),
        contact: contact.to_owned(),
        at,
        kind,
        recorded_by: None,
        source: Some(SOURCE.to_owned()),
        note,
        extra: Default::default(),
    };
    let legacy = |at: DateTime<FixedOffset>| {
        event(
            at,
            EventKind::ConsentGiven {
                channels: channels.clone(),
                purposes: purposes.clone(),
                method: "legacy_import".to_owned(),
                prechecked: None,
                consent_text_id: None,
                evidence_ref: None,
                verified: None,
                identifier: Some(member.email.clone()),
            },
            Some("Mailchimp member without sign-up record".to_owned()),
        )
    };
    let mut events = Vec::new();
    if let Some((at, ip)) = &member.optin {
        events.push(event(
            *at,
            EventKind::ConsentRequested {
                channels: channels.clone(),
                purposes: purposes.clone(),
                method: SIGNUP_METHOD.to_owned(),
                prechecked: false,
                consent_text_id: Some(opts.consent_text_id.clone()),
                identifier: Some(member.email.clone()),
                ip: ip.clone(),
                user_agent: None,
                source_url: None,
            },
            None,
        ));
    }
    match (&member.optin, &member.confirm, member.last_changed) {
        (Some(_), Some((at, ip)), _) => events.push(event(
            *at,
            EventKind::ConsentConfirmed {
                channels: channels.clone(),
                purposes: purposes.clone(),
                verified: vec!["email".to_owned()],
                identifier: Some(member.email.clone()),
                ip: ip.clone(),
            },
            None,
        )),
        // A confirmation without the request it confirms, or neither: Mailchimp got the
        // member from an import of its own. Kept as history; the rules treat it as undocumented.
        (None, Some((at, _)), _) => events.push(legacy(*at)),
        // Only a subscribed member: in the other files LAST_CHANGED may lie after the
        // unsubscribe and would revive the consent.
        (None, None, Some(at)) if file == ListFile::Subscribed => events.push(legacy(at)),
        _ => {}
    }
    if let Some((at, reason, campaign)) = &member.unsub {
        let note = [
            reason.as_ref().map(|r| format!("reason: {r}")),
            campaign.as_ref().map(|c| format!("campaign: {c}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
        events.push(event(
            *at,
            EventKind::ConsentRevoked {
                channels: channels.clone(),
                purposes: purposes.clone(),
                via: Some(UNSUBSCRIBE_VIA.to_owned()),
            },
            Some(note).filter(|n| !n.is_empty()),
        ));
    }
    if let (ListFile::Cleaned, Some((at, campaign))) = (file, &member.clean) {
        events.push(event(
            *at,
            EventKind::Note {
                text: CLEANED_NOTE.to_owned(),
            },
            campaign.as_ref().map(|c| format!("campaign: {c}")),
        ));
    }
    events
}

/// For a contact already in the register: the `contact_changed` event that adds the
/// `undeliverable` tag, unless it has it. The event id is deterministic like the others.
pub fn undeliverable_change(
    contact: &Contact,
    at: DateTime<FixedOffset>,
    purpose: &Purpose,
) -> Option<Event> {
    if contact.tags.iter().any(|t| t == UNDELIVERABLE_TAG) {
        return None;
    }
    let mut tags = contact.tags.clone();
    tags.push(UNDELIVERABLE_TAG.to_owned());
    let strs = |v: &[String]| Value::Array(v.iter().cloned().map(Value::String).collect());
    Some(Event {
        id: Some(event_id(&contact.id, "contact_changed", &at, purpose)),
        contact: contact.id.clone(),
        at,
        kind: EventKind::ContactChanged {
            field: "tags".to_owned(),
            old: Some(strs(&contact.tags)),
            new: Some(strs(&tags)),
        },
        recorded_by: None,
        source: Some(SOURCE.to_owned()),
        note: None,
        extra: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_parts() {
        let a = parse_address("Musterstr. 1  Berlin  BE  10115  DE");
        assert_eq!(a.street.as_deref(), Some("Musterstr. 1"));
        assert_eq!(a.city.as_deref(), Some("Berlin"));
        assert_eq!(a.postcode.as_deref(), Some("10115"));
        assert_eq!(a.country.as_deref(), Some("DE"));
        let us = parse_address("1 Main St  Apt 4  Springfield  IL  62701  US");
        assert_eq!(us.street.as_deref(), Some("1 Main St, Apt 4"));
        assert_eq!(us.city.as_deref(), Some("Springfield"));
        assert_eq!(us.postcode.as_deref(), Some("62701"));
        let short = parse_address("Am Markt 3  Bonn");
        assert_eq!(short.street.as_deref(), Some("Am Markt 3"));
        assert_eq!(short.city.as_deref(), Some("Bonn"));
        let b = parse_address("Hauptstr. 5, Köln");
        assert_eq!(b.street.as_deref(), Some("Hauptstr. 5, Köln"));
        assert_eq!(b.postcode, None);
    }

    #[test]
    fn times_are_utc_unless_an_offset_is_given() {
        let utc = FixedOffset::east_opt(0).unwrap();
        let t = parse_time("2025-03-13 11:51:12", utc).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-03-13T11:51:12+00:00");
        let cet = FixedOffset::east_opt(3600).unwrap();
        let t = parse_time("2025-03-13 11:51:12", cet).unwrap();
        assert_eq!(t.timestamp(), 1_741_866_672 - 3600);
        assert!(parse_time("13.03.2025", utc).is_err());
    }

    #[test]
    fn ids_are_deterministic_and_valid() {
        let id = contact_id("erika@example.de");
        assert_eq!(id, contact_id("erika@example.de"));
        assert_eq!(id.len(), 13);
        crate::domain::contact::validate_id(&id, "id").unwrap();
        let p = Purpose::parse("newsletter").unwrap();
        let at = parse_time("2025-03-13 11:51:12", FixedOffset::east_opt(0).unwrap()).unwrap();
        let a = event_id(&id, "consent_requested", &at, &p);
        assert_eq!(a, event_id(&id, "consent_requested", &at, &p));
        assert_ne!(a, event_id(&id, "consent_confirmed", &at, &p));
        crate::domain::contact::validate_id(&a, "id").unwrap();
    }
}
