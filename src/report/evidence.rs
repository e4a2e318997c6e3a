//! The evidence report (Einwilligungsnachweis) as a printable document: who consented to
//! what, when, how it was proven, and what that means for a contact today.

use super::doc::{Block, Cell, Doc, Style, Table, Tone};
use super::model::{purposes_named, EvidenceModel};
use super::text::{self, both, local, named};
use crate::domain::{Channel, Party};
use crate::i18n::{label, t, tf, Lang};

fn verdict_cell(lang: Lang, allowed: bool) -> Cell {
    if allowed {
        Cell::styled(label(lang, "allowed"), Style::toned(true, Tone::Good))
    } else {
        Cell::styled(label(lang, "denied"), Style::toned(true, Tone::Bad))
    }
}

/// One line per channel: for which purposes a contact is allowed now, else why not.
fn at_a_glance(lang: Lang, m: &EvidenceModel) -> Block {
    let rows = Channel::ALL
        .iter()
        .map(|&channel| {
            let ds: Vec<_> = m
                .decisions
                .iter()
                .filter(|d| d.channel == channel)
                .collect();
            let allowed: Vec<String> = ds
                .iter()
                .filter(|d| d.decision.allowed())
                .map(|d| named(lang, "report-purpose", d.purpose.as_str()))
                .collect();
            let cell = if allowed.is_empty() {
                let why = ds
                    .first()
                    .map(|d| d.decision.explanation(lang).to_owned())
                    .unwrap_or_default();
                Cell::styled(t(lang, "report-glance-none"), Style::toned(true, Tone::Bad))
                    .push(why, Style::PLAIN)
            } else {
                Cell::styled(
                    tf(
                        lang,
                        "report-glance-allowed",
                        &[("purposes", &allowed.join(", "))],
                    ),
                    Style::toned(true, Tone::Good),
                )
            };
            (label(lang, channel.as_str()).to_owned(), cell)
        })
        .collect();
    Block::Fields(rows)
}

/// The events a decision rests on; a long list (every use of a consent) is shortened to
/// its first and last ids — the complete ledger follows in its own table.
fn evidence_ids(lang: Lang, ids: &[String]) -> String {
    const SHOWN: usize = 6;
    if ids.is_empty() {
        return "—".to_owned();
    }
    if ids.len() <= SHOWN {
        return ids.join(", ");
    }
    let more = tf(
        lang,
        "report-more-events",
        &[("count", &(ids.len() - 5).to_string())],
    );
    format!(
        "{}, {more}, {}",
        ids[..3].join(", "),
        ids[ids.len() - 2..].join(", ")
    )
}

fn decisions_table(lang: Lang, m: &EvidenceModel) -> Table {
    let mut table = Table::new(&[
        (t(lang, "report-col-channel"), 0.10),
        (t(lang, "report-col-purpose"), 0.15),
        (t(lang, "report-col-result"), 0.12),
        (t(lang, "report-col-reason"), 0.28),
        (t(lang, "report-col-legal-basis"), 0.22),
        (t(lang, "report-col-evidence"), 0.13),
    ]);
    for d in &m.decisions {
        let mut reason = Cell::styled(d.decision.reason.as_str(), Style::BOLD)
            .push(d.decision.explanation(lang), Style::PLAIN);
        if let Some(k) = d.decision.keep_until {
            reason = reason.push(
                tf(
                    lang,
                    "report-keep-until-short",
                    &[("date", &text::date(lang, &k))],
                ),
                Style::MUTED,
            );
        }
        table.rows.push(vec![
            Cell::text(label(lang, d.channel.as_str())),
            Cell::text(named(lang, "report-purpose", d.purpose.as_str()))
                .push(d.purpose.as_str(), Style::MUTED),
            verdict_cell(lang, d.decision.allowed()),
            reason,
            Cell::text(crate::domain::reason::legal_basis_text(
                d.decision.legal_basis,
                lang,
            )),
            Cell::text(evidence_ids(lang, &d.decision.event_ids)),
        ]);
    }
    table
}

fn ledger_table(lang: Lang, m: &EvidenceModel) -> Table {
    let mut table = Table::new(&[
        (t(lang, "report-col-no"), 0.13),
        (t(lang, "report-col-time"), 0.22),
        (t(lang, "report-col-event"), 0.48),
        (t(lang, "report-col-recorded-by"), 0.17),
    ]);
    for (i, e) in m.events.iter().enumerate() {
        let mut time = Cell::text(both(lang, &e.at));
        if e.at > m.made.at {
            time = time.push(t(lang, "report-after-report-time"), Style::MUTED);
        }
        table.rows.push(vec![
            Cell::text(format!("{}", i + 1)).push(e.id_str(), Style::BOLD),
            time,
            text::event_cell(lang, e),
            Cell::text(e.recorded_by.clone().unwrap_or_else(|| "—".into()))
                .push(e.source.clone().unwrap_or_default(), Style::MUTED),
        ]);
    }
    table
}

/// The evidence report as a document in `lang`.
pub fn document(lang: Lang, m: &EvidenceModel) -> Doc {
    let title = t(lang, "report-evidence-title").to_owned();
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Paragraph(
            tf(
                lang,
                "report-made",
                &[("date", &local(lang, &m.made.at)), ("by", &m.made.by)],
            ),
            Style::MUTED,
        ),
        Block::Paragraph(t(lang, "report-evidence-intro").into(), Style::PLAIN),
        Block::Heading(t(lang, "report-controller").into()),
        text::controller_fields(lang, &m.controller),
        Block::Heading(t(lang, "report-person").into()),
        text::person_fields(lang, &m.contact),
        Block::Heading(label(lang, "classification").into()),
        text::classification_fields(lang, &m.classification),
        Block::Heading(tf(
            lang,
            "report-glance",
            &[("date", &local(lang, &m.made.at))],
        )),
        at_a_glance(lang, m),
        Block::Heading(t(lang, "report-decisions").into()),
        Block::Paragraph(t(lang, "report-decisions-intro").into(), Style::PLAIN),
    ];
    if purposes_named(&m.events).is_empty() {
        // The decisions are then for a stand-in purpose; say so rather than imply a consent.
        blocks.push(Block::Paragraph(
            t(lang, "report-decisions-stand-in").into(),
            Style::MUTED,
        ));
    }
    blocks.push(Block::Table(decisions_table(lang, m)));
    if m.contact.party == Party::Consumer {
        blocks.push(Block::Heading(t(lang, "report-retention").into()));
        let text = match m.phone_keep_until() {
            Some(k) => tf(
                lang,
                "report-retention-until",
                &[("date", &local(lang, &k))],
            ),
            None => t(lang, "report-retention-none").to_owned(),
        };
        blocks.push(Block::Paragraph(text, Style::PLAIN));
    }
    blocks.push(Block::Heading(t(lang, "report-policy").into()));
    blocks.push(Block::Paragraph(
        t(lang, "report-policy-intro").into(),
        Style::PLAIN,
    ));
    blocks.push(text::policy_fields(lang, &m.policy));
    blocks.push(Block::Heading(t(lang, "report-ledger").into()));
    blocks.push(Block::Paragraph(
        tf(
            lang,
            "report-ledger-intro",
            &[("count", &m.events.len().to_string())],
        ),
        Style::PLAIN,
    ));
    blocks.push(Block::Table(ledger_table(lang, m)));
    text::contact_doc(lang, &title, &m.contact, &m.stamp, &m.made, blocks)
}
