//! As-you-type contact search over a trigram FTS5 index (any fragment of 3+ characters),
//! with umlaut spellings folded and phone numbers indexed in E.164 and German national form.
//! User text only ever reaches SQL as bound parameters; FTS5 phrases are quoted.

use std::cell::RefCell;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection};

use super::error::StoreError;
use crate::domain::identifiers::{
    fold_variants, looks_like_phone, normalise_email, normalise_phone, phone_search_text,
};
use crate::domain::Contact;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub contact_id: String,
    /// 0: exact id, customer number, email or phone; 1: name or company starts with the
    /// query; 2: anything else. Smaller is better.
    pub rank: u32,
}

/// The trigram tokenizer cannot match shorter fragments; those are checked with `instr`.
const MIN_TRIGRAM_CHARS: usize = 3;

/// Matches ranked per query at most (plus the exact hits, always). A common fragment
/// ("schmi") matches ~1 % of a million contacts; fetching and sorting them all took longer
/// than the 20 ms budget, and a list of 50 cannot show them anyway (benches/).
const MAX_CANDIDATES: usize = 1_000;

pub(super) fn index(conn: &Connection, rowid: i64, c: &Contact) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO search_index (rowid, terms, names, sort_name) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        rowid,
        terms(c),
        names(c),
        c.display_name().to_lowercase()
    ])?;
    Ok(())
}

/// Search entries of the contacts inserted in the current write, not yet in the index.
///
/// Every statement that needs a statement journal opens a savepoint (before migration 8,
/// every insert into `events`), and FTS5 answers a savepoint by writing out what it
/// buffered. Indexed row by row between such statements, each contact became a segment of
/// its own and FTS5 spent its time merging them (~40 % of a large import).
/// Buffered here and written in runs, FTS5 builds large segments as on a plain bulk insert.
/// `Tx` writes them before anything else uses the connection (see `Tx::conn`) and before
/// the commit, so no reader, update or erasure ever sees the index without them.
#[derive(Default)]
pub(super) struct Pending {
    entries: RefCell<Vec<(i64, Entry)>>,
    /// A failed write from `flush`, returned by `finish` so the write does not commit.
    failed: RefCell<Option<StoreError>>,
    /// Set by [`Pending::start_bulk`] for the rest of the write.
    bulk: std::cell::Cell<bool>,
}

/// Entries held at most (a few MB) before they are written anyway.
const PENDING_MAX: usize = 10_000;

/// In a bulk write (a large import): entries held at most, FTS5's in-memory buffer
/// (`hashsize`) and how many segments of one size it lets pile up before merging them
/// (`automerge`). Each run becomes one segment; with the defaults (1 MiB, 4) a million
/// contacts made ~400 small segments and FTS5 merged and re-merged them, ~13 % of the
/// import. With these the million is ~50 segments merged about once (benches/: 74 → 66 s);
/// FTS5's own defaults are back before the write commits, for the small writes after.
const BULK_PENDING_MAX: usize = 20_000;
const BULK_HASHSIZE: i64 = 16 * 1024 * 1024;
const BULK_AUTOMERGE: i64 = 16;
const DEFAULT_HASHSIZE: i64 = 1024 * 1024;
const DEFAULT_AUTOMERGE: i64 = 4;

/// A contact's row in the index, computed from the contact alone (an import computes it on
/// a second thread, see `store::prepared`).
#[derive(Debug, Clone, Default)]
pub(super) struct Entry {
    terms: String,
    names: String,
    sort_name: String,
}

impl Entry {
    pub(super) fn new(c: &Contact) -> Entry {
        Entry {
            terms: terms(c),
            names: names(c),
            sort_name: c.display_name().to_lowercase(),
        }
    }
}

impl Pending {
    pub(super) fn add_entry(
        &self,
        conn: &Connection,
        rowid: i64,
        entry: Entry,
    ) -> Result<(), StoreError> {
        let full = {
            let mut entries = self.entries.borrow_mut();
            entries.push((rowid, entry));
            entries.len() >= self.run_max()
        };
        if full {
            self.write(conn)?;
        }
        Ok(())
    }

