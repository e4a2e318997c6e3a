# Shared GUI texts (German)
app-title = Consentry
channel-email = E-Mail
channel-sms = SMS
channel-phone = Telefon
channel-letter = Brief
verdict-allowed = erlaubt
verdict-denied = nicht erlaubt
party-consumer = Verbraucher
party-business = Unternehmen
relationship-prospect = Interessent
relationship-customer = Bestandskunde
