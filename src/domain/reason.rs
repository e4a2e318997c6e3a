//! Reason codes: every decision names one, with its legal basis and a sentence for the agent.

use std::fmt;
use std::str::FromStr;

use super::channel::QueryChannel;
use super::contact::{Party, Relationship};
use super::Channel;

/// Language of user-facing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "de" => Ok(Lang::De),
            "en" => Ok(Lang::En),
            _ => Err(format!("unknown language `{s}` (expected de or en)")),
        }
    }
}

macro_rules! reason_codes {
    ($($variant:ident = $code:literal, $allowed:literal;)*) => {
        /// Why a contact is allowed or denied (LEGAL.md, "Reason codes").
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ReasonCode { $($variant,)* }

        impl ReasonCode {
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(ReasonCode::$variant => $code,)* }
            }

            pub fn is_allowed(self) -> bool {
                match self { $(ReasonCode::$variant => $allowed,)* }
            }
        }

        impl FromStr for ReasonCode {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($code => Ok(ReasonCode::$variant),)* _ => Err(format!("unknown reason code `{s}`")) }
            }
        }
    };
}

reason_codes! {
    AllowConsent = "ALLOW_CONSENT", true;
    AllowExistingCustomer73 = "ALLOW_EXISTING_CUSTOMER_7_3", true;
    AllowPresumedConsentB2b = "ALLOW_PRESUMED_CONSENT_B2B", true;
    AllowLetterLegitimateInterest = "ALLOW_LETTER_LEGITIMATE_INTEREST", true;
    AllowPseudonymisedAnalysis = "ALLOW_PSEUDONYMISED_ANALYSIS", true;
    DenySuppressionList = "DENY_SUPPRESSION_LIST", false;
    DenyObjection = "DENY_OBJECTION", false;
    DenyRobinsonList = "DENY_ROBINSON_LIST", false;
    DenyConsentInvalid = "DENY_CONSENT_INVALID", false;
    DenyConsentUndocumented = "DENY_CONSENT_UNDOCUMENTED", false;
    DenyPhoneConsentUnverified = "DENY_PHONE_CONSENT_UNVERIFIED", false;
    DenyAddressNotVerified = "DENY_ADDRESS_NOT_VERIFIED", false;
    DenyConsentStale = "DENY_CONSENT_STALE", false;
    DenyConsentRevoked = "DENY_CONSENT_REVOKED", false;
    Deny73ConditionsNotMet = "DENY_7_3_CONDITIONS_NOT_MET", false;
    Deny73NoSale = "DENY_7_3_NO_SALE", false;
    DenyAutomatedCallNoExpressConsent = "DENY_AUTOMATED_CALL_NO_EXPRESS_CONSENT", false;
    DenyNoPresumedConsent = "DENY_NO_PRESUMED_CONSENT", false;
    DenyDoiPending = "DENY_DOI_PENDING", false;
    DenyChannelNotCovered = "DENY_CHANNEL_NOT_COVERED", false;
    DenyPurposeNotCovered = "DENY_PURPOSE_NOT_COVERED", false;
    DenyPhoneConsumerNoExpressConsent = "DENY_PHONE_CONSUMER_NO_EXPRESS_CONSENT", false;
    DenyNoConsent = "DENY_NO_CONSENT", false;
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const OBJECTION_BASIS: &str =
    "Art. 21(2),(3) DSGVO; § 7 Abs. 1 S. 2 UWG; for email-customers also § 7 Abs. 3 Nr. 3 UWG";

impl ReasonCode {
    /// The legal basis of a decision: as [`legal_basis`](Self::legal_basis), and where the
    /// decision matrix cites differently by party or relationship, as the matrix does.
    /// § 7a UWG (phone-consent documentation) is about consumers only; a business whose
    /// phone consent was revoked has recognisably said no (§ 7 Abs. 1 S. 2 UWG); an existing
    /// customer denied an SMS relies on the policy that § 7 Abs. 3 does not cover SMS.
    pub fn legal_basis_for(
        self,
        channel: QueryChannel,
        party: Party,
        relationship: Relationship,
    ) -> &'static str {
        use ReasonCode::*;
        match (self, channel.channel(), party, relationship) {
            (AllowConsent, Some(Channel::Phone), Party::Business, _) => {
                "§ 7 Abs. 2 Nr. 1 / Nr. 2 UWG"
            }
            (DenyConsentRevoked, Some(Channel::Phone), Party::Business, _) => "§ 7 Abs. 1 S. 2 UWG",
            (DenyConsentStale, Some(Channel::Phone), Party::Business, _) => {
                DenyConsentStale.legal_basis(QueryChannel::Contact(Channel::Email))
            }
            (DenyNoConsent, Some(Channel::Sms), _, Relationship::Customer) => {
                "§ 7 Abs. 2 Nr. 2 UWG; applicability of § 7 Abs. 3 to SMS disputed"
            }
            _ => self.legal_basis(channel),
        }
    }

    /// The legal basis as a citation; where the decision matrix cites per channel, so do we.
    pub fn legal_basis(self, channel: QueryChannel) -> &'static str {
        use Channel::*;
        use ReasonCode::*;
        let ch = channel.channel();
        match self {
            AllowConsent => match ch {
                Some(Phone) => "§ 7 Abs. 2 Nr. 1, § 7a UWG; Art. 7(1) DSGVO",
                Some(Letter) => "Art. 6(1)(a) DSGVO (consent not required for letters; Art. 6(1)(f) would also carry)",
                _ => "§ 7 Abs. 2 Nr. 2 UWG; Art. 6(1)(a), 7 DSGVO",
            },
            AllowExistingCustomer73 | Deny73ConditionsNotMet => {
                "§ 7 Abs. 3 Nr. 1-4 UWG; Art. 13(2) RL 2002/58/EG; EuGH C-654/23"
            }
            Deny73NoSale => "§ 7 Abs. 3 Nr. 1 UWG (no sale); § 7 Abs. 2 Nr. 2 UWG",
            AllowPresumedConsentB2b | DenyNoPresumedConsent => {
                "§ 7 Abs. 2 Nr. 1 Alt. 2 UWG; BGH I ZR 191/03; LG München I 1 HK O 7394/10"
            }
            AllowLetterLegitimateInterest => {
                "Art. 6(1)(f) + ErwG 47 DSGVO; § 7 UWG has no opt-in rule for letters"
            }
            AllowPseudonymisedAnalysis => "Art. 6(1)(f), Art. 4 Nr. 5, Art. 89 DSGVO (pseudonymised data)",
            DenySuppressionList => "Art. 17, Art. 21(3) DSGVO (suppression entry after erasure)",
            DenyObjection => match ch {
                None => "Art. 21(2),(3) DSGVO (objection covers profiling for direct marketing)",
                Some(_) => OBJECTION_BASIS,
            },
            DenyRobinsonList => "§ 7 Abs. 1 S. 2 UWG; Art. 6(1)(f) DSGVO (Robinson list: unwillingness recognisable)",
            DenyConsentInvalid => "Art. 4 Nr. 11, Art. 7 DSGVO; EuGH C-673/17 (Planet49): pre-ticked boxes are no consent",
            DenyConsentUndocumented => "Art. 7(1) DSGVO; BGH I ZR 164/09 (controller must prove consent); § 7a UWG",
            DenyPhoneConsentUnverified => "§ 7 Abs. 2 Nr. 1, § 7a UWG; BGH I ZR 164/09 (email DOI does not prove phone consent)",
            DenyAddressNotVerified => "Art. 7(1) DSGVO; BGH I ZR 164/09 (consent must be proven for this address)",
            DenyConsentStale => match ch {
                Some(Phone) => "LG München I 17 HK O 138/10 vs BGH III ZR 196/17; § 7a retention 5 yrs after grant/each use",
                _ => "LG München I 17 HK O 138/10 vs BGH III ZR 196/17",
            },
            DenyConsentRevoked => match ch {
                Some(Email) => "Art. 7(3) DSGVO; for customers read as Widerspruch under § 7 Abs. 3 Nr. 3 UWG",
                Some(Phone) => "Art. 7(3) DSGVO; § 7 Abs. 2 Nr. 1 UWG",
                Some(Letter) => "Art. 7(3) DSGVO; § 7 Abs. 1 S. 2 UWG (unwillingness recognisable)",
                _ => "Art. 7(3) DSGVO",
            },
            DenyAutomatedCallNoExpressConsent => "§ 7 Abs. 2 Nr. 2 UWG (automated calling machines need express consent)",
            DenyDoiPending => match ch {
                Some(Email) => "§ 7 Abs. 2 Nr. 2 UWG; BGH I ZR 164/09",
                Some(Phone) => "§ 7 Abs. 2 Nr. 1 UWG",
                _ => "§ 7 Abs. 2 Nr. 2 UWG",
            },
            DenyChannelNotCovered | DenyPurposeNotCovered => match ch {
                Some(Phone) => "§ 7 Abs. 2 Nr. 1 UWG; Art. 6(1)(a), 7 DSGVO (consent is specific)",
                _ => "§ 7 Abs. 2 Nr. 2 UWG; Art. 6(1)(a), 7 DSGVO (consent is specific)",
            },
            DenyPhoneConsumerNoExpressConsent => "§ 7 Abs. 2 Nr. 1 UWG (no existing-customer exception)",
            DenyNoConsent => match ch {
                Some(Sms) => "§ 7 Abs. 2 Nr. 2 UWG (SMS = elektronische Post)",
                Some(Phone) => "§ 7 Abs. 2 Nr. 1 UWG",
                None => "Art. 6(1) DSGVO (no legal basis for this processing)",
                _ => "§ 7 Abs. 2 Nr. 2 UWG (all addressees, incl. businesses; BGH I ZR 218/07)",
            },
        }
    }

    /// One sentence a call-centre agent understands.
    pub fn explanation(self, lang: Lang) -> &'static str {
        use ReasonCode::*;
        let (de, en) = match self {
            AllowConsent => (
                "Eine nachgewiesene Einwilligung deckt diesen Kanal und Zweck — Kontakt erlaubt.",
                "A documented consent covers this channel and purpose — contact allowed.",
            ),
            AllowExistingCustomer73 => (
                "Bestandskunde: Werbung für eigene ähnliche Produkte per E-Mail ist ohne Einwilligung erlaubt (§ 7 Abs. 3 UWG).",
                "Existing customer: email advertising for own similar products is allowed without consent (§ 7(3) UWG).",
            ),
            AllowPresumedConsentB2b => (
                "Geschäftskunde mit dokumentiertem mutmaßlichem Interesse — Anruf durch eine Person erlaubt.",
                "Business contact with documented presumed interest — a call by a live agent is allowed.",
            ),
            AllowLetterLegitimateInterest => (
                "Briefwerbung ist ohne Einwilligung erlaubt, solange kein Widerspruch vorliegt.",
                "Advertising by letter is allowed without consent as long as there is no objection.",
            ),
            AllowPseudonymisedAnalysis => (
                "Pseudonymisierte Auswertung ohne Kontaktaufnahme ist erlaubt.",
                "Pseudonymised analysis without contacting the person is allowed.",
            ),
            DenySuppressionList => (
                "Die Person wurde gelöscht und steht auf der Werbesperrliste — nicht kontaktieren.",
                "This person was erased and is on the suppression list — do not contact.",
            ),
            DenyObjection => (
                "Die Person hat der Werbung widersprochen — nicht kontaktieren.",
                "The person has objected to marketing — do not contact.",
            ),
            DenyRobinsonList => (
                "Die Person steht auf der Robinsonliste — keine Briefwerbung.",
                "The person is on the Robinson list — no advertising letters.",
            ),
            DenyConsentInvalid => (
                "Die Einwilligung war vorangekreuzt und ist daher unwirksam — nicht kontaktieren.",
                "The consent was pre-ticked and is therefore invalid — do not contact.",
            ),
            DenyConsentUndocumented => (
                "Die Einwilligung ist nicht ausreichend dokumentiert (kein Einwilligungstext) — nicht kontaktieren.",
                "The consent is not documented well enough (no consent text) — do not contact.",
            ),
            DenyPhoneConsentUnverified => (
                "Die Telefonnummer wurde nie bestätigt; eine E-Mail-Bestätigung reicht für Anrufe nicht — nicht anrufen.",
                "The phone number was never verified; an email confirmation is not enough for calls — do not call.",
            ),
            DenyAddressNotVerified => (
                "Die Einwilligung wurde für eine andere Adresse bzw. Nummer bestätigt — nicht an diese kontaktieren.",
                "The consent was verified for a different address or number — do not contact this one.",
            ),
            DenyConsentStale => (
                "Die Einwilligung ist veraltet (zu lange nicht genutzt) — vor einem Kontakt neu einholen.",
                "The consent is stale (unused for too long) — obtain it again before contacting.",
            ),
            DenyConsentRevoked => (
                "Die Person hat ihre Einwilligung widerrufen — nicht kontaktieren.",
                "The person has withdrawn their consent — do not contact.",
            ),
            Deny73ConditionsNotMet => (
                "Bestandskunde, aber die Voraussetzungen des § 7 Abs. 3 UWG sind nicht erfüllt — keine Werbe-E-Mail.",
                "Existing customer, but the conditions of § 7(3) UWG are not met — no advertising email.",
            ),
            Deny73NoSale => (
                "Nur ein kostenloses Konto, kein Kauf — keine Werbe-E-Mail ohne Einwilligung.",
                "Only a free account, no purchase — no advertising email without consent.",
            ),
            DenyAutomatedCallNoExpressConsent => (
                "Automatische Anrufe brauchen eine ausdrückliche Einwilligung — nicht automatisch anrufen.",
                "Automated calls need express consent — do not place an automated call.",
            ),
            DenyNoPresumedConsent => (
                "Geschäftskunde ohne dokumentiertes mutmaßliches Interesse — nicht anrufen.",
                "Business contact without documented presumed interest — do not call.",
            ),
            DenyDoiPending => (
                "Die Bestätigung (Double-Opt-In) steht noch aus — nicht kontaktieren.",
                "Double opt-in not yet confirmed — do not contact.",
            ),
            DenyChannelNotCovered => (
                "Die Einwilligung gilt für einen anderen Kanal, nicht für diesen — nicht kontaktieren.",
                "The consent covers another channel, not this one — do not contact.",
            ),
            DenyPurposeNotCovered => (
                "Die Einwilligung gilt für einen anderen Zweck, nicht für diesen — nicht kontaktieren.",
                "The consent covers another purpose, not this one — do not contact.",
            ),
            DenyPhoneConsumerNoExpressConsent => (
                "Verbraucher dürfen nur mit ausdrücklicher Einwilligung angerufen werden — nicht anrufen.",
                "Consumers may only be called with express consent — do not call.",
            ),
            DenyNoConsent => (
                "Keine Einwilligung vorhanden — nicht kontaktieren.",
                "No consent on record — do not contact.",
            ),
        };
        match lang {
            Lang::De => de,
            Lang::En => en,
        }
    }
}

