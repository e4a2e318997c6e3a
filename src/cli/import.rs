//! `import mailchimp` and `import csv`: arguments, the rejected-rows report, the summary.

use std::path::PathBuf;

use chrono::FixedOffset;
use clap::Args;
use serde_json::json;

use super::commands::open;
use super::error::{exit, CliError};
use super::progress::Progress;
use super::Cli;
use crate::domain::Purpose;
use crate::i18n::{tf, Lang};
use crate::import::csv_map::MapSpec;
use crate::import::mailchimp::MailchimpOptions;
use crate::import::{ImportControl, RejectedRow, RowImportSummary};
use crate::outfile::RejectReport;
use crate::register::{MailchimpFiles, RegisterError};

#[derive(Debug, Args)]
pub struct MailchimpArgs {
    /// The audience export's subscribed members (CSV).
    #[arg(long, value_name = "FILE")]
    pub subscribed: PathBuf,
    /// The unsubscribed members (CSV).
    #[arg(long, value_name = "FILE")]
    pub unsubscribed: Option<PathBuf>,
    /// The cleaned (bounced) members (CSV).
    #[arg(long, value_name = "FILE")]
    pub cleaned: Option<PathBuf>,
    /// Id of the consent wording shown at sign-up (the export does not contain it).
    #[arg(long, value_name = "ID")]
    pub consent_text_id: String,
    /// Purpose the sign-up was for, e.g. newsletter.
    #[arg(long)]
    pub purpose: String,
    /// Fixed UTC offset of the export's times, e.g. +01:00 (default: UTC, as Mailchimp writes them).
    #[arg(long, value_name = "±HH:MM", allow_hyphen_values = true)]
    pub timezone: Option<String>,
    /// Import the valid rows and write the rejected ones with reasons to REPORT.csv.
    #[arg(long, value_name = "REPORT.csv")]
    pub skip_invalid: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The CSV (`,` or `;`; UTF-8, UTF-8 with BOM or Windows-1252 are detected).
    pub file: PathBuf,
    /// Column mapping, e.g. name=Name,email=E-Mail,phone=Telefon,company=Firma,customer_number=Kundennr,party=Typ
    #[arg(long, value_name = "SPEC")]
    pub map: String,
    /// Import the valid rows and write the rejected ones with reasons to REPORT.csv.
    #[arg(long, value_name = "REPORT.csv")]
    pub skip_invalid: Option<PathBuf>,
}

pub fn mailchimp(cli: &Cli, lang: Lang, args: &MailchimpArgs) -> Result<i32, CliError> {
    let purpose = Purpose::parse(args.purpose.trim())
        .map_err(|e| CliError::Usage(format!("--purpose: {}", e.problem)))?;
    let consent_text_id = args.consent_text_id.trim().to_owned();
    if consent_text_id.is_empty() {
        return Err(CliError::Usage(
            "--consent-text-id must not be empty".into(),
        ));
    }
    let offset = match &args.timezone {
        Some(tz) => parse_offset(tz)?,
        None => FixedOffset::east_opt(0).ok_or_else(|| CliError::Usage("UTC".into()))?,
    };
    let opts = MailchimpOptions {
        consent_text_id,
        purpose,
        offset,
    };
    let files = MailchimpFiles {
        subscribed: args.subscribed.clone(),
        unsubscribed: args.unsubscribed.clone(),
        cleaned: args.cleaned.clone(),
    };
    let mut reg = open(cli)?;
    run_import(cli, lang, args.skip_invalid.as_ref(), |control| {
        reg.import_mailchimp(&files, &opts, super::time::now(), control)
    })
}

pub fn csv(cli: &Cli, lang: Lang, args: &CsvArgs) -> Result<i32, CliError> {
    let spec: MapSpec = args.map.parse().map_err(RegisterError::from)?;
    let mut reg = open(cli)?;
    run_import(cli, lang, args.skip_invalid.as_ref(), |control| {
        reg.import_csv(&args.file, &spec, super::time::now(), control)
    })
}

/// Runs an import with progress and, under `--skip-invalid`, the report file.
fn run_import(
    cli: &Cli,
    lang: Lang,
    report_path: Option<&PathBuf>,
    import: impl FnOnce(&mut ImportControl<'_>) -> Result<RowImportSummary, RegisterError>,
) -> Result<i32, CliError> {
    let mut report = match report_path {
        Some(p) => Some(RejectReport::create(p)?),
        None => None,
    };
    let mut progress = Progress::new(lang);
    let mut on_progress = |n: u64| progress.rows(n);
    let mut on_reject = |r: RejectedRow<'_>| {
        if let Some(rep) = report.as_mut() {
            rep.add(r);
        }
    };
    let mut control = ImportControl {
        rejected: None,
        progress: Some(&mut on_progress),
        cancel: None,
    };
    if report_path.is_some() {
        control.rejected = Some(&mut on_reject);
    }
    let result = import(&mut control);
    drop(control);
    progress.finish();
    let summary = result?;
    if let Some(rep) = report {
        rep.finish()?;
    }
    let s = &summary;
    let value = json!({
        "rows": s.rows,
        "rejected": s.rejected,
        "contacts_added": s.contacts_added,
        "contacts_matched": s.contacts_matched,
        "contacts_changed": s.contacts_changed,
        "events_added": s.events_added,
        "events_unchanged": s.events_unchanged,
        "suppressed": s.suppressed,
        "report": report_path,
    });
    if cli.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        let n = |v: u64| v.to_string();
        println!(
            "{}",
            tf(
                lang,
                "import-summary",
                &[
                    ("rows", &n(s.rows)),
                    ("added", &n(s.contacts_added)),
                    ("matched", &n(s.contacts_matched)),
                    ("changed", &n(s.contacts_changed)),
                    ("events", &n(s.events_added)),
                    ("unchanged", &n(s.events_unchanged)),
                    ("rejected", &n(s.rejected)),
                ]
            )
        );
        if s.suppressed > 0 {
            let n = s.suppressed.to_string();
            println!("{}", tf(lang, "import-suppressed", &[("n", &n)]));
        }
        if let Some(p) = report_path {
            println!(
                "{}",
                tf(
                    lang,
                    "import-report",
                    &[("report", &p.display().to_string())]
                )
            );
        }
    }
    Ok(exit::OK)
}

/// `+01:00`, `-05:30`, `+0100`, `Z` or `UTC`: a fixed offset (no time-zone database, so no
/// daylight-saving switch: an export spanning a switch needs two imports or UTC times).
pub fn parse_offset(s: &str) -> Result<FixedOffset, CliError> {
    let bad = || {
        CliError::Usage(format!(
            "--timezone `{s}` is not a fixed offset (write e.g. +01:00, -05:00 or UTC)"
        ))
    };
    let t = s.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return FixedOffset::east_opt(0).ok_or_else(bad);
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let h: i32 = digits[..2].parse().map_err(|_| bad())?;
    let m: i32 = digits[2..].parse().map_err(|_| bad())?;
    if h > 14 || m > 59 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+01:00").unwrap().local_minus_utc(), 3600);
        assert_eq!(parse_offset("-0530").unwrap().local_minus_utc(), -19800);
        assert_eq!(parse_offset("UTC").unwrap().local_minus_utc(), 0);
        for bad in ["Europe/Berlin", "+1", "+25:00", "01:00"] {
            assert!(parse_offset(bad).is_err(), "{bad}");
        }
    }
}
