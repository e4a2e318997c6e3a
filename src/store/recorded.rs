//! When each event entered this register ("recorded at"), for the register report's
//! "time until recorded". Filled by a trigger of migration 2 on every insert into `events`,
//! so no write path can forget it; events stored before that migration have no entry.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::error::StoreError;
use super::Store;

impl Store {
    /// The instant each event id was recorded in this register, for every event that has
    /// one (events stored before schema version 2 have none: unknown).
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
}
