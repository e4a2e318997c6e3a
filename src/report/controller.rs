//! The controller's details and the Art. 15 facts that reports print, kept as register
//! settings next to the policy: who is responsible, how to reach the data protection
//! contact, who receives the data and how long it is kept.

use serde::{Deserialize, Serialize};

use crate::domain::ValidationError;

/// Stored by the store as JSON under the settings key [`Controller::SETTINGS_KEY`].
/// Every field is optional: a register made before these settings existed reads as "not set",
/// and reports say so rather than invent a value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Controller {
    /// Company name of the controller (Verantwortlicher, Art. 4 Nr. 7 DSGVO).
    pub controller_name: Option<String>,
    /// Postal address of the controller, one line.
    pub controller_address: Option<String>,
    /// How to reach the data protection officer or contact.
    pub dpo_contact: Option<String>,
    /// Recipients or categories of recipients (Art. 15(1)(c) DSGVO).
    pub recipients: Option<String>,
    /// Storage period or the criteria for it (Art. 15(1)(d) DSGVO).
    pub storage_period: Option<String>,
    /// The supervisory authority a person may complain to (Art. 15(1)(f), Art. 77 DSGVO).
    pub supervisory_authority: Option<String>,
}

/// The setting keys, as used by `settings get|set`.
pub const CONTROLLER_KEYS: [&str; 6] = [
    "controller_name",
    "controller_address",
    "dpo_contact",
    "recipients",
    "storage_period",
    "supervisory_authority",
];

impl Controller {
    pub const SETTINGS_KEY: &'static str = "controller";

    pub fn is_key(key: &str) -> bool {
        CONTROLLER_KEYS.contains(&key)
    }

    fn slot(&mut self, key: &str) -> Result<&mut Option<String>, ValidationError> {
        Ok(match key {
            "controller_name" => &mut self.controller_name,
            "controller_address" => &mut self.controller_address,
            "dpo_contact" => &mut self.dpo_contact,
            "recipients" => &mut self.recipients,
            "storage_period" => &mut self.storage_period,
            "supervisory_authority" => &mut self.supervisory_authority,
            _ => {
                return Err(ValidationError::new(
                    "key",
                    format!(
                        "unknown setting `{key}` (known: {})",
                        CONTROLLER_KEYS.join(", ")
                    ),
                ))
            }
        })
    }

    /// The value of one setting; `None` when it was never set.
    pub fn get(&self, key: &str) -> Result<Option<String>, ValidationError> {
        let mut copy = self.clone();
        Ok(copy.slot(key)?.clone())
    }

    /// Sets one setting; an empty value clears it. At most 2000 characters.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ValidationError> {
        let value = value.trim();
        if value.chars().count() > 2000 {
            return Err(ValidationError::new(key, "at most 2000 characters"));
        }
        *self.slot(key)? = Some(value.to_owned()).filter(|v| !v.is_empty());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_set_cleared_and_checked() {
        let mut c = Controller::default();
        assert_eq!(c.get("controller_name").unwrap(), None);
        c.set("controller_name", "  Müller & Söhne GmbH ").unwrap();
        assert_eq!(
            c.get("controller_name").unwrap().as_deref(),
            Some("Müller & Söhne GmbH")
        );
        c.set("controller_name", "").unwrap();
        assert_eq!(c.get("controller_name").unwrap(), None);
        assert!(c.set("colour", "red").is_err());
        assert!(c.get("colour").is_err());
        for k in CONTROLLER_KEYS {
            assert!(Controller::is_key(k));
            c.set(k, "x").unwrap();
            assert_eq!(c.get(k).unwrap().as_deref(), Some("x"));
        }
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Controller>(&json).unwrap(), c);
        assert_eq!(
            serde_json::from_str::<Controller>("{}").unwrap(),
            Controller::default()
        );
    }
}