    /// Writes the buffered entries; a failure is kept for [`Pending::finish`].
    pub(super) fn flush(&self, conn: &Connection) {
        if self.entries.borrow().is_empty() {
            return;
        }
        if let Err(e) = self.write(conn) {
            self.failed.borrow_mut().get_or_insert(e);
        }
    }

    /// Entries held at most before they are written.
    fn run_max(&self) -> usize {
        match self.bulk.get() {
            true => BULK_PENDING_MAX,
            false => PENDING_MAX,
        }
    }

    /// Indexes the rest of this write in bulk (see [`BULK_PENDING_MAX`]).
    pub(super) fn start_bulk(&self, conn: &Connection) -> Result<(), StoreError> {
        if !self.bulk.get() {
            configure(conn, BULK_HASHSIZE, BULK_AUTOMERGE)?;
            self.bulk.set(true);
        }
        Ok(())
    }

    /// Writes what is left; `Err` if this or an earlier write failed.
    pub(super) fn finish(&self, conn: &Connection) -> Result<(), StoreError> {
        self.write(conn)?;
        if let Some(e) = self.failed.borrow_mut().take() {
            return Err(e);
        }
        if self.bulk.replace(false) {
            configure(conn, DEFAULT_HASHSIZE, DEFAULT_AUTOMERGE)?;
        }
        Ok(())
    }

    fn write(&self, conn: &Connection) -> Result<(), StoreError> {
        let entries = std::mem::take(&mut *self.entries.borrow_mut());
        if entries.is_empty() {
            return Ok(());
        }
        let mut stmt = conn.prepare_cached(
            "INSERT INTO search_index (rowid, terms, names, sort_name) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (rowid, e) in entries {
            stmt.execute(params![rowid, e.terms, e.names, e.sort_name])?;
        }
        Ok(())
    }
}

/// Sets FTS5's `hashsize` and `automerge` (kept in `search_index_config`, so they are part
/// of the transaction: a write that rolls back leaves them as they were).
fn configure(conn: &Connection, hashsize: i64, automerge: i64) -> Result<(), StoreError> {
    let mut stmt =
        conn.prepare_cached("INSERT INTO search_index (search_index, rank) VALUES (?1, ?2)")?;
    stmt.execute(params!["hashsize", hashsize])?;
    stmt.execute(params!["automerge", automerge])?;
    Ok(())
}

/// FTS5's `hashsize` and `automerge` as stored (`None`: never set, FTS5's default).
#[cfg(test)]
pub(super) fn configured(conn: &Connection) -> Result<(Option<i64>, Option<i64>), StoreError> {
    use rusqlite::OptionalExtension;
    let value = |k: &str| -> Result<Option<i64>, StoreError> {
        Ok(conn
            .prepare_cached("SELECT v FROM search_index_config WHERE k = ?1")?
            .query_row([k], |r| r.get(0))
            .optional()?)
    };
    Ok((value("hashsize")?, value("automerge")?))
}

pub(super) fn reindex(conn: &Connection, rowid: i64, c: &Contact) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
        .execute([rowid])?;
    index(conn, rowid, c)
}

