//! Pure domain model: contacts, the ledger, consent folding and the decision rules.
//! Nothing here does I/O or reads the clock; time is always a parameter.

pub mod access;
pub mod basis;
pub mod chain;
pub mod channel;
pub mod classification;
pub mod consent;
pub mod contact;
pub mod decision;
#[cfg(test)]
mod decision_tests;
pub mod erasure;
pub mod error;
pub mod event;
pub mod identifiers;
pub mod json;
pub mod ledger;
#[cfg(test)]
mod matrix_tests;
pub mod policy;
pub mod reason;
pub mod retention;

pub use access::{Permission, Role};
pub use basis::DecisionBasis;
pub use channel::{Channel, ChannelSel, Purpose, QueryChannel};
pub use classification::{classify, classify_at, Classification, ClassificationBasis};
pub use consent::{ConsentFold, ConsentState};
pub use contact::{Address, Contact, Party, Relationship};
pub use decision::{decide, Decision, Query, Verdict};
pub use error::ValidationError;
pub use event::{Event, EventKind, ObjectionScope};
pub use ledger::{LedgerRecord, ParseLineError};
pub use policy::Policy;
pub use reason::ReasonCode;
