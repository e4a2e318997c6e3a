//! Message catalogues in `assets/i18n/{de,en}/*.ftl`, compiled into the binary.
//!
//! The files use the simple subset of Fluent: `key = value` lines, `#` comments, and
//! `{ $name }` placeables filled by [`tf`]. One file per screen or area keeps edits apart.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Lang;

/// (file name, German text, English text). Add a screen's catalogue here.
const FILES: &[(&str, &str, &str)] = &[
    (
        "imports",
        include_str!("../../assets/i18n/de/imports.ftl"),
        include_str!("../../assets/i18n/en/imports.ftl"),
    ),
    (
        "imports_gui",
        include_str!("../../assets/i18n/de/imports_gui.ftl"),
        include_str!("../../assets/i18n/en/imports_gui.ftl"),
    ),
    (
        "common",
        include_str!("../../assets/i18n/de/common.ftl"),
        include_str!("../../assets/i18n/en/common.ftl"),
    ),
    (
        "app",
        include_str!("../../assets/i18n/de/app.ftl"),
        include_str!("../../assets/i18n/en/app.ftl"),
    ),
    (
        "unlock",
        include_str!("../../assets/i18n/de/unlock.ftl"),
        include_str!("../../assets/i18n/en/unlock.ftl"),
    ),
    (
        "search",
        include_str!("../../assets/i18n/de/search.ftl"),
        include_str!("../../assets/i18n/en/search.ftl"),
    ),
    (
        "policy",
        include_str!("../../assets/i18n/de/policy.ftl"),
        include_str!("../../assets/i18n/en/policy.ftl"),
    ),
    (
        "contact",
        include_str!("../../assets/i18n/de/contact.ftl"),
        include_str!("../../assets/i18n/en/contact.ftl"),
    ),
    (
        "forms",
        include_str!("../../assets/i18n/de/forms.ftl"),
        include_str!("../../assets/i18n/en/forms.ftl"),
    ),
    (
        "report",
        include_str!("../../assets/i18n/de/report.ftl"),
        include_str!("../../assets/i18n/en/report.ftl"),
    ),
    (
        "reports_gui",
        include_str!("../../assets/i18n/de/reports_gui.ftl"),
        include_str!("../../assets/i18n/en/reports_gui.ftl"),
    ),
    (
        "permit",
        include_str!("../../assets/i18n/de/permit.ftl"),
        include_str!("../../assets/i18n/en/permit.ftl"),
    ),
    (
        "integrity",
        include_str!("../../assets/i18n/de/integrity.ftl"),
        include_str!("../../assets/i18n/en/integrity.ftl"),
    ),
    (
        "users",
        include_str!("../../assets/i18n/de/users.ftl"),
        include_str!("../../assets/i18n/en/users.ftl"),
    ),
    (
        "errors",
        include_str!("../../assets/i18n/de/errors.ftl"),
        include_str!("../../assets/i18n/en/errors.ftl"),
    ),
];

type Catalog = HashMap<&'static str, &'static str>;

fn parse(text: &'static str) -> Catalog {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn catalogs() -> &'static (Catalog, Catalog) {
    static CATALOGS: OnceLock<(Catalog, Catalog)> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        let mut de = Catalog::new();
        let mut en = Catalog::new();
        for (_, d, e) in FILES {
            de.extend(parse(d));
            en.extend(parse(e));
        }
        (de, en)
    })
}

/// The text for `key`; a missing key shows as the key itself, so a gap is visible, not blank.
pub fn t(lang: Lang, key: &str) -> &str {
    let (de, en) = catalogs();
    let cat = match lang {
        Lang::De => de,
        Lang::En => en,
    };
    cat.get(key).copied().unwrap_or(key)
}

/// The text for `key` with `{ $name }` placeables filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{ ${name} }}"), value);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_both_languages() {
        for (file, de, en) in FILES {
            let (de, en) = (parse(de), parse(en));
            for k in de.keys() {
                assert!(en.contains_key(k), "{file}: `{k}` missing in English");
            }
            for k in en.keys() {
                assert!(de.contains_key(k), "{file}: `{k}` missing in German");
            }
            for (k, v) in de.iter().chain(en.iter()) {
                assert!(!v.is_empty(), "{file}: `{k}` is empty");
            }
        }
    }

    #[test]
    fn placeables_are_filled() {
        assert_eq!(tf(Lang::En, "app-title", &[]), "Consentry");
        assert_eq!(t(Lang::De, "no-such-key"), "no-such-key");
    }
}
