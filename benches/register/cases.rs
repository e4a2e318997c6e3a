//! The measurements. Each returns table rows whose baseline ran in this same process run.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use consentry::domain::reason::Lang;
use consentry::domain::{
    decide, Channel, Contact, LedgerRecord, Policy, Purpose, Query, QueryChannel,
};
use consentry::import::ImportControl;
use consentry::register::{Register, ScreenOptions};
use consentry::report::model::Made;
use consentry::store::bench_support::{identifier_pairs, like_scan, PlainCopy};
use consentry::store::Store;

use super::child;
use super::data::{self, Data, Res, PASSPHRASE};
use super::measure::{percentile, samples, time_ms, Row};

/// Contacts spread evenly over the register (the textbook ones at the start skipped).
pub fn sample_contacts(register: &Register, contacts: usize, n: usize) -> Res<Vec<Contact>> {
    let first = 40.min(contacts.saturating_sub(1));
    let step = ((contacts - first) / n.max(1)).max(1);
    let mut out = Vec::new();
    for i in 0..n {
        let number = first + 1 + (i * step + i % 7) % (contacts - first);
        out.push(register.resolve(&format!("K-{}", 1000 + number))?);
    }
    Ok(out)
}

pub fn unlock(data: &Data) -> Res<Vec<Row>> {
    let mut enc = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..5 {
        enc.push(time_ms(|| Register::open(&data.register, PASSPHRASE))?.0);
        plain.push(time_ms(|| PlainCopy::open(&data.plain))?.0);
    }
    Ok(vec![Row::new(
        "unlock (open + key check), median of 5",
        percentile(&enc, 50.0),
        "ms",
    )
    .baseline("open unencrypted copy", percentile(&plain, 50.0))])
}

/// Queries as an agent types them, drawn from the sampled contacts.
fn queries(contacts: &[Contact]) -> Vec<(&'static str, Vec<String>)> {
    let mut name = Vec::new();
    let mut email = Vec::new();
    let mut phones: Vec<(&'static str, Vec<String>)> = vec![
        ("phone 0171 1234567", Vec::new()),
        ("phone +49 171 1234567", Vec::new()),
        ("phone 0049-171-1234567", Vec::new()),
        ("phone 0171/1234567", Vec::new()),
    ];
    for c in contacts {
        // Surname prefix of 5 characters, as typed into the box (umlauts as written).
        if let Some(last) = c.name.split_whitespace().last() {
            name.push(last.chars().take(5).collect());
        }
        // A fragment from inside the address: no word start, no domain.
        if let Some(e) = c.emails.first() {
            let local: Vec<char> = e.split('@').next().unwrap_or("").chars().collect();
            if local.len() >= 6 {
                email.push(local[1..local.len().min(9)].iter().collect());
            }
        }
        if let Some(national) = c.phones.first().and_then(|p| p.strip_prefix("+49")) {
            // The area code's length is not known here; split after 3 digits, as for mobiles.
            let (area, rest) = national.split_at(3.min(national.len()));
            phones[0].1.push(format!("0{area} {rest}"));
            phones[1].1.push(format!("+49 {area} {rest}"));
            phones[2].1.push(format!("0049-{area}-{rest}"));
            phones[3].1.push(format!("0{area}/{rest}"));
        }
    }
    let mut out = vec![("name prefix", name), ("email fragment", email)];
    out.extend(phones);
    out
}

