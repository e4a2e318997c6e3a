//! Every row of `assets/legal/decision_matrix.csv` (relationship × party × channel × consent
//! state) realised as a ledger and decided. Where the matrix says "X else Y" both branches
//! are tested; where it disagrees with LEGAL.md's decision order, the decision order wins
//! (LEGAL.md: "Where the two disagree, the decision order below wins") and the case says so.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::channel::Purpose;
use super::contact::Contact;
use super::decision::{decide, Decision, Query};
use super::event::{parse_instant, Event};
use super::policy::Policy;
use super::reason::ReasonCode;

const MATRIX: &str = include_str!("../../assets/legal/decision_matrix.csv");

const HEADER: [&str; 9] = [
    "relationship",
    "party",
    "channel",
    "state",
    "decision",
    "condition",
    "reason",
    "legal_basis",
    "ambiguity",
];

/// A minimal RFC 4180 reader: fields separated by commas, optionally in double quotes, with
/// `""` for a quote and commas or line breaks allowed inside quotes. Returns the records with
/// the 1-based line each starts on; blank lines are skipped.
fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    in_quotes = false;
                    if !matches!(chars.peek(), None | Some(',') | Some('\n') | Some('\r')) {
                        return Err(format!("line {line}: text after a closing quote"));
                    }
                }
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                in_quotes = true;
                at_field_start = false;
            }
            '"' => return Err(format!("line {line}: quote inside an unquoted field")),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                if !(record.len() == 1 && record[0].is_empty()) {
                    records.push((start, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                start = line;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if in_quotes {
        return Err(format!("line {start}: unterminated quoted field"));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((start, record));
    }
    Ok(records)
}

#[test]
fn csv_reader_handles_quotes() {
    let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,,\"two\nlines\"\n3,last,";
    let rows = parse_csv(text).unwrap();
    assert_eq!(
        rows,
        vec![
            (1, vec!["a".into(), "b".into(), "c".into()]),
            (2, vec!["1".into(), "x, y".into(), "say \"hi\"".into()]),
            (4, vec!["2".into(), "".into(), "two\nlines".into()]),
            (6, vec!["3".into(), "last".into(), "".into()]),
        ]
    );
    assert!(parse_csv("a,\"b\nc").is_err());
    assert!(parse_csv("a,b\"c\n").is_err());
    assert!(parse_csv("\"a\"b,c\n").is_err());
}

#[derive(Debug, Clone)]
struct Row {
    line: usize,
    relationship: String,
    party: String,
    channel: String,
    state: String,
    decision: String,
    condition: String,
    reason: String,
    legal_basis: String,
}

impl Row {
    fn key(&self) -> String {
        format!(
            "line {} ({},{},{},{})",
            self.line, self.relationship, self.party, self.channel, self.state
        )
    }
}

fn rows() -> Vec<Row> {
    let mut records = parse_csv(MATRIX).expect("the matrix is valid CSV");
    let (_, header) = records.remove(0);
    assert_eq!(header, HEADER, "matrix header");
    records
        .into_iter()
        .map(|(line, r)| {
            assert_eq!(r.len(), HEADER.len(), "line {line}: {r:?}");
            Row {
                line,
                relationship: r[0].clone(),
                party: r[1].clone(),
                channel: r[2].clone(),
                state: r[3].clone(),
                decision: r[4].clone(),
                condition: r[5].clone(),
                reason: r[6].clone(),
                legal_basis: r[7].clone(),
            }
        })
        .collect()
}

#[test]
fn matrix_is_complete_and_names_real_codes() {
    let rows = rows();
    let keys: BTreeSet<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.relationship.clone(),
                r.party.clone(),
                r.channel.clone(),
                r.state.clone(),
            )
        })
        .collect();
    assert_eq!(keys.len(), rows.len(), "duplicate rows");
    for rel in ["prospect", "existing_customer"] {
        for party in ["B2C", "B2B"] {
            for ch in ["email", "sms", "phone", "letter"] {
                for state in STATES {
                    let key = (rel.into(), party.into(), ch.into(), state.into());
                    assert!(keys.contains(&key), "missing row {key:?}");
                }
            }
        }
    }
    assert_eq!(rows.len(), 2 * 2 * 4 * STATES.len());
    for r in &rows {
        for code in r.reason.split(" else ") {
            assert!(code.parse::<ReasonCode>().is_ok(), "{}: {code}", r.key());
        }
        assert!(!r.legal_basis.is_empty(), "{}", r.key());
    }
}

// ---------------------------------------------------------------------------------------
// Realising a row as a ledger.
// ---------------------------------------------------------------------------------------

const STATES: [&str; 6] = [
    "no_record",
    "consent_pending_doi",
    "consent_confirmed",
    "consent_revoked",
    "objection_opt_out",
    "consent_stale_unused",
];

