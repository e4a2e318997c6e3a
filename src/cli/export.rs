//! `export analytics`: the pseudonymised analytics CSV.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::commands::open;
use super::error::{exit, CliError};
use super::time::parse_at;
use super::Cli;
use crate::domain::Purpose;
use crate::i18n::{tf, Lang};
use crate::outfile::PendingFile;

#[derive(Debug, Args)]
pub struct AnalyticsArgs {
    /// The CSV to write (never overwrites).
    #[arg(long, value_name = "F.csv")]
    pub out: PathBuf,
    /// Purposes whose consent states are exported (repeatable; default: the well-known ones).
    #[arg(long)]
    pub purpose: Vec<String>,
    /// State as of this instant (RFC 3339, or a date = end of that day); default now.
    #[arg(long)]
    pub at: Option<String>,
}

pub fn analytics(cli: &Cli, lang: Lang, args: &AnalyticsArgs) -> Result<i32, CliError> {
    let purposes = args
        .purpose
        .iter()
        .map(|p| {
            Purpose::parse(p.trim())
                .map_err(|e| CliError::Usage(format!("--purpose: {}", e.problem)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let at = parse_at(args.at.as_deref())?;
    let mut reg = open(cli)?;
    let mut out = PendingFile::create(&args.out)?;
    let summary = reg.export_analytics(out.writer()?, &purposes, at)?;
    out.commit()?;
    if cli.json {
        let v =
            json!({"out": args.out, "rows": summary.rows, "left_out_objection": summary.left_out});
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!(
            "{}",
            tf(
                lang,
                "analytics-summary",
                &[
                    ("rows", &summary.rows.to_string()),
                    ("out", &args.out.display().to_string()),
                    ("left", &summary.left_out.to_string()),
                ]
            )
        );
    }
    Ok(exit::OK)
}
