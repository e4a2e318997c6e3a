//! A person or business contact and its identifiers.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use super::error::ValidationError;
use super::identifiers::{normalise_email, normalise_phone};
use super::json::{Fields, Object, Writer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    Consumer,
    Business,
}

impl Party {
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Consumer => "consumer",
            Party::Business => "business",
        }
    }
}

impl FromStr for Party {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "consumer" => Ok(Party::Consumer),
            "business" => Ok(Party::Business),
            _ => Err(ValidationError::new(
                "party",
                format!("`{s}` is not a party (expected consumer or business)"),
            )),
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Prospect (Interessent) or existing customer (Bestandskunde).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relationship {
    Prospect,
    Customer,
}

impl Relationship {
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Prospect => "prospect",
            Relationship::Customer => "customer",
        }
    }
}

impl FromStr for Relationship {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "prospect" => Ok(Relationship::Prospect),
            "customer" | "existing_customer" => Ok(Relationship::Customer),
            _ => Err(ValidationError::new(
                "relationship",
                format!("`{s}` is not a relationship (expected prospect or customer)"),
            )),
        }
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub extra: Object,
}

impl Address {
    fn from_object(obj: Object) -> Result<Self, ValidationError> {
        let mut f = Fields::new(obj);
        Ok(Address {
            street: f.opt_str("street")?,
            postcode: f.opt_str("postcode")?,
            city: f.opt_str("city")?,
            country: f.opt_str("country")?,
            extra: f.rest(),
        })
    }

    fn to_object(&self) -> Object {
        Writer::new()
            .put("street", self.street.clone())
            .put("postcode", self.postcode.clone())
            .put("city", self.city.clone())
            .put("country", self.country.clone())
            .extend(&self.extra)
            .build()
    }

    /// One line, e.g. `Musterstr. 1, 10115 Berlin, DE`.
    pub fn one_line(&self) -> String {
        let town = [self.postcode.as_deref(), self.city.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        [
            self.street.as_deref(),
            Some(town.as_str()),
            self.country.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// Normalised form used to match an address (suppression, duplicates).
    pub fn normalised(&self) -> String {
        self.one_line()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A contact as held in the register. Emails are lower-cased, phones E.164.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: String,
    pub party: Party,
    /// The relationship as imported or created; the effective one is derived (classification).
    pub relationship: Relationship,
    pub name: String,
    pub company: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address: Option<Address>,
    pub customer_number: Option<String>,
    pub tags: Vec<String>,
    /// Fields this version does not know, kept so that export → import round-trips.
    pub extra: Object,
}

/// Contact ids are printed in reports and typed on the command line: keep them simple.
pub fn validate_id(id: &str, field: &str) -> Result<(), ValidationError> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        return Err(ValidationError::new(
            field,
            format!("`{id}` is not a valid id (letters, digits, - _ . : only, at most 64)"),
        ));
    }
    Ok(())
}

impl Contact {
    /// Reads a `{"kind":"contact", …}` object (the `kind` key already removed or ignored).
    pub fn from_object(obj: Object) -> Result<Self, ValidationError> {
        let mut f = Fields::new(obj);
        f.opt_value("kind");
        let id = f.req_str("id")?;
        validate_id(&id, "id")?;
        let party = f.req_str("party")?.parse()?;
        let relationship = match f.opt_str("relationship")? {
            Some(r) => r.parse()?,
            None => Relationship::Prospect,
        };
        let name = f.opt_str("name")?.unwrap_or_default().trim().to_owned();
        let company = f
            .opt_str("company")?
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if name.is_empty() && company.is_none() {
            return Err(ValidationError::new(
                "name",
                "a contact needs a name or a company",
            ));
        }
        let emails = f
            .opt_str_list("emails")?
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                normalise_email(e)
                    .map_err(|err| ValidationError::new(format!("emails[{i}]"), err.problem))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let phones = f
            .opt_str_list("phones")?
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                normalise_phone(p)
                    .map_err(|err| ValidationError::new(format!("phones[{i}]"), err.problem))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let address = f
            .opt_object("address")?
            .map(Address::from_object)
            .transpose()
            .map_err(|e| e.within("address"))?;
        let customer_number = f
            .opt_str("customer_number")?
            .filter(|c| !c.trim().is_empty());
        let tags = f.opt_str_list("tags")?.unwrap_or_default();
        Ok(Contact {
            id,
            party,
            relationship,
            name,
            company,
            emails: dedup(emails),
            phones: dedup(phones),
            address,
            customer_number,
            tags,
            extra: f.rest(),
        })
    }

    pub fn to_object(&self) -> Object {
        Writer::new()
            .put("kind", "contact")
            .put("id", self.id.clone())
            .put("party", self.party.as_str())
            .put("relationship", self.relationship.as_str())
            .put("name", self.name.clone())
            .put("company", self.company.clone())
            .put("emails", self.emails.clone())
            .put("phones", self.phones.clone())
            .put(
                "address",
                self.address.as_ref().map(|a| Value::Object(a.to_object())),
            )
            .put("customer_number", self.customer_number.clone())
            .opt("tags", (!self.tags.is_empty()).then(|| self.tags.clone()))
            .extend(&self.extra)
            .build()
    }

    /// What a person at the desk recognises: name, else company.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            self.company.as_deref().unwrap_or(&self.id)
        } else {
            &self.name
        }
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn contact_normalises_identifiers_and_keeps_unknown_fields() {
        let c = Contact::from_object(obj(json!({
            "kind":"contact","id":"K-1","party":"consumer","name":"Jürgen Weiß",
            "emails":["Juergen@Example.DE"],"phones":["0171 1234567"],"crm_id":42
        })))
        .unwrap();
        assert_eq!(c.emails, vec!["juergen@example.de"]);
        assert_eq!(c.phones, vec!["+491711234567"]);
        assert_eq!(c.relationship, Relationship::Prospect);
        assert_eq!(c.extra["crm_id"], json!(42));
        let again = Contact::from_object(c.to_object()).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn bad_contacts_name_the_field() {
        let cases = [
            (
                json!({"id":"K-1","party":"consumer","name":"A","phones":["12345"]}),
                "phones[0]",
            ),
            (
                json!({"id":"K-1","party":"consumer","name":"A","emails":["x"]}),
                "emails[0]",
            ),
            (json!({"id":"K-1","party":"person","name":"A"}), "party"),
            (json!({"id":"K 1","party":"consumer","name":"A"}), "id"),
            (json!({"party":"consumer","name":"A"}), "id"),
            (json!({"id":"K-1","party":"consumer"}), "name"),
            (
                json!({"id":"K-1","party":"consumer","name":"A","address":{"city":5}}),
                "address.city",
            ),
        ];
        for (v, field) in cases {
            let err = Contact::from_object(obj(v.clone())).unwrap_err();
            assert_eq!(err.field, field, "{v}: {err}");
        }
    }
}
