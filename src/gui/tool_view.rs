//! Pieces the Import and List screening screens draw alike: a labelled pick-list entry,
//! a file row, a small table of the first rows, the page frame.

use std::fmt;
use std::path::Path;

use iced::widget::{button, column, container, progress_bar, row, scrollable, text, Column};
use iced::{Center, Element, Fill};

use super::theme;
use crate::i18n::{t, Lang};

/// A pick-list entry: a value shown with its label.
#[derive(Debug, Clone)]
pub struct Choice<T> {
    pub value: T,
    pub label: String,
}

impl<T: PartialEq> PartialEq for Choice<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// The well-known purposes, labelled as the contact screen labels them.
pub fn purpose_choices(lang: Lang) -> Vec<Choice<String>> {
    crate::domain::channel::WELL_KNOWN_PURPOSES
        .iter()
        .map(|p| Choice {
            value: (*p).to_owned(),
            label: super::contact::forms::purpose_label(lang, p),
        })
        .collect()
}

/// A file's name for a row (the full path would crowd the row; the name is what the
/// user chose).
pub fn file_label(path: Option<&Path>, lang: Lang) -> String {
    match path {
        Some(p) => p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string()),
        None => t(lang, "imp-no-file").to_owned(),
    }
}

/// "Label: file  [Choose…]" with an optional remove button.
pub fn file_row<'a, M: Clone + 'a>(
    label: String,
    path: Option<&Path>,
    lang: Lang,
    choose: M,
    remove: Option<M>,
) -> Element<'a, M> {
    let mut r = row![
        text(label).width(220),
        text(file_label(path, lang)).width(Fill),
        button(text(t(lang, "imp-choose")).size(14))
            .padding([4, 10])
            .style(theme::secondary_button)
            .on_press(choose),
    ]
    .spacing(12)
    .align_y(Center);
    if let (Some(m), Some(_)) = (remove, path) {
        r = r.push(
            button(text(t(lang, "imp-remove")).size(14))
                .padding([4, 10])
                .style(theme::link_button)
                .on_press(m),
        );
    }
    r.into()
}

/// A cell's text cut to fit a column.
fn cell(s: &str, width: usize) -> String {
    if s.chars().count() > width {
        let cut: String = s.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        s.to_owned()
    }
}

/// A small grid: a bold header row, then the rows; at most `max_columns` columns.
pub fn table<'a, M: 'a>(
    headers: &[String],
    rows: &[Vec<String>],
    max_columns: usize,
) -> Element<'a, M> {
    let shown = headers.len().clamp(1, max_columns);
    let width = (120 / shown).clamp(12, 60);
    let line = |cells: Vec<String>, size: u32, color: iced::Color| {
        let mut r = row![].spacing(10);
        for i in 0..shown {
            let v = cells.get(i).map(|c| cell(c, width)).unwrap_or_default();
            r = r.push(text(v).size(size).color(color).width(Fill));
        }
        r
    };
    let mut c = column![line(headers.to_vec(), 13, theme::HEADER)].spacing(4);
    for r in rows {
        c = c.push(line(r.clone(), 13, iced::Color::BLACK));
    }
    container(c).padding(8).width(Fill).into()
}

/// A titled card.
pub fn card<'a, M: 'a>(title: String, content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    container(
        column![text(title).size(16), content.into()]
            .spacing(8)
            .padding(12),
    )
    .width(Fill)
    .style(theme::card_style)
    .into()
}

/// The page: a back button and the title, then the body, scrollable and centred.
pub fn page<'a, M: Clone + 'a>(
    lang: Lang,
    title: &str,
    back: M,
    body: Column<'a, M>,
) -> Element<'a, M> {
    let head = row![
        button(text(t(lang, "imp-back")))
            .padding([6, 12])
            .style(theme::secondary_button)
            .on_press(back),
        text(title.to_owned()).size(24),
    ]
    .spacing(16)
    .align_y(Center);
    scrollable(
        container(
            column![head, body.spacing(12)]
                .spacing(12)
                .max_width(1040)
                .padding([20, 24]),
        )
        .center_x(Fill)
        .width(Fill),
    )
    .height(Fill)
    .into()
}

/// A running job: its progress bar, a status line and Cancel (disabled once cancelling).
pub fn running<'a, M: Clone + 'a>(
    lang: Lang,
    fraction: f32,
    status: String,
    on_cancel: Option<M>,
) -> Element<'a, M> {
    column![
        progress_bar(0.0..=1.0, fraction).girth(12),
        row![
            text(status).width(Fill),
            button(text(t(lang, "imp-cancel")))
                .padding([8, 18])
                .style(theme::secondary_button)
                .on_press_maybe(on_cancel),
        ]
        .spacing(12)
        .align_y(Center),
    ]
    .spacing(8)
    .into()
}
