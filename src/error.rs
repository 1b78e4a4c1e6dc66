//! Errors that stop a run (exit code 2): unreadable, missing or malformed input, bad usage.
//!
//! Defects *in* well-formed data are not errors but [`Finding`](crate::Finding)s.
//! Every error names the file it is about; its text comes from the message catalogue
//! ([`crate::i18n`]) in the language asked for, English through `Display`.

use std::fmt;
use std::path::PathBuf;

use crate::io::GeometryKind;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a run could not go on.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file that must exist does not (a layer's file, the `.dbf` beside a `.shp`).
    Missing {
        /// The file that was looked for.
        path: PathBuf,
        /// The file that needs it, if any.
        needed_by: Option<PathBuf>,
    },
    /// A file's bytes are not what its format requires.
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong, where.
        problem: Problem,
    },
    /// A `.cpg` or `--encoding` names an encoding this tool does not know.
    UnknownEncoding {
        /// The file whose encoding it is (or `--encoding`).
        path: PathBuf,
        /// The label as written.
        label: String,
    },
    /// A file format this build cannot read.
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// Whether a build with `--features gdal` would read it.
        needs_gdal: bool,
    },
    /// A layer holds geometries of another kind than its profile requires.
    WrongGeometry {
        /// The file.
        path: PathBuf,
        /// The layer (`grids`, `components`, …).
        layer: String,
        /// What the profile requires.
        expected: GeometryKind,
        /// What the file holds.
        found: GeometryKind,
    },
    /// The dataset manifest (`dataset.toml`) is malformed.
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong.
        problem: Problem,
    },
    /// A profile (built-in or `--schema DIR`) is malformed or unknown.
    Profile {
        /// The profile name or folder.
        source: String,
        /// What is wrong.
        problem: Problem,
    },
    /// The command line asks for something that cannot be done.
    Usage {
        /// What is wrong.
        problem: Problem,
    },
}

/// The specific problem inside a file or setting; rendered by the message catalogue.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// The file is shorter than its header requires.
    TooShort {
        /// Bytes needed.
        needed: u64,
        /// Bytes present.
        have: u64,
    },
    /// A `.shp`/`.shx` does not start with the shapefile file code 9994.
    NotShapefile {
        /// The code found.
        code: i32,
    },
    /// A shape type outside the shapefile specification.
    UnknownShapeType {
        /// The number found.
        shape_type: i32,
    },
    /// A `.shp` record runs past the end of the file or is shorter than its content needs.
    BadRecord {
        /// One-based record number.
        record: usize,
        /// Byte offset of the record header.
        offset: u64,
        /// What is wrong with it.
        reason: RecordFault,
    },
    /// A DBF header that cannot be right.
    BadDbfHeader {
        /// What is wrong with it.
        reason: DbfFault,
    },
    /// A DBF whose header claims more records than the file holds.
    DbfTruncated {
        /// Records the header claims.
        claimed: u64,
        /// Whole records present.
        present: u64,
    },
    /// A text column grew past 2 GiB.
    ColumnTooLarge {
        /// The field.
        field: String,
    },
    /// An output that would replace one of the run's inputs (`-o` naming the file read).
    OutputIsInput {
        /// The output as given.
        path: String,
    },
    /// Two outputs of one run naming the same file (`-o r.json --errors-geojson ./r.json`).
    OutputTwice {
        /// The output as given the second time.
        path: String,
    },
    /// A table of far more cells (fields × rows) than its file has bytes: the property
    /// names of a few features spread over every other feature.
    TooManyCells {
        /// Distinct fields.
        fields: usize,
        /// Rows.
        rows: usize,
    },
    /// A polygon layer whose features' envelopes meet in more pairs than
    /// [`crate::index::pair_budget`] allows: features piled on each other.
    Stacked {
        /// Polygons in the layer.
        polygons: usize,
        /// The pairs allowed.
        budget: usize,
    },
    /// Two versions of a polygon layer whose envelopes meet in more old × new pairs than
    /// [`crate::index::pair_budget`] allows for both together.
    VersionsCrossed {
        /// Polygons last year.
        old: usize,
        /// Polygons this year.
        new: usize,
        /// The pairs allowed.
        budget: usize,
    },
    /// A JSON document could not be parsed (the parser's own words, with line and column).
    Json {
        /// The parser's message.
        message: String,
    },
    /// A GeoJSON document that is not a FeatureCollection, Feature or Geometry.
    NotGeoJson {
        /// The `type` found.
        found: String,
    },
    /// A geometry a GeoJSON reader cannot turn into a feature.
    BadGeoJsonGeometry {
        /// Zero-based feature index.
        feature: usize,
        /// The converter's message.
        message: String,
    },
    /// A CSV file could not be parsed (the parser's words).
    Csv {
        /// The parser's message.
        message: String,
    },
    /// A CSV point layer without recognisable coordinate columns.
    NoCoordinateColumns {
        /// The header row.
        columns: Vec<String>,
    },
    /// A TOML document could not be parsed (the parser's words, with line and column).
    Toml {
        /// The parser's message.
        message: String,
    },
    /// A manifest or profile value that is present but wrong.
    BadValue {
        /// The key (`region`, `effective`, `layers.grids.path`).
        key: String,
        /// The value as written.
        value: String,
        /// What it must be.
        expected: Expected,
    },
    /// A profile name that is neither built in nor a folder.
    UnknownProfile {
        /// The name given.
        name: String,
        /// The built-in names.
        known: Vec<String>,
    },
    /// A profile field refers to a thing that does not exist.
    DanglingReference {
        /// Where the reference is (`grids.schema.json: spatial.code.equals[1].segments`).
        at: String,
        /// What it names.
        name: String,
    },
    /// An output folder that exists and is not empty where a fresh one is required.
    OutputNotEmpty,
    /// Coordinates cannot be transformed from one CRS to another (`--reproject`, a manifest's
    /// `reproject = true`, `diff` of two versions in different CRSs).
    Reproject {
        /// The layer (`grids`) or file concerned, if one.
        layer: Option<String>,
        /// The CRS transformed from.
        from: String,
        /// The CRS transformed to.
        to: String,
        /// Why not (boxed: it would make every error bigger).
        fault: Box<TransformFault>,
    },
    /// GDAL could not open or read a source (`--features gdal`): GDAL's own words.
    Gdal {
        /// GDAL's message.
        message: String,
    },
    /// A multi-layer source without a layer name, or with the name of a layer it lacks.
    GdalLayer {
        /// The layer asked for (`file.gpkg:grids`), if one.
        wanted: Option<String>,
        /// The layers the source has.
        layers: Vec<String>,
    },
    /// A submission package that cannot be opened: an unsafe or oversized zip, no dataset,
    /// a file outside the package (`check`, `score`).
    Package(Box<crate::submission::PackageFault>),
}

