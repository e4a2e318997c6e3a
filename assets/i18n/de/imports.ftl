# Texte der Kommandozeile für Importe, Listenabgleich und den Analyse-Export (Deutsch)
progress-rows = { $rows } Zeilen gelesen …
import-summary = { $rows } Zeilen importiert: { $added } Kontakte neu, { $matched } schon im Register, { $changed } geändert; { $events } Ereignisse neu, { $unchanged } schon vorhanden; { $rejected } Zeilen abgewiesen
import-report = Abgewiesene Zeilen mit Gründen: { $report }
screen-summary = { $rows } Zeilen geprüft: { $allowed } erlaubt, { $denied } nicht erlaubt
screen-matches = Gefunden per E-Mail: { $email }, per Telefon: { $phone }, nicht im Register: { $none }
screen-by-reason = Nach Grund:
screen-written = Ergebnis: { $out }
analytics-summary = { $rows } pseudonymisierte Zeilen nach { $out } exportiert; { $left } Personen mit Widerspruch ausgelassen
