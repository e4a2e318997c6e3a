//! The decision engine: LEGAL.md's decision order as one pure function.

use chrono::{DateTime, FixedOffset, Months, Utc};

use super::channel::{Channel, Purpose, QueryChannel};
use super::classification::classify;
use super::consent::{any_grant, ActiveConsent, ConsentFold, ConsentState};
use super::contact::{Contact, Party, Relationship};
use super::event::{Event, EventKind, ObjectionScope};
use super::identifiers::{normalise_email, normalise_phone};
use super::ledger::history_until;
use super::policy::Policy;
use super::reason::{Lang, ReasonCode};
use super::retention::PHONE_EVIDENCE_MONTHS;

/// "May we contact this person on this channel for this purpose at this instant?"
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub channel: QueryChannel,
    pub purpose: Purpose,
    pub at: DateTime<FixedOffset>,
    /// Product category advertised (for § 7 Abs. 3 "similar goods").
    pub category: Option<String>,
    /// The address or number the contact would be made to.
    pub to: Option<String>,
    /// An automated call (calling machine) rather than a live agent.
    pub automated: bool,
}

impl Query {
    pub fn new(channel: QueryChannel, purpose: Purpose, at: DateTime<FixedOffset>) -> Self {
        Query {
            channel,
            purpose,
            at,
            category: None,
            to: None,
            automated: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Denied,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Denied => "denied",
        }
    }
}

/// The answer, with everything needed to explain and prove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub reason: ReasonCode,
    pub legal_basis: &'static str,
    /// Ids of the ledger events the decision rests on.
    pub event_ids: Vec<String>,
    /// Consent state for exactly (channel, purpose) at the instant.
    pub consent_state: ConsentState,
    pub relationship: Relationship,
    /// For a consumer's phone consent: § 7a UWG evidence retention, 5 years after the
    /// later of grant and last use.
    pub keep_until: Option<DateTime<FixedOffset>>,
}

impl Decision {
    pub fn explanation(&self, lang: Lang) -> &'static str {
        self.reason.explanation(lang)
    }
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allowed
    }
}

const PROFILING: &str = "profiling_direct_marketing";
const ANALYTICS: &str = "analytics_pseudonymised";

