//! When each event entered this register ("recorded at"), for the register report's
//! "time until recorded". Written with every event by the one event insert path
//! (`events::store_encoded`; a trigger did it from migration 2 to 7); events stored before
//! migration 2 have no entry.

#[cfg(test)]
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::bulk::each_row;
use super::error::StoreError;
use super::Store;
use crate::domain::Event;

impl Store {
    /// The instant each event id was recorded in this register, for every event that has
    /// one (events stored before schema version 2 have none: unknown). In memory: for tests
    /// only (product code streams, see `for_each_event_with_recorded`).
    #[cfg(test)]
    pub fn events_recorded_at(&self) -> Result<HashMap<String, DateTime<Utc>>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT e.id, r.recorded_at FROM event_recorded r JOIN events e ON e.seq = r.seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, millis) = row?;
            if let Some(t) = DateTime::<Utc>::from_timestamp_millis(millis) {
                out.insert(id, t);
            }
        }
        Ok(out)
    }

    /// Every event in ledger order with when it was recorded (`None`: stored before that was
    /// kept), handed to `f` one at a time: a pass over a register of millions of events holds
    /// one of them, not the ledger. Stops at the first error of `f`.
    pub fn for_each_event_with_recorded<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(&Event, Option<DateTime<Utc>>) -> Result<(), E>,
    ) -> Result<(), E> {
        each_row(
            self.conn(),
            "SELECT e.id, e.record, r.recorded_at FROM events e
             LEFT JOIN event_recorded r ON r.seq = e.seq ORDER BY e.seq",
            |r| {
                let millis: Option<i64> = r.get(2)?;
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, millis))
            },
            |(id, record, millis)| -> Result<bool, E> {
                let event = super::record::event(&record, &id)?;
                f(
                    &event,
                    millis.and_then(DateTime::<Utc>::from_timestamp_millis),
                )?;
                Ok(true)
            },
        )
    }
}
