//! Ledger events: the append-only history every decision is derived from.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde_json::Value;

use super::channel::{Channel, ChannelSel, Purpose};
use super::contact::{validate_id, Relationship};
use super::error::ValidationError;
use super::json::{Fields, Object, Writer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionScope {
    All,
    Channels(Vec<Channel>),
}

/// What happened; each variant carries the fields of its `type` (DESIGN.md, "Ledger format").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    ConsentRequested {
        channels: Vec<ChannelSel>,
        purposes: Vec<Purpose>,
        method: String,
        prechecked: bool,
        consent_text_id: Option<String>,
        identifier: Option<String>,
        ip: Option<String>,
        user_agent: Option<String>,
        source_url: Option<String>,
    },
    ConsentConfirmed {
        channels: Vec<ChannelSel>,
        purposes: Vec<Purpose>,
        verified: Vec<String>,
        identifier: Option<String>,
        ip: Option<String>,
    },
    ConsentGiven {
        channels: Vec<ChannelSel>,
        purposes: Vec<Purpose>,
        method: String,
        prechecked: Option<bool>,
        consent_text_id: Option<String>,
        evidence_ref: Option<String>,
        verified: Option<Vec<String>>,
        identifier: Option<String>,
    },
    ConsentRevoked {
        channels: Vec<ChannelSel>,
        purposes: Vec<Purpose>,
        via: Option<String>,
    },
    Objection {
        scope: ObjectionScope,
        via: Option<String>,
    },
    ObjectionWithdrawn {
        via: Option<String>,
    },
    Purchase {
        product_category: String,
        email_collected: bool,
        phone_collected: Option<bool>,
        objection_notice_given: bool,
        order_ref: Option<String>,
    },
    AccountOpened {
        paid: bool,
        email_collected: bool,
        objection_notice_given: bool,
    },
    Enquiry {
        email_collected: bool,
        objection_notice_given: bool,
    },
    MarketingSent {
        channel: Channel,
        purpose: Purpose,
        objection_notice_included: Option<bool>,
    },
    PresumedConsentDocumented {
        circumstances: String,
        by: Option<String>,
    },
    RobinsonListMatch {
        list: Option<String>,
    },
    Classified {
        relationship: Relationship,
        reason: String,
    },
    ContactChanged {
        field: String,
        old: Option<Value>,
        new: Option<Value>,
    },
    Note {
        text: String,
    },
}

/// Every event type name, in the order of DESIGN.md.
pub const EVENT_TYPES: [&str; 15] = [
    "consent_requested",
    "consent_confirmed",
    "consent_given",
    "consent_revoked",
    "objection",
    "objection_withdrawn",
    "purchase",
    "account_opened",
    "enquiry",
    "marketing_sent",
    "presumed_consent_documented",
    "robinson_list_match",
    "classified",
    "contact_changed",
    "note",
];

impl EventKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::ConsentRequested { .. } => "consent_requested",
            EventKind::ConsentConfirmed { .. } => "consent_confirmed",
            EventKind::ConsentGiven { .. } => "consent_given",
            EventKind::ConsentRevoked { .. } => "consent_revoked",
            EventKind::Objection { .. } => "objection",
            EventKind::ObjectionWithdrawn { .. } => "objection_withdrawn",
            EventKind::Purchase { .. } => "purchase",
            EventKind::AccountOpened { .. } => "account_opened",
            EventKind::Enquiry { .. } => "enquiry",
            EventKind::MarketingSent { .. } => "marketing_sent",
            EventKind::PresumedConsentDocumented { .. } => "presumed_consent_documented",
            EventKind::RobinsonListMatch { .. } => "robinson_list_match",
            EventKind::Classified { .. } => "classified",
            EventKind::ContactChanged { .. } => "contact_changed",
            EventKind::Note { .. } => "note",
        }
    }

    /// Channels and purposes of a consent-type event (`requested`, `confirmed`, `given`,
    /// `revoked`); `None` for every other type.
    pub fn consent_scope(&self) -> Option<(&[ChannelSel], &[Purpose])> {
        match self {
            EventKind::ConsentRequested {
                channels, purposes, ..
            }
            | EventKind::ConsentConfirmed {
                channels, purposes, ..
            }
            | EventKind::ConsentGiven {
                channels, purposes, ..
            }
            | EventKind::ConsentRevoked {
                channels, purposes, ..
            } => Some((channels, purposes)),
            _ => None,
        }
    }

    /// Whether a consent-type event covers (channel, purpose): its lists contain them or `*`.
    pub fn covers(&self, channel: Channel, purpose: &Purpose) -> bool {
        self.consent_scope().is_some_and(|(cs, ps)| {
            cs.iter().any(|c| c.covers(channel)) && ps.iter().any(|p| p.covers(purpose))
        })
    }
}

