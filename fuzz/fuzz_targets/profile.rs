//! The profile loader: a folder with `profile.toml`, the layers' Table Schemas and the class
//! table, as `schema export` writes it.
//!
//! Input: one byte choosing which file of the built-in profile gbt30428-2013 to replace (in
//! the order of `PROFILE_FILES`, modulo their count), then that file's new text; the other
//! files stay as exported.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use gridkeeper::schema::Profile;
use gridkeeper_fuzz::{scratch, PROFILE_FILES};
use libfuzzer_sys::fuzz_target;

fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch().join("profile");
        Profile::builtin("gbt30428-2013")
            .expect("built-in profile")
            .export(&dir)
            .expect("export");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    let dir = folder();
    let file = dir.join(PROFILE_FILES[which as usize % PROFILE_FILES.len()]);
    let original = std::fs::read(&file).expect("exported file");
    std::fs::write(&file, text).expect("write");
    let _ = Profile::from_dir(dir);
    std::fs::write(&file, original).expect("restore");
});
