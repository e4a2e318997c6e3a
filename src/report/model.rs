//! Report models: what each report states, built purely from domain data. No I/O and no
//! clock — the report instant and its author are parameters — so a model can be tested,
//! shown in the GUI, or printed.

use chrono::{DateTime, FixedOffset, Utc};

use super::controller::Controller;
use super::fingerprint::{
    contact_content, in_period, sha256_hex, PeriodFingerprint, ReportKind, Scope, Stamp,
};
use crate::domain::{
    classify_at, decide, Channel, Classification, ConsentFold, ConsentState, Contact, Decision,
    Event, EventKind, Policy, Purpose, Query, QueryChannel, ReasonCode,
};

/// When and by whom a report was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub at: DateTime<FixedOffset>,
    pub by: String,
}

/// One decision of the evidence report: a channel and a purpose on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelDecision {
    pub channel: Channel,
    pub purpose: Purpose,
    pub decision: Decision,
}

/// Einwilligungsnachweis: everything needed to prove (or disprove) a consent.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceModel {
    pub controller: Controller,
    pub contact: Contact,
    pub classification: Classification,
    /// Per channel, per purpose on record, the decision as of `made.at`.
    pub decisions: Vec<ChannelDecision>,
    /// The complete ledger of the contact in ledger order (also events after `made.at`).
    pub events: Vec<Event>,
    pub policy: Policy,
    pub stamp: Stamp,
    pub made: Made,
}

/// Auskunft nach Art. 15 DSGVO: the same facts, in plain language, with the person's rights.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessModel {
    pub controller: Controller,
    pub contact: Contact,
    pub classification: Classification,
    /// Purposes the person consented to, or that were asked for, on record.
    pub purposes: Vec<Purpose>,
    /// Where the data came from (the `source` and collection `method`s on record).
    pub sources: Vec<String>,
    pub events: Vec<Event>,
    pub stamp: Stamp,
    pub made: Made,
}

/// Consent state counts for one channel at the end of the period (contacts, not events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChannelCounts {
    pub none: usize,
    pub pending: usize,
    pub active: usize,
    pub revoked: usize,
    /// Contacts an objection blocks on this channel.
    pub objection: usize,
    /// Contacts that may be contacted on this channel for at least one purpose on record.
    pub allowed: usize,
}

/// A revocation or objection received in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub event: Event,
    /// When it was entered in this register; `None` for events stored before that was kept.
    pub recorded_at: Option<DateTime<Utc>>,
}

impl Receipt {
    /// Time from receipt (`at`) to recording, in whole seconds (never negative).
    pub fn delay_seconds(&self) -> Option<i64> {
        self.recorded_at
            .map(|r| (r - self.event.at.with_timezone(&Utc)).num_seconds().max(0))
    }
}

/// Register report for auditors.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterModel {
    pub controller: Controller,
    pub from: Option<DateTime<FixedOffset>>,
    pub to: DateTime<FixedOffset>,
    pub contacts: usize,
    pub events_in_period: usize,
    pub counts: Vec<(Channel, ChannelCounts)>,
    pub revocations: Vec<Receipt>,
    pub objections: Vec<Receipt>,
    /// Erasures in the period (filled in by the register facade from its erasure records).
    pub erasures: usize,
    pub policy: Policy,
    pub stamp: Stamp,
    pub made: Made,
}

/// The purposes named by the contact's consent events and marketing (no `*`), sorted.
pub fn purposes_named(events: &[Event]) -> Vec<Purpose> {
    let mut out: Vec<Purpose> = Vec::new();
    for e in events {
        let purposes: Vec<&Purpose> = match &e.kind {
            EventKind::MarketingSent { purpose, .. } => vec![purpose],
            k => k
                .consent_scope()
                .map(|(_, ps)| ps.iter().collect())
                .unwrap_or_default(),
        };
        for p in purposes {
            if !p.is_wildcard() && !out.contains(p) {
                out.push(p.clone());
            }
        }
    }
    out.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    out
}

/// The purposes to decide for: those named, or `newsletter` standing in when none is, so a
/// report still shows a decision per channel.
pub fn purposes_on_record(events: &[Event]) -> Vec<Purpose> {
    let mut out = purposes_named(events);
    if out.is_empty() {
        if let Ok(p) = Purpose::parse("newsletter") {
            out.push(p);
        }
    }
    out
}

fn contact_stamp(kind: ReportKind, contact: &Contact, events: &[Event]) -> Stamp {
    Stamp {
        kind,
        scope: Scope::Contact(contact.id.clone()),
        sha256: sha256_hex(&contact_content(contact, events)),
    }
}

impl EvidenceModel {
    pub fn build(
        controller: Controller,
        contact: Contact,
        events: Vec<Event>,
        policy: Policy,
        made: Made,
    ) -> EvidenceModel {
        let mut decisions = Vec::new();
        let purposes = purposes_on_record(&events);
        for channel in Channel::ALL {
            for purpose in &purposes {
                let q = Query::new(QueryChannel::Contact(channel), purpose.clone(), made.at);
                decisions.push(ChannelDecision {
                    channel,
                    purpose: purpose.clone(),
                    decision: decide(&contact, &events, &q, &policy, false),
                });
            }
        }
        EvidenceModel {
            classification: classify_at(&contact, &events, made.at),
            stamp: contact_stamp(ReportKind::Evidence, &contact, &events),
            controller,
            contact,
            decisions,
            events,
            policy,
            made,
        }
    }

