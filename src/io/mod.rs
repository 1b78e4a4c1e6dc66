//! Reading geodata (数据读取): bytes on disk → [`Layer`].
//!
//! One reader per format, all producing the same [`Layer`]: Shapefile (with its `.dbf`,
//! `.prj` and `.cpg`), GeoJSON, CSV with coordinate columns, and a bare `.dbf`. Formats that
//! need GDAL (GeoPackage, File Geodatabase, MapInfo, KML) are read through it in a build with
//! the `gdal` feature (`gdal.rs`; a layer of a multi-layer source is named
//! `file.gpkg:layer`), and refused with a message saying so otherwise. Writers for the demo
//! data live in [`write`].

pub mod atomic;
pub mod crs;
mod csv;
mod dbf;
pub mod encoding;
#[cfg(feature = "gdal")]
pub mod gdal;
mod geojson;
pub mod hash;
mod layer;
pub mod reproject;
mod rings;
mod shapefile;
mod shp;
pub mod write;

use std::path::{Path, PathBuf};

pub use self::csv::COORDINATE_PAIRS;
pub use self::layer::{
    FieldDef, FieldKind, GeometryKind, Layer, RawDefect, ReadNote, ShxFault, TextColumn,
};
pub use self::shapefile::sibling;
use crate::error::{Error, Result};

/// The folder holding `path`: its parent, or `.` for a bare file name.
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// How to read a layer.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Decode attribute text with this encoding, whatever the file says (`--encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Fail when a shapefile has no `.dbf` (a dataset layer needs its attributes).
    pub require_attributes: bool,
    /// The coordinate columns of a CSV point layer, `(x, y)`.
    pub xy: Option<(String, String)>,
}

/// File formats recognised by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.shp`
    Shapefile,
    /// `.dbf` alone
    Dbf,
    /// `.geojson`, `.json`
    GeoJson,
    /// `.csv`, `.txt`
    Csv,
    /// A format only GDAL reads (`.gpkg`, `.gdb`, `.tab`, `.mif`, `.kml`, `.sqlite`, `.fgb`).
    NeedsGdal,
}

impl Format {
    /// The format of a path, from its extension.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "shp" => Format::Shapefile,
            "dbf" => Format::Dbf,
            "geojson" | "json" => Format::GeoJson,
            "csv" | "txt" => Format::Csv,
            "gpkg" | "gdb" | "tab" | "mif" | "kml" | "kmz" | "sqlite" | "fgb" | "gml" | "mdb" => {
                Format::NeedsGdal
            }
            _ => return None,
        })
    }
}

/// A source and the layer it names: `district.gpkg:grids` → (`district.gpkg`, `grids`) when
/// `district.gpkg` exists and is a GDAL format; any other path is itself, with no layer.
///
/// ```
/// use gridkeeper::io::split_layer;
/// let (file, layer) = split_layer("no/such/file.gpkg:grids".as_ref());
/// assert_eq!((file.to_str(), layer), (Some("no/such/file.gpkg:grids"), None));
/// ```
pub fn split_layer(path: &Path) -> (PathBuf, Option<String>) {
    if path.exists() {
        return (path.to_path_buf(), None);
    }
    let text = path.to_string_lossy();
    if let Some((file, layer)) = text.rsplit_once(':') {
        let file = PathBuf::from(file);
        if !layer.is_empty()
            && !layer.contains(['/', '\\'])
            && Format::of(&file) == Some(Format::NeedsGdal)
            && file.exists()
        {
            return (file, Some(layer.to_string()));
        }
    }
    (path.to_path_buf(), None)
}

/// Whether a source exists (a file, a folder such as a `.gdb`, or `file.gpkg:layer`).
pub fn source_exists(path: &Path) -> bool {
    split_layer(path).0.exists()
}

/// Whether a path names a source read as one layer (a file, a GDAL source such as a `.gdb`
/// folder, or `file.gpkg:layer`) rather than a dataset folder.
pub fn is_single_source(path: &Path) -> bool {
    let (file, layer) = split_layer(path);
    file.is_file() || layer.is_some() || Format::of(&file) == Some(Format::NeedsGdal)
}

#[cfg(feature = "gdal")]
fn read_gdal(
    file: &Path,
    layer: Option<&str>,
    name: &Path,
    options: &ReadOptions,
) -> Result<Layer> {
    gdal::read(file, layer, name, options)
}

#[cfg(not(feature = "gdal"))]
fn read_gdal(file: &Path, _: Option<&str>, _: &Path, _: &ReadOptions) -> Result<Layer> {
    Err(Error::UnsupportedFormat {
        path: file.to_path_buf(),
        needs_gdal: true,
    })
}

/// Reads one layer file, choosing the reader by extension.
///
/// ```no_run
/// use gridkeeper::io::{read_layer, ReadOptions};
/// let layer = read_layer("grids.shp".as_ref(), &ReadOptions::default())?;
/// println!("{} features", layer.len());
/// # Ok::<(), gridkeeper::Error>(())
/// ```
pub fn read_layer(path: &Path, options: &ReadOptions) -> Result<Layer> {
    let (file, layer) = split_layer(path);
    if !file.exists() {
        return Err(Error::Missing {
            path: path.to_path_buf(),
            needed_by: None,
        });
    }
    let mut read = if layer.is_some() {
        read_gdal(&file, layer.as_deref(), path, options)?
    } else {
        read_by_extension(path, options)?
    };
    // The text buffers grew by doubling: give back what they do not use (up to half of
    // them; a third of what `plan` holds at city scale).
    for column in &mut read.columns {
        column.shrink_to_fit();
    }
    // Stacks of copies would make every pairwise check take time in the square of their
    // depth: refused here, where every command reads.
    if let Some((polygons, budget)) = crate::index::stacked(&read.geometries) {
        return Err(Error::Malformed {
            path: path.to_path_buf(),
            problem: crate::error::Problem::Stacked { polygons, budget },
        });
    }
    Ok(read)
}

fn read_by_extension(path: &Path, options: &ReadOptions) -> Result<Layer> {
    match Format::of(path) {
        Some(Format::Shapefile) => shapefile::read(path, options),
        Some(Format::Dbf) => shapefile::read_dbf_only(path, options),
        Some(Format::GeoJson) => geojson::read(path),
        Some(Format::Csv) => csv::read(path, options),
        Some(Format::NeedsGdal) => read_gdal(path, None, path, options),
        None => Err(Error::UnsupportedFormat {
            path: path.to_path_buf(),
            needs_gdal: false,
        }),
    }
}
