//! A pure, deterministic generator of a realistic demo register.
//!
//! German consumers and businesses (names with umlauts and ß, companies, addresses, email
//! addresses, phone numbers in the notations people write), each with a consent history.
//! Together the histories exercise every rule of LEGAL.md: every reason code arises for
//! some contact and query at `now`, except `DENY_SUPPRESSION_LIST`, which needs an erasure.
//!
//! No clock and no global randomness: `now` and `seed` are parameters, and the same pair
//! always gives the same records. Every record is written as ledger JSON and read back
//! through `Contact::from_object` / `Event::from_object`, so the demo passes the same
//! validation as an import.

mod history;
mod names;
mod people;
mod scenarios;
mod steps;
mod stream;
#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Value};

use crate::domain::json::Object;
use crate::domain::{Contact, LedgerRecord, ValidationError};
use history::History;
use people::{Identity, Showcase, Taken};
use scenarios::{Kind, Plan, KINDS};
pub use stream::DemoStream;

/// How many contacts `consentry demo` creates.
pub const DEMO_CONTACTS: usize = 300;

/// The walk-through contact of the README, always `K-1001`.
pub const ERIKA_ID: &str = "K-1001";

/// A demo register of `contacts` contacts (ids `K-1001`, `K-1002`, …), each followed by
/// its events (ids `E-0001-01`, …) in time order, all at or before `now`.
///
/// `K-1001` is Erika Mustermann (see the README); the next contacts are the textbook case
/// of each kind of history; the rest are drawn at random from `seed`. The same `now` and
/// `seed` give the same records. An error means a generated record failed validation —
/// a bug in this generator, never a matter of input.
pub fn demo_ledger(
    now: DateTime<FixedOffset>,
    seed: u64,
    contacts: usize,
) -> Result<Vec<LedgerRecord>, ValidationError> {
    // Whole seconds, so that every instant prints and parses back unchanged.
    let now = now.with_timezone(&Utc);
    let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let mut rng = Rng::new(seed);
    let mut taken = Taken::default();
    let mut showcase = Showcase::default();
    let mut out = Vec::new();
    for index in 0..contacts {
        let number = index + 1;
        if index == 0 {
            out.extend(erika(now, &mut rng, &mut taken)?);
            continue;
        }
        let id = format!("K-{}", 1000 + number);
        let (kind, textbook) = match KINDS.get(index - 1) {
            Some(&(kind, _)) => (kind, true),
            None => (Kind::draw(&mut rng), false),
        };
        let plan = Plan::new(kind, textbook, &mut rng);
        let who = people::identity(&mut rng, plan.business, &mut showcase, &mut taken);
        let customer_number = 100_000 + 7 * number as u64 + rng.below(7);
        let record = contact_json(&id, &plan, &who, customer_number, &mut rng);
        let contact = Contact::from_object(record).map_err(|e| e.within(&id))?;
        let mut h = History::new(&mut rng, now);
        scenarios::write(&plan, &who, &mut h);
        decorate(&who, &mut h);
        let events = h.finish(&id, number)?;
        out.push(LedgerRecord::Contact(contact));
        out.extend(events.into_iter().map(LedgerRecord::Event));
    }
    Ok(out)
}

fn object(v: Value) -> Object {
    match v {
        Value::Object(o) => o,
        _ => Object::new(),
    }
}

fn contact_json(
    id: &str,
    plan: &Plan,
    who: &Identity,
    customer_number: u64,
    rng: &mut Rng,
) -> Object {
    let phones: Vec<String> = who
        .phones
        .iter()
        .map(|p| p.notation(rng.below(8)))
        .collect();
    object(json!({
        "kind": "contact",
        "id": id,
        "party": if plan.business { "business" } else { "consumer" },
        "relationship": if plan.customer { "customer" } else { "prospect" },
        "name": who.name(),
        "company": who.company,
        "emails": who.emails,
        "phones": phones,
        "address": who.address(),
        "customer_number": plan.customer.then(|| format!("KD-{customer_number}")),
        "tags": who.tags,
    }))
}

