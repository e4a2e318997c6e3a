//! A small layout engine on printpdf: A4 pages, wrapped text, tables that break across
//! pages with their header repeated, a footer with "Seite x von y" and the fingerprint on
//! every page, and the PDF metadata.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use super::doc::{Block, Cell, Doc, Style, Table, Tone};
use super::fonts::{self, Metrics};
use super::ReportError;

const PAGE_W: f32 = 595.28; // A4 in points
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 48.0;
const MARGIN_TOP: f32 = 48.0;
/// Room kept free at the bottom for the two footer lines.
const MARGIN_BOTTOM: f32 = 62.0;
const BODY: f32 = 9.0;
const LINE: f32 = 1.3; // line height as a multiple of the font size
const CELL_PAD: f32 = 3.0;

fn content_width() -> f32 {
    PAGE_W - 2.0 * MARGIN_X
}

fn color(tone: Tone) -> Color {
    let (r, g, b) = match tone {
        Tone::Normal => (0.0, 0.0, 0.0),
        Tone::Good => (0.0, 0.45, 0.15),
        Tone::Bad => (0.72, 0.0, 0.0),
        Tone::Muted => (0.38, 0.38, 0.38),
    };
    Color::Rgb(Rgb::new(r, g, b, None))
}

struct Faces {
    regular: Metrics,
    bold: Metrics,
    regular_id: FontId,
    bold_id: FontId,
}

impl Faces {
    fn metrics(&self, bold: bool) -> &Metrics {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
    fn id(&self, bold: bool) -> &FontId {
        if bold {
            &self.bold_id
        } else {
            &self.regular_id
        }
    }
}

/// Pages being filled; `y` is the distance from the top edge of the current page.
struct Pages<'a> {
    faces: &'a Faces,
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
}

impl<'a> Pages<'a> {
    fn new(faces: &'a Faces) -> Self {
        Pages {
            faces,
            done: Vec::new(),
            ops: Vec::new(),
            y: MARGIN_TOP,
        }
    }

    fn bottom() -> f32 {
        PAGE_H - MARGIN_BOTTOM
    }

    fn room(&self) -> f32 {
        Self::bottom() - self.y
    }

    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.ops));
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) {
        if height > self.room() && self.y > MARGIN_TOP {
            self.new_page();
        }
    }

    /// One line of text with its top at `top` (distance from the page top).
    fn text(&mut self, x: f32, top: f32, size: f32, style: Style, s: &str) {
        if s.is_empty() {
            return;
        }
        let baseline = PAGE_H - top - size * 0.95;
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(self.faces.id(style.bold).clone()),
                size: Pt(size),
            },
            Op::SetFillColor {
                col: color(style.tone),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    fn rule(&mut self, x1: f32, x2: f32, top: f32, grey: f32) {
        let y = PAGE_H - top;
        self.ops.extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb::new(grey, grey, grey, None)),
            },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(x1),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(x2),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    fn shade(&mut self, x: f32, top: f32, w: f32, h: f32) {
        self.ops.extend([
            Op::SetFillColor {
                col: Color::Rgb(Rgb::new(0.9, 0.92, 0.95, None)),
            },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(PAGE_H - top - h),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
        ]);
    }

    /// A wrapped paragraph across the full text width.
    fn paragraph(&mut self, s: &str, size: f32, style: Style, gap_after: f32) {
        let lh = size * LINE;
        for line in self
            .faces
            .metrics(style.bold)
            .wrap(s, size, content_width())
        {
            self.ensure(lh);
            self.text(MARGIN_X, self.y, size, style, &line);
            self.y += lh;
        }
        self.y += gap_after;
    }
}

/// A cell wrapped to its column: (lines with their style).
type CellLines = Vec<(String, Style)>;

fn wrap_cell(faces: &Faces, cell: &Cell, width: f32, size: f32) -> CellLines {
    let mut out = Vec::new();
    for (text, style) in &cell.parts {
        for line in faces.metrics(style.bold).wrap(text, size, width) {
            out.push((line, *style));
        }
    }
    out
}

struct TableGeometry {
    xs: Vec<f32>,
    widths: Vec<f32>,
}

fn geometry(shares: &[f32]) -> TableGeometry {
    let total: f32 = shares.iter().sum::<f32>().max(f32::EPSILON);
    let mut xs = Vec::new();
    let mut widths = Vec::new();
    let mut x = MARGIN_X;
    for s in shares {
        let w = content_width() * s / total;
        xs.push(x);
        widths.push(w);
        x += w;
    }
    TableGeometry { xs, widths }
}

