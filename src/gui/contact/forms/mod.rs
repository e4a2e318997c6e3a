//! The recording forms: one model for every event the screen can record, validated by the
//! domain itself (the form builds the ledger object and lets `Event::from_object` judge
//! it), so the GUI accepts exactly what an import or the command line would.

mod view;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

pub use view::{field_label, purpose_label, view};

use crate::domain::channel::WELL_KNOWN_PURPOSES;
use crate::domain::{Channel, Event, Party, Relationship};
use crate::gui::contact::when::{self, WhenError};
use crate::i18n::{t, tf, Lang};

/// The ways a revocation or objection arrives, as the ledger's `via` values. A closed list
/// keeps the register's statistics and reports consistent; details go into the note.
pub const VIA: [&str; 5] = ["letter", "email", "phone", "web_form", "in_person"];

/// The forms the contact screen offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    ConsentRequested,
    ConsentConfirmed,
    ConsentGiven,
    Revocation,
    Objection,
    Purchase,
    PresumedConsent,
    Note,
    Classify,
}

/// One input of a form, in Tab order. Text and flag inputs carry their ledger field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Channel checkboxes; `all` offers the wildcard (every channel).
    Channels {
        all: bool,
    },
    /// Purpose checkboxes plus a free list; `all` offers the wildcard.
    Purposes {
        all: bool,
    },
    /// Whether the objection covers all direct marketing or the chosen channels.
    ObjectionScope,
    /// Which identifiers the step verified (email, phone).
    Verified,
    Relation,
    /// How a revocation or objection reached us (the ledger's `via`), one of [`VIA`].
    Via,
    Text(&'static str),
    Flag(&'static str),
    When,
}

use Field::*;

impl FormKind {
    pub const ALL: [FormKind; 9] = [
        FormKind::ConsentRequested,
        FormKind::ConsentConfirmed,
        FormKind::ConsentGiven,
        FormKind::Revocation,
        FormKind::Objection,
        FormKind::Purchase,
        FormKind::PresumedConsent,
        FormKind::Note,
        FormKind::Classify,
    ];

    /// The ledger `type` the form records.
    pub fn event_type(self) -> &'static str {
        match self {
            FormKind::ConsentRequested => "consent_requested",
            FormKind::ConsentConfirmed => "consent_confirmed",
            FormKind::ConsentGiven => "consent_given",
            FormKind::Revocation => "consent_revoked",
            FormKind::Objection => "objection",
            FormKind::Purchase => "purchase",
            FormKind::PresumedConsent => "presumed_consent_documented",
            FormKind::Note => "note",
            FormKind::Classify => "classified",
        }
    }

    /// Presumed consent (§ 7 Abs. 2 Nr. 1 UWG, second case) exists only for businesses.
    pub fn offered_for(self, party: Party) -> bool {
        self != FormKind::PresumedConsent || party == Party::Business
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            FormKind::ConsentRequested => &[
                Channels { all: false },
                Purposes { all: false },
                Text("method"),
                Text("consent_text_id"),
                Text("identifier"),
                Flag("prechecked"),
                Text("note"),
                When,
            ],
            FormKind::ConsentConfirmed => &[
                Channels { all: false },
                Purposes { all: false },
                Verified,
                Text("identifier"),
                Text("note"),
                When,
            ],
            FormKind::ConsentGiven => &[
                Channels { all: false },
                Purposes { all: false },
                Text("method"),
                Text("consent_text_id"),
                Text("identifier"),
                Text("evidence_ref"),
                Flag("prechecked"),
                Verified,
                Text("note"),
                When,
            ],
            FormKind::Revocation => &[
                Channels { all: true },
                Purposes { all: true },
                Via,
                Text("note"),
                When,
            ],
            FormKind::Objection => &[ObjectionScope, Via, Text("note"), When],
            FormKind::Purchase => &[
                Text("product_category"),
                Text("order_ref"),
                Flag("email_collected"),
                Flag("phone_collected"),
                Flag("objection_notice_given"),
                Text("note"),
                When,
            ],
            FormKind::PresumedConsent => &[Text("circumstances"), Text("by"), Text("note"), When],
            FormKind::Note => &[Text("text"), When],
            FormKind::Classify => &[Relation, Text("reason"), When],
        }
    }

    /// Text fields the domain refuses when empty; marked in the form so nobody has to guess.
    pub fn required(self, field: &str) -> bool {
        matches!(
            (self, field),
            (
                FormKind::ConsentRequested | FormKind::ConsentGiven,
                "method"
            ) | (FormKind::Purchase, "product_category")
                | (FormKind::PresumedConsent, "circumstances")
                | (FormKind::Note, "text")
                | (FormKind::Classify, "reason")
        )
    }

    /// The id of the form's first text box, focused when the form opens (keyboard first).
    pub fn first_input(self) -> String {
        self.fields()
            .iter()
            .find_map(|f| match f {
                Text(name) => Some(format!("form-{name}")),
                Purposes { .. } => Some("form-other_purposes".to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| "form-date".to_owned())
    }

    /// Catalogue suffix: `form-title-<key>`, `form-open-<key>`.
    pub fn key(self) -> &'static str {
        self.event_type()
    }
}

