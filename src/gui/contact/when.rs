//! Dates and times as the user types and reads them: local time, German `TT.MM.JJJJ` or
//! ISO `YYYY-MM-DD`, `HH:MM[:SS]`. The register stores instants with their offset; the
//! screen shows and takes local time because that is what a person on the phone means.

use chrono::{DateTime, FixedOffset, Local, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike};

use crate::i18n::{t, Lang};

/// The date as typed into a date field (`29.11.2026` in German, `2026-11-29` in English).
pub fn date_text(at: &DateTime<FixedOffset>, lang: Lang) -> String {
    let local = at.with_timezone(&Local);
    match lang {
        Lang::De => local.format("%d.%m.%Y").to_string(),
        Lang::En => local.format("%Y-%m-%d").to_string(),
    }
}

/// The time of day as typed into a time field (`18:05`).
pub fn time_text(at: &DateTime<FixedOffset>) -> String {
    at.with_timezone(&Local).format("%H:%M").to_string()
}

/// An instant for display: local date and time to the second.
pub fn show(at: &DateTime<FixedOffset>, lang: Lang) -> String {
    let local = at.with_timezone(&Local);
    match lang {
        Lang::De => local.format("%d.%m.%Y %H:%M:%S").to_string(),
        Lang::En => local.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

/// The current instant in local time, to the second (the ledger needs no more).
pub fn now() -> DateTime<FixedOffset> {
    let now = Local::now().fixed_offset();
    now.with_nanosecond(0).unwrap_or(now)
}

/// Which of the two fields is wrong, with a message in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    Date(String),
    Time(String),
}

impl WhenError {
    pub fn message(&self) -> &str {
        match self {
            WhenError::Date(m) | WhenError::Time(m) => m,
        }
    }
}

/// A date with a four-digit year: "01.06.20" is a date being typed, not the year 20.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let four = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit());
    if s.rsplit('.').next().is_some_and(four) {
        NaiveDate::parse_from_str(s, "%d.%m.%Y").ok()
    } else if s.split('-').next().is_some_and(four) {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    } else {
        None
    }
}

/// Whether a date or time field holds as many characters as a complete value, so a problem
/// is worth showing rather than an entry still being typed (`1.3.2025`, `9:30`).
pub fn looks_complete(date: &str, time: &str) -> bool {
    date.trim().chars().count() >= 8 && time.trim().chars().count() >= 4
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .ok()
}

/// The instant that a local date and time name. A time that does not exist on that day
/// (the hour skipped when clocks go forward) is refused; an hour that happens twice takes
/// the earlier one.
pub fn parse_local(date: &str, time: &str, lang: Lang) -> Result<DateTime<FixedOffset>, WhenError> {
    let d = parse_date(date)
        .ok_or_else(|| WhenError::Date(t(lang, "contact-when-bad-date").to_owned()))?;
    let tm = parse_time(time)
        .ok_or_else(|| WhenError::Time(t(lang, "contact-when-bad-time").to_owned()))?;
    match Local.from_local_datetime(&d.and_time(tm)) {
        LocalResult::Single(at) => Ok(at.fixed_offset()),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.fixed_offset()),
        LocalResult::None => Err(WhenError::Time(
            t(lang, "contact-when-no-such-time").to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_iso_dates_are_read() {
        let a = parse_local("12.03.2025", "10:00", Lang::De).unwrap();
        let b = parse_local("2025-03-12", "10:00:00", Lang::En).unwrap();
        assert_eq!(a, b);
        assert_eq!(date_text(&a, Lang::De), "12.03.2025");
        assert_eq!(date_text(&a, Lang::En), "2025-03-12");
        assert_eq!(time_text(&a), "10:00");
    }

    #[test]
    fn impossible_dates_and_times_are_refused_with_the_field() {
        assert!(matches!(
            parse_local("31.02.2025", "10:00", Lang::De),
            Err(WhenError::Date(_))
        ));
        assert!(matches!(
            parse_local("12.03.2025", "25:00", Lang::En),
            Err(WhenError::Time(_))
        ));
        assert!(matches!(
            parse_local("", "10:00", Lang::En),
            Err(WhenError::Date(_))
        ));
    }
}
