//! Generic CSV (CRM and spreadsheet exports) with a column mapping, e.g.
//! `--map name=Name,email=E-Mail,phone=Telefon,company=Firma,customer_number=Kundennr,party=Typ`.
//!
//! A CSV row becomes a contact (no consent events: a CRM export carries no consent
//! evidence). The README section "Importing a CSV with a column mapping" is the reference.

use std::str::FromStr;

use sha2::{Digest, Sha256};

use super::table::{Row, Table};
use super::{ImportError, RowProblem};
use crate::domain::contact::validate_id;
use crate::domain::identifiers::{normalise_email, normalise_phone};
use crate::domain::{Address, Contact, Party, Relationship};

/// A contact field a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Name,
    FirstName,
    LastName,
    Company,
    Email,
    Phone,
    CustomerNumber,
    Party,
    Relationship,
    Street,
    Postcode,
    City,
    Country,
    Tags,
}

const FIELDS: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("name", Field::Name),
    ("first_name", Field::FirstName),
    ("last_name", Field::LastName),
    ("company", Field::Company),
    ("email", Field::Email),
    ("phone", Field::Phone),
    ("customer_number", Field::CustomerNumber),
    ("party", Field::Party),
    ("relationship", Field::Relationship),
    ("street", Field::Street),
    ("postcode", Field::Postcode),
    ("city", Field::City),
    ("country", Field::Country),
    ("tags", Field::Tags),
];

/// `field=Column` pairs separated by commas. `email` and `phone` may be given more than
/// once (several columns); every other field once. One of name, first_name, last_name or
/// company is required, and one identifier (email, phone, customer_number or id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapSpec {
    pub entries: Vec<(Field, String)>,
}

