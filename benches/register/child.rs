//! Runs the real `consentry` binary as a child process and measures its wall time and peak
//! memory. The peak is the child's `VmHWM` (high-water mark of its resident set) from
//! /proc, sampled every 10 ms while it runs: the mark only grows, so the last sample is the
//! peak up to at most 10 ms before the end. No libc, no unsafe.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::data::{Res, PASSPHRASE};

pub struct ChildRun {
    pub seconds: f64,
    pub peak_mib: f64,
}

pub fn consentry(db: &Path, args: &[&str]) -> Res<ChildRun> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .args(args)
        .env("CONSENTRY_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let start = Instant::now();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| vm_hwm_kib(&s))
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let seconds = start.elapsed().as_secs_f64();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            std::io::Read::read_to_string(&mut e, &mut err)?;
        }
        return Err(format!("consentry {args:?} failed ({status}): {err}").into());
    }
    Ok(ChildRun {
        seconds,
        peak_mib: peak_kib as f64 / 1024.0,
    })
}

/// `VmHWM:   123456 kB` → 123456.
pub fn vm_hwm_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}
