//! The consent histories: each contact gets one kind of case, so that together the demo
//! shows every rule of LEGAL.md at work. The first contact of each kind gets its textbook
//! version (`variant` 0); later ones vary.

use chrono::Datelike;
use serde_json::json;

use super::history::History;
use super::people::Identity;
use super::steps::*;
use super::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    NewsletterDoi,
    DoiPending,
    DoiRevoked,
    Customer73,
    ObjectionAll,
    ObjectionChannels,
    ObjectionWithdrawn,
    CustomerNoNotice,
    CustomerPhoneOrder,
    CustomerRevoked,
    FreeAccount,
    B2bPresumed,
    B2bCold,
    Robinson,
    Stale,
    Prechecked,
    LegacyImport,
    SmsVerified,
    PhoneUnverified,
    RecordedCall,
    ManualClassified,
    Quiet,
}

/// Every kind, in the order the textbook cases are placed, with its weight among the
/// randomly drawn contacts.
pub(super) const KINDS: &[(Kind, u64)] = &[
    (Kind::NewsletterDoi, 18),
    (Kind::DoiPending, 4),
    (Kind::DoiRevoked, 7),
    (Kind::Customer73, 14),
    (Kind::B2bPresumed, 8),
    (Kind::B2bCold, 8),
    (Kind::ObjectionAll, 4),
    (Kind::ObjectionChannels, 4),
    (Kind::ObjectionWithdrawn, 2),
    (Kind::CustomerNoNotice, 4),
    (Kind::CustomerPhoneOrder, 3),
    (Kind::CustomerRevoked, 3),
    (Kind::FreeAccount, 5),
    (Kind::Robinson, 3),
    (Kind::Stale, 5),
    (Kind::Prechecked, 3),
    (Kind::LegacyImport, 5),
    (Kind::SmsVerified, 4),
    (Kind::PhoneUnverified, 3),
    (Kind::RecordedCall, 3),
    (Kind::ManualClassified, 3),
    (Kind::Quiet, 10),
];

impl Kind {
    pub fn draw(rng: &mut Rng) -> Kind {
        let total: u64 = KINDS.iter().map(|&(_, w)| w).sum();
        let mut r = rng.below(total);
        for &(kind, w) in KINDS {
            if r < w {
                return kind;
            }
            r -= w;
        }
        Kind::Quiet
    }
}

/// What is decided about a contact before it is written.
pub(super) struct Plan {
    pub kind: Kind,
    pub business: bool,
    /// Imported as customer (with a customer number); every contact with a purchase is.
    pub customer: bool,
    /// 0 for the textbook case, else 0..100 to choose between variants.
    pub variant: u64,
}

impl Plan {
    pub fn new(kind: Kind, textbook: bool, rng: &mut Rng) -> Plan {
        let variant = if textbook { 0 } else { rng.below(100) };
        let business = match kind {
            Kind::B2bPresumed | Kind::B2bCold => true,
            Kind::SmsVerified | Kind::PhoneUnverified => false,
            _ => !textbook && rng.chance(17),
        };
        let customer = match kind {
            Kind::Customer73
            | Kind::CustomerNoNotice
            | Kind::CustomerPhoneOrder
            | Kind::CustomerRevoked => true,
            Kind::ObjectionAll | Kind::ManualClassified => variant >= 50,
            Kind::B2bPresumed => variant >= 70,
            _ => false,
        };
        Plan {
            kind,
            business,
            customer,
            variant,
        }
    }
}

