//! SHA-256 of input files, recorded in `run.json` so that a plan can be traced to its data.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The SHA-256 of a file, as 64 lower-case hex digits, and its size in bytes.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    crate::io::atomic::note_input(path);
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
/// (`.shx`, `.dbf`, `.prj`, `.cpg`) that exist. A layer of a GDAL source
/// (`district.gpkg:grids`) is its source file; a folder source (a File Geodatabase `.gdb`)
/// is every file in it, in name order.
pub fn layer_files(path: &Path) -> Vec<PathBuf> {
    let (file, _) = super::split_layer(path);
    if file.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&file)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        return files;
    }
    let path = file.as_path();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_of_a_gdal_source_is_its_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let gpkg = dir.path().join("district.gpkg");
        std::fs::write(&gpkg, b"SQLite format 3\0").expect("write");
        let layer = PathBuf::from(format!("{}:grids", gpkg.display()));
        assert_eq!(layer_files(&layer), vec![gpkg]);
        let gdb = dir.path().join("district.gdb");
        std::fs::create_dir(&gdb).expect("mkdir");
        for f in ["b.gdbtable", "a.gdbtablx"] {
            std::fs::write(gdb.join(f), b"x").expect("write");
        }
        let layer = PathBuf::from(format!("{}:grids", gdb.display()));
        assert_eq!(
            layer_files(&layer),
            vec![gdb.join("a.gdbtablx"), gdb.join("b.gdbtable")]
        );
    }
}
