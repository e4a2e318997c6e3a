# Einstellungen: Richtlinie (strittige Rechtsfragen, LEGAL.md)
app-settings = Einstellungen
policy-title = Einstellungen der Richtlinie
policy-intro = Wo das Recht umstritten ist, entscheidet diese Richtlinie. Die Voreinstellungen folgen der vorsichtigen Auslegung. Jede Änderung gilt sofort für alle Entscheidungen.
policy-back = ← Zurück
policy-loading = Einstellungen werden gelesen …
policy-failed = Die Einstellungen konnten nicht gelesen oder gespeichert werden:
policy-empty = (leer)
policy-save = Speichern
policy-saving = Wird gespeichert …
policy-saved = Gespeichert. Die Ampeln zeigen die neuen Entscheidungen.
policy-changed = { $count } Feld(er) geändert, noch nicht gespeichert.
policy-consent_stale_after_months = Einwilligung veraltet nach (Monaten)
policy-consent_stale_after_months-help = Monate nach der letzten Erteilung oder Nutzung; 0 heißt: veraltet nie.
policy-own_offer_purposes = Zwecke der Werbung für eigene ähnliche Waren (§ 7 Abs. 3 UWG)
policy-own_offer_purposes-help = Kommagetrennte Zweck-Kennungen, z. B. newsletter,product_offers_own.
policy-similarity_groups = Ähnliche Produktkategorien
policy-similarity_groups-help = Gruppen durch Semikolon getrennt, Kategorien einer Gruppe durch Komma, z. B. coffee,tea;shoes,boots.
