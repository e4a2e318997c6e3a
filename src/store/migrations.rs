//! Numbered schema migrations. Migration N is `MIGRATIONS[N - 1]`; each runs in one
//! transaction together with `PRAGMA user_version = N`, so a crash never leaves half a schema.

use rusqlite::{Connection, TransactionBehavior};

use super::error::StoreError;

/// Marks the file as a Consentry register ("CnsR"), so another SQLCipher database that
/// happens to open with the same passphrase is not mistaken for one.
pub(super) const APPLICATION_ID: i32 = 0x436E_7352;

const MIGRATIONS: &[&str] = &[
    // 1: contacts, their identifiers, the append-only ledger, settings, the search index.
    r#"
    CREATE TABLE contacts (
        rowid  INTEGER PRIMARY KEY,
        id     TEXT NOT NULL UNIQUE,
        record TEXT NOT NULL
    ) STRICT;

    -- Normalised identifiers for exact lookups (email lower-case, phone E.164).
    CREATE TABLE identifiers (
        kind    TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'customer_number')),
        value   TEXT NOT NULL,
        contact INTEGER NOT NULL REFERENCES contacts(rowid),
        PRIMARY KEY (kind, value, contact)
    ) STRICT, WITHOUT ROWID;
    -- update_contact replaces a contact's identifiers: find them without a full scan.
    CREATE INDEX identifiers_by_contact ON identifiers(contact);

    CREATE TABLE events (
        seq     INTEGER PRIMARY KEY,
        id      TEXT NOT NULL UNIQUE,
        contact INTEGER NOT NULL REFERENCES contacts(rowid),
        at_utc  INTEGER NOT NULL, -- unix milliseconds, for time-range queries
        type    TEXT NOT NULL,
        record  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_by_contact ON events(contact, seq);

    -- The ledger is evidence: a correction is a new event, never an edit.
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    -- rowid = contacts.rowid. `terms` is matched (trigram: any fragment of 3+ characters);
    -- `names` (newline-led spellings of name and company) and `sort_name` only rank results.
    CREATE VIRTUAL TABLE search_index USING fts5(
        terms,
        names UNINDEXED,
        sort_name UNINDEXED,
        tokenize = 'trigram'
    );
    "#,
    // 2: when each event entered this register (the register report's "time until
    // recorded"). A trigger fills it on every insert, so no write path can forget it.
    r#"
    CREATE TABLE event_recorded (
        seq         INTEGER PRIMARY KEY REFERENCES events(seq),
        recorded_at INTEGER NOT NULL -- unix milliseconds, the clock at insert
    ) STRICT;
    CREATE TRIGGER events_recorded_at AFTER INSERT ON events
    BEGIN
        INSERT INTO event_recorded (seq, recorded_at)
        VALUES (new.seq, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
    CREATE TRIGGER event_recorded_no_update BEFORE UPDATE ON event_recorded
    BEGIN SELECT RAISE(ABORT, 'recorded times are append-only'); END;
    CREATE TRIGGER event_recorded_no_delete BEFORE DELETE ON event_recorded
    BEGIN SELECT RAISE(ABORT, 'recorded times are append-only'); END;
    "#,
    // 3: users and their roles (key slots live beside the file, see store/keyring.rs).
    // Roles live here, inside the encrypted file, so editing the plain key file can never
    // raise anyone's rights; a slot whose user is not in this table does not unlock.
    r#"
    CREATE TABLE users (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('agent', 'officer', 'auditor', 'admin')),
        created_at INTEGER NOT NULL, -- unix milliseconds
        created_by TEXT
    ) STRICT;
    "#,
    // 4: the audit trail and the ledger's hash chain, suppression list, erasure records
    // (store/audit.rs, store/chain.rs, store/erasure.rs).
    r#"
    CREATE TABLE audit (
        seq    INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL, -- unix milliseconds
        user   TEXT NOT NULL,
        action TEXT NOT NULL,
        object TEXT NOT NULL,
        detail TEXT NOT NULL,    -- never personal data (ids and counts only)
        hash   BLOB NOT NULL CHECK (length(hash) = 32)
    ) STRICT;
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

    -- While a contact's rowid is in here (only inside the erase transaction), its events'
    -- personal fields may be removed; nothing else about an event may ever change.
    CREATE TABLE erasure_gate (contact INTEGER PRIMARY KEY) STRICT;

    -- One link per event: salted hashes of its personal fields, the chained hash.
    -- `salt` becomes NULL when the contact is erased; `personal` is {field: hex hash}.
    CREATE TABLE event_chain (
        seq      INTEGER PRIMARY KEY REFERENCES events(seq),
        salt     BLOB,
        personal TEXT NOT NULL,
        hash     BLOB NOT NULL CHECK (length(hash) = 32)
    ) STRICT;
    CREATE TRIGGER event_chain_no_update BEFORE UPDATE ON event_chain
    WHEN new.salt IS NOT NULL OR new.seq IS NOT old.seq OR new.personal IS NOT old.personal
      OR new.hash IS NOT old.hash
      OR NOT EXISTS (SELECT 1 FROM erasure_gate g JOIN events e ON e.contact = g.contact
                     WHERE e.seq = old.seq)
    BEGIN SELECT RAISE(ABORT, 'the ledger chain is append-only'); END;
    CREATE TRIGGER event_chain_no_delete BEFORE DELETE ON event_chain
    BEGIN SELECT RAISE(ABORT, 'the ledger chain is append-only'); END;

    DROP TRIGGER events_no_update;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    WHEN new.seq IS NOT old.seq OR new.id IS NOT old.id OR new.contact IS NOT old.contact
      OR new.at_utc IS NOT old.at_utc OR new.type IS NOT old.type
      OR NOT EXISTS (SELECT 1 FROM erasure_gate WHERE contact = old.contact)
    BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;

    -- Keyed hashes (HMAC-SHA256, key in the setting `suppression_key`) of an erased
    -- person's normalised email addresses, phone numbers and postal address.
    CREATE TABLE suppression (
        hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
        kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'address'))
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER suppression_no_update BEFORE UPDATE ON suppression
    BEGIN SELECT RAISE(ABORT, 'suppression entries are never changed'); END;
    CREATE TRIGGER suppression_no_delete BEFORE DELETE ON suppression
    BEGIN SELECT RAISE(ABORT, 'suppression entries are never removed'); END;

    CREATE TABLE erasures (
        contact TEXT PRIMARY KEY, -- the contact id, kept in minimal form
        at      INTEGER NOT NULL, -- unix milliseconds
        user    TEXT NOT NULL,
        reason  TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
    BEGIN SELECT RAISE(ABORT, 'erasure records are append-only'); END;
    CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
    BEGIN SELECT RAISE(ABORT, 'erasure records are append-only'); END;

    -- Events stored before this migration are chained by the program on its next open.
    INSERT INTO settings (key, value)
    SELECT 'ledger_chain_legacy_until', CAST(coalesce(max(seq), 0) AS TEXT) FROM events;
    "#,
    // 5: each contact's decision basis (store/basis.rs), derived from the contact and its
    // ledger and kept in step by every write. Contacts stored before this migration get
    // theirs on the next open (`basis::fill_missing`).
    r#"
    CREATE TABLE decision_basis (
        contact INTEGER PRIMARY KEY REFERENCES contacts(rowid),
        basis   TEXT NOT NULL
    ) STRICT;
    INSERT INTO settings (key, value)
    SELECT 'decision_basis_incomplete', '1' WHERE EXISTS (SELECT 1 FROM contacts);
    "#,
    // 6: the decision basis in a compact binary form (store/basis_codec.rs) instead of JSON:
    // decoding JSON was most of a list screening's time. Derived data: rebuilt on open.
    r#"
    DROP TABLE decision_basis;
    CREATE TABLE decision_basis (
        contact INTEGER PRIMARY KEY REFERENCES contacts(rowid),
        basis   BLOB NOT NULL
    ) STRICT;
    INSERT OR REPLACE INTO settings (key, value)
    SELECT 'decision_basis_incomplete', '1' WHERE EXISTS (SELECT 1 FROM contacts);
    "#,
    // 7: the basis layout keeps instants to the nanosecond (basis_codec VERSION 2; 1 kept
    // milliseconds): every row is rebuilt on open.
    r#"
    DELETE FROM decision_basis;
    INSERT OR REPLACE INTO settings (key, value)
    SELECT 'decision_basis_incomplete', '1' WHERE EXISTS (SELECT 1 FROM contacts);
    "#,
    // 8: `event_recorded` is written by the one event insert path (store/events.rs)
    // instead of a trigger. A trigger makes every event insert a multi-row write, which
    // with the foreign keys needs a statement journal: a copy of every page the insert
    // touched (about 8 % of a large import).
    r#"
    DROP TRIGGER events_recorded_at;
    "#,
];

/// The schema version this program writes and understands.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

pub(super) fn user_version(conn: &Connection) -> Result<i32, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

pub(super) fn application_id(conn: &Connection) -> Result<i32, StoreError> {
    Ok(conn.pragma_query_value(None, "application_id", |r| r.get(0))?)
}

/// Brings the schema up to `SCHEMA_VERSION`. The version is re-read under the write lock
/// so two programs opening the same old register do not both migrate it.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    for (index, batch) in MIGRATIONS.iter().enumerate() {
        let version = index as i32 + 1;
        if user_version(conn)? >= version {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if user_version(&tx)? < version {
            tx.execute_batch(batch)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", version)?;
        }
        tx.commit()?;
    }
    complete_bases(conn)
}

/// Gives every contact stored before migration 5 its decision basis, once (a million
/// contacts take a few minutes; the setting is only there until it is done).
fn complete_bases(conn: &mut Connection) -> Result<(), StoreError> {
    const INCOMPLETE: &str = "decision_basis_incomplete";
    if super::settings::get(conn, INCOMPLETE)?.is_none() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    super::basis::fill_missing(&tx)?;
    tx.execute("DELETE FROM settings WHERE key = ?1", [INCOMPLETE])?;
    tx.commit()?;
    Ok(())
}
