//! Opening and creating the encrypted file. Order matters: key, verify the key with a read,
//! check the schema version, and only then change anything (pragmas, migrations), so a wrong
//! passphrase or a newer file leaves the file byte-identical.

use std::fs::{self, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::error::StoreError;
use super::key::DbKey;
use super::migrations::{self, APPLICATION_ID, SCHEMA_VERSION};
use super::page_format::PageFormat;

/// Files SQLite keeps beside the register; a stale one must not be adopted by a new register.
const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

pub(super) fn create(
    path: &Path,
    key: &DbKey,
    format: PageFormat,
) -> Result<Connection, StoreError> {
    for sidecar in SIDECARS.map(|s| sidecar_path(path, s)) {
        if sidecar.exists() {
            return Err(StoreError::AlreadyExists(sidecar));
        }
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|source| StoreError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    // create_new refuses an existing path atomically (no check-then-create race).
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(StoreError::AlreadyExists(path.to_path_buf()))
        }
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    }
    let result = connect_as(
        path,
        path,
        key,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        format,
    )
    .and_then(|mut conn| {
        configure(&conn)?;
        migrations::migrate(&mut conn)?;
        // Put the schema into the main file itself, so that the read-only probe in `open`
        // (main file only) recognises the register while this session still has it open.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        Ok(conn)
    });
    if result.is_err() {
        // We made the file; do not leave a half-created register behind.
        let _ = fs::remove_file(path);
        for sidecar in SIDECARS {
            let _ = fs::remove_file(sidecar_path(path, sidecar));
        }
    }
    result
}

pub(super) fn open(path: &Path, key: &DbKey) -> Result<Connection, StoreError> {
    match fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(StoreError::NotARegister),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotFound(path.to_path_buf()))
        }
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    }
    // Beside a WAL (another session has the file open, or a crash left it), even a failed
    // read takes a read mark in -shm, and closing may checkpoint. So the key, the page layout
    // and the file are proved first on an immutable, read-only view of the main file.
    let (format, view) = probe(path, key)?;
    // Without its WAL a main file can look stale or mid-checkpoint; other errors are left to
    // the real open below, which sees the whole picture.
    if let Some(Err(e @ (StoreError::NotARegister | StoreError::NewerSchema { .. }))) =
        view.as_ref().map(check_register)
    {
        return Err(e);
    }
    drop(view);
    let mut conn = connect_as(path, path, key, OpenFlags::SQLITE_OPEN_READ_WRITE, format)?;
    check_register(&conn)?;
    configure(&conn)?;
    migrations::migrate(&mut conn)?;
    Ok(conn)
}

/// Every register has a version >= 1 and our application id (set by migration 1). An empty
/// or foreign database must not be "migrated" into a register, nor a newer one opened.
pub(super) fn check_register(conn: &Connection) -> Result<(), StoreError> {
    let version = migrations::user_version(conn)?;
    if version == 0 || migrations::application_id(conn)? != APPLICATION_ID {
        return Err(StoreError::NotARegister);
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Opens `target` (a path or URI for `file`), keys it with the page layout `file` has and
/// proves the key with a read. Writes nothing.
pub(super) fn connect(
    target: impl AsRef<Path>,
    file: &Path,
    key: &DbKey,
    flags: OpenFlags,
) -> Result<Connection, StoreError> {
    let (format, _) = probe(file, key)?;
    connect_as(target, file, key, flags, format)
}

/// The page layout under which `key` reads `file`, each tried on an immutable, read-only
/// view, which touches no file, not even -shm. Also that view, when it could read the
/// schema. A wrong key or layout fails on page 1 ("not a database"); any later failure (a
/// stale page beside a WAL) means the layout is right and is left to the real open.
fn probe(file: &Path, key: &DbKey) -> Result<(PageFormat, Option<Connection>), StoreError> {
    let view = immutable_uri(file)?;
    let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    for format in PageFormat::NEWEST_FIRST {
        match connect_as(&view, file, key, read_only, format) {
            Ok(conn) => return Ok((format, Some(conn))),
            Err(StoreError::WrongPassphrase) => continue,
            Err(e @ StoreError::NotARegister) => return Err(e),
            Err(_) => return Ok((format, None)),
        }
    }
    Err(StoreError::WrongPassphrase)
}

/// [`connect`] with a known layout.
pub(super) fn connect_as(
    target: impl AsRef<Path>,
    file: &Path,
    key: &DbKey,
    flags: OpenFlags,
    format: PageFormat,
) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(target, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    // Before the key: otherwise SQLCipher prints "hmac check failed" on a wrong passphrase.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    // A raw key (`x'…'`): SQLCipher uses it as is, no PBKDF2, so opening costs no
    // key derivation. Should this fail, the error could carry the statement text, so it is
    // reported without the error's details.
    conn.execute_batch(&key.pragma("key"))
        .map_err(|_| StoreError::WrongPassphrase)?;
    format.apply(&conn)?;
    // PRAGMA key cannot fail; a wrong key shows at the first read.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(conn),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(if is_plain_sqlite(file) {
                StoreError::NotARegister
            } else {
                StoreError::WrongPassphrase
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Session settings, applied only once the file is known to be ours and not newer.
pub(super) fn configure(conn: &Connection) -> Result<(), StoreError> {
    use_wal(conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Sorts and temporary indexes stay in memory: no plaintext temp files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 64 MiB of decrypted pages (SQLite's default is 2 MiB): on a large register every
    // miss means reading, HMAC-checking and decrypting a page again (benches/).
    conn.pragma_update(None, "cache_size", -64 * 1024)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// The register's usual journal: the WAL, so readers never wait for a writer.
pub(super) fn use_wal(conn: &Connection) -> Result<(), StoreError> {
    // journal_mode answers with the mode it got (a network drive may refuse WAL); either is safe.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// An unencrypted SQLite file starts with this header; an encrypted one with random salt.
fn is_plain_sqlite(path: &Path) -> bool {
    let mut header = [0u8; 16];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0")
}

pub(super) fn sidecar_path(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `file:` URI that makes SQLite read the main file only (no locks, no WAL, no -shm).
pub(super) fn immutable_uri(path: &Path) -> Result<String, StoreError> {
    let absolute = std::path::absolute(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(absolute.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = absolute
        .to_str()
        .ok_or_else(|| StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "path is not valid Unicode",
            ),
        })?
        .replace('\\', "/")
        .into_bytes();
    let mut uri = String::from("file://");
    if bytes.first() != Some(&b'/') {
        uri.push('/'); // Windows: file:///C:/...
    }
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}
