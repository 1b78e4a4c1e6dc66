//! Writing layers: Shapefile (with `.shx`, `.dbf` in a chosen encoding, `.prj`, `.cpg`) and
//! GeoJSON. Every file is written whole or not at all ([`super::atomic`]); the bytes depend
//! only on the layer, so the same layer always gives the same files.

use std::io::Write;
use std::path::Path;

use encoding_rs::{Encoding, GBK, UTF_8};
use geo::{Coord, Geometry, LineString, Polygon};
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::atomic;
use super::layer::{FieldKind, GeometryKind, Layer};
use crate::error::{Error, Problem, Result};

/// Options of the shapefile writer.
#[derive(Debug, Clone)]
pub struct ShapefileOptions<'a> {
    /// The DBF text encoding (named in the `.cpg` and the language-driver byte).
    pub encoding: &'static Encoding,
    /// WKT for the `.prj`, if any.
    pub prj: Option<&'a str>,
    /// The "last update" date stored in the DBF header `(year, month, day)`; fixed so
    /// that output does not depend on the clock.
    pub stamp: (i32, u32, u32),
}

fn signed_area2(r: &[Coord]) -> f64 {
    let mut s = 0.0;
    for w in r.windows(2) {
        s += w[0].x * w[1].y - w[1].x * w[0].y;
    }
    s
}

/// A ring closed and turned the way ESRI wants: outer rings clockwise, holes counter-clockwise.
fn esri_ring(ring: &LineString, outer: bool) -> Vec<Coord> {
    let mut pts: Vec<Coord> = ring.0.clone();
    if pts.first() != pts.last() {
        if let Some(&f) = pts.first() {
            pts.push(f);
        }
    }
    let ccw = signed_area2(&pts) > 0.0;
    if ccw == outer {
        pts.reverse();
    }
    pts
}

fn polygon_rings(p: &Polygon, out: &mut Vec<Vec<Coord>>) {
    out.push(esri_ring(p.exterior(), true));
    for h in p.interiors() {
        out.push(esri_ring(h, false));
    }
}

/// The shapefile shape type for a layer.
fn shape_type(layer: &Layer) -> Result<i32> {
    Ok(match layer.geometry_kind {
        GeometryKind::Point => {
            if layer
                .geometries
                .iter()
                .flatten()
                .any(|g| matches!(g, Geometry::MultiPoint(_)))
            {
                8
            } else {
                1
            }
        }
        GeometryKind::Line => 3,
        GeometryKind::Polygon => 5,
        GeometryKind::None => 0,
        GeometryKind::Mixed => {
            return Err(Error::Usage {
                problem: Problem::BadValue {
                    key: "geometry".to_string(),
                    value: "mixed".to_string(),
                    expected: crate::error::Expected::OneOf(vec![
                        "point".into(),
                        "line".into(),
                        "polygon".into(),
                    ]),
                },
            })
        }
    })
}

