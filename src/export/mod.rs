//! File formats going out (besides the ledger JSONL): the pseudonymised analytics export.

pub mod analytics;
