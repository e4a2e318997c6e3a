//! One row per channel: the verdict as a coloured badge that also says it in words, the
//! explanation sentence, the legal basis and reason code, and on demand the events the
//! decision rests on.

use std::collections::BTreeSet;

use iced::widget::{button, column, container, row, text, Column};
use iced::{Element, Length};

use crate::domain::{Channel, Decision, Event};
use crate::gui::contact::{style, text_of, timeline, when, Message};
use crate::i18n::{t, tf, Lang};
use crate::register::ContactView;

fn decision_row<'a>(
    channel: Channel,
    decision: &'a Decision,
    events: &'a [Event],
    expanded: bool,
    lang: Lang,
) -> Element<'a, Message> {
    let (label, color) = if decision.allowed() {
        (t(lang, "verdict-allowed"), style::ALLOWED)
    } else {
        (t(lang, "verdict-denied"), style::DENIED)
    };
    let name = text_of(lang, &format!("channel-{}", channel.as_str()));
    let head = row![
        text(name).size(17).width(Length::Fixed(90.0)),
        container(style::badge(label, color)).width(Length::Fixed(130.0)),
        text(decision.explanation(lang))
            .size(15)
            .width(Length::Fill),
    ]
    .spacing(12)
    .align_y(iced::Alignment::Center);
    let basis = text(tf(
        lang,
        "contact-channel-basis",
        &[
            (
                "basis",
                &crate::domain::reason::legal_basis_text(decision.legal_basis, lang),
            ),
            ("code", decision.reason.as_str()),
        ],
    ))
    .size(13)
    .color(style::MUTED);
    let n = decision.event_ids.len().to_string();
    let toggle: Element<'a, Message> = if decision.event_ids.is_empty() {
        text(t(lang, "contact-channel-no-events"))
            .size(13)
            .color(style::MUTED)
            .into()
    } else {
        let key = if expanded {
            "contact-channel-hide-events"
        } else {
            "contact-channel-show-events"
        };
        button(text(tf(lang, key, &[("count", &n)])).size(13))
            .style(button::text)
            .padding(0)
            .on_press(Message::ToggleChannelEvents(channel))
            .into()
    };
    // Basis and the evidence toggle sit under the sentence (90 + 130 + two gaps of 12), so a
    // long legal basis never squeezes the toggle away on a narrow window.
    let detail = column![basis, toggle].spacing(2).padding(iced::Padding {
        left: 244.0,
        ..iced::Padding::ZERO
    });
    let mut c = column![head, detail].spacing(4);
    if expanded {
        let mut list = Column::new().spacing(2).padding(iced::Padding {
            left: 244.0,
            ..iced::Padding::ZERO
        });
        for id in &decision.event_ids {
            let described = match events.iter().find(|e| e.id_str() == id) {
                Some(e) => format!(
                    "{id} · {} · {}",
                    timeline::type_label(lang, e.kind.type_name()),
                    when::show(&e.at, lang)
                ),
                None => id.clone(),
            };
            list = list.push(text(described).size(13));
        }
        c = c.push(list);
    }
    c.into()
}

pub fn view<'a>(
    view: &'a ContactView,
    expanded: &BTreeSet<Channel>,
    lang: Lang,
) -> Element<'a, Message> {
    let mut c = Column::new().spacing(14);
    for (channel, decision) in &view.channels {
        c = c.push(decision_row(
            *channel,
            decision,
            &view.events,
            expanded.contains(channel),
            lang,
        ));
    }
    container(c)
        .padding(16)
        .width(Length::Fill)
        .style(style::card)
        .into()
}
