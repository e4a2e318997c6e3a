//! The List screening screen's layout: list, options, start/progress, summary, first rows.

use std::str::FromStr;

use iced::widget::{button, column, pick_list, row, text, text_input, Id};
use iced::{Center, Element, Fill};

use super::{Message, Run, Screened, State, CHANNELS};
use crate::domain::{QueryChannel, ReasonCode};
use crate::gui::import::work::PreviewTable;
use crate::gui::theme;
use crate::gui::tool_view::{self, card, file_row, Choice};
use crate::i18n::{t, tf, Lang};
use crate::screening::ADDED_COLUMNS;

pub const AS_OF_INPUT: &str = "scr-as-of";

fn channel_label(lang: Lang, c: QueryChannel) -> String {
    match c {
        QueryChannel::Contact(ch) => t(lang, &format!("channel-{}", ch.as_str())).to_owned(),
        QueryChannel::None => t(lang, "scr-channel-none").to_owned(),
    }
}

impl State {
    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let mut body = column![card(
            t(lang, "scr-list").to_owned(),
            column![
                file_row(
                    t(lang, "scr-list-file").to_owned(),
                    self.list.as_deref(),
                    lang,
                    Message::ChooseList,
                    None,
                ),
                text(t(lang, "scr-list-help"))
                    .size(13)
                    .color(theme::MUTED_TEXT),
            ]
            .spacing(8),
        )];
        // A finished screening shows the result's first rows instead of the list's.
        let preview = match self.run {
            Run::Done(_) => None,
            _ => self.preview.as_ref(),
        };
        if let Some((_, result)) = preview {
            let content: Element<'_, Message> = match result {
                None => text(t(lang, "imp-preview-loading")).into(),
                Some(Err(e)) => theme::error_box(text(e.message(lang).to_owned())),
                Some(Ok(p)) => tool_view::table(&p.headers, &p.rows, 8),
            };
            body = body.push(card(t(lang, "scr-preview").to_owned(), content));
        }
        body = body.push(self.options());
        body = body.push(self.start_row());
        match &self.run {
            Run::Done(done) => body = body.push(result(done, lang)),
            Run::Failed(e) => {
                body = body.push(theme::error_box(
                    column![
                        text(t(lang, "scr-failed")),
                        text(e.message(lang).to_owned()),
                        text(e.hint(lang).to_owned()).size(13),
                    ]
                    .spacing(4),
                ))
            }
            Run::Cancelled => {
                body = body.push(text(t(lang, "scr-cancelled")).color(theme::ERROR_TEXT))
            }
            Run::Idle | Run::Running { .. } => {}
        }
        tool_view::page(lang, t(lang, "scr-title"), Message::Back, body)
    }

    fn options(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let channels: Vec<Choice<QueryChannel>> = CHANNELS
            .iter()
            .map(|c| Choice {
                value: *c,
                label: channel_label(lang, *c),
            })
            .collect();
        let channel = channels.iter().find(|c| c.value == self.channel).cloned();
        let purposes = tool_view::purpose_choices(lang);
        let purpose = self
            .purpose
            .as_ref()
            .and_then(|p| purposes.iter().find(|c| c.value == *p).cloned());
        let line = |label: &'static str, input: Element<'static, Message>| {
            row![text(t(lang, label)).width(220), input]
                .spacing(12)
                .align_y(Center)
        };
        let mut c = column![
            line(
                "scr-channel",
                pick_list(channels, channel, |c: Choice<QueryChannel>| {
                    Message::Channel(c.value)
                })
                .into()
            ),
            line(
                "scr-purpose",
                pick_list(purposes, purpose, |c: Choice<String>| Message::Purpose(
                    c.value
                ))
                .placeholder(t(lang, "imp-purpose-placeholder"))
                .width(Fill)
                .into()
            ),
        ]
        .spacing(8);
        c = c.push(
            row![
                text(t(lang, "scr-category")).width(220),
                text_input(t(lang, "scr-category-placeholder"), &self.category)
                    .on_input(Message::Category)
                    .on_submit(Message::Start)
                    .padding(6),
            ]
            .spacing(12)
            .align_y(Center),
        );
        c = c.push(
            row![
                text(t(lang, "scr-as-of")).width(220),
                text_input(t(lang, "scr-as-of-placeholder"), &self.as_of)
                    .id(Id::new(AS_OF_INPUT))
                    .on_input(Message::AsOf)
                    .on_submit(Message::Start)
                    .padding(6)
                    .width(200),
                text(t(lang, "scr-as-of-help"))
                    .size(13)
                    .color(theme::MUTED_TEXT),
            ]
            .spacing(12)
            .align_y(Center),
        );
        if let Some(p) = &self.problem {
            c = c.push(text(p.clone()).size(13).color(theme::ERROR_TEXT));
        }
        card(t(lang, "scr-options").to_owned(), c)
    }

    fn start_row(&self) -> Element<'_, Message> {
        let lang = self.lang;
        if let Run::Running { progress, cancel } = &self.run {
            let status = if cancel.is_cancelled() {
                t(lang, "imp-cancelling").to_owned()
            } else {
                tf(
                    lang,
                    "scr-progress",
                    &[("rows", &progress.done.to_string())],
                )
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
            button(text(t(lang, "scr-start")))
                .padding([8, 18])
                .style(theme::primary_button)
                .on_press_maybe(missing.is_none().then_some(Message::Start)),
            text(
                missing
                    .map(|k| t(lang, k))
                    .unwrap_or(t(lang, "scr-start-help"))
            )
            .color(theme::MUTED_TEXT),
        ]
        .spacing(12)
        .align_y(Center)
        .into()
    }
}

