//! Table tests for the decision engine: LEGAL.md's "Decision order", one case per rule,
//! both sides of every boundary. Each case is a small ledger (JSON lines as in DESIGN.md,
//! "Ledger format"), a query, and the expected verdict, reason code and event ids.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use serde_json::{json, Value};

use super::channel::Purpose;
use super::contact::Contact;
use super::decision::{decide, Decision, Query};
use super::event::{parse_instant, Event};
use super::policy::Policy;
use super::reason::ReasonCode;

// ---------------------------------------------------------------------------------------
// Fixtures: instants, identifiers, ledger lines.
// ---------------------------------------------------------------------------------------

/// The purchase that makes Erika an existing customer.
const BOUGHT: &str = "2024-11-05T14:30:00+01:00";
/// Consent requested / confirmed.
const D0: &str = "2025-01-10T09:00:00+01:00";
const D1: &str = "2025-01-10T09:05:00+01:00";
/// Later events (objection, revocation, ...).
const D2: &str = "2025-02-01T12:00:00+01:00";
/// Still later (withdrawal of an objection, a new consent, ...).
const D3: &str = "2025-03-01T12:00:00+01:00";
const D4: &str = "2025-03-05T12:00:00+01:00";
/// The default query instant.
const T: &str = "2025-03-12T10:00:00+01:00";

const EMAIL: &str = "erika@example.de";
const PHONE: &str = "+49 171 1234567";
const POSTAL: &str = "Musterstr. 1, 10115 Berlin, DE";

fn ident(channel: &str) -> &'static str {
    match channel {
        "email" => EMAIL,
        "sms" | "phone" => PHONE,
        _ => POSTAL,
    }
}

/// What a confirmation of a consent for `channel` proves: the DOI click proves an email
/// address, an SMS code a phone number.
fn proof(channel: &str) -> &'static str {
    match channel {
        "sms" | "phone" => "phone",
        _ => "email",
    }
}

fn requested(id: &str, at: &str, channel: &str, purpose: &str) -> Value {
    json!({"id": id, "at": at, "type": "consent_requested", "channels": [channel], "purposes": [purpose],
           "method": "web_form_checkbox", "prechecked": false, "consent_text_id": "CT-NEWSLETTER-v3",
           "identifier": ident(channel), "ip": "203.0.113.10"})
}

fn confirmed(id: &str, at: &str, channel: &str, purpose: &str, verified: &[&str]) -> Value {
    json!({"id": id, "at": at, "type": "consent_confirmed", "channels": [channel], "purposes": [purpose],
           "verified": verified, "identifier": ident(channel), "ip": "203.0.113.11"})
}

fn given(id: &str, at: &str, channel: &str, purpose: &str) -> Value {
    json!({"id": id, "at": at, "type": "consent_given", "channels": [channel], "purposes": [purpose],
           "method": "paper_form", "prechecked": false, "consent_text_id": "CT-PAPER-v1",
           "evidence_ref": "scan-0815.pdf", "identifier": ident(channel)})
}

fn revoked(id: &str, at: &str, channel: &str, purpose: &str) -> Value {
    json!({"id": id, "at": at, "type": "consent_revoked", "channels": [channel], "purposes": [purpose], "via": "email"})
}

fn objection(id: &str, at: &str) -> Value {
    json!({"id": id, "at": at, "type": "objection", "scope": "all", "via": "letter"})
}

fn objection_on(id: &str, at: &str, channels: &[&str]) -> Value {
    json!({"id": id, "at": at, "type": "objection", "scope": "channels", "channels": channels, "via": "phone"})
}

fn withdrawn(id: &str, at: &str) -> Value {
    json!({"id": id, "at": at, "type": "objection_withdrawn", "via": "letter"})
}

/// A purchase meeting § 7 Abs. 3 Nr. 1 and 4: address collected with the sale, notice given.
fn purchase(id: &str, at: &str, category: &str) -> Value {
    json!({"id": id, "at": at, "type": "purchase", "product_category": category, "email_collected": true,
           "phone_collected": false, "objection_notice_given": true, "order_ref": "A-4711"})
}

fn sent(id: &str, at: &str, channel: &str, purpose: &str) -> Value {
    json!({"id": id, "at": at, "type": "marketing_sent", "channel": channel, "purpose": purpose,
           "objection_notice_included": true})
}

fn presumed(id: &str, at: &str) -> Value {
    json!({"id": id, "at": at, "type": "presumed_consent_documented",
           "circumstances": "asked for a quote at the trade fair, card on file", "by": "sales-7"})
}

fn robinson(id: &str, at: &str) -> Value {
    json!({"id": id, "at": at, "type": "robinson_list_match", "list": "DDV Robinsonliste"})
}

/// A documented double opt-in: request R1 at D0, confirmation C1 at D1 proving the identifier.
fn doi(channel: &str, purpose: &str) -> Vec<Value> {
    vec![
        requested("R1", D0, channel, purpose),
        confirmed("C1", D1, channel, purpose, &[proof(channel)]),
    ]
}

/// The same ledger line with fields set (`null` removes a field).
fn with(mut v: Value, fields: Value) -> Value {
    for (k, x) in fields.as_object().unwrap() {
        if x.is_null() {
            v.as_object_mut().unwrap().remove(k);
        } else {
            v[k] = x.clone();
        }
    }
    v
}

fn cat(parts: Vec<Vec<Value>>) -> Vec<Value> {
    parts.into_iter().flatten().collect()
}

/// Reads a ledger event line as the importer does (`kind` and `contact` filled in).
fn event(v: &Value) -> Event {
    let mut obj = v.as_object().unwrap().clone();
    obj.insert("kind".into(), json!("event"));
    obj.entry("contact").or_insert(json!("K-1"));
    Event::from_object(obj).unwrap_or_else(|e| panic!("bad test event {v}: {e}"))
}

fn contact(party: &str, relationship: &str) -> Contact {
    let v = json!({"kind": "contact", "id": "K-1", "party": party, "relationship": relationship,
                   "name": "Erika Mustermann", "emails": [EMAIL], "phones": [PHONE],
                   "address": {"street": "Musterstr. 1", "postcode": "10115", "city": "Berlin", "country": "DE"}});
    Contact::from_object(v.as_object().unwrap().clone()).unwrap()
}

fn at(s: &str) -> DateTime<FixedOffset> {
    parse_instant(s, "at").unwrap()
}

fn policy_with(key: &str, value: &str) -> Policy {
    let mut p = Policy::default();
    p.set(key, value).unwrap();
    p
}

// ---------------------------------------------------------------------------------------
// Cases.
// ---------------------------------------------------------------------------------------

struct Case {
    name: String,
    party: &'static str,
    relationship: &'static str,
    events: Vec<Value>,
    channel: &'static str,
    purpose: &'static str,
    at: &'static str,
    category: Option<&'static str>,
    to: Option<&'static str>,
    automated: bool,
    policy: Policy,
    suppressed: bool,
    verdict: &'static str,
    reason: &'static str,
    ids: Vec<&'static str>,
}

/// A consumer prospect asked about email/newsletter at `T`, with no events.
fn case(name: impl Into<String>) -> Case {
    Case {
        name: name.into(),
        party: "consumer",
        relationship: "prospect",
        events: Vec::new(),
        channel: "email",
        purpose: "newsletter",
        at: T,
        category: None,
        to: None,
        automated: false,
        policy: Policy::default(),
        suppressed: false,
        verdict: "",
        reason: "",
        ids: Vec::new(),
    }
}

