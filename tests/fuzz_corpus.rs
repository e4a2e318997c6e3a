//! The fuzz target's property under plain `cargo test`, over the committed inputs: the
//! seeds (fuzz/seeds/ledger_line) and every input a fuzz run once crashed on
//! (fuzz/regressions/ledger_line). Any text gives records or an error, never a panic; a
//! record read is written back by `to_line` as a line that reads as the same record.
//! `scripts/fuzz` explores beyond these.

use std::path::Path;

use consentry::domain::ledger::parse_jsonl;
use consentry::domain::LedgerRecord;

/// The same check as fuzz/fuzz_targets/ledger_line.rs.
fn check(data: &[u8]) {
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
}

fn inputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_none_or(|n| n != ".gitkeep"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn the_seed_corpus_parses_and_round_trips() {
    let seeds = inputs("fuzz/seeds/ledger_line");
    assert!(seeds.len() >= 20, "the seeds are missing: {}", seeds.len());
    let mut records = 0;
    for (name, data) in &seeds {
        let text = std::str::from_utf8(data).unwrap();
        // Seeds are valid ledger text (so the fuzzer starts from the real format).
        let parsed = parse_jsonl(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        records += parsed.len();
        check(data);
    }
    assert!(records >= seeds.len());
}

#[test]
fn inputs_that_once_crashed_the_parser_stay_fixed() {
    for (name, data) in inputs("fuzz/regressions/ledger_line") {
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{name} crashes the parser again");
    }
}
