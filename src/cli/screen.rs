//! `screen LIST.csv`: campaign list screening.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::commands::open;
use super::error::{exit, CliError};
use super::progress::Progress;
use super::time::parse_at;
use super::Cli;
use crate::domain::{Purpose, QueryChannel, ValidationError};
use crate::i18n::{t, tf, Lang};
use crate::import::ImportControl;
use crate::outfile::PendingFile;
use crate::register::{ScreenOptions, ScreenSummary};

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The campaign list (CSV with `,` or `;`; UTF-8, UTF-8 with BOM or Windows-1252).
    pub list: PathBuf,
    /// email, sms, phone, letter or none.
    #[arg(long)]
    pub channel: String,
    /// Purpose of the campaign, e.g. newsletter or product_offers_own.
    #[arg(long)]
    pub purpose: String,
    /// Instant to decide for (RFC 3339, or a date = end of that day); default now.
    #[arg(long)]
    pub at: Option<String>,
    /// Product category advertised (§ 7 Abs. 3 UWG).
    #[arg(long)]
    pub category: Option<String>,
    /// Column holding the email address (default: a column named email or E-Mail, any case).
    #[arg(long, value_name = "NAME")]
    pub email_column: Option<String>,
    /// Column holding the phone number (default: a column named phone or Telefon, any case).
    #[arg(long, value_name = "NAME")]
    pub phone_column: Option<String>,
    /// Result file: the list's rows with contact_id, match, verdict, reason, legal_basis,
    /// explanation added (never overwrites).
    #[arg(long, value_name = "OUT.csv")]
    pub out: PathBuf,
}

pub const LONG_ABOUT: &str = "Screen a campaign list against the register.\n\n\
Every row of LIST.csv is written to --out with the columns contact_id, match (email / phone / none), \
verdict, reason, legal_basis and explanation added. Rows are matched by normalised email or by phone \
number in any notation; a row matching no one gets the decision for an unknown person. \
The row's own email (phone for phone and SMS) must be the address the consent was verified for.\n\
A summary goes to stderr (and as JSON to stdout with --json).\n\n\
Exit code 0 means the screening ran, whatever the verdicts: denials are data here, not exit 1 as with `check`.";

pub fn run(cli: &Cli, lang: Lang, args: &ScreenArgs) -> Result<i32, CliError> {
    let channel: QueryChannel = args
        .channel
        .parse()
        .map_err(|e: ValidationError| CliError::Usage(format!("--channel: {}", e.problem)))?;
    let purpose = Purpose::parse(args.purpose.trim())
        .map_err(|e| CliError::Usage(format!("--purpose: {}", e.problem)))?;
    let opts = ScreenOptions {
        channel,
        purpose,
        at: parse_at(args.at.as_deref())?,
        category: args.category.clone().filter(|c| !c.trim().is_empty()),
        email_column: args.email_column.clone(),
        phone_column: args.phone_column.clone(),
        lang,
    };
    if !args.list.is_file() {
        return Err(CliError::Usage(format!(
            "cannot read the list {}",
            args.list.display()
        )));
    }
    let reg = open(cli)?;
    let mut out = PendingFile::create(&args.out)?;
    let mut progress = Progress::new(lang);
    let mut on_progress = |n: u64| progress.rows(n);
    let mut control = ImportControl {
        rejected: None,
        progress: Some(&mut on_progress),
        cancel: None,
    };
    let result = reg.screen_list(&args.list, out.writer()?, &opts, &mut control);
    drop(control);
    progress.finish();
    let summary = result?;
    out.commit()?;
    reg.record_unlock()?;
    eprintln!(
        "{}",
        summary_text(&summary, lang, &args.out.display().to_string())
    );
    if cli.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary_json(&summary, &args.out)).unwrap_or_default()
        );
    }
    Ok(exit::OK)
}

fn count(map: &std::collections::BTreeMap<&'static str, u64>, key: &str) -> u64 {
    map.get(key).copied().unwrap_or(0)
}

fn summary_text(s: &ScreenSummary, lang: Lang, out: &str) -> String {
    let n = |v: u64| v.to_string();
    let mut lines = vec![
        tf(
            lang,
            "screen-summary",
            &[
                ("rows", &n(s.rows)),
                ("allowed", &n(count(&s.by_verdict, "allowed"))),
                ("denied", &n(count(&s.by_verdict, "denied"))),
            ],
        ),
        tf(
            lang,
            "screen-matches",
            &[
                ("email", &n(count(&s.by_match, "email"))),
                ("phone", &n(count(&s.by_match, "phone"))),
                ("none", &n(count(&s.by_match, "none"))),
            ],
        ),
        t(lang, "screen-by-reason").to_owned(),
    ];
    for (reason, k) in &s.by_reason {
        lines.push(format!("  {reason}: {k}"));
    }
    lines.push(tf(lang, "screen-written", &[("out", out)]));
    lines.join("\n")
}

fn summary_json(s: &ScreenSummary, out: &std::path::Path) -> serde_json::Value {
    json!({
        "rows": s.rows,
        "out": out,
        "by_verdict": s.by_verdict,
        "by_reason": s.by_reason,
        "by_match": s.by_match,
    })
}