/// One ledger entry about one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable id; assigned by the register when the source had none.
    pub id: Option<String>,
    pub contact: String,
    pub at: DateTime<FixedOffset>,
    pub kind: EventKind,
    pub recorded_by: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// Unknown fields, kept for the round trip.
    pub extra: Object,
}

/// Parses an RFC 3339 timestamp that must carry an offset (`Z` or `+01:00`).
pub fn parse_instant(s: &str, field: &str) -> Result<DateTime<FixedOffset>, ValidationError> {
    DateTime::parse_from_rfc3339(s.trim()).map_err(|_| {
        ValidationError::new(
            field,
            format!(
                "`{s}` is not an RFC 3339 timestamp with offset (e.g. 2025-02-01T09:00:00+01:00)"
            ),
        )
    })
}

pub fn format_instant(at: &DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn channels(f: &mut Fields, key: &str) -> Result<Vec<ChannelSel>, ValidationError> {
    f.req_str_list(key)?
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.parse().map_err(|e: ValidationError| {
                ValidationError::new(format!("{key}[{i}]"), e.problem)
            })
        })
        .collect()
}

/// A list of concrete channels (no `*`), as an objection names them.
fn plain_channels(f: &mut Fields, key: &str) -> Result<Vec<Channel>, ValidationError> {
    f.req_str_list(key)?
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.parse::<Channel>()
                .map_err(|e| ValidationError::new(format!("{key}[{i}]"), e.problem))
        })
        .collect()
}

/// `scope` is `all` or `channels` (then with a `channels` list). A stray channel list beside
/// `all` is harmless and kept for the round trip.
fn objection_scope(f: &mut Fields) -> Result<ObjectionScope, ValidationError> {
    match f.req_str("scope")?.as_str() {
        "all" => Ok(ObjectionScope::All),
        "channels" => Ok(ObjectionScope::Channels(plain_channels(f, "channels")?)),
        other => Err(ValidationError::new(
            "scope",
            format!("`{other}` is not an objection scope (expected all or channels)"),
        )),
    }
}

fn purposes(f: &mut Fields, key: &str) -> Result<Vec<Purpose>, ValidationError> {
    f.req_str_list(key)?
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Purpose::parse_selector(p)
                .map_err(|e| ValidationError::new(format!("{key}[{i}]"), e.problem))
        })
        .collect()
}

fn strs(v: &[impl AsRef<str>]) -> Value {
    Value::Array(
        v.iter()
            .map(|s| Value::String(s.as_ref().to_owned()))
            .collect(),
    )
}

fn sels(v: &[ChannelSel]) -> Value {
    strs(&v.iter().map(|c| c.as_str()).collect::<Vec<_>>())
}

fn purps(v: &[Purpose]) -> Value {
    strs(&v.iter().map(|p| p.as_str()).collect::<Vec<_>>())
}

