//! `.shp` geometry records, read from the bytes with every count checked against them.
//!
//! Records are read by scanning the `.shp` itself (the `.shx` is only cross-checked), so a
//! missing or wrong `.shx` costs nothing. A record header that makes no sense (garbage
//! between records) is skipped by searching forward for the next plausible record header,
//! as a careful desktop reader would. Polygon rings get their roles from containment, not
//! orientation (`rings.rs`): ESRI says outer rings are clockwise, but many writers do not care.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, Point};

use super::layer::{DefectCount, GeometryKind, RawDefect, MAX_DEFECTS_A_FEATURE};
use super::rings::assemble_polygons;
use crate::error::{Error, Problem, RecordFault, Result};
use crate::progress;

/// What a `.shp` holds.
#[derive(Debug)]
pub struct Shapes {
    /// The header's shape type.
    pub shape_type: i32,
    /// One entry per record, in file order.
    pub geometries: Vec<Option<Geometry>>,
    /// Raw defects per record index.
    pub defects: Vec<(usize, RawDefect)>,
    /// Bytes skipped between or after records.
    pub skipped_bytes: u64,
    /// Byte offsets (in 16-bit words) of each record, to compare with the `.shx`.
    pub offsets: Vec<u32>,
}

impl Shapes {
    /// The geometry kind the header declares.
    pub fn kind(&self) -> GeometryKind {
        kind_of(self.shape_type)
    }

    /// Whether the header declares Z or M values.
    pub fn has_z_or_m(&self) -> bool {
        matches!(self.shape_type, 11 | 13 | 15 | 18 | 21 | 23 | 25 | 28 | 31)
    }
}

/// The geometry kind of a shapefile shape type.
pub fn kind_of(shape_type: i32) -> GeometryKind {
    match shape_type {
        0 => GeometryKind::None,
        1 | 11 | 21 | 8 | 18 | 28 => GeometryKind::Point,
        3 | 13 | 23 => GeometryKind::Line,
        5 | 15 | 25 | 31 => GeometryKind::Polygon,
        _ => GeometryKind::Mixed,
    }
}

fn valid_type(t: i32) -> bool {
    matches!(
        t,
        0 | 1 | 3 | 5 | 8 | 11 | 13 | 15 | 18 | 21 | 23 | 25 | 28 | 31
    )
}

