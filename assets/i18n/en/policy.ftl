# Settings: policy (disputed points of law, LEGAL.md)
app-settings = Settings
policy-title = Policy settings
policy-intro = Where the law is disputed, this policy decides. The defaults take the conservative reading. Every change applies to all decisions at once.
policy-back = ← Back
policy-loading = Reading the settings…
policy-failed = The settings could not be read or saved:
policy-empty = (empty)
policy-save = Save
policy-saving = Saving…
policy-saved = Saved. The status badges show the new decisions.
policy-changed = { $count } field(s) changed, not saved yet.
policy-consent_stale_after_months = Consent goes stale after (months)
policy-consent_stale_after_months-help = Months after the last grant or use; 0 means never stale.
policy-own_offer_purposes = Purposes that advertise your own similar goods (§ 7 Abs. 3 UWG)
policy-own_offer_purposes-help = Comma-separated purpose ids, e.g. newsletter,product_offers_own.
policy-similarity_groups = Similar product categories
policy-similarity_groups-help = Groups separated by semicolons, categories within a group by commas, e.g. coffee,tea;shoes,boots.
