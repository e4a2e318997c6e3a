# Rahmen der Desktop-App (Kopfzeile, Sprache)
app-language = Sprache
app-lock = Register schließen
app-demo-badge = Demo – Beispieldaten
app-idle-lock = Automatisch sperren nach (Minuten, 0 = nie)
app-idle-lock-invalid = Bitte ganze Minuten von 0 bis 240 angeben. Es bleibt bei { $minutes } Minuten.
