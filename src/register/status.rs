//! Search results with a verdict per channel: what the search list shows as a status
//! strip, so an agent sees "may I call?" before opening anyone.

use chrono::{DateTime, FixedOffset};

use super::{ContactSummary, Register, Result};
use crate::domain::classify_at;
use crate::domain::Permission;
use crate::domain::{decide, Channel, Decision, Purpose, Query, QueryChannel};

/// One search hit with its decisions for email, SMS, phone and letter.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub summary: ContactSummary,
    /// One decision per channel of [`Channel::ALL`], in that order, for the purpose asked.
    pub channels: Vec<(Channel, Decision)>,
}

impl Register {
    /// Like [`Register::search`], plus the decision per channel for `purpose` at `at`
    /// (the same decisions [`Register::view`] gives for one contact).
    pub fn search_with_status(
        &self,
        query: &str,
        limit: usize,
        purpose: &Purpose,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<SearchResult>> {
        self.require(Permission::Read)?;
        // The policy is read once for the whole list, not once per row.
        let policy = self.store.policy()?;
        let suppression = self.suppression_list()?;
        let hits = self.store.search(query, limit)?;
        // One stored row per hit (the contact with what the rules read of its ledger),
        // read in one query, instead of the contact and its events hit by hit.
        let ids: Vec<String> = hits.iter().map(|h| h.contact_id.clone()).collect();
        let mut bases = self.store.decision_bases_by_ids(&ids)?;
        let mut out = Vec::with_capacity(hits.len());
        for hit in &hits {
            let Some(basis) = bases.remove(&hit.contact_id) else {
                continue;
            };
            let (contact, events) = (basis.contact, basis.events);
            let suppressed = suppression
                .as_ref()
                .is_some_and(|s| s.covers(&contact, &events));
            let channels = Channel::ALL
                .iter()
                .map(|&channel| {
                    let q = Query::new(QueryChannel::Contact(channel), purpose.clone(), at);
                    (channel, decide(&contact, &events, &q, &policy, suppressed))
                })
                .collect();
            out.push(SearchResult {
                summary: ContactSummary {
                    classification: classify_at(&contact, &events, at),
                    contact,
                },
                channels,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Verdict;

    fn instant(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn demo_register(dir: &tempfile::TempDir) -> Register {
        let now = instant("2026-06-01T12:00:00+02:00");
        let mut reg = Register::create(&dir.path().join("r.db"), "test pass").unwrap();
        reg.import_records(crate::demo::demo_ledger(now, 7, 40).unwrap())
            .unwrap();
        reg
    }

    #[test]
    fn every_hit_carries_the_decisions_of_view() {
        let dir = tempfile::tempdir().unwrap();
        let reg = demo_register(&dir);
        let at = instant("2026-06-01T12:00:00+02:00");
        let purpose = Purpose::parse("newsletter").unwrap();
        let rows = reg.search_with_status("K-1001", 10, &purpose, at).unwrap();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.summary.contact.id, "K-1001");
        let view = reg.view(&row.summary.contact, &purpose, at).unwrap();
        let got: Vec<_> = row.channels.iter().map(|(c, d)| (*c, d.reason)).collect();
        let want: Vec<_> = view.channels.iter().map(|(c, d)| (*c, d.reason)).collect();
        assert_eq!(got, want);
        assert_eq!(row.summary.classification, view.classification);
        assert_eq!(
            row.channels.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            Channel::ALL.to_vec()
        );
    }

    #[test]
    fn a_long_list_decides_every_hit_as_view_does() {
        // The list reads decision bases; `view` reads the contact and its whole ledger.
        let dir = tempfile::tempdir().unwrap();
        let reg = demo_register(&dir);
        for (at, purpose) in [
            ("2026-06-01T12:00:00+02:00", "newsletter"),
            ("2029-01-01T12:00:00+01:00", "offers"),
        ] {
            let (at, purpose) = (instant(at), Purpose::parse(purpose).unwrap());
            let rows = reg.search_with_status("K-10", 50, &purpose, at).unwrap();
            assert!(rows.len() >= 30, "{}", rows.len());
            for row in rows {
                let view = reg.view(&row.summary.contact, &purpose, at).unwrap();
                assert_eq!(row.channels, view.channels, "{}", row.summary.contact.id);
                assert_eq!(row.summary.classification, view.classification);
                assert_eq!(row.summary.contact, view.contact);
            }
        }
    }

    #[test]
    fn a_general_objection_denies_every_channel_in_the_list() {
        let dir = tempfile::tempdir().unwrap();
        let reg = demo_register(&dir);
        let at = instant("2026-06-01T12:00:00+02:00");
        let purpose = Purpose::parse("newsletter").unwrap();
        // K-1008 is the demo's textbook general objection (README).
        let rows = reg.search_with_status("K-1008", 10, &purpose, at).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rows[0]
            .channels
            .iter()
            .all(|(_, d)| d.verdict == Verdict::Denied));
    }

    #[test]
    fn the_limit_and_an_empty_result_are_respected() {
        let dir = tempfile::tempdir().unwrap();
        let reg = demo_register(&dir);
        let at = instant("2026-06-01T12:00:00+02:00");
        let purpose = Purpose::parse("newsletter").unwrap();
        assert!(reg.search_with_status("e", 3, &purpose, at).unwrap().len() <= 3);
        assert!(reg
            .search_with_status("zzzzqqq", 10, &purpose, at)
            .unwrap()
            .is_empty());
    }
}
