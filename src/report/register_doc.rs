//! The register report for auditors: the state of the register at the end of a period,
//! the revocations and objections received in it and how fast they were recorded.

use super::doc::{Block, Cell, Doc, Style, Table};
use super::model::{Receipt, RegisterModel};
use super::text::{self, both, duration, local, named};
use crate::domain::{EventKind, ObjectionScope};
use crate::i18n::{label, t, tf, Lang};

fn scope_text(lang: Lang, kind: &EventKind) -> String {
    match kind {
        EventKind::ConsentRevoked {
            channels, purposes, ..
        } => format!(
            "{} · {}",
            channels
                .iter()
                .map(|c| named(lang, "report-channel", c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            purposes
                .iter()
                .map(|p| named(lang, "report-purpose", p.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        EventKind::Objection { scope, .. } => match scope {
            ObjectionScope::All => t(lang, "report-objection-all").to_owned(),
            ObjectionScope::Channels(cs) => cs
                .iter()
                .map(|c| label(lang, c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        },
        _ => String::new(),
    }
}

fn via(kind: &EventKind) -> Option<&str> {
    match kind {
        EventKind::ConsentRevoked { via, .. } | EventKind::Objection { via, .. } => via.as_deref(),
        _ => None,
    }
}

fn receipts_table(lang: Lang, receipts: &[Receipt]) -> Table {
    let mut table = Table::new(&[
        (t(lang, "report-col-received"), 0.21),
        (t(lang, "report-col-contact"), 0.12),
        (t(lang, "report-col-scope"), 0.19),
        (t(lang, "report-col-via"), 0.15),
        (t(lang, "report-col-recorded"), 0.19),
        (t(lang, "report-col-delay"), 0.14),
    ]);
    for r in receipts {
        let e = &r.event;
        table.rows.push(vec![
            Cell::text(both(lang, &e.at)).push(e.id_str(), Style::MUTED),
            Cell::text(e.contact.clone()),
            Cell::text(scope_text(lang, &e.kind)),
            Cell::text(via(&e.kind).unwrap_or("—")),
            match r.recorded_at {
                Some(at) => Cell::text(text::utc(lang, &at))
                    .push(e.recorded_by.clone().unwrap_or_default(), Style::MUTED),
                None => Cell::styled(t(lang, "report-unknown"), Style::MUTED),
            },
            match r.delay_seconds() {
                Some(s) => Cell::text(duration(lang, s)),
                None => Cell::styled(t(lang, "report-unknown"), Style::MUTED),
            },
        ]);
    }
    table
}

fn receipts_blocks(lang: Lang, heading: &str, empty: &str, receipts: &[Receipt]) -> Vec<Block> {
    let mut out = vec![Block::Heading(format!(
        "{} ({})",
        t(lang, heading),
        receipts.len()
    ))];
    if receipts.is_empty() {
        out.push(Block::Paragraph(t(lang, empty).into(), Style::PLAIN));
    } else {
        out.push(Block::Table(receipts_table(lang, receipts)));
    }
    out
}

/// The register report as a document in `lang`.
pub fn document(lang: Lang, m: &RegisterModel) -> Doc {
    let title = t(lang, "report-register-title").to_owned();
    let from = m
        .from
        .as_ref()
        .map(|f| local(lang, f))
        .unwrap_or_else(|| t(lang, "report-period-start").to_owned());
    let period = tf(
        lang,
        "report-period",
        &[("from", &from), ("to", &local(lang, &m.to))],
    );
    let mut counts = Table::new(&[
        (t(lang, "report-col-channel"), 0.13),
        (label(lang, "state_none"), 0.11),
        (label(lang, "state_pending"), 0.15),
        (label(lang, "state_active"), 0.11),
        (label(lang, "state_revoked"), 0.14),
        (t(lang, "report-col-objection"), 0.17),
        (t(lang, "report-col-contactable"), 0.19),
    ]);
    for (channel, n) in &m.counts {
        counts.rows.push(
            [
                label(lang, channel.as_str()).to_owned(),
                n.none.to_string(),
                n.pending.to_string(),
                n.active.to_string(),
                n.revoked.to_string(),
                n.objection.to_string(),
                n.allowed.to_string(),
            ]
            .into_iter()
            .map(Cell::text)
            .collect(),
        );
    }
    let unknown = m
        .revocations
        .iter()
        .chain(&m.objections)
        .filter(|r| r.recorded_at.is_none())
        .count();
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Paragraph(period.clone(), Style::BOLD),
        Block::Paragraph(
            tf(
                lang,
                "report-made",
                &[("date", &local(lang, &m.made.at)), ("by", &m.made.by)],
            ),
            Style::MUTED,
        ),
        Block::Heading(t(lang, "report-controller").into()),
        text::controller_fields(lang, &m.controller),
        Block::Heading(t(lang, "report-overview").into()),
        Block::Fields(vec![
            (
                t(lang, "report-contacts-total").into(),
                Cell::text(m.contacts.to_string()),
            ),
            (
                t(lang, "report-events-in-period").into(),
                Cell::text(m.events_in_period.to_string()),
            ),
            (
                t(lang, "report-revocations").into(),
                Cell::text(m.revocations.len().to_string()),
            ),
            (
                t(lang, "report-objections").into(),
                Cell::text(m.objections.len().to_string()),
            ),
            (
                t(lang, "report-erasures").into(),
                Cell::text(m.erasures.to_string())
                    .push(t(lang, "report-erasures-note"), Style::MUTED),
            ),
        ]),
        Block::Heading(tf(lang, "report-counts", &[("date", &local(lang, &m.to))])),
        Block::Paragraph(t(lang, "report-counts-intro").into(), Style::PLAIN),
        Block::Table(counts),
    ];
    blocks.push(Block::Paragraph(
        t(lang, "report-recorded-note").into(),
        Style::MUTED,
    ));
    if unknown > 0 {
        blocks.push(Block::Paragraph(
            tf(
                lang,
                "report-recorded-unknown",
                &[("count", &unknown.to_string())],
            ),
            Style::MUTED,
        ));
    }
    blocks.extend(receipts_blocks(
        lang,
        "report-revocations",
        "report-none-in-period",
        &m.revocations,
    ));
    blocks.extend(receipts_blocks(
        lang,
        "report-objections",
        "report-none-in-period",
        &m.objections,
    ));
    blocks.push(Block::Heading(t(lang, "report-policy").into()));
    blocks.push(Block::Paragraph(
        t(lang, "report-policy-intro").into(),
        Style::PLAIN,
    ));
    blocks.push(text::policy_fields(lang, &m.policy));
    blocks.extend(text::fingerprint_blocks(
        lang,
        &m.stamp,
        "report-fingerprint-period",
    ));
    text::doc(
        lang,
        title.clone(),
        format!("{title} {period}"),
        &m.stamp,
        &m.made,
        blocks,
    )
}
