//! The desktop app (iced). Each screen owns its `State`, `Message`, `update` and `view`
//! and returns an `Action` to the root; register calls run off the UI thread via
//! [`handle::RegisterHandle`].

pub mod contact;
pub mod handle;
