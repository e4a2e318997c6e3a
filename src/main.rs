use clap::Parser;

fn main() {
    let cli = consentry::cli::Cli::parse();
    if cli.command.is_none() {
        std::process::exit(open_window(&cli));
    }
    std::process::exit(consentry::cli::run(cli));
}

/// `consentry` without a command opens the desktop app; `--db` (else `$CONSENTRY_DB`) and
/// `--lang` still apply.
fn open_window(cli: &consentry::cli::Cli) -> i32 {
    let register = cli.db.clone().or_else(|| {
        std::env::var_os("CONSENTRY_DB")
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    });
    let launch = consentry::gui::Launch {
        register,
        lang: cli.lang,
        preferences: consentry::gui::settings::preferences_path(),
        data_dir: consentry::gui::settings::data_dir(),
    };
    match consentry::gui::run(launch) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!(
                "consentry: cannot open the window: {e} — run it in a desktop session, or use a command (consentry --help)"
            );
            2
        }
    }
}
