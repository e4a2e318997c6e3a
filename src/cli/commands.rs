//! One function per command; each returns the exit code.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::error::{exit, CliError};
use super::record_args::fields_to_object;
use super::render;
use super::secret;
use super::time::{now, parse_at};
use super::{Cli, Command, ExportCommand, ImportCommand};
use crate::domain::event::format_instant;
use crate::domain::{Event, Purpose, Query, QueryChannel, Relationship};
use crate::i18n::label;
use crate::i18n::Lang;
use crate::register::Register;

/// Where the register lives: --db, else $CONSENTRY_DB, else the platform data directory.
pub fn register_path(cli: &Cli, default_name: &str) -> Result<PathBuf, CliError> {
    if let Some(p) = &cli.db {
        return Ok(p.clone());
    }
    if let Some(p) = std::env::var_os("CONSENTRY_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("de", "Consentry", "Consentry")
        .map(|d| d.data_dir().join(default_name))
        .ok_or_else(|| {
            CliError::Usage("no home directory found; give the register with --db PATH".into())
        })
}

pub(super) fn print_value(cli: &Cli, value: Value, text: impl FnOnce() -> String) {
    if cli.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        println!("{}", text());
    }
}

/// Who signs in: --user, else $CONSENTRY_USER, else `admin` (clap reads the variable).
pub(super) fn user_name(cli: &Cli) -> String {
    cli.user
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| crate::register::DEFAULT_USER.to_owned())
}

pub(super) fn open(cli: &Cli) -> Result<Register, CliError> {
    let path = register_path(cli, "register.db")?;
    if !path.exists() {
        // Say so before asking for a secret that could not help.
        return Err(crate::store::StoreError::NotFound(path).into());
    }
    let pass = secret::passphrase(cli.passphrase_file.as_deref(), false)?;
    Ok(Register::open_as(&path, &user_name(cli), &pass)?)
}

/// A new register whose first user (admin) is the command-line user. Returns the
/// password too: `demo` gives its sample users the same one.
fn create(
    cli: &Cli,
    default_name: &str,
) -> Result<(Register, PathBuf, zeroize::Zeroizing<String>), CliError> {
    let path = register_path(cli, default_name)?;
    for existing in [path.clone(), crate::store::keyring_path(&path)] {
        if existing.exists() {
            return Err(crate::store::StoreError::AlreadyExists(existing).into());
        }
    }
    let pass = secret::passphrase(cli.passphrase_file.as_deref(), true)?;
    secret::check_new(&pass)?;
    Ok((
        Register::create_as(&path, &user_name(cli), &pass)?,
        path,
        pass,
    ))
}