/// The query instant, and the instants of the history before it.
const T: &str = "2025-03-12T10:00:00+01:00";
const BOUGHT: &str = "2024-11-05T14:30:00+01:00";
const REQUESTED: &str = "2025-01-10T09:00:00+01:00";
const CONFIRMED: &str = "2025-01-10T09:05:00+01:00";
const LATER: &str = "2025-02-01T12:00:00+01:00";
/// 24 months before the query: stale under the default policy (18 months).
const STALE_REQUESTED: &str = "2023-03-12T09:00:00+01:00";
const STALE_CONFIRMED: &str = "2023-03-12T09:05:00+01:00";

fn identifier(channel: &str) -> &'static str {
    match channel {
        "email" => "erika@example.de",
        "sms" | "phone" => "+49 171 1234567",
        _ => "Musterstr. 1, 10115 Berlin, DE",
    }
}

/// What the test changes about the row's history or query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// The row as the matrix describes it.
    AsIs,
    /// "X else Y": the fact enabling X added (presumed consent documented).
    WithPresumedConsent,
    /// "X else Y", § 7 Abs. 3: the query advertises another category ("tea").
    OtherCategory,
    /// "X else Y", § 7 Abs. 3: the query names no category.
    NoCategory,
    /// "X else Y", § 7 Abs. 3: the purchase gave no notice of the right to object.
    NoObjectionNotice,
    /// Step 2: the contact is on the suppression list.
    Suppressed,
    /// The query names the address the consent verified.
    ToVerified,
    /// The query names another address.
    ToOther,
    /// The query names another address, and advertises another category ("tea").
    ToOtherOtherCategory,
    /// The consent's confirmation proved only the email address (a DOI by email).
    VerifiedEmailOnly,
    /// The contact is on the Robinson list.
    Robinson,
    /// An automated call (calling machine), with presumed consent documented.
    Automated,
}

fn history(row: &Row, v: Variant) -> Vec<Value> {
    let ch = row.channel.as_str();
    let mut events = Vec::new();
    if row.relationship == "existing_customer" {
        events.push(
            json!({"id": "P", "at": BOUGHT, "type": "purchase", "product_category": "coffee",
                           "email_collected": true, "phone_collected": true,
                           "objection_notice_given": v != Variant::NoObjectionNotice}),
        );
    }
    let verified = if v == Variant::VerifiedEmailOnly {
        json!(["email"])
    } else {
        json!(["email", "phone"])
    };
    let request = |at: &str| {
        json!({"id": "R", "at": at, "type": "consent_requested", "channels": [ch], "purposes": ["newsletter"],
               "method": "web_form_checkbox", "prechecked": false, "consent_text_id": "CT-NEWSLETTER-v3",
               "identifier": identifier(ch)})
    };
    let confirm = |at: &str| {
        json!({"id": "C", "at": at, "type": "consent_confirmed", "channels": [ch], "purposes": ["newsletter"],
               "verified": verified, "identifier": identifier(ch)})
    };
    match row.state.as_str() {
        "no_record" => {}
        "consent_pending_doi" => events.push(request(REQUESTED)),
        "consent_confirmed" => events.extend([request(REQUESTED), confirm(CONFIRMED)]),
        "consent_revoked" => events.extend([
            request(REQUESTED),
            confirm(CONFIRMED),
            json!({"id": "REV", "at": LATER, "type": "consent_revoked", "channels": [ch], "purposes": ["newsletter"], "via": "email"}),
        ]),
        "objection_opt_out" => {
            events.push(json!({"id": "O", "at": LATER, "type": "objection", "scope": "all", "via": "letter"}))
        }
        "consent_stale_unused" => {
            events.extend([request(STALE_REQUESTED), confirm(STALE_CONFIRMED)])
        }
        other => panic!("{}: unknown state {other}", row.key()),
    }
    if matches!(v, Variant::WithPresumedConsent | Variant::Automated) {
        events.push(json!({"id": "PC", "at": "2025-01-02T11:00:00+01:00", "type": "presumed_consent_documented",
                           "circumstances": "asked for a quote at the trade fair", "by": "sales-7"}));
    }
    if v == Variant::Robinson {
        events.push(json!({"id": "RB", "at": LATER, "type": "robinson_list_match", "list": "DDV"}));
    }
    events
}

