//! `report evidence|access CONTACT --out F.pdf`, `report register [--from D --to D] --out F.pdf`
//! and `verify-report F.pdf`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Local, NaiveDate, TimeZone};
use clap::Subcommand;
use serde_json::json;

use super::commands::open;
use super::error::{exit, CliError};
use super::time::{now, parse_at};
use super::Cli;
use crate::i18n::{tf, Lang};
use crate::register::reports::{write_report, ReportFailure};
use crate::report::{Made, RenderedReport, Scope};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Consent evidence (Einwilligungsnachweis) for one contact.
    Evidence {
        /// Contact id, email address, phone number or customer number.
        contact: String,
        /// The PDF to write (never overwritten).
        #[arg(long, value_name = "F.pdf")]
        out: PathBuf,
    },
    /// Access report (Auskunft, Art. 15 DSGVO) for one contact.
    Access {
        contact: String,
        #[arg(long, value_name = "F.pdf")]
        out: PathBuf,
    },
    /// Register report for auditors over a period.
    Register {
        /// Start of the period (RFC 3339, or a date = the start of that day); default: the first event.
        #[arg(long)]
        from: Option<String>,
        /// End of the period (RFC 3339, or a date = the end of that day); default: now.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_name = "F.pdf")]
        out: PathBuf,
    },
}

impl From<ReportFailure> for CliError {
    fn from(e: ReportFailure) -> Self {
        match e {
            ReportFailure::Register(r) => CliError::Register(r),
            other => CliError::Usage(format!("{other} — {}", other.hint())),
        }
    }
}

/// A date alone means the start of that day (local time); anything else as `--at`.
fn parse_from(s: &str) -> Result<DateTime<FixedOffset>, CliError> {
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        if let Some(t) = d
            .and_hms_opt(0, 0, 0)
            .and_then(|n| Local.from_local_datetime(&n).earliest())
        {
            return Ok(t.fixed_offset());
        }
    }
    parse_at(Some(s)).map_err(|_| {
        CliError::Usage(format!(
            "--from `{s}` is not a time (use e.g. 2025-03-01 or 2025-03-01T00:00:00+01:00)"
        ))
    })
}

fn refuse_existing(out: &Path) -> Result<(), CliError> {
    if out.exists() {
        return Err(ReportFailure::Exists(out.to_path_buf()).into());
    }
    Ok(())
}

fn finish(cli: &Cli, lang: Lang, out: &Path, r: &RenderedReport) -> Result<i32, CliError> {
    write_report(out, &r.pdf)?;
    if cli.json {
        let v = json!({
            "out": out,
            "pages": r.pages,
            "sha256": r.stamp.sha256,
            "stamp": r.stamp.marker(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!(
            "{}",
            tf(
                lang,
                "report-cli-written",
                &[
                    ("file", &out.display().to_string()),
                    ("pages", &r.pages.to_string()),
                    ("sha256", &r.stamp.sha256),
                ],
            )
        );
    }
    Ok(exit::OK)
}

pub fn run(cli: &Cli, lang: Lang, command: &ReportCommand) -> Result<i32, CliError> {
    let made = || Made {
        at: now(),
        by: super::commands::user_name(cli),
    };
    match command {
        ReportCommand::Evidence { contact, out } | ReportCommand::Access { contact, out } => {
            // Say so before asking for a passphrase or doing the work.
            refuse_existing(out)?;
            let reg = open(cli)?;
            // Refuse before looking anything up: a refused command leaves no trace.
            reg.require(crate::domain::Permission::Report)?;
            let c = reg.resolve(contact)?;
            let r = if matches!(command, ReportCommand::Evidence { .. }) {
                reg.evidence_report(&c, lang, made())?
            } else {
                reg.access_report(&c, lang, made())?
            };
            finish(cli, lang, out, &r)
        }
        ReportCommand::Register { from, to, out } => {
            let from = from.as_deref().map(parse_from).transpose()?;
            let to = parse_at(to.as_deref())?;
            refuse_existing(out)?;
            let reg = open(cli)?;
            let r = reg.register_report(from, to, lang, made())?;
            finish(cli, lang, out, &r)
        }
    }
}

/// Exit 0 when the report still matches the register, 4 when it does not.
pub fn verify(cli: &Cli, lang: Lang, file: &Path) -> Result<i32, CliError> {
    let pdf = std::fs::read(file)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?;
    let reg = open(cli)?;
    let check = reg.verify_report(&pdf)?;
    let what = match &check.stamp.scope {
        Scope::Contact(id) => format!("{} {id}", check.stamp.kind.as_str()),
        Scope::Period { .. } => check.stamp.kind.as_str().to_owned(),
    };
    if cli.json {
        let v = json!({
            "file": file,
            "report": what,
            "stamp": check.stamp.marker(),
            "stated_sha256": check.stamp.sha256,
            "current_sha256": check.current,
            "matches": check.matches(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    }
    let args = [
        ("file", file.display().to_string()),
        ("report", what),
        ("sha256", check.stamp.sha256.clone()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if check.matches() {
        if !cli.json {
            println!("{}", tf(lang, "report-verify-ok", &args));
        }
        Ok(exit::OK)
    } else {
        let key = if check.current.is_none() {
            "report-verify-contact-gone"
        } else {
            "report-verify-mismatch"
        };
        eprintln!("consentry: {}", tf(lang, key, &args));
        Ok(exit::INTEGRITY)
    }
}
