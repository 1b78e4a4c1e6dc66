//! Reading geodata (数据读取): bytes on disk → [`Layer`].
//!
//! One reader per format, all producing the same [`Layer`]: Shapefile (with its `.dbf`,
//! `.prj` and `.cpg`), GeoJSON, CSV with coordinate columns, and a bare `.dbf`. Formats that
//! need GDAL (GeoPackage, File Geodatabase, MapInfo, KML) are refused with a message saying
//! so. Writers for the demo data live in [`write`].

pub mod atomic;
pub mod crs;
mod csv;
mod dbf;
pub mod encoding;
mod geojson;
mod layer;
mod shapefile;
mod shp;
pub mod write;

use std::path::Path;

pub use self::csv::COORDINATE_PAIRS;
pub use self::layer::{
    FieldDef, FieldKind, GeometryKind, Layer, RawDefect, ReadNote, ShxFault, TextColumn,
};
pub use self::shapefile::sibling;
use crate::error::{Error, Result};

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

/// Reads one layer file, choosing the reader by extension.
///
/// ```no_run
/// use gridkeeper::io::{read_layer, ReadOptions};
/// let layer = read_layer("grids.shp".as_ref(), &ReadOptions::default())?;
/// println!("{} features", layer.len());
/// # Ok::<(), gridkeeper::Error>(())
/// ```
pub fn read_layer(path: &Path, options: &ReadOptions) -> Result<Layer> {
    if !path.exists() {
        return Err(Error::Missing {
            path: path.to_path_buf(),
            needed_by: None,
        });
    }
    match Format::of(path) {
        Some(Format::Shapefile) => shapefile::read(path, options),
        Some(Format::Dbf) => shapefile::read_dbf_only(path, options),
        Some(Format::GeoJson) => geojson::read(path),
        Some(Format::Csv) => csv::read(path, options),
        Some(Format::NeedsGdal) => Err(Error::UnsupportedFormat {
            path: path.to_path_buf(),
            needs_gdal: true,
        }),
        None => Err(Error::UnsupportedFormat {
            path: path.to_path_buf(),
            needs_gdal: false,
        }),
    }
}
