//! The app's own settings: the chosen language, the last register path and user name, and
//! the idle lock time, kept in
//! `settings.json` in the platform config directory. Nothing personal is stored here —
//! no passphrase, no contact data — only what makes the next start convenient.

use std::path::{Path, PathBuf};

use iced::widget::{button, row, text};
use iced::Element;
use serde::{Deserialize, Serialize};

use super::theme;
use crate::i18n::{t, Lang};

/// What is remembered between starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    pub lang: Option<Lang>,
    pub last_register: Option<PathBuf>,
    /// The user who last signed in (offered on the unlock screen; a name, no secret).
    pub last_user: Option<String>,
    /// Minutes without input after which an open register is closed; 0: never.
    pub idle_lock_minutes: u32,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            lang: None,
            last_register: None,
            last_user: None,
            idle_lock_minutes: DEFAULT_IDLE_LOCK_MINUTES,
        }
    }
}

/// The idle lock time of a new installation (and of a settings file from before it existed).
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;
/// The longest idle lock time that can be set: four hours.
pub const MAX_IDLE_LOCK_MINUTES: u32 = 240;

/// Reads a typed idle lock time: whole minutes from 0 to [`MAX_IDLE_LOCK_MINUTES`].
pub fn parse_idle_minutes(input: &str) -> Option<u32> {
    let input = input.trim();
    if input.is_empty() || !input.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    input
        .parse::<u32>()
        .ok()
        .filter(|m| *m <= MAX_IDLE_LOCK_MINUTES)
}

fn default_idle_lock_minutes() -> u32 {
    DEFAULT_IDLE_LOCK_MINUTES
}

/// The file format; unknown or broken values are read as "not set".
#[derive(Serialize, Deserialize, Default)]
struct File {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_register: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_user: Option<String>,
    /// Missing in files written before the idle lock: the default applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    idle_lock_minutes: Option<serde_json::Value>,
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
            last_user: file.last_user.filter(|u| !u.trim().is_empty()),
            idle_lock_minutes: file
                .idle_lock_minutes
                .and_then(|v| v.as_u64())
                .and_then(|m| u32::try_from(m).ok())
                .filter(|m| *m <= MAX_IDLE_LOCK_MINUTES)
                .unwrap_or_else(default_idle_lock_minutes),
        }
    }

    /// Writes the settings (creating the directory), replacing the file in one rename so a
    /// crash never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let file = File {
            lang: self.lang.map(|l| l.as_str().to_owned()),
            last_register: self.last_register.clone(),
            last_user: self.last_user.clone(),
            idle_lock_minutes: Some(self.idle_lock_minutes.into()),
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
            last_user: Some("erika.m".into()),
            idle_lock_minutes: 25,
        };
        prefs.save(&path).unwrap();
        assert_eq!(Preferences::load(&path), prefs);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"lang\": \"en\""), "{text}");
        assert!(text.contains("\"idle_lock_minutes\": 25"), "{text}");
        assert!(text.contains("\"last_user\": \"erika.m\""), "{text}");
        // 0 (never) is a setting of its own, not "missing".
        let never = Preferences {
            idle_lock_minutes: 0,
            ..prefs
        };
        never.save(&path).unwrap();
        assert_eq!(Preferences::load(&path).idle_lock_minutes, 0);
    }

    #[test]
    fn a_file_from_before_the_idle_lock_loads_with_ten_minutes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"lang":"de","last_register":"/data/firma.db"}"#).unwrap();
        let prefs = Preferences::load(&path);
        assert_eq!(prefs.lang, Some(Lang::De));
        assert_eq!(prefs.last_register, Some(PathBuf::from("/data/firma.db")));
        assert_eq!(prefs.idle_lock_minutes, 10);
        // A value out of range or of the wrong type is "not set"; the rest still loads.
        for bad in [r#""5""#, "-1", "241", "1.5", "null"] {
            std::fs::write(
                &path,
                format!(r#"{{"lang":"de","idle_lock_minutes":{bad}}}"#),
            )
            .unwrap();
            let prefs = Preferences::load(&path);
            assert_eq!(
                (prefs.lang, prefs.idle_lock_minutes),
                (Some(Lang::De), 10),
                "{bad}"
            );
        }
    }

    #[test]
    fn idle_minutes_are_whole_minutes_up_to_four_hours() {
        for (input, want) in [
            ("0", Some(0)),
            ("10", Some(10)),
            (" 240 ", Some(240)),
            ("241", None),
            ("-1", None),
            ("+5", None),
            ("1.5", None),
            ("", None),
            ("zehn", None),
            ("99999999999", None),
        ] {
            assert_eq!(parse_idle_minutes(input), want, "{input:?}");
        }
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
