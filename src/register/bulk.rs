//! Facade: filling a register from a stream of ledger records far larger than memory
//! (the demo generator at benchmark scale: a million contacts, five million events).
//! `import_records` takes a `Vec` and one transaction; this takes batches as they are made
//! and commits every few thousand records, so memory stays bounded by one batch.

use super::{import_record, ImportSummary, Register, RegisterError, Result};
use crate::domain::LedgerRecord;
use crate::domain::Permission;

/// Page cache while loading (`cache_size`, negative: KiB): the hot index pages of a
/// million contacts, small next to the machine; restored afterwards.
const LOAD_CACHE_SIZE: i64 = -256 * 1024;

impl Register {
    /// Imports records in ledger order (a contact before its events) from `batches`,
    /// committing after at least `per_transaction` records. Not atomic as a whole: meant for
    /// filling a new register; a failure leaves the transactions committed before it (the
    /// error names the record, counted from 1). `progress` sees the running summary after
    /// each commit.
    pub fn import_record_stream<I, E>(
        &mut self,
        batches: I,
        per_transaction: usize,
        mut progress: impl FnMut(&ImportSummary),
    ) -> Result<ImportSummary>
    where
        I: IntoIterator<Item = std::result::Result<Vec<LedgerRecord>, E>>,
        RegisterError: From<E>,
    {
        self.require(Permission::Import)?;
        let previous_cache = self.store.cache_size()?;
        self.store.set_cache_size(LOAD_CACHE_SIZE)?;
        let result = self.load(batches.into_iter(), per_transaction.max(1), &mut progress);
        // The load's own error matters more than a failure to shrink the cache again.
        let restored = self.store.set_cache_size(previous_cache);
        let summary = result?;
        restored?;
        let detail = format!(
            "contacts_added={} events_added={} unchanged={}",
            summary.contacts_added, summary.events_added, summary.unchanged
        );
        self.audit(
            crate::domain::chain::AuditAction::Imported,
            "records",
            &detail,
        )?;
        Ok(summary)
    }

    fn load<E>(
        &mut self,
        mut batches: impl Iterator<Item = std::result::Result<Vec<LedgerRecord>, E>>,
        per_transaction: usize,
        progress: &mut impl FnMut(&ImportSummary),
    ) -> Result<ImportSummary>
    where
        RegisterError: From<E>,
    {
        let mut summary = ImportSummary::default();
        let mut position = 0usize;
        loop {
            let more = self.store.write(|tx| -> Result<bool> {
                let mut in_tx = 0usize;
                while in_tx < per_transaction {
                    let Some(batch) = batches.next() else {
                        return Ok(false);
                    };
                    for record in batch? {
                        position += 1;
                        in_tx += 1;
                        import_record(tx, record, &mut summary).map_err(|e| {
                            RegisterError::Import {
                                line: position,
                                message: e.to_string(),
                            }
                        })?;
                    }
                }
                Ok(true)
            })?;
            progress(&summary);
            if !more {
                return Ok(summary);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::demo::{demo_ledger, DemoStream};

    #[test]
    fn a_stream_loads_the_same_register_as_one_vec() {
        let now = DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut streamed = Register::create(&dir.path().join("s.db"), "bench pass").unwrap();
        let mut commits = 0;
        let summary = streamed
            .import_record_stream(DemoStream::new(now, 7, 120, false), 50, |_| commits += 1)
            .unwrap();
        let mut whole = Register::create(&dir.path().join("w.db"), "bench pass").unwrap();
        let expected = whole
            .import_records(demo_ledger(now, 7, 120).unwrap())
            .unwrap();
        assert_eq!(summary, expected);
        assert!(commits > 2, "{commits}");
        let mut a = Vec::new();
        let mut b = Vec::new();
        streamed.export_ledger(&mut a).unwrap();
        whole.export_ledger(&mut b).unwrap();
        assert_eq!(a, b);
        // The cache is back to what it was.
        assert_eq!(
            streamed.store.cache_size().unwrap(),
            whole.store.cache_size().unwrap()
        );
    }
}
