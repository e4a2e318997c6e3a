# Rahmen der Desktop-App (Kopfzeile, Sprache)
app-language = Sprache
app-lock = Register schließen
app-demo-badge = Demo – Beispieldaten
