//! Wording shared by the reports: times in local time and UTC, event fields, settings.

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

use super::controller::Controller;
use super::doc::{Block, Cell, Doc, Style};
use super::fingerprint::Stamp;
use super::model::Made;
use crate::domain::{Classification, ClassificationBasis, Contact, Event, Policy};
use crate::i18n::{label, t, tf, Lang};

/// `29.11.2026 18:05:00 (+01:00)` / `2026-11-29 18:05:00 (+01:00)`: the time as recorded,
/// with its offset.
pub fn local(lang: Lang, at: &DateTime<FixedOffset>) -> String {
    let fmt = match lang {
        Lang::De => "%d.%m.%Y %H:%M:%S (%:z)",
        Lang::En => "%Y-%m-%d %H:%M:%S (%:z)",
    };
    at.format(fmt).to_string()
}

pub fn utc(lang: Lang, at: &DateTime<Utc>) -> String {
    let fmt = match lang {
        Lang::De => "%d.%m.%Y %H:%M:%S UTC",
        Lang::En => "%Y-%m-%d %H:%M:%S UTC",
    };
    at.format(fmt).to_string()
}

pub fn date(lang: Lang, at: &DateTime<FixedOffset>) -> String {
    let fmt = match lang {
        Lang::De => "%d.%m.%Y",
        Lang::En => "%Y-%m-%d",
    };
    at.format(fmt).to_string()
}

/// Local time and UTC on two lines.
pub fn both(lang: Lang, at: &DateTime<FixedOffset>) -> String {
    format!(
        "{}\n{}",
        local(lang, at),
        utc(lang, &at.with_timezone(&Utc))
    )
}

/// `3 d 4 h 5 min`, `< 1 min`.
pub fn duration(lang: Lang, seconds: i64) -> String {
    if seconds < 60 {
        return t(lang, "report-duration-under-minute").to_owned();
    }
    let (d, h, m) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} {}", t(lang, "report-unit-days")));
    }
    if h > 0 {
        parts.push(format!("{h} {}", t(lang, "report-unit-hours")));
    }
    if m > 0 && d == 0 {
        parts.push(format!("{m} {}", t(lang, "report-unit-minutes")));
    }
    parts.join(" ")
}

/// A catalogue text by `prefix-name`, or `name` itself when the catalogue has none
/// (custom purposes, fields added by other systems).
pub fn named(lang: Lang, prefix: &str, name: &str) -> String {
    let key = format!("{prefix}-{name}");
    let text = t(lang, &key);
    if text == key {
        name.to_owned()
    } else {
        text.to_owned()
    }
}

pub fn not_set(lang: Lang) -> String {
    t(lang, "report-not-set").to_owned()
}

fn value_text(lang: Lang, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => t(lang, "report-yes").into(),
        Value::Bool(false) => t(lang, "report-no").into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| value_text(lang, i))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// Every field of the event except those printed in their own columns, as `label: value`.
pub fn event_fields(lang: Lang, e: &Event) -> Vec<String> {
    const OWN_COLUMN: [&str; 7] = [
        "kind",
        "id",
        "contact",
        "at",
        "type",
        "recorded_by",
        "source",
    ];
    e.to_object()
        .iter()
        .filter(|(k, _)| !OWN_COLUMN.contains(&k.as_str()))
        .map(|(k, v)| {
            format!(
                "{}: {}",
                named(lang, "report-field", k),
                value_text(lang, v)
            )
        })
        .collect()
}

/// The event cell: its type in bold, then every evidence field.
pub fn event_cell(lang: Lang, e: &Event) -> Cell {
    let mut cell = Cell::styled(
        format!(
            "{} ({})",
            named(lang, "report-event", e.kind.type_name()),
            e.kind.type_name()
        ),
        Style::BOLD,
    );
    for line in event_fields(lang, e) {
        cell = cell.push(line, Style::PLAIN);
    }
    cell
}

pub fn controller_fields(lang: Lang, c: &Controller) -> Block {
    let v = |x: &Option<String>| Cell::text(x.clone().unwrap_or_else(|| not_set(lang)));
    Block::Fields(vec![
        (
            t(lang, "report-controller-name").into(),
            v(&c.controller_name),
        ),
        (
            t(lang, "report-controller-address").into(),
            v(&c.controller_address),
        ),
        (t(lang, "report-dpo-contact").into(), v(&c.dpo_contact)),
    ])
}