impl EventKind {
    fn parse(ty: &str, f: &mut Fields) -> Result<Self, ValidationError> {
        Ok(match ty {
            "consent_requested" => EventKind::ConsentRequested {
                channels: channels(f, "channels")?,
                purposes: purposes(f, "purposes")?,
                method: f.req_str("method")?,
                prechecked: f.req_bool("prechecked")?,
                consent_text_id: f.opt_str("consent_text_id")?,
                identifier: f.opt_str("identifier")?,
                ip: f.opt_str("ip")?,
                user_agent: f.opt_str("user_agent")?,
                source_url: f.opt_str("source_url")?,
            },
            "consent_confirmed" => EventKind::ConsentConfirmed {
                channels: channels(f, "channels")?,
                purposes: purposes(f, "purposes")?,
                verified: f.opt_str_list("verified")?.ok_or_else(|| {
                    ValidationError::new("verified", "is missing (e.g. [\"email\"])")
                })?,
                identifier: f.opt_str("identifier")?,
                ip: f.opt_str("ip")?,
            },
            "consent_given" => EventKind::ConsentGiven {
                channels: channels(f, "channels")?,
                purposes: purposes(f, "purposes")?,
                method: f.req_str("method")?,
                prechecked: f.opt_bool("prechecked")?,
                consent_text_id: f.opt_str("consent_text_id")?,
                evidence_ref: f.opt_str("evidence_ref")?,
                verified: f.opt_str_list("verified")?,
                identifier: f.opt_str("identifier")?,
            },
            "consent_revoked" => EventKind::ConsentRevoked {
                channels: channels(f, "channels")?,
                purposes: purposes(f, "purposes")?,
                via: f.opt_str("via")?,
            },
            "objection" => {
                let scope = objection_scope(f)?;
                EventKind::Objection {
                    scope,
                    via: f.opt_str("via")?,
                }
            }
            "objection_withdrawn" => EventKind::ObjectionWithdrawn {
                via: f.opt_str("via")?,
            },
            "purchase" => EventKind::Purchase {
                product_category: f.req_str("product_category")?,
                email_collected: f.req_bool("email_collected")?,
                phone_collected: f.opt_bool("phone_collected")?,
                objection_notice_given: f.req_bool("objection_notice_given")?,
                order_ref: f.opt_str("order_ref")?,
            },
            "account_opened" => EventKind::AccountOpened {
                paid: f.req_bool("paid")?,
                email_collected: f.req_bool("email_collected")?,
                objection_notice_given: f.req_bool("objection_notice_given")?,
            },
            "enquiry" => EventKind::Enquiry {
                email_collected: f.req_bool("email_collected")?,
                objection_notice_given: f.req_bool("objection_notice_given")?,
            },
            "marketing_sent" => EventKind::MarketingSent {
                channel: f.req_str("channel")?.parse()?,
                purpose: Purpose::parse(&f.req_str("purpose")?)?,
                objection_notice_included: f.opt_bool("objection_notice_included")?,
            },
            "presumed_consent_documented" => EventKind::PresumedConsentDocumented {
                circumstances: f.req_str("circumstances")?,
                by: f.opt_str("by")?,
            },
            "robinson_list_match" => EventKind::RobinsonListMatch {
                list: f.opt_str("list")?,
            },
            "classified" => EventKind::Classified {
                relationship: f.req_str("relationship")?.parse()?,
                reason: f.req_str("reason")?,
            },
            "contact_changed" => EventKind::ContactChanged {
                field: f.req_str("field")?,
                old: f.opt_value("old"),
                new: f.opt_value("new"),
            },
            "note" => EventKind::Note {
                text: f.req_str("text")?,
            },
            other => {
                return Err(ValidationError::new(
                    "type",
                    format!(
                        "unknown event type `{other}` (known: {})",
                        EVENT_TYPES.join(", ")
                    ),
                ))
            }
        })
    }

