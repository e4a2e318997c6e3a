//! Progress of long imports and screenings on stderr, only when stderr is a terminal
//! (scripts and logs get the summary alone).

use std::io::{IsTerminal, Write};

use crate::i18n::{tf, Lang};

/// Rows between two progress lines.
const EVERY: u64 = 10_000;

pub struct Progress {
    lang: Lang,
    enabled: bool,
    shown: bool,
}

impl Progress {
    pub fn new(lang: Lang) -> Progress {
        Progress {
            lang,
            enabled: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    pub fn rows(&mut self, n: u64) {
        if self.enabled && n % EVERY == 0 {
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\r{}",
                tf(self.lang, "progress-rows", &[("rows", &n.to_string())])
            );
            let _ = err.flush();
            self.shown = true;
        }
    }

    /// Ends the progress line so the next message starts on its own line.
    pub fn finish(&mut self) {
        if self.shown {
            eprintln!();
            self.shown = false;
        }
    }
}
