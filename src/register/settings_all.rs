//! All register settings behind one pair of calls: the policy keys and the controller's
//! details (company, address, data protection contact, recipients, storage period), so
//! `settings get` lists everything and `settings set` reaches every key.

use super::{Register, RegisterError, Result};
use crate::domain::chain::AuditAction;
use crate::domain::policy::POLICY_KEYS;
use crate::domain::Permission;
use crate::domain::ValidationError;
use crate::report::{Controller, CONTROLLER_KEYS};
use crate::store::StoreError;

impl Register {
    /// Every settings key, policy first, in a stable order.
    pub fn setting_keys() -> Vec<&'static str> {
        POLICY_KEYS
            .iter()
            .chain(CONTROLLER_KEYS.iter())
            .copied()
            .collect()
    }

    /// The controller's details; every field "not set" in a register that never stored them.
    pub fn controller(&self) -> Result<Controller> {
        self.require(Permission::Read)?;
        self.stored_controller()
    }

    /// `controller` without the role check, for facade methods that checked already.
    pub(super) fn stored_controller(&self) -> Result<Controller> {
        match self.store.setting(Controller::SETTINGS_KEY)? {
            None => Ok(Controller::default()),
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                StoreError::Corrupt(format!("setting `{}`: {e}", Controller::SETTINGS_KEY)).into()
            }),
        }
    }

    /// One setting as text; `None` for a controller detail that is not set.
    pub fn setting_value(&self, key: &str) -> Result<Option<String>> {
        self.require(Permission::Read)?;
        if Controller::is_key(key) {
            return Ok(self.stored_controller()?.get(key)?);
        }
        if POLICY_KEYS.contains(&key) {
            return Ok(Some(self.store.policy()?.get(key)?));
        }
        Err(unknown_key(key).into())
    }

    /// Changes one setting (an empty value clears a controller detail); a bad value or an
    /// unknown key changes nothing. Returns the value as stored.
    pub fn set_setting_value(&mut self, key: &str, value: &str) -> Result<Option<String>> {
        self.require(Permission::ChangeSettings)?;
        if POLICY_KEYS.contains(&key) {
            let policy = self.store_policy_value(key, value)?;
            return Ok(Some(policy.get(key)?));
        }
        if !Controller::is_key(key) {
            return Err(unknown_key(key).into());
        }
        let mut controller = self.stored_controller()?;
        controller.set(key, value)?;
        let json = serde_json::to_string(&controller).map_err(|e| {
            StoreError::Corrupt(format!("the controller settings cannot be written: {e}"))
        })?;
        self.store.write(|tx| {
            tx.set_setting(Controller::SETTINGS_KEY, &json)?;
            // The controller's details name people (the DPO): the key only.
            super::audit::audit_in(tx, &self.session, AuditAction::SettingChanged, key, "")
                .map_err(RegisterError::from)
        })?;
        Ok(controller.get(key)?)
    }
}

fn unknown_key(key: &str) -> ValidationError {
    ValidationError::new(
        "key",
        format!(
            "unknown setting `{key}` (known: {})",
            Register::setting_keys().join(", ")
        ),
    )
}