impl FromStr for MapSpec {
    type Err = ImportError;
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut entries: Vec<(Field, String)> = Vec::new();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, column) = pair
                .split_once('=')
                .ok_or_else(|| ImportError::Map(format!("`{pair}` is not field=Column")))?;
            let field_name = field.trim();
            let field = FIELDS
                .iter()
                .find(|(n, _)| *n == field_name)
                .map(|(_, f)| *f)
                .ok_or_else(|| {
                    ImportError::Map(format!(
                        "unknown field `{field_name}` (known: {})",
                        FIELDS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
            let column = column.trim();
            if column.is_empty() {
                return Err(ImportError::Map(format!("`{pair}` names no column")));
            }
            let repeatable = matches!(field, Field::Email | Field::Phone);
            if !repeatable && entries.iter().any(|(f, _)| *f == field) {
                return Err(ImportError::Map(format!("`{field_name}` is mapped twice")));
            }
            entries.push((field, column.to_owned()));
        }
        let has = |fs: &[Field]| entries.iter().any(|(f, _)| fs.contains(f));
        if !has(&[
            Field::Name,
            Field::FirstName,
            Field::LastName,
            Field::Company,
        ]) {
            return Err(ImportError::Map(
                "map a name: name, first_name, last_name or company".into(),
            ));
        }
        if !has(&[Field::Email, Field::Phone, Field::CustomerNumber, Field::Id]) {
            return Err(ImportError::Map(
                "map an identifier: email, phone, customer_number or id".into(),
            ));
        }
        Ok(MapSpec { entries })
    }
}

/// The mapping bound to one file's header: column positions and names.
#[derive(Debug, Clone)]
pub struct BoundMap {
    entries: Vec<(Field, usize, String)>,
}

impl BoundMap {
    /// Every mapped column must exist in the header (an exact name, else the forgiving match).
    pub fn bind(spec: &MapSpec, table: &Table) -> Result<BoundMap, ImportError> {
        let entries = spec
            .entries
            .iter()
            .map(|(field, column)| {
                table
                    .named_column(column)
                    .map(|i| (*field, i, table.headers()[i].clone()))
                    .ok_or_else(|| ImportError::MissingColumn {
                        file: table.label.clone(),
                        wanted: format!("`{column}`"),
                        found: table.headers().join(", "),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(BoundMap { entries })
    }

    fn one<'r>(&self, row: &'r Row, field: Field) -> Option<(&'r str, &str)> {
        self.entries
            .iter()
            .find(|(f, _, _)| *f == field)
            .and_then(|(_, i, name)| row.get(Some(*i)).map(|v| (v, name.as_str())))
    }

    fn all<'r>(&'r self, row: &'r Row, field: Field) -> impl Iterator<Item = (&'r str, &'r str)> {
        self.entries
            .iter()
            .filter(move |(f, _, _)| *f == field)
            .filter_map(|(_, i, name)| row.get(Some(*i)).map(|v| (v, name.as_str())))
    }

    /// The contact a row describes, checked; the problem names the file's column.
    pub fn contact(&self, row: &Row) -> Result<Contact, RowProblem> {
        let text = |f: Field| self.one(row, f).map(|(v, _)| v.to_owned());
        let mut emails = Vec::new();
        for (v, col) in self.all(row, Field::Email) {
            let e = normalise_email(v).map_err(|e| RowProblem::new(col, e.problem))?;
            if !emails.contains(&e) {
                emails.push(e);
            }
        }
        let mut phones = Vec::new();
        for (v, col) in self.all(row, Field::Phone) {
            let p = normalise_phone(v).map_err(|e| RowProblem::new(col, e.problem))?;
            if !phones.contains(&p) {
                phones.push(p);
            }
        }
        let party = match self.one(row, Field::Party) {
            Some((v, col)) => parse_party(v).ok_or_else(|| {
                RowProblem::new(
                    col,
                    format!("`{v}` is not a party (write consumer/Privat or business/Firma)"),
                )
            })?,
            None => Party::Consumer,
        };
        let relationship = match self.one(row, Field::Relationship) {
            Some((v, col)) => parse_relationship(v).ok_or_else(|| {
                RowProblem::new(col, format!("`{v}` is not a relationship (write prospect/Interessent or customer/Kunde)"))
            })?,
            None => Relationship::Prospect,
        };
        let name = match text(Field::Name) {
            Some(n) => n,
            None => [text(Field::FirstName), text(Field::LastName)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        };
        let company = text(Field::Company);
        if name.is_empty() && company.is_none() {
            let col = self
                .entries
                .iter()
                .find(|(f, _, _)| {
                    matches!(
                        f,
                        Field::Name | Field::FirstName | Field::LastName | Field::Company
                    )
                })
                .map(|(_, _, n)| n.clone())
                .unwrap_or_default();
            return Err(RowProblem::new(col, "a contact needs a name or a company"));
        }
        let customer_number = text(Field::CustomerNumber);
        let address = [Field::Street, Field::Postcode, Field::City, Field::Country]
            .iter()
            .any(|f| text(*f).is_some())
            .then(|| Address {
                street: text(Field::Street),
                postcode: text(Field::Postcode),
                city: text(Field::City),
                country: text(Field::Country),
                extra: Default::default(),
            });
        let id = match self.one(row, Field::Id) {
            Some((v, col)) => {
                validate_id(v, "id").map_err(|e| RowProblem::new(col, e.problem))?;
                v.to_owned()
            }
            None => derived_id(
                &emails,
                &phones,
                customer_number.as_deref(),
                &name,
                company.as_deref(),
            )
            .ok_or_else(|| {
                RowProblem::new(
                    "",
                    "the row has no email, phone, customer number or id to know the contact by",
                )
            })?,
        };
        let tags = text(Field::Tags)
            .map(|t| {
                t.split([',', '|'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Contact {
            id,
            party,
            relationship,
            name,
            company,
            emails,
            phones,
            address,
            customer_number,
            tags,
            extra: Default::default(),
        })
    }
}

/// `CSV-` and 10 hex digits of SHA-256 over the first identifier the row has, so the same
/// person gets the same id in every import of the file.
fn derived_id(
    emails: &[String],
    phones: &[String],
    customer_number: Option<&str>,
    name: &str,
    company: Option<&str>,
) -> Option<String> {
    let key = if let Some(e) = emails.first() {
        format!("email:{e}")
    } else if let Some(p) = phones.first() {
        format!("phone:{p}")
    } else if let Some(n) = customer_number {
        format!(
            "customer_number:{n}\n{name}\n{}",
            company.unwrap_or_default()
        )
    } else {
        return None;
    };
    Some(format!(
        "CSV-{}",
        &hex::encode(Sha256::digest(key.as_bytes()))[..10]
    ))
}

/// English ledger words, and what German CRMs write.
pub fn parse_party(v: &str) -> Option<Party> {
    match v.trim().to_lowercase().as_str() {
        "consumer" | "b2c" | "privat" | "privatkunde" | "privatperson" | "verbraucher"
        | "person" => Some(Party::Consumer),
        "business" | "b2b" | "firma" | "unternehmen" | "geschäftskunde" | "gewerbe"
        | "gewerblich" | "company" => Some(Party::Business),
        _ => None,
    }
}

pub fn parse_relationship(v: &str) -> Option<Relationship> {
    match v.trim().to_lowercase().as_str() {
        "prospect" | "interessent" | "lead" => Some(Relationship::Prospect),
        "customer" | "existing_customer" | "kunde" | "bestandskunde" => {
            Some(Relationship::Customer)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn spec_parses_and_refuses_with_a_reason() {
        let s: MapSpec = "name=Name, email=E-Mail,email=E-Mail 2,phone=Telefon"
            .parse()
            .unwrap();
        assert_eq!(s.entries.len(), 4);
        for (bad, why) in [
            ("name", "not field=Column"),
            ("nam=Name,email=E", "unknown field `nam`"),
            ("name=A,name=B,email=E", "mapped twice"),
            ("email=E", "map a name"),
            ("name=N", "map an identifier"),
            ("name=,email=E", "names no column"),
        ] {
            let err = bad.parse::<MapSpec>().unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn a_row_becomes_a_contact_and_problems_name_the_column() {
        let text = "Name;E-Mail;Telefon;Typ;PLZ\nJürgen Weiß;J@X.de;0171/1234567;Firma;10115\nA;a@x.de;123;Privat;\nB;b@x.de;;Verein;\n";
        let mut t = Table::from_reader(Cursor::new(text.as_bytes().to_vec()), "c.csv").unwrap();
        let spec: MapSpec = "name=Name,email=E-Mail,phone=Telefon,party=Typ,postcode=PLZ"
            .parse()
            .unwrap();
        let map = BoundMap::bind(&spec, &t).unwrap();
        let c = map.contact(&t.next_row().unwrap().unwrap()).unwrap();
        assert_eq!(c.emails, vec!["j@x.de"]);
        assert_eq!(c.phones, vec!["+491711234567"]);
        assert_eq!(c.party, Party::Business);
        assert_eq!(c.address.unwrap().postcode.as_deref(), Some("10115"));
        assert!(c.id.starts_with("CSV-"));
        let p = map.contact(&t.next_row().unwrap().unwrap()).unwrap_err();
        assert_eq!(p.column, "Telefon");
        let p = map.contact(&t.next_row().unwrap().unwrap()).unwrap_err();
        assert_eq!(p.column, "Typ");
        let missing: MapSpec = "name=Name,email=Mail".parse().unwrap();
        assert!(matches!(
            BoundMap::bind(&missing, &t),
            Err(ImportError::MissingColumn { .. })
        ));
    }
}
