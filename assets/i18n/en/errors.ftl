# Register errors as the GUI shows them (src/gui/error_text.rs). The CLI keeps its own
# English sentences; these say what to do in the window instead of naming flags.
error-unavailable = the register is unavailable after an earlier failure; restart Consentry
error-background = background work failed: { $error }

# Store
error-store-not-found = no register at { $path }: check the path, or create a new register
error-store-not-found-hint = create a new register, or choose the right file
error-store-exists = { $path } already exists: choose another path (an existing file is never overwritten)
error-store-exists-hint = choose another file; an existing register is never overwritten
error-store-empty-passphrase = the passphrase is empty: an empty passphrase would leave the register unencrypted
error-store-wrong-passphrase = wrong user name or passphrase
error-store-wrong-passphrase-hint = check the user name and the passphrase
error-store-keyring-missing = the key file { $path } is missing: without it the register cannot be unlocked; restore it (with the register) from a backup
error-store-keyring-damaged = the key file { $path } cannot be read ({ $problem }): restore it from a backup
error-store-keyring-hint = restore the register and its .keys file from a backup
error-store-not-a-register = the file is not a Consentry register: check the path
error-store-not-a-register-hint = choose the file of a Consentry register
error-store-newer-schema = this register has schema version { $found }, newer than this program supports ({ $supported }): update Consentry to open it (the file was not changed)
error-store-newer-schema-hint = open it with a newer version of Consentry
error-store-busy = the register is in use by another program: close it and try again
error-store-busy-hint = close the other Consentry sessions on this register and try again
error-store-duplicate-contact = contact { $id } already exists
error-store-contact-not-found = no contact with id { $id }
error-store-duplicate-event = event { $id } already exists in the ledger
error-store-invalid = refused to store an invalid record: field `{ $field }`: { $problem }
error-store-corrupt = the register is damaged ({ $problem }): restore it from a backup and check its integrity
error-store-io = cannot access { $path }: { $error }
error-store-sqlite = register database error: { $error }
error-store-hint = check the register's integrity (audit trail) and restore a backup if the problem stays

# Register
error-invalid = field `{ $field }`: { $problem }
error-invalid-hint = correct the value and try again
error-import-line = line { $line }: { $message }
error-import-line-hint = fix that line; nothing was imported
error-contact-not-found = no contact matches `{ $reference }`
error-contact-not-found-hint = search for the contact and open it from the results
error-ambiguous = `{ $reference }` matches { $count } contacts: { $candidates }
error-ambiguous-hint = use one of the contact ids listed
error-forbidden = user `{ $user }` (role { $role }) may not { $action }; that needs the role { $roles }
error-forbidden-hint = ask a user with that role, or an admin to change your role
error-backup = { $problem }
error-backup-hint = choose a file written by a Consentry backup
error-io = could not read or write { $what }: { $error }
error-io-hint = check the path and permissions

# What a role may not do (after "may not")
error-action-read = read the register
error-action-check = check a contact
error-action-screen = screen a list
error-action-record = record events or classify
error-action-import = import
error-action-erase = erase a person
error-action-report = make reports
error-action-export = export
error-action-verify = verify the register
error-action-manage-users = manage users
error-action-change-settings = change settings
error-action-administer = rekey or back up the register

# Files (imports, list screening)
error-file-row = { $file }, row { $row } (line { $line }): { $problem }
error-file-row-column = { $file }, row { $row } (line { $line }), column `{ $column }`: { $problem }
error-file-row-hint = fix that row, or choose to skip invalid rows and save a report; nothing was imported
error-file-missing-column = { $file }: no column { $wanted } in the header row (found: { $found })
error-file-missing-column-hint = check the file's header row, or assign the column by hand
error-file-empty = { $file } is empty (no header row)
error-file-read = cannot read { $file }: { $error }
error-file-hint = check the file and choose it again
error-file-map = column assignment: { $problem }
error-file-map-hint = check which column each field is taken from
error-file-cancelled = cancelled; nothing was written
error-file-cancelled-hint = start the import again when ready

# Output files
error-output-exists = { $path } exists; choose another file name (output files are never overwritten)
error-output-io = cannot write { $path }: { $error }
error-output-appeared = { $target } appeared while writing; the output stays in { $tmp }
error-output-hint = choose another file name, or check the folder's permissions

# Erasure
error-erasure-retention = contact { $contact } has phone-consent evidence that must be kept until { $until } (§ 7a Abs. 2 UWG); erasing it now needs a confirmation
error-erasure-retention-hint = confirm the erasure in the warning if it must happen anyway
error-erasure-already = contact { $id } is already erased
error-erasure-already-hint = nothing to do: its identifiers stay suppressed
error-erasure-erased = contact { $id } is erased: no personal data is left to report
error-erasure-erased-hint = the erasure record names who erased it, when and why

# Users
error-user-invalid-name = `{ $name }` is not a valid user name (1–64 letters, digits, `.`, `_`, `-` or `@`)
error-user-invalid-name-hint = choose a name like erika.m or agent-3
error-user-exists = a user `{ $name }` already exists
error-user-exists-hint = choose another name, or change that user's password
error-user-unknown = there is no user `{ $name }`
error-user-unknown-hint = choose a user from the list of users
error-user-last-admin = `{ $name }` is the last admin; add another admin first
error-user-last-admin-hint = add another user with the role admin first
error-user-remove-self = you cannot remove yourself (`{ $name }`)
error-user-remove-self-hint = ask another admin to remove this user
error-user-too-short = the new password is too short (at least { $min } characters)
error-user-too-short-hint = choose a longer password (12 or more recommended)

# Reports
error-report-font = { $problem }
error-report-font-hint = reinstall Consentry; its embedded font is damaged
error-report-empty-period = the period is empty: the start { $from } is after the end { $to }
error-report-empty-period-hint = choose a start date before the end date
