//! The in-memory layer every reader produces: features with geometry and text attributes.

use std::path::PathBuf;

use geo::Geometry;

use super::crs::Crs;

/// The kind of geometry a layer declares (shapefile header) or holds (GeoJSON, CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GeometryKind {
    /// No geometry at all (a DBF-only or attribute-only table).
    None,
    /// Points and multipoints.
    Point,
    /// Lines and multilines.
    Line,
    /// Polygons and multipolygons.
    Polygon,
    /// Features of more than one kind (GeoJSON only).
    Mixed,
}

impl GeometryKind {
    /// The kind of one geometry value.
    pub fn of(geometry: &Geometry) -> GeometryKind {
        match geometry {
            Geometry::Point(_) | Geometry::MultiPoint(_) => GeometryKind::Point,
            Geometry::Line(_) | Geometry::LineString(_) | Geometry::MultiLineString(_) => {
                GeometryKind::Line
            }
            Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_) => GeometryKind::Polygon,
            Geometry::GeometryCollection(_) => GeometryKind::Mixed,
        }
    }

    /// Lower-case English name, as used in profiles and messages.
    pub fn name(self) -> &'static str {
        match self {
            GeometryKind::None => "none",
            GeometryKind::Point => "point",
            GeometryKind::Line => "line",
            GeometryKind::Polygon => "polygon",
            GeometryKind::Mixed => "mixed",
        }
    }
}

/// The type a field has in its source file (DBF field type, JSON value type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Character data.
    Text,
    /// Numbers (DBF `N`, `F`, `B`, `I`, `Y`; JSON numbers).
    Number,
    /// Dates (DBF `D`, normalised to `YYYY-MM-DD`).
    Date,
    /// Logical values (DBF `L`, JSON booleans), normalised to `true`/`false`.
    Boolean,
    /// Anything else (memo, date-time, nested JSON), kept as text.
    Other,
}

/// One attribute column's name and source type, in file order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldDef {
    /// The field name as the file spells it (decoded).
    pub name: String,
    /// The source type.
    pub kind: FieldKind,
}

/// A column of optional text values stored in one buffer (cheap for millions of rows).
///
/// Every attribute is kept as the text the file holds: DBF stores numbers as text, and
/// codes kept in numeric fields must not lose leading zeros or digits to a float. A value
/// costs its bytes and four more: where it ends in the buffer (it starts where the one
/// before ends), with the top bit marking a null.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    buf: String,
    /// The end of each value in `buf`, `NULL` set for a null.
    ends: Vec<u32>,
}

/// The bit of an end that marks a null.
const NULL: u32 = 1 << 31;

impl TextColumn {
    /// An empty column with room for `rows` values.
    pub fn with_capacity(rows: usize) -> TextColumn {
        TextColumn {
            buf: String::new(),
            ends: Vec::with_capacity(rows),
        }
    }

    /// Appends a value; `None` is a null.
    ///
    /// Returns false when the column's text would pass 2 GiB (the caller reports it).
    pub fn push(&mut self, value: Option<&str>) -> bool {
        let end = self.buf.len() + value.map_or(0, str::len);
        if end >= NULL as usize {
            return false;
        }
        match value {
            None => self.ends.push(end as u32 | NULL),
            Some(text) => {
                self.buf.push_str(text);
                self.ends.push(end as u32);
            }
        }
        true
    }

