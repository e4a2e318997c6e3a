//! The contact screen's reports: the evidence report (Einwilligungsnachweis) and the access
//! report (Art. 15 DSGVO), each saved through the save dialog and offered to open.

use iced::widget::{button, text, Column};
use iced::{Element, Length, Task};

use crate::domain::{Permission, Role};
use crate::gui::handle::RegisterHandle;
use crate::gui::permit;
use crate::gui::report_save::{self, file_name_part, ReportRequest, Saver};
use crate::gui::save_dialog::{Chooser, SaveRequest};
use crate::i18n::{t, tf, Lang};

#[derive(Debug, Clone)]
pub enum Message {
    Evidence,
    Access,
    Save(report_save::Message),
}

pub struct Reports {
    saver: Saver,
}

impl Reports {
    pub fn new(chooser: Chooser) -> Self {
        Reports {
            saver: Saver::new(chooser),
        }
    }

    pub fn set_chooser(&mut self, chooser: Chooser) {
        self.saver.set_chooser(chooser);
    }

    pub fn saver(&self) -> &Saver {
        &self.saver
    }

    pub fn update(
        &mut self,
        message: Message,
        handle: &RegisterHandle,
        contact_id: &str,
        lang: Lang,
    ) -> Task<Message> {
        let (request, title, stem) = match message {
            Message::Save(m) => return self.saver.update(m, handle, lang).map(Message::Save),
            Message::Evidence => (
                ReportRequest::Evidence(contact_id.to_owned()),
                "reports-gui-evidence",
                "reports-gui-file-evidence",
            ),
            Message::Access => (
                ReportRequest::Access(contact_id.to_owned()),
                "reports-gui-access",
                "reports-gui-file-access",
            ),
        };
        // The date in the name is ISO in both languages, so saved reports sort by date.
        let today = crate::gui::contact::when::now()
            .format("%Y-%m-%d")
            .to_string();
        let dialog = SaveRequest {
            title: t(lang, title).to_owned(),
            file_name: tf(
                lang,
                stem,
                &[("contact", &file_name_part(contact_id)), ("date", &today)],
            ),
        };
        self.saver.start(request, dialog).map(Message::Save)
    }

    /// The report buttons; disabled with the reason for a role that may not make reports.
    pub fn view(&self, lang: Lang, role: Role) -> Element<'_, Message> {
        let idle = !self.saver.busy();
        let mut c = Column::new()
            .spacing(6)
            .push(text(t(lang, "reports-gui-heading")).size(18));
        for (key, message) in [
            ("reports-gui-evidence", Message::Evidence),
            ("reports-gui-access", Message::Access),
        ] {
            let b = button(text(t(lang, key)))
                .width(Length::Fill)
                .style(button::secondary);
            c = c.push(permit::guarded(
                b,
                idle.then_some(message),
                role,
                Permission::Report,
                lang,
            ));
        }
        if let Some(status) = self.saver.view(lang) {
            c = c.push(status.map(Message::Save));
        }
        c.into()
    }
}

#[cfg(test)]
mod tests;
