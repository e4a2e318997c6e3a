//! `cargo bench`: the performance targets of DESIGN.md measured on a generated register of
//! a million contacts (`CONSENTRY_BENCH_CONTACTS` scales it), each figure next to a baseline
//! run in the same process. Prints a Markdown table and writes `target/bench-results.json`.
//!
//! The register is generated once and cached in `target/bench-data/`; delete that folder
//! to generate it again. Under `cargo test` (no `--bench` argument) this does nothing.

mod cases;
mod child;
mod data;
mod measure;

use std::time::Instant;

use consentry::register::Register;
use serde_json::json;

use data::{Res, PASSPHRASE};
use measure::Row;

const DEFAULT_CONTACTS: usize = 1_000_000;
const SCREEN_ROWS: usize = 100_000;

fn main() -> Res<()> {
    if !std::env::args().any(|a| a == "--bench") {
        println!("register benchmark: skipped (it runs under `cargo bench`)");
        return Ok(());
    }
    let started = Instant::now();
    let contacts: usize = match std::env::var("CONSENTRY_BENCH_CONTACTS") {
        Ok(v) => v
            .replace('_', "")
            .parse()
            .map_err(|_| format!("CONSENTRY_BENCH_CONTACTS must be a number, got `{v}`"))?,
        Err(_) => DEFAULT_CONTACTS,
    };
    if contacts < 100 {
        return Err("CONSENTRY_BENCH_CONTACTS must be at least 100".into());
    }
    let data = data::register(contacts)?;
    let mut register = Register::open(&data.register, PASSPHRASE)?;
    let counts = register.counts()?;
    eprintln!(
        "bench: register {} ({} contacts, {} events, {:.0} MiB)",
        data.register.display(),
        counts.contacts,
        counts.events,
        cases::file_size_mib(&data.register)
    );

    let mut rows: Vec<Row> = Vec::new();
    if let Some(s) = data.generated_s {
        rows.push(Row::new(
            format!(
                "generate the register ({} contacts, {} events) + unencrypted copy",
                counts.contacts, counts.events
            ),
            s,
            "s",
        ));
    }
    let sample = cases::sample_contacts(&register, contacts, 300)?;
    // `CONSENTRY_BENCH_ONLY=search,screening` runs only those steps (for profiling one part).
    let only: Option<Vec<String>> = std::env::var("CONSENTRY_BENCH_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|w| w == name));
    let mut step = |name: &str, result: Res<Vec<Row>>| -> Res<()> {
        eprintln!(
            "bench: {name} done at {:.0} s",
            started.elapsed().as_secs_f64()
        );
        rows.extend(result?);
        Ok(())
    };
    if wanted("unlock") {
        step("unlock", cases::unlock(&data))?;
    }
    if wanted("search") {
        step("search", cases::search(&data, &register, &sample))?;
    }
    if wanted("check") {
        step("check", cases::check(&data, &register, &sample))?;
    }
    if wanted("screening") {
        step(
            "screening",
            cases::screening(&data, &register, SCREEN_ROWS.min(contacts)),
        )?;
    }
    if wanted("evidence") {
        step("evidence", cases::evidence(&data, &mut register))?;
    }
    if wanted("report") {
        step("register report", cases::register_report(&data))?;
    }
    drop(register);
    if wanted("import") {
        step("import", cases::import(&data, contacts))?;
    }
    if wanted("gui") {
        step("GUI memory", cases::gui_memory(&data))?;
    }

    let table = measure::table(&rows);
    let machine = machine();
    println!("\n{table}");
    println!(
        "machine: {machine}; total {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let results = json!({
        "contacts": counts.contacts,
        "events": counts.events,
        "register_mib": cases::file_size_mib(&data.register),
        "machine": machine,
        "total_seconds": started.elapsed().as_secs_f64(),
        "rows": rows.iter().map(Row::to_json).collect::<Vec<_>>(),
    });
    let out = data
        .dir
        .parent()
        .unwrap_or(&data.dir)
        .join("bench-results.json");
    std::fs::write(&out, serde_json::to_string_pretty(&results)?)?;
    println!("written: {}", out.display());
    Ok(())
}

/// CPU model, core count and memory, from /proc (Linux); "unknown" elsewhere.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .map_or_else(
            || "?".into(),
            |kib| format!("{:.0} GiB", kib as f64 / 1048576.0),
        );
    format!(
        "{model}, {cores} cores, {mem} RAM, {}",
        std::env::consts::OS
    )
}
