//! Screening gives the same output as before it was split over two connections and
//! threads: the previous single-threaded loop is kept here verbatim and both run on the
//! demo register (with an erased person) for lists crossing several batches.

use std::path::PathBuf;

use chrono::DateTime;

use super::*;

impl Register {
    fn reference_screen_rows(
        &self,
        list: &Path,
        out: impl Write,
        opts: &ScreenOptions,
        control: &mut ImportControl<'_>,
    ) -> Result<ScreenSummary> {
        let mut table = Table::open(list)?;
        let cols = ListColumns::find(
            &table,
            opts.email_column.as_deref(),
            opts.phone_column.as_deref(),
        )?;
        let policy = self.store.policy()?;
        let io = |source: std::io::Error| RegisterError::Io {
            what: "the screening output".into(),
            source,
        };
        let mut out = out;
        if table.format.encoding != TextEncoding::Utf8 {
            out.write_all(b"\xEF\xBB\xBF").map_err(io)?;
        }
        let mut writer = csv::WriterBuilder::new()
            .delimiter(table.format.delimiter)
            .flexible(true)
            .from_writer(out);
        let width = table.headers().len();
        let header: Vec<&str> = table
            .headers()
            .iter()
            .map(String::as_str)
            .chain(ADDED_COLUMNS)
            .collect();
        writer.write_record(&header).map_err(|e| csv_io(e, &io))?;

        let mut query = Query::new(opts.channel, opts.purpose.clone(), opts.at);
        query.category = opts.category.clone();
        let unknown = decide(&unknown_person(), &[], &query, &policy, false);
        // Erased people: `None` (no lookups at all) while nobody was ever erased.
        let suppression = self.suppression_list()?;
        let unknown_suppressed = decide(&unknown_person(), &[], &query, &policy, true);
        let mut summary = ScreenSummary::default();
        let mut batch: Vec<Row> = Vec::with_capacity(ROWS_PER_BATCH);
        loop {
            batch.clear();
            while batch.len() < ROWS_PER_BATCH {
                if control.cancelled() {
                    return Err(ImportError::Cancelled.into());
                }
                match table.next_row() {
                    None => break,
                    Some(Ok(row)) => batch.push(row),
                    // A row the reader cannot make out stops the screening: its verdict
                    // would be a guess.
                    Some(Err(e)) => return Err(e.into()),
                }
            }
            if batch.is_empty() {
                break;
            }
            let ids: Vec<(Option<String>, Option<String>)> =
                batch.iter().map(|r| cols.identifiers(r)).collect();
            let emails: Vec<String> = ids.iter().filter_map(|(e, _)| e.clone()).collect();
            let phones: Vec<String> = ids.iter().filter_map(|(_, p)| p.clone()).collect();
            let by_email = self.store.contact_ids_by_emails(&emails)?;
            let by_phone = self.store.contact_ids_by_phones(&phones)?;
            let mut wanted: Vec<String> = by_email
                .values()
                .chain(by_phone.values())
                .flatten()
                .cloned()
                .collect();
            wanted.sort();
            wanted.dedup();
            let ledgers = self.store.contacts_with_events(&wanted)?;

            for (row, (email, phone)) in batch.iter().zip(&ids) {
                let lookup = |kind: MatchKind| -> Option<&Vec<String>> {
                    match kind {
                        MatchKind::Email => email.as_ref().and_then(|e| by_email.get(e)),
                        MatchKind::Phone => phone.as_ref().and_then(|p| by_phone.get(p)),
                        MatchKind::None => None,
                    }
                };
                let found = match_order(opts.channel)
                    .into_iter()
                    .find_map(|k| lookup(k).map(|ids| (k, ids)));
                // The row's address for the channel is where the campaign goes: a consent
                // verified for another address does not cover it (DENY_ADDRESS_NOT_VERIFIED).
                let to = match opts.channel {
                    QueryChannel::Contact(Channel::Email) => email.clone(),
                    QueryChannel::Contact(Channel::Phone | Channel::Sms) => phone.clone(),
                    _ => None,
                };
                let row_query = Query {
                    to,
                    ..query.clone()
                };
                let (kind, decisions): (MatchKind, Vec<(String, Decision)>) = match found {
                    Some((kind, ids)) => (
                        kind,
                        ids.iter()
                            .filter_map(|id| ledgers.get(id))
                            .map(|(c, evs)| {
                                let suppressed =
                                    suppression.as_ref().is_some_and(|s| s.covers(c, evs));
                                (
                                    c.id.clone(),
                                    decide(c, evs, &row_query, &policy, suppressed),
                                )
                            })
                            .collect(),
                    ),
                    None => (MatchKind::None, Vec::new()),
                };
                let (contact_id, decision) = match strictest(&decisions) {
                    // Several contacts share the identifier: list them all.
                    Some((_, d)) => (
                        decisions
                            .iter()
                            .map(|(i, _)| i.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        d,
                    ),
                    // Nobody in the register, but an erased person's address or number.
                    None if suppression.as_ref().is_some_and(|s| {
                        email.as_ref().is_some_and(|e| s.holds(IdKind::Email, e))
                            || phone.as_ref().is_some_and(|p| s.holds(IdKind::Phone, p))
                    }) =>
                    {
                        (String::new(), &unknown_suppressed)
                    }
                    None => (String::new(), &unknown),
                };
                let kind = if decisions.is_empty() {
                    MatchKind::None
                } else {
                    kind
                };
                let mut record: Vec<&str> = row.record.iter().collect();
                record.resize(width.max(record.len()), "");
                let added = [
                    contact_id.as_str(),
                    kind.as_str(),
                    decision.verdict.as_str(),
                    decision.reason.as_str(),
                    decision.legal_basis,
                    decision.explanation(opts.lang),
                ];
                record.extend(added);
                writer.write_record(&record).map_err(|e| csv_io(e, &io))?;
                summary.rows += 1;
                *summary.by_match.entry(kind.as_str()).or_default() += 1;
                *summary
                    .by_verdict
                    .entry(decision.verdict.as_str())
                    .or_default() += 1;
                *summary
                    .by_reason
                    .entry(decision.reason.as_str())
                    .or_default() += 1;
                control.report_progress(summary.rows);
            }
        }
        writer
            .into_inner()
            .map_err(|e| io(std::io::Error::other(e.to_string())))?
            .flush()
            .map_err(io)?;
        Ok(summary)
    }
}

fn demo_register(dir: &tempfile::TempDir) -> Register {
    let now = DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    let mut reg = Register::create(&dir.path().join("r.db"), "test pass").unwrap();
    reg.import_records(crate::demo::demo_ledger(now, 7, 700).unwrap())
        .unwrap();
    reg
}

/// Every contact's addresses and numbers in the notations people type, unknown ones,
/// broken cells, a row per shared identifier, more rows than one batch holds.
fn campaign_list(reg: &Register, dir: &tempfile::TempDir) -> PathBuf {
    let mut text = String::from("Name;E-Mail;Telefon;Segment\n");
    let contacts = reg.store.contacts().unwrap();
    // Enough rounds over the register for more than two batches.
    let rounds = 2 * ROWS_PER_BATCH / contacts.len() + 1;
    for round in 0..rounds {
        for (i, c) in contacts.iter().enumerate() {
            let email = c
                .emails
                .first()
                .map_or(String::new(), |e| match (i + round) % 3 {
                    0 => e.to_uppercase(),
                    1 => format!("  {e} "),
                    _ => e.clone(),
                });
            let phone = c.phones.first().map_or(String::new(), |p| {
                let national = p.strip_prefix("+49").unwrap_or(p);
                match (i + round) % 4 {
                    0 => format!("0{national}"),
                    1 => format!("0049-{national}"),
                    2 => format!("+49 (0){national}"),
                    _ => p.clone(),
                }
            });
            let (email, phone) = match (i + round) % 5 {
                0 => (email, String::new()),
                1 => (String::new(), phone),
                2 => (
                    format!("unbekannt.{i}.{round}@nirgendwo.example"),
                    String::new(),
                ),
                3 => ("kaputt".to_owned(), "12".to_owned()),
                _ => (email, phone),
            };
            text.push_str(&format!("{};{email};{phone};R{round}\n", c.name));
        }
    }
    assert!(text.lines().count() > 2 * ROWS_PER_BATCH + 1);
    let path = dir.path().join("liste.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn same_output_as_the_previous_loop_on_the_demo_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = demo_register(&dir);
    let list = campaign_list(&reg, &dir);
    let first = reg.store.contacts().unwrap()[20].id.clone();
    reg.erase(&first, "Art. 17 request", true).unwrap();
    let at = DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap();
    let channels = [
        QueryChannel::Contact(Channel::Email),
        QueryChannel::Contact(Channel::Phone),
        QueryChannel::Contact(Channel::Letter),
    ];
    for channel in channels {
        let opts = ScreenOptions {
            channel,
            purpose: Purpose::parse("newsletter").unwrap(),
            at,
            category: None,
            email_column: None,
            phone_column: None,
            lang: Lang::De,
        };
        let mut new = Vec::new();
        let mut old = Vec::new();
        let summary = reg
            .screen_list(&list, &mut new, &opts, &mut ImportControl::default())
            .unwrap();
        let expected = reg
            .reference_screen_rows(&list, &mut old, &opts, &mut ImportControl::default())
            .unwrap();
        assert_eq!(summary, expected, "{channel:?}");
        assert!(summary.rows > 2 * ROWS_PER_BATCH as u64, "{}", summary.rows);
        assert!(summary.by_match.get("email").is_some_and(|n| *n > 100));
        assert!(summary.by_match.get("phone").is_some_and(|n| *n > 100));
        assert!(
            summary.by_reason.contains_key("DENY_SUPPRESSION_LIST"),
            "the erased person's rows: {:?}",
            summary.by_reason
        );
        assert_eq!(
            String::from_utf8(new).unwrap(),
            String::from_utf8(old).unwrap(),
            "{channel:?}"
        );
    }
}
