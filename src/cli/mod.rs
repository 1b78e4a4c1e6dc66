//! The command line: argument definitions and one function per command.

mod args;
mod check_cmd;
mod demo_cmd;
mod demo_submissions;
mod diff_cmd;
mod inputs;
mod plan_cmd;
mod schema_cmd;
mod score_cmd;
mod stale;
mod validate_cmd;

use std::fmt::Write as _;
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
    if !ctx.quiet && std::io::stderr().is_terminal() {
        gridkeeper::progress::enable(lang);
    }
    // The files a command writes are put in place together when it has succeeded: a run
    // that fails halfway leaves the outputs of the last one as they were, and no output may
    // replace a file the run read. The demo reads what it writes, so each of its files is
    // put in place at once.
    use gridkeeper::io::atomic::all_or_nothing as all;
    let result = match cli.command {
        Command::Validate(a) => all(|| validate_cmd::run(&ctx, a)),
        Command::Diff(a) => all(|| diff_cmd::run(&ctx, a)),
        Command::Plan(a) => all(|| plan_cmd::run(&ctx, a)),
        Command::Check(a) => all(|| check_cmd::run(&ctx, a)),
        Command::Score(a) => all(|| score_cmd::run(&ctx, a)),
        Command::Demo(a) => demo_cmd::run(&ctx, a),
        Command::Schema { action } => all(|| schema_cmd::run(&ctx, action)),
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
    /// No progress bars or summary on standard error.
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
        terminal_safe(&i18n::error_text(e, lang))
    );
}

/// The progress bar of the files a command writes (on a terminal): [`Writing::next`] before
/// each file, naming it.
pub struct Writing {
    bar: gridkeeper::progress::Bar,
    begun: bool,
}

impl Writing {
    /// A bar for `files` files.
    pub fn new(files: usize) -> Writing {
        Writing {
            bar: gridkeeper::progress::bar(
                |l| i18n::Text::StageWrite.get(l).to_string(),
                files as u64,
                gridkeeper::progress::Unit::Files,
                0,
            ),
            begun: false,
        }
    }

    /// The file at `path` is written next (the one before it is done).
    pub fn next(&mut self, path: &std::path::Path) {
        if std::mem::replace(&mut self.begun, true) {
            self.bar.inc(1);
        }
        self.bar.message(|_| {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    }
}

/// Writes `text` to standard output, ignoring a closed pipe.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(terminal_safe(text).as_bytes());
    let _ = out.flush();
}

/// `text` with the control characters a file may smuggle into a message (a `.prj` of
/// garbage, a field value with an escape sequence) shown as `\x1b`, so that nothing read
/// from a file can move the cursor, retitle or clear the terminal. Line ends, tabs and the
/// colour sequences (`ESC [ digits ; m`) this tool writes itself stay.
fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let is_colour = |rest: &str| {
        rest.strip_prefix('[').is_some_and(|r| {
            let n = r
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b';')
                .count();
            r.as_bytes().get(n) == Some(&b'm')
        })
    };
    let bad = |(i, c): (usize, char)| {
        c.is_control() && c != '\n' && c != '\t' && !(c == '\u{1b}' && is_colour(&text[i + 1..]))
    };
    if !text.char_indices().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if bad((i, c)) {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn control_characters_from_files_are_shown_not_obeyed() {
        assert_eq!(terminal_safe("plain 文字\n"), "plain 文字\n");
        assert_eq!(
            terminal_safe("\u{1b}[1;31merror\u{1b}[0m"),
            "\u{1b}[1;31merror\u{1b}[0m"
        );
        assert_eq!(
            terminal_safe("PK\u{0}\u{1b}]0;owned\u{7}\u{1b}[2J\r"),
            "PK\\x00\\x1b]0;owned\\x07\\x1b[2J\\x0d"
        );
    }
}