/// Why coordinates cannot be transformed from one CRS to another.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TransformFault {
    /// A CRS gridkeeper cannot transform: unrecognised WKT, an unknown code, or text that is
    /// no CRS at all.
    Unrecognised {
        /// The CRS as written (shortened).
        crs: String,
    },
    /// A change of datum (Xi'an 1980, Beijing 1954 or another datum to CGCS2000/WGS 84)
    /// without the city's seven parameters.
    NeedsParameters {
        /// The datum that needs them.
        datum: String,
    },
    /// The transformation library refused the CRS's definition.
    Definition {
        /// The library's words.
        message: String,
    },
    /// Reprojection asked for, but no CRS to reproject to: the manifest has no `crs` and
    /// the command line gave no `--crs`.
    NoTarget,
    /// A coordinate that cannot be transformed (outside what the projection covers).
    Coordinate {
        /// Zero-based feature index, when known.
        feature: Option<usize>,
        /// The coordinate.
        at: [f64; 2],
    },
}

/// What is wrong with one `.shp` record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordFault {
    /// Its length runs past the end of the file.
    PastEnd,
    /// Its content is shorter than its part and point counts require.
    TooShortForCounts,
    /// A negative or absurd part or point count.
    BadCount,
    /// A part index outside the point array or out of order.
    BadPartIndex,
    /// Its shape type is neither null nor the file's type.
    TypeMismatch,
    /// So many rings whose boxes hold each other that telling shells from holes would take
    /// more than the reader's budget of edge visits (hundreds of millions).
    TooManyRings,
}

/// What is wrong with a DBF header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DbfFault {
    /// The header length is too small for any field, or ends inside the field descriptors.
    HeaderLength,
    /// The fields' widths do not fit in the record length.
    RecordLength,
    /// A field of width 0.
    FieldWidth,
    /// No fields, in a table read on its own.
    NoFields,
}

/// The shape a value should have.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Expected {
    /// A date `YYYY-MM-DD`.
    Date,
    /// A region code of six digits.
    RegionCode,
    /// A year.
    Year,
    /// One of these words.
    OneOf(Vec<String>),
    /// A regular expression that compiles.
    Regex,
    /// A canonical field name of this layer.
    CanonicalField,
    /// A layer name (`streets`, `communities`, `grids`, `components`, `pois`, `cases`).
    LayerName,
    /// A non-empty text.
    NonEmpty,
    /// `name=name` pairs separated by commas.
    FieldPairs,
    /// A count (a number not below zero).
    Count,
    /// A number from `min` to `max` (`f64::MAX`: no upper bound).
    NumberBetween {
        /// The least allowed.
        min: f64,
        /// The most allowed.
        max: f64,
    },
    /// A whole number from `min` to `max`.
    Between {
        /// The least allowed.
        min: usize,
        /// The most allowed.
        max: usize,
    },
    /// Seven numbers `[dx, dy, dz, rx, ry, rz, ds]` (metres, arc-seconds, ppm).
    Towgs84,
}

impl Error {
    /// The process exit code for this error: always 2 ("could not run").
    pub fn exit_code(&self) -> i32 {
        2
    }

    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A malformed-file error.
    pub fn malformed(path: impl Into<PathBuf>, problem: Problem) -> Error {
        Error::Malformed {
            path: path.into(),
            problem,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::error_text(self, crate::i18n::Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