impl Case {
    fn business(mut self) -> Self {
        self.party = "business";
        self
    }
    fn imported_as(mut self, relationship: &'static str) -> Self {
        self.relationship = relationship;
        self
    }
    fn events(mut self, events: Vec<Value>) -> Self {
        self.events = events;
        self
    }
    fn ask(mut self, channel: &'static str, purpose: &'static str) -> Self {
        self.channel = channel;
        self.purpose = purpose;
        self
    }
    fn at(mut self, at: &'static str) -> Self {
        self.at = at;
        self
    }
    fn category(mut self, category: &'static str) -> Self {
        self.category = Some(category);
        self
    }
    fn to(mut self, to: &'static str) -> Self {
        self.to = Some(to);
        self
    }
    fn automated(mut self) -> Self {
        self.automated = true;
        self
    }
    fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }
    fn suppressed(mut self) -> Self {
        self.suppressed = true;
        self
    }
    /// The expected answer: verdict (`allowed`/`denied`), reason code, and the ids of the
    /// events the decision rests on, in order.
    fn expect(mut self, verdict: &'static str, reason: &'static str, ids: &[&'static str]) -> Self {
        self.verdict = verdict;
        self.reason = reason;
        self.ids = ids.to_vec();
        self
    }

    fn decide(&self) -> Decision {
        let events: Vec<Event> = self.events.iter().map(event).collect();
        let mut q = Query::new(
            self.channel.parse().unwrap(),
            Purpose::parse(self.purpose).unwrap(),
            at(self.at),
        );
        q.category = self.category.map(str::to_owned);
        q.to = self.to.map(str::to_owned);
        q.automated = self.automated;
        decide(
            &contact(self.party, self.relationship),
            &events,
            &q,
            &self.policy,
            self.suppressed,
        )
    }

    fn check(&self) -> Result<(), String> {
        let expected: ReasonCode = self
            .reason
            .parse()
            .map_err(|e| format!("{}: {e}", self.name))?;
        let d = self.decide();
        let ids: Vec<&str> = d.event_ids.iter().map(String::as_str).collect();
        if d.verdict.as_str() == self.verdict && d.reason == expected && ids == self.ids {
            Ok(())
        } else {
            Err(format!(
                "{}:\n    expected {} {} {:?}\n    got      {} {} {:?}",
                self.name,
                self.verdict,
                self.reason,
                self.ids,
                d.verdict.as_str(),
                d.reason,
                ids
            ))
        }
    }
}