/// An edit of the open form.
#[derive(Debug, Clone)]
pub enum FormMessage {
    Text(&'static str, String),
    Flag(&'static str, bool),
    Channel(Channel, bool),
    AllChannels(bool),
    Purpose(String, bool),
    AllPurposes(bool),
    OtherPurposes(String),
    Verified(&'static str, bool),
    ObjectionAll(bool),
    Relationship(Relationship),
    Date(String),
    Time(String),
    Now,
}

/// What a valid form asks the register to do.
#[derive(Debug, Clone)]
pub enum Submission {
    Record(Box<Event>),
    Classify {
        relationship: Relationship,
        reason: String,
        at: chrono::DateTime<chrono::FixedOffset>,
    },
}

/// The state of the open form; `errors` maps a field (`channels`, `method`, `when`, …, or
/// `form` for the form as a whole) to the problem shown next to it.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub texts: BTreeMap<&'static str, String>,
    pub flags: BTreeMap<&'static str, bool>,
    pub channels: BTreeSet<Channel>,
    pub all_channels: bool,
    pub purposes: BTreeSet<String>,
    pub all_purposes: bool,
    pub other_purposes: String,
    pub verified: BTreeSet<&'static str>,
    pub objection_all: bool,
    pub relationship: Relationship,
    pub date: String,
    pub time: String,
    pub errors: BTreeMap<String, String>,
    pub saving: bool,
    /// The contact's email addresses and phone numbers, offered for the `identifier` field.
    pub known_identifiers: Vec<String>,
}

impl Form {
    /// A fresh form: time now, the screen's purpose chosen, the usual method filled in.
    /// `user` is the signed-in user (who documented a presumed consent, by default).
    pub fn new(kind: FormKind, purpose: &str, user: &str, lang: Lang) -> Form {
        let now = when::now();
        let mut texts = BTreeMap::new();
        match kind {
            FormKind::ConsentRequested => {
                texts.insert("method", "web_form_checkbox".to_owned());
            }
            FormKind::ConsentGiven => {
                texts.insert("method", "paper_form".to_owned());
            }
            // Who documented the circumstances is usually who records them.
            FormKind::PresumedConsent => {
                texts.insert("by", user.to_owned());
            }
            _ => {}
        }
        let mut purposes = BTreeSet::new();
        if WELL_KNOWN_PURPOSES.contains(&purpose) {
            purposes.insert(purpose.to_owned());
        }
        Form {
            kind,
            texts,
            flags: BTreeMap::new(),
            channels: BTreeSet::new(),
            all_channels: false,
            purposes,
            all_purposes: false,
            other_purposes: if WELL_KNOWN_PURPOSES.contains(&purpose) {
                String::new()
            } else {
                purpose.to_owned()
            },
            verified: BTreeSet::new(),
            objection_all: true,
            relationship: Relationship::Customer,
            date: when::date_text(&now, lang),
            time: when::time_text(&now),
            errors: BTreeMap::new(),
            saving: false,
            known_identifiers: Vec::new(),
        }
    }

    pub fn text(&self, field: &str) -> &str {
        self.texts.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn flag(&self, field: &str) -> bool {
        self.flags.get(field).copied().unwrap_or(false)
    }

    pub fn update(&mut self, message: FormMessage, lang: Lang) {
        let touched: &str = match message {
            FormMessage::Text(f, v) => {
                self.texts.insert(f, v);
                f
            }
            FormMessage::Flag(f, v) => {
                self.flags.insert(f, v);
                f
            }
            FormMessage::Channel(c, on) => {
                if on {
                    self.channels.insert(c);
                } else {
                    self.channels.remove(&c);
                }
                "channels"
            }
            FormMessage::AllChannels(on) => {
                self.all_channels = on;
                "channels"
            }
            FormMessage::Purpose(p, on) => {
                if on {
                    self.purposes.insert(p);
                } else {
                    self.purposes.remove(&p);
                }
                "purposes"
            }
            FormMessage::AllPurposes(on) => {
                self.all_purposes = on;
                "purposes"
            }
            FormMessage::OtherPurposes(v) => {
                self.other_purposes = v;
                "purposes"
            }
            FormMessage::Verified(f, on) => {
                if on {
                    self.verified.insert(f);
                } else {
                    self.verified.remove(f);
                }
                "verified"
            }
            FormMessage::ObjectionAll(all) => {
                self.objection_all = all;
                "channels"
            }
            FormMessage::Relationship(r) => {
                self.relationship = r;
                "relationship"
            }
            FormMessage::Date(v) => {
                self.date = v;
                "when"
            }
            FormMessage::Time(v) => {
                self.time = v;
                "when"
            }
            FormMessage::Now => {
                let now = when::now();
                self.date = when::date_text(&now, lang);
                self.time = when::time_text(&now);
                "when"
            }
        };
        // The problem shown next to a field goes once the user changes that field.
        self.errors.remove(touched);
        self.errors.remove("form");
    }

    /// Checks the form and, if it is valid, what to write. On failure `errors` says where.
    pub fn submission(&mut self, contact_id: &str, lang: Lang) -> Option<Submission> {
        self.errors.clear();
        let at = match when::parse_local(&self.date, &self.time, lang) {
            Ok(at) => Some(at),
            Err(e @ (WhenError::Date(_) | WhenError::Time(_))) => {
                self.errors.insert("when".into(), e.message().to_owned());
                None
            }
        };
        let mut obj = Map::new();
        obj.insert("kind".into(), "event".into());
        obj.insert("contact".into(), contact_id.into());
        // A placeholder instant keeps the other fields checked while the date is wrong.
        let at_text = at
            .map(|a| crate::domain::event::format_instant(&a))
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        obj.insert("at".into(), at_text.into());
        obj.insert("type".into(), self.kind.event_type().into());
        self.fill(&mut obj, lang);
        obj.insert("source".into(), "gui".into());

        let event = match Event::from_object(obj) {
            Ok(e) => Some(e),
            Err(e) => {
                let field = self.field_of(&e.field);
                let message = match e.problem.as_str() {
                    "is missing" | "must not be empty" => t(lang, "form-error-required").to_owned(),
                    "must name at least one entry" => t(lang, "form-error-choose").to_owned(),
                    other => tf(lang, "form-error-invalid", &[("problem", other)]),
                };
                self.errors.entry(field).or_insert(message);
                None
            }
        };
        if !self.errors.is_empty() {
            return None;
        }
        let (event, at) = (event?, at?);
        Some(match event.kind {
            crate::domain::EventKind::Classified {
                relationship,
                reason,
            } => Submission::Classify {
                relationship,
                reason,
                at,
            },
            _ => Submission::Record(Box::new(event)),
        })
    }

    /// Puts the form's own fields into the ledger object.
    fn fill(&mut self, obj: &mut Map<String, Value>, lang: Lang) {
        for field in self.kind.fields() {
            match *field {
                Channels { all } => {
                    let list: Vec<Value> = if all && self.all_channels {
                        vec!["*".into()]
                    } else {
                        self.chosen_channels()
                    };
                    obj.insert("channels".into(), Value::Array(list));
                }
                Purposes { all } => match self.chosen_purposes(all) {
                    Ok(list) => {
                        obj.insert(
                            "purposes".into(),
                            list.into_iter().map(Value::from).collect(),
                        );
                    }
                    Err(bad) => {
                        let problem = tf(lang, "form-error-purpose", &[("purpose", &bad)]);
                        self.errors.insert("purposes".into(), problem);
                        obj.insert("purposes".into(), Value::Array(vec!["newsletter".into()]));
                    }
                },
                ObjectionScope => {
                    if self.objection_all {
                        obj.insert("scope".into(), "all".into());
                    } else {
                        obj.insert("scope".into(), "channels".into());
                        obj.insert("channels".into(), Value::Array(self.chosen_channels()));
                    }
                }
                Verified => {
                    let list: Vec<Value> = ["email", "phone"]
                        .into_iter()
                        .filter(|v| self.verified.contains(v))
                        .map(Value::from)
                        .collect();
                    // A confirmation always states what it verified; a given consent may not.
                    if self.kind == FormKind::ConsentConfirmed || !list.is_empty() {
                        obj.insert("verified".into(), Value::Array(list));
                    }
                }
                Relation => {
                    obj.insert("relationship".into(), self.relationship.as_str().into());
                }
                Via => {
                    let v = self.text("via");
                    if !v.is_empty() {
                        obj.insert("via".into(), v.into());
                    }
                }
                Text(name) => {
                    let v = self.text(name).trim();
                    if !v.is_empty() {
                        obj.insert(name.into(), v.into());
                    }
                }
                Flag(name) => {
                    obj.insert(name.into(), self.flag(name).into());
                }
                When => {}
            }
        }
    }

    fn chosen_channels(&self) -> Vec<Value> {
        Channel::ALL
            .iter()
            .filter(|c| self.channels.contains(c))
            .map(|c| Value::from(c.as_str()))
            .collect()
    }

    /// The ticked purposes and the typed ones, in order and without repeats; `Err` names a
    /// typed entry that is not a purpose identifier.
    fn chosen_purposes(&self, wildcard_offered: bool) -> Result<Vec<String>, String> {
        if wildcard_offered && self.all_purposes {
            return Ok(vec!["*".into()]);
        }
        let mut out: Vec<String> = WELL_KNOWN_PURPOSES
            .iter()
            .filter(|p| self.purposes.contains(**p))
            .map(|p| (*p).to_owned())
            .collect();
        for p in self
            .purposes
            .iter()
            .filter(|p| !WELL_KNOWN_PURPOSES.contains(&p.as_str()))
        {
            out.push(p.clone());
        }
        for typed in self
            .other_purposes
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            crate::domain::Purpose::parse(typed).map_err(|_| typed.to_owned())?;
            if !out.iter().any(|p| p == typed) {
                out.push(typed.to_owned());
            }
        }
        Ok(out)
    }

    /// The form field a domain validation error belongs to (`channels[1]` → `channels`).
    fn field_of(&self, domain_field: &str) -> String {
        let base = domain_field.split('[').next().unwrap_or(domain_field);
        let base = if base == "at" { "when" } else { base };
        let known = self.kind.fields().iter().any(|f| match *f {
            Channels { .. } => base == "channels",
            Purposes { .. } => base == "purposes",
            ObjectionScope => base == "channels" || base == "scope",
            Verified => base == "verified",
            Relation => base == "relationship",
            Via => base == "via",
            Text(n) | Flag(n) => base == n,
            When => base == "when",
        });
        if known {
            if base == "scope" {
                "channels".into()
            } else {
                base.into()
            }
        } else {
            "form".into()
        }
    }
}

#[cfg(test)]
mod tests;
