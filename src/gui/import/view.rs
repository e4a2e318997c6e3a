//! The Import screen's layout: kind, files, preview, options, start/progress, result.

use iced::widget::{button, checkbox, column, pick_list, row, text, text_input, Column, Id};
use iced::{Center, Element, Fill};

use super::work::{Outcome, MAP_FIELDS};
use super::{Kind, Message, Run, Slot, State, KINDS};
use crate::gui::theme;
use crate::gui::tool_view::{self, card, file_row, Choice};
use crate::i18n::{t, tf, Lang};

pub const TEXT_ID_INPUT: &str = "imp-text-id";

fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Ledger => "imp-kind-ledger",
        Kind::Mailchimp => "imp-kind-mailchimp",
        Kind::Csv => "imp-kind-csv",
    }
}

/// Whole-hour offsets from UTC (the export's times are UTC unless said otherwise).
fn offsets(lang: Lang) -> Vec<Choice<i32>> {
    (-12..=14)
        .map(|h: i32| Choice {
            value: h * 60,
            label: if h == 0 {
                t(lang, "imp-offset-utc").to_owned()
            } else {
                format!("UTC{}{:02}:00", if h < 0 { '-' } else { '+' }, h.abs())
            },
        })
        .collect()
}

impl State {
    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let mut kinds = row![text(t(lang, "imp-kind")).width(220)].spacing(8);
        for kind in KINDS {
            let style = if kind == self.kind {
                theme::primary_button
            } else {
                theme::secondary_button
            };
            kinds = kinds.push(
                button(text(t(lang, kind_key(kind))).size(14))
                    .padding([6, 12])
                    .style(style)
                    .on_press(Message::KindChosen(kind)),
            );
        }
        let mut body = column![kinds.align_y(Center), self.files()];
        // The outcome goes right below the files, where it is seen without scrolling; a
        // finished import's preview is no longer needed.
        if let Some(r) = self.result() {
            body = body.push(r);
        }
        if !matches!(self.run, Run::Done(_)) {
            if let Some(p) = self.preview_card() {
                body = body.push(p);
            }
        }
        match self.kind {
            Kind::Mailchimp => body = body.push(self.mailchimp_options()),
            Kind::Csv if self.preview_ok() => body = body.push(self.mapping_editor()),
            _ => {}
        }
        if self.kind != Kind::Ledger {
            body = body.push(self.skip_option());
        }
        body = body.push(self.start_row());
        tool_view::page(lang, t(lang, "imp-title"), Message::Back, body)
    }

    fn preview_ok(&self) -> bool {
        matches!(&self.preview, Some((_, Some(Ok(_)))))
    }

    fn files(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let content: Column<'_, Message> = match self.kind {
            Kind::Ledger | Kind::Csv => column![file_row(
                t(lang, "imp-file").to_owned(),
                self.main.as_deref(),
                lang,
                Message::Choose(Slot::Main),
                None,
            )],
            Kind::Mailchimp => column![
                file_row(
                    t(lang, "imp-mc-subscribed").to_owned(),
                    self.mailchimp[0].as_deref(),
                    lang,
                    Message::Choose(Slot::Subscribed),
                    None,
                ),
                file_row(
                    t(lang, "imp-mc-unsubscribed").to_owned(),
                    self.mailchimp[1].as_deref(),
                    lang,
                    Message::Choose(Slot::Unsubscribed),
                    Some(Message::Remove(Slot::Unsubscribed)),
                ),
                file_row(
                    t(lang, "imp-mc-cleaned").to_owned(),
                    self.mailchimp[2].as_deref(),
                    lang,
                    Message::Choose(Slot::Cleaned),
                    Some(Message::Remove(Slot::Cleaned)),
                ),
            ],
        };
        card(t(lang, "imp-files").to_owned(), content.spacing(8))
    }

    fn preview_card(&self) -> Option<Element<'_, Message>> {
        let lang = self.lang;
        let (path, result) = self.preview.as_ref()?;
        let name = tool_view::file_label(Some(path), lang);
        let title = tf(lang, "imp-preview", &[("file", &name)]);
        let content: Element<'_, Message> = match result {
            None => text(t(lang, "imp-preview-loading"))
                .color(theme::MUTED_TEXT)
                .into(),
            Some(Err(e)) => theme::error_box(text(e.message(lang).to_owned())),
            Some(Ok(p)) => {
                let mut c = column![].spacing(6);
                if !p.encoding.is_empty() {
                    let delimiter = if p.delimiter == ";" {
                        t(lang, "imp-delimiter-semicolon")
                    } else {
                        t(lang, "imp-delimiter-comma")
                    };
                    c = c.push(
                        text(tf(
                            lang,
                            "imp-detected",
                            &[("encoding", &p.encoding), ("delimiter", delimiter)],
                        ))
                        .size(13)
                        .color(theme::MUTED_TEXT),
                    );
                }
                if p.headers.len() > 8 {
                    c = c.push(
                        text(tf(
                            lang,
                            "imp-more-columns",
                            &[("count", &p.headers.len().to_string())],
                        ))
                        .size(13)
                        .color(theme::MUTED_TEXT),
                    );
                }
                c.push(tool_view::table(&p.headers, &p.rows, 8)).into()
            }
        };
        Some(card(title, content))
    }

    fn mailchimp_options(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let purposes = tool_view::purpose_choices(lang);
        let selected = self
            .purpose
            .as_ref()
            .and_then(|p| purposes.iter().find(|c| c.value == *p).cloned());
        let offsets = offsets(lang);
        let offset = offsets
            .iter()
            .find(|c| c.value == self.offset_minutes)
            .cloned();
        let content = column![
            row![
                text(t(lang, "imp-text-id")).width(220),
                text_input(t(lang, "imp-text-id-placeholder"), &self.consent_text_id)
                    .id(Id::new(TEXT_ID_INPUT))
                    .on_input(Message::ConsentTextId)
                    .on_submit(Message::Start)
                    .padding(6),
            ]
            .spacing(12)
            .align_y(Center),
            row![
                text(t(lang, "imp-purpose")).width(220),
                pick_list(purposes, selected, |c: Choice<String>| Message::Purpose(
                    c.value
                ))
                .placeholder(t(lang, "imp-purpose-placeholder"))
                .width(Fill),
            ]
            .spacing(12)
            .align_y(Center),
            row![
                text(t(lang, "imp-offset")).width(220),
                pick_list(offsets, offset, |c: Choice<i32>| Message::Offset(c.value)),
                text(t(lang, "imp-offset-help"))
                    .size(13)
                    .color(theme::MUTED_TEXT),
            ]
            .spacing(12)
            .align_y(Center),
            text(t(lang, "imp-mc-help"))
                .size(13)
                .color(theme::MUTED_TEXT),
        ]
        .spacing(8);
        card(t(lang, "imp-mc-options").to_owned(), content)
    }

    fn mapping_editor(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let Some((_, Some(Ok(p)))) = &self.preview else {
            return column![].into();
        };
        let mut columns = vec![Choice {
            value: None,
            label: t(lang, "imp-map-none").to_owned(),
        }];
        columns.extend(p.headers.iter().map(|h| Choice {
            value: Some(h.clone()),
            label: h.clone(),
        }));
        let mut grid = column![].spacing(6);
        // Three fields a line: fifteen fields fit the window without scrolling far.
        for (chunk_no, chunk) in MAP_FIELDS.chunks(3).enumerate() {
            let mut line = row![].spacing(16);
            for (j, (key, _, _)) in chunk.iter().enumerate() {
                let i = chunk_no * 3 + j;
                let current = self.mapping.get(i).cloned().flatten();
                let selected = columns.iter().find(|c| c.value == current).cloned();
                line = line.push(
                    row![
                        text(t(lang, &format!("imp-field-{key}")).to_owned())
                            .size(14)
                            .width(130),
                        pick_list(
                            columns.clone(),
                            selected,
                            move |c: Choice<Option<String>>| { Message::Mapped(i, c.value) }
                        )
                        .text_size(14)
                        .width(Fill),
                    ]
                    .spacing(6)
                    .align_y(Center)
                    .width(Fill),
                );
            }
            grid = grid.push(line);
        }
        let content = column![
            text(t(lang, "imp-map-help"))
                .size(13)
                .color(theme::MUTED_TEXT),
            grid
        ]
        .spacing(8);
        card(t(lang, "imp-map").to_owned(), content)
    }

    fn skip_option(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let mut c = column![checkbox(self.skip_invalid)
            .label(t(lang, "imp-skip"))
            .on_toggle(Message::SkipInvalid)]
        .spacing(8);
        if self.skip_invalid {
            c = c.push(file_row(
                t(lang, "imp-report").to_owned(),
                self.report.as_deref(),
                lang,
                Message::Choose(Slot::Report),
                Some(Message::Remove(Slot::Report)),
            ));
        } else {
            c = c.push(
                text(t(lang, "imp-atomic-help"))
                    .size(13)
                    .color(theme::MUTED_TEXT),
            );
        }
        card(t(lang, "imp-on-error").to_owned(), c)
    }

    fn start_row(&self) -> Element<'_, Message> {
        let lang = self.lang;
        if let Run::Running { progress, cancel } = &self.run {
            let status = if cancel.is_cancelled() {
                t(lang, "imp-cancelling").to_owned()
            } else if progress.total > 0 {
                tf(
                    lang,
                    "imp-progress",
                    &[("percent", &format!("{:.0}", progress.fraction() * 100.0))],
                )
            } else {
                t(lang, "imp-running").to_owned()
            };
            return tool_view::running(
                lang,
                progress.fraction(),
                status,
                (!cancel.is_cancelled()).then_some(Message::Cancel),
            );
        }
        let missing = self.missing();
        row![
            button(text(t(lang, "imp-start")))
                .padding([8, 18])
                .style(theme::primary_button)
                .on_press_maybe(missing.is_none().then_some(Message::Start)),
            text(missing.map(|k| t(lang, k)).unwrap_or_default()).color(theme::MUTED_TEXT),
        ]
        .spacing(12)
        .align_y(Center)
        .into()
    }

    fn result(&self) -> Option<Element<'_, Message>> {
        let lang = self.lang;
        match &self.run {
            Run::Done(o) => Some(card(t(lang, "imp-done").to_owned(), summary(o, lang))),
            Run::Failed(e) => Some(theme::error_box(
                column![
                    text(t(lang, "imp-failed")),
                    text(e.message(lang).to_owned()),
                    text(e.hint(lang).to_owned()).size(13),
                ]
                .spacing(4),
            )),
            Run::Cancelled => Some(
                text(t(lang, "imp-cancelled"))
                    .color(theme::ERROR_TEXT)
                    .into(),
            ),
            Run::Idle | Run::Running { .. } => None,
        }
    }
}