    fn write(&self, w: Writer) -> Writer {
        match self {
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
            } => w
                .put("channels", sels(channels))
                .put("purposes", purps(purposes))
                .put("method", method.clone())
                .put("prechecked", *prechecked)
                .opt("consent_text_id", consent_text_id.clone())
                .opt("identifier", identifier.clone())
                .opt("ip", ip.clone())
                .opt("user_agent", user_agent.clone())
                .opt("source_url", source_url.clone()),
            EventKind::ConsentConfirmed {
                channels,
                purposes,
                verified,
                identifier,
                ip,
            } => w
                .put("channels", sels(channels))
                .put("purposes", purps(purposes))
                .put("verified", strs(verified))
                .opt("identifier", identifier.clone())
                .opt("ip", ip.clone()),
            EventKind::ConsentGiven {
                channels,
                purposes,
                method,
                prechecked,
                consent_text_id,
                evidence_ref,
                verified,
                identifier,
            } => w
                .put("channels", sels(channels))
                .put("purposes", purps(purposes))
                .put("method", method.clone())
                .opt("prechecked", *prechecked)
                .opt("consent_text_id", consent_text_id.clone())
                .opt("evidence_ref", evidence_ref.clone())
                .opt("verified", verified.as_deref().map(strs))
                .opt("identifier", identifier.clone()),
            EventKind::ConsentRevoked {
                channels,
                purposes,
                via,
            } => w
                .put("channels", sels(channels))
                .put("purposes", purps(purposes))
                .opt("via", via.clone()),
            EventKind::Objection { scope, via } => match scope {
                ObjectionScope::All => w.put("scope", "all"),
                ObjectionScope::Channels(cs) => w.put("scope", "channels").put(
                    "channels",
                    strs(&cs.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
                ),
            }
            .opt("via", via.clone()),
            EventKind::ObjectionWithdrawn { via } => w.opt("via", via.clone()),
            EventKind::Purchase {
                product_category,
                email_collected,
                phone_collected,
                objection_notice_given,
                order_ref,
            } => w
                .put("product_category", product_category.clone())
                .put("email_collected", *email_collected)
                .opt("phone_collected", *phone_collected)
                .put("objection_notice_given", *objection_notice_given)
                .opt("order_ref", order_ref.clone()),
            EventKind::AccountOpened {
                paid,
                email_collected,
                objection_notice_given,
            } => w
                .put("paid", *paid)
                .put("email_collected", *email_collected)
                .put("objection_notice_given", *objection_notice_given),
            EventKind::Enquiry {
                email_collected,
                objection_notice_given,
            } => w
                .put("email_collected", *email_collected)
                .put("objection_notice_given", *objection_notice_given),
            EventKind::MarketingSent {
                channel,
                purpose,
                objection_notice_included,
            } => w
                .put("channel", channel.as_str())
                .put("purpose", purpose.as_str())
                .opt("objection_notice_included", *objection_notice_included),
            EventKind::PresumedConsentDocumented { circumstances, by } => w
                .put("circumstances", circumstances.clone())
                .opt("by", by.clone()),
            EventKind::RobinsonListMatch { list } => w.opt("list", list.clone()),
            EventKind::Classified {
                relationship,
                reason,
            } => w
                .put("relationship", relationship.as_str())
                .put("reason", reason.clone()),
            EventKind::ContactChanged { field, old, new } => w
                .put("field", field.clone())
                .opt("old", old.clone())
                .opt("new", new.clone()),
            EventKind::Note { text } => w.put("text", text.clone()),
        }
    }
}

impl Event {
    /// Reads a `{"kind":"event", …}` object. Errors name the offending field.
    pub fn from_object(obj: Object) -> Result<Self, ValidationError> {
        let mut f = Fields::new(obj);
        f.opt_value("kind");
        let id = f.opt_str("id")?;
        if let Some(id) = &id {
            validate_id(id, "id")?;
        }
        let contact = f.req_str("contact")?;
        validate_id(&contact, "contact")?;
        let at = parse_instant(&f.req_str("at")?, "at")?;
        let ty = f.req_str("type")?;
        let kind = EventKind::parse(&ty, &mut f)?;
        Ok(Event {
            id,
            contact,
            at,
            kind,
            recorded_by: f.opt_str("recorded_by")?,
            source: f.opt_str("source")?,
            note: f.opt_str("note")?,
            extra: f.rest(),
        })
    }

    pub fn to_object(&self) -> Object {
        let w = Writer::new()
            .put("kind", "event")
            .opt("id", self.id.clone())
            .put("contact", self.contact.clone())
            .put("at", format_instant(&self.at))
            .put("type", self.kind.type_name());
        self.kind
            .write(w)
            .opt("recorded_by", self.recorded_by.clone())
            .opt("source", self.source.clone())
            .opt("note", self.note.clone())
            .extend(&self.extra)
            .build()
    }

