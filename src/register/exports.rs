//! Facade: the pseudonymised analytics export, and the register-internal key it needs.

use std::io::Write;

use chrono::{DateTime, FixedOffset};

use super::{Register, RegisterError, Result};
use crate::domain::chain::AuditAction;
use crate::domain::Permission;
use crate::domain::Purpose;
use crate::export::analytics::{self, KEY_SETTING};
use crate::store::StoreError;

/// What the analytics export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalyticsSummary {
    pub rows: u64,
    /// People left out because of an objection, or erased / on the suppression list.
    pub left_out: u64,
}

impl Register {
    /// Writes the pseudonymised analytics CSV (see `export::analytics`). `purposes` empty
    /// means the well-known purposes. People with an objection as of `at` are left out.
    pub fn export_analytics(
        &mut self,
        out: impl Write,
        purposes: &[Purpose],
        at: DateTime<FixedOffset>,
    ) -> Result<AnalyticsSummary> {
        self.require(Permission::Export)?;
        let key = self.pseudonym_key()?;
        let summary = self.with_bulk_cache(|reg| reg.analytics_rows(&key, out, purposes, at))?;
        let detail = format!("rows={} left_out={}", summary.rows, summary.left_out);
        self.audit(AuditAction::Exported, "analytics", &detail)?;
        Ok(summary)
    }

    fn analytics_rows(
        &mut self,
        key: &[u8],
        out: impl Write,
        purposes: &[Purpose],
        at: DateTime<FixedOffset>,
    ) -> Result<AnalyticsSummary> {
        let purposes: Vec<Purpose> = if purposes.is_empty() {
            analytics::WELL_KNOWN_PURPOSES
                .iter()
                .filter_map(|p| Purpose::parse(p).ok())
                .collect()
        } else {
            purposes.to_vec()
        };
        let policy = self.store.policy()?;
        let io = |e: csv::Error| RegisterError::Io {
            what: "the analytics export".into(),
            source: match e.into_kind() {
                csv::ErrorKind::Io(source) => source,
                other => std::io::Error::other(format!("{other:?}")),
            },
        };
        let mut writer = csv::Writer::from_writer(out);
        writer
            .write_record(analytics::header(&purposes))
            .map_err(io)?;
        let mut summary = AnalyticsSummary::default();
        let suppression = self.suppression_list()?;
        self.store.for_each_contact_with_events(|contact, events| {
            // Erased people and anyone sharing their identifiers stay out too.
            if suppression
                .as_ref()
                .is_some_and(|s| s.covers(&contact, &events))
            {
                summary.left_out += 1;
                return Ok(());
            }
            match analytics::row(key, &contact, &events, &policy, at, &purposes) {
                Some(r) => {
                    writer.write_record(&r).map_err(io)?;
                    summary.rows += 1;
                }
                None => summary.left_out += 1,
            }
            Ok::<(), RegisterError>(())
        })?;
        writer
            .into_inner()
            .map_err(|e| RegisterError::Io {
                what: "the analytics export".into(),
                source: std::io::Error::other(e.to_string()),
            })?
            .flush()
            .map_err(|source| RegisterError::Io {
                what: "the analytics export".into(),
                source,
            })?;
        Ok(summary)
    }

    /// The register's pseudonym key: 32 random bytes made on first use and kept in the
    /// register's settings. It never leaves the register (not in any export or `settings`).
    fn pseudonym_key(&mut self) -> Result<Vec<u8>> {
        if let Some(k) = self.store.setting(KEY_SETTING)? {
            return hex::decode(k.trim()).map_err(|_| {
                StoreError::Corrupt(format!("setting `{KEY_SETTING}` is not hex")).into()
            });
        }
        let key: [u8; 32] = rand::random();
        self.store.write(|tx| {
            // Another program may have made one meanwhile: keep the first.
            match tx.setting(KEY_SETTING)? {
                Some(k) => hex::decode(k.trim()).map_err(|_| {
                    StoreError::Corrupt(format!("setting `{KEY_SETTING}` is not hex")).into()
                }),
                None => {
                    tx.set_setting(KEY_SETTING, &hex::encode(key))?;
                    Ok::<Vec<u8>, RegisterError>(key.to_vec())
                }
            }
        })
    }
}
