//! GeoJSON layers (RFC 7946, and the GeoJSON 2008 `crs` member Chinese exporters still write).

use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use geojson::{GeoJson, GeometryValue, Position};
use serde_json::Value;

use super::crs::{Crs, CrsSource};
use super::layer::{DefectCount, FieldDef, FieldKind, GeometryKind, Layer, RawDefect, TextColumn};
use crate::error::{Error, Problem, Result};

/// Reads a GeoJSON file: a FeatureCollection, a single Feature, or a bare Geometry.
pub fn read(path: &Path) -> Result<Layer> {
    crate::io::atomic::note_input(path);
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let value: Value = serde_json::from_slice(text).map_err(|e| {
        Error::malformed(
            path,
            Problem::Json {
                message: e.to_string(),
            },
        )
    })?;
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !matches!(
        kind.as_str(),
        "FeatureCollection"
            | "Feature"
            | "Point"
            | "MultiPoint"
            | "LineString"
            | "MultiLineString"
            | "Polygon"
            | "MultiPolygon"
            | "GeometryCollection"
    ) {
        let found = if kind.is_empty() {
            json_kind(&value).to_string()
        } else {
            kind
        };
        return Err(Error::malformed(path, Problem::NotGeoJson { found }));
    }
    let crs = crs_member(&value);
    let doc: GeoJson = serde_json::from_value(value).map_err(|e| {
        Error::malformed(
            path,
            Problem::Json {
                message: e.to_string(),
            },
        )
    })?;
    let features = match doc {
        GeoJson::FeatureCollection(fc) => fc.features,
        GeoJson::Feature(f) => vec![f],
        GeoJson::Geometry(g) => vec![geojson::Feature {
            geometry: Some(g),
            ..Default::default()
        }],
    };
    build_layer(path, features, crs, bytes.len())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The CRS of a GeoJSON document: its `crs` member, else WGS 84 (RFC 7946).
fn crs_member(doc: &Value) -> Crs {
    let Some(crs) = doc.get("crs") else {
        return Crs::rfc7946();
    };
    let props = crs.get("properties");
    let text = match crs.get("type").and_then(Value::as_str) {
        Some("name") => props
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string),
        Some("EPSG") | Some("epsg") => props.and_then(|p| p.get("code")).map(|c| {
            format!(
                "EPSG:{}",
                c.as_str().map_or_else(|| c.to_string(), str::to_string)
            )
        }),
        _ => None,
    };
    Crs::parse(
        &text.unwrap_or_else(|| crs.to_string()),
        CrsSource::GeoJsonMember,
    )
}

fn build_layer(
    path: &Path,
    features: Vec<geojson::Feature>,
    crs: Crs,
    file_len: usize,
) -> Result<Layer> {
    // Fields: the union of property names in first-seen order.
    let mut fields: Vec<FieldDef> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let has_id_property = features.iter().any(|f| {
        f.properties
            .as_ref()
            .is_some_and(|p| p.keys().any(|k| k.eq_ignore_ascii_case("id")))
    });
    let use_feature_id = !has_id_property && features.iter().any(|f| f.id.is_some());
    if use_feature_id {
        index.insert("id".to_string(), 0);
        fields.push(FieldDef {
            name: "id".to_string(),
            kind: FieldKind::Text,
        });
    }
    // A field's kind is that of its non-null values; values of several kinds make it Other.
    let mut seen_value: Vec<bool> = vec![use_feature_id; fields.len()];
    for f in &features {
        if let Some(props) = &f.properties {
            for (k, v) in props {
                let kind = match v {
                    Value::String(_) | Value::Null => FieldKind::Text,
                    Value::Number(_) => FieldKind::Number,
                    Value::Bool(_) => FieldKind::Boolean,
                    _ => FieldKind::Other,
                };
                let i = match index.get(k) {
                    Some(&i) => i,
                    None => {
                        index.insert(k.clone(), fields.len());
                        fields.push(FieldDef {
                            name: k.clone(),
                            kind,
                        });
                        seen_value.push(false);
                        fields.len() - 1
                    }
                };
                if v.is_null() {
                    continue;
                }
                if !seen_value[i] {
                    fields[i].kind = kind;
                    seen_value[i] = true;
                } else if fields[i].kind != kind {
                    fields[i].kind = FieldKind::Other;
                }
            }
        }
    }
    // Every feature takes a cell in every column, so a file whose first feature names a
    // million properties and whose other features name none would be a table of a million
    // squared cells. A real table has a few cells per byte of its file.
    let cells = fields.len().saturating_mul(features.len());
    if cells > super::layer::cells_allowed(file_len) {
        return Err(Error::malformed(
            path,
            Problem::TooManyCells {
                fields: fields.len(),
                rows: features.len(),
            },
        ));
    }
    let mut columns: Vec<TextColumn> = fields
        .iter()
        .map(|_| TextColumn::with_capacity(features.len()))
        .collect();
    let mut geometries = Vec::with_capacity(features.len());
    let mut defects = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    let mut has_z = false;
    for (row, f) in features.into_iter().enumerate() {
        let mut values: Vec<Option<String>> = vec![None; fields.len()];
        if use_feature_id {
            values[0] = f.id.as_ref().map(|id| match id {
                geojson::feature::Id::String(s) => s.clone(),
                geojson::feature::Id::Number(n) => n.to_string(),
            });
        }
        if let Some(props) = &f.properties {
            for (k, v) in props {
                if let Some(&i) = index.get(k) {
                    values[i] = match v {
                        Value::Null => None,
                        Value::String(s) => Some(s.clone()),
                        Value::Bool(b) => Some(b.to_string()),
                        Value::Number(n) => Some(n.to_string()),
                        other => Some(other.to_string()),
                    };
                }
            }
        }
        for (i, v) in values.iter().enumerate() {
            if !columns[i].push(v.as_deref()) {
                return Err(Error::malformed(
                    path,
                    Problem::ColumnTooLarge {
                        field: fields[i].name.clone(),
                    },
                ));
            }
        }
        let geometry = match &f.geometry {
            None => None,
            Some(g) => {
                let mut conv = Converter {
                    defects: Vec::new(),
                    kept: DefectCount::default(),
                    has_z: false,
                };
                let geom = conv.geometry(&g.value).map_err(|message| {
                    Error::malformed(
                        path,
                        Problem::BadGeoJsonGeometry {
                            feature: row,
                            message,
                        },
                    )
                })?;
                has_z |= conv.has_z;
                defects.extend(conv.defects.into_iter().map(|d| (row, d)));
                kinds.insert(GeometryKind::of(&geom));
                Some(geom)
            }
        };
        geometries.push(geometry);
    }
    let geometry_kind = match kinds.len() {
        0 => GeometryKind::None,
        1 => kinds.into_iter().next().unwrap_or(GeometryKind::None),
        _ => GeometryKind::Mixed,
    };
    Ok(Layer {
        source: path.to_path_buf(),
        geometry_kind,
        has_z_or_m: has_z,
        fields,
        columns,
        geometries,
        defects,
        crs: Some(crs),
        encoding: Some("UTF-8".to_string()),
        notes: Vec::new(),
    })
}

