//! The register's policy settings: LEGAL.md's product decisions where the law is disputed.

use serde::{Deserialize, Serialize};

use super::channel::Purpose;
use super::error::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)] // a setting added later reads as its default in older registers
pub struct Policy {
    /// Months without grant or use after which a consent counts as stale; 0 = never.
    pub consent_stale_after_months: u32,
    /// Purposes that count as advertising the company's own goods (§ 7 Abs. 3 Nr. 2 UWG).
    pub own_offer_purposes: Vec<String>,
    /// Groups of product categories treated as "similar" (§ 7 Abs. 3 Nr. 2 UWG).
    pub similarity_groups: Vec<Vec<String>>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            consent_stale_after_months: 18,
            own_offer_purposes: vec![
                "newsletter".into(),
                "product_offers_own".into(),
                "survey_customer_satisfaction".into(),
            ],
            similarity_groups: Vec::new(),
        }
    }
}

/// The setting keys, as used by `settings get|set`.
pub const POLICY_KEYS: [&str; 3] = [
    "consent_stale_after_months",
    "own_offer_purposes",
    "similarity_groups",
];

impl Policy {
    pub fn is_own_offer(&self, purpose: &Purpose) -> bool {
        self.own_offer_purposes
            .iter()
            .any(|p| p == purpose.as_str())
    }

    /// Same category, or both in one similarity group.
    pub fn similar(&self, a: &str, b: &str) -> bool {
        a == b
            || self
                .similarity_groups
                .iter()
                .any(|g| g.iter().any(|x| x == a) && g.iter().any(|x| x == b))
    }

    /// The value of one setting as text (lists comma-separated, groups `a,b;c,d`).
    pub fn get(&self, key: &str) -> Result<String, ValidationError> {
        Ok(match key {
            "consent_stale_after_months" => self.consent_stale_after_months.to_string(),
            "own_offer_purposes" => self.own_offer_purposes.join(","),
            "similarity_groups" => self
                .similarity_groups
                .iter()
                .map(|g| g.join(","))
                .collect::<Vec<_>>()
                .join(";"),
            _ => return Err(unknown_key(key)),
        })
    }

    /// Sets one setting from text; on error the policy is unchanged.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ValidationError> {
        match key {
            "consent_stale_after_months" => {
                let n: u32 = value.trim().parse().map_err(|_| {
                    ValidationError::new(
                        key,
                        format!("`{value}` is not a whole number of months (0 = never stale)"),
                    )
                })?;
                if n > 1200 {
                    return Err(ValidationError::new(key, "at most 1200 months"));
                }
                self.consent_stale_after_months = n;
            }
            "own_offer_purposes" => {
                let list = split_list(value);
                for p in &list {
                    Purpose::parse(p).map_err(|e| ValidationError::new(key, e.problem))?;
                }
                self.own_offer_purposes = list;
            }
            "similarity_groups" => {
                let groups: Vec<Vec<String>> = value
                    .split(';')
                    .map(split_list)
                    .filter(|g| !g.is_empty())
                    .collect();
                if groups.iter().any(|g| g.len() < 2) {
                    return Err(ValidationError::new(
                        key,
                        "each group needs at least two categories, e.g. `coffee,tea;shoes,boots`",
                    ));
                }
                self.similarity_groups = groups;
            }
            _ => return Err(unknown_key(key)),
        }
        Ok(())
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn unknown_key(key: &str) -> ValidationError {
    ValidationError::new(
        "key",
        format!(
            "unknown setting `{key}` (known: {})",
            POLICY_KEYS.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_as_text() {
        let mut p = Policy::default();
        assert_eq!(p.get("consent_stale_after_months").unwrap(), "18");
        p.set("similarity_groups", "coffee, tea; shoes,boots")
            .unwrap();
        assert_eq!(
            p.get("similarity_groups").unwrap(),
            "coffee,tea;shoes,boots"
        );
        assert!(p.similar("tea", "coffee"));
        assert!(!p.similar("tea", "shoes"));
        p.set("own_offer_purposes", "newsletter,partner_offers")
            .unwrap();
        assert!(p.is_own_offer(&Purpose::parse("partner_offers").unwrap()));
    }

    #[test]
    fn bad_settings_change_nothing() {
        let mut p = Policy::default();
        let before = p.clone();
        assert!(p.set("consent_stale_after_months", "-1").is_err());
        assert!(p.set("own_offer_purposes", "News Letter").is_err());
        assert!(p.set("similarity_groups", "coffee").is_err());
        assert!(p.set("colour", "red").is_err());
        assert_eq!(p, before);
    }
}