pub fn search(data: &Data, register: &Register, contacts: &[Contact]) -> Res<Vec<Row>> {
    let store = Store::unlock(&data.register, "admin", PASSPHRASE)?.0;
    let plain = PlainCopy::open(&data.plain)?;
    const LIMIT: usize = consentry::gui::search::LIMIT;
    // LIKE scans read the whole index: a few queries per kind suffice for p50/p95/p99.
    let like_runs = if data.contacts > 200_000 { 6 } else { 40 };
    let purpose = Purpose::parse("newsletter")?;
    let mut rows = Vec::new();
    for (kind, qs) in queries(contacts) {
        if qs.is_empty() {
            continue;
        }
        // Warm both page caches with the same queries first: as-you-type search runs on a
        // register that is already open.
        for q in &qs {
            store.search(q, LIMIT)?;
            plain.search(q, LIMIT)?;
        }
        let enc = samples(&qs, |q| store.search(q, LIMIT).map(drop))?;
        let pl = samples(&qs, |q| plain.search(q, LIMIT).map(drop))?;
        let like_qs: Vec<String> = qs
            .iter()
            .take(like_runs)
            .map(|q| like_fragment(kind, q))
            .collect();
        let like = samples(&like_qs, |q| like_scan(&store, q, LIMIT).map(drop))?;
        let facade = samples(&qs, |q| {
            register
                .search_with_status(q, LIMIT, &purpose, data.now)
                .map(drop)
        })?;
        for p in [50.0, 95.0, 99.0] {
            let mut row = Row::new(
                format!("search {kind} p{p:.0} ({} queries)", qs.len()),
                percentile(&enc, p),
                "ms",
            )
            .baseline("unencrypted copy, same query", percentile(&pl, p));
            if p == 95.0 {
                row = row.target(20.0);
            }
            rows.push(row);
            rows.push(
                Row::new(format!("search {kind} p{p:.0}"), percentile(&enc, p), "ms").baseline(
                    format!("LIKE '%…%' scan ({} queries)", like_qs.len()),
                    percentile(&like, p),
                ),
            );
        }
        rows.push(
            Row::new(
                format!("search {kind} p95, with 4 verdicts per hit (GUI list, {LIMIT} hits)"),
                percentile(&facade, 95.0),
                "ms",
            )
            .baseline("store search alone", percentile(&enc, 95.0))
            .target(20.0),
        );
    }
    Ok(rows)
}

/// What a `LIKE` scan looks for: the folded text for names, the digits for phones.
fn like_fragment(kind: &str, q: &str) -> String {
    if kind.starts_with("phone") {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        // National digits (without the trunk 0 or 0049) are in every stored notation.
        let national = digits
            .strip_prefix("0049")
            .or_else(|| digits.strip_prefix("49"))
            .or_else(|| digits.strip_prefix('0'))
            .unwrap_or(&digits);
        national.to_owned()
    } else {
        q.to_lowercase()
    }
}

pub fn check(data: &Data, register: &Register, contacts: &[Contact]) -> Res<Vec<Row>> {
    let plain = PlainCopy::open(&data.plain)?;
    let purpose = Purpose::parse("newsletter")?;
    let policy = Policy::default();
    let email = Query::new(
        QueryChannel::Contact(Channel::Email),
        purpose.clone(),
        data.now,
    );
    // Warm-up, as for search.
    for c in contacts {
        register.check(c, &email)?;
        plain.events_for(&c.id)?;
    }
    let one = samples(contacts, |c| register.check(c, &email).map(drop))?;
    let one_plain = samples(contacts, |c| {
        let events = plain.events_for(&c.id)?;
        decide(c, &events, &email, &policy, false);
        Ok::<_, consentry::store::StoreError>(())
    })?;
    let four = samples(contacts, |c| register.view(c, &purpose, data.now).map(drop))?;
    let four_plain = samples(contacts, |c| {
        let events = plain.events_for(&c.id)?;
        for ch in Channel::ALL {
            let q = Query::new(QueryChannel::Contact(ch), purpose.clone(), data.now);
            decide(c, &events, &q, &policy, false);
        }
        Ok::<_, consentry::store::StoreError>(())
    })?;
    let n = contacts.len();
    Ok(vec![
        Row::new(
            format!("check, one channel, p95 ({n} contacts)"),
            percentile(&one, 95.0),
            "ms",
        )
        .baseline(
            "unencrypted copy: events + decide",
            percentile(&one_plain, 95.0),
        )
        .target(1.0),
        Row::new(
            "check, four channels (view), p95",
            percentile(&four, 95.0),
            "ms",
        )
        .baseline(
            "unencrypted copy: events + 4 × decide",
            percentile(&four_plain, 95.0),
        )
        .target(1.0),
    ])
}

