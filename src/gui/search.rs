//! The Search screen: one box, results as you type with a status strip per contact.
//!
//! Every keystroke starts a search off the UI thread with a new sequence number; a result
//! that arrives for an older number is dropped, so a slow early query never overwrites a
//! later one. Keyboard first: type, Up/Down select, Enter opens, Esc clears.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use iced::widget::{button, column, container, row, scrollable, text, text_input, Id};
use iced::{Center, Element, Fill, Task};

use super::handle::{GuiError, RegisterHandle};
use super::theme;
use crate::domain::{Channel, Purpose, Relationship};
use crate::i18n::{t, tf, Lang};
use crate::register::SearchResult;

pub const QUERY_ID: &str = "search-query";
pub const RESULTS_ID: &str = "search-results";

/// The purpose the status strip shows (the most common question: may we send the newsletter?).
pub const DEFAULT_PURPOSE: &str = "newsletter";
/// At most this many rows; a longer list is narrowed by typing more.
pub const LIMIT: usize = 50;
/// The height of one result row, for scrolling the selection into view.
const ROW_HEIGHT: f32 = 64.0;
const ROW_SPACING: f32 = 6.0;

#[derive(Debug, Clone)]
pub enum Message {
    QueryChanged(String),
    /// The results of search number `.0`.
    Searched(u64, Result<Vec<SearchResult>, GuiError>),
    Up,
    Down,
    /// Enter: open the selected contact.
    OpenSelected,
    /// A click on row `.0`.
    Open(usize),
    /// Esc: empty the box.
    Clear,
    /// The result list scrolled: (offset from the top, visible height).
    Scrolled(f32, f32),
}

pub enum Action {
    None,
    Run(Task<Message>),
    /// Open the contact with this id.
    Open(String),
}

/// What the list area shows.
#[derive(Debug, Clone)]
pub enum Results {
    /// Nothing typed yet.
    Empty,
    /// Waiting for the first answer to the current query.
    Searching,
    Found(Vec<SearchResult>),
    Failed(GuiError),
}

pub struct State {
    handle: RegisterHandle,
    lang: Lang,
    query: String,
    /// The sequence number of the newest search; only its answer is shown.
    request: u64,
    /// The same number, shared with the background searches: one that finds itself
    /// outdated before it starts skips the work, so fast typing on a large register does
    /// not queue up searches nobody will see.
    latest: Arc<AtomicU64>,
    /// Whether the newest search is still running (older results stay visible meanwhile).
    pending: bool,
    results: Results,
    selected: usize,
    scroll: (f32, f32),
}

impl State {
    pub fn new(handle: RegisterHandle, lang: Lang) -> (State, Task<Message>) {
        let state = State {
            handle,
            lang,
            query: String::new(),
            request: 0,
            latest: Arc::new(AtomicU64::new(0)),
            pending: false,
            results: Results::Empty,
            selected: 0,
            scroll: (0.0, 0.0),
        };
        (state, Self::focus())
    }

