//! The root's view: the header (register, language, tools, lock) above the current screen,
//! and the settings screen's root-owned rows (idle lock, the way to Users).

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Center, Element, Fill};

use super::*;

impl App {
    /// The way from Settings to the Users screen (everyone: one's own password is there).
    fn users_entry(&self) -> Element<'_, Message> {
        container(
            button(text(t(self.lang, "users-open")).size(14))
                .padding([4, 10])
                .style(theme::secondary_button)
                .on_press(Message::OpenUsers),
        )
        .padding([4, 24])
        .into()
    }

    /// The idle lock time on the settings screen, above the policy.
    fn idle_setting(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let mut line = row![
            text(t(lang, "app-idle-lock")).size(14),
            text_input("10", &self.idle_input)
                .id(iced::widget::Id::new(IDLE_MINUTES_ID))
                .on_input(Message::IdleMinutesChanged)
                .width(64)
                .padding(4),
        ]
        .spacing(8)
        .align_y(Center);
        if self.idle_refused {
            line = line.push(
                text(tf(
                    lang,
                    "app-idle-lock-invalid",
                    &[("minutes", &self.prefs.idle_lock_minutes.to_string())],
                ))
                .size(13)
                .color(theme::DENIED),
            );
        }
        container(line).padding([8, 24]).into()
    }

    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let mut header = row![text(t(lang, "app-title")).size(22)]
            .spacing(16)
            .align_y(Center);
        let body: Element<'_, Message> = match &self.screen {
            Screen::Unlock(state) => state.view().map(Message::Unlock),
            Screen::Search {
                register_name,
                demo,
                search,
                contact,
                policy,
                audit,
                tool,
                users: users_screen,
                ..
            } => {
                header = header.push(text(register_name).size(14));
                if *demo {
                    header = header.push(theme::badge(t(lang, "app-demo-badge"), theme::DENIED));
                }
                match (policy, audit, tool, contact) {
                    (Some(_), _, _, _) if users_screen.is_some() => users_screen
                        .as_ref()
                        .map(|u| u.view().map(Message::Users))
                        .unwrap_or_else(|| column![].into()),
                    (Some(p), _, _, _) => column![
                        self.idle_setting(),
                        self.users_entry(),
                        p.view().map(Message::Policy)
                    ]
                    .into(),
                    (None, Some(a), _, _) => a.view().map(Message::Audit),
                    (None, None, Some(x), _) => x.view().map(Message::Tool),
                    (None, None, None, Some(c)) => c.view().map(Message::Contact),
                    (None, None, None, None) => search.view().map(Message::Search),
                }
            }
        };
        header = header.push(iced::widget::space::horizontal());
        if let Screen::Search {
            policy: None,
            audit: None,
            handle,
            ..
        } = &self.screen
        {
            let role = handle.session().role;
            for (which, key) in [
                (tools::Which::Import, "tools-import"),
                (tools::Which::Screening, "tools-screening"),
            ] {
                header = header.push(crate::gui::permit::guarded(
                    button(text(t(lang, key)).size(14))
                        .padding([4, 10])
                        .style(theme::secondary_button),
                    Some(Message::OpenTool(which)),
                    role,
                    which.permission(),
                    lang,
                ));
            }
        }
        if let Screen::Search {
            policy: None,
            audit: None,
            ..
        } = self.screen
        {
            header = header.push(
                button(text(t(lang, "audit-open")).size(14))
                    .padding([4, 10])
                    .style(theme::secondary_button)
                    .on_press(Message::OpenAudit),
            );
        }
        if let Screen::Search { policy: None, .. } = self.screen {
            header = header.push(
                button(text(t(lang, "app-settings")).size(14))
                    .padding([4, 10])
                    .style(theme::secondary_button)
                    .on_press(Message::OpenSettings),
            );
        }
        if matches!(self.screen, Screen::Search { .. }) {
            header = header.push(
                button(text(t(lang, "app-lock")).size(14))
                    .padding([4, 10])
                    .style(theme::secondary_button)
                    .on_press(Message::Lock),
            );
        }
        header = header.push(settings::lang_switch(lang).map(Message::SetLang));
        column![
            container(header)
                .padding([10, 24])
                .width(Fill)
                .style(theme::header_style),
            container(body)
                .width(Fill)
                .height(Fill)
                .style(theme::page_style),
        ]
        .into()
    }
}
