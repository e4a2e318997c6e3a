//! The stored form of a [`DecisionBasis`]: a compact binary record instead of the ledger's
//! JSON. Screening decodes one per matched row (90 000 for a 100 000-row list), and parsing
//! JSON into maps and then into domain types was most of its time; this form has no field
//! names, no maps and a third of the size. It is derived data (rebuilt from the ledger, see
//! `store::basis`), so a new layout only needs a new version byte and a rebuild.
//!
//! Layout: version byte, contact, event count, events. Strings are a varint length and
//! UTF-8; optional values a presence byte; enums their ledger names; instants unix
//! milliseconds and the offset in seconds; free-form JSON values (unknown fields, changed
//! contact fields) their JSON text.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use crate::domain::contact::Address;
use crate::domain::json::Object;
use crate::domain::{
    Channel, ChannelSel, Contact, DecisionBasis, Event, EventKind, ObjectionScope, Purpose,
};

/// Bumped when the layout changes, with a migration that clears the table so every row is
/// rebuilt on open (a row of another version is an error, never misread).
const VERSION: u8 = 2; // 2: instants to the nanosecond (1: milliseconds)

/// Why a stored basis cannot be read (the caller names the row).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct CodecError(String);

type Res<T> = Result<T, CodecError>;

pub(super) fn encode(b: &DecisionBasis) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(256));
    w.byte(VERSION);
    w.contact(&b.contact);
    w.len(b.events.len());
    for e in &b.events {
        w.event(e);
    }
    w.0
}

pub(super) fn decode(bytes: &[u8]) -> Res<DecisionBasis> {
    let mut r = Reader { b: bytes, at: 0 };
    let version = r.byte()?;
    if version != VERSION {
        return Err(CodecError(format!(
            "layout version {version}, expected {VERSION}"
        )));
    }
    let contact = r.contact()?;
    let n = r.len()?;
    let mut events = Vec::with_capacity(n.min(4096));
    for _ in 0..n {
        events.push(r.event(&contact.id)?);
    }
    if r.at != bytes.len() {
        return Err(CodecError("trailing bytes".into()));
    }
    Ok(DecisionBasis { contact, events })
}

struct Writer(Vec<u8>);

