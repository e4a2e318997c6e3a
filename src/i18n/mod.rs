//! User-facing labels in German and English, and the language chosen from the system locale.

mod catalog;

pub use crate::domain::reason::Lang;
pub use catalog::{t, tf};

/// The language of the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): German for `de*`, else English.
pub fn system_lang() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if v.is_empty() {
                continue;
            }
            return lang_of_locale(&v);
        }
    }
    Lang::En
}

pub fn lang_of_locale(locale: &str) -> Lang {
    if locale.to_ascii_lowercase().starts_with("de") {
        Lang::De
    } else {
        Lang::En
    }
}

/// A label by key; unknown keys come back as the key itself so a gap is visible, not blank.
pub fn label(lang: Lang, key: &'static str) -> &'static str {
    LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, de, en)| match lang {
            Lang::De => *de,
            Lang::En => *en,
        })
        .unwrap_or(key)
}

/// (key, German, English)
const LABELS: &[(&str, &str, &str)] = &[
    ("allowed", "erlaubt", "allowed"),
    ("denied", "nicht erlaubt", "denied"),
    ("email", "E-Mail", "Email"),
    ("sms", "SMS", "SMS"),
    ("phone", "Telefon", "Phone"),
    ("letter", "Brief", "Letter"),
    ("none", "ohne Kontakt", "no contact"),
    ("consumer", "Verbraucher", "consumer"),
    ("business", "Unternehmen", "business"),
    ("prospect", "Interessent", "prospect"),
    ("customer", "Bestandskunde", "existing customer"),
    ("reason", "Grund", "Reason"),
    ("legal_basis", "Rechtsgrundlage", "Legal basis"),
    ("events", "Belege", "Evidence"),
    ("as_of", "Stand", "As of"),
    ("purpose", "Zweck", "Purpose"),
    ("company", "Firma", "Company"),
    ("emails", "E-Mail-Adressen", "Emails"),
    ("phones", "Telefonnummern", "Phones"),
    ("address", "Adresse", "Address"),
    ("customer_number", "Kundennummer", "Customer number"),
    ("classification", "Einstufung", "Classification"),
    ("history", "Verlauf", "History"),
    ("consent_state", "Einwilligungsstatus", "Consent state"),
    (
        "keep_until",
        "Aufbewahren bis (§ 7a UWG)",
        "Keep until (§ 7a UWG)",
    ),
    ("no_results", "Keine Treffer.", "No matches."),
    ("basis_purchase", "Kauf", "purchase"),
    ("basis_manual", "manuell eingestuft", "classified manually"),
    ("basis_imported", "wie importiert", "as imported"),
    ("by", "von", "by"),
    ("created", "Register angelegt", "Register created"),
    ("imported", "Importiert", "Imported"),
    ("contacts", "Kontakte", "contacts"),
    ("events_n", "Ereignisse", "events"),
    ("unchanged", "unverändert", "unchanged"),
    ("exported", "Exportiert", "Exported"),
    ("lines", "Zeilen", "lines"),
    ("recorded", "Erfasst", "Recorded"),
    ("state_none", "keine", "none"),
    ("state_pending", "ausstehend (DOI)", "pending (DOI)"),
    ("state_active", "aktiv", "active"),
    ("state_revoked", "widerrufen", "revoked"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_language() {
        assert_eq!(lang_of_locale("de_DE.UTF-8"), Lang::De);
        assert_eq!(lang_of_locale("en_GB.UTF-8"), Lang::En);
        assert_eq!(lang_of_locale("C"), Lang::En);
    }

    #[test]
    fn every_label_has_both_languages() {
        for (k, de, en) in LABELS {
            assert!(!de.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(label(Lang::De, k), *de);
        }
        assert_eq!(label(Lang::En, "missing_key"), "missing_key");
    }
}
