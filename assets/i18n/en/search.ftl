# Search
search-placeholder = Name, company, email, phone number or customer number
search-keys = ↑ ↓ select · Enter open · Esc clear
search-searching = Searching…
search-purpose = Status per channel for the purpose: { $purpose }
search-purpose-newsletter = newsletter
search-empty = Type a name, email address or phone number
search-empty-hint = Phone numbers in any notation: 0171/1234567 also finds +49 171 1234567.
search-none = No matches for "{ $query }".
search-none-hint = Check the spelling or type less; umlauts may also be written ue, oe, ae.
search-failed = The search failed:
search-count-one = 1 match
search-count = { $count } matches
search-count-limited = The first { $count } matches – search more precisely for fewer.