    /// The value of row `row`; `None` for a null or a row past the end.
    #[inline]
    pub fn get(&self, row: usize) -> Option<&str> {
        let end = *self.ends.get(row)?;
        if end & NULL != 0 {
            return None;
        }
        let start = match row.checked_sub(1) {
            Some(before) => self.ends.get(before).map_or(0, |e| e & !NULL),
            None => 0,
        };
        self.buf.get(start as usize..end as usize)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Frees the room the column has beyond its values.
    pub fn shrink_to_fit(&mut self) {
        self.buf.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// The most cells (fields × rows) a table read from a file of `file_len` bytes may have:
/// 16 a byte, and 16 million whatever the size.
pub(crate) fn cells_allowed(file_len: usize) -> usize {
    file_len.saturating_mul(16).max(16 << 20)
}

/// A problem a reader met and worked around (the feature or file is still usable).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ReadNote {
    /// No `.cpg` and the DBF is not valid UTF-8: its text was read as this encoding.
    EncodingGuessed {
        /// The encoding used.
        encoding: String,
    },
    /// The `.shx` index is missing: it was rebuilt in memory by scanning the `.shp`.
    ShxMissing,
    /// The `.shx` index disagrees with the `.shp`; the `.shp` was scanned instead.
    ShxMismatch {
        /// What disagrees.
        fault: ShxFault,
    },
    /// The `.dbf` is missing: the layer has no attributes.
    DbfMissing,
    /// The `.shp` and `.dbf` hold different numbers of records.
    RecordCountMismatch {
        /// Records in the `.shp`.
        shapes: usize,
        /// Records in the `.dbf`.
        records: usize,
    },
    /// Bytes after the last record, or between records, were skipped.
    TrailingBytes {
        /// The file that holds them.
        file: String,
        /// How many bytes were skipped.
        bytes: u64,
    },
    /// A shape type this tool does not model (MultiPatch) was read as polygons.
    MultiPatch,
    /// The layer was transformed from the CRS it was read in to another (`--reproject`).
    Reprojected {
        /// The CRS it was read in (`EPSG:4490`).
        from: String,
        /// The CRS it is in now.
        to: String,
        /// What was implausible about its coordinates in the CRS it was read in.
        hints: Vec<super::crs::sanity::Hint>,
    },
}

/// How a `.shx` disagrees with its `.shp`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ShxFault {
    /// The `.shx` header is not a shapefile index header.
    NotIndex,
    /// It lists another number of records.
    Count {
        /// Entries in the `.shx`.
        shx: usize,
        /// Records found in the `.shp`.
        shp: usize,
    },
    /// It puts a record at another offset.
    Offset {
        /// One-based record number.
        record: usize,
        /// Byte offset the `.shx` gives.
        shx: u64,
        /// Byte offset found in the `.shp`.
        shp: u64,
    },
}

/// The most defects of each kind a reader keeps for one feature: a feature of millions of
/// empty rings or NaN coordinates (a few bytes each in the file) would otherwise hold a
/// defect, and later a finding, for each (a 6 MB GeoJSON of empty holes needed 10 GB).
pub const MAX_DEFECTS_A_FEATURE: usize = 16;

/// Counts one feature's defects by kind, to keep the first [`MAX_DEFECTS_A_FEATURE`] of each.
#[derive(Debug, Default)]
pub(crate) struct DefectCount([usize; 4]);

impl DefectCount {
    /// Whether `d` is kept: fewer than [`MAX_DEFECTS_A_FEATURE`] of its kind were.
    pub(crate) fn admit(&mut self, d: &RawDefect) -> bool {
        let kind = match d {
            RawDefect::RingNotClosed { .. } => 0,
            RawDefect::TooFewPoints { .. } => 1,
            RawDefect::UnparsableCoordinate { .. } => 2,
            RawDefect::NonFiniteCoordinate { .. } => 3,
        };
        let kept = self.0[kind] < MAX_DEFECTS_A_FEATURE;
        self.0[kind] += usize::from(kept);
        kept
    }
}

/// A defect seen in a feature's raw geometry before it became a `geo` geometry
/// (geo-types closes rings on construction, so these can only be seen while reading).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RawDefect {
    /// A ring whose first and last points differ.
    RingNotClosed {
        /// Zero-based ring number within the feature.
        ring: usize,
        /// The ring's first point.
        at: [f64; 2],
    },
    /// A ring or line with too few points to be valid.
    TooFewPoints {
        /// Zero-based ring or part number within the feature.
        part: usize,
        /// How many points it has.
        points: usize,
    },
    /// Coordinates in a CSV row that are not numbers.
    UnparsableCoordinate {
        /// The `x,y` text as written.
        text: String,
    },
    /// A coordinate that is NaN or infinite.
    NonFiniteCoordinate {
        /// Zero-based ring or part number within the feature.
        part: usize,
    },
}

/// A layer as read from one file: features, attributes (columnar), CRS and encoding.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The file it came from.
    pub source: PathBuf,
    /// Declared geometry kind.
    pub geometry_kind: GeometryKind,
    /// Whether the source declared Z or M values.
    pub has_z_or_m: bool,
    /// Field definitions in file order.
    pub fields: Vec<FieldDef>,
    /// One column per field, in the same order.
    pub columns: Vec<TextColumn>,
    /// One geometry per feature, in file order (feature `i` is row `i` of every
    /// column); `None` for a null shape.
    pub geometries: Vec<Option<Geometry>>,
    /// Raw geometry defects seen while reading, as `(feature, defect)`, in feature order.
    pub defects: Vec<(usize, RawDefect)>,
    /// The coordinate reference system the file declares, if any.
    pub crs: Option<Crs>,
    /// The text encoding used to decode attributes, if the format has one to choose.
    pub encoding: Option<String>,
    /// Problems worked around while reading.
    pub notes: Vec<ReadNote>,
}

impl Layer {
    /// Number of features.
    pub fn len(&self) -> usize {
        self.geometries.len()
    }

    /// True when the layer has no features.
    pub fn is_empty(&self) -> bool {
        self.geometries.is_empty()
    }

    /// Index of the field called `name`, compared case-insensitively (DBF names are
    /// upper-case by habit, GeoJSON ones are not).
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name).or_else(|| {
            self.fields
                .iter()
                .position(|f| f.name.eq_ignore_ascii_case(name))
        })
    }

    /// The value of field `field` (column index) for feature `row`.
    pub fn value(&self, row: usize, field: usize) -> Option<&str> {
        self.columns.get(field)?.get(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_column_keeps_nulls_and_values() {
        let mut c = TextColumn::with_capacity(3);
        assert!(c.push(Some("350582001001001")));
        assert!(c.push(None));
        assert!(c.push(Some("")));
        assert!(c.push(Some("社区")));
        assert_eq!(c.get(0), Some("350582001001001"));
        assert_eq!(c.get(1), None);
        assert_eq!(c.get(2), Some(""));
        assert_eq!(c.get(3), Some("社区"));
        assert_eq!(c.get(4), None);
        assert_eq!(c.len(), 4);
    }
}