/// The English notes inside legal-basis citations, and their German wording. The citations
/// themselves (§, Art., court file numbers) are the same in both languages.
const BASIS_NOTES_DE: &[(&str, &str)] = &[
    (
        "for email-customers also",
        "bei E-Mail an Bestandskunden auch",
    ),
    (
        "applicability of § 7 Abs. 3 to SMS disputed",
        "Anwendbarkeit von § 7 Abs. 3 auf SMS umstritten",
    ),
    (
        "consent not required for letters; Art. 6(1)(f) would also carry",
        "für Briefe ist keine Einwilligung nötig; Art. 6 Abs. 1 lit. f würde ebenfalls tragen",
    ),
    ("(no sale)", "(kein Verkauf)"),
    (
        "§ 7 UWG has no opt-in rule for letters",
        "§ 7 UWG kennt für Briefe keine Opt-in-Pflicht",
    ),
    ("(pseudonymised data)", "(pseudonymisierte Daten)"),
    (
        "(suppression entry after erasure)",
        "(Werbesperre nach Löschung)",
    ),
    (
        "(objection covers profiling for direct marketing)",
        "(der Widerspruch umfasst Profiling für Direktwerbung)",
    ),
    (
        "(Robinson list: unwillingness recognisable)",
        "(Robinsonliste: erkennbarer Unwille)",
    ),
    (
        "(Planet49): pre-ticked boxes are no consent",
        "(Planet49): vorangekreuzte Kästchen sind keine Einwilligung",
    ),
    (
        "(controller must prove consent)",
        "(der Verantwortliche muss die Einwilligung nachweisen)",
    ),
    (
        "(email DOI does not prove phone consent)",
        "(E-Mail-DOI beweist keine Telefon-Einwilligung)",
    ),
    (
        "(consent must be proven for this address)",
        "(Einwilligung muss für diese Adresse nachgewiesen sein)",
    ),
    (
        "§ 7a retention 5 yrs after grant/each use",
        "§ 7a: Aufbewahrung 5 Jahre nach Erteilung/jeder Nutzung",
    ),
    (
        "for customers read as Widerspruch under § 7 Abs. 3 Nr. 3 UWG",
        "bei Bestandskunden als Widerspruch nach § 7 Abs. 3 Nr. 3 UWG gewertet",
    ),
    ("(unwillingness recognisable)", "(erkennbarer Unwille)"),
    (
        "(automated calling machines need express consent)",
        "(automatische Anrufmaschinen brauchen ausdrückliche Einwilligung)",
    ),
    (
        "(consent is specific)",
        "(Einwilligung gilt nur für Kanal und Zweck)",
    ),
    (
        "(no existing-customer exception)",
        "(keine Bestandskundenausnahme)",
    ),
    (
        "(no legal basis for this processing)",
        "(keine Rechtsgrundlage für diese Verarbeitung)",
    ),
    (
        "(all addressees, incl. businesses;",
        "(alle Empfänger, auch Unternehmen;",
    ),
    (" vs ", " gegen "),
];

