//! The command line: argument definitions and one function per command.

mod args;
mod check_cmd;
mod demo_cmd;
mod demo_submissions;
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
        timings: cli.timings,
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
    if ctx.timings {
        print_timings();
    }
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
    /// Print every stage's time on standard error (`--timings`).
    pub timings: bool,
}

/// `--timings`: every recorded stage, one `timing<TAB>stage<TAB>seconds` line each.
fn print_timings() {
    let mut err = std::io::stderr().lock();
    for (name, took) in gridkeeper::timing::snapshot() {
        let _ = writeln!(err, "timing\t{name}\t{:.6}", took.as_secs_f64());
    }
}

/// The final summary's line of stage times on standard error (unless `--quiet`):
/// the top-level stages recorded (those without a dot in their name) and the total.
pub fn stage_summary(ctx: &Context, total: std::time::Duration) {
    if ctx.quiet {
        return;
    }
    let parts: Vec<String> = gridkeeper::timing::snapshot()
        .into_iter()
        .filter(|(name, _)| !name.contains('.'))
        .map(|(name, took)| {
            format!(
                "{} {:.2} s",
                i18n::Text::stage(&name, ctx.lang),
                took.as_secs_f64()
            )
        })
        .collect();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{}: {} · {} {:.2} s",
        i18n::Text::StageTimes.get(ctx.lang),
        parts.join(" · "),
        i18n::Text::Total.get(ctx.lang),
        total.as_secs_f64()
    );
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
