//! The manifest loaders: `dataset.toml`, `submission.toml` and a scoring rules file.
//!
//! Input: one byte choosing the loader (modulo 3), then the file's text.
#![no_main]

use gridkeeper_fuzz::put;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => {
            let p = put("dataset.toml", text);
            let _ = gridkeeper::dataset::read_manifest(&p);
        }
        1 => {
            let p = put("submission.toml", text);
            let _ = gridkeeper::submission::read_manifest(&p);
        }
        _ => {
            let p = put("scoring.toml", text);
            let _ = gridkeeper::score::ScoringRules::load(&p);
        }
    }
});
