//! Text encodings and delimiters of spreadsheet exports: UTF-8, UTF-8 with BOM and
//! Windows-1252 (what German Excel writes for "CSV (Trennzeichen-getrennt)"), with `,` or
//! `;` between fields.

use std::io::{self, Read, Seek, SeekFrom};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// What [`sniff`] found out about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFormat {
    pub encoding: TextEncoding,
    /// `b','` or `b';'`.
    pub delimiter: u8,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// The header line is read for the delimiter; a longer first line is cut here.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// Reads the whole input once, in constant memory, to decide the encoding: UTF-8 only if
/// every byte sequence is valid UTF-8 — one Windows-1252 umlaut in row 90 000 would
/// otherwise come out garbled. The delimiter is the more frequent of `;` and `,` in the
/// header line (outside quotes); a tie means `,`.
pub fn sniff(mut input: impl Read) -> io::Result<TextFormat> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    let mut header = HeaderScan::default();
    let mut first = true;
    let mut bom = false;
    let mut valid_utf8 = true;
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let mut chunk = &buf[..n];
        if first {
            first = false;
            if chunk.starts_with(BOM) {
                bom = true;
                chunk = &chunk[BOM.len()..];
            }
        }
        header.feed(chunk);
        if valid_utf8 {
            carry.extend_from_slice(chunk);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                // Incomplete sequence at the chunk end: keep it for the next chunk.
                Err(e) if e.error_len().is_none() => {
                    carry.drain(..e.valid_up_to());
                }
                Err(_) => valid_utf8 = false,
            }
        } else if header.done {
            break;
        }
    }
    if !carry.is_empty() {
        valid_utf8 = false;
    }
    let encoding = match (bom, valid_utf8) {
        (true, _) => TextEncoding::Utf8Bom,
        (false, true) => TextEncoding::Utf8,
        (false, false) => TextEncoding::Windows1252,
    };
    Ok(TextFormat {
        encoding,
        delimiter: header.delimiter(),
    })
}

#[derive(Default)]
struct HeaderScan {
    in_quotes: bool,
    commas: usize,
    semicolons: usize,
    seen: usize,
    done: bool,
}

impl HeaderScan {
    fn feed(&mut self, chunk: &[u8]) {
        for &b in chunk {
            if self.done || self.seen >= MAX_HEADER_BYTES {
                self.done = true;
                return;
            }
            self.seen += 1;
            match b {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' | b'\r' if !self.in_quotes => self.done = true,
                b',' if !self.in_quotes => self.commas += 1,
                b';' if !self.in_quotes => self.semicolons += 1,
                _ => {}
            }
        }
    }

    fn delimiter(&self) -> u8 {
        if self.semicolons > self.commas {
            b';'
        } else {
            b','
        }
    }
}

/// Sniffs `input`, rewinds it, and returns its format with a reader that yields UTF-8
/// (without BOM), decoding Windows-1252 on the fly.
pub fn open_utf8<R: Read + Seek + Send + 'static>(
    mut input: R,
) -> io::Result<(TextFormat, Box<dyn Read + Send>)> {
    let format = sniff(&mut input)?;
    input.seek(SeekFrom::Start(0))?;
    let reader: Box<dyn Read + Send> = match format.encoding {
        TextEncoding::Utf8 => Box::new(input),
        TextEncoding::Utf8Bom => {
            let mut bom = [0u8; 3];
            input.read_exact(&mut bom)?;
            Box::new(input)
        }
        TextEncoding::Windows1252 => Box::new(Windows1252Reader::new(input)),
    };
    Ok((format, reader))
}

/// Decodes Windows-1252 to UTF-8 while reading. A single-byte encoding, so every chunk
/// decodes on its own; memory stays at two small buffers.
pub struct Windows1252Reader<R> {
    inner: R,
    raw: Vec<u8>,
    decoded: Vec<u8>,
    pos: usize,
}

impl<R: Read> Windows1252Reader<R> {
    pub fn new(inner: R) -> Self {
        Windows1252Reader {
            inner,
            raw: vec![0u8; 16 * 1024],
            decoded: Vec::new(),
            pos: 0,
        }
    }
}

impl<R: Read> Read for Windows1252Reader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.decoded.len() {
            let n = self.inner.read(&mut self.raw)?;
            if n == 0 {
                return Ok(0);
            }
            let text = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&self.raw[..n])
                .0;
            self.decoded.clear();
            self.decoded.extend_from_slice(text.as_bytes());
            self.pos = 0;
        }
        let n = out.len().min(self.decoded.len() - self.pos);
        out[..n].copy_from_slice(&self.decoded[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn decode_all(bytes: &[u8]) -> (TextFormat, String) {
        let (format, mut r) = open_utf8(Cursor::new(bytes.to_vec())).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (format, s)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let (f, s) = decode_all("Name,E-Mail\nJürgen,j@x.de\n".as_bytes());
        assert_eq!(f.encoding, TextEncoding::Utf8);
        assert_eq!(f.delimiter, b',');
        assert!(s.starts_with("Name,"));
        let mut bytes = BOM.to_vec();
        bytes.extend_from_slice("Name;E-Mail\nJürgen;j@x.de\n".as_bytes());
        let (f, s) = decode_all(&bytes);
        assert_eq!(f.encoding, TextEncoding::Utf8Bom);
        assert_eq!(f.delimiter, b';');
        assert!(s.starts_with("Name;"), "BOM removed: {s:?}");
    }

    #[test]
    fn windows_1252_umlaut_late_in_the_file_is_detected() {
        let mut bytes = b"Name;Ort\n".to_vec();
        for _ in 0..20_000 {
            bytes.extend_from_slice(b"Anna;Berlin\n");
        }
        bytes.extend_from_slice(b"J\xfcrgen Wei\xdf;K\xf6ln\n");
        let (f, s) = decode_all(&bytes);
        assert_eq!(f.encoding, TextEncoding::Windows1252);
        assert_eq!(f.delimiter, b';');
        assert!(s.ends_with("Jürgen Weiß;Köln\n"), "{}", &s[s.len() - 30..]);
    }

    #[test]
    fn delimiter_ignores_quoted_separators() {
        let (f, _) = decode_all(b"\"Name, Vorname\";\"Firma, GmbH\";Ort\n");
        assert_eq!(f.delimiter, b';');
        let (f, _) = decode_all(b"\"a;b;c\",x\n");
        assert_eq!(f.delimiter, b',');
    }

    #[test]
    fn a_multibyte_character_across_chunks_is_still_utf8() {
        let mut bytes = b"Name\n".to_vec();
        bytes.resize(64 * 1024 - 1, b'a');
        bytes.extend_from_slice("ü\n".as_bytes());
        let (f, s) = decode_all(&bytes);
        assert_eq!(f.encoding, TextEncoding::Utf8);
        assert!(s.ends_with("ü\n"));
    }
}