    /// Puts the cursor in the search box (at start, after Esc, back from a contact).
    pub fn focus() -> Task<Message> {
        Task::batch([
            iced::widget::operation::focus(QUERY_ID),
            iced::widget::operation::move_cursor_to_end(QUERY_ID),
        ])
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn results(&self) -> &Results {
        &self.results
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The sequence number of the newest search (tests feed answers with it).
    pub fn request(&self) -> u64 {
        self.request
    }

    /// The id of the selected contact, if the list shows one.
    pub fn selected_contact(&self) -> Option<&str> {
        match &self.results {
            Results::Found(rows) => rows
                .get(self.selected)
                .map(|r| r.summary.contact.id.as_str()),
            _ => None,
        }
    }

    /// Runs the current query again (the ledger changed); the selection stays on the same
    /// contact if it is still listed.
    pub fn refresh(&mut self) -> Task<Message> {
        self.start_search()
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::QueryChanged(q) => {
                self.query = q;
                self.selected = 0;
                return Action::Run(self.start_search());
            }
            Message::Searched(seq, result) => {
                if seq != self.request {
                    return Action::None; // an answer to a query the user has since changed
                }
                self.pending = false;
                let keep = self.selected_contact().map(str::to_owned);
                self.results = match result {
                    Ok(rows) => {
                        self.selected = keep
                            .and_then(|id| rows.iter().position(|r| r.summary.contact.id == id))
                            .unwrap_or(0);
                        Results::Found(rows)
                    }
                    Err(e) => Results::Failed(e),
                };
                return Action::Run(self.scroll_to_selection());
            }
            Message::Up => {
                self.selected = self.selected.saturating_sub(1);
                return Action::Run(self.scroll_to_selection());
            }
            Message::Down => {
                if let Results::Found(rows) = &self.results {
                    if self.selected + 1 < rows.len() {
                        self.selected += 1;
                    }
                }
                return Action::Run(self.scroll_to_selection());
            }
            Message::OpenSelected => {
                if let Some(id) = self.selected_contact() {
                    return Action::Open(id.to_owned());
                }
            }
            Message::Open(index) => {
                if let Results::Found(rows) = &self.results {
                    if let Some(row) = rows.get(index) {
                        self.selected = index;
                        return Action::Open(row.summary.contact.id.clone());
                    }
                }
            }
            Message::Clear => {
                self.query.clear();
                self.request += 1; // drops any answer still on its way
                self.latest.store(self.request, Ordering::Relaxed);
                self.pending = false;
                self.results = Results::Empty;
                self.selected = 0;
                return Action::Run(Self::focus());
            }
            Message::Scrolled(offset, height) => self.scroll = (offset, height),
        }
        Action::None
    }

    fn start_search(&mut self) -> Task<Message> {
        self.request += 1;
        let seq = self.request;
        self.latest.store(seq, Ordering::Relaxed);
        let query = self.query.trim().to_owned();
        if query.is_empty() {
            self.pending = false;
            self.results = Results::Empty;
            return Task::none();
        }
        self.pending = true;
        if matches!(self.results, Results::Empty | Results::Failed(_)) {
            self.results = Results::Searching;
        }
        let at = chrono::Local::now().fixed_offset();
        let latest = self.latest.clone();
        Task::perform(
            self.handle.call(move |reg| {
                if latest.load(Ordering::Relaxed) != seq {
                    return Ok(Vec::new()); // outdated: its answer would be dropped anyway
                }
                search(reg, &query, at)
            }),
            move |result| Message::Searched(seq, result),
        )
    }

    /// Scrolls the list just enough to show the selected row.
    fn scroll_to_selection(&self) -> Task<Message> {
        let (offset, height) = self.scroll;
        if height <= 0.0 {
            return Task::none();
        }
        let top = self.selected as f32 * (ROW_HEIGHT + ROW_SPACING);
        let bottom = top + ROW_HEIGHT;
        let target = if top < offset {
            top
        } else if bottom > offset + height {
            bottom - height
        } else {
            return Task::none();
        };
        iced::widget::operation::scroll_to(
            RESULTS_ID,
            scrollable::AbsoluteOffset {
                x: None,
                y: Some(target),
            },
        )
    }

    pub fn view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        let search_box = text_input(t(lang, "search-placeholder"), &self.query)
            .id(Id::new(QUERY_ID))
            .on_input(Message::QueryChanged)
            .on_submit(Message::OpenSelected)
            .padding(12)
            .size(20);
        let status = if self.pending {
            t(lang, "search-searching")
        } else {
            t(lang, "search-keys")
        };
        let top = column![
            search_box,
            row![
                text(status).size(13).color(theme::MUTED_TEXT),
                iced::widget::space::horizontal(),
                text(tf(
                    lang,
                    "search-purpose",
                    &[("purpose", t(lang, "search-purpose-newsletter"))]
                ))
                .size(13)
                .color(theme::MUTED_TEXT),
            ],
        ]
        .spacing(6);

        column![top, self.results_view()]
            .spacing(12)
            .padding([16, 24])
            .height(Fill)
            .into()
    }

