//! The desktop app (iced). Each screen owns its `State`, `Message`, `update` and `view`
//! and returns an `Action` to the root; register calls run off the UI thread via
//! [`handle::RegisterHandle`].

mod app;
pub mod audit;
pub mod contact;
pub mod error_text;
pub mod file_dialog;
pub mod handle;
pub mod import;
pub mod job;
pub mod permit;
pub mod policy;
pub mod report_save;
pub mod save_dialog;
pub mod screening;
pub mod search;
pub mod settings;
pub mod theme;
pub mod tool_view;
pub mod tools;
pub mod unlock;
pub mod users;

#[cfg(test)]
mod tests;

pub use app::{run, App, Key, Launch, Message, Screen};
