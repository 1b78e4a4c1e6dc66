//! Helpers shared by the fuzz targets: a scratch folder per process (the readers take
//! paths) and the layout of inputs made of several files.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Separates the files of a multi-file input (`fuzz/README.md`): a shapefile's `.shp`,
/// `.shx`, `.dbf`, `.prj`, `.cpg` in this order.
pub const SEPARATOR: &[u8] = b"\n--gk-file--\n";

/// A folder of this process's own, removed never (the fuzzer is killed, not stopped).
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("gridkeeper-fuzz-")
            .tempdir()
            .expect("scratch folder");
        dir.keep()
    })
}

/// Writes `bytes` as `name` in the scratch folder.
pub fn put(name: &str, bytes: &[u8]) -> PathBuf {
    let p = scratch().join(name);
    std::fs::write(&p, bytes).expect("write scratch file");
    p
}

/// Removes `name` from the scratch folder if it is there.
pub fn remove(name: &str) {
    let _ = std::fs::remove_file(scratch().join(name));
}

/// Splits a multi-file input at [`SEPARATOR`].
pub fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = find(rest, SEPARATOR) {
        parts.push(&rest[..at]);
        rest = &rest[at + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Joins files into one input (the seed corpora are made with it).
pub fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.join(SEPARATOR)
}

/// The files of an exported profile, in the order the `profile` target's first byte picks.
pub const PROFILE_FILES: &[&str] = &[
    "profile.toml",
    "grids.schema.json",
    "components.schema.json",
    "communities.schema.json",
    "streets.schema.json",
    "pois.schema.json",
    "cases.schema.json",
    "component_classes.csv",
];