struct Converter {
    defects: Vec<RawDefect>,
    kept: DefectCount,
    has_z: bool,
}

impl Converter {
    /// Keeps `d`, up to [`super::layer::MAX_DEFECTS_A_FEATURE`] of its kind.
    fn defect(&mut self, d: RawDefect) {
        if self.kept.admit(&d) {
            self.defects.push(d);
        }
    }

    fn coord(&mut self, p: &Position, part: usize) -> std::result::Result<Coord, String> {
        let s = p.as_slice();
        if s.len() < 2 {
            return Err(format!(
                "a position has {} coordinate(s), at least 2 are needed",
                s.len()
            ));
        }
        if s.len() > 2 {
            self.has_z = true;
        }
        if !s[0].is_finite() || !s[1].is_finite() {
            self.defect(RawDefect::NonFiniteCoordinate { part });
        }
        Ok(Coord { x: s[0], y: s[1] })
    }

    fn line(&mut self, ps: &[Position], part: usize) -> std::result::Result<LineString, String> {
        let coords = ps
            .iter()
            .map(|p| self.coord(p, part))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if coords.len() < 2 {
            self.defect(RawDefect::TooFewPoints {
                part,
                points: coords.len(),
            });
        }
        Ok(LineString::new(coords))
    }

    fn ring(&mut self, ps: &[Position], ring: usize) -> std::result::Result<LineString, String> {
        let coords = ps
            .iter()
            .map(|p| self.coord(p, ring))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if let (Some(first), Some(last)) = (coords.first(), coords.last()) {
            if coords.len() > 1 && first != last {
                self.defect(RawDefect::RingNotClosed {
                    ring,
                    at: [first.x, first.y],
                });
            }
        }
        let closed = coords.len() + usize::from(coords.first() != coords.last());
        if closed < 4 {
            self.defect(RawDefect::TooFewPoints {
                part: ring,
                points: coords.len(),
            });
        }
        Ok(LineString::new(coords))
    }

    fn polygon(
        &mut self,
        rings: &[Vec<Position>],
        first_ring: usize,
    ) -> std::result::Result<Polygon, String> {
        let mut out = Vec::with_capacity(rings.len());
        for (i, r) in rings.iter().enumerate() {
            out.push(self.ring(r, first_ring + i)?);
        }
        if out.is_empty() {
            return Ok(Polygon::new(LineString::new(vec![]), vec![]));
        }
        let exterior = out.remove(0);
        Ok(Polygon::new(exterior, out))
    }

    fn geometry(&mut self, g: &GeometryValue) -> std::result::Result<Geometry, String> {
        Ok(match g {
            GeometryValue::Point { coordinates } => {
                Geometry::Point(Point(self.coord(coordinates, 0)?))
            }
            GeometryValue::MultiPoint { coordinates } => Geometry::MultiPoint(MultiPoint(
                coordinates
                    .iter()
                    .enumerate()
                    .map(|(i, p)| self.coord(p, i).map(Point))
                    .collect::<std::result::Result<_, _>>()?,
            )),
            GeometryValue::LineString { coordinates } => {
                Geometry::LineString(self.line(coordinates, 0)?)
            }
            GeometryValue::MultiLineString { coordinates } => {
                Geometry::MultiLineString(MultiLineString(
                    coordinates
                        .iter()
                        .enumerate()
                        .map(|(i, l)| self.line(l, i))
                        .collect::<std::result::Result<_, _>>()?,
                ))
            }
            GeometryValue::Polygon { coordinates } => {
                Geometry::Polygon(self.polygon(coordinates, 0)?)
            }
            GeometryValue::MultiPolygon { coordinates } => {
                let mut polys = Vec::with_capacity(coordinates.len());
                let mut ring = 0;
                for p in coordinates {
                    polys.push(self.polygon(p, ring)?);
                    ring += p.len();
                }
                Geometry::MultiPolygon(MultiPolygon(polys))
            }
            GeometryValue::GeometryCollection { geometries } => {
                Geometry::GeometryCollection(geo::GeometryCollection(
                    geometries
                        .iter()
                        .map(|g| self.geometry(&g.value))
                        .collect::<std::result::Result<_, _>>()?,
                ))
            }
        })
    }
}