    /// The id, or an empty string for an event not yet stored.
    pub fn id_str(&self) -> &str {
        self.id.as_deref().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<Event, ValidationError> {
        Event::from_object(v.as_object().unwrap().clone())
    }

    #[test]
    fn design_examples_parse_and_round_trip() {
        let samples = [
            json!({"kind":"event","contact":"K-1001","at":"2025-02-01T09:00:00+01:00","type":"consent_requested","channels":["email"],"purposes":["newsletter"],"method":"web_form_checkbox","prechecked":false,"consent_text_id":"CT-NEWSLETTER-v3","identifier":"erika@example.de","ip":"203.0.113.10","user_agent":"Mozilla/5.0","source_url":"https://shop.example.de/newsletter"}),
            json!({"kind":"event","contact":"K-1001","at":"2025-02-01T09:07:30+01:00","type":"consent_confirmed","channels":["email"],"purposes":["newsletter"],"verified":["email"],"identifier":"erika@example.de","ip":"203.0.113.11"}),
            json!({"kind":"event","id":"E-9","contact":"K-1","at":"2025-01-01T00:00:00Z","type":"objection","scope":"channels","channels":["phone","sms"],"via":"letter","recorded_by":"dpo","custom":{"a":1}}),
            json!({"kind":"event","contact":"K-1","at":"2025-01-01T00:00:00+00:00","type":"consent_revoked","channels":["*"],"purposes":["*"],"via":"email"}),
            json!({"kind":"event","contact":"K-1","at":"2025-01-01T00:00:00+00:00","type":"contact_changed","field":"name","old":"A","new":"B"}),
        ];
        for s in samples {
            let e = parse(s.clone()).unwrap();
            let back = Event::from_object(e.to_object()).unwrap();
            assert_eq!(back, e);
        }
        let e = parse(json!({"contact":"K-1","at":"2025-01-01T00:00:00Z","type":"note","text":"x","custom":7})).unwrap();
        assert_eq!(e.to_object()["custom"], json!(7));
    }

    #[test]
    fn every_type_has_a_parser() {
        for ty in EVENT_TYPES {
            let err = parse(json!({"contact":"K-1","at":"2025-01-01T00:00:00Z","type":ty}));
            // Each type either parses without own fields or names a missing field of its own.
            if let Err(e) = err {
                assert_ne!(e.field, "type", "{ty}");
            }
        }
    }

    #[test]
    fn validation_errors_are_precise() {
        let base = |extra: Value| {
            let mut v = json!({"contact":"K-1","at":"2025-01-01T10:00:00+01:00","type":"consent_given","channels":["email"],"purposes":["newsletter"],"method":"paper_form"});
            for (k, x) in extra.as_object().unwrap() {
                if x.is_null() {
                    v.as_object_mut().unwrap().remove(k);
                } else {
                    v[k] = x.clone();
                }
            }
            parse(v)
        };
        assert!(base(json!({})).is_ok());
        let cases = [
            (
                json!({"type":"consent_granted"}),
                "type",
                "unknown event type",
            ),
            (json!({"at":"2025-01-01T10:00:00"}), "at", "with offset"),
            (json!({"at":null}), "at", "missing"),
            (
                json!({"channels":["fax"]}),
                "channels[0]",
                "unknown channel",
            ),
            (json!({"channels":[]}), "channels", "at least one"),
            (json!({"channels":"email"}), "channels", "expected a list"),
            (
                json!({"purposes":["News-Letter"]}),
                "purposes[0]",
                "not a purpose",
            ),
            (json!({"method":null}), "method", "missing"),
            (json!({"prechecked":"no"}), "prechecked", "true or false"),
            (json!({"contact":null}), "contact", "missing"),
        ];
        for (patch, field, needle) in cases {
            let err = base(patch.clone()).unwrap_err();
            assert_eq!(err.field, field, "{patch}: {err}");
            assert!(err.problem.contains(needle), "{patch}: {err}");
        }
    }

    #[test]
    fn objection_scope_is_checked() {
        let e = parse(
            json!({"contact":"K-1","at":"2025-01-01T00:00:00Z","type":"objection","scope":"some"}),
        )
        .unwrap_err();
        assert_eq!(e.field, "scope");
        let e = parse(json!({"contact":"K-1","at":"2025-01-01T00:00:00Z","type":"objection","scope":"channels"})).unwrap_err();
        assert_eq!(e.field, "channels");
        let e = parse(json!({"contact":"K-1","at":"2025-01-01T00:00:00Z","type":"objection","scope":"channels","channels":["*"]})).unwrap_err();
        assert_eq!(e.field, "channels[0]");
    }
}