    /// Until when the § 7a UWG phone-consent evidence must be kept (consumers only): five
    /// years after the latest grant or use of any phone consent, also a revoked one, as of
    /// the report's instant.
    pub fn phone_keep_until(&self) -> Option<DateTime<FixedOffset>> {
        let as_of: Vec<Event> = self
            .events
            .iter()
            .filter(|e| e.at <= self.made.at)
            .cloned()
            .collect();
        crate::domain::retention::phone_evidence_keep_until(&self.contact, &as_of)
    }
}

impl AccessModel {
    pub fn build(
        controller: Controller,
        contact: Contact,
        events: Vec<Event>,
        made: Made,
    ) -> AccessModel {
        let mut sources: Vec<String> = Vec::new();
        let mut add = |s: Option<&str>| {
            if let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) {
                if !sources.iter().any(|x| x == s) {
                    sources.push(s.to_owned());
                }
            }
        };
        for e in &events {
            add(e.source.as_deref());
            match &e.kind {
                EventKind::ConsentRequested {
                    method, source_url, ..
                } => {
                    add(Some(method));
                    add(source_url.as_deref());
                }
                EventKind::ConsentGiven { method, .. } => add(Some(method)),
                _ => {}
            }
        }
        let purposes = purposes_named(&events);
        AccessModel {
            classification: classify_at(&contact, &events, made.at),
            stamp: contact_stamp(ReportKind::Access, &contact, &events),
            controller,
            contact,
            purposes,
            sources,
            events,
            made,
        }
    }
}

/// The register report built in passes that hold one contact or one event at a time: the
/// contacts (each with its decision basis or whole ledger) for the counts, then the ledger in
/// order for the period's events, receipts and fingerprint. What it keeps is the counts and
/// the period's revocations and objections, never the register. `RegisterModel::build` (tests)
/// is the in-memory reference it must equal.
pub struct RegisterTally {
    policy: Policy,
    from: Option<DateTime<FixedOffset>>,
    to: DateTime<FixedOffset>,
    contacts: usize,
    counts: Vec<(Channel, ChannelCounts)>,
    events_in_period: usize,
    revocations: Vec<Receipt>,
    objections: Vec<Receipt>,
    fingerprint: PeriodFingerprint,
}

impl RegisterTally {
    /// A tally of the period `from <= at <= to` (no `from`: since the first event).
    pub fn new(
        policy: Policy,
        from: Option<DateTime<FixedOffset>>,
        to: DateTime<FixedOffset>,
    ) -> RegisterTally {
        RegisterTally {
            policy,
            from,
            to,
            contacts: 0,
            counts: Channel::ALL
                .iter()
                .map(|c| (*c, ChannelCounts::default()))
                .collect(),
            events_in_period: 0,
            revocations: Vec::new(),
            objections: Vec::new(),
            fingerprint: PeriodFingerprint::default(),
        }
    }

    /// Counts a contact (not an erased one) with its events in ledger order: all of them,
    /// or its decision basis, which decides and folds the same.
    pub fn add_contact(&mut self, contact: &Contact, events: &[Event]) {
        self.contacts += 1;
        let to = self.to;
        let mut evs: Vec<&Event> = events.iter().filter(|e| e.at <= to).collect();
        evs.sort_by_key(|e| e.at);
        let purposes = purposes_on_record(events);
        for (channel, n) in self.counts.iter_mut() {
            let states: Vec<ConsentState> = purposes
                .iter()
                .map(|p| ConsentFold::fold(&evs, *channel, p).state)
                .collect();
            let best = [
                ConsentState::Active,
                ConsentState::Pending,
                ConsentState::Revoked,
            ]
            .into_iter()
            .find(|s| states.contains(s))
            .unwrap_or(ConsentState::None);
            match best {
                ConsentState::Active => n.active += 1,
                ConsentState::Pending => n.pending += 1,
                ConsentState::Revoked => n.revoked += 1,
                ConsentState::None => n.none += 1,
            }
            let decisions: Vec<Decision> = purposes
                .iter()
                .map(|p| {
                    let q = Query::new(QueryChannel::Contact(*channel), p.clone(), to);
                    decide(contact, events, &q, &self.policy, false)
                })
                .collect();
            if decisions.iter().any(Decision::allowed) {
                n.allowed += 1;
            }
            if decisions
                .iter()
                .any(|d| d.reason == ReasonCode::DenyObjection)
            {
                n.objection += 1;
            }
        }
    }

    /// Takes the next event of the whole ledger, in ledger order (also erased people's and
    /// those outside the period), with when it was recorded.
    pub fn add_event(&mut self, e: &Event, recorded_at: Option<DateTime<Utc>>) {
        if !in_period(e, self.from.as_ref(), &self.to) {
            return;
        }
        self.events_in_period += 1;
        self.fingerprint.add(e);
        let receipt = || Receipt {
            event: e.clone(),
            recorded_at,
        };
        match e.kind {
            EventKind::ConsentRevoked { .. } => self.revocations.push(receipt()),
            EventKind::Objection { .. } => self.objections.push(receipt()),
            _ => {}
        }
    }

    /// The model; `erasures` is left at 0 for the register facade to fill in.
    pub fn finish(self, controller: Controller, made: Made) -> RegisterModel {
        RegisterModel {
            stamp: Stamp {
                kind: ReportKind::Register,
                scope: Scope::Period {
                    from: self.from,
                    to: self.to,
                },
                sha256: self.fingerprint.finish(),
            },
            controller,
            from: self.from,
            to: self.to,
            contacts: self.contacts,
            events_in_period: self.events_in_period,
            counts: self.counts,
            revocations: self.revocations,
            objections: self.objections,
            erasures: 0,
            policy: self.policy,
            made,
        }
    }
}

#[cfg(test)]
#[path = "model_reference.rs"]
mod reference;
