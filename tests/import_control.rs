//! The facade API the GUI will use: progress callback, cancel flag, rejected-row callback.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use consentry::import::csv_map::MapSpec;
use consentry::import::{ImportControl, ImportError};
use consentry::register::{Register, RegisterError};

fn at() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2025-06-01T12:00:00+02:00").unwrap()
}

fn list(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let mut text = String::from("Name,E-Mail\n");
    for i in 1..=rows {
        text.push_str(&format!("Person {i},p{i}@example.de\n"));
    }
    text.push_str("Kaputt,kaputt\n");
    let p = dir.join("l.csv");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn cancel_rolls_back_and_progress_counts_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.db"), "a long passphrase").unwrap();
    let file = list(dir.path(), 50);
    let spec: MapSpec = "name=Name,email=E-Mail".parse().unwrap();

    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let mut seen = Vec::new();
    let mut on_progress = |n: u64| {
        seen.push(n);
        if n == 20 {
            flag.store(true, Ordering::Relaxed);
        }
    };
    let mut control = ImportControl {
        progress: Some(&mut on_progress),
        cancel: Some(cancel.clone()),
        ..Default::default()
    };
    let err = reg
        .import_csv(&file, &spec, at(), &mut control)
        .unwrap_err();
    drop(control);
    assert!(
        matches!(err, RegisterError::File(ImportError::Cancelled)),
        "{err}"
    );
    assert_eq!(seen, (1..=20).collect::<Vec<u64>>());
    assert_eq!(reg.counts().unwrap().contacts, 0, "nothing written");

    // With a rejected-row callback the bad last row is reported and the rest goes in.
    let mut rejected = Vec::new();
    let mut on_reject = |r: consentry::import::RejectedRow<'_>| {
        rejected.push((r.row.number, r.column.to_owned(), r.problem.to_owned()));
    };
    let mut control = ImportControl {
        rejected: Some(&mut on_reject),
        ..Default::default()
    };
    let s = reg.import_csv(&file, &spec, at(), &mut control).unwrap();
    drop(control);
    assert_eq!((s.rows, s.contacts_added, s.rejected), (51, 50, 1));
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].0, rejected[0].1.as_str()), (51, "E-Mail"));
    assert_eq!(reg.counts().unwrap().contacts, 50);
}
