//! The command line: argument definitions and one function per command.

mod args;
mod check_cmd;
mod demo_cmd;
mod diff_cmd;
mod plan_cmd;
mod schema_cmd;
mod score_cmd;
mod validate_cmd;

use std::io::{IsTerminal, Write};

use clap::Parser;
use gridkeeper::{i18n, Error, Lang};

use self::args::{Cli, ColorArg, Command};

/// Runs the command line and returns the exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let lang = cli.lang.into();
    let ctx = Context {
        lang,
        color: match cli.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        },
        quiet: cli.quiet,
    };
    let result = match cli.command {
        Command::Validate(a) => validate_cmd::run(&ctx, a),
        Command::Diff(a) => diff_cmd::run(&ctx, a),
        Command::Plan(a) => plan_cmd::run(&ctx, a),
        Command::Check(a) => check_cmd::run(&ctx, a),
        Command::Score(a) => score_cmd::run(&ctx, a),
        Command::Demo(a) => demo_cmd::run(&ctx, a),
        Command::Schema { action } => schema_cmd::run(&ctx, action),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e, lang);
            e.exit_code()
        }
    }
}

/// Settings every command shares.
pub struct Context {
    /// Report language.
    pub lang: Lang,
    /// Colour on standard output.
    pub color: bool,
    /// No progress or summary on standard error.
    pub quiet: bool,
}

fn report_error(e: &Error, lang: Lang) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "gridkeeper: {}: {}",
        i18n::Text::ErrorPrefix.get(lang),
        i18n::error_text(e, lang)
    );
}

/// Writes `text` to standard output, ignoring a closed pipe.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
