//! Helpers for running the real `consentry` binary in tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PASS: &str = "correct horse battery";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

pub fn consentry(db: &Path, pass: Option<&str>, args: &[&str]) -> Run {
    consentry_as(db, None, pass, None, args)
}

/// Runs consentry on `db` signed in as `user` ($CONSENTRY_USER; none = the default admin)
/// with `pass` ($CONSENTRY_PASSPHRASE) and `new_pass` ($CONSENTRY_NEW_PASSPHRASE, for
/// commands that set a password). Nothing else from the caller's environment leaks in.
pub fn consentry_as(
    db: &Path,
    user: Option<&str>,
    pass: Option<&str>,
    new_pass: Option<&str>,
    args: &[&str],
) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_consentry"));
    cmd.arg("--db").arg(db).args(args);
    for var in [
        "CONSENTRY_DB",
        "CONSENTRY_USER",
        "CONSENTRY_PASSPHRASE",
        "CONSENTRY_NEW_PASSPHRASE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("LANG", "C");
    for (var, value) in [
        ("CONSENTRY_USER", user),
        ("CONSENTRY_PASSPHRASE", pass),
        ("CONSENTRY_NEW_PASSPHRASE", new_pass),
    ] {
        if let Some(v) = value {
            cmd.env(var, v);
        }
    }
    let out: Output = cmd.output().expect("run consentry");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn ok(db: &Path, args: &[&str]) -> Run {
    let r = consentry(db, Some(PASS), args);
    assert_eq!(
        r.code, 0,
        "consentry {args:?} failed: {}{}",
        r.stdout, r.stderr
    );
    r
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh register with the small fixture imported.
pub fn small_register(dir: &Path) -> PathBuf {
    let db = dir.join("reg.db");
    ok(&db, &["init"]);
    ok(
        &db,
        &["import", "ledger", fixture("small.jsonl").to_str().unwrap()],
    );
    db
}

/// All bytes of the register's files (main, -wal, -shm), for "unchanged" checks.
pub fn register_bytes(db: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| {
            let p = PathBuf::from(format!("{}{s}", db.display()));
            std::fs::read(&p).ok().map(|b| (s.to_string(), b))
        })
        .collect()
}

pub fn export(db: &Path, dir: &Path, name: &str) -> String {
    let out = dir.join(name);
    ok(db, &["export", "ledger", "--out", out.to_str().unwrap()]);
    std::fs::read_to_string(out).unwrap()
}
