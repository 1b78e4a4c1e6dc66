//! CSV point layers (historical cases exported from a case system, address lists).
//!
//! Coordinates come from a pair of columns: the ones named in the options, else the first
//! pair found among `x`/`y`, `lon`/`lat`, `lng`/`lat`, `longitude`/`latitude`,
//! `经度`/`纬度`, `X坐标`/`Y坐标` (case-insensitive). A row with empty coordinates has no
//! geometry (a case filed without a position); a row whose coordinates are not numbers is
//! kept without geometry and reported.

use std::path::Path;

use geo::{Coord, Geometry, Point};

use super::encoding;
use super::layer::{FieldDef, FieldKind, GeometryKind, Layer, RawDefect, ReadNote, TextColumn};
use super::ReadOptions;
use crate::error::{Error, Problem, Result};
use crate::progress;

/// Coordinate column pairs tried in order when none are given.
pub const COORDINATE_PAIRS: &[(&str, &str)] = &[
    ("x", "y"),
    ("lon", "lat"),
    ("lng", "lat"),
    ("longitude", "latitude"),
    ("经度", "纬度"),
    ("X坐标", "Y坐标"),
    ("point_x", "point_y"),
];

/// Reads a CSV file as a point layer.
pub fn read(path: &Path, options: &ReadOptions) -> Result<Layer> {
    crate::io::atomic::note_input(path);
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut notes = Vec::new();
    let (text, enc_name) = match options.encoding {
        Some(enc) => (encoding::decode_lossy(enc, body), enc),
        None => match std::str::from_utf8(body) {
            Ok(s) => (s.to_string(), encoding_rs::UTF_8),
            Err(_) => {
                let enc = encoding::FALLBACK;
                notes.push(ReadNote::EncodingGuessed {
                    encoding: encoding::display_name(enc),
                });
                (encoding::decode_lossy(enc, body), enc)
            }
        },
    };
    let csv_err = |e: csv::Error| {
        Error::malformed(
            path,
            Problem::Csv {
                message: e.to_string(),
            },
        )
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
    };
    let xy = match &options.xy {
        Some((x, y)) => match (find(x), find(y)) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => {
                return Err(Error::malformed(
                    path,
                    Problem::NoCoordinateColumns { columns: headers },
                ))
            }
        },
        None => COORDINATE_PAIRS
            .iter()
            .find_map(|(x, y)| Some((find(x)?, find(y)?))),
    };
    let lines = rows_to_reserve(&text, headers.len());
    let mut columns: Vec<TextColumn> = headers
        .iter()
        .map(|_| TextColumn::with_capacity(lines))
        .collect();
    let mut geometries = Vec::with_capacity(lines);
    let mut defects = Vec::new();
    let bar = progress::reading(path, text.len() as u64);
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(csv_err)?;
        if row % progress::RECORDS == 0 {
            bar.set(record.position().map_or(0, |p| p.byte()));
        }
        for (i, col) in columns.iter_mut().enumerate() {
            let v = record.get(i).map(str::trim).filter(|v| !v.is_empty());
            if !col.push(v) {
                return Err(Error::malformed(
                    path,
                    Problem::ColumnTooLarge {
                        field: headers[i].clone(),
                    },
                ));
            }
        }
        let geometry = xy.and_then(|(xi, yi)| {
            let xs = record.get(xi).map(str::trim).unwrap_or("");
            let ys = record.get(yi).map(str::trim).unwrap_or("");
            if xs.is_empty() && ys.is_empty() {
                return None;
            }
            match (xs.parse::<f64>(), ys.parse::<f64>()) {
                (Ok(x), Ok(y)) => {
                    if !x.is_finite() || !y.is_finite() {
                        defects.push((row, RawDefect::NonFiniteCoordinate { part: 0 }));
                    }
                    Some(Geometry::Point(Point(Coord { x, y })))
                }
                _ => {
                    defects.push((
                        row,
                        RawDefect::UnparsableCoordinate {
                            text: format!("{xs},{ys}"),
                        },
                    ));
                    None
                }
            }
        });
        geometries.push(geometry);
    }
    let fields = headers
        .into_iter()
        .map(|name| FieldDef {
            name,
            kind: FieldKind::Text,
        })
        .collect();
    Ok(Layer {
        source: path.to_path_buf(),
        geometry_kind: if xy.is_some() {
            GeometryKind::Point
        } else {
            GeometryKind::None
        },
        has_z_or_m: false,
        fields,
        columns,
        geometries,
        defects,
        crs: None,
        encoding: Some(encoding::display_name(enc_name)),
        notes,
    })
}

/// The rows to make room for: a row per line, so that millions of rows are not regrown
/// (quoted line breaks only make it a little more than needed). Every row has a field per
/// column (the reader is not flexible) and each field ends in a byte of its own, so no more
/// rows than the text's length over the columns can come: a header of a million columns
/// over a million empty lines reserves nothing like a million squared cells.
fn rows_to_reserve(text: &str, columns: usize) -> usize {
    let lines = text.bytes().filter(|&b| b == b'\n').count();
    lines.min(text.len() / columns.max(1) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_for_rows_is_bounded_by_the_text() {
        assert_eq!(rows_to_reserve("x,y\n1,2\n3,4\n", 2), 3);
        let wide = format!("{}\n{}", vec!["c"; 100_000].join(","), "\n".repeat(100_000));
        assert_eq!(rows_to_reserve(&wide, 100_000), 4);
    }
}
