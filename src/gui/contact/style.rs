//! The few colours and boxes of the contact screen. Verdict colours are dark enough for
//! white text to pass WCAG AA, and every badge also says its verdict in words.

use iced::widget::{container, text};
use iced::{border, Background, Color, Element, Theme};

pub const ALLOWED: Color = Color::from_rgb(0.106, 0.369, 0.125); // #1b5e20
pub const DENIED: Color = Color::from_rgb(0.718, 0.110, 0.110); // #b71c1c
pub const MUTED: Color = Color::from_rgb(0.30, 0.31, 0.34);
pub const ERROR: Color = Color::from_rgb(0.62, 0.07, 0.07);
const BORDER: Color = Color::from_rgb(0.80, 0.82, 0.85);

/// White text on a coloured, rounded label.
pub fn badge<'a, M: 'a>(label: impl text::IntoFragment<'a>, color: Color) -> Element<'a, M> {
    container(text(label).size(14).color(Color::WHITE))
        .padding([3, 10])
        .style(move |_: &Theme| container::Style {
            background: Some(Background::Color(color)),
            border: border::rounded(4),
            ..container::Style::default()
        })
        .into()
}

/// A white card with a light border around one section of the screen.
pub fn card(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::WHITE)),
        border: border::rounded(8).color(BORDER).width(1),
        ..container::Style::default()
    }
}

/// The problem next to a form field.
pub fn error_text<'a, M: 'a>(message: impl text::IntoFragment<'a>) -> Element<'a, M> {
    text(message).size(14).color(ERROR).into()
}