/// A legal-basis citation for display in `lang`. The canonical text (JSON, CSV, the decision
/// matrix) stays as the engine returns it; only people read the translated notes.
pub fn legal_basis_text(basis: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    match lang {
        Lang::En => std::borrow::Cow::Borrowed(basis),
        Lang::De => {
            let mut s = basis.to_owned();
            for (en, de) in BASIS_NOTES_DE {
                s = s.replace(en, de);
            }
            std::borrow::Cow::Owned(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_legal_basis_has_no_english_notes() {
        use crate::domain::{Party, Relationship};
        let english = [
            " for ",
            " no ",
            "consent",
            "the ",
            "letters",
            "must",
            "would",
            "customers",
            "disputed",
            "yrs",
        ];
        for &code in ReasonCode::ALL {
            for ch in ["email", "sms", "phone", "letter", "none"] {
                for party in [Party::Consumer, Party::Business] {
                    for rel in [Relationship::Prospect, Relationship::Customer] {
                        let basis = code.legal_basis_for(ch.parse().unwrap(), party, rel);
                        let de = legal_basis_text(basis, Lang::De);
                        for word in english {
                            assert!(!de.contains(word), "{code} {ch}: `{word}` in {de}");
                        }
                        assert_eq!(legal_basis_text(basis, Lang::En), basis);
                    }
                }
            }
        }
    }

    #[test]
    fn every_code_parses_back_and_has_texts() {
        assert_eq!(ReasonCode::ALL.len(), 23);
        for &code in ReasonCode::ALL {
            assert_eq!(code.as_str().parse::<ReasonCode>().unwrap(), code);
            assert_eq!(code.is_allowed(), code.as_str().starts_with("ALLOW_"));
            for lang in [Lang::De, Lang::En] {
                assert!(code.explanation(lang).len() > 20);
            }
            assert_ne!(code.explanation(Lang::De), code.explanation(Lang::En));
            for ch in ["email", "sms", "phone", "letter", "none"] {
                assert!(!code.legal_basis(ch.parse().unwrap()).is_empty());
            }
        }
    }
}
