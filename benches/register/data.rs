//! The benchmark's data, generated once and cached under `target/bench-data/`: the
//! register (demo histories with catalogue mailings, ~5 events per contact), its
//! unencrypted copy, a Mailchimp export and a campaign list.

use std::error::Error;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, FixedOffset};
use consentry::demo::DemoStream;
use consentry::register::Register;
use consentry::store::bench_support::PlainCopy;
use consentry::store::Store;

pub type Res<T> = Result<T, Box<dyn Error>>;

pub const PASSPHRASE: &str = "bench passphrase";
/// Bump when the generator changes, so a cached register of the old shape is not reused.
/// v2: registers have a key file (.keys); v3: 16 KiB pages signed with HMAC-SHA256.
const GENERATOR: &str = "v3";
const SEED: u64 = 7;

/// Everything a run needs to know about its data.
pub struct Data {
    pub dir: PathBuf,
    pub contacts: usize,
    pub now: DateTime<FixedOffset>,
    pub register: PathBuf,
    pub plain: PathBuf,
    /// Seconds it took to generate the register in this run (None: taken from the cache).
    pub generated_s: Option<f64>,
}

/// A fixed "now", so the cached register and every decision are the same on each run.
pub fn bench_now() -> Res<DateTime<FixedOffset>> {
    Ok(DateTime::parse_from_rfc3339("2026-11-29T12:00:00+01:00")?)
}

pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}

/// The register of `contacts` contacts, generated unless a finished one is cached.
pub fn register(contacts: usize) -> Res<Data> {
    let dir = data_dir();
    fs::create_dir_all(&dir)?;
    let stem = format!("register-{GENERATOR}-{contacts}");
    let register = dir.join(format!("{stem}.db"));
    let plain = dir.join(format!("{stem}-plain.db"));
    // Written last: a register without it is a half-finished generation.
    let done = dir.join(format!("{stem}.done"));
    let now = bench_now()?;
    let mut generated_s = None;
    if !done.exists() {
        for p in [&register, &plain] {
            remove_db(p);
        }
        let start = Instant::now();
        generate(&register, contacts, now)?;
        let store = Store::unlock(&register, "admin", PASSPHRASE)?.0;
        eprintln!("bench: writing the unencrypted copy {}", plain.display());
        PlainCopy::export(&store, &plain)?;
        generated_s = Some(start.elapsed().as_secs_f64());
        fs::write(&done, format!("{generated_s:?}\n"))?;
    }
    Ok(Data {
        dir,
        contacts,
        now,
        register,
        plain,
        generated_s,
    })
}