fn count(map: &std::collections::BTreeMap<&'static str, u64>, key: &str) -> String {
    map.get(key).copied().unwrap_or(0).to_string()
}

/// The summary lines: verdicts, matches, then one line per reason with its explanation.
pub fn summary_lines(done: &Screened, lang: Lang) -> Vec<String> {
    let s = &done.summary;
    let mut lines = vec![
        tf(
            lang,
            "scr-sum-verdicts",
            &[
                ("rows", &s.rows.to_string()),
                ("allowed", &count(&s.by_verdict, "allowed")),
                ("denied", &count(&s.by_verdict, "denied")),
            ],
        ),
        tf(
            lang,
            "scr-sum-matches",
            &[
                ("email", &count(&s.by_match, "email")),
                ("phone", &count(&s.by_match, "phone")),
                ("none", &count(&s.by_match, "none")),
            ],
        ),
    ];
    for (code, n) in &s.by_reason {
        let explanation = ReasonCode::from_str(code)
            .map(|r| r.explanation(lang))
            .unwrap_or_default();
        lines.push(format!("{n} × {code} — {explanation}"));
    }
    lines
}

fn result(done: &Screened, lang: Lang) -> Element<'_, Message> {
    let mut c = column![].spacing(4);
    let mut lines = summary_lines(done, lang).into_iter();
    for l in lines.by_ref().take(2) {
        c = c.push(text(l));
    }
    c = c.push(text(t(lang, "scr-sum-by-reason")).size(14));
    for l in lines {
        c = c.push(text(l).size(13));
    }
    c = c.push(
        text(tf(
            lang,
            "scr-sum-written",
            &[("file", &done.out.display().to_string())],
        ))
        .size(13)
        .color(theme::MUTED_TEXT),
    );
    if let Some(first) = &done.first_rows {
        c = c.push(text(t(lang, "scr-first-rows")).size(14));
        c = c.push(first_rows(first, lang));
    }
    card(t(lang, "scr-done").to_owned(), c)
}

/// The result file's first rows: the list's first two columns, then match, verdict and
/// reason (the added columns are the last ones of each row).
fn first_rows<'a>(p: &PreviewTable, lang: Lang) -> Element<'a, Message> {
    let added = ADDED_COLUMNS.len();
    let own = p.headers.len().saturating_sub(added);
    let at = |name: &str| own + ADDED_COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
    let (m, v, r) = (at("match"), at("verdict"), at("reason"));
    let keep = own.min(2);
    let mut headers: Vec<String> = p.headers.iter().take(keep).cloned().collect();
    headers.extend(
        ["scr-col-match", "scr-col-verdict", "scr-col-reason"].map(|k| t(lang, k).to_owned()),
    );
    let rows: Vec<Vec<String>> = p
        .rows
        .iter()
        .map(|row| {
            let get = |i: usize| row.get(i).cloned().unwrap_or_default();
            let mut out: Vec<String> = row.iter().take(keep).cloned().collect();
            let verdict = get(v);
            out.push(match get(m).as_str() {
                "none" => t(lang, "scr-match-none").to_owned(),
                kind => t(lang, &format!("channel-{kind}")).to_owned(),
            });
            out.push(t(lang, &format!("verdict-{verdict}")).to_owned());
            out.push(get(r));
            out
        })
        .collect();
    tool_view::table(&headers, &rows, 5)
}
