//! The command-line front end: the contract of DESIGN.md ("Command line").

mod admin;
mod commands;
pub mod error;
mod export;
mod import;
mod integrity;
mod progress;
mod record_args;
mod render;
mod report;
mod screen;
mod secret;
mod settings;
mod time;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use error::{exit, CliError};

use crate::i18n::{system_lang, Lang};

#[derive(Debug, Parser)]
#[command(
    name = "consentry",
    version,
    about = "Consentry — encrypted consent and opt-out register (UWG, DSGVO)",
    long_about = "Consentry keeps every person's consent history in one encrypted register and answers: \
may we contact this person, on this channel, for this purpose, now — and why?\n\n\
Without a command it opens the desktop app.\n\
The passphrase comes from $CONSENTRY_PASSPHRASE, else --passphrase-file, else a prompt; never from an argument.\n\
The user is --user, else $CONSENTRY_USER, else admin.\n\
Exit codes: 0 success (check: allowed), 1 check: denied, 2 usage or input error, 3 wrong passphrase / no access, 4 integrity failure."
)]
pub struct Cli {
    /// Register file (else $CONSENTRY_DB, else the platform data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Language of the output: de or en (default: system locale).
    #[arg(long, global = true, value_name = "de|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Sign in as this user (else $CONSENTRY_USER, else admin); `init` makes them admin.
    #[arg(long, global = true, value_name = "NAME", env = "CONSENTRY_USER")]
    pub user: Option<String>,
    /// Read the passphrase from the first line of FILE.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Print data as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty encrypted register (never overwrites).
    Init,
    /// Create a register filled with realistic sample data.
    Demo {
        /// Number of contacts.
        #[arg(long, default_value_t = crate::demo::DEMO_CONTACTS)]
        contacts: usize,
    },
    /// Import into the register, atomically (all or nothing).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export the register.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Find contacts by name, company, email, phone (any notation) or customer number.
    Search {
        /// Name, company, email, phone number (any notation) or customer number.
        query: String,
        /// Show at most this many contacts.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Show a contact, its classification, the state per channel and its history.
    Show {
        /// Contact id, email address or phone number.
        contact: String,
        /// Purpose for the per-channel state.
        #[arg(long, default_value = "newsletter")]
        purpose: String,
        /// State as of this instant (RFC 3339, or a date = end of that day); default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Decide one contact: may we contact this person on this channel for this purpose?
    Check {
        /// Contact id, email address or phone number.
        contact: String,
        /// email, sms, phone, letter or none.
        #[arg(long)]
        channel: String,
        /// e.g. newsletter, product_offers_own, partner_offers, survey_customer_satisfaction.
        #[arg(long)]
        purpose: String,
        /// Instant to decide for (RFC 3339, or a date = end of that day); default now.
        #[arg(long)]
        at: Option<String>,
        /// Product category advertised (§ 7 Abs. 3 UWG).
        #[arg(long)]
        category: Option<String>,
        /// The address or number that would be contacted.
        #[arg(long)]
        to: Option<String>,
        /// An automated call (calling machine).
        #[arg(long)]
        automated: bool,
    },
    /// Append one event to a contact's ledger, e.g. `record K-1001 objection --scope all --via letter`.
    Record {
        contact: String,
        /// Event type (consent_given, consent_revoked, objection, purchase, note, …).
        #[arg(value_name = "TYPE")]
        event_type: String,
        /// Fields as `--name value` (lists comma-separated); `--at` sets the time (default now).
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "--FIELD VALUE"
        )]
        fields: Vec<String>,
    },
    /// Classify a contact manually as prospect or customer.
    Classify {
        contact: String,
        #[arg(long = "as", value_name = "prospect|customer")]
        relationship: String,
        #[arg(long)]
        reason: String,
    },
    /// Read or change the settings: policy, and the controller details printed in reports.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Write a PDF report: evidence or access for a contact, or the register report.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Recompute the audit trail's and the ledger's hash chains, check the file's integrity
    /// and the append-only triggers (exit 4 naming the first broken link).
    Verify,
    /// List the newest audit entries: who did what, when, to which object.
    Audit {
        /// Show at most this many entries (newest first).
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Erase a person: remove their data, keep keyed hashes of their identifiers so later
    /// imports, checks and screenings still deny them (DENY_SUPPRESSION_LIST).
    Erase {
        /// Contact id, email address or phone number.
        contact: String,
        /// Why (e.g. "Art. 17 request of 2026-03-01"); kept in the erasure record.
        #[arg(long)]
        reason: String,
        /// Erase even though § 7a UWG phone-consent evidence is still inside its
        /// five-year retention period.
        #[arg(long)]
        confirm_retention: bool,
    },
    /// Check that a PDF report still matches the register (exit 4 if not).
    VerifyReport {
        /// The PDF made by `consentry report`.
        file: PathBuf,
    },
    /// Screen a campaign list: every row out with verdict and reason (exit 0 when it ran).
    #[command(long_about = screen::LONG_ABOUT)]
    Screen(screen::ScreenArgs),
    /// Users and roles: add, list, remove, passwd (admin, except your own password).
    #[command(subcommand)]
    User(admin::UserCommand),
    /// Re-encrypt the register under a new key (admin). Other users then need a new
    /// password from an admin (`user passwd NAME`).
    Rekey,
    /// Back the register up into one file, still encrypted, with its key slots (admin).
    Backup {
        /// The backup file (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup as a new register (never over an existing one); the user and
    /// password must open the backup.
    Restore {
        /// The file written by `consentry backup`.
        file: PathBuf,
        /// Where the restored register goes (its key file goes beside it as PATH.keys).
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// The register's own ledger JSONL.
    Ledger { file: PathBuf },
    /// A Mailchimp audience export (subscribed, unsubscribed, cleaned CSV).
    Mailchimp(import::MailchimpArgs),
    /// A CRM or spreadsheet CSV with a column mapping (--map field=Column,…).
    Csv(import::CsvArgs),
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Ledger JSONL (imports again to the same content).
    Ledger {
        #[arg(long)]
        out: PathBuf,
    },
    /// Pseudonymised CSV for analysis (no names, emails, phones or streets; objectors left out).
    Analytics(export::AnalyticsArgs),
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print one setting, or all.
    Get { key: Option<String> },
    /// Change one setting.
    Set { key: String, value: String },
}

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let lang = cli.lang.unwrap_or_else(system_lang);
    match commands::dispatch(&cli, lang) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("consentry: {e} — {}", e.hint());
            e.exit_code()
        }
    }
}
