//! The Audit screen's chain panel: `Register::verify` (both hash chains, file integrity,
//! append-only triggers) run off the UI thread when its button is pressed, its verdict and
//! the chain heads, and the latest audit-trail entries. Only roles with
//! `Permission::Verify` (auditor, admin) run it; others see the button disabled with the
//! reason.

use iced::widget::{button, column, row, text, Column};
use iced::{Center, Element, Fill, Task};

use crate::domain::event::format_instant;
use crate::domain::Permission;
use crate::gui::handle::{GuiError, RegisterHandle};
use crate::gui::permit;
use crate::gui::report_save::error_line;
use crate::gui::theme;
use crate::i18n::{t, tf, Lang};
use crate::register::{AuditRecord, VerifyReport};

/// Entries listed under the verdict.
const RECENT: usize = 20;

#[derive(Debug, Clone)]
pub enum Message {
    Run,
    /// The request key and the check with the latest entries.
    Checked(u64, Box<Result<(VerifyReport, Vec<AuditRecord>), GuiError>>),
}

#[derive(Default)]
pub struct Panel {
    key: u64,
    running: bool,
    result: Option<Result<(VerifyReport, Vec<AuditRecord>), String>>,
}

impl Panel {
    pub fn running(&self) -> bool {
        self.running
    }

    pub fn result(&self) -> Option<&Result<(VerifyReport, Vec<AuditRecord>), String>> {
        self.result.as_ref()
    }

    /// Forgets the last answer (its chain heads and times differ in every register, so a
    /// snapshot test shows the panel without them).
    #[cfg(test)]
    pub fn forget(&mut self) {
        self.result = None;
    }

    /// Starts a check when the role may verify; otherwise nothing runs.
    pub fn start(&mut self, handle: &RegisterHandle) -> Task<Message> {
        if self.running || !permit::allows(handle.session().role, Permission::Verify) {
            return Task::none();
        }
        self.running = true;
        self.key += 1;
        let key = self.key;
        let work = handle.call(|reg| Ok((reg.verify()?, reg.audit_trail(RECENT)?)));
        Task::perform(work, move |r| Message::Checked(key, Box::new(r)))
    }

    pub fn update(
        &mut self,
        message: Message,
        handle: &RegisterHandle,
        lang: Lang,
    ) -> Task<Message> {
        match message {
            Message::Run => self.start(handle),
            Message::Checked(key, result) => {
                // A result for an older request is dropped.
                if key == self.key {
                    self.running = false;
                    self.result = Some((*result).map_err(|e| error_line(&e, lang)));
                }
                Task::none()
            }
        }
    }

    pub fn view<'a>(&'a self, handle: &RegisterHandle, lang: Lang) -> Column<'a, Message> {
        let mut c = column![
            text(t(lang, "chain-heading")).size(18),
            text(t(lang, "chain-explain")).size(14),
            permit::guarded(
                button(text(t(lang, "chain-run")))
                    .padding([6, 12])
                    .style(theme::secondary_button),
                (!self.running).then_some(Message::Run),
                handle.session().role,
                Permission::Verify,
                lang,
            ),
        ]
        .spacing(8);
        if self.running {
            c = c.push(text(t(lang, "chain-checking")).size(14));
        }
        match &self.result {
            None => {}
            Some(Err(e)) => c = c.push(text(e.as_str()).size(14).color(theme::ERROR_TEXT)),
            Some(Ok((report, entries))) => {
                c = c.push(verdict(report, lang));
                c = c.push(text(t(lang, "chain-recent")).size(16));
                if entries.is_empty() {
                    c = c.push(text(t(lang, "chain-no-entries")).size(14));
                }
                for e in entries {
                    c = c.push(entry_line(e));
                }
            }
        }
        c
    }
}

fn verdict<'a>(report: &VerifyReport, lang: Lang) -> Element<'a, Message> {
    let (badge, color, line) = match report.first_problem() {
        None => (
            "✓",
            theme::ALLOWED,
            tf(
                lang,
                "chain-intact",
                &[
                    ("entries", &report.audit_entries.to_string()),
                    ("events", &report.events.to_string()),
                ],
            ),
        ),
        Some(problem) => (
            "✗",
            theme::DENIED,
            tf(lang, "chain-broken", &[("problem", &problem)]),
        ),
    };
    let heads = tf(
        lang,
        "chain-heads",
        &[
            ("audit", &report.audit_head),
            ("ledger", &report.ledger_head),
        ],
    );
    column![
        row![theme::badge(badge, color), text(line).size(14).width(Fill)]
            .spacing(8)
            .align_y(Center),
        text(heads).size(12).color(theme::MUTED_TEXT),
    ]
    .spacing(4)
    .into()
}

fn entry_line<'a>(e: &AuditRecord) -> Element<'a, Message> {
    let when = format_instant(&e.at.fixed_offset());
    let mut line = format!("{when} · {} · {} · {}", e.user, e.action, e.object);
    if !e.detail.is_empty() {
        line.push_str(&format!(" · {}", e.detail));
    }
    text(line).size(13).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::gui::report_save::testing::run_task;
    use crate::register::Register;

    fn handle(dir: &tempfile::TempDir) -> RegisterHandle {
        let mut reg = Register::create(&dir.path().join("r.db"), "test passphrase").unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
        reg.import_records(crate::demo::demo_ledger(at, 7, 10).unwrap())
            .unwrap();
        RegisterHandle::new(reg)
    }

    fn settle(panel: &mut Panel, h: &RegisterHandle, task: Task<Message>) {
        for m in run_task(task) {
            let next = panel.update(m, h, Lang::En);
            settle(panel, h, next);
        }
    }

    #[test]
    fn the_check_runs_off_the_ui_thread_and_shows_heads_and_entries() {
        let dir = tempfile::tempdir().unwrap();
        let h = handle(&dir);
        let mut panel = Panel::default();
        let task = panel.start(&h);
        assert!(panel.running());
        settle(&mut panel, &h, task);
        assert!(!panel.running());
        let Some(Ok((report, entries))) = panel.result() else {
            panic!("{:?}", panel.result().map(|r| r.as_ref().err()))
        };
        assert!(report.intact(), "{:?}", report.first_problem());
        assert_eq!(report.ledger_head.len(), 64);
        assert!(entries.iter().any(|e| e.action == "imported"));
    }

    #[test]
    fn a_stale_result_is_dropped_and_an_agent_runs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let h = handle(&dir);
        let mut panel = Panel::default();
        let first = panel.start(&h);
        let old = run_task(first);
        panel.running = false;
        let second = panel.start(&h);
        for m in old {
            let _ = panel.update(m, &h, Lang::En);
        }
        assert!(panel.result().is_none(), "the older answer is dropped");
        settle(&mut panel, &h, second);
        assert!(panel.result().is_some());

        let path = dir.path().join("r.db");
        drop(h);
        let mut admin = Register::open(&path, "test passphrase").unwrap();
        admin
            .add_user("agnes", Role::Agent, "test passphrase")
            .unwrap();
        drop(admin);
        let agent =
            RegisterHandle::new(Register::open_as(&path, "agnes", "test passphrase").unwrap());
        let mut panel = Panel::default();
        let task = panel.start(&agent);
        assert!(!panel.running());
        assert!(run_task(task).is_empty());
    }
}
