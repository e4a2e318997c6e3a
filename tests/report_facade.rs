//! Reports through the library facade, as the GUI calls them: PDF bytes plus the stamp,
//! `write_report` that never overwrites, `verify_report`, and the controller settings.

use chrono::DateTime;
use consentry::i18n::Lang;
use consentry::register::reports::{write_report, ReportFailure};
use consentry::register::Register;
use consentry::report::{Made, ReportKind, Scope};

const LEDGER: &str = r#"{"kind":"contact","id":"K-1","party":"consumer","name":"Änne Schäfer","emails":["aenne@example.de"]}
{"kind":"event","id":"E-1","contact":"K-1","at":"2025-02-01T09:00:00+01:00","type":"consent_given","channels":["email"],"purposes":["newsletter"],"method":"paper_form","consent_text_id":"CT-1","evidence_ref":"Scan-1"}
"#;

fn made() -> Made {
    Made {
        at: DateTime::parse_from_rfc3339("2025-06-01T12:00:00+02:00").unwrap(),
        by: "gui-user".into(),
    }
}

#[test]
fn evidence_bytes_stamp_write_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.db"), "a long enough passphrase").unwrap();
    reg.import_ledger(LEDGER.as_bytes()).unwrap();
    let contact = reg.resolve("aenne@example.de").unwrap();

    let model = reg.evidence_model(&contact, made()).unwrap();
    assert_eq!(model.decisions.len(), 4);
    let r = reg.evidence_report(&contact, Lang::De, made()).unwrap();
    assert!(r.pdf.starts_with(b"%PDF-"));
    assert!(r.pages >= 1);
    assert_eq!(r.stamp.kind, ReportKind::Evidence);
    assert_eq!(r.stamp.scope, Scope::Contact("K-1".into()));
    assert_eq!(r.stamp, model.stamp);

    let out = dir.path().join("nachweis.pdf");
    write_report(&out, &r.pdf).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), r.pdf);
    match write_report(&out, b"other") {
        Err(ReportFailure::Exists(p)) => assert_eq!(p, out),
        other => panic!("expected Exists, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(&out).unwrap(),
        r.pdf,
        "an existing file is kept"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    let check = reg.verify_report(&std::fs::read(&out).unwrap()).unwrap();
    assert!(check.matches());
    assert_eq!(check.stamp, r.stamp);

    let register = reg
        .register_report(None, made().at, Lang::En, made())
        .unwrap();
    assert_eq!(register.stamp.kind, ReportKind::Register);
    assert!(reg.verify_report(&register.pdf).unwrap().matches());
    assert!(matches!(
        reg.verify_report(b"not a pdf"),
        Err(ReportFailure::Report(_))
    ));
}

#[test]
fn controller_settings_round_trip_beside_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.db"), "a long enough passphrase").unwrap();
    assert_eq!(reg.controller().unwrap(), Default::default());
    let keys = Register::setting_keys();
    assert!(keys.contains(&"consent_stale_after_months"));
    assert!(keys.contains(&"controller_name"));
    assert_eq!(reg.setting_value("dpo_contact").unwrap(), None);
    assert_eq!(
        reg.set_setting_value("controller_name", " Müller GmbH ")
            .unwrap()
            .as_deref(),
        Some("Müller GmbH")
    );
    assert_eq!(
        reg.controller().unwrap().controller_name.as_deref(),
        Some("Müller GmbH")
    );
    assert_eq!(
        reg.set_setting_value("consent_stale_after_months", "24")
            .unwrap()
            .as_deref(),
        Some("24")
    );
    assert_eq!(reg.policy().unwrap().consent_stale_after_months, 24);
    assert!(reg.set_setting_value("colour", "red").is_err());
    assert_eq!(reg.set_setting_value("controller_name", "").unwrap(), None);
    assert_eq!(reg.controller().unwrap().controller_name, None);
}
