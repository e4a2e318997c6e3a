//! A printable document as a list of blocks: what the layout engine knows how to set on A4.
//! Report builders produce a `Doc`; `layout::render` turns it into PDF bytes.

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Normal,
    /// Allowed / in order: printed green.
    Good,
    /// Denied / a problem: printed red.
    Bad,
    /// Secondary information: printed grey.
    Muted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub bold: bool,
    pub tone: Tone,
}

impl Style {
    pub const PLAIN: Style = Style {
        bold: false,
        tone: Tone::Normal,
    };
    pub const BOLD: Style = Style {
        bold: true,
        tone: Tone::Normal,
    };
    pub const MUTED: Style = Style {
        bold: false,
        tone: Tone::Muted,
    };
    pub fn toned(bold: bool, tone: Tone) -> Style {
        Style { bold, tone }
    }
}

/// One table cell: paragraphs, each starting on a new line, each wrapped to the column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub parts: Vec<(String, Style)>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            parts: vec![(s.into(), Style::PLAIN)],
        }
    }
    pub fn styled(s: impl Into<String>, style: Style) -> Cell {
        Cell {
            parts: vec![(s.into(), style)],
        }
    }
    pub fn push(mut self, s: impl Into<String>, style: Style) -> Cell {
        self.parts.push((s.into(), style));
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Share of the text width; the shares of a table are normalised to add up to 1.
    pub share: f32,
}

/// A table; when it breaks across pages its header row is repeated.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[(&str, f32)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|(h, s)| Column {
                    header: (*h).to_owned(),
                    share: *s,
                })
                .collect(),
            rows: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    Paragraph(String, Style),
    /// Label/value pairs in two columns, without a header row.
    Fields(Vec<(String, Cell)>),
    Table(Table),
    /// Vertical space in points.
    Space(f32),
}

/// Everything needed to print a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// PDF title (metadata).
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// Creation instant as Unix seconds (metadata).
    pub created_unix: i64,
    /// First footer line on every page, before the page number.
    pub footer: String,
    /// Second footer line on every page (the fingerprint).
    pub footer_fingerprint: String,
    /// "Seite { $page } von { $pages }": `{page}` and `{pages}` are filled per page.
    pub page_label: String,
    pub blocks: Vec<Block>,
}
