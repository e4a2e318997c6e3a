# Registerfehler, wie die Oberfläche sie zeigt (src/gui/error_text.rs).
error-unavailable = Das Register ist nach einem früheren Fehler nicht verfügbar; bitte starten Sie Consentry neu.
error-background = Die Arbeit im Hintergrund ist fehlgeschlagen: { $error }

# Speicher
error-store-not-found = Unter { $path } gibt es kein Register: Prüfen Sie den Pfad oder legen Sie ein neues Register an.
error-store-not-found-hint = Legen Sie ein neues Register an oder wählen Sie die richtige Datei.
error-store-exists = { $path } gibt es schon: Wählen Sie einen anderen Pfad (eine vorhandene Datei wird nie überschrieben).
error-store-exists-hint = Wählen Sie eine andere Datei; ein vorhandenes Register wird nie überschrieben.
error-store-empty-passphrase = Die Passphrase ist leer: Mit einer leeren Passphrase bliebe das Register unverschlüsselt.
error-store-wrong-passphrase = Benutzername oder Passphrase ist falsch.
error-store-wrong-passphrase-hint = Prüfen Sie den Benutzernamen und die Passphrase.
error-store-keyring-missing = Die Schlüsseldatei { $path } fehlt: Ohne sie lässt sich das Register nicht entsperren; stellen Sie sie (mit dem Register) aus einer Sicherung wieder her.
error-store-keyring-damaged = Die Schlüsseldatei { $path } ist nicht lesbar ({ $problem }): Stellen Sie sie aus einer Sicherung wieder her.
error-store-keyring-hint = Stellen Sie das Register und seine .keys-Datei aus einer Sicherung wieder her.
error-store-not-a-register = Die Datei ist kein Consentry-Register: Prüfen Sie den Pfad.
error-store-not-a-register-hint = Wählen Sie die Datei eines Consentry-Registers.
error-store-newer-schema = Dieses Register hat die Schemaversion { $found }, neuer als dieses Programm unterstützt ({ $supported }): Aktualisieren Sie Consentry, um es zu öffnen (die Datei wurde nicht verändert).
error-store-newer-schema-hint = Öffnen Sie es mit einer neueren Version von Consentry.
error-store-busy = Das Register wird von einem anderen Programm benutzt: Schließen Sie es und versuchen Sie es erneut.
error-store-busy-hint = Schließen Sie die anderen Consentry-Sitzungen mit diesem Register und versuchen Sie es erneut.
error-store-duplicate-contact = Den Kontakt { $id } gibt es schon.
error-store-contact-not-found = Es gibt keinen Kontakt mit der ID { $id }.
error-store-duplicate-event = Das Ereignis { $id } steht schon im Ledger.
error-store-invalid = Ein ungültiger Datensatz wurde nicht gespeichert: Feld `{ $field }`: { $problem }
error-store-corrupt = Das Register ist beschädigt ({ $problem }): Stellen Sie es aus einer Sicherung wieder her und prüfen Sie seine Integrität.
error-store-io = Kein Zugriff auf { $path }: { $error }
error-store-sqlite = Fehler der Registerdatenbank: { $error }
error-store-hint = Prüfen Sie die Integrität des Registers (Prüfpfad) und stellen Sie eine Sicherung wieder her, wenn das Problem bleibt.

# Register
error-invalid = Feld `{ $field }`: { $problem }
error-invalid-hint = Korrigieren Sie den Wert und versuchen Sie es erneut.
error-import-line = Zeile { $line }: { $message }
error-import-line-hint = Korrigieren Sie diese Zeile; es wurde nichts importiert.
error-contact-not-found = Kein Kontakt passt zu `{ $reference }`.
error-contact-not-found-hint = Suchen Sie den Kontakt und öffnen Sie ihn aus den Ergebnissen.
error-ambiguous = `{ $reference }` passt zu { $count } Kontakten: { $candidates }
error-ambiguous-hint = Verwenden Sie eine der aufgeführten Kontakt-IDs.
error-forbidden = Benutzer `{ $user }` (Rolle { $role }) ist nicht berechtigt, { $action }; dafür ist die Rolle { $roles } nötig.
error-forbidden-hint = Bitten Sie jemanden mit dieser Rolle darum oder lassen Sie Ihre Rolle von einem Administrator ändern.
error-backup = Die Sicherung kann nicht wiederhergestellt werden: { $problem }
error-backup-hint = Wählen Sie eine Datei, die eine Consentry-Sicherung geschrieben hat.
error-io = { $what } konnte nicht gelesen oder geschrieben werden: { $error }
error-io-hint = Prüfen Sie den Pfad und die Zugriffsrechte.

