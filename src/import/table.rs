//! A CSV file read row by row, with columns found by header name, never by position.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

use super::decoding::{open_utf8, TextFormat};
use super::ImportError;

/// One data row. `number` counts data rows from 1 (the header is not a row); `line` is the
/// file line the row starts on (the header is line 1), which differs once a quoted field
/// spans lines.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: u64,
    pub line: u64,
    pub record: csv::StringRecord,
}

impl Row {
    /// The trimmed value of a column; `None` for a missing column or an empty cell.
    pub fn get(&self, column: Option<usize>) -> Option<&str> {
        column
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub fn fields(&self) -> Vec<String> {
        self.record.iter().map(str::to_owned).collect()
    }
}

pub struct Table {
    /// How the file is named in messages (its file name).
    pub label: String,
    pub format: TextFormat,
    headers: Vec<String>,
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::StringRecord,
    rows: u64,
}

/// Header names compared the forgiving way: case, spaces, `-` and `_` do not matter, so
/// `E-Mail`, `email` and `EMAIL` are one column, as are `First Name` and `FIRST_NAME`.
pub fn header_key(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Table {
    pub fn open(path: &Path) -> Result<Table, ImportError> {
        let label = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let file = File::open(path).map_err(|source| ImportError::Read {
            file: path.display().to_string(),
            source,
        })?;
        Table::from_reader(file, &label)
    }

    pub fn from_reader<R: Read + Seek + Send + 'static>(
        input: R,
        label: &str,
    ) -> Result<Table, ImportError> {
        let read_err = |source| ImportError::Read {
            file: label.to_owned(),
            source,
        };
        let (format, reader) = open_utf8(input).map_err(read_err)?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(format.delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(label, 0, 1, e))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        if headers.iter().all(String::is_empty) {
            return Err(ImportError::Empty {
                file: label.to_owned(),
            });
        }
        Ok(Table {
            label: label.to_owned(),
            format,
            headers,
            reader,
            record: csv::StringRecord::new(),
            rows: 0,
        })
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The first column whose name matches one of `names` (see [`header_key`]); earlier
    /// names win, so the most specific name goes first.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let keys: Vec<String> = self.headers.iter().map(|h| header_key(h)).collect();
        names.iter().find_map(|n| {
            let wanted = header_key(n);
            keys.iter().position(|k| *k == wanted)
        })
    }

    /// A column named exactly (after trimming), else by [`header_key`]; for names a user typed.
    pub fn named_column(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.headers
            .iter()
            .position(|h| h == name)
            .or_else(|| self.column(&[name]))
    }

    /// The next data row; blank lines are skipped.
    pub fn next_row(&mut self) -> Option<Result<Row, ImportError>> {
        loop {
            let line = self.reader.position().line() + 1;
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    if self.record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    self.rows += 1;
                    let line = self.record.position().map(|p| p.line()).unwrap_or(line);
                    return Some(Ok(Row {
                        number: self.rows,
                        line,
                        record: self.record.clone(),
                    }));
                }
                Err(e) => {
                    self.rows += 1;
                    return Some(Err(csv_error(&self.label, self.rows, line, e)));
                }
            }
        }
    }
}

/// The first rows of a file as the import screen shows them before importing: detected
/// encoding and delimiter, the header, and up to `rows` data rows (unreadable ones skipped).
#[derive(Debug, Clone)]
pub struct Preview {
    pub format: TextFormat,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn preview(path: &Path, rows: usize) -> Result<Preview, ImportError> {
    let mut table = Table::open(path)?;
    let mut out = Vec::new();
    while out.len() < rows {
        match table.next_row() {
            None => break,
            Some(Ok(row)) => out.push(row.fields()),
            Some(Err(ImportError::Row { .. })) => continue,
            Some(Err(e)) => return Err(e),
        }
    }
    Ok(Preview {
        format: table.format,
        headers: table.headers,
        rows: out,
    })
}

fn csv_error(file: &str, row: u64, line: u64, e: csv::Error) -> ImportError {
    let line = e.position().map(|p| p.line()).unwrap_or(line);
    if e.is_io_error() {
        if let csv::ErrorKind::Io(source) = e.into_kind() {
            return ImportError::Read {
                file: file.to_owned(),
                source,
            };
        }
        return ImportError::Empty {
            file: file.to_owned(),
        };
    }
    ImportError::Row {
        file: file.to_owned(),
        row,
        line,
        column: String::new(),
        problem: format!("the file is not valid CSV here: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn table(text: &str) -> Table {
        Table::from_reader(Cursor::new(text.as_bytes().to_vec()), "t.csv").unwrap()
    }

    #[test]
    fn preview_shows_format_header_and_first_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.csv");
        std::fs::write(&p, b"Name;Ort\nA;K\xf6ln\nB;Berlin\nC;Bonn\n").unwrap();
        let pv = preview(&p, 2).unwrap();
        assert_eq!(pv.format.delimiter, b';');
        assert_eq!(
            pv.format.encoding,
            super::super::decoding::TextEncoding::Windows1252
        );
        assert_eq!(pv.headers, ["Name", "Ort"]);
        assert_eq!(pv.rows, [["A", "Köln"], ["B", "Berlin"]]);
    }

    #[test]
    fn columns_by_forgiving_name_and_rows_with_lines() {
        let mut t =
            table("Vorname;E-Mail;Telefon\nAnna;a@x.de;0171 1\n\"B\nC\";b@x.de;\nD;d@x.de\n");
        assert_eq!(t.column(&["email"]), Some(1));
        assert_eq!(t.column(&["EMAIL_ADDRESS", "e_mail"]), Some(1));
        assert_eq!(t.column(&["phone"]), None);
        assert_eq!(t.named_column("Telefon"), Some(2));
        let r1 = t.next_row().unwrap().unwrap();
        assert_eq!((r1.number, r1.line), (1, 2));
        let r2 = t.next_row().unwrap().unwrap();
        assert_eq!((r2.number, r2.line), (2, 3));
        assert_eq!(r2.get(Some(0)), Some("B\nC"));
        assert_eq!(r2.get(Some(2)), None);
        let r3 = t.next_row().unwrap().unwrap();
        assert_eq!((r3.number, r3.line), (3, 5));
        assert_eq!(r3.get(Some(2)), None, "short rows read as empty cells");
        assert!(t.next_row().is_none());
    }
}