pub fn dispatch(cli: &Cli, lang: Lang) -> Result<i32, CliError> {
    let Some(command) = &cli.command else {
        return Err(CliError::Usage("no command given".into()));
    };
    match command {
        Command::Init => {
            let (_, path, _) = create(cli, "register.db")?;
            print_value(cli, json!({"created": path}), || {
                format!("{}: {}", label(lang, "created"), path.display())
            });
        }
        Command::Demo { contacts } => {
            if *contacts == 0 || *contacts > 2_000_000 {
                return Err(CliError::Usage(
                    "--contacts must be between 1 and 2000000".into(),
                ));
            }
            let records = crate::demo::demo_ledger(now(), 7, *contacts)
                .map_err(crate::register::RegisterError::from)?;
            let (mut reg, path, pass) = create(cli, "demo.db")?;
            // Sample users of every role, with the same password, to try the roles.
            let summary = match reg
                .add_demo_users(&pass)
                .and_then(|()| reg.import_records(records))
            {
                Ok(s) => s,
                Err(e) => {
                    // A half-made demo is no use: remove the file we just created.
                    drop(reg);
                    remove_register_files(&path);
                    return Err(e.into());
                }
            };
            print_value(
                cli,
                json!({"created": path, "contacts": summary.contacts_added, "events": summary.events_added}),
                || {
                    format!(
                        "{}: {} ({} {}, {} {})",
                        label(lang, "created"),
                        path.display(),
                        summary.contacts_added,
                        label(lang, "contacts"),
                        summary.events_added,
                        label(lang, "events_n")
                    )
                },
            );
        }
        Command::Import(ImportCommand::Mailchimp(args)) => {
            return super::import::mailchimp(cli, lang, args)
        }
        Command::Import(ImportCommand::Csv(args)) => return super::import::csv(cli, lang, args),
        Command::Export(ExportCommand::Analytics(args)) => {
            return super::export::analytics(cli, lang, args)
        }
        Command::Screen(args) => return super::screen::run(cli, lang, args),
        Command::Import(ImportCommand::Ledger { file }) => {
            let input = File::open(file)
                .map_err(|e| CliError::Usage(format!("cannot open {}: {e}", file.display())))?;
            let mut reg = open(cli)?;
            let s = reg.import_ledger(BufReader::new(input))?;
            print_value(
                cli,
                json!({"contacts_added": s.contacts_added, "events_added": s.events_added, "unchanged": s.unchanged, "suppressed": s.suppressed}),
                || {
                    format!(
                        "{}: {} {}, {} {} ({} {})",
                        label(lang, "imported"),
                        s.contacts_added,
                        label(lang, "contacts"),
                        s.events_added,
                        label(lang, "events_n"),
                        s.unchanged,
                        label(lang, "unchanged")
                    )
                },
            );
            if s.suppressed > 0 && !cli.json {
                let n = s.suppressed.to_string();
                println!(
                    "{}",
                    crate::i18n::tf(lang, "import-suppressed", &[("n", &n)])
                );
            }
        }
        Command::Export(ExportCommand::Ledger { out }) => {
            let reg = open(cli)?;
            let lines = export_to(&reg, out)?;
            print_value(cli, json!({"out": out, "lines": lines}), || {
                format!(
                    "{}: {} ({} {})",
                    label(lang, "exported"),
                    out.display(),
                    lines,
                    label(lang, "lines")
                )
            });
        }
        Command::Search { query, limit } => {
            let reg = open(cli)?;
            let hits = reg.search(query, *limit, now())?;
            reg.record_unlock()?;
            print_value(
                cli,
                Value::Array(hits.iter().map(render::summary_json).collect()),
                || {
                    if hits.is_empty() {
                        label(lang, "no_results").to_owned()
                    } else {
                        hits.iter()
                            .map(|h| render::summary_text(h, lang))
                            .collect::<Vec<_>>()
                            .join("\n")
                    }
                },
            );
        }
        Command::Show {
            contact,
            purpose,
            at,
        } => {
            let purpose = Purpose::parse(purpose)
                .map_err(|e| CliError::Usage(format!("--purpose: {}", e.problem)))?;
            let at = parse_at(at.as_deref())?;
            let reg = open(cli)?;
            let c = reg.resolve(contact)?;
            let view = reg.view(&c, &purpose, at)?;
            reg.record_unlock()?;
            print_value(cli, render::view_json(&view), || {
                render::view_text(&view, lang)
            });
        }
        Command::Check {
            contact,
            channel,
            purpose,
            at,
            category,
            to,
            automated,
        } => {
            let channel: QueryChannel =
                channel
                    .parse()
                    .map_err(|e: crate::domain::ValidationError| {
                        CliError::Usage(format!("--channel: {}", e.problem))
                    })?;
            let purpose = Purpose::parse(purpose)
                .map_err(|e| CliError::Usage(format!("--purpose: {}", e.problem)))?;
            let at = parse_at(at.as_deref())?;
            let reg = open(cli)?;
            // An erased person's email or phone no contact holds any more: still denied.
            let c = reg.resolve_for_check(contact)?;
            let mut q = Query::new(channel, purpose, at);
            q.category = category.clone().filter(|s| !s.trim().is_empty());
            q.to = to.clone().filter(|s| !s.trim().is_empty());
            q.automated = *automated;
            let d = reg.check(&c, &q)?;
            reg.record_unlock()?;
            print_value(
                cli,
                render::decision_json(
                    &c,
                    &d,
                    channel.as_str(),
                    q.purpose.as_str(),
                    &format_instant(&at),
                ),
                || {
                    format!(
                        "{} · {} · {}\n{}",
                        c.id,
                        c.display_name(),
                        label(lang, channel.as_str()),
                        render::decision_text(&d, lang)
                    )
                },
            );
            return Ok(if d.allowed() { exit::OK } else { exit::DENIED });
        }
        Command::Record {
            contact,
            event_type,
            fields,
        } => {
            let mut fields = fields.clone();
            let json_flag = take_flag(&mut fields, "--json");
            let mut obj = fields_to_object(&fields)?;
            let at = obj
                .remove("at")
                .map(|v| parse_at(v.as_str()))
                .transpose()?
                .unwrap_or_else(now);
            let mut reg = open(cli)?;
            // Refuse before looking anything up: a refused command leaves no trace.
            reg.require(crate::domain::Permission::Record)?;
            let c = reg.resolve(contact)?;
            obj.insert("kind".into(), json!("event"));
            obj.insert("contact".into(), json!(c.id));
            obj.insert("at".into(), json!(format_instant(&at)));
            obj.insert("type".into(), json!(event_type));
            obj.entry("recorded_by")
                .or_insert_with(|| json!(reg.session().user));
            obj.entry("source").or_insert_with(|| json!("cli"));
            let event = Event::from_object(obj).map_err(|e| {
                CliError::Usage(format!(
                    "{event_type}: --{}: {}",
                    e.field.replace('_', "-"),
                    e.problem
                ))
            })?;
            let stored = reg.record(event)?;
            let value = json!({"recorded": Value::Object(stored.to_object())});
            if cli.json || json_flag {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                );
            } else {
                println!(
                    "{}: {}",
                    label(lang, "recorded"),
                    render::event_line(&stored)
                );
            }
        }
        Command::Classify {
            contact,
            relationship,
            reason,
        } => {
            let rel: Relationship =
                relationship
                    .parse()
                    .map_err(|e: crate::domain::ValidationError| {
                        CliError::Usage(format!("--as: {}", e.problem))
                    })?;
            let mut reg = open(cli)?;
            reg.require(crate::domain::Permission::Record)?;
            let c = reg.resolve(contact)?;
            let stored = reg.classify(&c, rel, reason, now())?;
            print_value(
                cli,
                json!({"recorded": Value::Object(stored.to_object())}),
                || {
                    format!(
                        "{}: {}",
                        label(lang, "recorded"),
                        render::event_line(&stored)
                    )
                },
            );
        }
        Command::Report(report) => return super::report::run(cli, lang, report),
        Command::VerifyReport { file } => return super::report::verify(cli, lang, file),
        Command::Settings(settings) => return super::settings::run(cli, lang, settings),
        Command::Verify => return super::integrity::verify(cli),
        Command::Audit { limit } => return super::integrity::audit(cli, *limit),
        Command::Erase {
            contact,
            reason,
            confirm_retention,
        } => return super::integrity::erase(cli, contact, reason, *confirm_retention),
        Command::User(command) => return super::admin::user(cli, command),
        Command::Rekey => return super::admin::rekey(cli),
        Command::Backup { out } => return super::admin::backup(cli, out),
        Command::Restore { file, to } => return super::admin::restore(cli, file, to),
    }
    Ok(exit::OK)
}

/// A failed export never leaves a half-written file under the requested name.
fn export_to(reg: &Register, out: &Path) -> Result<usize, CliError> {
    let mut file = crate::outfile::PendingFile::create(out)?;
    let lines = reg.export_ledger(file.writer()?)?;
    file.commit()?;
    Ok(lines)
}

fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != flag);
    args.len() != before
}

fn remove_register_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".keys"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}