# Was eine Rolle nicht darf (nach „ist nicht berechtigt,“)
error-action-read = das Register zu lesen
error-action-check = einen Kontakt zu prüfen
error-action-screen = eine Liste abzugleichen
error-action-record = Ereignisse zu erfassen oder einzustufen
error-action-import = Daten zu importieren
error-action-erase = eine Person zu löschen
error-action-report = Berichte zu erstellen
error-action-export = Daten zu exportieren
error-action-verify = das Register zu prüfen
error-action-manage-users = Benutzer zu verwalten
error-action-change-settings = Einstellungen zu ändern
error-action-administer = das Register neu zu verschlüsseln oder zu sichern

# Dateien (Importe, Listenabgleich)
error-file-row = { $file }, Datensatz { $row } (Zeile { $line }): { $problem }
error-file-row-column = { $file }, Datensatz { $row } (Zeile { $line }), Spalte `{ $column }`: { $problem }
error-file-row-hint = Korrigieren Sie diesen Datensatz oder lassen Sie ungültige Zeilen überspringen und in einem Bericht speichern; es wurde nichts importiert.
error-file-missing-column = { $file }: In der Kopfzeile fehlt die Spalte { $wanted } (gefunden: { $found }).
error-file-missing-column-hint = Prüfen Sie die Kopfzeile der Datei oder ordnen Sie die Spalte von Hand zu.
error-file-empty = { $file } ist leer (keine Kopfzeile).
error-file-read = { $file } kann nicht gelesen werden: { $error }
error-file-hint = Prüfen Sie die Datei und wählen Sie sie erneut.
error-file-map = Spaltenzuordnung: { $problem }
error-file-map-hint = Prüfen Sie, aus welcher Spalte jedes Feld übernommen wird.
error-file-cancelled = Abgebrochen; es wurde nichts geschrieben.
error-file-cancelled-hint = Starten Sie den Import erneut, wenn Sie so weit sind.

# Ausgabedateien
error-output-exists = { $path } gibt es schon; wählen Sie einen anderen Dateinamen (Ausgabedateien werden nie überschrieben).
error-output-io = { $path } kann nicht geschrieben werden: { $error }
error-output-appeared = { $target } ist während des Schreibens entstanden; die Ausgabe bleibt in { $tmp }.
error-output-hint = Wählen Sie einen anderen Dateinamen oder prüfen Sie die Zugriffsrechte des Ordners.

# Löschung
error-erasure-retention = Für den Kontakt { $contact } gibt es Nachweise einer Telefon-Einwilligung, die bis { $until } aufbewahrt werden müssen (§ 7a Abs. 2 UWG); eine Löschung vorher muss bestätigt werden.
error-erasure-retention-hint = Bestätigen Sie die Löschung in der Warnung, wenn sie trotzdem nötig ist.
error-erasure-already = Der Kontakt { $id } ist bereits gelöscht.
error-erasure-already-hint = Nichts zu tun: Seine Kennungen bleiben gesperrt.
error-erasure-erased = Der Kontakt { $id } ist gelöscht: Es sind keine personenbezogenen Daten für einen Bericht übrig.
error-erasure-erased-hint = Der Löschvermerk nennt, wer ihn wann und warum gelöscht hat.

# Benutzer
error-user-invalid-name = `{ $name }` ist kein gültiger Benutzername (1–64 Buchstaben, Ziffern, `.`, `_`, `-` oder `@`).
error-user-invalid-name-hint = Wählen Sie einen Namen wie erika.m oder agent-3.
error-user-exists = Einen Benutzer `{ $name }` gibt es schon.
error-user-exists-hint = Wählen Sie einen anderen Namen oder ändern Sie das Passwort dieses Benutzers.
error-user-unknown = Es gibt keinen Benutzer `{ $name }`.
error-user-unknown-hint = Wählen Sie einen Benutzer aus der Benutzerliste.
error-user-last-admin = `{ $name }` ist der letzte Administrator; legen Sie zuerst einen weiteren an.
error-user-last-admin-hint = Legen Sie zuerst einen weiteren Benutzer mit der Rolle admin an.
error-user-remove-self = Sie können sich nicht selbst entfernen (`{ $name }`).
error-user-remove-self-hint = Bitten Sie einen anderen Administrator, diesen Benutzer zu entfernen.
error-user-too-short = Das neue Passwort ist zu kurz (mindestens { $min } Zeichen).
error-user-too-short-hint = Wählen Sie ein längeres Passwort (12 oder mehr Zeichen empfohlen).

# Berichte
error-report-font = Der Bericht kann nicht erstellt werden: { $problem }
error-report-font-hint = Installieren Sie Consentry neu; die eingebettete Schrift ist beschädigt.
error-report-empty-period = Der Zeitraum ist leer: Der Beginn { $from } liegt nach dem Ende { $to }.
error-report-empty-period-hint = Wählen Sie einen Beginn vor dem Ende.
