//! Stage timings (`--timings`): how long each stage of a command took, wall clock.
//!
//! The library times its own stages ([`stage`]) into one process-wide list; the command
//! line prints the list on standard error (`--timings`, one `timing<TAB>stage<TAB>seconds`
//! line per stage, for scripts such as `benches/compare.sh`) and the top-level stages in
//! the final summary. Timing costs two clock reads per stage; nothing else is recorded.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static STAGES: Mutex<Vec<(String, Duration)>> = Mutex::new(Vec::new());

/// Runs `f` as stage `name` and records how long it took.
///
/// Stages nest by name: `validate.coverage` is a part of `validate`.
pub fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let t0 = Instant::now();
    let out = f();
    record(name, t0.elapsed());
    out
}

/// Records that stage `name` took `took`.
pub fn record(name: &str, took: Duration) {
    if let Ok(mut s) = STAGES.lock() {
        s.push((name.to_string(), took));
    }
}

/// The stages recorded so far, in the order they ended, and empties the list.
pub fn take() -> Vec<(String, Duration)> {
    STAGES
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default()
}

/// The stages recorded so far, in the order they ended.
pub fn snapshot() -> Vec<(String, Duration)> {
    STAGES.lock().map(|s| s.clone()).unwrap_or_default()
}