fn decide_row(row: &Row, v: Variant) -> Decision {
    let events: Vec<Event> = history(row, v)
        .into_iter()
        .map(|e| {
            let mut obj = e.as_object().unwrap().clone();
            obj.insert("kind".into(), json!("event"));
            obj.insert("contact".into(), json!("K-1"));
            Event::from_object(obj).unwrap()
        })
        .collect();
    let party = match row.party.as_str() {
        "B2C" => "consumer",
        "B2B" => "business",
        other => panic!("{}: unknown party {other}", row.key()),
    };
    let contact = json!({"id": "K-1", "party": party, "relationship": "prospect", "name": "Erika Mustermann",
                         "emails": ["erika@example.de"], "phones": ["+49 171 1234567"]});
    let contact = Contact::from_object(contact.as_object().unwrap().clone()).unwrap();
    let mut q = Query::new(
        row.channel.parse().unwrap(),
        Purpose::parse("newsletter").unwrap(),
        parse_instant(T, "at").unwrap(),
    );
    q.category = match v {
        Variant::OtherCategory | Variant::ToOtherOtherCategory => Some("tea".into()),
        Variant::NoCategory => None,
        _ => Some("coffee".into()),
    };
    q.to = match v {
        Variant::ToVerified => Some(identifier(&row.channel).into()),
        Variant::ToOther | Variant::ToOtherOtherCategory => Some(
            match row.channel.as_str() {
                "email" => "erika.m@example.de",
                "sms" | "phone" => "030 1234567",
                _ => "Hauptstr. 5, 80331 München, DE",
            }
            .into(),
        ),
        _ => None,
    };
    q.automated = v == Variant::Automated;
    decide(
        &contact,
        &events,
        &q,
        &Policy::default(),
        v == Variant::Suppressed,
    )
}

/// The events the decision must name, per reason, in this fixture.
fn expected_ids(reason: ReasonCode) -> Vec<&'static str> {
    use ReasonCode::*;
    match reason {
        AllowConsent | DenyConsentStale | DenyAddressNotVerified | DenyPhoneConsentUnverified => {
            vec!["R", "C"]
        }
        DenyDoiPending => vec!["R"],
        DenyConsentRevoked => vec!["REV"],
        DenyObjection => vec!["O"],
        DenyRobinsonList => vec!["RB"],
        AllowExistingCustomer73 | Deny73ConditionsNotMet => vec!["P"],
        AllowPresumedConsentB2b => vec!["PC"],
        _ => vec![],
    }
}

/// The ids of the consent events of a state (what an automated-call denial shows).
fn state_ids(state: &str) -> Vec<&'static str> {
    match state {
        "consent_pending_doi" => vec!["R"],
        "consent_confirmed" | "consent_stale_unused" => vec!["R", "C"],
        "consent_revoked" => vec!["REV"],
        _ => vec![],
    }
}

/// The matrix citation of the email rows with `reason` (they must agree).
fn email_basis(reason: &str, all: &[Row]) -> String {
    let bases: BTreeSet<&str> = all
        .iter()
        .filter(|r| r.channel == "email" && r.reason == reason)
        .map(|r| r.legal_basis.as_str())
        .collect();
    assert_eq!(bases.len(), 1, "email rows with {reason} cite {bases:?}");
    bases.into_iter().next().unwrap_or_default().to_owned()
}

/// The matrix writes some citations as "as email[; more]": the citation of the email rows
/// with the same reason code, followed by the rest.
fn resolved_basis(row: &Row, all: &[Row]) -> String {
    match row.legal_basis.strip_prefix("as email") {
        Some(rest) => format!("{}{rest}", email_basis(&row.reason, all)),
        None => row.legal_basis.clone(),
    }
}

struct Check<'a> {
    row: &'a Row,
    variant: Variant,
    reason: ReasonCode,
    ids: Vec<&'static str>,
    /// The row's legal-basis column applies (the expectation is the row's own code).
    basis: Option<String>,
    why: &'static str,
}

fn verify(c: &Check<'_>) -> Result<(), String> {
    let d = decide_row(c.row, c.variant);
    let verdict = if c.reason.is_allowed() {
        "allowed"
    } else {
        "denied"
    };
    let ids: Vec<&str> = d.event_ids.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    if d.reason != c.reason || d.verdict.as_str() != verdict {
        problems.push(format!(
            "expected {verdict} {}, got {} {}",
            c.reason,
            d.verdict.as_str(),
            d.reason
        ));
    }
    if ids != c.ids {
        problems.push(format!("expected event ids {:?}, got {ids:?}", c.ids));
    }
    if let Some(basis) = &c.basis {
        if d.legal_basis != basis {
            problems.push(format!(
                "legal basis\n      matrix: {basis}\n      engine: {}",
                d.legal_basis
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} [{:?}{}{}]: {}",
            c.row.key(),
            c.variant,
            if c.why.is_empty() { "" } else { "; " },
            c.why,
            problems.join("; ")
        ))
    }
}

