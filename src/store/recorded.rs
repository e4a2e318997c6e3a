//! When each event entered this register ("recorded at"), for the register report's
//! "time until recorded". Filled by a trigger of migration 2 on every insert into `events`,
//! so no write path can forget it; events stored before that migration have no entry.

#[cfg(test)]
use std::collections::HashMap;

use chrono::{DateTime, Utc};

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
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT e.id, e.record, r.recorded_at FROM events e
                 LEFT JOIN event_recorded r ON r.seq = e.seq ORDER BY e.seq",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let (id, record, millis): (String, String, Option<i64>) = (
                row.get(0).map_err(StoreError::from)?,
                row.get(1).map_err(StoreError::from)?,
                row.get(2).map_err(StoreError::from)?,
            );
            let event = super::record::event(&record, &id)?;
            f(
                &event,
                millis.and_then(DateTime::<Utc>::from_timestamp_millis),
            )?;
        }
        Ok(())
    }
}