fn generate(path: &Path, contacts: usize, now: DateTime<FixedOffset>) -> Res<()> {
    eprintln!(
        "bench: generating {contacts} contacts into {}",
        path.display()
    );
    let mut register = Register::create(path, PASSPHRASE)?;
    let start = Instant::now();
    let every = (contacts / 20).max(1);
    let mut next_report = every;
    let summary =
        register.import_record_stream(DemoStream::new(now, SEED, contacts, true), 20_000, |s| {
            if s.contacts_added >= next_report {
                next_report += every;
                eprintln!(
                    "bench:   {} contacts, {} events, {:.0} s",
                    s.contacts_added,
                    s.events_added,
                    start.elapsed().as_secs_f64()
                );
            }
        })?;
    eprintln!(
        "bench: generated {} contacts and {} events in {:.1} s",
        summary.contacts_added,
        summary.events_added,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".keys"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        // Absent files are the normal case.
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

const FIRST: &[&str] = &[
    "Jürgen",
    "Sören",
    "Björn",
    "Jörg",
    "Käthe",
    "Müşerref",
    "Anna",
    "Lena",
    "Jonas",
    "Lukas",
    "Sophie",
    "Marie",
    "Felix",
    "Paul",
    "Hannah",
    "Emma",
    "Maximilian",
    "Lea",
    "Ömer",
    "Zoë",
];
const LAST: &[&str] = &[
    "Müller",
    "Schröder",
    "Weiß",
    "Groß",
    "Jäger",
    "Köhler",
    "Schäfer",
    "Krüger",
    "Böhm",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Hofmann",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Köln", "NW", "50667"),
    ("München", "BY", "80331"),
    ("Düsseldorf", "NW", "40213"),
    ("Berlin", "BE", "10115"),
    ("Nürnberg", "BY", "90402"),
    ("Lübeck", "SH", "23552"),
];

/// A Mailchimp "subscribed" export of `rows` members (its own addresses, none of them in
/// the register), written once. Column order and extra columns as Mailchimp writes them.
pub fn mailchimp_export(dir: &Path, rows: usize) -> Res<PathBuf> {
    let path = dir.join(format!("mailchimp-subscribed-{rows}.csv"));
    if path.exists() {
        return Ok(path);
    }
    let tmp = dir.join("mailchimp.tmp");
    let mut w = BufWriter::new(File::create(&tmp)?);
    writeln!(
        w,
        "Email Address,First Name,Last Name,Address,Phone Number,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,\
         CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,\
         LEID,EUID,NOTES,TAGS"
    )?;
    for i in 0..rows {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / FIRST.len()) % LAST.len()];
        let (city, region, zip) = CITIES[i % CITIES.len()];
        let email = format!(
            "{}.{}.{i}@mail{}.example.de",
            ascii(first),
            ascii(last),
            i % 97
        );
        // Every third member gave a phone number, in one of the notations people type.
        let phone = match i % 9 {
            0 => format!("0171 {:07}", i % 10_000_000),
            3 => format!("+49 30 {:07}", i % 10_000_000),
            6 => format!("0049-89-{:07}", i % 10_000_000),
            _ => String::new(),
        };
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let optin = format!("2025-{month:02}-{day:02} 08:{:02}:00", i % 60);
        // Most confirmed the double opt-in; some never did; a few have no sign-up record.
        let (optin, confirm) = match i % 20 {
            0 => (String::new(), String::new()),
            1..=3 => (optin, String::new()),
            _ => (
                optin.clone(),
                format!("2025-{month:02}-{day:02} 09:{:02}:30", i % 60),
            ),
        };
        writeln!(
            w,
            "{email},{first},{last},Hauptstr. {}  {city}  {region}  {zip}  DE,{phone},3,{optin},\
             203.0.113.{},{confirm},203.0.113.{},50.9,6.9,1,2,Europe/Berlin,DE,{region},\
             2025-{month:02}-{day:02} 10:00:00,{i},e{i},,",
            1 + i % 150,
            i % 250,
            (i + 1) % 250,
        )?;
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    fs::rename(&tmp, &path)?;
    Ok(path)
}

fn ascii(s: &str) -> String {
    s.to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .replace('ş', "s")
        .replace('ë', "e")
}

/// A campaign list of `rows` rows: mostly addresses of the register, in the capitals people
/// type, and one in ten unknown. Written for every run (it depends on the register).
pub fn campaign_list(dir: &Path, emails: &[String], rows: usize) -> Res<PathBuf> {
    let path = dir.join(format!("campaign-{rows}.csv"));
    let mut w = BufWriter::new(File::create(&path)?);
    writeln!(w, "E-Mail;Vorname;Segment")?;
    let step = (emails.len() / rows.max(1)).max(1);
    for i in 0..rows {
        if i % 10 == 9 || emails.is_empty() {
            writeln!(w, "unbekannt.{i}@nirgendwo.example;Kim;B")?;
        } else {
            let email = &emails[(i * step) % emails.len()];
            let email = if i % 3 == 0 {
                email.to_uppercase()
            } else {
                email.clone()
            };
            writeln!(w, "{email};Kim;A")?;
        }
    }
    w.flush()?;
    Ok(path)
}
