//! The ledger JSONL format: one contact or event object per line.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use thiserror::Error;

use super::contact::Contact;
use super::error::ValidationError;
use super::event::Event;

#[derive(Debug, Clone, PartialEq)]
pub enum LedgerRecord {
    Contact(Contact),
    Event(Event),
}

/// A ledger line that could not be read, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {error}")]
pub struct ParseLineError {
    pub line: usize,
    pub error: ValidationError,
}

impl LedgerRecord {
    /// Parses one JSONL line.
    pub fn parse(line: &str) -> Result<Self, ValidationError> {
        let value: Value = serde_json::from_str(line)
            .map_err(|e| ValidationError::new("(line)", format!("not valid JSON: {e}")))?;
        let Value::Object(obj) = value else {
            return Err(ValidationError::new("(line)", "expected a JSON object"));
        };
        match obj.get("kind").and_then(Value::as_str) {
            Some("contact") => Contact::from_object(obj).map(LedgerRecord::Contact),
            Some("event") => Event::from_object(obj).map(LedgerRecord::Event),
            Some(other) => Err(ValidationError::new(
                "kind",
                format!("`{other}` is not a record kind (expected contact or event)"),
            )),
            None => Err(ValidationError::new(
                "kind",
                "is missing (contact or event)",
            )),
        }
    }

    /// The record as one JSONL line (no trailing newline).
    pub fn to_line(&self) -> String {
        let obj = match self {
            LedgerRecord::Contact(c) => c.to_object(),
            LedgerRecord::Event(e) => e.to_object(),
        };
        Value::Object(obj).to_string()
    }
}

/// The events that count at `at` (step 1 of the decision order): those at or before the
/// instant, compared as instants, in time order; ties keep ledger order.
pub fn history_until(events: &[Event], at: DateTime<FixedOffset>) -> Vec<&Event> {
    let mut evs: Vec<&Event> = events.iter().filter(|e| e.at <= at).collect();
    evs.sort_by_key(|e| e.at);
    evs
}

/// Parses a whole JSONL text, skipping blank lines. Stops at the first bad line.
pub fn parse_jsonl(text: &str) -> Result<Vec<LedgerRecord>, ParseLineError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| LedgerRecord::parse(l).map_err(|error| ParseLineError { line: i + 1, error }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_numbered() {
        let text = "{\"kind\":\"contact\",\"id\":\"K-1\",\"party\":\"consumer\",\"name\":\"A\"}\n\n{\"kind\":\"event\",\"contact\":\"K-1\",\"at\":\"2025-01-01\",\"type\":\"note\",\"text\":\"x\"}\n";
        let err = parse_jsonl(text).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.error.field, "at");
        assert!(err.to_string().starts_with("line 3: field `at`"));
        assert_eq!(parse_jsonl("[1]").unwrap_err().error.field, "(line)");
        assert_eq!(
            parse_jsonl("{\"kind\":\"x\"}").unwrap_err().error.field,
            "kind"
        );
        assert_eq!(parse_jsonl("{").unwrap_err().error.field, "(line)");
    }
}