pub fn screening(data: &Data, register: &Register, rows: usize) -> Res<Vec<Row>> {
    let store = Store::unlock(&data.register, "admin", PASSPHRASE)?.0;
    let pairs = identifier_pairs(&store, "email")?;
    drop(store);
    let emails: Vec<String> = pairs.iter().map(|(e, _)| e.clone()).collect();
    let list = data::campaign_list(&data.dir, &emails, rows)?;
    let opts = ScreenOptions {
        channel: QueryChannel::Contact(Channel::Email),
        purpose: Purpose::parse("newsletter")?,
        at: data.now,
        category: None,
        email_column: None,
        phone_column: None,
        lang: Lang::De,
    };
    let (screen_ms, summary) = time_ms(|| {
        register.screen_list(&list, std::io::sink(), &opts, &mut ImportControl::default())
    })?;
    // Baseline: the same list joined against an in-memory map of every address (building
    // the map not counted), reading and lower-casing each row as the screening does.
    let mut map: HashMap<String, Vec<String>> = HashMap::with_capacity(pairs.len());
    for (email, id) in pairs {
        map.entry(email).or_default().push(id);
    }
    let (join_ms, matched) = time_ms(|| -> Res<usize> {
        let mut matched = 0;
        for line in BufReader::new(std::fs::File::open(&list)?).lines().skip(1) {
            let line = line?;
            let email = line.split(';').next().unwrap_or("").trim().to_lowercase();
            if map.get(&email).is_some_and(|ids| !ids.is_empty()) {
                matched += 1;
            }
        }
        Ok(matched)
    })?;
    eprintln!(
        "bench: screening {} rows, hash join matched {matched}",
        summary.rows
    );
    Ok(vec![Row::new(
        format!("screen {rows} rows (email, newsletter)"),
        screen_ms,
        "ms",
    )
    .baseline("in-memory hash join of the list", join_ms)
    .target(2000.0)])
}

pub fn import(data: &Data, rows: usize) -> Res<Vec<Row>> {
    let export = data::mailchimp_export(&data.dir, rows)?;
    let db = data.dir.join("mailchimp-import.db");
    data::remove_db(&db);
    // The same program creating the register: the memory baseline of the import.
    let init = child::consentry(&db, &["init"])?;
    let run = child::consentry(
        &db,
        &[
            "import",
            "mailchimp",
            "--subscribed",
            export.to_str().ok_or("path is not UTF-8")?,
            "--consent-text-id",
            "CT-NEWSLETTER-v3",
            "--purpose",
            "newsletter",
        ],
    )?;
    data::remove_db(&db);
    // Baseline: reading the same file with the csv crate, every field touched.
    let (parse_ms, fields) = time_ms(|| -> Res<usize> {
        let mut reader = csv::Reader::from_path(&export)?;
        let mut fields = 0;
        for record in reader.records() {
            fields += record?.iter().filter(|f| !f.is_empty()).count();
        }
        Ok(fields)
    })?;
    eprintln!("bench: mailchimp file has {fields} non-empty fields");
    Ok(vec![
        Row::new(
            format!("import {rows} Mailchimp rows (CLI, new register)"),
            run.seconds,
            "s",
        )
        .baseline("read + parse the CSV only", parse_ms / 1000.0)
        .target(60.0),
        Row::new(
            "import: peak memory of the process (VmHWM)",
            run.peak_mib,
            "MiB",
        )
        .baseline("the same program's `init` (no import)", init.peak_mib)
        // 300 MB (issue 6) in MiB.
        .target(286.1),
    ])
}

