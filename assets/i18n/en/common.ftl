# Shared GUI texts (English)
app-title = Consentry
channel-email = Email
channel-sms = SMS
channel-phone = Phone
channel-letter = Letter
verdict-allowed = allowed
verdict-denied = denied
party-consumer = consumer
party-business = business
relationship-prospect = prospect
relationship-customer = existing customer
