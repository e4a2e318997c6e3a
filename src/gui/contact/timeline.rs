//! The ledger as a timeline, newest first: the type in words, the local time, a short
//! summary, and on demand every evidence field the event carries (including fields the
//! format does not define, which the register keeps).

use std::collections::BTreeSet;

use iced::widget::{button, column, container, row, text, Column};
use iced::{Element, Length};
use serde_json::Value;

use chrono::{DateTime, FixedOffset};

use crate::domain::Event;
use crate::gui::contact::forms::field_label;
use crate::gui::contact::{style, when, Message};
use crate::i18n::{t, Lang};

/// Fields shown in the one-line summary; the rest appear on expand.
const SUMMARY: [&str; 10] = [
    "channels",
    "purposes",
    "scope",
    "via",
    "product_category",
    "relationship",
    "reason",
    "circumstances",
    "field",
    "text",
];

/// Fields every event has, shown in the row itself rather than among the evidence.
const FRAME: [&str; 4] = ["kind", "contact", "type", "at"];

/// The localised name of an event type; an unknown type shows as it is.
pub fn type_label(lang: Lang, ty: &str) -> String {
    let key = format!("contact-event-{ty}");
    let s = t(lang, &key);
    if s == key {
        ty.to_owned()
    } else {
        s.to_owned()
    }
}

/// A ledger value as the user reads it.
pub fn value_text(lang: Lang, v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => t(lang, "contact-yes").to_owned(),
        Value::Bool(false) => t(lang, "contact-no").to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .map(|x| value_text(lang, x))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// The catalogue's name for `key`, or `fallback` where the catalogue has none.
fn named(lang: Lang, key: String, fallback: &str) -> String {
    match t(lang, &key) {
        found if found != key => found.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// One identifier of a ledger field in words: channels, purposes, the objection scope, the
/// relationship and how a message arrived have names; anything else shows as recorded.
fn word(lang: Lang, key: &str, s: &str) -> String {
    match (key, s) {
        ("channels", "*") => named(lang, "form-all-channels".into(), s),
        ("purposes", "*") => named(lang, "form-all-purposes".into(), s),
        ("channels" | "channel" | "verified", _) => named(lang, format!("channel-{s}"), s),
        ("purposes" | "purpose", _) => named(lang, format!("contact-purpose-name-{s}"), s),
        ("scope", "all") => named(lang, "form-objection-all".into(), s),
        ("scope", "channels") => named(lang, "form-objection-channels".into(), s),
        ("relationship", _) => named(lang, format!("relationship-{s}"), s),
        ("via", _) => named(lang, format!("form-via-{s}"), s),
        _ => s.to_owned(),
    }
}

/// A field's value as the user reads it.
pub fn field_value(lang: Lang, key: &str, v: &Value) -> String {
    match v {
        Value::String(s) => word(lang, key, s),
        Value::Array(a) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(Value::as_str)
            .map(|s| word(lang, key, s))
            .collect::<Vec<_>>()
            .join(", "),
        _ => value_text(lang, v),
    }
}

/// Newest first; events at the same instant keep reverse ledger order (latest recorded on top).
pub fn newest_first(events: &[Event]) -> Vec<&Event> {
    let mut v: Vec<&Event> = events.iter().collect();
    v.reverse();
    v.sort_by_key(|e| std::cmp::Reverse(e.at));
    v
}

fn entry<'a>(
    e: &'a Event,
    expanded: bool,
    as_of: DateTime<FixedOffset>,
    lang: Lang,
) -> Element<'a, Message> {
    let obj = e.to_object();
    let summary = SUMMARY
        .iter()
        .filter_map(|k| {
            obj.get(*k)
                .map(|v| format!("{}: {}", field_label(lang, k), field_value(lang, k, v)))
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let toggle_key = if expanded {
        "contact-timeline-hide"
    } else {
        "contact-timeline-show"
    };
    let mut label =
        column![text(type_label(lang, e.kind.type_name())).size(15)].width(Length::Fixed(260.0));
    // The ledger keeps later events; they do not count for the state shown.
    if e.at > as_of {
        label = label.push(
            text(t(lang, "contact-timeline-later"))
                .size(12)
                .color(style::MUTED),
        );
    }
    let head = row![
        text(when::show(&e.at, lang))
            .size(14)
            .color(style::MUTED)
            .width(Length::Fixed(160.0)),
        label,
        text(summary).size(14).width(Length::Fill),
        button(text(t(lang, toggle_key)).size(13))
            .style(button::text)
            .on_press(Message::ToggleEvent(e.id_str().to_owned())),
    ]
    .spacing(10)
    .align_y(iced::Alignment::Center);
    let mut c = column![head].spacing(4);
    if expanded {
        let mut details = Column::new().spacing(2).padding(iced::Padding {
            left: 170.0,
            ..iced::Padding::ZERO
        });
        for (k, v) in obj.iter().filter(|(k, _)| !FRAME.contains(&k.as_str())) {
            details = details.push(
                row![
                    text(field_label(lang, k))
                        .size(13)
                        .color(style::MUTED)
                        .width(Length::Fixed(200.0)),
                    text(field_value(lang, k, v)).size(13),
                ]
                .spacing(8),
            );
        }
        c = c.push(details);
    }
    c.into()
}

pub fn view<'a>(
    events: &'a [Event],
    expanded: &BTreeSet<String>,
    as_of: DateTime<FixedOffset>,
    lang: Lang,
) -> Element<'a, Message> {
    let mut c = Column::new()
        .spacing(8)
        .push(text(t(lang, "contact-timeline-title")).size(20));
    if events.is_empty() {
        c = c.push(
            text(t(lang, "contact-timeline-empty"))
                .size(14)
                .color(style::MUTED),
        );
    }
    for e in newest_first(events) {
        c = c.push(entry(e, expanded.contains(e.id_str()), as_of, lang));
    }
    container(c)
        .padding(16)
        .width(Length::Fill)
        .style(style::card)
        .into()
}
