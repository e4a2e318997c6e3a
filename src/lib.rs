//! Consentry: an encrypted consent and opt-out register for German companies.
//!
//! Layers (dependencies point downwards only):
//! `cli` → `register` → `store` → `domain`. `domain` is pure: no I/O, no SQL, no clock.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod export;
pub mod gui;
pub mod i18n;
pub mod import;
pub mod outfile;
pub mod register;
pub mod report;
pub mod screening;
pub mod store;
