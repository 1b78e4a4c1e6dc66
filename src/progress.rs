//! Progress bars on standard error for the long steps (reading big files, the stages of
//! `validate`, the overlap join of `diff`, remapping the cases, writing the outputs).
//!
//! Off unless the command line turns them on ([`enable`]: standard error is a terminal and
//! there is no `--quiet`), so the library draws nothing by itself and its outputs never
//! depend on them. A step asks for a [`Bar`]; when progress is off it gets a hidden one whose
//! calls cost a branch. Bars vanish when they are dropped: what stays on the terminal is what
//! the command prints.

use std::path::Path;
use std::sync::OnceLock;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::i18n::{Lang, Text};

/// The bars drawn so far (one line each, stacked: the two versions are read at once).
struct Drawn {
    multi: MultiProgress,
    lang: Lang,
}

static DRAWN: OnceLock<Drawn> = OnceLock::new();

/// Turns progress bars on for this process, labelled in `lang`. The command line calls it
/// when standard error is a terminal and `--quiet` is not given; nothing else should.
pub fn enable(lang: Lang) {
    let _ = DRAWN.set(Drawn {
        multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10)),
        lang,
    });
}

/// What a bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes of a file.
    Bytes,
    /// Features of a layer.
    Features,
    /// Old × new candidate pairs.
    Pairs,
    /// Historical cases.
    Cases,
    /// Output files.
    Files,
    /// The stages of a command (the message names the current one).
    Stages,
}

impl Unit {
    fn text(self) -> Option<Text> {
        match self {
            Unit::Bytes | Unit::Stages => None,
            Unit::Features => Some(Text::UnitFeatures),
            Unit::Pairs => Some(Text::UnitPairs),
            Unit::Cases => Some(Text::UnitCases),
            Unit::Files => Some(Text::UnitFiles),
        }
    }

    fn template(self) -> &'static str {
        match self {
            Unit::Bytes => {
                "{prefix} [{bar:28}] {binary_bytes}/{binary_total_bytes} · {binary_bytes_per_sec} · {eta}"
            }
            Unit::Stages | Unit::Files => "{prefix} [{bar:28}] {pos}/{len} {msg} · {elapsed}",
            _ => "{prefix} [{bar:28}] {human_pos}/{human_len} {msg} · {per_sec:0} · {eta}",
        }
    }
}

/// Files from this size on get a bar while they are read.
const BIG_FILE: u64 = 8 << 20;

/// How many records a reader lets pass between two updates of its bar.
pub const RECORDS: usize = 4096;

/// A bar for reading the file `path`, `len` bytes (drawn for files of 8 MiB or more).
pub fn reading(path: &Path, len: u64) -> Bar {
    let name = path.file_name().unwrap_or(path.as_os_str());
    bar(
        |l| format!("{} {}", Text::StageRead.get(l), name.to_string_lossy()),
        len,
        Unit::Bytes,
        BIG_FILE,
    )
}

/// How many items [`Bar::tick`] lets pass between two updates.
const CHUNK: usize = 1024;

/// A progress bar, or nothing when progress is off. Shared by reference between the threads
/// of a parallel loop; cleared from the terminal when dropped.
#[derive(Debug)]
pub struct Bar(Option<ProgressBar>);

/// A bar of `len` items labelled `label` (called only when bars are drawn, with their
/// language); hidden when progress is off or `len` is under `min`.
pub fn bar(label: impl FnOnce(Lang) -> String, len: u64, unit: Unit, min: u64) -> Bar {
    let Some(d) = DRAWN.get() else {
        return Bar(None);
    };
    if len < min {
        return Bar(None);
    }
    let style = ProgressStyle::with_template(unit.template())
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let pb = ProgressBar::new(len)
        .with_style(style)
        .with_prefix(label(d.lang));
    if let Some(t) = unit.text() {
        pb.set_message(t.get(d.lang));
    }
    Bar(Some(d.multi.add(pb)))
}

impl Bar {
    /// A bar that draws nothing.
    pub fn hidden() -> Bar {
        Bar(None)
    }

    /// `n` more items done.
    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }

    /// Item `i` of a (possibly parallel) loop is done: moves the bar every 1,024 items, so
    /// that millions of cheap items cost no more than a counter each.
    pub fn tick(&self, i: usize) {
        if let Some(b) = &self.0 {
            if i % CHUNK == CHUNK - 1 {
                b.inc(CHUNK as u64);
            }
        }
    }

    /// The position is `pos` items (or bytes).
    pub fn set(&self, pos: u64) {
        if let Some(b) = &self.0 {
            b.set_position(pos);
        }
    }

    /// Names the item or stage being worked on (called only when the bar is drawn).
    pub fn message(&self, text: impl FnOnce(Lang) -> String) {
        if let (Some(b), Some(d)) = (&self.0, DRAWN.get()) {
            b.set_message(text(d.lang));
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(b) = self.0.take() {
            b.finish_and_clear();
            if let Some(d) = DRAWN.get() {
                d.multi.remove(&b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The library draws nothing unless the command line enabled progress.
    #[test]
    fn hidden_unless_enabled() {
        let b = bar(
            |_| unreachable!("no label without bars"),
            10,
            Unit::Cases,
            0,
        );
        assert!(b.0.is_none());
        b.tick(1023);
        b.inc(1);
        b.set(5);
        b.message(|_| unreachable!("no message without bars"));
    }

    /// Every bar style parses.
    #[test]
    fn templates_parse() {
        for u in [
            Unit::Bytes,
            Unit::Features,
            Unit::Pairs,
            Unit::Cases,
            Unit::Files,
            Unit::Stages,
        ] {
            assert!(ProgressStyle::with_template(u.template()).is_ok(), "{u:?}");
        }
    }
}
