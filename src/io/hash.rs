//! SHA-256 of input files, recorded in `run.json` so that a plan can be traced to its data.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The SHA-256 of a file, as 64 lower-case hex digits, and its size in bytes.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    let digest = h.finalize();
    Ok((digest.iter().map(|b| format!("{b:02x}")).collect(), n))
}

/// The files that make up a layer: the file itself and, for a shapefile, its siblings
/// (`.shx`, `.dbf`, `.prj`, `.cpg`) that exist.
pub fn layer_files(path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    let is_shp = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if is_shp {
        for ext in ["shx", "dbf", "prj", "cpg"] {
            if let Some(p) = super::sibling(path, ext) {
                out.push(p);
            }
        }
    }
    out
}