/// Decides a query for a contact from its events (any order) and the register's policy.
/// `suppressed` says whether one of the contact's identifiers is on the suppression list.
pub fn decide(
    contact: &Contact,
    events: &[Event],
    query: &Query,
    policy: &Policy,
    suppressed: bool,
) -> Decision {
    // 1. Time: only events at or before the query instant, in time order (ties: ledger order).
    let evs = history_until(events, query.at);

    let relationship = classify(contact, &evs).relationship;
    let fold = match query.channel.channel() {
        Some(c) => ConsentFold::fold(&evs, c, &query.purpose),
        None => ConsentFold {
            state: ConsentState::None,
            active: None,
            event_ids: Vec::new(),
        },
    };
    let keep_until = match (query.channel.channel(), contact.party, &fold.active) {
        (Some(Channel::Phone), Party::Consumer, Some(a)) => {
            months_after(a.last_grant_or_use(), PHONE_EVIDENCE_MONTHS)
        }
        _ => None,
    };
    let out = |reason: ReasonCode, event_ids: Vec<String>| Decision {
        verdict: if reason.is_allowed() {
            Verdict::Allowed
        } else {
            Verdict::Denied
        },
        reason,
        legal_basis: reason.legal_basis_for(query.channel, contact.party, relationship),
        event_ids,
        consent_state: fold.state,
        relationship,
        keep_until,
    };

    // 2. Suppression list.
    if suppressed {
        return out(ReasonCode::DenySuppressionList, Vec::new());
    }
    // 3. Objection.
    if let Some(obj) = blocking_objection(&evs, query) {
        return out(ReasonCode::DenyObjection, vec![obj.id_str().to_owned()]);
    }
    // 4. Robinson list (letters only).
    if query.channel == QueryChannel::Contact(Channel::Letter) {
        if let Some(m) = evs
            .iter()
            .find(|e| matches!(e.kind, EventKind::RobinsonListMatch { .. }))
        {
            return out(ReasonCode::DenyRobinsonList, vec![m.id_str().to_owned()]);
        }
    }
    // 5. Consent for exactly (channel, purpose).
    let mut candidate: Option<ReasonCode> = None;
    if let (Some(channel), Some(active)) = (query.channel.channel(), &fold.active) {
        match unusable(active, channel, contact, &evs, query, policy) {
            None => return out(ReasonCode::AllowConsent, fold.event_ids.clone()),
            Some(reason) => candidate = Some(reason),
        }
    }
    let candidate_or = |reason: ReasonCode, ids: Vec<String>| match candidate {
        Some(c) => out(c, fold.event_ids.clone()),
        None => out(reason, ids),
    };

    // 6. Permissions without (usable) consent.
    match query.channel {
        QueryChannel::Contact(Channel::Email) => {
            let purchases: Vec<&Event> = evs
                .iter()
                .copied()
                .filter(|e| matches!(e.kind, EventKind::Purchase { .. }))
                .collect();
            let with_email: Vec<&Event> = purchases
                .iter()
                .copied()
                .filter(|e| {
                    matches!(
                        e.kind,
                        EventKind::Purchase {
                            email_collected: true,
                            ..
                        }
                    )
                })
                .collect();
            if relationship == Relationship::Customer && !with_email.is_empty() {
                if let Some(rev) = evs.iter().find(|e| {
                    matches!(&e.kind, EventKind::ConsentRevoked { channels, .. }
                        if channels.iter().any(|c| c.covers(Channel::Email)))
                }) {
                    return out(
                        ReasonCode::DenyConsentRevoked,
                        vec![rev.id_str().to_owned()],
                    );
                }
                let notice = with_email.iter().any(|e| {
                    matches!(
                        e.kind,
                        EventKind::Purchase {
                            objection_notice_given: true,
                            ..
                        }
                    )
                });
                let similar: Vec<String> = match &query.category {
                    Some(cat) => purchases
                        .iter()
                        .filter(|e| {
                            matches!(&e.kind, EventKind::Purchase { product_category, .. }
                                if policy.similar(cat, product_category))
                        })
                        .map(|e| e.id_str().to_owned())
                        .collect(),
                    None => Vec::new(),
                };
                let ids = with_email
                    .iter()
                    .map(|e| e.id_str().to_owned())
                    .collect::<Vec<_>>();
                if policy.is_own_offer(&query.purpose) && notice && !similar.is_empty() {
                    let mut all = ids;
                    for id in similar {
                        if !all.contains(&id) {
                            all.push(id);
                        }
                    }
                    return out(ReasonCode::AllowExistingCustomer73, all);
                }
                return candidate_or(ReasonCode::Deny73ConditionsNotMet, ids);
            }
            if purchases.is_empty() {
                if let Some(acc) = evs
                    .iter()
                    .find(|e| matches!(e.kind, EventKind::AccountOpened { paid: false, .. }))
                {
                    return candidate_or(ReasonCode::Deny73NoSale, vec![acc.id_str().to_owned()]);
                }
            }
        }
        QueryChannel::Contact(Channel::Phone) => {
            if query.automated {
                return out(
                    ReasonCode::DenyAutomatedCallNoExpressConsent,
                    fold.event_ids.clone(),
                );
            }
            if contact.party == Party::Business && fold.state != ConsentState::Revoked {
                return match evs
                    .iter()
                    .find(|e| matches!(e.kind, EventKind::PresumedConsentDocumented { .. }))
                {
                    Some(p) => out(
                        ReasonCode::AllowPresumedConsentB2b,
                        vec![p.id_str().to_owned()],
                    ),
                    None => candidate_or(ReasonCode::DenyNoPresumedConsent, Vec::new()),
                };
            }
        }
        QueryChannel::Contact(Channel::Letter) => {
            return if fold.state == ConsentState::Revoked {
                out(ReasonCode::DenyConsentRevoked, fold.event_ids.clone())
            } else {
                out(ReasonCode::AllowLetterLegitimateInterest, Vec::new())
            };
        }
        QueryChannel::Contact(Channel::Sms) => {}
        QueryChannel::None => {
            if query.purpose.as_str() == ANALYTICS {
                return out(ReasonCode::AllowPseudonymisedAnalysis, Vec::new());
            }
        }
    }

    // 7. The most specific denial.
    if let Some(c) = candidate {
        return out(c, fold.event_ids.clone());
    }
    match fold.state {
        ConsentState::Pending => return out(ReasonCode::DenyDoiPending, fold.event_ids.clone()),
        ConsentState::Revoked => {
            return out(ReasonCode::DenyConsentRevoked, fold.event_ids.clone())
        }
        ConsentState::None | ConsentState::Active => {}
    }
    if let Some(channel) = query.channel.channel() {
        let covers_purpose = |e: &Event| {
            e.kind
                .consent_scope()
                .is_some_and(|(_, ps)| ps.iter().any(|p| p.covers(&query.purpose)))
        };
        let covers_channel = |e: &Event| {
            e.kind
                .consent_scope()
                .is_some_and(|(cs, _)| cs.iter().any(|c| c.covers(channel)))
        };
        if let Some(e) = any_grant(&evs, |e| covers_purpose(e) && !covers_channel(e)) {
            return out(
                ReasonCode::DenyChannelNotCovered,
                vec![e.id_str().to_owned()],
            );
        }
        if let Some(e) = any_grant(&evs, |e| covers_channel(e) && !covers_purpose(e)) {
            return out(
                ReasonCode::DenyPurposeNotCovered,
                vec![e.id_str().to_owned()],
            );
        }
        if channel == Channel::Phone && contact.party == Party::Consumer {
            return out(ReasonCode::DenyPhoneConsumerNoExpressConsent, Vec::new());
        }
    }
    out(ReasonCode::DenyNoConsent, Vec::new())
}

