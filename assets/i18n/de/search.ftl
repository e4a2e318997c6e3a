# Suche
search-placeholder = Name, Firma, E-Mail, Telefonnummer oder Kundennummer
search-keys = ↑ ↓ auswählen · Enter öffnen · Esc leeren
search-searching = Suche läuft …
search-purpose = Ampel je Kanal für den Zweck: { $purpose }
search-purpose-newsletter = Newsletter
search-empty = Namen, E-Mail-Adresse oder Telefonnummer eingeben
search-empty-hint = Telefonnummern in jeder Schreibweise: 0171/1234567 findet auch +49 171 1234567.
search-none = Keine Treffer für „{ $query }“.
search-none-hint = Schreibweise prüfen oder weniger eingeben; Umlaute dürfen auch ue, oe, ae sein.
search-failed = Die Suche ist fehlgeschlagen:
search-count-one = 1 Treffer
search-count = { $count } Treffer
search-count-limited = Die ersten { $count } Treffer – für weniger bitte genauer suchen.