/// A contact with 50 events: Erika (K-1001) with catalogue mailings added under fixed ids,
/// so a rerun on the cached register adds nothing.
pub fn evidence(data: &Data, register: &mut Register) -> Res<Vec<Row>> {
    let erika = register.resolve("K-1001")?;
    let have = register.events(&erika.id)?.len();
    let mut records = Vec::new();
    for i in 0..50usize.saturating_sub(have) {
        let line = format!(
            r#"{{"kind":"event","id":"BENCH-K1001-{i:02}","contact":"K-1001","at":"2025-{:02}-{:02}T09:00:00+01:00","type":"marketing_sent","channel":"letter","purpose":"product_offers_own","objection_notice_included":true}}"#,
            1 + i % 12,
            1 + i % 28
        );
        records.push(LedgerRecord::parse(&line)?);
    }
    register.import_records(records)?;
    let events = register.events(&erika.id)?.len();
    let made = Made {
        at: data.now,
        by: "bench".into(),
    };
    let mut pdf = Vec::new();
    let mut model = Vec::new();
    for _ in 0..21 {
        pdf.push(time_ms(|| register.evidence_report(&erika, Lang::De, made.clone()))?.0);
        model.push(time_ms(|| register.evidence_model(&erika, made.clone()))?.0);
    }
    Ok(vec![Row::new(
        format!("evidence PDF, contact with {events} events, median of 21"),
        percentile(&pdf, 50.0),
        "ms",
    )
    .baseline("report model only (no PDF)", percentile(&model, 50.0))
    .target(50.0)])
}

/// The register report reads every event of the register, so it runs on a register of its
/// own with about 10 000 events.
pub fn register_report(data: &Data) -> Res<Vec<Row>> {
    let db = data.dir.join("report-10k.db");
    data::remove_db(&db);
    let mut register = Register::create(&db, PASSPHRASE)?;
    register.import_record_stream(
        consentry::demo::DemoStream::new(data.now, 11, 2_000, true),
        5_000,
        |_| {},
    )?;
    let events = register.counts()?.events;
    let made = Made {
        at: data.now,
        by: "bench".into(),
    };
    let mut pdf = Vec::new();
    let mut model = Vec::new();
    for _ in 0..5 {
        pdf.push(time_ms(|| register.register_report(None, data.now, Lang::De, made.clone()))?.0);
        model.push(time_ms(|| register.register_model(None, data.now, made.clone()))?.0);
    }
    drop(register);
    data::remove_db(&db);
    Ok(vec![Row::new(
        format!("register report PDF over {events} events, median of 5"),
        percentile(&pdf, 50.0),
        "ms",
    )
    .baseline(
        "report model only (no PDF)",
        percentile(&model, 50.0),
    )])
}

pub fn file_size_mib(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(f64::NAN, |m| m.len() as f64 / (1024.0 * 1024.0))
}

/// The desktop app's peak memory with the register open, a search typed and a contact
/// opened: `scripts/gui-memory` runs the real binary under Xvfb. Skipped (no row) when
/// Xvfb or xdotool is not installed.
pub fn gui_memory(data: &Data) -> Res<Vec<Row>> {
    let have = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !(have("Xvfb") && have("xdotool") && have("setxkbmap")) {
        eprintln!("bench: GUI memory skipped (needs xvfb, xdotool, x11-xkb-utils)");
        return Ok(Vec::new());
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gui-memory");
    let out = std::process::Command::new(script)
        .arg(&data.register)
        .env("CONSENTRY_BIN", env!("CARGO_BIN_EXE_consentry"))
        .env("CONSENTRY_PASSPHRASE", PASSPHRASE)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    eprint!("{text}");
    if !out.status.success() {
        eprintln!(
            "bench: GUI memory failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return Ok(Vec::new());
    }
    let mib = |line: &str, key: &str| -> Option<f64> {
        let rest = &line[line.find(key)? + key.len()..];
        rest.split_whitespace().next()?.parse().ok()
    };
    let peak = text
        .lines()
        .filter_map(|l| mib(l, "VmHWM"))
        .fold(0.0, f64::max);
    let idle = text
        .lines()
        .find(|l| l.contains("unlock screen"))
        .and_then(|l| mib(l, "VmRSS"))
        .unwrap_or(f64::NAN);
    Ok(vec![Row::new(
        "GUI peak memory: register open, 3 searches, a contact (VmHWM)",
        peak,
        "MiB",
    )
    .baseline("the app before unlocking", idle)
    .target(250.0)])
}
