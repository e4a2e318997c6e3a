//! Records are stored as the ledger's own JSON objects, so export and import share one format.

use serde_json::Value;

use super::error::StoreError;
use crate::domain::json::Object;

pub(super) fn encode(obj: Object) -> String {
    Value::Object(obj).to_string()
}

/// `what` names the row (e.g. `contact K-1`) so damage can be located.
pub(super) fn decode(text: &str, what: &str) -> Result<Object, StoreError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(StoreError::Corrupt(format!(
            "{what}: record is not a JSON object"
        ))),
        Err(e) => Err(StoreError::Corrupt(format!(
            "{what}: unreadable record: {e}"
        ))),
    }
}