/// The counts of a finished import, one line each.
pub fn summary_lines(o: &Outcome, lang: Lang) -> Vec<String> {
    let n = |v: u64| v.to_string();
    let mut lines = Vec::new();
    if let Some(rows) = o.rows {
        lines.push(tf(lang, "imp-sum-rows", &[("count", &n(rows))]));
    }
    lines.push(tf(
        lang,
        "imp-sum-added",
        &[("count", &n(o.contacts_added))],
    ));
    if o.rows.is_some() {
        lines.push(tf(
            lang,
            "imp-sum-matched",
            &[("count", &n(o.contacts_matched))],
        ));
    }
    lines.push(tf(lang, "imp-sum-events", &[("count", &n(o.events_added))]));
    lines.push(tf(lang, "imp-sum-unchanged", &[("count", &n(o.unchanged))]));
    if o.rows.is_some() {
        lines.push(tf(lang, "imp-sum-rejected", &[("count", &n(o.rejected))]));
    }
    if o.suppressed > 0 {
        lines.push(tf(lang, "import-suppressed", &[("n", &n(o.suppressed))]));
    }
    if let Some(p) = &o.report {
        lines.push(tf(
            lang,
            "imp-sum-report",
            &[("file", &p.display().to_string())],
        ));
    }
    lines
}

fn summary<'a>(o: &Outcome, lang: Lang) -> Element<'a, Message> {
    let mut c = column![].spacing(4).width(Fill);
    for l in summary_lines(o, lang) {
        c = c.push(text(l));
    }
    c.into()
}