fn draw_row(pages: &mut Pages<'_>, g: &TableGeometry, cells: &[CellLines], from: usize, to: usize) {
    let lh = BODY * LINE;
    let top = pages.y;
    for (i, lines) in cells.iter().enumerate() {
        for (k, (text, style)) in lines.iter().enumerate().take(to).skip(from) {
            let line_top = top + CELL_PAD + (k - from) as f32 * lh;
            pages.text(g.xs[i] + CELL_PAD, line_top, BODY, *style, text);
        }
    }
}

fn rows_height(lines: usize) -> f32 {
    lines as f32 * BODY * LINE + 2.0 * CELL_PAD
}

/// Height of a table's header and first row (capped): what must fit before it starts.
fn table_start(faces: &Faces, t: &Table, with_header: bool) -> f32 {
    let g = geometry(&t.columns.iter().map(|c| c.share).collect::<Vec<_>>());
    let lines = |row: &[Cell]| {
        row.iter()
            .zip(&g.widths)
            .map(|(c, w)| wrap_cell(faces, c, w - 2.0 * CELL_PAD, BODY).len())
            .max()
            .unwrap_or(1)
    };
    let header: Vec<Cell> = t
        .columns
        .iter()
        .map(|c| Cell::styled(c.header.clone(), Style::BOLD))
        .collect();
    let header_h = if with_header {
        rows_height(lines(&header))
    } else {
        0.0
    };
    let first = t.rows.first().map(|r| rows_height(lines(r))).unwrap_or(0.0);
    header_h + first.min(120.0)
}

fn fields_table(fields: &[(String, Cell)]) -> Table {
    Table {
        columns: vec![
            super::doc::Column {
                header: String::new(),
                share: 0.28,
            },
            super::doc::Column {
                header: String::new(),
                share: 0.72,
            },
        ],
        rows: fields
            .iter()
            .map(|(k, v)| vec![Cell::styled(k.clone(), Style::BOLD), v.clone()])
            .collect(),
    }
}

/// Room a heading needs to stay with what follows: its introduction and the start of the
/// next table or field list.
fn keep_with_next(faces: &Faces, next: &[Block]) -> f32 {
    let mut keep = 11.0 * LINE + 7.0;
    for block in next {
        match block {
            Block::Paragraph(s, style) => {
                let lines = faces
                    .metrics(style.bold)
                    .wrap(s, BODY, content_width())
                    .len();
                keep += lines as f32 * BODY * LINE + 4.0;
            }
            Block::Table(t) => return keep + table_start(faces, t, true),
            Block::Fields(f) => return keep + table_start(faces, &fields_table(f), false),
            _ => break,
        }
    }
    keep + 3.0 * BODY * LINE
}

fn table(pages: &mut Pages<'_>, t: &Table, with_header: bool) {
    let g = geometry(&t.columns.iter().map(|c| c.share).collect::<Vec<_>>());
    let right = MARGIN_X + content_width();
    let header: Vec<CellLines> = t
        .columns
        .iter()
        .zip(&g.widths)
        .map(|(c, w)| {
            wrap_cell(
                pages.faces,
                &Cell::styled(c.header.clone(), Style::BOLD),
                w - 2.0 * CELL_PAD,
                BODY,
            )
        })
        .collect();
    let header_lines = header.iter().map(Vec::len).max().unwrap_or(1);
    let header_h = rows_height(header_lines);
    let draw_header = |pages: &mut Pages<'_>| {
        if with_header {
            pages.shade(MARGIN_X, pages.y, content_width(), header_h);
            draw_row(pages, &g, &header, 0, header_lines);
            pages.y += header_h;
        }
    };
    // Keep the header together with the first row.
    pages.ensure(table_start(pages.faces, t, with_header));
    draw_header(pages);
    let page_body = Pages::bottom() - MARGIN_TOP - if with_header { header_h } else { 0.0 };
    for row in &t.rows {
        let cells: Vec<CellLines> = row
            .iter()
            .zip(&g.widths)
            .map(|(c, w)| wrap_cell(pages.faces, c, w - 2.0 * CELL_PAD, BODY))
            .collect();
        let n = cells.iter().map(Vec::len).max().unwrap_or(1);
        let h = rows_height(n);
        if h <= page_body {
            if h > pages.room() {
                pages.new_page();
                draw_header(pages);
            }
            draw_row(pages, &g, &cells, 0, n);
            pages.y += h;
        } else {
            // A row taller than a page: continue its lines on the following pages.
            let mut from = 0;
            while from < n {
                let fit = ((pages.room() - 2.0 * CELL_PAD) / (BODY * LINE)).floor() as usize;
                if fit == 0 {
                    pages.new_page();
                    draw_header(pages);
                    continue;
                }
                let to = (from + fit).min(n);
                draw_row(pages, &g, &cells, from, to);
                pages.y += rows_height(to - from);
                from = to;
                if from < n {
                    pages.new_page();
                    draw_header(pages);
                }
            }
        }
        pages.rule(MARGIN_X, right, pages.y, 0.75);
    }
    pages.y += 8.0;
}

