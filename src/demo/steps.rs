//! The building blocks of histories: web-form consents, double opt-ins, sends,
//! purchases, notes and enquiries, with realistic evidence (IP, user agent, order refs).

use chrono::{DateTime, Datelike, Utc};
use serde_json::json;

use super::history::History;
use super::Rng;

const SHOP: &str = "https://shop.example.de";
pub(super) const OFFICERS: &[&str] = &["dsb.krause", "m.yilmaz", "t.schaefer"];
pub(super) const AGENTS: &[&str] = &["cc.lange", "cc.nowak", "cc.baeumer"];
pub(super) const CATEGORIES: &[&str] = &[
    "coffee",
    "coffee",
    "tea",
    "machines",
    "accessories",
    "chocolate",
];
const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
];
pub(super) const PRESUMED: &[&str] = &[
    "Auf der Messe INTERNORGA um Rückruf zu Kaffeevollautomaten gebeten (Visitenkarte liegt vor)",
    "Bestellt seit Jahren Bürokaffee; die Ansprechpartnerin wünscht die Vorstellung neuer Sorten",
    "Anfrage über das Kontaktformular zu Großgebinden, telefonischer Rückruf vereinbart",
    "Laufende Lieferbeziehung; der Einkaufsleiter bat um telefonische Angebote zur Saison",
];

fn ip(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("203.0.113.{}", rng.range(1, 254)),
        1 => format!("198.51.100.{}", rng.range(1, 254)),
        2 => format!("192.0.2.{}", rng.range(1, 254)),
        _ => format!("2001:db8::{:x}", rng.range(1, 0xffff)),
    }
}

/// What a web form asks for.
pub(super) struct Ask<'a> {
    pub channels: &'a [&'a str],
    pub purposes: &'a [&'a str],
    pub text: &'a str,
    pub prechecked: bool,
    pub identifier: Option<&'a str>,
    pub path: &'a str,
}

impl<'a> Ask<'a> {
    /// The newsletter form: email, newsletter, not pre-ticked.
    pub fn newsletter(text: &'a str, email: Option<&'a str>) -> Self {
        Ask {
            channels: &["email"],
            purposes: &["newsletter"],
            text,
            prechecked: false,
            identifier: email,
            path: "/newsletter",
        }
    }
}

/// A web-form consent request (the first step of a double opt-in).
pub(super) fn request(h: &mut History, at: DateTime<Utc>, a: &Ask) {
    let (ip, agent) = (ip(h.rng), *h.rng.pick(USER_AGENTS));
    h.push(
        at,
        "consent_requested",
        json!({"channels": a.channels, "purposes": a.purposes, "method": "web_form_checkbox",
               "prechecked": a.prechecked, "consent_text_id": a.text, "identifier": a.identifier,
               "ip": ip, "user_agent": agent, "source_url": format!("{SHOP}{}", a.path),
               "source": "webshop"}),
    );
}

/// Request and, a few minutes later, its confirmation (the DOI click or the SMS code),
/// which proves `verified` (`email` or `phone`).
pub(super) fn doi(h: &mut History, days_ago: i64, a: &Ask, verified: &str) {
    let at = h.day(days_ago);
    request(h, at, a);
    let delay = h.rng.range(60, 900);
    let confirmed = h.later(at, delay);
    let ip = ip(h.rng);
    h.push(
        confirmed,
        "consent_confirmed",
        json!({"channels": a.channels, "purposes": a.purposes, "verified": [verified],
               "identifier": a.identifier, "ip": ip}),
    );
}

/// `count` marketing contacts between `newest` and `oldest` days ago.
pub(super) fn sends(
    h: &mut History,
    channel: &str,
    purpose: &str,
    newest: i64,
    oldest: i64,
    count: i64,
) {
    if oldest < newest {
        return;
    }
    for _ in 0..count {
        let days = h.rng.range(newest, oldest);
        let at = h.day(days);
        let source = if channel == "phone" {
            "callcenter"
        } else {
            "kampagnen-tool"
        };
        h.push(
            at,
            "marketing_sent",
            json!({"channel": channel, "purpose": purpose, "objection_notice_included": true, "source": source}),
        );
    }
}

pub(super) fn purchase(
    h: &mut History,
    days_ago: i64,
    category: &str,
    email: bool,
    phone: bool,
    notice: bool,
) {
    let at = h.day(days_ago);
    let order = format!("B-{}-{:06}", at.year(), h.rng.range(1, 999_999));
    let (source, by) = if email {
        ("webshop", None)
    } else {
        ("callcenter", Some(*h.rng.pick(AGENTS)))
    };
    h.push(
        at,
        "purchase",
        json!({"product_category": category, "email_collected": email, "phone_collected": phone,
               "objection_notice_given": notice, "order_ref": order, "source": source, "recorded_by": by}),
    );
}

pub(super) fn note(h: &mut History, at: DateTime<Utc>, text: &str) {
    let by = *h.rng.pick(OFFICERS);
    h.push(at, "note", json!({"text": text, "recorded_by": by}));
}

pub(super) fn enquiry(h: &mut History, days_ago: i64, notice: bool) {
    let at = h.day(days_ago);
    h.push(at, "enquiry", json!({"email_collected": true, "objection_notice_given": notice, "source": "kontaktformular"}));
}