/// Step 3: the objection still blocking this query, if any.
fn blocking_objection<'a>(evs: &[&'a Event], query: &Query) -> Option<&'a Event> {
    let mut blocking: Vec<&Event> = Vec::new();
    // The latest request for this channel/purpose: a confirmation inherits its pre-ticking.
    let mut request_prechecked = false;
    for e in evs.iter().copied() {
        let covers = query
            .channel
            .channel()
            .is_some_and(|c| e.kind.covers(c, &query.purpose));
        match &e.kind {
            EventKind::Objection { scope, .. } => {
                let applies = match (scope, query.channel) {
                    (ObjectionScope::All, QueryChannel::Contact(_)) => true,
                    (ObjectionScope::All, QueryChannel::None) => {
                        query.purpose.as_str() == PROFILING
                    }
                    (ObjectionScope::Channels(cs), QueryChannel::Contact(c)) => cs.contains(&c),
                    (ObjectionScope::Channels(_), QueryChannel::None) => false,
                };
                if applies {
                    blocking.push(e);
                }
            }
            EventKind::ObjectionWithdrawn { .. } => blocking.clear(),
            EventKind::ConsentRequested { prechecked, .. } if covers => {
                request_prechecked = *prechecked
            }
            EventKind::ConsentConfirmed { .. } if covers && !request_prechecked => blocking.clear(),
            EventKind::ConsentGiven { prechecked, .. }
                if covers && !prechecked.unwrap_or(false) =>
            {
                blocking.clear()
            }
            _ => {}
        }
    }
    blocking.last().copied()
}

/// Step 5: the first reason an active consent cannot be used, or `None` if it can.
fn unusable(
    active: &ActiveConsent,
    channel: Channel,
    contact: &Contact,
    evs: &[&Event],
    query: &Query,
    policy: &Policy,
) -> Option<ReasonCode> {
    if active.prechecked {
        return Some(ReasonCode::DenyConsentInvalid);
    }
    if active
        .consent_text_id
        .as_deref()
        .is_none_or(|t| t.trim().is_empty())
        || active.method == "legacy_import"
    {
        return Some(ReasonCode::DenyConsentUndocumented);
    }
    if channel == Channel::Phone && contact.party == Party::Consumer && !phone_ever_verified(evs) {
        return Some(ReasonCode::DenyPhoneConsentUnverified);
    }
    if let Some(to) = &query.to {
        let verified = active.identifier.as_deref().map(normalise_identifier);
        if verified.as_deref() != Some(normalise_identifier(to).as_str()) {
            return Some(ReasonCode::DenyAddressNotVerified);
        }
    }
    let months = policy.consent_stale_after_months;
    if months > 0 {
        let deadline = months_after(active.last_grant_or_use(), months);
        if deadline.is_some_and(|d| query.at > d) {
            return Some(ReasonCode::DenyConsentStale);
        }
    }
    None
}

/// `n` calendar months after `at`, counted in UTC so that one instant gives one deadline
/// however its offset was written (LEGAL.md step 1: instants, not notations); the result is
/// shown in the offset of `at`.
pub(super) fn months_after(at: DateTime<FixedOffset>, n: u32) -> Option<DateTime<FixedOffset>> {
    at.with_timezone(&Utc)
        .checked_add_months(Months::new(n))
        .map(|d| d.with_timezone(at.offset()))
}

/// Whether any consent step up to now proved a phone number (an SMS code, a recorded call).
fn phone_ever_verified(evs: &[&Event]) -> bool {
    evs.iter().any(|e| {
        let verified = match &e.kind {
            EventKind::ConsentConfirmed { verified, .. } => verified.as_slice(),
            EventKind::ConsentGiven {
                verified: Some(v), ..
            } => v.as_slice(),
            _ => return false,
        };
        verified
            .iter()
            .any(|v| v == "phone" || v == "sms" || normalise_phone(v).is_ok())
    })
}

/// Email → lower case, phone → E.164, anything else (a postal address) → folded whitespace.
pub fn normalise_identifier(s: &str) -> String {
    if s.contains('@') {
        normalise_email(s).unwrap_or_else(|_| s.trim().to_lowercase())
    } else if let Ok(p) = normalise_phone(s) {
        p
    } else {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }
}