/// Everything a person might type to find `c`, lower-cased, fields separated by spaces
/// (query tokens hold no spaces, so a match never spans two fields).
fn terms(c: &Contact) -> String {
    let mut parts = vec![c.id.to_lowercase(), fold_variants(&c.name)];
    parts.extend(c.company.as_deref().map(fold_variants));
    parts.extend(c.emails.iter().map(|e| e.to_lowercase()));
    parts.extend(c.phones.iter().map(|p| phone_search_text(p)));
    parts.extend(c.customer_number.as_deref().map(str::to_lowercase));
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// Each spelling of name and company on its own line, led by a newline, so that
/// "starts with q" is `instr(names, '\n' || q) > 0`.
fn names(c: &Contact) -> String {
    let mut out = String::new();
    for field in [Some(c.name.as_str()), c.company.as_deref()]
        .into_iter()
        .flatten()
    {
        for spelling in spellings(field) {
            out.push('\n');
            out.push_str(&spelling);
        }
    }
    out
}

/// Whole-text spellings (as typed, umlauts dropped, umlauts expanded), lower-cased with
/// single spaces: `Hans Müller` → `hans müller`, `hans muller`, `hans mueller`.
fn spellings(text: &str) -> Vec<String> {
    let words: Vec<Vec<String>> = text.split_whitespace().map(word_spellings).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for k in 0..3 {
        let spelling = words
            .iter()
            .map(|w| w.get(k).or(w.last()).map_or("", String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        if !out.contains(&spelling) {
            out.push(spelling);
        }
    }
    out
}

/// `fold_variants` of one word: [lower, plain, expanded] with duplicates dropped.
fn word_spellings(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in fold_variants(word).split(' ').filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
    out
}

/// The longest run of digits that every alternative contains (the national number without
/// trunk or country prefix, for the notations of one number); `None` if shorter than a
/// trigram, as the index cannot look for it then.
fn phone_core(alternatives: &[String]) -> Option<String> {
    let (first, rest) = alternatives.split_first()?;
    let mut best = "";
    for start in 0..first.len() {
        for end in (start + MIN_TRIGRAM_CHARS.max(best.len() + 1)..=first.len()).rev() {
            let candidate = &first[start..end];
            if rest.iter().all(|a| a.contains(candidate)) {
                best = candidate;
                break;
            }
        }
    }
    (best.len() >= MIN_TRIGRAM_CHARS).then(|| best.to_owned())
}

/// An FTS5 phrase: double quotes make operators (`AND`, `*`, `(`) plain text.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Bound parameters, numbered as they are pushed so the SQL text can name them.
#[derive(Default)]
struct Params(Vec<Value>);

impl Params {
    fn push(&mut self, v: impl Into<Value>) -> String {
        self.0.push(v.into());
        format!("?{}", self.0.len())
    }
    fn push_opt(&mut self, v: Option<String>) -> String {
        self.push(v.map_or(Value::Null, Value::Text))
    }
}

pub(super) fn search(
    conn: &Connection,
    query: &str,
    limit: usize,
) -> Result<Vec<SearchHit>, StoreError> {
    let cleaned: String = query.chars().filter(|c| !c.is_control()).collect();
    let q = cleaned.trim();
    if q.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let lower = q.to_lowercase();
    let mut p = Params::default();

    // What counts as an exact hit (rank 0).
    let (id_a, id_b, id_c) = (
        p.push(q.to_owned()),
        p.push(q.to_uppercase()),
        p.push(lower.clone()),
    );
    let email = p.push_opt(normalise_email(q).ok());
    let e164 = if looks_like_phone(q) {
        normalise_phone(q).ok()
    } else {
        None
    };
    let phone = p.push_opt(e164.clone());
    // What counts as "starts with" (rank 1).
    let mut starts: Vec<Option<String>> = spellings(&lower)
        .into_iter()
        .map(|s| Some(format!("\n{s}")))
        .collect();
    starts.resize(3, None);
    let starts: Vec<String> = starts.into_iter().map(|s| p.push_opt(s)).collect();

    // What must match at all: one FTS5 expression plus instr() for short fragments.
    let mut fts_groups: Vec<String> = Vec::new();
    let mut filters: Vec<String> = Vec::new();
    if looks_like_phone(q) {
        // Digits as typed find partial numbers; E.164 digits find other notations of the same one.
        let mut alternatives = vec![q.chars().filter(char::is_ascii_digit).collect::<String>()];
        if let Some(number) = &e164 {
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            if !alternatives.contains(&digits) {
                alternatives.push(digits);
            }
        }
        // The German national number (E.164 digits after `49`) is in every notation of it.
        let mut common = alternatives.clone();
        if let Some(national) = e164
            .as_deref()
            .and_then(|n| n.strip_prefix("+49"))
            .filter(|n| n.len() >= MIN_TRIGRAM_CHARS)
        {
            common.push(national.to_owned());
        }
        match phone_core(&common) {
            // A row holds one of the alternatives only if it holds their common digits: the
            // index looks for those alone (one phrase without the prefix trigrams `491`,
            // `049`, `004` that occur in nearly every number), and `instr` keeps the rows
            // that hold an alternative in full. Same rows as one phrase per alternative.
            Some(core) if alternatives.len() > 1 || core != alternatives[0] => {
                fts_groups.push(phrase(&core));
                let any = alternatives
                    .into_iter()
                    .map(|a| format!("instr(search_index.terms, {}) > 0", p.push(a)))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                filters.push(format!("({any})"));
            }
            _ => fts_groups.push(
                alternatives
                    .iter()
                    .map(|a| phrase(a))
                    .collect::<Vec<_>>()
                    .join(" OR "),
            ),
        }
    } else {
        for token in lower.split_whitespace() {
            let variants = word_spellings(token);
            if token.chars().count() >= MIN_TRIGRAM_CHARS {
                let any = variants
                    .iter()
                    .map(|v| phrase(v))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                fts_groups.push(format!("({any})"));
            } else {
                let any = variants
                    .into_iter()
                    .map(|v| format!("instr(search_index.terms, {}) > 0", p.push(v)))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                filters.push(format!("({any})"));
            }
        }
    }
    if !fts_groups.is_empty() {
        filters.push(format!(
            "search_index MATCH {}",
            p.push(fts_groups.join(" AND "))
        ));
    }
    let cap = p.push(i64::try_from(limit.max(MAX_CANDIDATES)).unwrap_or(i64::MAX));
    let limit = p.push(i64::try_from(limit).unwrap_or(i64::MAX));

    // The first matches in index order are ranked, not all of them; the exact hits are
    // added back in case the cap cut them off (by rowid: an exact id, email, phone or
    // customer number is in `terms` anyway, and a second MATCH would double the cost).
    // Contacts are joined only for the `limit` ranked rows: reading a contact row for each
    // of up to 1 000 candidates meant ~1 000 more pages decrypted per query (benches/).
    let sql = format!(
        "WITH exact(r) AS (
           SELECT rowid FROM contacts WHERE id IN ({id_a}, {id_b}, {id_c})
           UNION ALL SELECT contact FROM identifiers
             WHERE kind = 'customer_number' AND value IN ({id_a}, {id_b}, {id_c})
           UNION ALL SELECT contact FROM identifiers WHERE kind = 'email' AND value = {email}
           UNION ALL SELECT contact FROM identifiers WHERE kind = 'phone' AND value = {phone}
         ),
         cand(r, names, sort_name) AS (
           SELECT * FROM (
             SELECT search_index.rowid, names, sort_name FROM search_index
             WHERE {filters} LIMIT {cap}
           )
           UNION
           SELECT search_index.rowid, names, sort_name FROM search_index
           WHERE search_index.rowid IN (SELECT r FROM exact)
         ),
         ranked(r, rank, sort_name) AS (
           SELECT r,
             CASE
               WHEN cand.r IN (SELECT r FROM exact) THEN 0
               WHEN {starts} THEN 1
               ELSE 2
             END,
             sort_name
           FROM cand
           ORDER BY 2, 3, 1
           LIMIT {limit}
         )
         SELECT c.id, ranked.rank
         FROM ranked JOIN contacts c ON c.rowid = ranked.r
         ORDER BY ranked.rank, ranked.sort_name, ranked.r",
        starts = starts
            .iter()
            .map(|s| format!("instr(cand.names, {s}) > 0"))
            .collect::<Vec<_>>()
            .join(" OR "),
        filters = filters.join(" AND "),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let hits = stmt.query_map(params_from_iter(p.0), |r| {
        Ok(SearchHit {
            contact_id: r.get(0)?,
            rank: r.get(1)?,
        })
    })?;
    Ok(hits.collect::<Result<_, _>>()?)
}

#[cfg(test)]
#[path = "search_reference_tests.rs"]
mod reference_tests;
