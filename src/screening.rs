//! Campaign list screening: which columns of a list hold the email address and the phone
//! number, how a row is matched, and which decision a row gets when it matches several
//! contacts. The facade (`register/screening.rs`) does the reading, lookups and writing.

use crate::domain::identifiers::{normalise_email, normalise_phone};
use crate::domain::{Channel, Contact, Decision, Party, QueryChannel, Relationship};
use crate::import::{ImportError, Row, Table};

/// Columns added to every row of the output, in this order.
pub const ADDED_COLUMNS: [&str; 6] = [
    "contact_id",
    "match",
    "verdict",
    "reason",
    "legal_basis",
    "explanation",
];

/// How a row found its contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchKind {
    Email,
    Phone,
    None,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Email => "email",
            MatchKind::Phone => "phone",
            MatchKind::None => "none",
        }
    }
}

/// The list's identifier columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListColumns {
    pub email: Option<usize>,
    pub phone: Option<usize>,
}

const EMAIL_NAMES: &[&str] = &["email", "E-Mail", "Email Address", "E-Mail-Adresse", "Mail"];
const PHONE_NAMES: &[&str] = &[
    "phone",
    "Telefon",
    "Phone Number",
    "Telefonnummer",
    "Mobil",
    "Mobile",
    "Handy",
];

impl ListColumns {
    /// Columns named `email` / `phone` in any case (also `E-Mail`, `Telefon`), or the ones
    /// given. A given column that does not exist is an error; so is a list with neither.
    pub fn find(
        table: &Table,
        email_column: Option<&str>,
        phone_column: Option<&str>,
    ) -> Result<ListColumns, ImportError> {
        let given = |name: &str| {
            table
                .named_column(name)
                .ok_or_else(|| ImportError::MissingColumn {
                    file: table.label.clone(),
                    wanted: format!("`{name}`"),
                    found: table.headers().join(", "),
                })
        };
        let email = match email_column {
            Some(n) => Some(given(n)?),
            None => table.column(EMAIL_NAMES),
        };
        let phone = match phone_column {
            Some(n) => Some(given(n)?),
            None => table.column(PHONE_NAMES),
        };
        if email.is_none() && phone.is_none() {
            return Err(ImportError::MissingColumn {
                file: table.label.clone(),
                wanted: "for email or phone (name it with --email-column / --phone-column)".into(),
                found: table.headers().join(", "),
            });
        }
        Ok(ListColumns { email, phone })
    }

    /// The row's normalised email and E.164 phone; a cell that is no valid address or
    /// number counts as empty (the row then matches no one by it).
    pub fn identifiers(&self, row: &Row) -> (Option<String>, Option<String>) {
        (
            row.get(self.email).and_then(|e| normalise_email(e).ok()),
            row.get(self.phone).and_then(|p| normalise_phone(p).ok()),
        )
    }
}

/// Which identifier is tried first: the one of the channel asked about (a phone campaign
/// matches by number first), else the email.
pub fn match_order(channel: QueryChannel) -> [MatchKind; 2] {
    match channel {
        QueryChannel::Contact(Channel::Phone | Channel::Sms) => {
            [MatchKind::Phone, MatchKind::Email]
        }
        _ => [MatchKind::Email, MatchKind::Phone],
    }
}

/// Someone the register does not know: a consumer (the stricter reading) with no history.
pub fn unknown_person() -> Contact {
    Contact {
        id: String::new(),
        party: Party::Consumer,
        relationship: Relationship::Prospect,
        name: String::new(),
        company: None,
        emails: Vec::new(),
        phones: Vec::new(),
        address: None,
        customer_number: None,
        tags: Vec::new(),
        extra: Default::default(),
    }
}

/// For a row matching several contacts: the first denial wins (any of them may have
/// objected), else the first allowance. `None` for an empty list.
pub fn strictest(decisions: &[(String, Decision)]) -> Option<&(String, Decision)> {
    decisions
        .iter()
        .find(|(_, d)| !d.allowed())
        .or_else(|| decisions.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn table(text: &str) -> Table {
        Table::from_reader(Cursor::new(text.as_bytes().to_vec()), "l.csv").unwrap()
    }

    #[test]
    fn columns_by_name_in_any_case_or_given() {
        let t = table("Kunde;E-MAIL;telefon\n");
        assert_eq!(
            ListColumns::find(&t, None, None).unwrap(),
            ListColumns {
                email: Some(1),
                phone: Some(2)
            }
        );
        let t = table("Name,Kontakt,Nummer\n");
        assert!(ListColumns::find(&t, None, None).is_err());
        let c = ListColumns::find(&t, Some("Kontakt"), Some("nummer")).unwrap();
        assert_eq!(
            c,
            ListColumns {
                email: Some(1),
                phone: Some(2)
            }
        );
        assert!(ListColumns::find(&t, Some("Mail"), None).is_err());
    }

    #[test]
    fn phone_campaigns_match_by_number_first() {
        assert_eq!(
            match_order(QueryChannel::Contact(Channel::Phone))[0],
            MatchKind::Phone
        );
        assert_eq!(
            match_order(QueryChannel::Contact(Channel::Email))[0],
            MatchKind::Email
        );
        assert_eq!(match_order(QueryChannel::None)[0], MatchKind::Email);
    }
}