/// Writes the history of a contact according to its plan.
pub(super) fn write(p: &Plan, who: &Identity, h: &mut History) {
    let email = who.email();
    let email = Some(email.as_str());
    let style = h.rng.below(8);
    let phone = who.phone_as(style);
    let phone = phone.as_deref();
    let v = p.variant;
    let textbook = v == 0;
    let pick = |h: &mut History, lo: i64, hi: i64, fixed: i64| {
        if textbook {
            fixed
        } else {
            h.rng.range(lo, hi)
        }
    };
    let newsletter = ["newsletter"];
    match p.kind {
        Kind::NewsletterDoi => {
            let g = pick(h, 20, 700, 120);
            let purposes: &[&str] = if v >= 70 {
                &["newsletter", "product_offers_own"]
            } else {
                &newsletter
            };
            let text = if g > 400 {
                "CT-NEWSLETTER-v2"
            } else {
                "CT-NEWSLETTER-v3"
            };
            doi(
                h,
                g,
                &Ask {
                    purposes,
                    ..Ask::newsletter(text, email)
                },
                "email",
            );
            let count = if g > 480 {
                h.rng.range(1, 6)
            } else {
                h.rng.range(0, 5)
            };
            sends(h, "email", "newsletter", 2, (g - 2).min(400), count);
        }
        Kind::DoiPending => {
            let at = pick(h, 1, 12, 3);
            let at = h.day(at);
            request(h, at, &Ask::newsletter("CT-NEWSLETTER-v3", email));
            if v >= 60 {
                let again = h.later(at, 86_400);
                note(
                    h,
                    again,
                    "Bestätigungs-Mail nach 24 Stunden erneut versandt",
                );
            }
        }
        Kind::DoiRevoked => {
            let g = pick(h, 250, 900, 400);
            let r = pick(h, 5, 200, 40);
            doi(h, g, &Ask::newsletter("CT-NEWSLETTER-v2", email), "email");
            let count = h.rng.range(1, 4);
            sends(h, "email", "newsletter", r + 2, g - 2, count);
            let (channels, purposes): (&[&str], &[&str]) = match v {
                75.. => (&["*"], &["*"]),
                50.. => (&["email"], &["*"]),
                _ => (&["email"], &newsletter),
            };
            let via = if textbook {
                "unsubscribe_link"
            } else {
                *h.rng
                    .pick(&["unsubscribe_link", "email", "letter", "phone"])
            };
            let by = matches!(via, "letter" | "phone").then(|| *h.rng.pick(OFFICERS));
            let at = h.day(r);
            h.push(
                at,
                "consent_revoked",
                json!({"channels": channels, "purposes": purposes, "via": via, "recorded_by": by}),
            );
            if v >= 85 && r > 3 {
                let again = h.rng.range(1, r - 1);
                let again = h.day(again);
                request(h, again, &Ask::newsletter("CT-NEWSLETTER-v3", email));
            }
        }
        Kind::Customer73 => {
            let f = pick(h, 60, 1000, 200);
            let category = if textbook {
                "coffee"
            } else {
                *h.rng.pick(CATEGORIES)
            };
            let phone_collected = h.rng.chance(50);
            purchase(h, f, category, true, phone_collected, true);
            for _ in 0..h.rng.range(0, 2) {
                let (d, c) = (h.rng.range(1, f - 1), *h.rng.pick(CATEGORIES));
                purchase(h, d, c, true, false, true);
            }
            let count = h.rng.range(0, 4);
            sends(h, "email", "product_offers_own", 1, f - 1, count);
        }
        Kind::B2bPresumed => {
            let d = pick(h, 5, 500, 45);
            if v >= 40 {
                let e = d + h.rng.range(1, 30);
                enquiry(h, e, true);
            }
            let (at, by) = (h.day(d), *h.rng.pick(OFFICERS));
            let circumstances = if textbook {
                PRESUMED[0]
            } else {
                *h.rng.pick(PRESUMED)
            };
            h.push(
                at,
                "presumed_consent_documented",
                json!({"circumstances": circumstances, "by": by, "recorded_by": by}),
            );
            if p.customer {
                let b = h.rng.range(1, 900);
                purchase(h, b, "machines", true, true, true);
            }
        }
        Kind::B2bCold => {
            if v < 50 {
                let d = h.rng.range(10, 600);
                let at = h.day(d);
                note(h, at, "Adresse aus einem Branchenverzeichnis – ein Eintrag allein begründet kein mutmaßliches Interesse");
            }
            if v >= 30 {
                let d = h.rng.range(3, 300);
                enquiry(h, d, false);
            }
        }
        Kind::ObjectionAll => {
            let base = pick(h, 120, 900, 500);
            let o = pick(h, 3, base - 20, 30);
            let category = if textbook {
                "coffee"
            } else {
                *h.rng.pick(CATEGORIES)
            };
            if p.customer {
                purchase(h, base, category, true, false, true);
            } else {
                doi(
                    h,
                    base,
                    &Ask::newsletter("CT-NEWSLETTER-v2", email),
                    "email",
                );
                sends(h, "email", "newsletter", o + 1, base - 2, 2);
            }
            let (at, by) = (h.day(o), *h.rng.pick(OFFICERS));
            let via = *h.rng.pick(&["letter", "email", "phone"]);
            h.push(at, "objection", json!({"scope": "all", "via": via, "recorded_by": by, "note": "Werbewiderspruch nach Art. 21 DSGVO"}));
            if p.customer && v >= 75 && o > 2 {
                let d = h.rng.range(1, o - 1);
                purchase(h, d, category, true, false, true);
                let at = h.day(d);
                note(h, at, "Neue Bestellung – der Werbewiderspruch gilt weiter");
            }
        }
        Kind::ObjectionChannels => {
            let g = pick(h, 30, 400, 200);
            let o = pick(h, 2, g - 5, 20);
            doi(h, g, &Ask::newsletter("CT-NEWSLETTER-v3", email), "email");
            let count = h.rng.range(0, 3);
            sends(h, "email", "newsletter", 1, g - 2, count);
            let options: &[&[&str]] = &[
                &["phone", "sms"],
                &["phone"],
                &["letter"],
                &["email"],
                &["sms"],
            ];
            let channels = if textbook {
                options[0]
            } else {
                h.rng.pick(options)
            };
            let (at, by) = (h.day(o), *h.rng.pick(AGENTS));
            h.push(at, "objection", json!({"scope": "channels", "channels": channels, "via": "phone", "recorded_by": by}));
        }
        Kind::ObjectionWithdrawn => {
            let o = pick(h, 200, 700, 400);
            let w = pick(h, 20, o - 30, 60);
            doi(
                h,
                o + 60,
                &Ask::newsletter("CT-NEWSLETTER-v2", email),
                "email",
            );
            let (at, by) = (h.day(o), *h.rng.pick(OFFICERS));
            h.push(
                at,
                "objection",
                json!({"scope": "all", "via": "letter", "recorded_by": by}),
            );
            if v < 60 {
                let at = h.day(w);
                h.push(at, "objection_withdrawn", json!({"via": "email", "recorded_by": by, "note": "Möchte wieder Angebote erhalten"}));
                if v >= 30 && w > 3 {
                    let g = h.rng.range(1, w - 2);
                    doi(h, g, &Ask::newsletter("CT-NEWSLETTER-v3", email), "email");
                }
            } else {
                // Asking again actively lifts the objection, but only for this channel and purpose.
                doi(h, w, &Ask::newsletter("CT-NEWSLETTER-v3", email), "email");
                let at = h.day(w - 1);
                note(h, at, "Neue Newsletter-Anmeldung nach Widerspruch – gilt nur für den Newsletter per E-Mail");
            }
        }
        Kind::CustomerNoNotice => {
            let f = pick(h, 400, 1500, 700);
            let category = if textbook {
                "coffee"
            } else {
                *h.rng.pick(CATEGORIES)
            };
            purchase(h, f, category, true, false, false);
            if v >= 50 {
                let at = h.day(f - 1);
                note(h, at, "Bestellung über den alten Shop – dort fehlte der Hinweis auf das Widerspruchsrecht");
            }
        }
        Kind::CustomerPhoneOrder => {
            let f = pick(h, 10, 900, 150);
            let category = if textbook {
                "tea"
            } else {
                *h.rng.pick(CATEGORIES)
            };
            let notice = v >= 50;
            purchase(h, f, category, false, true, notice);
        }
        Kind::CustomerRevoked => {
            let f = pick(h, 200, 900, 300);
            let g = pick(h, 100, f - 5, 250);
            let r = pick(h, 3, g - 10, 30);
            purchase(h, f, "coffee", true, false, true);
            let ask = Ask {
                path: "/checkout",
                ..Ask::newsletter("CT-NEWSLETTER-v3", email)
            };
            doi(h, g, &ask, "email");
            let count = h.rng.range(1, 3);
            sends(h, "email", "newsletter", r + 1, g - 1, count);
            let at = h.day(r);
            h.push(
                at,
                "consent_revoked",
                json!({"channels": ["email"], "purposes": newsletter, "via": "unsubscribe_link"}),
            );
        }
        Kind::FreeAccount => {
            let a = pick(h, 10, 700, 90);
            let at = h.day(a);
            h.push(at, "account_opened", json!({"paid": v >= 85, "email_collected": true, "objection_notice_given": true, "source": "webshop"}));
            if v >= 40 && a > 2 {
                let e = h.rng.range(1, a - 1);
                enquiry(h, e, true);
            }
        }
        Kind::Robinson => {
            let d = pick(h, 10, 400, 60);
            let at = h.day(d);
            let list = if textbook {
                "Robinsonliste (DDV)"
            } else {
                *h.rng
                    .pick(&["Robinsonliste (DDV)", "Robinsonliste (robinsonliste.de)"])
            };
            h.push(
                at,
                "robinson_list_match",
                json!({"list": list, "source": "abgleich-robinson"}),
            );
            if v >= 50 {
                let g = h.rng.range(20, 300);
                doi(h, g, &Ask::newsletter("CT-NEWSLETTER-v3", email), "email");
            }
        }
        Kind::Stale => {
            let g = pick(h, 600, 1400, 800);
            let text = if g > 1000 {
                "CT-NEWSLETTER-v1"
            } else {
                "CT-NEWSLETTER-v2"
            };
            doi(h, g, &Ask::newsletter(text, email), "email");
            if v >= 50 {
                let count = h.rng.range(1, 3);
                sends(h, "email", "newsletter", 600, g - 2, count);
            }
        }
        Kind::Prechecked => {
            let d = pick(h, 30, 600, 150);
            if v < 60 {
                let ask = Ask {
                    purposes: &["newsletter", "partner_offers"],
                    prechecked: true,
                    path: "/gewinnspiel",
                    ..Ask::newsletter("CT-GEWINNSPIEL-v1", email)
                };
                doi(h, d, &ask, "email");
            } else {
                let at = h.day(d);
                h.push(at, "consent_given", json!({"channels": ["email"], "purposes": ["newsletter", "product_offers_own"], "method": "web_form_checkbox", "prechecked": true, "consent_text_id": "CT-KONTO-v1", "identifier": email, "source": "webshop"}));
            }
            if !(30..80).contains(&v) {
                let at = h.day(d - 1);
                note(h, at, "Checkbox war im Formular vorausgewählt – keine wirksame Einwilligung (EuGH Planet49)");
            }
        }
        Kind::LegacyImport => {
            let d = pick(h, 400, 1800, 900);
            let at = h.day(d);
            if v < 70 {
                let channels: &[&str] = if v >= 40 {
                    &["email", "letter"]
                } else {
                    &["email"]
                };
                let text = (v >= 55).then_some("CT-ALT-2018");
                h.push(at, "consent_given", json!({"channels": channels, "purposes": newsletter, "method": "legacy_import", "consent_text_id": text, "identifier": email, "source": "import:crm-2019", "note": "Aus dem Alt-CRM übernommen"}));
            } else {
                let (by, scan) = (*h.rng.pick(OFFICERS), h.rng.range(1000, 9999));
                h.push(at, "consent_given", json!({"channels": ["email", "letter"], "purposes": newsletter, "method": "paper_form", "evidence_ref": format!("Scan-{scan}"), "identifier": email, "recorded_by": by, "note": "Papierformular ohne Angabe des Einwilligungstexts"}));
            }
        }
        Kind::SmsVerified => {
            let g = pick(h, 20, 400, 60);
            let purposes: &[&str] = if v >= 60 {
                &["product_offers_own", "newsletter"]
            } else {
                &["product_offers_own"]
            };
            let ask = Ask {
                channels: &["sms", "phone"],
                purposes,
                text: "CT-SMS-PHONE-v2",
                prechecked: false,
                identifier: phone,
                path: "/mobil-angebote",
            };
            doi(h, g, &ask, "phone");
            let count = h.rng.range(0, 3);
            sends(h, "sms", "product_offers_own", 1, g - 1, count);
            if v >= 30 {
                let count = h.rng.range(1, 2);
                sends(h, "phone", "product_offers_own", 1, g - 1, count);
            }
        }
        Kind::PhoneUnverified => {
            let g = pick(h, 20, 400, 90);
            if v < 60 {
                let at = h.day(g);
                h.push(at, "consent_given", json!({"channels": ["phone"], "purposes": ["product_offers_own"], "method": "web_form_checkbox", "prechecked": false, "consent_text_id": "CT-PHONE-v2", "identifier": phone, "source": "webshop"}));
            } else {
                // A DOI email proves the address, not the phone number (BGH I ZR 164/09).
                let ask = Ask {
                    channels: &["email", "phone"],
                    ..Ask::newsletter("CT-NEWSLETTER-v3", email)
                };
                doi(h, g, &ask, "email");
            }
        }
        Kind::RecordedCall => {
            let g = pick(h, 20, 500, 100);
            let at = h.day(g);
            let (agent, rec) = (*h.rng.pick(AGENTS), h.rng.range(1, 99_999));
            h.push(at, "consent_given", json!({"channels": ["phone"], "purposes": ["product_offers_own", "survey_customer_satisfaction"], "method": "recorded_call", "prechecked": false, "consent_text_id": "CT-CALL-SCRIPT-v4", "evidence_ref": format!("REC-{}-{rec:05}", at.year()), "verified": ["phone"], "identifier": phone, "recorded_by": agent, "source": "callcenter"}));
            let count = h.rng.range(0, 3);
            sends(h, "phone", "product_offers_own", 1, g - 1, count);
        }
        Kind::ManualClassified => {
            let d = pick(h, 5, 700, 120);
            let (at, by) = (h.day(d), *h.rng.pick(OFFICERS));
            let (relationship, reason) = if p.customer {
                (
                    "prospect",
                    "Testbestellung storniert, es kam kein Kaufvertrag zustande",
                )
            } else if v < 25 {
                (
                    "customer",
                    "Bestellungen laufen über den Großhandelspartner; Rechnungskopie liegt vor",
                )
            } else {
                (
                    "customer",
                    "Rahmenvertrag für Bürokaffee, Abrechnung außerhalb des Shops",
                )
            };
            h.push(
                at,
                "classified",
                json!({"relationship": relationship, "reason": reason, "recorded_by": by}),
            );
            if v >= 40 {
                let e = d + h.rng.range(1, 60);
                enquiry(h, e, true);
            }
        }
        Kind::Quiet => {
            if v < 50 {
                let (d, notice) = (h.rng.range(1, 900), h.rng.chance(50));
                enquiry(h, d, notice);
            }
        }
    }
}
