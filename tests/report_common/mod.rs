//! Helpers for the report tests: a register with known histories, and poppler/qpdf to read
//! the PDFs back (`scripts/install-deps` installs `poppler-utils` and `qpdf`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../common/mod.rs"]
mod common;
pub use common::*;

/// Jürgen Weiß-Ölmüller: double opt-in by email, a purchase, a phone consent proven by a
/// recorded call, then an objection by letter. Greta Groß: a pending double opt-in and a
/// revocation. Times carry different offsets on purpose.
pub const LEDGER: &str = r#"{"kind":"contact","id":"K-2001","party":"consumer","relationship":"prospect","name":"Jürgen Weiß-Ölmüller","emails":["juergen@example.de"],"phones":["+49 171 7654321"],"address":{"street":"Königsallee 5","postcode":"40212","city":"Düsseldorf","country":"DE"},"customer_number":"KD-2001","crm_ref":"CRM-4711"}
{"kind":"event","id":"EV-A1","contact":"K-2001","at":"2025-02-01T09:00:00+01:00","type":"consent_requested","channels":["email"],"purposes":["newsletter"],"method":"web_form_checkbox","prechecked":false,"consent_text_id":"CT-NEWSLETTER-v3","identifier":"juergen@example.de","ip":"203.0.113.10","user_agent":"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0","source_url":"https://shop.example.de/newsletter/anmeldung?kampagne=fruehling-2025","source":"webshop"}
{"kind":"event","id":"EV-A2","contact":"K-2001","at":"2025-02-01T09:07:30+01:00","type":"consent_confirmed","channels":["email"],"purposes":["newsletter"],"verified":["email"],"identifier":"juergen@example.de","ip":"203.0.113.11"}
{"kind":"event","id":"EV-A3","contact":"K-2001","at":"2025-03-01T12:00:00Z","type":"purchase","product_category":"coffee","email_collected":true,"phone_collected":true,"objection_notice_given":true,"order_ref":"B-100472"}
{"kind":"event","id":"EV-A4","contact":"K-2001","at":"2025-04-02T15:30:00+02:00","type":"consent_given","channels":["phone"],"purposes":["product_offers_own"],"method":"recorded_call","prechecked":false,"consent_text_id":"CT-CALL-SCRIPT-v4","evidence_ref":"REC-2025-00042","verified":["phone"],"identifier":"+491717654321","recorded_by":"agent.schmidt"}
{"kind":"event","id":"EV-A5","contact":"K-2001","at":"2025-06-12T10:00:00+02:00","type":"objection","scope":"all","via":"letter","recorded_by":"dpo","note":"Brief vom 10.06."}
{"kind":"contact","id":"K-2002","party":"consumer","name":"Greta Groß","emails":["greta@example.de"]}
{"kind":"event","id":"EV-B1","contact":"K-2002","at":"2025-05-01T08:00:00Z","type":"consent_requested","channels":["email"],"purposes":["newsletter"],"method":"web_form_checkbox","prechecked":false,"consent_text_id":"CT-NEWSLETTER-v3","identifier":"greta@example.de"}
{"kind":"event","id":"EV-B2","contact":"K-2002","at":"2025-05-20T08:00:00Z","type":"consent_given","channels":["sms"],"purposes":["newsletter"],"method":"paper_form","consent_text_id":"CT-SMS-v1","evidence_ref":"Scan-7"}
{"kind":"event","id":"EV-B3","contact":"K-2002","at":"2025-07-01T08:00:00Z","type":"consent_revoked","channels":["sms"],"purposes":["*"],"via":"email"}
"#;

/// A fresh register holding [`LEDGER`].
pub fn report_register(dir: &Path) -> PathBuf {
    let db = dir.join("reg.db");
    ok(&db, &["init"]);
    let ledger = dir.join("ledger.jsonl");
    std::fs::write(&ledger, LEDGER).unwrap();
    ok(&db, &["import", "ledger", ledger.to_str().unwrap()]);
    db
}

fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("`{name}` is needed for the report tests (run scripts/install-deps): {e}")
    })
}

/// The text of the PDF (or of one page), whitespace collapsed so wrapped lines read on.
pub fn pdf_text(pdf: &Path, page: Option<usize>) -> String {
    let mut args = vec!["-enc".to_owned(), "UTF-8".to_owned()];
    if let Some(p) = page {
        args.extend(["-f".into(), p.to_string(), "-l".into(), p.to_string()]);
    }
    args.extend([pdf.to_str().unwrap().to_owned(), "-".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = tool("pdftotext", &args);
    assert!(out.status.success(), "pdftotext failed: {:?}", out);
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `pdfinfo` as key → value.
pub fn pdf_info(pdf: &Path) -> std::collections::HashMap<String, String> {
    let out = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(out.status.success(), "pdfinfo failed: {:?}", out);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

pub fn pages(pdf: &Path) -> usize {
    pdf_info(pdf)["Pages"].parse().unwrap()
}

pub fn qpdf_check(pdf: &Path) {
    let out = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "qpdf --check failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `report …` with a fixed user and language and returns the PDF path.
pub fn report(db: &Path, dir: &Path, lang: &str, args: &[&str], name: &str) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["--lang", lang, "report"];
    all.extend_from_slice(args);
    all.extend(["--out", out.to_str().unwrap()]);
    let r = run_as(db, &all);
    assert_eq!(r.code, 0, "report {args:?}: {}{}", r.stdout, r.stderr);
    out
}

/// The user reports are made by (an admin of the test register, added on first use).
const REPORT_USER: &str = "prüferin.öz";

/// Like `consentry`, signed in as [`REPORT_USER`] so "made by" is known.
pub fn run_as(db: &Path, args: &[&str]) -> Run {
    // `init` made `admin`; the report user is added once (later attempts answer "exists").
    let mut add = Command::new(env!("CARGO_BIN_EXE_consentry"));
    add.arg("--db")
        .arg(db)
        .args(["user", "add", REPORT_USER, "--role", "admin"])
        .env_remove("CONSENTRY_DB")
        .env("CONSENTRY_USER", "admin")
        .env("CONSENTRY_PASSPHRASE", PASS)
        .env("CONSENTRY_NEW_PASSPHRASE", PASS);
    add.output().expect("run consentry");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_consentry"));
    cmd.arg("--db").arg(db).args(args);
    cmd.env_remove("CONSENTRY_DB")
        .env("LANG", "C")
        .env("CONSENTRY_USER", REPORT_USER)
        .env("CONSENTRY_PASSPHRASE", PASS);
    let out = cmd.output().expect("run consentry");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
