//! Who the demo contacts are: names, companies, addresses, email addresses derived from
//! the names, and phone numbers written in the notations people really use.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::names::*;
use super::Rng;
use crate::domain::identifiers::normalise_phone;

/// A phone number as national prefix (with trunk 0) and subscriber digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Phone {
    prefix: &'static str,
    subscriber: String,
}

impl Phone {
    /// One of the ways the number is written: `0171 2345678`, `+49 30 1234567`,
    /// `0049-89-123456`, `0171/2345678`, `(030) 12 34 56`, `+49 (0)40 …`, …
    pub fn notation(&self, style: u64) -> String {
        let p = self.prefix;
        let q = p.strip_prefix('0').unwrap_or(p);
        let s = &self.subscriber;
        match style % 8 {
            0 => format!("{p} {s}"),
            1 => format!("+49 {q} {s}"),
            2 => format!("0049-{q}-{s}"),
            3 => format!("{p}/{s}"),
            4 => format!("({p}) {}", pairs(s)),
            5 => format!("+49 (0){q} {s}"),
            6 => format!("{p}-{}", pairs(s)),
            _ => format!("+49{q}{s}"),
        }
    }
}

fn pairs(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(2)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Identifiers already given out: email addresses and phones must be unique in the demo,
/// so that a lookup by either finds exactly one person.
#[derive(Default)]
pub(super) struct Taken {
    pub emails: HashSet<String>,
    pub phones: HashSet<String>,
}

impl Taken {
    /// Claims a number if it is valid and free.
    pub fn claim_phone(&mut self, phone: &Phone) -> bool {
        match normalise_phone(&phone.notation(0)) {
            Ok(e164) => self.phones.insert(e164),
            Err(_) => false,
        }
    }
}

/// Everything a contact record is made of, plus what the history needs to refer to.
pub(super) struct Identity {
    pub first: String,
    pub last: String,
    pub company: Option<String>,
    /// As written in the contact record (sometimes with capitals); the first one is the main.
    pub emails: Vec<String>,
    /// The main number first: mobile for consumers, the office line for businesses.
    pub phones: Vec<Phone>,
    pub street: String,
    pub postcode: String,
    pub city: &'static str,
    pub tags: Vec<String>,
}

impl Identity {
    pub fn name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    /// The main email address, normalised (as consent events name it).
    pub fn email(&self) -> String {
        self.emails
            .first()
            .map(|e| e.to_lowercase())
            .unwrap_or_default()
    }

    /// The main number in some notation (consent events keep what the form received).
    pub fn phone_as(&self, style: u64) -> Option<String> {
        self.phones.first().map(|p| p.notation(style))
    }

    pub fn address(&self) -> Value {
        json!({"street": self.street, "postcode": self.postcode, "city": self.city, "country": "DE"})
    }
}

/// Hands out the showcase people in order, then random ones.
#[derive(Default)]
pub(super) struct Showcase {
    consumers: usize,
    businesses: usize,
}

/// A new person (with a company when `business`), unique email and phone numbers.
pub(super) fn identity(
    rng: &mut Rng,
    business: bool,
    showcase: &mut Showcase,
    taken: &mut Taken,
) -> Identity {
    let (first, last, company) = if business {
        let fixed = SHOWCASE_BUSINESSES.get(showcase.businesses);
        showcase.businesses += 1;
        match fixed {
            Some(&(f, l, c)) => (f.to_owned(), l.to_owned(), Some(c.to_owned())),
            None => {
                let (f, l) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
                let owner = if rng.chance(60) {
                    l
                } else {
                    rng.pick(LAST_NAMES)
                };
                (f.to_string(), l.to_string(), Some(company_name(rng, owner)))
            }
        }
    } else {
        let fixed = SHOWCASE_CONSUMERS.get(showcase.consumers);
        showcase.consumers += 1;
        match fixed {
            Some(&(f, l)) => (f.to_owned(), l.to_owned(), None),
            None => (
                rng.pick(FIRST_NAMES).to_string(),
                rng.pick(LAST_NAMES).to_string(),
                None,
            ),
        }
    };
    let &(city, pc_from, pc_spread, area) = rng.pick(CITIES);
    let postcode = format!("{:05}", pc_from + rng.below(u64::from(pc_spread)) as u32);
    let number = rng.range(1, 180);
    let letter = if rng.chance(10) { "a" } else { "" };
    let street = format!("{} {number}{letter}", rng.pick(STREETS));

    let mut emails = Vec::new();
    if let Some(e) = email(rng, &first, &last, company.as_deref(), taken) {
        emails.push(e);
    }
    if !business && rng.chance(8) {
        if let Some(e) = email(rng, &first, &last, None, taken) {
            emails.push(e);
        }
    }
    let mut phones = Vec::new();
    let mut add = |p: Option<Phone>| phones.extend(p);
    if business {
        add(landline(rng, area, taken));
        if rng.chance(50) {
            add(mobile(rng, taken));
        }
    } else {
        add(mobile(rng, taken));
        if rng.chance(25) {
            add(landline(rng, area, taken));
        }
    }
    let pool = if business {
        BUSINESS_TAGS
    } else {
        CONSUMER_TAGS
    };
    let tags = if rng.chance(if business { 60 } else { 20 }) {
        vec![rng.pick(pool).to_string()]
    } else {
        Vec::new()
    };
    Identity {
        first,
        last,
        company,
        emails,
        phones,
        street,
        postcode,
        city,
        tags,
    }
}

fn company_name(rng: &mut Rng, owner: &str) -> String {
    let form = rng.pick(LEGAL_FORMS);
    match rng.below(4) {
        0 => format!("{owner} & Söhne KG"),
        1 => format!("{owner} & {} {form}", rng.pick(LAST_NAMES)),
        2 => format!("{owner} {} {form}", rng.pick(TRADES)),
        _ => format!("{} {owner} {form}", rng.pick(TRADES)),
    }
}

/// `Müller & Söhne KG` → `mueller-soehne`.
pub(super) fn company_slug(company: &str) -> String {
    let mut base = company.trim();
    for form in LEGAL_FORMS {
        if let Some(rest) = base.strip_suffix(form) {
            base = rest.trim_end();
            break;
        }
    }
    slug(base)
}

/// Lower-case ASCII with German transliteration (ä→ae, ö→oe, ü→ue, ß→ss), words joined by `-`.
pub(super) fn slug(s: &str) -> String {
    let mut folded = String::with_capacity(s.len() + 4);
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => folded.push_str("ae"),
            'ö' => folded.push_str("oe"),
            'ü' => folded.push_str("ue"),
            'ß' => folded.push_str("ss"),
            'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'á' | 'à' | 'â' => folded.push('a'),
            'ç' => folded.push('c'),
            'ş' => folded.push('s'),
            'ı' => folded.push('i'),
            'ğ' => folded.push('g'),
            c if c.is_ascii_alphanumeric() => folded.push(c),
            _ => folded.push(' '),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join("-")
}

fn email(
    rng: &mut Rng,
    first: &str,
    last: &str,
    company: Option<&str>,
    taken: &mut Taken,
) -> Option<String> {
    let (f, l) = (slug(first), slug(last));
    let initial: String = f.chars().take(1).collect();
    let (local, domain) = match company {
        Some(c) => {
            let local = match rng.below(4) {
                0 => "info".to_owned(),
                1 => format!("{f}.{l}"),
                _ => format!("{initial}.{l}"),
            };
            (local, format!("{}.example", company_slug(c)))
        }
        None => {
            let local = match rng.below(6) {
                0 => format!("{f}.{l}"),
                1 => format!("{initial}.{l}"),
                2 => format!("{l}.{f}"),
                3 => format!("{f}{l}{:02}", rng.below(100)),
                4 => format!("{f}_{l}"),
                _ => format!("{initial}{l}"),
            };
            (local, rng.pick(CONSUMER_DOMAINS).to_string())
        }
    };
    for n in 1..50 {
        let local = if n == 1 {
            local.clone()
        } else {
            format!("{local}{n}")
        };
        let address = format!("{local}@{domain}");
        if taken.emails.insert(address.clone()) {
            // Some systems deliver addresses with capitals; the register lower-cases them.
            return Some(if rng.chance(10) {
                capitalised(&address)
            } else {
                address
            });
        }
    }
    None
}

fn capitalised(address: &str) -> String {
    let (local, domain) = address.split_once('@').unwrap_or((address, ""));
    let local = local
        .split('.')
        .map(|part| {
            let mut cs = part.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(".");
    format!("{local}@{domain}")
}

fn digits(rng: &mut Rng, len: i64) -> String {
    (0..len)
        .map(|i| {
            let d = if i == 0 {
                rng.range(2, 9)
            } else {
                rng.range(0, 9)
            };
            char::from(b'0' + d as u8)
        })
        .collect()
}

fn mobile(rng: &mut Rng, taken: &mut Taken) -> Option<Phone> {
    (0..100).find_map(|_| {
        let &(prefix, lens) = rng.pick(MOBILE_PREFIXES);
        let len = *rng.pick(lens);
        let phone = Phone {
            prefix,
            subscriber: digits(rng, len),
        };
        taken.claim_phone(&phone).then_some(phone)
    })
}

fn landline(rng: &mut Rng, area: &'static str, taken: &mut Taken) -> Option<Phone> {
    (0..100).find_map(|_| {
        let len = rng.range(6, 8);
        let phone = Phone {
            prefix: area,
            subscriber: digits(rng, len),
        };
        taken.claim_phone(&phone).then_some(phone)
    })
}

/// A fixed number (Erika's), claimed like any other.
pub(super) fn fixed_phone(prefix: &'static str, subscriber: &str) -> Phone {
    Phone {
        prefix,
        subscriber: subscriber.to_owned(),
    }
}

/// An earlier address of someone who moved (for a `contact_changed` event).
pub(super) fn previous_address(rng: &mut Rng) -> Value {
    let &(city, pc_from, pc_spread, _) = rng.pick(CITIES);
    let postcode = format!("{:05}", pc_from + rng.below(u64::from(pc_spread)) as u32);
    let street = format!("{} {}", rng.pick(STREETS), rng.range(1, 120));
    json!({"street": street, "postcode": postcode, "city": city, "country": "DE"})
}