fn footer(ops: &mut Vec<Op>, faces: &Faces, doc: &Doc, page: usize, pages: usize) {
    let size = 7.0;
    let mut p = Pages {
        faces,
        done: Vec::new(),
        ops: Vec::new(),
        y: 0.0,
    };
    let top = PAGE_H - MARGIN_BOTTOM + 18.0;
    let right = MARGIN_X + content_width();
    p.rule(MARGIN_X, right, top - 4.0, 0.6);
    let label = doc
        .page_label
        .replace("{page}", &page.to_string())
        .replace("{pages}", &pages.to_string());
    let label_w = faces.regular.width(&label, size);
    let avail = content_width() - label_w - 12.0;
    let first = faces
        .regular
        .wrap(&doc.footer, size, avail)
        .into_iter()
        .next()
        .unwrap_or_default();
    p.text(MARGIN_X, top, size, Style::MUTED, &first);
    p.text(right - label_w, top, size, Style::BOLD, &label);
    p.text(
        MARGIN_X,
        top + size * LINE,
        size,
        Style::MUTED,
        &doc.footer_fingerprint,
    );
    ops.extend(p.ops);
}

/// Sets `doc` on A4 pages and returns the PDF bytes and the number of pages.
pub fn render(doc: &Doc) -> Result<(Vec<u8>, usize), ReportError> {
    let mut pdf = PdfDocument::new(&doc.title);
    let mut warnings = Vec::new();
    let parse = |bytes: &'static [u8]| {
        ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .ok_or_else(|| ReportError::Font("the embedded font cannot be parsed".into()))
    };
    let faces = Faces {
        regular: Metrics::parse(fonts::REGULAR)?,
        bold: Metrics::parse(fonts::BOLD)?,
        regular_id: pdf.add_font(&parse(fonts::REGULAR)?),
        bold_id: pdf.add_font(&parse(fonts::BOLD)?),
    };
    let mut pages = Pages::new(&faces);
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Title(s) => pages.paragraph(s, 16.0, Style::BOLD, 6.0),
            Block::Heading(s) => {
                let keep = keep_with_next(&faces, &doc.blocks[i + 1..]);
                pages.ensure(keep.min(Pages::bottom() - MARGIN_TOP));
                pages.y += 4.0;
                pages.paragraph(s, 11.0, Style::BOLD, 3.0);
            }
            Block::Paragraph(s, style) => pages.paragraph(s, BODY, *style, 4.0),
            Block::Fields(fields) => table(&mut pages, &fields_table(fields), false),
            Block::Table(t) => table(&mut pages, t, true),
            Block::Space(h) => pages.y += h,
        }
    }
    pages.new_page();
    let total = pages.done.len();
    let pdf_pages: Vec<PdfPage> = std::mem::take(&mut pages.done)
        .into_iter()
        .enumerate()
        .map(|(i, mut ops)| {
            footer(&mut ops, &faces, doc, i + 1, total);
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();
    pdf.with_pages(pdf_pages);
    let info = &mut pdf.metadata.info;
    info.author = doc.author.clone();
    info.creator = "Consentry".into();
    info.producer = "Consentry (printpdf)".into();
    info.subject = doc.subject.clone();
    info.keywords = doc.keywords.clone();
    // printpdf writes the date as UTC, so hand it the UTC instant.
    if let Ok(t) = printpdf::OffsetDateTime::from_unix_timestamp(doc.created_unix) {
        info.creation_date = t;
        info.modification_date = t;
        info.metadata_date = t;
    }
    let mut bytes = pdf.save(&PdfSaveOptions::default(), &mut warnings);
    drop_pdfx_claim(&mut bytes);
    Ok((bytes, total))
}

/// printpdf always writes an (empty) `GTS_PDFXVersion` into the document info, which
/// viewers read as a PDF/X claim the file does not meet. Rename the key in place to one of
/// the same length, so every byte offset in the cross-reference table stays valid.
fn drop_pdfx_claim(pdf: &mut [u8]) {
    const CLAIM: &[u8] = b"/GTS_PDFXVersion()";
    const NONE: &[u8] = b"/NoStandardClaim()";
    if let Some(at) = pdf.windows(CLAIM.len()).position(|w| w == CLAIM) {
        pdf[at..at + CLAIM.len()].copy_from_slice(NONE);
    }
}