/// The checks one row implies.
fn checks<'a>(row: &'a Row, all: &[Row]) -> Vec<Check<'a>> {
    let code = |s: &str| -> ReasonCode { s.parse().unwrap() };
    let basis = Some(resolved_basis(row, all));
    let mut out = Vec::new();
    let mut push = |variant, reason: ReasonCode, basis: Option<String>, why: &'static str| {
        let ids = expected_ids(reason);
        out.push(Check {
            row,
            variant,
            reason,
            ids,
            basis,
            why,
        });
    };
    let stale = row.state == "consent_stale_unused";
    match row.reason.split_once(" else ") {
        None => {
            let reason = code(&row.reason);
            // The decision column agrees with the code.
            let allowed = row.decision.starts_with("allowed");
            assert_eq!(
                allowed,
                reason.is_allowed(),
                "{}: decision column",
                row.key()
            );
            push(Variant::AsIs, reason, basis.clone(), "");
        }
        Some((x, y)) => {
            let (x, y) = (code(x), code(y));
            assert!(row.decision.starts_with("allowed_if_"), "{}", row.key());
            // "Y" per the matrix; for a stale consent the decision order gives the
            // candidate reason of step 5 instead ("... else DENY_… (or the candidate)"),
            // cited as the matrix cites staleness on email (only B2B phone and email rows
            // have an else-branch, so § 7a UWG, which is about consumers, is not cited).
            let (otherwise, otherwise_basis, why) = if stale {
                (
                    ReasonCode::DenyConsentStale,
                    Some(email_basis("DENY_CONSENT_STALE", all)),
                    "decision order: the step-5 candidate DENY_CONSENT_STALE wins over the matrix's else-branch",
                )
            } else {
                (y, basis.clone(), "")
            };
            match x {
                ReasonCode::AllowPresumedConsentB2b => {
                    push(
                        Variant::WithPresumedConsent,
                        x,
                        basis.clone(),
                        "presumed consent documented",
                    );
                    push(Variant::AsIs, otherwise, otherwise_basis, why);
                }
                ReasonCode::AllowExistingCustomer73 => {
                    push(
                        Variant::AsIs,
                        x,
                        basis.clone(),
                        "all four § 7(3) conditions met",
                    );
                    for v in [
                        Variant::OtherCategory,
                        Variant::NoCategory,
                        Variant::NoObjectionNotice,
                    ] {
                        push(v, otherwise, otherwise_basis.clone(), why);
                    }
                }
                other => panic!("{}: no enabling fact known for {other}", row.key()),
            }
        }
    }
    // Step 2 comes first of all, in every cell.
    push(
        Variant::Suppressed,
        ReasonCode::DenySuppressionList,
        None,
        "",
    );
    // "consent covers channel + purpose + this address".
    if row.condition.contains("this address") {
        push(
            Variant::ToVerified,
            ReasonCode::AllowConsent,
            None,
            "to = the verified address",
        );
        if row.relationship == "existing_customer" && row.channel == "email" {
            // Decision order: DENY_ADDRESS_NOT_VERIFIED is only the step-5 candidate; § 7
            // Abs. 3 (met here) still carries in step 6. LEGAL.md's § 7(3) route does not
            // look at `to` (a purchase does not record which address was collected).
            push(
                Variant::ToOther,
                ReasonCode::AllowExistingCustomer73,
                None,
                "to = another address, § 7(3) met",
            );
            push(
                Variant::ToOtherOtherCategory,
                ReasonCode::DenyAddressNotVerified,
                None,
                "to = another address, § 7(3) not met: the candidate",
            );
        } else {
            push(
                Variant::ToOther,
                ReasonCode::DenyAddressNotVerified,
                None,
                "to = another address",
            );
        }
    }
    // "number verified": a DOI by email does not verify a consumer's phone number.
    if row.condition.contains("number verified") {
        push(
            Variant::VerifiedEmailOnly,
            ReasonCode::DenyPhoneConsentUnverified,
            None,
            "DOI by email only",
        );
    }
    // "no objection, no Robinson/suppression match".
    if row.condition.contains("no Robinson") {
        push(
            Variant::Robinson,
            ReasonCode::DenyRobinsonList,
            None,
            "Robinson list match",
        );
    }
    // "live agent only": an automated call needs express consent.
    if row.condition.contains("live agent only") {
        if row.state == "consent_confirmed" {
            // "automated calls need express consent too": a confirmed consent is one.
            push(
                Variant::Automated,
                ReasonCode::AllowConsent,
                None,
                "express consent covers automated calls",
            );
        } else {
            let ids = state_ids(&row.state);
            out.push(Check {
                row,
                variant: Variant::Automated,
                reason: ReasonCode::DenyAutomatedCallNoExpressConsent,
                ids,
                basis: None,
                why: "presumed consent is for live agents only",
            });
        }
    }
    out
}

#[test]
fn every_matrix_row_is_decided_as_the_matrix_and_the_decision_order_say() {
    let all = rows();
    let mut failures = Vec::new();
    let mut count = 0;
    for row in &all {
        for check in checks(row, &all) {
            count += 1;
            if let Err(e) = verify(&check) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} matrix checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
