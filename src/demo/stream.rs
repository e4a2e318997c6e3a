//! The demo register one contact at a time, for registers far larger than memory allows
//! as one `Vec` (benchmarks: a million contacts, about five million events).
//!
//! With `catalogue_mailings` off it yields exactly the records of [`super::demo_ledger`]
//! (a test holds the two together). With it on, each random contact also gets 0–4 postal
//! catalogue mailings (`marketing_sent`, letter, `product_offers_own`) over the last four
//! years, as a real register accumulates them: about five events per contact instead of
//! three. Those only ever refresh a letter consent, which the histories hardly contain, so
//! the decisions stay those of the demo.

use chrono::{DateTime, FixedOffset, Utc};

use super::history::History;
use super::people::{self, Showcase, Taken};
use super::scenarios::{self, Kind, Plan, KINDS};
use super::{contact_json, decorate, erika, steps, Rng};
use crate::domain::{Contact, LedgerRecord, ValidationError};

/// Yields each contact's records (the contact, then its events in time order), with the
/// same ids, seed and `now` semantics as [`super::demo_ledger`]. Memory grows only with
/// the set of identifiers given out (kept so emails and phone numbers stay unique).
pub struct DemoStream {
    now: DateTime<Utc>,
    rng: Rng,
    taken: Taken,
    showcase: Showcase,
    index: usize,
    contacts: usize,
    catalogue_mailings: bool,
}

impl DemoStream {
    pub fn new(
        now: DateTime<FixedOffset>,
        seed: u64,
        contacts: usize,
        catalogue_mailings: bool,
    ) -> Self {
        // Whole seconds, as in demo_ledger, so every instant prints and parses back unchanged.
        let now = now.with_timezone(&Utc);
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        DemoStream {
            now,
            rng: Rng::new(seed),
            taken: Taken::default(),
            showcase: Showcase::default(),
            index: 0,
            contacts,
            catalogue_mailings,
        }
    }

    /// How many contacts are still to come.
    pub fn remaining(&self) -> usize {
        self.contacts - self.index
    }

    fn contact(&mut self, index: usize) -> Result<Vec<LedgerRecord>, ValidationError> {
        let number = index + 1;
        if index == 0 {
            return erika(self.now, &mut self.rng, &mut self.taken);
        }
        let rng = &mut self.rng;
        let id = format!("K-{}", 1000 + number);
        let (kind, textbook) = match KINDS.get(index - 1) {
            Some(&(kind, _)) => (kind, true),
            None => (Kind::draw(rng), false),
        };
        let plan = Plan::new(kind, textbook, rng);
        let who = people::identity(rng, plan.business, &mut self.showcase, &mut self.taken);
        let customer_number = 100_000 + 7 * number as u64 + rng.below(7);
        let record = contact_json(&id, &plan, &who, customer_number, rng);
        let contact = Contact::from_object(record).map_err(|e| e.within(&id))?;
        let mut h = History::new(rng, self.now);
        scenarios::write(&plan, &who, &mut h);
        decorate(&who, &mut h);
        if self.catalogue_mailings && !textbook {
            let count = h.rng.range(0, 4);
            steps::sends(&mut h, "letter", "product_offers_own", 1, 4 * 365, count);
        }
        let events = h.finish(&id, number)?;
        let mut out = Vec::with_capacity(events.len() + 1);
        out.push(LedgerRecord::Contact(contact));
        out.extend(events.into_iter().map(LedgerRecord::Event));
        Ok(out)
    }
}

impl Iterator for DemoStream {
    type Item = Result<Vec<LedgerRecord>, ValidationError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.index >= self.contacts {
            return None;
        }
        let index = self.index;
        self.index += 1;
        Some(self.contact(index))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining(), Some(self.remaining()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::demo_ledger;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-29T16:45:12+01:00").unwrap()
    }

    #[test]
    fn without_mailings_it_is_the_demo_ledger() {
        let streamed: Vec<LedgerRecord> = DemoStream::new(now(), 7, 400, false)
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(streamed, demo_ledger(now(), 7, 400).unwrap());
    }

    #[test]
    fn with_mailings_about_five_events_per_contact() {
        let records: Vec<LedgerRecord> = DemoStream::new(now(), 7, 2_000, true)
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .into_iter()
            .flatten()
            .collect();
        let events = records
            .iter()
            .filter(|r| matches!(r, LedgerRecord::Event(_)))
            .count();
        let per_contact = events as f64 / 2_000.0;
        assert!((4.5..=5.8).contains(&per_contact), "{per_contact}");
    }
}
