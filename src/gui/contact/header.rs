//! The contact's header: who the person is and how they are classified, and why.

use iced::widget::{button, column, container, row, text, Column};
use iced::{Element, Length};

use crate::domain::{ClassificationBasis, Party};
use crate::gui::contact::{style, text_of, when, Message};
use crate::i18n::{t, tf, Lang};
use crate::register::ContactView;

fn line<'a>(label: &str, value: String) -> Element<'a, Message> {
    row![
        text(label.to_owned())
            .size(14)
            .color(style::MUTED)
            .width(Length::Fixed(170.0)),
        text(value).size(14)
    ]
    .spacing(8)
    .into()
}

/// Why the contact has its classification, in one sentence.
pub fn classification_reason(view: &ContactView, lang: Lang) -> String {
    match &view.classification.basis {
        ClassificationBasis::Purchase {
            at,
            product_category,
            ..
        } => tf(
            lang,
            "contact-basis-purchase",
            &[
                ("category", product_category),
                ("at", &when::show(at, lang)),
            ],
        ),
        ClassificationBasis::Manual { at, by, reason, .. } => {
            let by = by
                .clone()
                .unwrap_or_else(|| t(lang, "contact-unknown-user").to_owned());
            tf(
                lang,
                "contact-basis-manual",
                &[
                    ("by", &by),
                    ("at", &when::show(at, lang)),
                    ("reason", reason),
                ],
            )
        }
        ClassificationBasis::Imported => t(lang, "contact-basis-imported").to_owned(),
    }
}

pub fn view(view: &ContactView, lang: Lang) -> Element<'_, Message> {
    let c = &view.contact;
    let party = match c.party {
        Party::Consumer => t(lang, "party-consumer"),
        Party::Business => t(lang, "party-business"),
    };
    let relationship = text_of(
        lang,
        &format!("relationship-{}", view.classification.relationship.as_str()),
    );
    let title = row![
        button(text(t(lang, "contact-back")))
            .style(button::secondary)
            .on_press(Message::Back),
        text(c.display_name().to_owned()).size(26),
        style::badge(party, style::MUTED),
        style::badge(relationship.clone(), style::MUTED),
    ]
    .spacing(12)
    .align_y(iced::Alignment::Center);

    let mut details = Column::new().spacing(4);
    details = details.push(line(t(lang, "contact-id"), c.id.clone()));
    if !c.name.is_empty() && c.company.is_some() {
        details = details.push(line(t(lang, "contact-name"), c.name.clone()));
    }
    if let Some(company) = &c.company {
        details = details.push(line(t(lang, "contact-company"), company.clone()));
    }
    details = details.push(line(
        t(lang, "contact-classification"),
        format!("{relationship} — {}", classification_reason(view, lang)),
    ));
    let none = || t(lang, "contact-none").to_owned();
    details = details.push(line(
        t(lang, "contact-customer-number"),
        c.customer_number.clone().unwrap_or_else(none),
    ));
    let list = |v: &[String]| if v.is_empty() { none() } else { v.join(", ") };
    details = details.push(line(t(lang, "contact-emails"), list(&c.emails)));
    details = details.push(line(t(lang, "contact-phones"), list(&c.phones)));
    details = details.push(line(
        t(lang, "contact-address"),
        c.address
            .as_ref()
            .map(|a| a.one_line())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(none),
    ));
    container(column![title, details].spacing(12))
        .padding(16)
        .width(Length::Fill)
        .style(style::card)
        .into()
}
