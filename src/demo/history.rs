//! One contact's history under construction: events are drafted as ledger JSON at
//! instants relative to `now`, then given ids, German offsets and read back through
//! `Event::from_object`.

use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, Offset, SecondsFormat, TimeDelta, Utc,
};
use serde_json::{Map, Value};

use super::Rng;
use crate::domain::{Event, ValidationError};

struct Draft {
    at: DateTime<Utc>,
    ty: &'static str,
    fields: Value,
}

pub(super) struct History<'r> {
    pub rng: &'r mut Rng,
    now: DateTime<Utc>,
    drafts: Vec<Draft>,
}

impl<'r> History<'r> {
    pub fn new(rng: &'r mut Rng, now: DateTime<Utc>) -> Self {
        History {
            rng,
            now,
            drafts: Vec::new(),
        }
    }

    /// A moment during German office hours, `days_ago` days before now (never after now).
    pub fn day(&mut self, days_ago: i64) -> DateTime<Utc> {
        let seconds = self.rng.range(6 * 3600, 17 * 3600 + 1800);
        self.day_at(days_ago, seconds)
    }

    /// `seconds` after midnight UTC, `days_ago` days before now (never after now).
    pub fn day_at(&self, days_ago: i64, seconds: i64) -> DateTime<Utc> {
        let midnight = (self.now.date_naive())
            .checked_sub_days(Days::new(days_ago.max(0).unsigned_abs()))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc());
        let at = midnight.and_then(|m| m.checked_add_signed(TimeDelta::try_seconds(seconds)?));
        at.map_or(self.now, |t| t.min(self.now))
    }

    /// `seconds` after `at`, never after now.
    pub fn later(&self, at: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        TimeDelta::try_seconds(seconds)
            .and_then(|d| at.checked_add_signed(d))
            .map_or(self.now, |t| t.min(self.now))
    }

    /// Adds an event of type `ty`; `fields` is a JSON object of its own fields (and
    /// optionally `recorded_by`, `source`, `note`).
    /// Fields that are `null` are left out, as an export would.
    pub fn push(&mut self, at: DateTime<Utc>, ty: &'static str, mut fields: Value) {
        if let Value::Object(obj) = &mut fields {
            obj.retain(|_, v| !v.is_null());
        }
        self.drafts.push(Draft { at, ty, fields });
    }

    /// The events in time order with ids `E-<contact number>-<n>`, each at a German local
    /// offset (+01:00 / +02:00) or in UTC (`Z`), validated by the ledger parser.
    pub fn finish(mut self, contact: &str, number: usize) -> Result<Vec<Event>, ValidationError> {
        self.drafts.sort_by_key(|d| d.at);
        let mut events = Vec::with_capacity(self.drafts.len());
        for (i, d) in self.drafts.into_iter().enumerate() {
            let offset = if self.rng.chance(25) {
                Utc.fix()
            } else {
                german_offset(d.at)
            };
            let mut obj = Map::new();
            obj.insert("kind".into(), "event".into());
            let id = format!("E-{number:04}-{:02}", i + 1);
            obj.insert("id".into(), id.clone().into());
            obj.insert("contact".into(), contact.into());
            let at =
                d.at.with_timezone(&offset)
                    .to_rfc3339_opts(SecondsFormat::Secs, true);
            obj.insert("at".into(), at.into());
            obj.insert("type".into(), d.ty.into());
            if let Value::Object(fields) = d.fields {
                obj.extend(fields);
            }
            events.push(Event::from_object(obj).map_err(|e| e.within(&id))?);
        }
        Ok(events)
    }
}

/// Germany's offset at an instant: +02:00 from the last Sunday of March, 01:00 UTC, to the
/// last Sunday of October, 01:00 UTC; +01:00 otherwise.
pub(super) fn german_offset(at: DateTime<Utc>) -> FixedOffset {
    let summer = match (switch(at.year(), 3), switch(at.year(), 10)) {
        (Some(start), Some(end)) => start <= at && at < end,
        _ => false,
    };
    FixedOffset::east_opt(if summer { 7200 } else { 3600 }).unwrap_or(Utc.fix())
}

/// The last Sunday of `month` (March or October, both 31 days) at 01:00 UTC.
fn switch(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let last = NaiveDate::from_ymd_opt(year, month, 31)?;
    let sunday =
        last.checked_sub_days(Days::new(u64::from(last.weekday().num_days_from_sunday())))?;
    Some(sunday.and_hms_opt(1, 0, 0)?.and_utc())
}