fn run(cases: &[Case]) {
    let failures: Vec<String> = cases.iter().filter_map(|c| c.check().err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Step 2: suppression comes first of all.
fn suppression_cases() -> Vec<Case> {
    vec![
        case("control: documented DOI, not suppressed")
            .events(doi("email", "newsletter"))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("suppressed beats a valid consent")
            .events(doi("email", "newsletter"))
            .suppressed()
            .expect("denied", "DENY_SUPPRESSION_LIST", &[]),
        case("suppressed beats an objection (step 2 before step 3)")
            .events(vec![objection("O1", D2)])
            .ask("letter", "product_offers_own")
            .suppressed()
            .expect("denied", "DENY_SUPPRESSION_LIST", &[]),
        case("suppressed beats a letter's legitimate interest")
            .ask("letter", "product_offers_own")
            .suppressed()
            .expect("denied", "DENY_SUPPRESSION_LIST", &[]),
        case("suppressed beats pseudonymised analysis")
            .ask("none", "analytics_pseudonymised")
            .suppressed()
            .expect("denied", "DENY_SUPPRESSION_LIST", &[]),
        case("suppressed beats B2B presumed consent")
            .business()
            .events(vec![presumed("PC1", D0)])
            .ask("phone", "product_offers_own")
            .suppressed()
            .expect("denied", "DENY_SUPPRESSION_LIST", &[]),
    ]
}

/// Step 3: objections.
fn objection_cases() -> Vec<Case> {
    let consent_then_objection =
        || cat(vec![doi("email", "newsletter"), vec![objection("O1", D2)]]);
    let mut cases = vec![
        case("objection (scope all) beats an earlier valid consent")
            .events(consent_then_objection())
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("objection all blocks profiling for direct marketing (channel none)")
            .events(vec![objection("O1", D2)])
            .ask("none", "profiling_direct_marketing")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("objection all leaves pseudonymised analysis (channel none) allowed")
            .events(vec![objection("O1", D2)])
            .ask("none", "analytics_pseudonymised")
            .expect("allowed", "ALLOW_PSEUDONYMISED_ANALYSIS", &[]),
        // Control: without an objection there is no basis for profiling in the rules; the
        // denial must not be DENY_OBJECTION.
        case("no objection: profiling (channel none) has no basis")
            .ask("none", "profiling_direct_marketing")
            .expect("denied", "DENY_NO_CONSENT", &[]),
        case("objection all for a B2B beats presumed consent")
            .business()
            .events(vec![presumed("PC1", D0), objection("O1", D2)])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        // Scope `channels`: only the listed channels.
        case("objection on [phone, sms] blocks phone")
            .business()
            .events(vec![
                presumed("PC1", D0),
                objection_on("O1", D2, &["phone", "sms"]),
            ])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("objection on [phone, sms] blocks sms")
            .events(cat(vec![
                doi("sms", "newsletter"),
                vec![objection_on("O1", D2, &["phone", "sms"])],
            ]))
            .ask("sms", "newsletter")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("objection on [phone, sms] leaves email consent usable")
            .events(cat(vec![
                doi("email", "newsletter"),
                vec![objection_on("O1", D2, &["phone", "sms"])],
            ]))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("objection on [phone, sms] leaves letters allowed")
            .events(vec![objection_on("O1", D2, &["phone", "sms"])])
            .ask("letter", "product_offers_own")
            .expect("allowed", "ALLOW_LETTER_LEGITIMATE_INTEREST", &[]),
        case("objection on [phone, sms] does not block profiling (channel none)")
            .events(vec![objection_on("O1", D2, &["phone", "sms"])])
            .ask("none", "profiling_direct_marketing")
            .expect("denied", "DENY_NO_CONSENT", &[]),
        // Lifting.
        case("objection_withdrawn lifts: the earlier consent is usable again")
            .events(cat(vec![
                consent_then_objection(),
                vec![withdrawn("W1", D3)],
            ]))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("objection_withdrawn lifts for letters too")
            .events(vec![objection("O1", D2), withdrawn("W1", D3)])
            .ask("letter", "product_offers_own")
            .expect("allowed", "ALLOW_LETTER_LEGITIMATE_INTEREST", &[]),
        case("a new objection after a withdrawal blocks again")
            .events(cat(vec![
                consent_then_objection(),
                vec![withdrawn("W1", D3), objection("O2", D4)],
            ]))
            .expect("denied", "DENY_OBJECTION", &["O2"]),
        case("later valid consent_given for email/newsletter lifts it for email/newsletter")
            .events(vec![
                objection("O1", D2),
                given("G2", D3, "email", "newsletter"),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["G2"]),
        case("later consent for email/newsletter does not lift email/partner_offers")
            .events(vec![
                objection("O1", D2),
                given("G2", D3, "email", "newsletter"),
                given("G3", D0, "email", "partner_offers"),
            ])
            .ask("email", "partner_offers")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("later consent for email/newsletter does not lift sms/newsletter")
            .events(cat(vec![
                doi("sms", "newsletter"),
                vec![objection("O1", D2), given("G2", D3, "email", "newsletter")],
            ]))
            .ask("sms", "newsletter")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("later consent for email/newsletter does not lift letters")
            .events(vec![
                objection("O1", D2),
                given("G2", D3, "email", "newsletter"),
            ])
            .ask("letter", "newsletter")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("later request + confirmation (DOI) for email/newsletter lifts it")
            .events(vec![
                objection("O1", D2),
                requested("R2", D3, "email", "newsletter"),
                confirmed("C2", D4, "email", "newsletter", &["email"]),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["R2", "C2"]),
        case("a later request alone (not yet confirmed) does not lift")
            .events(vec![
                objection("O1", D2),
                requested("R2", D3, "email", "newsletter"),
            ])
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("a later pre-ticked consent_given does not lift")
            .events(vec![
                objection("O1", D2),
                with(
                    given("G2", D3, "email", "newsletter"),
                    json!({"prechecked": true}),
                ),
            ])
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("a later confirmation of a pre-ticked request does not lift")
            .events(vec![
                objection("O1", D2),
                with(
                    requested("R2", D3, "email", "newsletter"),
                    json!({"prechecked": true}),
                ),
                confirmed("C2", D4, "email", "newsletter", &["email"]),
            ])
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("a later consent for another channel does not lift a channel-scoped objection")
            .events(vec![
                objection_on("O1", D2, &["email"]),
                given("G2", D3, "sms", "newsletter"),
            ])
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("a later purchase does NOT lift an objection (7(3) otherwise met)")
            .events(vec![
                purchase("P1", BOUGHT, "coffee"),
                objection("O1", D2),
                purchase("P2", D3, "coffee"),
            ])
            .category("coffee")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        // Reading of "covers exactly this channel and purpose": `covers` as defined in
        // LEGAL.md (the lists contain the channel/purpose or `*`); a consent for email and
        // every purpose covers email/newsletter and so lifts the objection for it.
        case("a later consent for email and purpose * lifts email/newsletter")
            .events(vec![
                objection("O1", D2),
                with(
                    given("G2", D3, "email", "newsletter"),
                    json!({"purposes": ["*"]}),
                ),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["G2"]),
    ];
    for ch in ["email", "sms", "phone", "letter"] {
        cases.push(
            case(format!("objection all blocks {ch}"))
                .events(cat(vec![
                    doi(ch, "product_offers_own"),
                    vec![objection("O1", D2)],
                ]))
                .ask(ch, "product_offers_own")
                .expect("denied", "DENY_OBJECTION", &["O1"]),
        );
    }
    cases
}

/// Step 4: the Robinson list only affects letters.
fn robinson_cases() -> Vec<Case> {
    vec![
        case("Robinson match blocks a letter")
            .events(vec![robinson("RB1", D0)])
            .ask("letter", "product_offers_own")
            .expect("denied", "DENY_ROBINSON_LIST", &["RB1"]),
        case("Robinson match beats an active letter consent (step 4 before step 5)")
            .events(vec![
                given("G1", D0, "letter", "product_offers_own"),
                robinson("RB1", D2),
            ])
            .ask("letter", "product_offers_own")
            .expect("denied", "DENY_ROBINSON_LIST", &["RB1"]),
        case("Robinson match does not affect email")
            .events(cat(vec![
                doi("email", "newsletter"),
                vec![robinson("RB1", D2)],
            ]))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("Robinson match does not affect B2B phone")
            .business()
            .events(vec![presumed("PC1", D0), robinson("RB1", D2)])
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_PRESUMED_CONSENT_B2B", &["PC1"]),
        case("objection comes before the Robinson list")
            .events(vec![robinson("RB1", D0), objection("O1", D2)])
            .ask("letter", "product_offers_own")
            .expect("denied", "DENY_OBJECTION", &["O1"]),
        case("Robinson match after the query instant does not count")
            .events(vec![robinson("RB1", "2025-03-12T10:00:01+01:00")])
            .ask("letter", "product_offers_own")
            .expect("allowed", "ALLOW_LETTER_LEGITIMATE_INTEREST", &[]),
    ]
}

/// Step 5: when an active consent is unusable, and which reason comes first.
fn unusable_consent_cases() -> Vec<Case> {
    let phone_doi_by_email = || {
        vec![
            requested("R1", D0, "phone", "product_offers_own"),
            confirmed("C1", D1, "phone", "product_offers_own", &["email"]),
        ]
    };
    let stale_doi = || {
        vec![
            requested("R1", "2023-01-10T09:00:00+01:00", "email", "newsletter"),
            confirmed(
                "C1",
                "2023-01-10T09:05:00+01:00",
                "email",
                "newsletter",
                &["email"],
            ),
        ]
    };
    vec![
        // Pre-ticked.
        case("pre-ticked request, then confirmed: invalid")
            .events(vec![
                with(requested("R1", D0, "email", "newsletter"), json!({"prechecked": true})),
                confirmed("C1", D1, "email", "newsletter", &["email"]),
            ])
            .expect("denied", "DENY_CONSENT_INVALID", &["R1", "C1"]),
        case("pre-ticked consent_given: invalid")
            .events(vec![with(given("G1", D0, "email", "newsletter"), json!({"prechecked": true}))])
            .expect("denied", "DENY_CONSENT_INVALID", &["G1"]),
        // Undocumented.
        case("consent_given without consent_text_id: undocumented")
            .events(vec![with(given("G1", D0, "email", "newsletter"), json!({"consent_text_id": null}))])
            .expect("denied", "DENY_CONSENT_UNDOCUMENTED", &["G1"]),
        case("request without consent_text_id, then confirmed: undocumented")
            .events(vec![
                with(requested("R1", D0, "email", "newsletter"), json!({"consent_text_id": null})),
                confirmed("C1", D1, "email", "newsletter", &["email"]),
            ])
            .expect("denied", "DENY_CONSENT_UNDOCUMENTED", &["R1", "C1"]),
        case("consent_given with an empty consent_text_id: undocumented")
            .events(vec![with(given("G1", D0, "email", "newsletter"), json!({"consent_text_id": " "}))])
            .expect("denied", "DENY_CONSENT_UNDOCUMENTED", &["G1"]),
        case("method legacy_import (even with a text id): undocumented")
            .events(vec![with(given("G1", D0, "email", "newsletter"), json!({"method": "legacy_import"}))])
            .expect("denied", "DENY_CONSENT_UNDOCUMENTED", &["G1"]),
        // Consumer phone consent and phone verification.
        case("consumer phone consent confirmed by email DOI only: unverified")
            .events(phone_doi_by_email())
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_PHONE_CONSENT_UNVERIFIED", &["R1", "C1"]),
        case("consumer phone consent confirmed by SMS code (verified phone): allowed")
            .events(vec![
                requested("R1", D0, "phone", "product_offers_own"),
                confirmed("C1", D1, "phone", "product_offers_own", &["phone"]),
            ])
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("consumer phone consent in a recorded call with verified [phone]: allowed")
            .events(vec![with(
                given("G1", D0, "phone", "product_offers_own"),
                json!({"method": "recorded_call", "verified": ["phone"], "evidence_ref": "call-2025-01-10.ogg"}),
            )])
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_CONSENT", &["G1"]),
        case("consumer phone consent on a paper form, number never verified: unverified")
            .events(vec![given("G1", D0, "phone", "product_offers_own")])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_PHONE_CONSENT_UNVERIFIED", &["G1"]),
        case("business phone consent confirmed by email DOI: allowed (verification rule is for consumers)")
            .business()
            .events(phone_doi_by_email())
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("consumer SMS consent confirmed by email DOI: allowed (phone rule is for channel phone)")
            .events(vec![
                requested("R1", D0, "sms", "newsletter"),
                confirmed("C1", D1, "sms", "newsletter", &["email"]),
            ])
            .ask("sms", "newsletter")
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        // The address the consent verified.
        case("email to the verified address: allowed")
            .events(doi("email", "newsletter"))
            .to(EMAIL)
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("email to the verified address in other case and spacing: allowed")
            .events(doi("email", "newsletter"))
            .to(" Erika@Example.DE ")
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("email to another address: not verified")
            .events(doi("email", "newsletter"))
            .to("erika.m@example.de")
            .expect("denied", "DENY_ADDRESS_NOT_VERIFIED", &["R1", "C1"]),
        case("SMS to the verified number in national notation: allowed")
            .events(doi("sms", "newsletter"))
            .ask("sms", "newsletter")
            .to("0171 1234567")
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("SMS to another number: not verified")
            .events(doi("sms", "newsletter"))
            .ask("sms", "newsletter")
            .to("0171 7654321")
            .expect("denied", "DENY_ADDRESS_NOT_VERIFIED", &["R1", "C1"]),
        case("call to the verified number written 0049-171-1234567: allowed")
            .events(doi("phone", "product_offers_own"))
            .ask("phone", "product_offers_own")
            .to("0049-171-1234567")
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("call to the verified number written +49 (0)171 1234567: allowed")
            .events(doi("phone", "product_offers_own"))
            .ask("phone", "product_offers_own")
            .to("+49 (0)171 1234567")
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("call to another number: not verified")
            .events(doi("phone", "product_offers_own"))
            .ask("phone", "product_offers_own")
            .to("030 1234567")
            .expect("denied", "DENY_ADDRESS_NOT_VERIFIED", &["R1", "C1"]),
        // Staleness (the exact boundary is in boundary_cases).
        case("consent granted 26 months ago, never used: stale")
            .events(stale_doi())
            .expect("denied", "DENY_CONSENT_STALE", &["R1", "C1"]),
        case("marketing_sent 14 months ago on the same channel and purpose refreshes it")
            .events(cat(vec![stale_doi(), vec![sent("M1", "2024-01-10T10:00:00+01:00", "email", "newsletter")]]))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1", "M1"]),
        case("marketing_sent for another purpose is not a use of this consent")
            .events(cat(vec![stale_doi(), vec![sent("M1", "2024-01-10T10:00:00+01:00", "email", "partner_offers")]]))
            .expect("denied", "DENY_CONSENT_STALE", &["R1", "C1"]),
        case("marketing_sent on another channel is not a use of this consent")
            .events(cat(vec![stale_doi(), vec![sent("M1", "2024-01-10T10:00:00+01:00", "sms", "newsletter")]]))
            .expect("denied", "DENY_CONSENT_STALE", &["R1", "C1"]),
        case("policy stale months 0 = never stale")
            .events(vec![
                requested("R1", "2015-06-01T09:00:00+02:00", "email", "newsletter"),
                confirmed("C1", "2015-06-01T09:05:00+02:00", "email", "newsletter", &["email"]),
            ])
            .policy(policy_with("consent_stale_after_months", "0"))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("policy stale months 6: granted 2 months ago is usable")
            .events(doi("email", "newsletter"))
            .policy(policy_with("consent_stale_after_months", "6"))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("policy stale months 1: granted 2 months ago is stale")
            .events(doi("email", "newsletter"))
            .policy(policy_with("consent_stale_after_months", "1"))
            .expect("denied", "DENY_CONSENT_STALE", &["R1", "C1"]),
        // "Remember the first that applies": the order of the five conditions.
        case("pre-ticked AND undocumented: invalid comes first")
            .events(vec![with(
                given("G1", D0, "email", "newsletter"),
                json!({"prechecked": true, "consent_text_id": null}),
            )])
            .expect("denied", "DENY_CONSENT_INVALID", &["G1"]),
        case("undocumented AND phone unverified: undocumented comes first")
            .events(vec![with(given("G1", D0, "phone", "product_offers_own"), json!({"method": "legacy_import"}))])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_CONSENT_UNDOCUMENTED", &["G1"]),
        case("phone unverified AND other number: unverified comes first")
            .events(phone_doi_by_email())
            .ask("phone", "product_offers_own")
            .to("030 1234567")
            .expect("denied", "DENY_PHONE_CONSENT_UNVERIFIED", &["R1", "C1"]),
        case("other address AND stale: address comes first")
            .events(stale_doi())
            .to("erika.m@example.de")
            .expect("denied", "DENY_ADDRESS_NOT_VERIFIED", &["R1", "C1"]),
    ]
}

/// The candidate reason from step 5 against the permissions of step 6.
fn candidate_cases() -> Vec<Case> {
    let stale_doi = |ch: &str, purpose: &str| {
        vec![
            requested("R1", "2023-01-10T09:00:00+01:00", ch, purpose),
            confirmed("C1", "2023-01-10T09:05:00+01:00", ch, purpose, &[proof(ch)]),
        ]
    };
    vec![
        case("stale consent of a customer who does not meet 7(3) (no notice): stale, not 7(3)")
            .events(cat(vec![
                stale_doi("email", "newsletter"),
                vec![with(purchase("P1", BOUGHT, "coffee"), json!({"objection_notice_given": false}))],
            ]))
            .category("coffee")
            .expect("denied", "DENY_CONSENT_STALE", &["R1", "C1"]),
        case("stale consent of a customer who meets 7(3): 7(3) carries")
            .events(cat(vec![stale_doi("email", "newsletter"), vec![purchase("P1", BOUGHT, "coffee")]]))
            .category("coffee")
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        case("pre-ticked email consent and a free account: the candidate beats 7_3_NO_SALE")
            .events(vec![
                json!({"id": "A1", "at": D0, "type": "account_opened", "paid": false, "email_collected": true, "objection_notice_given": true}),
                with(given("G1", D1, "email", "newsletter"), json!({"prechecked": true})),
            ])
            .expect("denied", "DENY_CONSENT_INVALID", &["G1"]),
        case("B2B stale phone consent without presumed consent: the candidate")
            .business()
            .events(stale_doi("phone", "product_offers_own"))
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_CONSENT_STALE", &["R1", "C1"]),
        case("B2B stale phone consent with presumed consent: presumed consent carries")
            .business()
            .events(cat(vec![stale_doi("phone", "product_offers_own"), vec![presumed("PC1", D0)]]))
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_PRESUMED_CONSENT_B2B", &["PC1"]),
        // Step 6 gives DENY_AUTOMATED_CALL_NO_EXPRESS_CONSENT without "(or the candidate)".
        case("automated call with a stale consent: the automated-call denial, not the candidate")
            .events(stale_doi("phone", "product_offers_own"))
            .ask("phone", "product_offers_own")
            .automated()
            .expect("denied", "DENY_AUTOMATED_CALL_NO_EXPRESS_CONSENT", &["R1", "C1"]),
        // Step 6 for letters has no "(or the candidate)": an unusable letter consent leaves
        // the legitimate interest of Art. 6(1)(f) (only a revoked one blocks).
        case("letter with a pre-ticked letter consent: legitimate interest still carries")
            .events(vec![with(given("G1", D0, "letter", "product_offers_own"), json!({"prechecked": true}))])
            .ask("letter", "product_offers_own")
            .expect("allowed", "ALLOW_LETTER_LEGITIMATE_INTEREST", &[]),
        case("stale SMS consent: the candidate (step 7)")
            .events(stale_doi("sms", "newsletter"))
            .ask("sms", "newsletter")
            .expect("denied", "DENY_CONSENT_STALE", &["R1", "C1"]),
        case("consumer phone consent unverified: the candidate beats PHONE_CONSUMER_NO_EXPRESS_CONSENT")
            .events(vec![given("G1", D0, "phone", "product_offers_own")])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_PHONE_CONSENT_UNVERIFIED", &["G1"]),
        case("undocumented email consent plus an SMS consent: the candidate beats CHANNEL_NOT_COVERED")
            .events(vec![
                with(given("G1", D0, "email", "newsletter"), json!({"method": "legacy_import"})),
                given("G2", D0, "sms", "newsletter"),
            ])
            .expect("denied", "DENY_CONSENT_UNDOCUMENTED", &["G1"]),
    ]
}

/// Step 6, email: § 7 Abs. 3 UWG and the free account.
fn existing_customer_cases() -> Vec<Case> {
    let customer = |name: &str| case(name).category("coffee");
    vec![
        customer("7(3): all four conditions met")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        customer("7(3) for a business customer too")
            .business()
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        customer("7(3) purpose product_offers_own")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .ask("email", "product_offers_own")
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        customer("7(3) purpose survey_customer_satisfaction")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .ask("email", "survey_customer_satisfaction")
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        // Nr. 1 missing: the step-6 branch needs a purchase with email_collected; without
        // one it does not apply at all, so step 7 answers (no consent of any kind).
        customer("7(3) Nr. 1 missing: address not collected with the sale")
            .events(vec![with(purchase("P1", BOUGHT, "coffee"), json!({"email_collected": false}))])
            .expect("denied", "DENY_NO_CONSENT", &[]),
        customer("7(3) Nr. 4 missing: no objection notice")
            .events(vec![with(purchase("P1", BOUGHT, "coffee"), json!({"objection_notice_given": false}))])
            .expect("denied", "DENY_7_3_CONDITIONS_NOT_MET", &["P1"]),
        customer("7(3) notice only on a purchase without email collection: not met")
            .events(vec![
                with(purchase("P1", BOUGHT, "coffee"), json!({"objection_notice_given": false})),
                with(purchase("P2", D0, "coffee"), json!({"email_collected": false})),
            ])
            .expect("denied", "DENY_7_3_CONDITIONS_NOT_MET", &["P1"]),
        customer("7(3) Nr. 2 missing: purpose is not an own offer")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .ask("email", "partner_offers")
            .expect("denied", "DENY_7_3_CONDITIONS_NOT_MET", &["P1"]),
        customer("7(3) Nr. 2 missing: own-offer list set by policy without product_offers_own")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .ask("email", "product_offers_own")
            .policy(policy_with("own_offer_purposes", "newsletter"))
            .expect("denied", "DENY_7_3_CONDITIONS_NOT_MET", &["P1"]),
        customer("7(3) Nr. 2 missing: a different category")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .category("shoes")
            .expect("denied", "DENY_7_3_CONDITIONS_NOT_MET", &["P1"]),
        case("7(3) Nr. 2 missing: the query names no category")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .expect("denied", "DENY_7_3_CONDITIONS_NOT_MET", &["P1"]),
        customer("7(3): category in the same policy similarity group")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .category("tea")
            .policy(policy_with("similarity_groups", "coffee,tea;shoes,boots"))
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        customer("7(3): category in another similarity group")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .category("boots")
            .policy(policy_with("similarity_groups", "coffee,tea;shoes,boots"))
            .expect("denied", "DENY_7_3_CONDITIONS_NOT_MET", &["P1"]),
        // Reading of "a purchased product_category": any purchase, not only the one the
        // address was collected with; the decision names both purchases.
        customer("7(3): category of another purchase (without email) counts")
            .events(vec![
                purchase("P1", BOUGHT, "coffee"),
                json!({"id": "P2", "at": D0, "type": "purchase", "product_category": "tea", "email_collected": false, "objection_notice_given": false}),
            ])
            .category("tea")
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1", "P2"]),
        customer("7(3): email consent revoked for another purpose blocks the route")
            .events(vec![
                purchase("P1", BOUGHT, "coffee"),
                given("G1", D0, "email", "partner_offers"),
                revoked("REV1", D2, "email", "partner_offers"),
            ])
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
        customer("7(3): a revocation of every channel and purpose blocks the route")
            .events(vec![purchase("P1", BOUGHT, "coffee"), revoked("REV1", D2, "*", "*")])
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
        // The revocation bullet of step 6 has no "(or the candidate)".
        customer("7(3): a revocation beats the candidate of a stale consent for this purpose")
            .events(vec![
                requested("R1", "2023-01-10T09:00:00+01:00", "email", "newsletter"),
                confirmed("C1", "2023-01-10T09:05:00+01:00", "email", "newsletter", &["email"]),
                purchase("P1", BOUGHT, "coffee"),
                given("G2", D0, "email", "partner_offers"),
                revoked("REV1", D2, "email", "partner_offers"),
            ])
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
        customer("7(3): a revoked SMS consent does not block the email route")
            .events(vec![
                purchase("P1", BOUGHT, "coffee"),
                given("G1", D0, "sms", "newsletter"),
                revoked("REV1", D2, "sms", "newsletter"),
            ])
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        customer("7(3) is not applied to SMS (policy: no)")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .ask("sms", "newsletter")
            .expect("denied", "DENY_NO_CONSENT", &[]),
        customer("free account (paid=false), no purchase: no sale")
            .events(vec![json!({"id": "A1", "at": D0, "type": "account_opened", "paid": false, "email_collected": true, "objection_notice_given": true})])
            .expect("denied", "DENY_7_3_NO_SALE", &["A1"]),
        customer("free account, then a purchase: 7(3)")
            .events(vec![
                json!({"id": "A1", "at": BOUGHT, "type": "account_opened", "paid": false, "email_collected": true, "objection_notice_given": true}),
                purchase("P1", D0, "coffee"),
            ])
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
        customer("paid account without a purchase event: no consent")
            .events(vec![json!({"id": "A1", "at": D0, "type": "account_opened", "paid": true, "email_collected": true, "objection_notice_given": true})])
            .expect("denied", "DENY_NO_CONSENT", &[]),
        customer("classified customer without a purchase: no 7(3) (no sale)")
            .events(vec![json!({"id": "K1", "at": D0, "type": "classified", "relationship": "customer", "reason": "key account"})])
            .expect("denied", "DENY_NO_CONSENT", &[]),
        customer("imported customer without a purchase: no 7(3) (no sale)")
            .imported_as("customer")
            .expect("denied", "DENY_NO_CONSENT", &[]),
        customer("purchase after the query instant: not yet a customer")
            .events(vec![purchase("P1", "2025-03-12T10:00:01+01:00", "coffee")])
            .expect("denied", "DENY_NO_CONSENT", &[]),
        customer("purchase exactly at the query instant counts")
            .events(vec![purchase("P1", "2025-03-12T09:00:00Z", "coffee")])
            .expect("allowed", "ALLOW_EXISTING_CUSTOMER_7_3", &["P1"]),
    ]
}

/// Step 6, phone and letter.
fn phone_and_letter_cases() -> Vec<Case> {
    vec![
        case("consumer phone without consent")
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_PHONE_CONSUMER_NO_EXPRESS_CONSENT", &[]),
        case("consumer phone: an existing customer has no exception")
            .events(vec![purchase("P1", BOUGHT, "coffee")])
            .ask("phone", "product_offers_own")
            .category("coffee")
            .expect("denied", "DENY_PHONE_CONSUMER_NO_EXPRESS_CONSENT", &[]),
        case("automated call to a consumer without consent")
            .ask("phone", "product_offers_own")
            .automated()
            .expect("denied", "DENY_AUTOMATED_CALL_NO_EXPRESS_CONSENT", &[]),
        case("automated call to a business with presumed consent")
            .business()
            .events(vec![presumed("PC1", D0)])
            .ask("phone", "product_offers_own")
            .automated()
            .expect("denied", "DENY_AUTOMATED_CALL_NO_EXPRESS_CONSENT", &[]),
        // Step 6 puts `mode = automated` before the business rule and step 7.
        case("automated call to a business whose phone consent was revoked")
            .business()
            .events(vec![
                given("G1", D0, "phone", "product_offers_own"),
                revoked("REV1", D2, "phone", "product_offers_own"),
            ])
            .ask("phone", "product_offers_own")
            .automated()
            .expect(
                "denied",
                "DENY_AUTOMATED_CALL_NO_EXPRESS_CONSENT",
                &["REV1"],
            ),
        case("automated call with a usable express consent")
            .events(doi("phone", "product_offers_own"))
            .ask("phone", "product_offers_own")
            .automated()
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        case("B2B with documented presumed consent")
            .business()
            .events(vec![presumed("PC1", D0)])
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_PRESUMED_CONSENT_B2B", &["PC1"]),
        case("B2B without presumed consent")
            .business()
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_NO_PRESUMED_CONSENT", &[]),
        case("B2B presumed consent documented after the query instant")
            .business()
            .events(vec![presumed("PC1", "2025-03-12T09:00:01Z")])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_NO_PRESUMED_CONSENT", &[]),
        case("B2B revoked phone consent beats presumed consent")
            .business()
            .events(vec![
                presumed("PC1", D0),
                given("G1", D1, "phone", "product_offers_own"),
                revoked("REV1", D2, "phone", "product_offers_own"),
            ])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
        // Reading: "consent not revoked" is the consent state of step 5, i.e. for exactly
        // (phone, purpose); a revocation for another purpose leaves presumed consent.
        case("B2B phone consent revoked for another purpose: presumed consent carries")
            .business()
            .events(vec![
                presumed("PC1", D0),
                given("G1", D1, "phone", "partner_offers"),
                revoked("REV1", D2, "phone", "partner_offers"),
            ])
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_PRESUMED_CONSENT_B2B", &["PC1"]),
        case("B2B phone consent pending: presumed consent carries")
            .business()
            .events(vec![
                presumed("PC1", D0),
                requested("R1", D1, "phone", "product_offers_own"),
            ])
            .ask("phone", "product_offers_own")
            .expect("allowed", "ALLOW_PRESUMED_CONSENT_B2B", &["PC1"]),
        case("letter without any record")
            .ask("letter", "product_offers_own")
            .expect("allowed", "ALLOW_LETTER_LEGITIMATE_INTEREST", &[]),
        case("letter with revoked letter consent")
            .events(vec![
                given("G1", D0, "letter", "product_offers_own"),
                revoked("REV1", D2, "letter", "product_offers_own"),
            ])
            .ask("letter", "product_offers_own")
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
        case("letter with active letter consent")
            .events(vec![given("G1", D0, "letter", "product_offers_own")])
            .ask("letter", "product_offers_own")
            .expect("allowed", "ALLOW_CONSENT", &["G1"]),
        case("a revoked email consent does not block letters")
            .events(vec![
                given("G1", D0, "email", "newsletter"),
                revoked("REV1", D2, "email", "newsletter"),
            ])
            .ask("letter", "newsletter")
            .expect("allowed", "ALLOW_LETTER_LEGITIMATE_INTEREST", &[]),
        case("pseudonymised analysis without any record")
            .ask("none", "analytics_pseudonymised")
            .expect("allowed", "ALLOW_PSEUDONYMISED_ANALYSIS", &[]),
    ]
}

/// Step 5 folding and step 7, the most specific denial.
fn fold_and_denial_cases() -> Vec<Case> {
    vec![
        case("DOI requested, not confirmed: pending")
            .events(vec![requested("R1", D0, "email", "newsletter")])
            .expect("denied", "DENY_DOI_PENDING", &["R1"]),
        case("consumer phone DOI pending")
            .events(vec![requested("R1", D0, "phone", "product_offers_own")])
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_DOI_PENDING", &["R1"]),
        case("a confirmation for another purpose does not confirm the request")
            .events(vec![
                requested("R1", D0, "email", "newsletter"),
                confirmed("C1", D1, "email", "partner_offers", &["email"]),
            ])
            .expect("denied", "DENY_DOI_PENDING", &["R1"]),
        case("revoked")
            .events(cat(vec![
                doi("email", "newsletter"),
                vec![revoked("REV1", D2, "email", "newsletter")],
            ]))
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
        case("revoked with channels * and purposes *")
            .events(cat(vec![
                doi("email", "newsletter"),
                vec![revoked("REV1", D2, "*", "*")],
            ]))
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
        case("a request after a revocation is pending again")
            .events(vec![
                given("G1", D0, "email", "newsletter"),
                revoked("REV1", D2, "email", "newsletter"),
                requested("R2", D3, "email", "newsletter"),
            ])
            .expect("denied", "DENY_DOI_PENDING", &["R2"]),
        case("... and its confirmation makes it active")
            .events(vec![
                given("G1", D0, "email", "newsletter"),
                revoked("REV1", D2, "email", "newsletter"),
                requested("R2", D3, "email", "newsletter"),
                confirmed("C2", D4, "email", "newsletter", &["email"]),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["R2", "C2"]),
        case("a consent_given after a revocation is active")
            .events(vec![
                given("G1", D0, "email", "newsletter"),
                revoked("REV1", D2, "email", "newsletter"),
                given("G2", D3, "email", "newsletter"),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["G2"]),
        case("revoking one purpose leaves the other purpose of the same consent")
            .events(vec![
                with(
                    given("G1", D0, "email", "newsletter"),
                    json!({"purposes": ["newsletter", "product_offers_own"]}),
                ),
                revoked("REV1", D2, "email", "newsletter"),
            ])
            .ask("email", "product_offers_own")
            .expect("allowed", "ALLOW_CONSENT", &["G1"]),
        case("revoking one channel leaves the other channel of the same consent")
            .events(vec![
                with(
                    given("G1", D0, "email", "newsletter"),
                    json!({"channels": ["email", "sms"]}),
                ),
                revoked("REV1", D2, "sms", "newsletter"),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["G1"]),
        case("consent with channels * and purposes * covers sms/newsletter")
            .events(vec![with(
                given("G1", D0, "email", "newsletter"),
                json!({"channels": ["*"], "purposes": ["*"], "identifier": null}),
            )])
            .ask("sms", "newsletter")
            .expect("allowed", "ALLOW_CONSENT", &["G1"]),
        case("consent for this purpose on another channel: channel not covered")
            .events(vec![given("G1", D0, "sms", "newsletter")])
            .expect("denied", "DENY_CHANNEL_NOT_COVERED", &["G1"]),
        case("consumer phone, consent on email only: channel not covered")
            .events(doi("email", "product_offers_own"))
            .ask("phone", "product_offers_own")
            .expect("denied", "DENY_CHANNEL_NOT_COVERED", &["C1"]),
        // Reading of "a consent for this purpose on another channel": any grant ever made,
        // also one revoked since (the engine names the grant, not the revocation).
        case("a revoked SMS consent still makes email/newsletter channel-not-covered")
            .events(vec![
                given("G1", D0, "sms", "newsletter"),
                revoked("REV1", D2, "sms", "newsletter"),
            ])
            .expect("denied", "DENY_CHANNEL_NOT_COVERED", &["G1"]),
        case("consent on this channel for another purpose: purpose not covered")
            .events(vec![given("G1", D0, "email", "partner_offers")])
            .expect("denied", "DENY_PURPOSE_NOT_COVERED", &["G1"]),
        case("channel-not-covered comes before purpose-not-covered")
            .events(vec![
                given("G1", D0, "email", "partner_offers"),
                given("G2", D0, "sms", "newsletter"),
            ])
            .expect("denied", "DENY_CHANNEL_NOT_COVERED", &["G2"]),
        case("a pending request for another purpose is no consent")
            .events(vec![requested("R1", D0, "email", "partner_offers")])
            .expect("denied", "DENY_NO_CONSENT", &[]),
        case("no consent at all").expect("denied", "DENY_NO_CONSENT", &[]),
        case("no consent, B2B email (email needs consent of businesses too)")
            .business()
            .expect("denied", "DENY_NO_CONSENT", &[]),
        case("a note never changes a decision (nothing else)")
            .events(vec![
                json!({"id": "N1", "at": D0, "type": "note", "text": "said yes on the phone"}),
            ])
            .expect("denied", "DENY_NO_CONSENT", &[]),
        case("a note never changes a decision (after a consent)")
            .events(cat(vec![
                doi("email", "newsletter"),
                vec![json!({"id": "N1", "at": D2, "type": "note", "text": "wants no more mail"})],
            ]))
            .expect("allowed", "ALLOW_CONSENT", &["R1", "C1"]),
        // Reading: a new request while a consent is active does not suspend it (the text
        // lists `consent_requested → pending` and "a later request after a revocation", but
        // a reminder/renewal request must not silently revoke a valid consent).
        case("a request while a consent is active does not suspend it")
            .events(vec![
                given("G1", D0, "email", "newsletter"),
                requested("R2", D3, "email", "newsletter"),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["G1"]),
    ]
}

/// Step 1 and the stale deadline: both sides of every boundary, offsets compared as instants.
fn boundary_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    // An event one second before / exactly at / one second after the query instant.
    for (label, event_at, verdict, reason, ids) in [
        (
            "1 s before",
            "2025-03-12T09:59:59+01:00",
            "allowed",
            "ALLOW_CONSENT",
            &["G1"][..],
        ),
        (
            "exactly at",
            "2025-03-12T10:00:00+01:00",
            "allowed",
            "ALLOW_CONSENT",
            &["G1"][..],
        ),
        (
            "exactly at, written in UTC",
            "2025-03-12T09:00:00Z",
            "allowed",
            "ALLOW_CONSENT",
            &["G1"][..],
        ),
        (
            "1 s after",
            "2025-03-12T10:00:01+01:00",
            "denied",
            "DENY_NO_CONSENT",
            &[][..],
        ),
        (
            "1 s after, written in UTC",
            "2025-03-12T09:00:01Z",
            "denied",
            "DENY_NO_CONSENT",
            &[][..],
        ),
    ] {
        cases.push(
            case(format!("consent given {label} the query instant"))
                .events(vec![given("G1", event_at, "email", "newsletter")])
                .expect(verdict, reason, ids),
        );
    }
    // A revocation at 10:00+01:00 = 09:00Z; queries in UTC around it.
    let revocation = || {
        vec![
            given("G1", D0, "email", "newsletter"),
            revoked("REV1", "2025-03-12T10:00:00+01:00", "email", "newsletter"),
        ]
    };
    for (q, verdict, reason, ids) in [
        (
            "2025-03-12T08:59:59Z",
            "allowed",
            "ALLOW_CONSENT",
            &["G1"][..],
        ),
        (
            "2025-03-12T09:00:00Z",
            "denied",
            "DENY_CONSENT_REVOKED",
            &["REV1"][..],
        ),
        (
            "2025-03-12T09:00:01Z",
            "denied",
            "DENY_CONSENT_REVOKED",
            &["REV1"][..],
        ),
        (
            "2025-03-12T10:59:59+02:00",
            "allowed",
            "ALLOW_CONSENT",
            &["G1"][..],
        ),
        (
            "2025-03-12T12:00:00+03:00",
            "denied",
            "DENY_CONSENT_REVOKED",
            &["REV1"][..],
        ),
    ] {
        cases.push(
            case(format!("revocation at 10:00+01:00, query at {q}"))
                .events(revocation())
                .at(q)
                .expect(verdict, reason, ids),
        );
    }
    // An objection at 10:00+01:00 (written 09:00Z) and a withdrawal one second after the query.
    for (q, verdict, reason, ids) in [
        (
            "2025-03-12T09:59:59+01:00",
            "allowed",
            "ALLOW_CONSENT",
            &["R1", "C1"][..],
        ),
        (
            "2025-03-12T10:00:00+01:00",
            "denied",
            "DENY_OBJECTION",
            &["O1"][..],
        ),
        (
            "2025-03-12T10:00:01+01:00",
            "denied",
            "DENY_OBJECTION",
            &["O1"][..],
        ),
        (
            "2025-03-12T10:00:02+01:00",
            "allowed",
            "ALLOW_CONSENT",
            &["R1", "C1"][..],
        ),
    ] {
        cases.push(
            case(format!(
                "objection at 09:00Z, withdrawn at 09:00:02Z, query at {q}"
            ))
            .events(cat(vec![
                doi("email", "newsletter"),
                vec![
                    objection("O1", "2025-03-12T09:00:00Z"),
                    withdrawn("W1", "2025-03-12T09:00:02Z"),
                ],
            ]))
            .at(q)
            .expect(verdict, reason, ids),
        );
    }
    // Historic queries: "was the call on 12 March allowed?" (objection on 13 March).
    for (q, verdict, reason, ids) in [
        (
            "2025-03-12T15:00:00+01:00",
            "allowed",
            "ALLOW_PRESUMED_CONSENT_B2B",
            &["PC1"][..],
        ),
        (
            "2025-03-13T07:59:59+01:00",
            "allowed",
            "ALLOW_PRESUMED_CONSENT_B2B",
            &["PC1"][..],
        ),
        (
            "2025-03-13T08:00:00+01:00",
            "denied",
            "DENY_OBJECTION",
            &["O1"][..],
        ),
        (
            "2025-06-01T12:00:00+02:00",
            "denied",
            "DENY_OBJECTION",
            &["O1"][..],
        ),
        (
            "2025-01-01T12:00:00+01:00",
            "denied",
            "DENY_NO_PRESUMED_CONSENT",
            &[][..],
        ),
    ] {
        cases.push(
            case(format!(
                "B2B call on {q}, presumed consent 10 Jan, objection 13 March 08:00"
            ))
            .business()
            .events(vec![
                presumed("PC1", D0),
                objection("O1", "2025-03-13T08:00:00+01:00"),
            ])
            .ask("phone", "product_offers_own")
            .at(q)
            .expect(verdict, reason, ids),
        );
    }
    // The stale deadline: granted 2023-09-12T10:00:00+02:00, default 18 months → the
    // deadline is 2025-03-12T10:00:00+02:00 = 08:00:00Z. Usable at it, stale one second after.
    let granted_sept_2023 = || {
        vec![
            requested("R1", "2023-09-01T10:00:00+02:00", "email", "newsletter"),
            confirmed(
                "C1",
                "2023-09-12T10:00:00+02:00",
                "email",
                "newsletter",
                &["email"],
            ),
        ]
    };
    for (q, verdict, reason) in [
        ("2025-03-12T07:59:59Z", "allowed", "ALLOW_CONSENT"),
        ("2025-03-12T08:00:00Z", "allowed", "ALLOW_CONSENT"),
        ("2025-03-12T09:00:00+01:00", "allowed", "ALLOW_CONSENT"),
        ("2025-03-12T08:00:01Z", "denied", "DENY_CONSENT_STALE"),
        ("2025-03-12T09:00:01+01:00", "denied", "DENY_CONSENT_STALE"),
        // Counted from the grant (the confirmation), not from the request 11 days earlier.
        ("2025-03-05T12:00:00+01:00", "allowed", "ALLOW_CONSENT"),
    ] {
        cases.push(
            case(format!(
                "granted 2023-09-12T10:00+02:00, 18 months, query at {q}"
            ))
            .events(granted_sept_2023())
            .at(q)
            .expect(verdict, reason, &["R1", "C1"]),
        );
    }
    // The stale deadline counts from the last use (09:30+01:00 = 08:30Z, so 18 months later
    // is 2026-09-12T08:30Z = 10:30+02:00), and a use after the query does not count.
    let used = || {
        cat(vec![
            granted_sept_2023(),
            vec![sent(
                "M1",
                "2025-03-12T09:30:00+01:00",
                "email",
                "newsletter",
            )],
        ])
    };
    for (q, verdict, reason, ids) in [
        (
            "2025-03-12T08:00:01Z",
            "denied",
            "DENY_CONSENT_STALE",
            &["R1", "C1"][..],
        ),
        (
            "2025-03-12T08:30:00Z",
            "allowed",
            "ALLOW_CONSENT",
            &["R1", "C1", "M1"][..],
        ),
        (
            "2026-09-12T10:30:00+02:00",
            "allowed",
            "ALLOW_CONSENT",
            &["R1", "C1", "M1"][..],
        ),
        (
            "2026-09-12T10:30:01+02:00",
            "denied",
            "DENY_CONSENT_STALE",
            &["R1", "C1", "M1"][..],
        ),
    ] {
        cases.push(
            case(format!(
                "granted Sept 2023, used 2025-03-12T09:30+01:00, query at {q}"
            ))
            .events(used())
            .at(q)
            .expect(verdict, reason, ids),
        );
    }
    // The same grant instant written in two offsets must give the same deadline. Granted
    // 2023-08-30T23:30Z = 2023-08-31T01:30+02:00; 18 months later, in UTC, is
    // 2025-02-28T23:30Z (30 Feb clamped to 28 Feb). Counting the months in the offset the
    // event happens to be written in would give 2025-02-28T01:30+02:00 for the second
    // notation, a day earlier, so the answer would depend on how the instant was written.
    for written in ["2023-08-30T23:30:00Z", "2023-08-31T01:30:00+02:00"] {
        for (q, verdict, reason) in [
            ("2025-02-28T12:00:00Z", "allowed", "ALLOW_CONSENT"),
            ("2025-02-28T23:30:00Z", "allowed", "ALLOW_CONSENT"),
            ("2025-02-28T23:30:01Z", "denied", "DENY_CONSENT_STALE"),
        ] {
            cases.push(
                case(format!("granted {written}, 18 months, query at {q}"))
                    .events(vec![given("G1", written, "email", "newsletter")])
                    .at(q)
                    .expect(verdict, reason, &["G1"]),
            );
        }
    }
    // DOI confirmed at 10:00+01:00 written as 09:00Z, request at 09:50+01:00.
    for (q, verdict, reason, ids) in [
        (
            "2025-03-12T08:59:59Z",
            "denied",
            "DENY_DOI_PENDING",
            &["R1"][..],
        ),
        (
            "2025-03-12T10:00:00+01:00",
            "allowed",
            "ALLOW_CONSENT",
            &["R1", "C1"][..],
        ),
    ] {
        cases.push(
            case(format!("DOI confirmed 09:00Z, query at {q}"))
                .events(vec![
                    requested("R1", "2025-03-12T09:50:00+01:00", "email", "newsletter"),
                    confirmed(
                        "C1",
                        "2025-03-12T09:00:00Z",
                        "email",
                        "newsletter",
                        &["email"],
                    ),
                ])
                .at(q)
                .expect(verdict, reason, ids),
        );
    }
    // Events need not arrive in time order: they are compared as instants.
    cases.push(
        case("ledger out of order: revocation listed before the consent it revokes")
            .events(vec![
                revoked("REV1", "2025-02-01T11:00:00Z", "email", "newsletter"),
                given("G1", "2025-02-01T11:30:00+01:00", "email", "newsletter"),
            ])
            .expect("denied", "DENY_CONSENT_REVOKED", &["REV1"]),
    );
    cases.push(
        case("ledger out of order: consent after the revocation (later instant, other offset)")
            .events(vec![
                given("G1", "2025-02-01T12:30:00+01:00", "email", "newsletter"),
                revoked("REV1", "2025-02-01T11:00:00Z", "email", "newsletter"),
            ])
            .expect("allowed", "ALLOW_CONSENT", &["G1"]),
    );
    cases
}

fn all_cases() -> Vec<Case> {
    cat_cases(vec![
        suppression_cases(),
        objection_cases(),
        robinson_cases(),
        unusable_consent_cases(),
        candidate_cases(),
        existing_customer_cases(),
        phone_and_letter_cases(),
        fold_and_denial_cases(),
        boundary_cases(),
    ])
}

fn cat_cases(groups: Vec<Vec<Case>>) -> Vec<Case> {
    groups.into_iter().flatten().collect()
}

#[test]
fn step_2_suppression() {
    run(&suppression_cases());
}

#[test]
fn step_3_objection() {
    run(&objection_cases());
}

#[test]
fn step_4_robinson_list() {
    run(&robinson_cases());
}

#[test]
fn step_5_unusable_consent() {
    run(&unusable_consent_cases());
}

#[test]
fn step_5_candidate_against_step_6() {
    run(&candidate_cases());
}

#[test]
fn step_6_existing_customers_7_3() {
    run(&existing_customer_cases());
}

#[test]
fn step_6_phone_letter_analysis() {
    run(&phone_and_letter_cases());
}

#[test]
fn step_5_fold_and_step_7_denials() {
    run(&fold_and_denial_cases());
}

#[test]
fn step_1_time_and_stale_boundaries() {
    run(&boundary_cases());
}

#[test]
fn every_reason_code_is_produced_by_a_case() {
    let cases = all_cases();
    let produced: BTreeSet<&str> = cases.iter().map(|c| c.reason).collect();
    let missing: Vec<&str> = ReasonCode::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !produced.contains(c))
        .collect();
    assert!(missing.is_empty(), "no case expects {missing:?}");
    // And every expectation names a real code with the matching verdict.
    for c in &cases {
        let code: ReasonCode = c.reason.parse().unwrap();
        let verdict = if code.as_str().starts_with("ALLOW_") {
            "allowed"
        } else {
            "denied"
        };
        assert_eq!(c.verdict, verdict, "{}", c.name);
    }
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), cases.len(), "case names must be unique");
}

#[test]
fn phone_consent_evidence_is_kept_five_years_after_the_last_use() {
    let c = case("keep until")
        .events(cat(vec![
            doi("phone", "product_offers_own"),
            vec![sent(
                "M1",
                "2025-02-20T11:00:00+01:00",
                "phone",
                "product_offers_own",
            )],
        ]))
        .ask("phone", "product_offers_own");
    let d = c.decide();
    assert_eq!(d.reason, ReasonCode::AllowConsent);
    assert_eq!(d.keep_until, Some(at("2030-02-20T11:00:00+01:00")));
    // Not for a business (§ 7a UWG is about consumers).
    assert_eq!(c.business().decide().keep_until, None);
}
