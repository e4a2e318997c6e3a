# Was eine Rolle nicht darf (ausgegraute Schaltflächen und ihre Tooltips). Die Rollennamen
# bleiben wie bei `consentry user add NAME --role ROLLE`.
permit-refused = Nicht mit der Rolle { $role }: { $what } braucht die Rolle { $needed }.
permit-or = oder
permit-read = Das Register lesen
permit-check = Einen Kontakt prüfen
permit-screen = Eine Liste prüfen
permit-record = Ereignisse erfassen und einstufen
permit-import = Importieren
permit-erase = Eine Person löschen
permit-report = Berichte erstellen
permit-export = Exportieren
permit-verify = Das Register verifizieren
permit-manage-users = Benutzer verwalten
permit-change-settings = Einstellungen ändern
permit-administer = Das Register umschlüsseln oder sichern
