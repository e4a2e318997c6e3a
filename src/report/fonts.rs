//! The embedded DejaVu Sans faces (shipped in `assets/fonts`, Bitstream Vera licence) and
//! text measuring with their glyph advances: printpdf does not measure text.

use ttf_parser::Face;

use super::ReportError;

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Advance widths of one face.
pub struct Metrics {
    face: Face<'static>,
    units_per_em: f32,
}

impl Metrics {
    pub fn parse(bytes: &'static [u8]) -> Result<Metrics, ReportError> {
        let face = Face::parse(bytes, 0)
            .map_err(|e| ReportError::Font(format!("the embedded font cannot be read: {e}")))?;
        let units_per_em = f32::from(face.units_per_em().max(1));
        Ok(Metrics { face, units_per_em })
    }

    /// Width of `text` at `size` points. Characters the font lacks count as its `.notdef`
    /// glyph (id 0), which is what the PDF viewer will draw.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                u32::from(self.face.glyph_hor_advance(gid).unwrap_or(0))
            })
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Breaks `text` into lines no wider than `max` points: at spaces where possible,
    /// inside a word only when the word alone is too wide (URLs, user agents, hashes).
    /// Explicit newlines are kept. Never returns an empty list.
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(word, size) <= max {
                    line = word.to_owned();
                } else {
                    // Split the long word by characters.
                    for c in word.chars() {
                        let mut next = line.clone();
                        next.push(c);
                        if self.width(&next, size) > max && !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                            line.push(c);
                        } else {
                            line = next;
                        }
                    }
                }
            }
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_the_width_and_keeps_every_character() {
        let m = Metrics::parse(REGULAR).unwrap();
        let text = "Müller-Lüdenscheidt consented https://shop.example.de/very/long/path/without/any/spaces/at/all?x=1 ok";
        let lines = m.wrap(text, 9.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(m.width(l, 9.0) <= 120.0 + 0.01, "{l}");
        }
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let original: String = text.chars().filter(|c| *c != ' ').collect();
        assert_eq!(joined, original);
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let m = Metrics::parse(BOLD).unwrap();
        assert!(m.width("Seite 10 von 12", 10.0) > m.width("Seite 1 von 2", 10.0));
        assert!(m.width("Ä", 20.0) > m.width("Ä", 10.0));
        assert_eq!(m.wrap("a\nb", 10.0, 100.0), vec!["a", "b"]);
    }
}
