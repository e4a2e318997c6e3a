//! The app's own settings: the chosen language and the last register path, kept in
//! `settings.json` in the platform config directory. Nothing personal is stored here —
//! no passphrase, no contact data — only what makes the next start convenient.

use std::path::{Path, PathBuf};

use iced::widget::{button, row, text};
use iced::Element;
use serde::{Deserialize, Serialize};

use super::theme;
use crate::i18n::{t, Lang};

/// What is remembered between starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    pub lang: Option<Lang>,
    pub last_register: Option<PathBuf>,
}

/// The file format; unknown or broken values are read as "not set".
#[derive(Serialize, Deserialize, Default)]
struct File {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_register: Option<PathBuf>,
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("de", "Consentry", "Consentry")
}

/// `<config dir>/settings.json`, or `None` without a home directory.
pub fn preferences_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("settings.json"))
}

/// The platform data directory, where registers live unless the user chooses otherwise.
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

impl Preferences {
    /// Reads the settings; a missing or unreadable file means defaults, because nothing in
    /// it is worth refusing to start over.
    pub fn load(path: &Path) -> Preferences {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Preferences::default();
        };
        let file: File = serde_json::from_str(&text).unwrap_or_default();
        Preferences {
            lang: file.lang.and_then(|l| l.parse().ok()),
            last_register: file.last_register.filter(|p| !p.as_os_str().is_empty()),
        }
    }

    /// Writes the settings (creating the directory), replacing the file in one rename so a
    /// crash never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let file = File {
            lang: self.lang.map(|l| l.as_str().to_owned()),
            last_register: self.last_register.clone(),
        };
        let text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

/// The language switch of the header: both languages, each named in itself, the active
/// one marked. Produces the chosen language.
pub fn lang_switch<'a>(current: Lang) -> Element<'a, Lang> {
    let choice = |lang: Lang, label: &'static str| {
        let style = if lang == current {
            theme::primary_button
        } else {
            theme::secondary_button
        };
        button(text(label).size(14))
            .padding([4, 10])
            .style(style)
            .on_press(lang)
    };
    row![
        text(t(current, "app-language")).size(14),
        choice(Lang::De, "Deutsch"),
        choice(Lang::En, "English"),
    ]
    .spacing(6)
    .align_y(iced::Center)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/settings.json");
        assert_eq!(Preferences::load(&path), Preferences::default());
        let prefs = Preferences {
            lang: Some(Lang::En),
            last_register: Some(PathBuf::from("/data/firma.db")),
        };
        prefs.save(&path).unwrap();
        assert_eq!(Preferences::load(&path), prefs);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"lang\": \"en\""), "{text}");
    }

    #[test]
    fn a_broken_file_reads_as_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(Preferences::load(&path), Preferences::default());
        std::fs::write(&path, r#"{"lang":"fr","last_register":""}"#).unwrap();
        assert_eq!(Preferences::load(&path), Preferences::default());
    }
}
