//! `verify`, `audit` and `erase`: the tamper-evidence and erasure commands (issue 5).

use serde_json::{json, Value};

use super::commands::open;
use super::error::{exit, CliError};
use super::Cli;
use crate::domain::event::format_instant;
use crate::register::{AuditRecord, VerifyReport};

fn print(cli: &Cli, value: Value, text: impl FnOnce() -> String) {
    if cli.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        println!("{}", text());
    }
}

/// Exit 0 when both chains, the triggers and the file are intact; 4 (one line naming the
/// first broken link) otherwise.
pub fn verify(cli: &Cli) -> Result<i32, CliError> {
    let reg = open(cli)?;
    let report = reg.verify()?;
    reg.record_unlock()?;
    let problem = report.first_problem();
    print(cli, verify_json(&report), || match &problem {
        None => format!(
            "verify: intact — {} audit entries and {} ledger events checked; \
             audit head {}; ledger head {}",
            report.audit_entries, report.events, report.audit_head, report.ledger_head
        ),
        Some(p) => format!("verify: FAILED — {p}"),
    });
    Ok(if problem.is_none() {
        exit::OK
    } else {
        exit::INTEGRITY
    })
}

fn verify_json(r: &VerifyReport) -> Value {
    let link = |b: &Option<crate::register::ChainBreak>| match b {
        None => Value::Null,
        Some(b) => {
            json!({"table": b.table, "seq": b.seq, "object": b.object, "problem": b.problem})
        }
    };
    json!({
        "intact": r.intact(),
        "first_problem": r.first_problem(),
        "audit_entries": r.audit_entries,
        "events": r.events,
        "audit_head": r.audit_head,
        "ledger_head": r.ledger_head,
        "audit_break": link(&r.audit_break),
        "ledger_break": link(&r.ledger_break),
        "integrity": r.integrity,
        "missing_triggers": r.missing_triggers,
        "unaudited_erasures": r.unaudited_erasures,
        "stale_basis": r.stale_basis,
    })
}

/// The newest audit entries: who, when, what, to which object.
pub fn audit(cli: &Cli, limit: usize) -> Result<i32, CliError> {
    let reg = open(cli)?;
    let rows = reg.audit_trail(limit)?;
    reg.record_unlock()?;
    print(
        cli,
        Value::Array(rows.iter().map(audit_json).collect()),
        || {
            if rows.is_empty() {
                return "no audit entries".to_owned();
            }
            rows.iter()
                .map(|r| {
                    format!(
                        "{:>6}  {}  {}  {}  {}  {}",
                        r.seq,
                        format_instant(&r.at.fixed_offset()),
                        r.user,
                        r.action,
                        r.object,
                        r.detail
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    Ok(exit::OK)
}

fn audit_json(r: &AuditRecord) -> Value {
    json!({
        "seq": r.seq,
        "at": format_instant(&r.at.fixed_offset()),
        "user": r.user,
        "action": r.action,
        "object": r.object,
        "detail": r.detail,
        "hash": r.hash,
    })
}

/// `erase CONTACT --reason TEXT [--confirm-retention]`.
pub fn erase(
    cli: &Cli,
    contact: &str,
    reason: &str,
    confirm_retention: bool,
) -> Result<i32, CliError> {
    let mut reg = open(cli)?;
    let s = reg.erase(contact, reason, confirm_retention)?;
    let retention = s.retention_overridden.as_ref().map(format_instant);
    print(
        cli,
        json!({
            "erased": s.contact,
            "events_stripped": s.events,
            "suppression_entries": s.suppression_entries,
            "retention_overridden_until": retention,
        }),
        || {
            let mut line = format!(
                "erased {}: personal fields removed from {} events, {} suppression entries kept",
                s.contact, s.events, s.suppression_entries
            );
            if let Some(until) = &retention {
                line.push_str(&format!(
                    " (retention period until {until} overridden by confirmation)"
                ));
            }
            line
        },
    );
    Ok(exit::OK)
}

#[cfg(test)]
mod tests;
