//! How an open form looks: one labelled input per field in Tab order, the problem under
//! the field it concerns, Save and Cancel at the bottom. Enter in any text box submits.

use iced::widget::{button, checkbox, column, container, radio, row, text, text_input, Column};
use iced::{Element, Length};

use super::{Field, Form, FormKind, FormMessage};
use crate::domain::channel::WELL_KNOWN_PURPOSES;
use crate::domain::{Channel, Relationship};
use crate::gui::contact::style;
use crate::gui::contact::{text_of, Message};
use crate::i18n::{t, tf, Lang};

fn edit(m: FormMessage) -> Message {
    Message::Form(m)
}

/// The label of a ledger field (shared with the timeline's evidence list).
pub fn field_label(lang: Lang, field: &str) -> String {
    let key = format!("form-field-{field}");
    let s = t(lang, &key);
    if s == key {
        field.to_owned()
    } else {
        s.to_owned()
    }
}

fn channel_boxes<'a>(form: &'a Form, lang: Lang) -> Element<'a, Message> {
    let mut r = row![].spacing(16);
    for c in Channel::ALL {
        r = r.push(
            checkbox(form.channels.contains(&c))
                .label(text_of(lang, &format!("channel-{}", c.as_str())))
                .on_toggle(move |on| edit(FormMessage::Channel(c, on))),
        );
    }
    r.into()
}

fn labelled<'a>(
    label: String,
    required: bool,
    input: Element<'a, Message>,
    error: Option<&'a String>,
) -> Element<'a, Message> {
    let label = if required {
        format!("{label} *")
    } else {
        label
    };
    let mut c = column![text(label).size(14).color(style::MUTED), input].spacing(4);
    if let Some(e) = error {
        c = c.push(style::error_text(e.as_str()));
    }
    c.into()
}

