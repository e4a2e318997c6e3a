//! Fuzzes the ledger JSONL reader (`import ledger`, fixtures, the demo): any text must give
//! records or an error, never a panic; and a record it accepts must be written back by
//! `to_line` as a line that reads as the same record (the format round-trips).

#![no_main]

use consentry::domain::ledger::parse_jsonl;
use consentry::domain::LedgerRecord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in text.lines() {
        if let Ok(record) = LedgerRecord::parse(line) {
            let again = LedgerRecord::parse(&record.to_line())
                .unwrap_or_else(|e| panic!("to_line wrote a line that does not read: {e}"));
            assert_eq!(again, record, "the record changed on the round trip");
        }
    }
    let _ = parse_jsonl(text);
});