pub fn person_fields(lang: Lang, c: &Contact) -> Block {
    let list = |v: &[String]| {
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.join(", ")
        }
    };
    let mut rows = vec![
        (
            t(lang, "report-contact-id").to_owned(),
            Cell::text(c.id.clone()),
        ),
        (
            t(lang, "report-name").to_owned(),
            Cell::styled(
                if c.name.is_empty() {
                    "—".to_owned()
                } else {
                    c.name.clone()
                },
                Style::BOLD,
            ),
        ),
        (
            label(lang, "company").to_owned(),
            Cell::text(c.company.clone().unwrap_or_else(|| "—".into())),
        ),
        (
            t(lang, "report-party").to_owned(),
            Cell::text(label(lang, c.party.as_str())),
        ),
        (
            label(lang, "emails").to_owned(),
            Cell::text(list(&c.emails)),
        ),
        (
            label(lang, "phones").to_owned(),
            Cell::text(list(&c.phones)),
        ),
        (
            label(lang, "address").to_owned(),
            Cell::text(
                c.address
                    .as_ref()
                    .map(|a| a.one_line())
                    .filter(|a| !a.is_empty())
                    .unwrap_or_else(|| "—".into()),
            ),
        ),
        (
            label(lang, "customer_number").to_owned(),
            Cell::text(c.customer_number.clone().unwrap_or_else(|| "—".into())),
        ),
    ];
    if !c.tags.is_empty() {
        rows.push((
            t(lang, "report-tags").to_owned(),
            Cell::text(c.tags.join(", ")),
        ));
    }
    // Fields other systems added are stored too, so they are part of what is stated.
    let address_extra = c.address.iter().flat_map(|a| a.extra.iter());
    for (k, v) in c.extra.iter().chain(address_extra) {
        rows.push((k.clone(), Cell::text(value_text(lang, v))));
    }
    Block::Fields(rows)
}

pub fn classification_fields(lang: Lang, c: &Classification) -> Block {
    let reason = match &c.basis {
        ClassificationBasis::Purchase {
            event_id,
            at,
            product_category,
        } => tf(
            lang,
            "report-basis-purchase",
            &[
                ("date", &local(lang, at)),
                ("event", event_id),
                ("category", product_category),
            ],
        ),
        ClassificationBasis::Manual {
            event_id,
            at,
            by,
            reason,
        } => tf(
            lang,
            "report-basis-manual",
            &[
                ("date", &local(lang, at)),
                ("event", event_id),
                ("by", by.as_deref().unwrap_or("?")),
                ("reason", reason),
            ],
        ),
        ClassificationBasis::Imported => t(lang, "report-basis-imported").to_owned(),
    };
    Block::Fields(vec![
        (
            label(lang, "classification").to_owned(),
            Cell::styled(label(lang, c.relationship.as_str()), Style::BOLD),
        ),
        (label(lang, "reason").to_owned(), Cell::text(reason)),
    ])
}

pub fn policy_fields(lang: Lang, p: &Policy) -> Block {
    let stale = if p.consent_stale_after_months == 0 {
        t(lang, "report-policy-never").to_owned()
    } else {
        p.consent_stale_after_months.to_string()
    };
    let groups = p
        .similarity_groups
        .iter()
        .map(|g| g.join(", "))
        .collect::<Vec<_>>()
        .join("; ");
    Block::Fields(vec![
        (
            t(lang, "report-policy-stale").to_owned(),
            Cell::text(stale).push("consent_stale_after_months", Style::MUTED),
        ),
        (
            t(lang, "report-policy-own-offer").to_owned(),
            Cell::text(p.own_offer_purposes.join(", ")).push("own_offer_purposes", Style::MUTED),
        ),
        (
            t(lang, "report-policy-similarity").to_owned(),
            Cell::text(if groups.is_empty() {
                "—".to_owned()
            } else {
                groups
            })
            .push("similarity_groups", Style::MUTED),
        ),
    ])
}

/// The fingerprint section, the same in every report.
pub fn fingerprint_blocks(lang: Lang, stamp: &Stamp, what_key: &str) -> Vec<Block> {
    vec![
        Block::Heading(t(lang, "report-fingerprint").into()),
        Block::Paragraph(t(lang, what_key).into(), Style::PLAIN),
        Block::Paragraph(format!("SHA-256: {}", stamp.sha256), Style::BOLD),
        Block::Paragraph(t(lang, "report-fingerprint-verify").into(), Style::MUTED),
    ]
}

/// A report about one contact: its blocks, then the fingerprint section, under a title that
/// names the person (evidence and access reports share this ending).
pub fn contact_doc(
    lang: Lang,
    title: &str,
    contact: &crate::domain::Contact,
    stamp: &Stamp,
    made: &Made,
    mut blocks: Vec<Block>,
) -> Doc {
    blocks.extend(fingerprint_blocks(
        lang,
        stamp,
        "report-fingerprint-contact",
    ));
    doc(
        lang,
        format!("{title} – {}", contact.display_name()),
        format!("{title} {}", contact.id),
        stamp,
        made,
        blocks,
    )
}

/// A document with the shared metadata and footer filled in.
pub fn doc(
    lang: Lang,
    title: String,
    subject: String,
    stamp: &Stamp,
    made: &Made,
    blocks: Vec<Block>,
) -> Doc {
    Doc {
        footer: tf(
            lang,
            "report-footer",
            &[
                ("title", &title),
                ("date", &local(lang, &made.at)),
                ("by", &made.by),
            ],
        ),
        footer_fingerprint: format!("SHA-256: {}", stamp.sha256),
        page_label: t(lang, "report-page")
            .replace("{ $page }", "{page}")
            .replace("{ $pages }", "{pages}"),
        author: made.by.clone(),
        subject: format!("{subject} · {}", stamp.marker()),
        keywords: vec![stamp.marker()],
        created_unix: made.at.timestamp(),
        title,
        blocks,
    }
}