impl Writer {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn len(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.byte(1);
                self.str(s);
            }
        }
    }

    fn strs<S: AsRef<str>>(&mut self, list: &[S]) {
        self.len(list.len());
        for s in list {
            self.str(s.as_ref());
        }
    }

    fn bool(&mut self, b: bool) {
        self.byte(u8::from(b));
    }

    fn opt_bool(&mut self, b: Option<bool>) {
        self.byte(match b {
            None => 2,
            Some(b) => u8::from(b),
        });
    }

    /// `{}` is written as nothing at all (the usual case).
    fn object(&mut self, obj: &Object) {
        if obj.is_empty() {
            self.str("");
        } else {
            self.str(&Value::Object(obj.clone()).to_string());
        }
    }

    fn opt_value(&mut self, v: Option<&Value>) {
        self.opt_str(v.map(Value::to_string).as_deref());
    }

    /// Seconds, nanoseconds and offset: lossless, as the ledger's RFC 3339 text is (an
    /// imported ledger may carry fractions of a second).
    fn instant(&mut self, at: &DateTime<FixedOffset>) {
        // Zig-zag, so instants before 1970 stay short too.
        let secs = at.timestamp();
        self.varint(((secs << 1) ^ (secs >> 63)) as u64);
        self.varint(u64::from(at.timestamp_subsec_nanos()));
        let offset = i64::from(at.offset().local_minus_utc());
        self.varint(((offset << 1) ^ (offset >> 63)) as u64);
    }

    fn channels(&mut self, list: &[ChannelSel]) {
        self.len(list.len());
        for c in list {
            self.str(c.as_str());
        }
    }

    fn purposes(&mut self, list: &[Purpose]) {
        self.len(list.len());
        for p in list {
            self.str(p.as_str());
        }
    }

    fn contact(&mut self, c: &Contact) {
        self.str(&c.id);
        self.str(c.party.as_str());
        self.str(c.relationship.as_str());
        self.str(&c.name);
        self.opt_str(c.company.as_deref());
        self.strs(&c.emails);
        self.strs(&c.phones);
        match &c.address {
            None => self.byte(0),
            Some(a) => {
                self.byte(1);
                self.opt_str(a.street.as_deref());
                self.opt_str(a.postcode.as_deref());
                self.opt_str(a.city.as_deref());
                self.opt_str(a.country.as_deref());
                self.object(&a.extra);
            }
        }
        self.opt_str(c.customer_number.as_deref());
        self.strs(&c.tags);
        self.object(&c.extra);
    }

    fn event(&mut self, e: &Event) {
        self.opt_str(e.id.as_deref());
        self.instant(&e.at);
        self.str(e.kind.type_name());
        self.kind(&e.kind);
        self.opt_str(e.recorded_by.as_deref());
        self.opt_str(e.source.as_deref());
        self.opt_str(e.note.as_deref());
        self.object(&e.extra);
    }

    fn kind(&mut self, k: &EventKind) {
        match k {
            EventKind::ConsentRequested {
                channels,
                purposes,
                method,
                prechecked,
                consent_text_id,
                identifier,
                ip,
                user_agent,
                source_url,
            } => {
                self.channels(channels);
                self.purposes(purposes);
                self.str(method);
                self.bool(*prechecked);
                self.opt_str(consent_text_id.as_deref());
                self.opt_str(identifier.as_deref());
                self.opt_str(ip.as_deref());
                self.opt_str(user_agent.as_deref());
                self.opt_str(source_url.as_deref());
            }
            EventKind::ConsentConfirmed {
                channels,
                purposes,
                verified,
                identifier,
                ip,
            } => {
                self.channels(channels);
                self.purposes(purposes);
                self.strs(verified);
                self.opt_str(identifier.as_deref());
                self.opt_str(ip.as_deref());
            }
            EventKind::ConsentGiven {
                channels,
                purposes,
                method,
                prechecked,
                consent_text_id,
                evidence_ref,
                verified,
                identifier,
            } => {
                self.channels(channels);
                self.purposes(purposes);
                self.str(method);
                self.opt_bool(*prechecked);
                self.opt_str(consent_text_id.as_deref());
                self.opt_str(evidence_ref.as_deref());
                match verified {
                    None => self.byte(0),
                    Some(v) => {
                        self.byte(1);
                        self.strs(v);
                    }
                }
                self.opt_str(identifier.as_deref());
            }
            EventKind::ConsentRevoked {
                channels,
                purposes,
                via,
            } => {
                self.channels(channels);
                self.purposes(purposes);
                self.opt_str(via.as_deref());
            }
            EventKind::Objection { scope, via } => {
                match scope {
                    ObjectionScope::All => self.byte(0),
                    ObjectionScope::Channels(cs) => {
                        self.byte(1);
                        self.len(cs.len());
                        for c in cs {
                            self.str(c.as_str());
                        }
                    }
                }
                self.opt_str(via.as_deref());
            }
            EventKind::ObjectionWithdrawn { via } => self.opt_str(via.as_deref()),
            EventKind::Purchase {
                product_category,
                email_collected,
                phone_collected,
                objection_notice_given,
                order_ref,
            } => {
                self.str(product_category);
                self.bool(*email_collected);
                self.opt_bool(*phone_collected);
                self.bool(*objection_notice_given);
                self.opt_str(order_ref.as_deref());
            }
            EventKind::AccountOpened {
                paid,
                email_collected,
                objection_notice_given,
            } => {
                self.bool(*paid);
                self.bool(*email_collected);
                self.bool(*objection_notice_given);
            }
            EventKind::Enquiry {
                email_collected,
                objection_notice_given,
            } => {
                self.bool(*email_collected);
                self.bool(*objection_notice_given);
            }
            EventKind::MarketingSent {
                channel,
                purpose,
                objection_notice_included,
            } => {
                self.str(channel.as_str());
                self.str(purpose.as_str());
                self.opt_bool(*objection_notice_included);
            }
            EventKind::PresumedConsentDocumented { circumstances, by } => {
                self.str(circumstances);
                self.opt_str(by.as_deref());
            }
            EventKind::RobinsonListMatch { list } => self.opt_str(list.as_deref()),
            EventKind::Classified {
                relationship,
                reason,
            } => {
                self.str(relationship.as_str());
                self.str(reason);
            }
            EventKind::ContactChanged { field, old, new } => {
                self.str(field);
                self.opt_value(old.as_ref());
                self.opt_value(new.as_ref());
            }
            EventKind::Note { text } => self.str(text),
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

fn bad(what: &str) -> CodecError {
    CodecError(format!("unreadable {what}"))
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Res<u8> {
        let b = *self
            .b
            .get(self.at)
            .ok_or_else(|| bad("record: too short"))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Res<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(bad("number"))
    }

    fn len(&mut self) -> Res<usize> {
        usize::try_from(self.varint()?).map_err(|_| bad("length"))
    }

    fn str(&mut self) -> Res<&'a str> {
        let n = self.len()?;
        let end = self.at.checked_add(n).ok_or_else(|| bad("length"))?;
        let bytes = self.b.get(self.at..end).ok_or_else(|| bad("text"))?;
        self.at = end;
        std::str::from_utf8(bytes).map_err(|_| bad("text"))
    }

    fn string(&mut self) -> Res<String> {
        self.str().map(str::to_owned)
    }

    fn opt_string(&mut self) -> Res<Option<String>> {
        match self.byte()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(bad("optional text")),
        }
    }

    fn strings(&mut self) -> Res<Vec<String>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            out.push(self.string()?);
        }
        Ok(out)
    }

    fn bool(&mut self) -> Res<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(bad("flag")),
        }
    }

    fn opt_bool(&mut self) -> Res<Option<bool>> {
        match self.byte()? {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            2 => Ok(None),
            _ => Err(bad("flag")),
        }
    }

    fn object(&mut self) -> Res<Object> {
        let text = self.str()?;
        if text.is_empty() {
            return Ok(Object::new());
        }
        match serde_json::from_str(text) {
            Ok(Value::Object(obj)) => Ok(obj),
            _ => Err(bad("extra fields")),
        }
    }

    fn opt_value(&mut self) -> Res<Option<Value>> {
        match self.opt_string()? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|_| bad("changed value")),
        }
    }

    fn instant(&mut self) -> Res<DateTime<FixedOffset>> {
        let unzig = |v: u64| ((v >> 1) as i64) ^ -((v & 1) as i64);
        let secs = unzig(self.varint()?);
        let nanos = u32::try_from(self.varint()?).map_err(|_| bad("instant"))?;
        let offset = i32::try_from(unzig(self.varint()?)).map_err(|_| bad("offset"))?;
        let offset = FixedOffset::east_opt(offset).ok_or_else(|| bad("offset"))?;
        DateTime::from_timestamp(secs, nanos)
            .map(|utc| utc.with_timezone(&offset))
            .ok_or_else(|| bad("instant"))
    }

    fn parsed<T: std::str::FromStr>(&mut self, what: &str) -> Res<T> {
        self.str()?.parse().map_err(|_| bad(what))
    }

    fn channels(&mut self) -> Res<Vec<ChannelSel>> {
        let n = self.len()?;
        (0..n).map(|_| self.parsed("channel")).collect()
    }

    fn purposes(&mut self) -> Res<Vec<Purpose>> {
        let n = self.len()?;
        (0..n)
            .map(|_| Purpose::parse_selector(self.str()?).map_err(|_| bad("purpose")))
            .collect()
    }

    fn contact(&mut self) -> Res<Contact> {
        Ok(Contact {
            id: self.string()?,
            party: self.parsed("party")?,
            relationship: self.parsed("relationship")?,
            name: self.string()?,
            company: self.opt_string()?,
            emails: self.strings()?,
            phones: self.strings()?,
            address: match self.byte()? {
                0 => None,
                1 => Some(Address {
                    street: self.opt_string()?,
                    postcode: self.opt_string()?,
                    city: self.opt_string()?,
                    country: self.opt_string()?,
                    extra: self.object()?,
                }),
                _ => return Err(bad("address")),
            },
            customer_number: self.opt_string()?,
            tags: self.strings()?,
            extra: self.object()?,
        })
    }

    fn event(&mut self, contact: &str) -> Res<Event> {
        let id = self.opt_string()?;
        let at = self.instant()?;
        let ty = self.str()?;
        let kind = self.kind(ty)?;
        Ok(Event {
            id,
            contact: contact.to_owned(),
            at,
            kind,
            recorded_by: self.opt_string()?,
            source: self.opt_string()?,
            note: self.opt_string()?,
            extra: self.object()?,
        })
    }

    fn kind(&mut self, ty: &str) -> Res<EventKind> {
        Ok(match ty {
            "consent_requested" => EventKind::ConsentRequested {
                channels: self.channels()?,
                purposes: self.purposes()?,
                method: self.string()?,
                prechecked: self.bool()?,
                consent_text_id: self.opt_string()?,
                identifier: self.opt_string()?,
                ip: self.opt_string()?,
                user_agent: self.opt_string()?,
                source_url: self.opt_string()?,
            },
            "consent_confirmed" => EventKind::ConsentConfirmed {
                channels: self.channels()?,
                purposes: self.purposes()?,
                verified: self.strings()?,
                identifier: self.opt_string()?,
                ip: self.opt_string()?,
            },
            "consent_given" => EventKind::ConsentGiven {
                channels: self.channels()?,
                purposes: self.purposes()?,
                method: self.string()?,
                prechecked: self.opt_bool()?,
                consent_text_id: self.opt_string()?,
                evidence_ref: self.opt_string()?,
                verified: match self.byte()? {
                    0 => None,
                    1 => Some(self.strings()?),
                    _ => return Err(bad("verified list")),
                },
                identifier: self.opt_string()?,
            },
            "consent_revoked" => EventKind::ConsentRevoked {
                channels: self.channels()?,
                purposes: self.purposes()?,
                via: self.opt_string()?,
            },
            "objection" => EventKind::Objection {
                scope: match self.byte()? {
                    0 => ObjectionScope::All,
                    1 => {
                        let n = self.len()?;
                        ObjectionScope::Channels(
                            (0..n)
                                .map(|_| self.parsed::<Channel>("channel"))
                                .collect::<Res<_>>()?,
                        )
                    }
                    _ => return Err(bad("objection scope")),
                },
                via: self.opt_string()?,
            },
            "objection_withdrawn" => EventKind::ObjectionWithdrawn {
                via: self.opt_string()?,
            },
            "purchase" => EventKind::Purchase {
                product_category: self.string()?,
                email_collected: self.bool()?,
                phone_collected: self.opt_bool()?,
                objection_notice_given: self.bool()?,
                order_ref: self.opt_string()?,
            },
            "account_opened" => EventKind::AccountOpened {
                paid: self.bool()?,
                email_collected: self.bool()?,
                objection_notice_given: self.bool()?,
            },
            "enquiry" => EventKind::Enquiry {
                email_collected: self.bool()?,
                objection_notice_given: self.bool()?,
            },
            "marketing_sent" => EventKind::MarketingSent {
                channel: self.parsed("channel")?,
                purpose: Purpose::parse(self.str()?).map_err(|_| bad("purpose"))?,
                objection_notice_included: self.opt_bool()?,
            },
            "presumed_consent_documented" => EventKind::PresumedConsentDocumented {
                circumstances: self.string()?,
                by: self.opt_string()?,
            },
            "robinson_list_match" => EventKind::RobinsonListMatch {
                list: self.opt_string()?,
            },
            "classified" => EventKind::Classified {
                relationship: self.parsed("relationship")?,
                reason: self.string()?,
            },
            "contact_changed" => EventKind::ContactChanged {
                field: self.string()?,
                old: self.opt_value()?,
                new: self.opt_value()?,
            },
            "note" => EventKind::Note {
                text: self.string()?,
            },
            other => return Err(CodecError(format!("unknown event type `{other}`"))),
        })
    }
}

#[cfg(test)]
#[path = "basis_codec_tests.rs"]
mod tests;
