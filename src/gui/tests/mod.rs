//! GUI tests: `update()` tests per screen and `iced_test` simulator tests. Tasks are not
//! run here; a test does the register call itself (`call_blocking`) and feeds the
//! past-tense result message, exactly as the runtime would. No file dialog is ever opened.

mod app;
mod fixture;
mod flow;
mod idle;
mod import;
mod policy;
mod roles;
mod screening;
mod search;
mod simulated;
mod tools;
mod unlock;
mod users;
