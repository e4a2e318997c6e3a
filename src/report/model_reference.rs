//! The register model as it was built before it streamed (issue: the register report held
//! every event of the register in memory): the whole ledger and every contact's events at
//! once. Kept unchanged for tests, as the reference `RegisterTally` must equal.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};

use super::*;
use crate::report::fingerprint::period_content;

impl RegisterModel {
    /// `contacts` with their events (ledger order); `all_events` the whole ledger in ledger
    /// order (for the fingerprint); `recorded` the recorded-at instants by event id.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        controller: Controller,
        contacts: &[(Contact, Vec<Event>)],
        all_events: &[Event],
        recorded: &HashMap<String, DateTime<Utc>>,
        policy: Policy,
        from: Option<DateTime<FixedOffset>>,
        to: DateTime<FixedOffset>,
        made: Made,
    ) -> RegisterModel {
        let period: Vec<&Event> = all_events
            .iter()
            .filter(|e| in_period(e, from.as_ref(), &to))
            .collect();
        let receipt = |e: &Event| Receipt {
            recorded_at: recorded.get(e.id_str()).copied(),
            event: e.clone(),
        };
        let revocations = period
            .iter()
            .filter(|e| matches!(e.kind, EventKind::ConsentRevoked { .. }))
            .map(|e| receipt(e))
            .collect();
        let objections = period
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Objection { .. }))
            .map(|e| receipt(e))
            .collect();
        let mut counts: Vec<(Channel, ChannelCounts)> = Channel::ALL
            .iter()
            .map(|c| (*c, ChannelCounts::default()))
            .collect();
        for (contact, events) in contacts {
            let mut evs: Vec<&Event> = events.iter().filter(|e| e.at <= to).collect();
            evs.sort_by_key(|e| e.at);
            let purposes = purposes_on_record(events);
            for (channel, n) in counts.iter_mut() {
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
                        decide(contact, events, &q, &policy, false)
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
        RegisterModel {
            stamp: Stamp {
                kind: ReportKind::Register,
                scope: Scope::Period { from, to },
                sha256: sha256_hex(&period_content(period.iter().copied())),
            },
            controller,
            from,
            to,
            contacts: contacts.len(),
            events_in_period: period.len(),
            counts,
            revocations,
            objections,
            erasures: 0,
            policy,
            made,
        }
    }
}