const NOTES: &[&str] = &[
    "Rückruf gewünscht, bevorzugt dienstags ab 14 Uhr",
    "Bittet um Zusendung des Katalogs per Post",
    "Auskunftsersuchen nach Art. 15 DSGVO beantwortet",
    "Reklamation einer Lieferung – erledigt",
    "Bevorzugt Kontakt per E-Mail",
];
const BUSINESS_NOTES: &[&str] = &[
    "Fragt nach Preisen für Gastronomiegebinde",
    "Ansprechpartner wechselt zum Monatsende, Nachfolgerin noch offen",
    "Rechnungen bitte an die Buchhaltung, nicht an den Inhaber",
];

/// Things that happen in every register and change no decision: notes and moves.
fn decorate(who: &Identity, h: &mut History) {
    if h.rng.chance(15) {
        let notes = if who.company.is_some() {
            BUSINESS_NOTES
        } else {
            NOTES
        };
        let (days, text) = (h.rng.range(1, 900), *h.rng.pick(notes));
        let (at, by) = (
            h.day(days),
            *h.rng.pick(&["dsb.krause", "cc.lange", "cc.nowak"]),
        );
        h.push(at, "note", json!({"text": text, "recorded_by": by}));
    }
    if h.rng.chance(6) {
        let days = h.rng.range(1, 600);
        let at = h.day(days);
        let old = people::previous_address(h.rng);
        h.push(
            at,
            "contact_changed",
            json!({"field": "address", "old": old, "new": who.address(), "recorded_by": "dsb.krause"}),
        );
    }
}

/// Erika Mustermann, the README's walk-through: a confirmed double opt-in for the
/// newsletter (the form covered email and phone, the DOI mail proved only the email
/// address), a coffee purchase with the § 7 Abs. 3 notice, two newsletters, no objection.
fn erika(
    now: DateTime<Utc>,
    rng: &mut Rng,
    taken: &mut Taken,
) -> Result<Vec<LedgerRecord>, ValidationError> {
    taken.emails.insert("erika@example.de".to_owned());
    taken.claim_phone(&people::fixed_phone("0171", "1234567"));
    let contact = Contact::from_object(object(json!({
        "kind": "contact", "id": ERIKA_ID, "party": "consumer", "relationship": "customer",
        "name": "Erika Mustermann", "company": null, "emails": ["erika@example.de"],
        "phones": ["+49 171 1234567"],
        "address": {"street": "Musterstr. 1", "postcode": "10115", "city": "Berlin", "country": "DE"},
        "customer_number": "KD-100001", "tags": ["Kaffee-Abo"],
    })))?;
    let mut h = History::new(rng, now);
    let scope = json!({"channels": ["email", "phone"], "purposes": ["newsletter"]});
    let asked = h.day_at(95, 8 * 3600);
    h.push(asked, "consent_requested", json!({
        "channels": scope["channels"], "purposes": scope["purposes"], "method": "web_form_checkbox",
        "prechecked": false, "consent_text_id": "CT-NEWSLETTER-v3", "identifier": "erika@example.de",
        "ip": "203.0.113.10",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "source_url": "https://shop.example.de/newsletter", "source": "webshop",
    }));
    h.push(
        h.later(asked, 7 * 60),
        "consent_confirmed",
        json!({
            "channels": scope["channels"], "purposes": scope["purposes"], "verified": ["email"],
            "identifier": "erika@example.de", "ip": "203.0.113.11",
        }),
    );
    h.push(
        h.day_at(60, 13 * 3600 + 23 * 60),
        "purchase",
        json!({
            "product_category": "coffee", "email_collected": true, "phone_collected": true,
            "objection_notice_given": true, "order_ref": "B-100472", "source": "webshop",
        }),
    );
    for days in [31, 3] {
        h.push(
            h.day_at(days, 7 * 3600),
            "marketing_sent",
            json!({
                "channel": "email", "purpose": "newsletter", "objection_notice_included": true,
                "source": "kampagnen-tool",
            }),
        );
    }
    let events = h.finish(ERIKA_ID, 1)?;
    Ok(std::iter::once(LedgerRecord::Contact(contact))
        .chain(events.into_iter().map(LedgerRecord::Event))
        .collect())
}

/// splitmix64: tiny, fast and plenty for varied demo data. Not for anything secret.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x00C0_2E27_DE30_0000)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; 0 when `n` is 0.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// Uniform in `lo..=hi`; `lo` when the range is empty.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi.abs_diff(lo) + 1) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, which must not be empty (all lists here are constants).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}
