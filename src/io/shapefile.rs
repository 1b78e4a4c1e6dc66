//! Shapefiles: the `.shp` with its `.shx`, `.dbf`, `.prj` and `.cpg` siblings.

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use super::crs::{Crs, CrsSource};
use super::dbf::{self, EncodingChoice};
use super::encoding;
use super::layer::{GeometryKind, Layer, ReadNote, ShxFault};
use super::shp;
use super::ReadOptions;
use crate::error::{DbfFault, Error, Problem, Result};

/// Finds the sibling of `path` with extension `ext`, matching the extension without
/// regard to case (`.DBF` beside `.shp` is common on files from Windows).
pub fn sibling(path: &Path, ext: &str) -> Option<PathBuf> {
    let exact = path.with_extension(ext);
    if exact.is_file() {
        return Some(exact);
    }
    let stem = path.file_stem()?;
    let entries = std::fs::read_dir(super::folder_of(path)).ok()?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_stem() == Some(stem)
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case(ext))
                && p.is_file()
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// The encoding a shapefile's `.cpg` names, if it has one.
fn cpg_encoding(shp: &Path) -> Result<Option<&'static Encoding>> {
    let Some(cpg) = sibling(shp, "cpg") else {
        return Ok(None);
    };
    crate::io::atomic::note_input(&cpg);
    let bytes = std::fs::read(&cpg).map_err(|e| Error::io(&cpg, e))?;
    let label = String::from_utf8_lossy(&bytes).trim().to_string();
    if label.is_empty() {
        return Ok(None);
    }
    match encoding::resolve_label(&label) {
        Some(e) => Ok(Some(e)),
        None => Err(Error::UnknownEncoding { path: cpg, label }),
    }
}

/// The CRS the `.prj` states, if there is one.
pub fn prj_crs(shp: &Path) -> Result<Option<Crs>> {
    let Some(prj) = sibling(shp, "prj") else {
        return Ok(None);
    };
    crate::io::atomic::note_input(&prj);
    let bytes = std::fs::read(&prj).map_err(|e| Error::io(&prj, e))?;
    let text = String::from_utf8_lossy(&bytes);
    if text.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(Crs::parse(&text, CrsSource::Prj)))
}

/// Reads a shapefile (given the path of its `.shp`).
pub fn read(path: &Path, options: &ReadOptions) -> Result<Layer> {
    crate::io::atomic::note_input(path);
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let shapes = shp::parse(path, &bytes)?;
    drop(bytes);
    let mut notes = Vec::new();
    match sibling(path, "shx") {
        None => notes.push(ReadNote::ShxMissing),
        Some(shx) => {
            if let Some(fault) = compare_shx(&shx, &shapes.offsets)? {
                notes.push(ReadNote::ShxMismatch { fault });
            }
        }
    }
    if shapes.skipped_bytes > 0 {
        notes.push(ReadNote::TrailingBytes {
            file: file_name(path),
            bytes: shapes.skipped_bytes,
        });
    }
    if shapes.shape_type == 31 {
        notes.push(ReadNote::MultiPatch);
    }
    let choice = match options.encoding {
        Some(e) => EncodingChoice::Given(e),
        None => match cpg_encoding(path)? {
            Some(e) => EncodingChoice::Given(e),
            None => EncodingChoice::Sniff,
        },
    };
    let (fields, columns, encoding) = match sibling(path, "dbf") {
        Some(dbf_path) => {
            let table = dbf::read(&dbf_path, choice)?;
            if table.guessed {
                notes.push(ReadNote::EncodingGuessed {
                    encoding: encoding::display_name(table.encoding),
                });
            }
            if table.rows != shapes.geometries.len() {
                notes.push(ReadNote::RecordCountMismatch {
                    shapes: shapes.geometries.len(),
                    records: table.rows,
                });
            }
            if table.trailing_bytes > 0 {
                notes.push(ReadNote::TrailingBytes {
                    file: file_name(&dbf_path),
                    bytes: table.trailing_bytes,
                });
            }
            (
                table.fields,
                table.columns,
                Some(encoding::display_name(table.encoding)),
            )
        }
        None if options.require_attributes => {
            return Err(Error::Missing {
                path: path.with_extension("dbf"),
                needed_by: Some(path.to_path_buf()),
            })
        }
        None => {
            notes.push(ReadNote::DbfMissing);
            (Vec::new(), Vec::new(), None)
        }
    };
    Ok(Layer {
        source: path.to_path_buf(),
        geometry_kind: shapes.kind(),
        has_z_or_m: shapes.has_z_or_m(),
        fields,
        columns,
        crs: prj_crs(path)?,
        encoding,
        notes,
        geometries: shapes.geometries,
        defects: shapes.defects,
    })
}

/// Reads a `.dbf` on its own as a layer without geometry.
pub fn read_dbf_only(path: &Path, options: &ReadOptions) -> Result<Layer> {
    let choice = match options.encoding {
        Some(e) => EncodingChoice::Given(e),
        None => match cpg_encoding(path)? {
            Some(e) => EncodingChoice::Given(e),
            None => EncodingChoice::Sniff,
        },
    };
    let table = dbf::read(path, choice)?;
    // A table on its own holds its fields and nothing else: with none, every record is a
    // bare deletion flag, yet each would cost a row (56 bytes for a byte of file).
    if table.fields.is_empty() && table.rows > 0 {
        return Err(Error::malformed(
            path,
            Problem::BadDbfHeader {
                reason: DbfFault::NoFields,
            },
        ));
    }
    let mut notes = Vec::new();
    if table.guessed {
        notes.push(ReadNote::EncodingGuessed {
            encoding: encoding::display_name(table.encoding),
        });
    }
    Ok(Layer {
        source: path.to_path_buf(),
        geometry_kind: GeometryKind::None,
        has_z_or_m: false,
        geometries: vec![None; table.rows],
        defects: Vec::new(),
        fields: table.fields,
        columns: table.columns,
        crs: None,
        encoding: Some(encoding::display_name(table.encoding)),
        notes,
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Compares the `.shx` record offsets with the ones found by scanning the `.shp`.
fn compare_shx(shx: &Path, offsets: &[u32]) -> Result<Option<ShxFault>> {
    crate::io::atomic::note_input(shx);
    let bytes = std::fs::read(shx).map_err(|e| Error::io(shx, e))?;
    if shp::read_header(shx, &bytes).is_err() {
        return Ok(Some(ShxFault::NotIndex));
    }
    let entries = (bytes.len() - 100) / 8;
    if entries != offsets.len() {
        return Ok(Some(ShxFault::Count {
            shx: entries,
            shp: offsets.len(),
        }));
    }
    for (i, &want) in offsets.iter().enumerate() {
        let at = 100 + 8 * i;
        let got = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        if got != want {
            return Ok(Some(ShxFault::Offset {
                record: i + 1,
                shx: got as u64 * 2,
                shp: want as u64 * 2,
            }));
        }
    }
    Ok(None)
}