/// Encodes one record's content (after the 8-byte record header).
fn record_content(g: Option<&Geometry>, file_type: i32, buf: &mut Vec<u8>) -> [f64; 4] {
    buf.clear();
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut grow = |c: &Coord| {
        bbox = [
            bbox[0].min(c.x),
            bbox[1].min(c.y),
            bbox[2].max(c.x),
            bbox[3].max(c.y),
        ];
    };
    let Some(g) = g else {
        buf.extend_from_slice(&0i32.to_le_bytes());
        return bbox;
    };
    let mut parts: Vec<Vec<Coord>> = Vec::new();
    let mut points: Vec<Coord> = Vec::new();
    match g {
        Geometry::Point(p) => points.push(p.0),
        Geometry::MultiPoint(mp) => points.extend(mp.0.iter().map(|p| p.0)),
        Geometry::LineString(l) => parts.push(l.0.clone()),
        Geometry::MultiLineString(ml) => parts.extend(ml.0.iter().map(|l| l.0.clone())),
        Geometry::Polygon(p) => polygon_rings(p, &mut parts),
        Geometry::MultiPolygon(mp) => mp.0.iter().for_each(|p| polygon_rings(p, &mut parts)),
        Geometry::Rect(r) => polygon_rings(&r.to_polygon(), &mut parts),
        Geometry::Triangle(t) => polygon_rings(&t.to_polygon(), &mut parts),
        Geometry::Line(l) => parts.push(vec![l.start, l.end]),
        Geometry::GeometryCollection(_) => {}
    }
    buf.extend_from_slice(&file_type.to_le_bytes());
    match file_type {
        1 => {
            let p = points.first().copied().unwrap_or(Coord { x: 0.0, y: 0.0 });
            grow(&p);
            buf.extend_from_slice(&p.x.to_le_bytes());
            buf.extend_from_slice(&p.y.to_le_bytes());
        }
        8 => {
            points.iter().for_each(&mut grow);
            for v in bbox {
                buf.extend_from_slice(&v.to_le_bytes());
            }
            buf.extend_from_slice(&(points.len() as i32).to_le_bytes());
            for p in &points {
                buf.extend_from_slice(&p.x.to_le_bytes());
                buf.extend_from_slice(&p.y.to_le_bytes());
            }
        }
        _ => {
            parts.iter().flatten().for_each(&mut grow);
            for v in bbox {
                buf.extend_from_slice(&v.to_le_bytes());
            }
            let total: usize = parts.iter().map(Vec::len).sum();
            buf.extend_from_slice(&(parts.len() as i32).to_le_bytes());
            buf.extend_from_slice(&(total as i32).to_le_bytes());
            let mut start = 0i32;
            for p in &parts {
                buf.extend_from_slice(&start.to_le_bytes());
                start += p.len() as i32;
            }
            for p in parts.iter().flatten() {
                buf.extend_from_slice(&p.x.to_le_bytes());
                buf.extend_from_slice(&p.y.to_le_bytes());
            }
        }
    }
    bbox
}

fn main_header(file_type: i32, words: u64, bbox: [f64; 4]) -> Vec<u8> {
    let mut h = Vec::with_capacity(100);
    h.extend_from_slice(&9994i32.to_be_bytes());
    h.extend_from_slice(&[0u8; 20]);
    h.extend_from_slice(&(words.min(i32::MAX as u64) as i32).to_be_bytes());
    h.extend_from_slice(&1000i32.to_le_bytes());
    h.extend_from_slice(&file_type.to_le_bytes());
    let bbox = if bbox[0].is_finite() { bbox } else { [0.0; 4] };
    for v in bbox {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&[0u8; 32]);
    h
}

/// Writes `layer` as a shapefile at `path` (the `.shp`; siblings beside it).
pub fn write_shapefile(layer: &Layer, path: &Path, options: &ShapefileOptions) -> Result<()> {
    let file_type = shape_type(layer)?;
    if file_type != 0 {
        // Two passes over the geometries: the first gives the file length and bounding box
        // the header needs, the second streams the records.
        let mut buf = Vec::new();
        let mut total = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut words: u64 = 50;
        for g in &layer.geometries {
            let b = record_content(g.as_ref(), file_type, &mut buf);
            total = [
                total[0].min(b[0]),
                total[1].min(b[1]),
                total[2].max(b[2]),
                total[3].max(b[3]),
            ];
            words += 4 + buf.len() as u64 / 2;
        }
        atomic::write_with(path, |w| {
            w.write_all(&main_header(file_type, words, total))?;
            for (i, g) in layer.geometries.iter().enumerate() {
                record_content(g.as_ref(), file_type, &mut buf);
                w.write_all(&(i as i32 + 1).to_be_bytes())?;
                w.write_all(&((buf.len() / 2) as i32).to_be_bytes())?;
                w.write_all(&buf)?;
            }
            Ok(())
        })?;
        let shx_words = 50 + 4 * layer.geometries.len() as u64;
        atomic::write_with(&path.with_extension("shx"), |w| {
            w.write_all(&main_header(file_type, shx_words, total))?;
            let mut offset: u64 = 50;
            for g in &layer.geometries {
                record_content(g.as_ref(), file_type, &mut buf);
                let len = buf.len() as u64 / 2;
                w.write_all(&(offset as i32).to_be_bytes())?;
                w.write_all(&(len as i32).to_be_bytes())?;
                offset += 4 + len;
            }
            Ok(())
        })?;
    }
    write_dbf(layer, &path.with_extension("dbf"), options)?;
    let label = if options.encoding == GBK {
        "GBK"
    } else if options.encoding == UTF_8 {
        "UTF-8"
    } else {
        options.encoding.name()
    };
    atomic::write_bytes(&path.with_extension("cpg"), label.as_bytes())?;
    if let Some(prj) = options.prj {
        atomic::write_bytes(&path.with_extension("prj"), prj.as_bytes())?;
    }
    Ok(())
}

