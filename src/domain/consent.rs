//! Folding the ledger into the consent state for one (channel, purpose).

use chrono::{DateTime, FixedOffset};

use super::channel::{Channel, Purpose};
use super::event::{Event, EventKind};

/// The state of consent for exactly one channel and purpose at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentState {
    None,
    Pending,
    Active,
    Revoked,
}

impl ConsentState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentState::None => "none",
            ConsentState::Pending => "pending",
            ConsentState::Active => "active",
            ConsentState::Revoked => "revoked",
        }
    }
}

/// The properties of the consent currently active, collected from its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveConsent {
    pub granted_at: DateTime<FixedOffset>,
    pub last_use: Option<DateTime<FixedOffset>>,
    pub prechecked: bool,
    pub method: String,
    pub consent_text_id: Option<String>,
    /// The address or number the consent was given for / verified on.
    pub identifier: Option<String>,
    /// What this consent's steps proved (`email`, `phone`, or the identifiers themselves).
    pub verified: Vec<String>,
    /// Request (if any), grant, and uses.
    pub event_ids: Vec<String>,
}

impl ActiveConsent {
    /// The later of grant and last use: what staleness and § 7a retention count from.
    pub fn last_grant_or_use(&self) -> DateTime<FixedOffset> {
        match self.last_use {
            Some(u) if u > self.granted_at => u,
            _ => self.granted_at,
        }
    }
}

#[derive(Debug, Clone)]
struct PendingRequest<'a> {
    event: &'a Event,
    prechecked: bool,
    method: &'a str,
    consent_text_id: Option<&'a str>,
    identifier: Option<&'a str>,
}

/// Result of folding: the state, the active consent if any, and the events that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentFold {
    pub state: ConsentState,
    pub active: Option<ActiveConsent>,
    /// The events the current state rests on (e.g. the request for pending, the revocation).
    pub event_ids: Vec<String>,
}

impl ConsentFold {
    /// Folds `events` (already in time order and cut at the query instant) for (channel, purpose).
    pub fn fold(events: &[&Event], channel: Channel, purpose: &Purpose) -> Self {
        let mut state = ConsentState::None;
        let mut pending: Option<PendingRequest<'_>> = None;
        let mut active: Option<ActiveConsent> = None;
        let mut ids: Vec<String> = Vec::new();
        for e in events {
            match &e.kind {
                EventKind::ConsentRequested {
                    prechecked,
                    method,
                    consent_text_id,
                    identifier,
                    ..
                // A request while a consent is active does not suspend it.
                } if e.kind.covers(channel, purpose) && state != ConsentState::Active => {
                    state = ConsentState::Pending;
                    pending = Some(PendingRequest {
                        event: e,
                        prechecked: *prechecked,
                        method,
                        consent_text_id: consent_text_id.as_deref(),
                        identifier: identifier.as_deref(),
                    });
                    ids = vec![e.id_str().to_owned()];
                }
                EventKind::ConsentConfirmed {
                    verified, identifier, ..
                } if e.kind.covers(channel, purpose) => {
                    if let (ConsentState::Pending, Some(req)) = (state, pending.take()) {
                        state = ConsentState::Active;
                        active = Some(ActiveConsent {
                            granted_at: e.at,
                            last_use: None,
                            prechecked: req.prechecked,
                            method: req.method.to_owned(),
                            consent_text_id: req.consent_text_id.map(str::to_owned),
                            identifier: identifier
                                .as_deref()
                                .or(req.identifier)
                                .map(str::to_owned),
                            verified: verified.clone(),
                            event_ids: vec![req.event.id_str().to_owned(), e.id_str().to_owned()],
                        });
                        ids = active.as_ref().map(|a| a.event_ids.clone()).unwrap_or_default();
                    }
                }
                EventKind::ConsentGiven {
                    method,
                    prechecked,
                    consent_text_id,
                    verified,
                    identifier,
                    ..
                } if e.kind.covers(channel, purpose) => {
                    state = ConsentState::Active;
                    pending = None;
                    active = Some(ActiveConsent {
                        granted_at: e.at,
                        last_use: None,
                        prechecked: prechecked.unwrap_or(false),
                        method: method.clone(),
                        consent_text_id: consent_text_id.clone(),
                        identifier: identifier.clone(),
                        verified: verified.clone().unwrap_or_default(),
                        event_ids: vec![e.id_str().to_owned()],
                    });
                    ids = vec![e.id_str().to_owned()];
                }
                EventKind::ConsentRevoked { .. } if e.kind.covers(channel, purpose) => {
                    state = ConsentState::Revoked;
                    pending = None;
                    active = None;
                    ids = vec![e.id_str().to_owned()];
                }
                EventKind::MarketingSent {
                    channel: c,
                    purpose: p,
                    ..
                } if *c == channel && p == purpose => {
                    if let Some(a) = active.as_mut() {
                        a.last_use = Some(e.at);
                        a.event_ids.push(e.id_str().to_owned());
                        ids = a.event_ids.clone();
                    }
                }
                _ => {}
            }
        }
        ConsentFold {
            state,
            active,
            event_ids: ids,
        }
    }
}

/// Whether any consent grant (`consent_given`/`consent_confirmed`) exists that matches `pred`.
pub fn any_grant<'a>(
    events: &[&'a Event],
    mut pred: impl FnMut(&'a Event) -> bool,
) -> Option<&'a Event> {
    events.iter().copied().find(|e| {
        matches!(
            e.kind,
            EventKind::ConsentGiven { .. } | EventKind::ConsentConfirmed { .. }
        ) && pred(e)
    })
}