fn be_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le_f64(b: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Checks a `.shp` or `.shx` 100-byte header; returns the shape type.
pub fn read_header(path: &std::path::Path, bytes: &[u8]) -> Result<i32> {
    if bytes.len() < 100 {
        return Err(Error::malformed(
            path,
            Problem::TooShort {
                needed: 100,
                have: bytes.len() as u64,
            },
        ));
    }
    let code = be_i32(bytes, 0).unwrap_or(0);
    if code != 9994 {
        return Err(Error::malformed(path, Problem::NotShapefile { code }));
    }
    let shape_type = le_i32(bytes, 32).unwrap_or(-1);
    if !valid_type(shape_type) {
        return Err(Error::malformed(
            path,
            Problem::UnknownShapeType { shape_type },
        ));
    }
    Ok(shape_type)
}

/// Parses all records of a `.shp` held in memory.
pub fn parse(path: &std::path::Path, bytes: &[u8]) -> Result<Shapes> {
    let shape_type = read_header(path, bytes)?;
    // The header's file length (in 16-bit words) may disagree with the real size; the
    // real size bounds everything, trailing bytes past the declared length are skipped.
    let declared = (be_i32(bytes, 24).unwrap_or(0).max(0) as u64).saturating_mul(2);
    if declared > bytes.len() as u64 {
        // The header says the file is longer than it is: cut off (a truncated upload).
        return Err(Error::malformed(
            path,
            Problem::TooShort {
                needed: declared,
                have: bytes.len() as u64,
            },
        ));
    }
    let end = if declared >= 100 {
        declared as usize
    } else {
        bytes.len()
    };
    // A point record takes 28 bytes: room for all of them at once (no regrowing of millions
    // of points); other shapes grow as they come.
    let points = if shape_type == 1 { (end - 100) / 28 } else { 0 };
    let mut out = Shapes {
        shape_type,
        geometries: Vec::with_capacity(points),
        defects: Vec::new(),
        skipped_bytes: (bytes.len() - end) as u64,
        offsets: Vec::new(),
    };
    let mut pos = 100usize;
    let bar = progress::reading(path, end as u64);
    while pos < end {
        if out.geometries.len() % progress::RECORDS == 0 {
            bar.set(pos as u64);
        }
        if end - pos < 12 {
            out.skipped_bytes += (end - pos) as u64;
            break;
        }
        match record_at(bytes, pos, end, shape_type) {
            Some(len) => {
                let record = out.geometries.len();
                let content = &bytes[pos + 8..pos + 8 + len];
                let geometry = parse_content(content, shape_type, record, &mut out.defects)
                    .map_err(|reason| {
                        Error::malformed(
                            path,
                            Problem::BadRecord {
                                record: record + 1,
                                offset: pos as u64,
                                reason,
                            },
                        )
                    })?;
                out.offsets.push((pos / 2) as u32);
                out.geometries.push(geometry);
                pos += 8 + len;
            }
            None => {
                let expected = out.geometries.len() as i32 + 1;
                if past_end(bytes, pos, end, expected, shape_type) {
                    // The next record's own header says it runs past the end: cut off.
                    return Err(cut_off(path, out.geometries.len() + 1, pos));
                }
                // Garbage where a record header should be: look for the next plausible one.
                let next = (pos + 1..end.saturating_sub(11)).find(|&p| {
                    be_i32(bytes, p) == Some(expected)
                        && record_at(bytes, p, end, shape_type).is_some()
                });
                match next {
                    Some(p) => {
                        out.skipped_bytes += (p - pos) as u64;
                        pos = p;
                    }
                    None if out.geometries.is_empty() || pos + 8 > end => {
                        return Err(cut_off(path, out.geometries.len() + 1, pos));
                    }
                    None => {
                        out.skipped_bytes += (end - pos) as u64;
                        break;
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Record `record` at byte `pos` runs past the end of the file.
fn cut_off(path: &std::path::Path, record: usize, pos: usize) -> Error {
    Error::malformed(
        path,
        Problem::BadRecord {
            record,
            offset: pos as u64,
            reason: RecordFault::PastEnd,
        },
    )
}

/// Whether the header of record `number` starts at `pos` (its number and shape type are
/// right) but claims more bytes than are left before `end`.
fn past_end(bytes: &[u8], pos: usize, end: usize, number: i32, file_type: i32) -> bool {
    let (Some(n), Some(words), Some(t)) = (
        be_i32(bytes, pos),
        be_i32(bytes, pos + 4),
        le_i32(bytes, pos + 8),
    ) else {
        return false;
    };
    n == number && words >= 2 && (t == 0 || t == file_type) && pos + 8 + words as usize * 2 > end
}

/// If a plausible record header starts at `pos`, the content length in bytes.
fn record_at(bytes: &[u8], pos: usize, end: usize, file_type: i32) -> Option<usize> {
    let words = be_i32(bytes, pos + 4)?;
    if words < 2 {
        return None;
    }
    let len = words as usize * 2;
    if pos + 8 + len > end {
        return None;
    }
    let t = le_i32(bytes, pos + 8)?;
    if t != 0 && t != file_type {
        return None;
    }
    Some(len)
}

struct Cursor<'a> {
    b: &'a [u8],
}

impl Cursor<'_> {
    fn i32(&self, at: usize) -> std::result::Result<i32, RecordFault> {
        le_i32(self.b, at).ok_or(RecordFault::TooShortForCounts)
    }
    fn f64(&self, at: usize) -> std::result::Result<f64, RecordFault> {
        le_f64(self.b, at).ok_or(RecordFault::TooShortForCounts)
    }
    fn coord(&self, at: usize) -> std::result::Result<Coord, RecordFault> {
        Ok(Coord {
            x: self.f64(at)?,
            y: self.f64(at + 8)?,
        })
    }
}

/// Part starts, part types (MultiPatch only) and points of a poly record.
type PolyParts = (Vec<usize>, Vec<i32>, Vec<Coord>);

/// Parses the parts and points of a poly record (after its bounding box).
fn parts_and_points(
    c: &Cursor,
    with_part_types: bool,
) -> std::result::Result<PolyParts, RecordFault> {
    let num_parts = c.i32(36)?;
    let num_points = c.i32(40)?;
    if num_parts < 0 || num_points < 0 {
        return Err(RecordFault::BadCount);
    }
    let (np, npt) = (num_parts as usize, num_points as usize);
    let types_len = if with_part_types { 4 * np } else { 0 };
    let points_at = 44 + 4 * np + types_len;
    let needed = points_at as u64 + 16 * npt as u64;
    if needed > c.b.len() as u64 {
        return Err(RecordFault::TooShortForCounts);
    }
    let mut parts = Vec::with_capacity(np);
    for i in 0..np {
        let start = c.i32(44 + 4 * i)?;
        if start < 0 || start as usize > npt || parts.last().is_some_and(|&p| p > start as usize) {
            return Err(RecordFault::BadPartIndex);
        }
        parts.push(start as usize);
    }
    let mut part_types = Vec::new();
    if with_part_types {
        for i in 0..np {
            part_types.push(c.i32(44 + 4 * np + 4 * i)?);
        }
    }
    let mut points = Vec::with_capacity(npt);
    for i in 0..npt {
        points.push(c.coord(points_at + 16 * i)?);
    }
    Ok((parts, part_types, points))
}

/// The points of each part: `parts` holds the part starts, in order.
fn part_ranges<'p>(
    parts: &'p [usize],
    points: usize,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'p {
    parts
        .iter()
        .enumerate()
        .map(move |(i, &start)| start..parts.get(i + 1).copied().unwrap_or(points))
}

fn split_parts(parts: &[usize], points: &[Coord]) -> Vec<Vec<Coord>> {
    part_ranges(parts, points.len())
        .map(|r| points[r].to_vec())
        .collect()
}

/// The most rings that cannot enclose an area kept in a record's polygon, as many as the
/// defects of each kind kept ([`MAX_DEFECTS_A_FEATURE`]): a record of millions of empty or
/// broken parts (4 bytes each in the file) would otherwise hold a ring, a defect and later a
/// finding for each.
const MAX_BROKEN_RINGS: usize = MAX_DEFECTS_A_FEATURE;

/// The defects of one record, the first of each kind kept ([`DefectCount`]), and the broken
/// rings kept in its polygon.
struct RecordDefects<'a> {
    record: usize,
    out: &'a mut Vec<(usize, RawDefect)>,
    kept: DefectCount,
    /// Rings that cannot enclose an area kept in the polygon.
    broken_rings: usize,
}

impl RecordDefects<'_> {
    fn push(&mut self, d: RawDefect) {
        if self.kept.admit(&d) {
            self.out.push((self.record, d));
        }
    }

    /// Whether one more ring that cannot enclose an area stays in the polygon.
    fn keep_broken_ring(&mut self) -> bool {
        self.broken_rings += 1;
        self.broken_rings <= MAX_BROKEN_RINGS
    }
}

fn parse_content(
    content: &[u8],
    file_type: i32,
    record: usize,
    defects: &mut Vec<(usize, RawDefect)>,
) -> std::result::Result<Option<Geometry>, RecordFault> {
    let mut defects = RecordDefects {
        record,
        out: defects,
        kept: DefectCount::default(),
        broken_rings: 0,
    };
    let c = Cursor { b: content };
    let t = c.i32(0)?;
    if t == 0 {
        return Ok(None);
    }
    if t != file_type {
        return Err(RecordFault::TypeMismatch);
    }
    let geometry = match t {
        1 | 11 | 21 => {
            let p = c.coord(4)?;
            if !p.x.is_finite() || !p.y.is_finite() {
                defects.push(RawDefect::NonFiniteCoordinate { part: 0 });
            }
            Geometry::Point(Point(p))
        }
        8 | 18 | 28 => {
            let n = c.i32(36)?;
            if n < 0 {
                return Err(RecordFault::BadCount);
            }
            let n = n as usize;
            if 40 + 16 * n as u64 as usize > content.len() {
                return Err(RecordFault::TooShortForCounts);
            }
            let mut pts = Vec::with_capacity(n);
            for i in 0..n {
                let p = c.coord(40 + 16 * i)?;
                if !p.x.is_finite() || !p.y.is_finite() {
                    defects.push(RawDefect::NonFiniteCoordinate { part: i });
                }
                pts.push(Point(p));
            }
            Geometry::MultiPoint(MultiPoint(pts))
        }
        3 | 13 | 23 => {
            let (parts, _, points) = parts_and_points(&c, false)?;
            let lines = split_parts(&parts, &points);
            for (i, l) in lines.iter().enumerate() {
                if l.len() < 2 {
                    defects.push(RawDefect::TooFewPoints {
                        part: i,
                        points: l.len(),
                    });
                }
                if l.iter().any(|p| !p.x.is_finite() || !p.y.is_finite()) {
                    defects.push(RawDefect::NonFiniteCoordinate { part: i });
                }
            }
            let mut lines: Vec<LineString> = lines.into_iter().map(LineString::new).collect();
            if lines.len() == 1 {
                Geometry::LineString(lines.remove(0))
            } else {
                Geometry::MultiLineString(MultiLineString(lines))
            }
        }
        5 | 15 | 25 => {
            let (parts, _, points) = parts_and_points(&c, false)?;
            // Each part checked where it lies; those kept (check_ring) copied out.
            let rings: Vec<Vec<Coord>> = part_ranges(&parts, points.len())
                .enumerate()
                .filter_map(|(i, r)| {
                    check_ring(i, &points[r.clone()], &mut defects).then(|| points[r].to_vec())
                })
                .collect();
            Geometry::MultiPolygon(assemble_polygons(rings)?)
        }
        31 => {
            let (parts, types, points) = parts_and_points(&c, true)?;
            let pieces = split_parts(&parts, &points);
            let mut rings = Vec::new();
            for (piece, kind) in pieces.into_iter().zip(types) {
                match kind {
                    // Triangle strip and fan: each triangle is a ring.
                    0 => {
                        for w in piece.windows(3) {
                            rings.push(vec![w[0], w[1], w[2], w[0]]);
                        }
                    }
                    1 => {
                        if let Some(&first) = piece.first() {
                            for w in piece[1..].windows(2) {
                                rings.push(vec![first, w[0], w[1], first]);
                            }
                        }
                    }
                    _ => rings.push(piece),
                }
            }
            let mut i = 0;
            rings.retain(|r| {
                i += 1;
                check_ring(i - 1, r, &mut defects)
            });
            Geometry::MultiPolygon(assemble_polygons(rings)?)
        }
        _ => return Err(RecordFault::TypeMismatch),
    };
    Ok(Some(geometry))
}

/// Checks ring `i` of a record: non-finite coordinates, not closed, too few points (each a
/// defect), and says whether it stays in the polygon. A ring that can enclose an area stays;
/// an empty one goes (it holds nothing: the validity check passes it over); of the others
/// (too few points, a coordinate not finite) the first [`MAX_BROKEN_RINGS`] stay, each a
/// shell of its own, so that every check reading the polygon finds it invalid, as GDAL
/// reads it; the rest go.
fn check_ring(i: usize, r: &[Coord], defects: &mut RecordDefects) -> bool {
    let finite = r.iter().all(|p| p.x.is_finite() && p.y.is_finite());
    if !finite {
        defects.push(RawDefect::NonFiniteCoordinate { part: i });
    }
    if let (Some(first), Some(last)) = (r.first(), r.last()) {
        if r.len() > 1 && first != last {
            defects.push(RawDefect::RingNotClosed {
                ring: i,
                at: [first.x, first.y],
            });
        }
    }
    let closed_len = if r.first() == r.last() {
        r.len()
    } else {
        r.len() + 1
    };
    if closed_len < 4 {
        defects.push(RawDefect::TooFewPoints {
            part: i,
            points: r.len(),
        });
    }
    if finite && closed_len >= 4 {
        return true;
    }
    !r.is_empty() && defects.keep_broken_ring()
}