struct OutField {
    name: Vec<u8>,
    kind: u8,
    width: usize,
    decimals: usize,
}

fn encode<'a>(enc: &'static Encoding, s: &'a str) -> std::borrow::Cow<'a, [u8]> {
    if enc == UTF_8 {
        std::borrow::Cow::Borrowed(s.as_bytes())
    } else {
        enc.encode(s).0
    }
}

/// Encodes text for a DBF, remembering the encoding of repeated non-ASCII values (names of
/// streets, owners and classes repeat millions of times in a city's components).
struct TextEncoder {
    encoding: &'static Encoding,
    cache: std::collections::HashMap<String, Vec<u8>>,
}

impl TextEncoder {
    const CACHE_LIMIT: usize = 100_000;

    fn new(encoding: &'static Encoding) -> TextEncoder {
        TextEncoder {
            encoding,
            cache: std::collections::HashMap::new(),
        }
    }

    fn bytes<'a>(&'a mut self, v: &'a str) -> std::borrow::Cow<'a, [u8]> {
        if v.is_ascii() || self.encoding == UTF_8 {
            return std::borrow::Cow::Borrowed(v.as_bytes());
        }
        if !self.cache.contains_key(v) {
            let encoded = encode(self.encoding, v).into_owned();
            if self.cache.len() >= Self::CACHE_LIMIT {
                return std::borrow::Cow::Owned(encoded);
            }
            self.cache.insert(v.to_string(), encoded);
        }
        match self.cache.get(v) {
            Some(b) => std::borrow::Cow::Borrowed(b.as_slice()),
            None => encode(self.encoding, v),
        }
    }

    /// The encoded value cut to at most `width` bytes without splitting a character.
    fn fitted(&mut self, v: &str, width: usize) -> Vec<u8> {
        let b = self.bytes(v);
        if b.len() <= width {
            return b.into_owned();
        }
        let mut end = v.len();
        loop {
            end = v[..end].char_indices().last().map_or(0, |(i, _)| i);
            let b = encode(self.encoding, &v[..end]);
            if b.len() <= width || end == 0 {
                return b.into_owned();
            }
        }
    }
}

fn dbf_fields(layer: &Layer, coder: &mut TextEncoder) -> Result<Vec<OutField>> {
    let enc = coder.encoding;
    let mut out = Vec::with_capacity(layer.fields.len());
    for (i, f) in layer.fields.iter().enumerate() {
        let name = encode(enc, &f.name).into_owned();
        if name.is_empty() || name.len() > 10 {
            return Err(Error::Usage {
                problem: Problem::BadValue {
                    key: "field".to_string(),
                    value: f.name.clone(),
                    expected: crate::error::Expected::NonEmpty,
                },
            });
        }
        let col = &layer.columns[i];
        let values = (0..layer.len()).filter_map(|r| col.get(r));
        let (kind, width, decimals) = match f.kind {
            FieldKind::Number => {
                let (mut w, mut d) = (1, 0);
                for v in values {
                    w = w.max(v.len());
                    d = d.max(v.split_once('.').map_or(0, |(_, frac)| frac.len()));
                }
                (b'N', w.min(20), d.min(15))
            }
            FieldKind::Date => (b'D', 8, 0),
            FieldKind::Boolean => (b'L', 1, 0),
            _ => {
                let w = values
                    .map(|v| coder.bytes(v).len())
                    .max()
                    .unwrap_or(1)
                    .max(1);
                (b'C', w.min(254), 0)
            }
        };
        out.push(OutField {
            name,
            kind,
            width,
            decimals,
        });
    }
    Ok(out)
}

