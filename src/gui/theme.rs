//! Colours and small styled pieces shared by the app's screens. The palette is chosen for
//! contrast (white text on the verdict colours passes WCAG AA) because agents read these
//! badges at a glance, often on poor office screens.

use iced::widget::{button, container, text};
use iced::{border, Background, Color, Element, Theme};

use crate::domain::Verdict;

pub const ALLOWED: Color = Color::from_rgb(0.106, 0.369, 0.125); // #1b5e20
pub const DENIED: Color = Color::from_rgb(0.718, 0.110, 0.110); // #b71c1c
pub const NEUTRAL: Color = Color::from_rgb(0.259, 0.322, 0.388); // #425263
pub const MUTED_TEXT: Color = Color::from_rgb(0.33, 0.33, 0.36);
pub const ERROR_TEXT: Color = Color::from_rgb(0.62, 0.07, 0.07);
pub const SELECTED: Color = Color::from_rgb(0.86, 0.90, 0.98);
pub const ROW_BORDER: Color = Color::from_rgb(0.85, 0.86, 0.88);
pub const HEADER: Color = Color::from_rgb(0.13, 0.20, 0.30);

/// The colour of a verdict badge.
pub fn verdict_color(verdict: Verdict) -> Color {
    match verdict {
        Verdict::Allowed => ALLOWED,
        Verdict::Denied => DENIED,
    }
}

/// A small rounded label with white text on `color`.
pub fn badge<'a, Message: 'a>(
    label: impl text::IntoFragment<'a>,
    color: Color,
) -> Element<'a, Message> {
    container(text(label).size(13).color(Color::WHITE))
        .padding([2, 8])
        .style(move |_theme: &Theme| container::Style {
            background: Some(Background::Color(color)),
            border: border::rounded(4),
            ..container::Style::default()
        })
        .into()
}

/// A message box for a problem, shown in place of what failed.
pub fn error_box<'a, Message: 'a>(
    content: impl Into<Element<'a, Message>>,
) -> Element<'a, Message> {
    container(content)
        .padding(12)
        .width(iced::Fill)
        .style(|_theme: &Theme| container::Style {
            background: Some(Background::Color(Color::from_rgb(1.0, 0.93, 0.93))),
            border: border::rounded(6).color(DENIED).width(1),
            text_color: Some(ERROR_TEXT),
            ..container::Style::default()
        })
        .into()
}

/// The dark band at the top of the window.
pub fn header_style(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(HEADER)),
        text_color: Some(Color::WHITE),
        ..container::Style::default()
    }
}

/// A card: white with a light border, for forms and result rows.
pub fn card_style(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::WHITE)),
        border: border::rounded(8).color(ROW_BORDER).width(1),
        ..container::Style::default()
    }
}

/// The page behind the cards.
pub fn page_style(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::from_rgb(0.95, 0.96, 0.97))),
        ..container::Style::default()
    }
}

/// The accent of primary buttons: darker than iced's default blue, so white text on it
/// reaches a 7:1 contrast.
pub const ACCENT: Color = Color::from_rgb(0.118, 0.227, 0.541); // #1e3a8a

/// The primary action of a form (Open, Create) and the active choice of a switch.
pub fn primary_button(theme: &Theme, status: button::Status) -> button::Style {
    let mut style = button::primary(theme, status);
    style.background = Some(Background::Color(match status {
        button::Status::Hovered | button::Status::Pressed => HEADER,
        button::Status::Disabled => Color::from_rgb(0.55, 0.58, 0.65),
        button::Status::Active => ACCENT,
    }));
    style.text_color = Color::WHITE;
    style.border = border::rounded(4);
    style
}

/// Secondary actions: a light button with dark text and a visible edge.
pub fn secondary_button(theme: &Theme, status: button::Status) -> button::Style {
    let mut style = button::secondary(theme, status);
    style.background = Some(Background::Color(match status {
        button::Status::Hovered | button::Status::Pressed => Color::from_rgb(0.88, 0.90, 0.93),
        button::Status::Disabled => Color::from_rgb(0.93, 0.93, 0.94),
        button::Status::Active => Color::from_rgb(0.96, 0.97, 0.98),
    }));
    style.text_color = match status {
        button::Status::Disabled => MUTED_TEXT,
        _ => HEADER,
    };
    style.border = border::rounded(4)
        .color(Color::from_rgb(0.70, 0.73, 0.78))
        .width(1);
    style
}

/// A quiet action that switches a form (e.g. to "create new"), drawn like a link.
pub fn link_button(theme: &Theme, status: button::Status) -> button::Style {
    let mut style = button::text(theme, status);
    style.text_color = match status {
        button::Status::Hovered | button::Status::Pressed => HEADER,
        button::Status::Disabled => MUTED_TEXT,
        button::Status::Active => ACCENT,
    };
    style
}
