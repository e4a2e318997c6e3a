//! Instants typed on the command line. The clock is read here, never in the domain.

use chrono::{
    DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};

use super::error::CliError;

/// Now, in local time, to the second (what people read and what the ledger stores).
pub fn now() -> DateTime<FixedOffset> {
    let t = Local::now().fixed_offset();
    t.with_nanosecond(0).unwrap_or(t)
}

/// RFC 3339 with offset; a local date-time without offset (`2025-03-12T10:00`); or a date,
/// meaning the end of that day in local time (so that day's events count).
pub fn parse_at(s: Option<&str>) -> Result<DateTime<FixedOffset>, CliError> {
    let Some(s) = s.map(str::trim) else {
        return Ok(now());
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| NaiveTime::from_hms_opt(23, 59, 59).map(|t| d.and_time(t)))
    });
    naive
        .and_then(|n| Local.from_local_datetime(&n).earliest())
        .map(|t| t.fixed_offset())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "--at `{s}` is not a time (use e.g. 2025-03-12T10:00:00+01:00 or 2025-03-12)"
            ))
        })
}
