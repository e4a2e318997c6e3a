# Desktop app frame (header, language)
app-language = Language
app-lock = Close register
app-demo-badge = Demo – sample data
app-idle-lock = Lock automatically after (minutes, 0 = never)
app-idle-lock-invalid = Please give whole minutes from 0 to 240. The lock stays at { $minutes } minutes.