    fn results_view(&self) -> Element<'_, Message> {
        let lang = self.lang;
        match &self.results {
            Results::Empty => placeholder(t(lang, "search-empty"), t(lang, "search-empty-hint")),
            Results::Searching => placeholder(t(lang, "search-searching"), ""),
            Results::Failed(e) => theme::error_box(
                column![text(t(lang, "search-failed")), text(e.message(lang))].spacing(4),
            ),
            Results::Found(rows) if rows.is_empty() => placeholder(
                tf(lang, "search-none", &[("query", self.query.trim())]),
                t(lang, "search-none-hint"),
            ),
            Results::Found(rows) => {
                let list = column(
                    rows.iter()
                        .enumerate()
                        .map(|(i, r)| result_row(lang, i, r, i == self.selected)),
                )
                .spacing(ROW_SPACING)
                .padding(iced::Padding::ZERO.right(12));
                let n = rows.len().to_string();
                let count = match rows.len() {
                    1 => t(lang, "search-count-one").to_owned(),
                    len if len >= LIMIT => tf(lang, "search-count-limited", &[("count", &n)]),
                    _ => tf(lang, "search-count", &[("count", &n)]),
                };
                column![
                    text(count).size(13).color(theme::MUTED_TEXT),
                    scrollable(list)
                        .id(Id::new(RESULTS_ID))
                        .on_scroll(|v| Message::Scrolled(v.absolute_offset().y, v.bounds().height))
                        .height(Fill),
                ]
                .spacing(6)
                .into()
            }
        }
    }
}

/// The search the screen runs: contacts with their verdicts for the default purpose.
pub fn search(
    reg: &crate::register::Register,
    query: &str,
    at: DateTime<FixedOffset>,
) -> crate::register::Result<Vec<SearchResult>> {
    let purpose = Purpose::parse(DEFAULT_PURPOSE)?;
    reg.search_with_status(query, LIMIT, &purpose, at)
}

fn placeholder<'a>(
    title: impl text::IntoFragment<'a>,
    hint: impl text::IntoFragment<'a>,
) -> Element<'a, Message> {
    container(
        column![
            text(title).size(20),
            text(hint).size(14).color(theme::MUTED_TEXT),
        ]
        .spacing(8)
        .align_x(Center),
    )
    .center_x(Fill)
    .padding([60, 0])
    .into()
}

fn channel_key(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "channel-email",
        Channel::Sms => "channel-sms",
        Channel::Phone => "channel-phone",
        Channel::Letter => "channel-letter",
    }
}

fn result_row<'a>(
    lang: Lang,
    index: usize,
    r: &'a SearchResult,
    selected: bool,
) -> Element<'a, Message> {
    let c = &r.summary.contact;
    let mut who = column![text(c.display_name()).size(17)].spacing(2);
    let second = match (&c.company, c.name.is_empty()) {
        (Some(company), false) => Some(company.as_str()),
        _ => None,
    };
    who = who.push(
        text(second.map_or_else(|| c.id.clone(), |co| format!("{co} · {}", c.id)))
            .size(13)
            .color(theme::MUTED_TEXT),
    );
    let contact_line = column![
        text(c.emails.first().map(String::as_str).unwrap_or("—")).size(14),
        text(c.phones.first().map(String::as_str).unwrap_or("—")).size(14),
    ]
    .spacing(2);
    let class_key = match r.summary.classification.relationship {
        Relationship::Customer => "relationship-customer",
        Relationship::Prospect => "relationship-prospect",
    };
    let strip = row(r.channels.iter().map(|(channel, decision)| {
        theme::badge(
            // Not colour alone: a denied channel also carries a "×".
            if decision.allowed() {
                t(lang, channel_key(*channel)).to_owned()
            } else {
                format!("× {}", t(lang, channel_key(*channel)))
            },
            theme::verdict_color(decision.verdict),
        )
    }))
    .spacing(4);
    // Fixed widths for badge and strip keep the columns aligned from row to row.
    let content = row![
        who.width(iced::FillPortion(4)),
        contact_line.width(iced::FillPortion(4)),
        container(theme::badge(t(lang, class_key), theme::NEUTRAL)).width(150),
        container(strip).align_right(330),
    ]
    .spacing(12)
    .align_y(Center);
    button(container(content).height(ROW_HEIGHT - 16.0).center_y(Fill))
        .width(Fill)
        .height(ROW_HEIGHT)
        .padding([8, 12])
        .style(move |theme, status| {
            let mut style = button::secondary(theme, status);
            let base = if selected {
                theme::SELECTED
            } else {
                iced::Color::WHITE
            };
            style.background = Some(iced::Background::Color(match status {
                button::Status::Hovered if !selected => iced::Color::from_rgb(0.96, 0.97, 0.99),
                _ => base,
            }));
            style.text_color = iced::Color::BLACK;
            style.border = iced::border::rounded(6)
                .color(if selected {
                    theme::HEADER
                } else {
                    theme::ROW_BORDER
                })
                .width(if selected { 2 } else { 1 });
            style
        })
        .on_press(Message::Open(index))
        .into()
}
