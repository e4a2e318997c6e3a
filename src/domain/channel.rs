use std::fmt;
use std::str::FromStr;

use super::error::ValidationError;

/// A contact channel that consents, objections and decisions refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Sms,
    Phone,
    Letter,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Email,
        Channel::Sms,
        Channel::Phone,
        Channel::Letter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Phone => "phone",
            Channel::Letter => "letter",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "email" => Ok(Channel::Email),
            "sms" => Ok(Channel::Sms),
            "phone" => Ok(Channel::Phone),
            "letter" => Ok(Channel::Letter),
            other => Err(ValidationError::new(
                "channel",
                format!("unknown channel `{other}` (expected email, sms, phone or letter)"),
            )),
        }
    }
}

/// The channel of a query: a real channel, or `none` for processing without contact
/// (e.g. pseudonymised analysis, profiling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryChannel {
    Contact(Channel),
    None,
}

impl QueryChannel {
    pub fn channel(self) -> Option<Channel> {
        match self {
            QueryChannel::Contact(c) => Some(c),
            QueryChannel::None => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            QueryChannel::Contact(c) => c.as_str(),
            QueryChannel::None => "none",
        }
    }
}

impl fmt::Display for QueryChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QueryChannel {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "none" {
            return Ok(QueryChannel::None);
        }
        s.parse::<Channel>()
            .map(QueryChannel::Contact)
            .map_err(|_| {
                ValidationError::new(
                    "channel",
                    format!("unknown channel `{s}` (expected email, sms, phone, letter or none)"),
                )
            })
    }
}

/// One entry of a consent's `channels` list: a channel or the wildcard `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelSel {
    Any,
    One(Channel),
}

impl ChannelSel {
    pub fn covers(self, channel: Channel) -> bool {
        match self {
            ChannelSel::Any => true,
            ChannelSel::One(c) => c == channel,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelSel::Any => "*",
            ChannelSel::One(c) => c.as_str(),
        }
    }
}

impl FromStr for ChannelSel {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "*" {
            Ok(ChannelSel::Any)
        } else {
            s.parse().map(ChannelSel::One)
        }
    }
}

/// A processing purpose: an identifier `[a-z0-9_]+`, or `*` where a list allows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Purpose(String);

impl Purpose {
    pub const WILDCARD: &'static str = "*";

    /// Parses a concrete purpose (no wildcard).
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        if !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            Ok(Purpose(s.to_owned()))
        } else {
            Err(ValidationError::new(
                "purpose",
                format!("`{s}` is not a purpose identifier (lowercase letters, digits and _ only, e.g. newsletter)"),
            ))
        }
    }

    /// Parses a purpose list entry, where `*` (every purpose) is allowed.
    pub fn parse_selector(s: &str) -> Result<Self, ValidationError> {
        if s == Self::WILDCARD {
            Ok(Purpose(s.to_owned()))
        } else {
            Self::parse(s)
        }
    }

    pub fn is_wildcard(&self) -> bool {
        self.0 == Self::WILDCARD
    }

    /// Whether this list entry covers the concrete purpose `p`.
    pub fn covers(&self, p: &Purpose) -> bool {
        self.is_wildcard() || self == p
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The well-known purposes of DESIGN.md, offered first in pickers.
pub const WELL_KNOWN_PURPOSES: [&str; 7] = [
    "newsletter",
    "product_offers_own",
    "partner_offers",
    "survey_customer_satisfaction",
    "personalised_ads",
    "profiling_direct_marketing",
    "analytics_pseudonymised",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_must_be_identifiers() {
        assert!(Purpose::parse("newsletter").is_ok());
        assert!(Purpose::parse("offers_2025").is_ok());
        for bad in ["", "News", "a-b", "a b", "*", "ü"] {
            assert!(Purpose::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Purpose::parse_selector("*").unwrap().is_wildcard());
    }

    #[test]
    fn channels_parse_and_refuse_unknown() {
        assert_eq!("sms".parse::<Channel>().unwrap(), Channel::Sms);
        assert!("fax".parse::<Channel>().is_err());
        assert_eq!("none".parse::<QueryChannel>().unwrap(), QueryChannel::None);
        assert!("none".parse::<Channel>().is_err());
        assert!("*".parse::<ChannelSel>().unwrap().covers(Channel::Letter));
        assert!(!ChannelSel::One(Channel::Email).covers(Channel::Sms));
    }
}
