//! `record CONTACT TYPE [--field value …]`: turns field flags into a ledger event object,
//! which the domain then validates like any imported line.

use serde_json::{Map, Value};

use super::error::CliError;

const LIST_FIELDS: [&str; 3] = ["channels", "purposes", "verified"];
const BOOL_FIELDS: [&str; 6] = [
    "prechecked",
    "email_collected",
    "phone_collected",
    "objection_notice_given",
    "paid",
    "objection_notice_included",
];
/// Set by the command itself, not by flags.
const RESERVED: [&str; 3] = ["kind", "contact", "type"];

/// Parses `--name value` pairs (`--consent-text-id` and `--consent_text_id` both work).
/// Lists are comma-separated; booleans are true/false (also yes/no, ja/nein).
pub fn fields_to_object(args: &[String]) -> Result<Map<String, Value>, CliError> {
    let mut obj = Map::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let name = flag
            .strip_prefix("--")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "expected a field flag like --channels, found `{flag}`"
                ))
            })?
            .replace('-', "_");
        if RESERVED.contains(&name.as_str()) {
            return Err(CliError::Usage(format!(
                "--{name} is set by the command, not as a field"
            )));
        }
        let raw = it
            .next()
            .ok_or_else(|| CliError::Usage(format!("--{name} needs a value")))?;
        let value = if LIST_FIELDS.contains(&name.as_str()) {
            Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_owned()))
                    .collect(),
            )
        } else if BOOL_FIELDS.contains(&name.as_str()) {
            Value::Bool(match raw.to_ascii_lowercase().as_str() {
                "true" | "yes" | "ja" | "1" => true,
                "false" | "no" | "nein" | "0" => false,
                _ => {
                    return Err(CliError::Usage(format!(
                        "--{name} must be true or false, not `{raw}`"
                    )))
                }
            })
        } else {
            Value::String(raw.clone())
        };
        if obj.insert(name.clone(), value).is_some() {
            return Err(CliError::Usage(format!("--{name} is given twice")));
        }
    }
    Ok(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_become_typed_fields() {
        let o = fields_to_object(&args(&[
            "--channels",
            "email, sms",
            "--prechecked",
            "no",
            "--consent-text-id",
            "CT-1",
        ]))
        .unwrap();
        assert_eq!(o["channels"], serde_json::json!(["email", "sms"]));
        assert_eq!(o["prechecked"], Value::Bool(false));
        assert_eq!(o["consent_text_id"], "CT-1");
    }

    #[test]
    fn malformed_flags_are_usage_errors() {
        for bad in [
            vec!["channels", "email"],
            vec!["--channels"],
            vec!["--paid", "maybe"],
            vec!["--type", "note"],
            vec!["--via", "a", "--via", "b"],
        ] {
            assert!(fields_to_object(&args(&bad)).is_err(), "{bad:?}");
        }
    }
}
