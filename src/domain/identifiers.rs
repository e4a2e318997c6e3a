//! Normalisation of the identifiers people are found and matched by.

use super::error::ValidationError;

/// Lower-cases and trims an email address and checks its shape. Matching is on this form.
pub fn normalise_email(raw: &str) -> Result<String, ValidationError> {
    let email = raw.trim().to_lowercase();
    let bad = |why: &str| {
        ValidationError::new(
            "email",
            format!("`{}` is not an email address: {why}", raw.trim()),
        )
    };
    let (local, domain) = email.split_once('@').ok_or_else(|| bad("no @"))?;
    if local.is_empty() || domain.is_empty() || domain.contains('@') {
        return Err(bad("expected one @ between name and domain"));
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(bad("the domain needs a dot, e.g. example.de"));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("contains spaces"));
    }
    Ok(email)
}

/// Parses a phone number in any common notation (default region Germany) into E.164,
/// e.g. `0171 1234567`, `+49 171 1234567`, `0049-171-1234567` → `+491711234567`.
pub fn normalise_phone(raw: &str) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    let bad = || {
        ValidationError::new(
            "phone",
            format!("`{trimmed}` is not a valid phone number (write it e.g. as 0171 1234567 or +49 171 1234567)"),
        )
    };
    // `0049` is how many German exports write the international prefix.
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '/' | '.' | '(' | ')' | '\u{a0}'))
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == 0 && c == '+'))
    {
        return Err(bad());
    }
    // `+49 (0)30 …` keeps the trunk 0 after the country code; drop it like people do.
    let mut candidate = trimmed.replace("(0)", "");
    if let Some(rest) = cleaned.strip_prefix("00") {
        candidate = format!("+{rest}");
    }
    let number =
        phonenumber::parse(Some(phonenumber::country::Id::DE), &candidate).map_err(|_| bad())?;
    if !number.is_valid() {
        return Err(bad());
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// Whether a query looks like a phone number rather than a name (digits and separators only).
pub fn looks_like_phone(q: &str) -> bool {
    let q = q.trim();
    let digits = q.chars().filter(char::is_ascii_digit).count();
    digits >= 3
        && q.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '/' | '.' | '(' | ')' | '+'))
}

/// Digits of an E.164 number and its German national form, for the search index:
/// `+491711234567` → `491711234567 01711234567`.
pub fn phone_search_text(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("49") {
        Some(national) => format!("{digits} 0{national}"),
        None => digits,
    }
}

/// Spelling variants that make `Muller`, `Mueller` and `Müller` find each other.
pub fn fold_variants(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut plain = String::with_capacity(lower.len());
    let mut expanded = String::with_capacity(lower.len() + 8);
    for c in lower.chars() {
        let (p, e): (&str, &str) = match c {
            'ä' => ("a", "ae"),
            'ö' => ("o", "oe"),
            'ü' => ("u", "ue"),
            'ß' => ("ss", "ss"),
            'é' | 'è' | 'ê' => ("e", "e"),
            'á' | 'à' | 'â' => ("a", "a"),
            'ç' => ("c", "c"),
            _ => {
                plain.push(c);
                expanded.push(c);
                continue;
            }
        };
        plain.push_str(p);
        expanded.push_str(e);
    }
    if plain == lower {
        lower
    } else if plain == expanded {
        format!("{lower} {plain}")
    } else {
        format!("{lower} {plain} {expanded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_notations_agree() {
        for raw in [
            "0171 1234567",
            "+49 171 1234567",
            "0049-171-1234567",
            "0171/1234567",
            "+49 (0)171 1234567",
            "(0171) 123 45 67",
            "+49 0171 1234567",
        ] {
            assert_eq!(normalise_phone(raw).unwrap(), "+491711234567", "{raw}");
        }
        assert_eq!(normalise_phone("0049 (0)30 123456").unwrap(), "+4930123456");
        assert_eq!(normalise_phone("+43 1 5880").unwrap(), "+4315880");
    }

    #[test]
    fn invalid_phones_are_refused_with_a_message() {
        for raw in ["12345", "", "abc", "0171 12x4567", "+49"] {
            let err = normalise_phone(raw).unwrap_err();
            assert_eq!(err.field, "phone");
            assert!(
                err.problem.contains("not a valid phone number"),
                "{raw}: {err}"
            );
        }
    }

    #[test]
    fn emails_normalise_and_refuse() {
        assert_eq!(
            normalise_email("  Erika@Example.DE ").unwrap(),
            "erika@example.de"
        );
        for bad in [
            "erika",
            "erika@",
            "@example.de",
            "erika@example",
            "a b@example.de",
            "a@b@c.de",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn folding_makes_umlaut_spellings_meet() {
        let v = fold_variants("Müller");
        assert!(v.contains("müller") && v.contains("muller") && v.contains("mueller"));
        assert_eq!(fold_variants("Schmidt"), "schmidt");
        assert_eq!(fold_variants("Strauß"), "strauß strauss");
    }

    #[test]
    fn phone_search_text_has_national_form() {
        assert_eq!(
            phone_search_text("+491711234567"),
            "491711234567 01711234567"
        );
        assert!(looks_like_phone("0171/1234567"));
        assert!(!looks_like_phone("Müller"));
    }
}