fn field<'a>(form: &'a Form, f: Field, lang: Lang) -> Element<'a, Message> {
    let err = |k: &str| form.errors.get(k);
    match f {
        Field::Channels { all } => {
            let mut c = column![].spacing(6);
            if all {
                c = c.push(
                    checkbox(form.all_channels)
                        .label(t(lang, "form-all-channels"))
                        .on_toggle(|on| edit(FormMessage::AllChannels(on))),
                );
            }
            if !(all && form.all_channels) {
                c = c.push(channel_boxes(form, lang));
            }
            labelled(
                field_label(lang, "channels"),
                true,
                c.into(),
                err("channels"),
            )
        }
        Field::Purposes { all } => {
            let mut c = column![].spacing(6);
            if all {
                c = c.push(
                    checkbox(form.all_purposes)
                        .label(t(lang, "form-all-purposes"))
                        .on_toggle(|on| edit(FormMessage::AllPurposes(on))),
                );
            }
            if !(all && form.all_purposes) {
                let mut boxes = Column::new().spacing(4);
                for p in WELL_KNOWN_PURPOSES {
                    boxes = boxes.push(
                        checkbox(form.purposes.contains(p))
                            .label(purpose_label(lang, p))
                            .on_toggle(move |on| edit(FormMessage::Purpose(p.to_owned(), on))),
                    );
                }
                c = c.push(boxes).push(
                    text_input(t(lang, "form-other-purposes"), &form.other_purposes)
                        .id("form-other_purposes")
                        .on_input(|v| edit(FormMessage::OtherPurposes(v)))
                        .on_submit(Message::Submit),
                );
            }
            labelled(
                field_label(lang, "purposes"),
                true,
                c.into(),
                err("purposes"),
            )
        }
        Field::ObjectionScope => {
            let selected = Some(form.objection_all);
            let mut c = column![
                radio(t(lang, "form-objection-all"), true, selected, |v| edit(
                    FormMessage::ObjectionAll(v)
                )),
                radio(t(lang, "form-objection-channels"), false, selected, |v| {
                    edit(FormMessage::ObjectionAll(v))
                }),
            ]
            .spacing(6);
            if !form.objection_all {
                c = c.push(channel_boxes(form, lang));
            }
            labelled(field_label(lang, "scope"), true, c.into(), err("channels"))
        }
        Field::Verified => {
            let mut r = row![].spacing(16);
            for v in ["email", "phone"] {
                r = r.push(
                    checkbox(form.verified.contains(v))
                        .label(text_of(lang, &format!("channel-{v}")))
                        .on_toggle(move |on| edit(FormMessage::Verified(v, on))),
                );
            }
            labelled(
                field_label(lang, "verified"),
                false,
                r.into(),
                err("verified"),
            )
        }
        Field::Relation => {
            let sel = Some(form.relationship);
            let r = row![
                radio(
                    t(lang, "relationship-prospect"),
                    Relationship::Prospect,
                    sel,
                    |v| edit(FormMessage::Relationship(v))
                ),
                radio(
                    t(lang, "relationship-customer"),
                    Relationship::Customer,
                    sel,
                    |v| edit(FormMessage::Relationship(v))
                ),
            ]
            .spacing(16);
            labelled(
                field_label(lang, "relationship"),
                true,
                r.into(),
                err("relationship"),
            )
        }
        Field::Via => {
            // Buttons rather than radios: one click, and each reads as the sentence it records.
            let mut r = row![].spacing(6);
            for v in super::VIA {
                let chosen = form.text("via") == v;
                r = r.push(
                    button(text(text_of(lang, &format!("form-via-{v}"))).size(14))
                        .style(if chosen {
                            button::primary
                        } else {
                            button::secondary
                        })
                        .on_press(edit(FormMessage::Text("via", v.to_owned()))),
                );
            }
            labelled(
                field_label(lang, "via"),
                false,
                r.wrap().vertical_spacing(6).into(),
                err("via"),
            )
        }
        Field::Text(name) => {
            let hint_key = format!("form-hint-{name}");
            let hint = t(lang, &hint_key);
            let hint = if hint == hint_key { "" } else { hint };
            let input = text_input(hint, form.text(name))
                .id(format!("form-{name}"))
                .on_input(move |v| edit(FormMessage::Text(name, v)))
                .on_submit(Message::Submit);
            // One click fills in an address or number the contact already has.
            let input: Element<'a, Message> = if name == "identifier" {
                let mut known = row![].spacing(6);
                for id in &form.known_identifiers {
                    known = known.push(
                        button(text(tf(lang, "form-identifier-use", &[("id", id)])).size(13))
                            .style(button::secondary)
                            .padding([2, 8])
                            .on_press(edit(FormMessage::Text("identifier", id.clone()))),
                    );
                }
                column![input, known.wrap().vertical_spacing(6)]
                    .spacing(6)
                    .into()
            } else {
                input.into()
            };
            labelled(
                field_label(lang, name),
                form.kind.required(name),
                input,
                err(name),
            )
        }
        Field::Flag(name) => {
            let c = column![checkbox(form.flag(name))
                .label(field_label(lang, name))
                .on_toggle(move |on| edit(FormMessage::Flag(name, on)))];
            match err(name) {
                Some(e) => c.push(style::error_text(e.as_str())).into(),
                None => c.into(),
            }
        }
        Field::When => {
            let r = row![
                text_input(t(lang, "contact-when-date-hint"), &form.date)
                    .id("form-date")
                    .width(Length::Fixed(140.0))
                    .on_input(|v| edit(FormMessage::Date(v)))
                    .on_submit(Message::Submit),
                text_input(t(lang, "contact-when-time-hint"), &form.time)
                    .id("form-time")
                    .width(Length::Fixed(100.0))
                    .on_input(|v| edit(FormMessage::Time(v)))
                    .on_submit(Message::Submit),
                button(text(t(lang, "contact-when-now")))
                    .style(button::secondary)
                    .on_press(edit(FormMessage::Now)),
            ]
            .spacing(8);
            labelled(t(lang, "form-when").to_owned(), true, r.into(), err("when"))
        }
    }
}

/// A purpose's label: the catalogue's name for the well-known ones, else the identifier.
pub fn purpose_label(lang: Lang, purpose: &str) -> String {
    let key = format!("contact-purpose-name-{purpose}");
    let s = t(lang, &key);
    if s == key {
        purpose.to_owned()
    } else {
        format!("{s} ({purpose})")
    }
}

pub fn view(form: &Form, lang: Lang) -> Element<'_, Message> {
    let title = text_of(lang, &format!("form-title-{}", form.kind.key()));
    let mut c = column![text(title).size(20)].spacing(14);
    if form.kind == FormKind::Objection {
        c = c.push(
            text(t(lang, "form-objection-explain"))
                .size(14)
                .color(style::MUTED),
        );
    }
    for f in form.kind.fields() {
        c = c.push(field(form, *f, lang));
    }
    if let Some(e) = form.errors.get("form") {
        c = c.push(style::error_text(e.as_str()));
    }
    let save = button(text(t(lang, "form-save")))
        .style(button::primary)
        .on_press_maybe((!form.saving).then_some(Message::Submit));
    let cancel = button(text(t(lang, "form-cancel")))
        .style(button::secondary)
        .on_press(Message::CloseForm);
    c = c.push(row![save, cancel].spacing(12));
    if form.saving {
        c = c.push(text(t(lang, "form-saving")).size(14).color(style::MUTED));
    }
    container(c)
        .padding(16)
        .width(Length::Fill)
        .style(style::card)
        .into()
}