fn write_dbf(layer: &Layer, path: &Path, options: &ShapefileOptions) -> Result<()> {
    let enc = options.encoding;
    let mut coder = TextEncoder::new(enc);
    let fields = dbf_fields(layer, &mut coder)?;
    let record_len: usize = 1 + fields.iter().map(|f| f.width).sum::<usize>();
    let header_len = 32 + 32 * fields.len() + 1;
    if record_len > u16::MAX as usize || header_len > u16::MAX as usize {
        return Err(Error::malformed(
            path,
            Problem::BadDbfHeader {
                reason: crate::error::DbfFault::RecordLength,
            },
        ));
    }
    let (y, m, d) = options.stamp;
    atomic::write_with(path, |w| {
        let mut h = vec![0u8; 32];
        h[0] = 0x03;
        h[1] = (y - 1900).clamp(0, 255) as u8;
        h[2] = m as u8;
        h[3] = d as u8;
        h[4..8].copy_from_slice(&(layer.len() as u32).to_le_bytes());
        h[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
        h[10..12].copy_from_slice(&(record_len as u16).to_le_bytes());
        h[29] = if enc == GBK { 0x4D } else { 0x00 };
        w.write_all(&h)?;
        for f in &fields {
            let mut d = [0u8; 32];
            d[..f.name.len()].copy_from_slice(&f.name);
            d[11] = f.kind;
            d[16] = f.width as u8;
            d[17] = f.decimals as u8;
            w.write_all(&d)?;
        }
        w.write_all(&[0x0D])?;
        let mut rec = Vec::with_capacity(record_len);
        for row in 0..layer.len() {
            rec.clear();
            rec.push(b' ');
            for (i, f) in fields.iter().enumerate() {
                let v = layer.columns[i].get(row);
                let mut bytes: Vec<u8> = match (f.kind, v) {
                    (_, None) => Vec::new(),
                    (b'D', Some(v)) => v.replace('-', "").into_bytes(),
                    (b'L', Some(v)) => vec![if v == "true" { b'T' } else { b'F' }],
                    (_, Some(v)) => coder.fitted(v, f.width),
                };
                bytes.truncate(f.width);
                if f.kind == b'N' {
                    rec.extend(std::iter::repeat_n(b' ', f.width - bytes.len()));
                    rec.extend_from_slice(&bytes);
                } else {
                    rec.extend_from_slice(&bytes);
                    rec.extend(std::iter::repeat_n(b' ', f.width - bytes.len()));
                }
            }
            w.write_all(&rec)?;
        }
        w.write_all(&[0x1A])
    })
}

fn coords_json(cs: &[Coord]) -> Value {
    Value::Array(
        cs.iter()
            .map(|c| Value::Array(vec![num(c.x), num(c.y)]))
            .collect(),
    )
}

fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn polygon_json(p: &Polygon) -> Value {
    let mut rings = vec![coords_json(&p.exterior().0)];
    rings.extend(p.interiors().iter().map(|h| coords_json(&h.0)));
    Value::Array(rings)
}

/// A geometry as a GeoJSON geometry object.
pub fn geometry_json(g: &Geometry) -> Value {
    let (kind, coordinates) = match g {
        Geometry::Point(p) => ("Point", Value::Array(vec![num(p.x()), num(p.y())])),
        Geometry::MultiPoint(mp) => (
            "MultiPoint",
            Value::Array(
                mp.0.iter()
                    .map(|p| Value::Array(vec![num(p.x()), num(p.y())]))
                    .collect(),
            ),
        ),
        Geometry::LineString(l) => ("LineString", coords_json(&l.0)),
        Geometry::Line(l) => ("LineString", coords_json(&[l.start, l.end])),
        Geometry::MultiLineString(ml) => (
            "MultiLineString",
            Value::Array(ml.0.iter().map(|l| coords_json(&l.0)).collect()),
        ),
        Geometry::Polygon(p) => ("Polygon", polygon_json(p)),
        Geometry::Rect(r) => ("Polygon", polygon_json(&r.to_polygon())),
        Geometry::Triangle(t) => ("Polygon", polygon_json(&t.to_polygon())),
        Geometry::MultiPolygon(mp) => (
            "MultiPolygon",
            Value::Array(mp.0.iter().map(polygon_json).collect()),
        ),
        Geometry::GeometryCollection(gc) => {
            let mut m = Map::new();
            m.insert("type".into(), Value::String("GeometryCollection".into()));
            m.insert(
                "geometries".into(),
                Value::Array(gc.0.iter().map(geometry_json).collect()),
            );
            return Value::Object(m);
        }
    };
    let mut m = Map::new();
    m.insert("type".into(), Value::String(kind.into()));
    m.insert("coordinates".into(), coordinates);
    Value::Object(m)
}

/// A GeoJSON 2008 `crs` member naming `code` (`EPSG:4549` → `urn:ogc:def:crs:EPSG::4549`).
pub fn crs_member(code: &str) -> Value {
    let name = match code.strip_prefix("EPSG:") {
        Some(n) => format!("urn:ogc:def:crs:EPSG::{n}"),
        None => code.to_string(),
    };
    serde_json::json!({"type": "name", "properties": {"name": name}})
}

/// Writes `layer` as a GeoJSON FeatureCollection; `crs` (e.g. `EPSG:4549`) is written as a
/// GeoJSON 2008 `crs` member, as Chinese GIS software expects for projected data.
pub fn write_geojson(layer: &Layer, path: &Path, crs: Option<&str>) -> Result<()> {
    // Each field's `"name":` once; rows go to bytes in parallel, a batch at a time, and are
    // written in order: the same bytes as serialising one feature object after another.
    let keys: Vec<Vec<u8>> = layer
        .fields
        .iter()
        .map(|f| {
            let mut k = serde_json::to_vec(&f.name).unwrap_or_default();
            k.push(b':');
            k
        })
        .collect();
    let feature = |row: usize, out: &mut Vec<u8>| -> serde_json::Result<()> {
        out.extend_from_slice(b"\n{\"type\":\"Feature\",\"properties\":{");
        for (i, f) in layer.fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&keys[i]);
            match layer.columns[i].get(row) {
                None => out.extend_from_slice(b"null"),
                Some(v) => match f.kind {
                    FieldKind::Number => match v.parse::<serde_json::Number>() {
                        Ok(n) => serde_json::to_writer(&mut *out, &n)?,
                        Err(_) => serde_json::to_writer(&mut *out, v)?,
                    },
                    FieldKind::Boolean => {
                        out.extend_from_slice(if v == "true" { b"true" } else { b"false" })
                    }
                    _ => serde_json::to_writer(&mut *out, v)?,
                },
            }
        }
        out.extend_from_slice(b"},\"geometry\":");
        match layer.geometries[row].as_ref() {
            None => out.extend_from_slice(b"null"),
            Some(Geometry::Point(p)) => {
                out.extend_from_slice(b"{\"type\":\"Point\",\"coordinates\":[");
                serde_json::to_writer(&mut *out, &num(p.x()))?;
                out.push(b',');
                serde_json::to_writer(&mut *out, &num(p.y()))?;
                out.extend_from_slice(b"]}");
            }
            Some(g) => serde_json::to_writer(&mut *out, &geometry_json(g))?,
        }
        out.push(b'}');
        Ok(())
    };
    const CHUNK: usize = 4096;
    const BATCH: usize = 64 * CHUNK;
    atomic::write_with(path, |w| {
        w.write_all(b"{\"type\":\"FeatureCollection\"")?;
        if let Some(code) = crs {
            write!(w, ",\"crs\":{}", crs_member(code))?;
        }
        w.write_all(b",\"features\":[")?;
        let n = layer.len();
        let mut start = 0;
        while start < n {
            let end = (start + BATCH).min(n);
            let chunks = (start..end)
                .step_by(CHUNK)
                .collect::<Vec<usize>>()
                .par_iter()
                .map(|&from| {
                    let mut out = Vec::with_capacity(CHUNK * 256);
                    for row in from..(from + CHUNK).min(end) {
                        if row > 0 {
                            out.push(b',');
                        }
                        feature(row, &mut out)?;
                    }
                    Ok(out)
                })
                .collect::<serde_json::Result<Vec<Vec<u8>>>>()
                .map_err(std::io::Error::from)?;
            for c in &chunks {
                w.write_all(c)?;
            }
            start = end;
        }
        w.write_all(b"\n]}\n")
    })
}
