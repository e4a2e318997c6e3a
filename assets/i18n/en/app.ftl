# Desktop app frame (header, language)
app-language = Language
app-lock = Close register
app-demo-badge = Demo – sample data
