//! The access report (Auskunft nach Art. 15 DSGVO), written to the person in plain language.

use super::doc::{Block, Cell, Doc, Style, Table};
use super::model::AccessModel;
use super::text::{self, both, local, named, not_set};
use crate::i18n::{t, tf, Lang};

fn setting_or_not_set(lang: Lang, v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| not_set(lang))
}

fn history_table(lang: Lang, m: &AccessModel) -> Table {
    let mut table = Table::new(&[
        (t(lang, "report-col-time"), 0.24),
        (t(lang, "report-col-event"), 0.56),
        (t(lang, "report-col-source"), 0.20),
    ]);
    for e in &m.events {
        table.rows.push(vec![
            Cell::text(both(lang, &e.at)).push(e.id_str(), Style::MUTED),
            text::event_cell(lang, e),
            Cell::text(e.source.clone().unwrap_or_else(|| "—".into())),
        ]);
    }
    table
}

/// The access report as a document in `lang`.
pub fn document(lang: Lang, m: &AccessModel) -> Doc {
    let title = t(lang, "report-access-title").to_owned();
    let who = m
        .controller
        .controller_name
        .clone()
        .unwrap_or_else(|| not_set(lang));
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
        Block::Paragraph(
            tf(
                lang,
                "report-access-intro",
                &[("name", m.contact.display_name()), ("controller", &who)],
            ),
            Style::PLAIN,
        ),
        Block::Heading(t(lang, "report-access-controller").into()),
        text::controller_fields(lang, &m.controller),
        Block::Heading(t(lang, "report-access-data").into()),
        Block::Paragraph(t(lang, "report-access-data-intro").into(), Style::PLAIN),
        text::person_fields(lang, &m.contact),
        text::classification_fields(lang, &m.classification),
        Block::Heading(t(lang, "report-access-purposes").into()),
    ];
    if m.purposes.is_empty() {
        blocks.push(Block::Paragraph(
            t(lang, "report-access-no-purposes").into(),
            Style::PLAIN,
        ));
    } else {
        blocks.push(Block::Paragraph(
            t(lang, "report-access-purposes-intro").into(),
            Style::PLAIN,
        ));
        blocks.push(Block::Fields(
            m.purposes
                .iter()
                .map(|p| {
                    (
                        named(lang, "report-purpose", p.as_str()),
                        Cell::text(named(lang, "report-purpose-plain", p.as_str())),
                    )
                })
                .collect(),
        ));
    }
    blocks.push(Block::Paragraph(
        t(lang, "report-access-purpose-register").into(),
        Style::PLAIN,
    ));
    blocks.push(Block::Heading(t(lang, "report-access-sources").into()));
    blocks.push(Block::Paragraph(
        if m.sources.is_empty() {
            t(lang, "report-access-no-sources").to_owned()
        } else {
            m.sources
                .iter()
                .map(|s| named(lang, "report-source", s))
                .collect::<Vec<_>>()
                .join("; ")
        },
        Style::PLAIN,
    ));
    blocks.push(Block::Heading(t(lang, "report-access-recipients").into()));
    blocks.push(Block::Paragraph(
        setting_or_not_set(lang, &m.controller.recipients),
        Style::PLAIN,
    ));
    blocks.push(Block::Heading(t(lang, "report-access-storage").into()));
    blocks.push(Block::Paragraph(
        setting_or_not_set(lang, &m.controller.storage_period),
        Style::PLAIN,
    ));
    blocks.push(Block::Heading(t(lang, "report-access-history").into()));
    blocks.push(Block::Paragraph(
        tf(
            lang,
            "report-access-history-intro",
            &[("count", &m.events.len().to_string())],
        ),
        Style::PLAIN,
    ));
    blocks.push(Block::Table(history_table(lang, m)));
    blocks.push(Block::Heading(t(lang, "report-rights").into()));
    for key in [
        "report-right-withdraw",
        "report-right-object",
        "report-right-erase",
        "report-right-rectify",
        "report-right-restrict",
    ] {
        blocks.push(Block::Paragraph(t(lang, key).into(), Style::PLAIN));
    }
    blocks.push(Block::Paragraph(
        tf(
            lang,
            "report-right-complain",
            &[(
                "authority",
                &setting_or_not_set(lang, &m.controller.supervisory_authority),
            )],
        ),
        Style::PLAIN,
    ));
    blocks.push(Block::Paragraph(
        tf(
            lang,
            "report-rights-contact",
            &[("dpo", &setting_or_not_set(lang, &m.controller.dpo_contact))],
        ),
        Style::PLAIN,
    ));
    text::contact_doc(lang, &title, &m.contact, &m.stamp, &m.made, blocks)
}
