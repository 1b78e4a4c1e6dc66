//! GeoPackage outputs through GDAL (cargo feature `gdal`): the findings with a place
//! (`validate --errors-gpkg`) and the change set (`diff --out DIR --gpkg`), each as one
//! GeoPackage with a layer per kind, so the center opens one file in QGIS or ArcGIS.
//!
//! The features are those of the GeoJSON writers ([`super::geojson`]); their properties
//! become fields (numbers as integers or reals, booleans as 0/1, text as text).

use std::path::Path;

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{
    Feature, FieldDefn, FieldValue, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType,
    ToGdal,
};
use gdal::DriverManager;
use serde_json::Value;

use crate::diff::ChangeSet;
use crate::error::{Error, Problem, Result};
use crate::finding::Finding;
use crate::i18n::Lang;
use crate::model::Dataset;

/// One layer to write: its name, geometry type and GeoJSON features.
struct Out<'a> {
    name: &'a str,
    kind: OGRwkbGeometryType::Type,
    features: Vec<&'a Value>,
}

fn gdal_error(path: &Path, e: gdal::errors::GdalError) -> Error {
    Error::malformed(
        path,
        Problem::Gdal {
            message: e.to_string(),
        },
    )
}

/// The OGR type of a property from its values: integers, reals, booleans (as integers), or
/// text.
fn field_type(values: &[&Value]) -> OGRFieldType::Type {
    let present: Vec<&&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if !present.is_empty() && present.iter().all(|v| v.is_i64() || v.is_boolean()) {
        OGRFieldType::OFTInteger64
    } else if !present.is_empty() && present.iter().all(|v| v.is_number()) {
        OGRFieldType::OFTReal
    } else {
        OGRFieldType::OFTString
    }
}

fn field_value(v: &Value, t: OGRFieldType::Type) -> Option<FieldValue> {
    match (v, t) {
        (Value::Null, _) => None,
        (Value::Bool(b), _) => Some(FieldValue::Integer64Value(i64::from(*b))),
        (Value::Number(n), OGRFieldType::OFTInteger64) => {
            n.as_i64().map(FieldValue::Integer64Value)
        }
        (Value::Number(n), OGRFieldType::OFTReal) => n.as_f64().map(FieldValue::RealValue),
        (Value::String(s), _) => Some(FieldValue::StringValue(s.clone())),
        (other, _) => Some(FieldValue::StringValue(other.to_string())),
    }
}

/// A GeoJSON geometry as the layer's kind wants it (polygons and lines as multi-geometries).
fn geometry(v: &Value, kind: OGRwkbGeometryType::Type) -> Option<geo::Geometry> {
    let g: geojson::Geometry = serde_json::from_value(v.clone()).ok()?;
    let g = geo::Geometry::try_from(g).ok()?;
    Some(match (g, kind) {
        (geo::Geometry::Polygon(p), OGRwkbGeometryType::wkbMultiPolygon) => {
            geo::Geometry::MultiPolygon(geo::MultiPolygon(vec![p]))
        }
        (geo::Geometry::LineString(l), OGRwkbGeometryType::wkbMultiLineString) => {
            geo::Geometry::MultiLineString(geo::MultiLineString(vec![l]))
        }
        (g, _) => g,
    })
}

/// Writes the layers into a new GeoPackage at `path` (replacing one there), through a file
/// beside it put in place at the end ([`crate::io::atomic::put_in_place`]). Returns how many
/// features were written.
fn write(path: &Path, layers: &[Out], crs: Option<&str>) -> Result<usize> {
    // GDAL wants the .gpkg extension on the file it creates
    let tmp = crate::io::atomic::temp_path_with(path, Some("gpkg"));
    let _ = std::fs::remove_file(&tmp);
    match write_into(&tmp, path, layers, crs) {
        Ok(written) => {
            crate::io::atomic::put_in_place(&tmp, path)?;
            Ok(written)
        }
        Err(e) => {
            // a failed write leaves no half-written file behind
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The time GDAL writes into `gpkg_contents.last_change`: fixed, so that the same inputs
/// give the same bytes (GDAL would take the clock's).
const CHANGE_STAMP: &str = "2000-01-01T00:00:00.000Z";

/// Writes the layers into a new GeoPackage at `tmp`; errors name `path`.
fn write_into(tmp: &Path, path: &Path, layers: &[Out], crs: Option<&str>) -> Result<usize> {
    crate::io::gdal::quiet();
    gdal::config::set_config_option("OGR_CURRENT_DATE", CHANGE_STAMP)
        .map_err(|e| gdal_error(path, e))?;
    let driver = DriverManager::get_driver_by_name("GPKG").map_err(|e| gdal_error(path, e))?;
    let mut ds = driver
        .create_vector_only(tmp)
        .map_err(|e| gdal_error(path, e))?;
    let srs = crs.and_then(|c| {
        let mut s = SpatialRef::from_definition(c).ok()?;
        s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        Some(s)
    });
    let mut written = 0;
    let mut txn = ds.start_transaction().map_err(|e| gdal_error(path, e))?;
    for out in layers {
        let layer = txn
            .create_layer(LayerOptions {
                name: out.name,
                srs: srs.as_ref(),
                ty: out.kind,
                options: None,
            })
            .map_err(|e| gdal_error(path, e))?;
        // the fields, in the order of the first feature's properties
        let mut names: Vec<String> = Vec::new();
        for f in &out.features {
            if let Some(props) = f["properties"].as_object() {
                for k in props.keys() {
                    if !names.contains(k) {
                        names.push(k.clone());
                    }
                }
            }
        }
        let mut types = Vec::new();
        for name in &names {
            let values: Vec<&Value> = out
                .features
                .iter()
                .map(|f| &f["properties"][name])
                .collect();
            let t = field_type(&values);
            FieldDefn::new(name, t)
                .and_then(|d| d.add_to_layer(&layer))
                .map_err(|e| gdal_error(path, e))?;
            types.push(t);
        }
        for f in &out.features {
            let Some(g) = geometry(&f["geometry"], out.kind) else {
                continue;
            };
            let g = g.to_gdal().map_err(|e| gdal_error(path, e))?;
            let mut feature = Feature::new(layer.defn()).map_err(|e| gdal_error(path, e))?;
            for (i, (name, t)) in names.iter().zip(&types).enumerate() {
                if let Some(v) = field_value(&f["properties"][name], *t) {
                    feature.set_field(i, &v).map_err(|e| gdal_error(path, e))?;
                }
            }
            feature.set_geometry(g).map_err(|e| gdal_error(path, e))?;
            feature.create(&layer).map_err(|e| gdal_error(path, e))?;
            written += 1;
        }
    }
    txn.commit().map_err(|e| gdal_error(path, e))?;
    drop(ds);
    Ok(written)
}

/// The findings with a place as a GeoPackage: layers `error_points`, `error_lines` and
/// `error_polygons`, each feature with its rule, severity, layer, key, feature, field,
/// message (in `lang`) and measure. Returns how many were written.
pub fn errors(path: &Path, findings: &[Finding], crs: Option<&str>, lang: Lang) -> Result<usize> {
    let features: Vec<Value> = findings
        .iter()
        .filter_map(|f| super::geojson::feature(f, lang))
        .collect();
    let of = |types: &[&str]| -> Vec<&Value> {
        features
            .iter()
            .filter(|f| {
                f["geometry"]["type"]
                    .as_str()
                    .is_some_and(|t| types.contains(&t))
            })
            .collect()
    };
    let layers = [
        Out {
            name: "error_points",
            kind: OGRwkbGeometryType::wkbPoint,
            features: of(&["Point"]),
        },
        Out {
            name: "error_lines",
            kind: OGRwkbGeometryType::wkbMultiLineString,
            features: of(&["LineString", "MultiLineString"]),
        },
        Out {
            name: "error_polygons",
            kind: OGRwkbGeometryType::wkbMultiPolygon,
            features: of(&["Polygon", "MultiPolygon"]),
        },
    ];
    write(path, &layers, crs)
}

/// The change set as a GeoPackage: layers `grids`, `communities`, `streets` (the changed
/// polygons with relation and codes), `components` (the changed components' points with
/// their changes) and a layer per duty layer with changes (`enforcement_grids`, …), as
/// `changes.geojson` has them. Returns how many features were written.
pub fn changes(
    path: &Path,
    cs: &ChangeSet,
    old: &Dataset,
    new: &Dataset,
    crs: Option<&str>,
) -> Result<usize> {
    let features = super::geojson::change_features(cs, old, new);
    let of = |layer: &str| -> Vec<&Value> {
        features
            .iter()
            .filter(|f| f["properties"]["layer"] == layer)
            .collect()
    };
    let polygons = |name| Out {
        name,
        kind: OGRwkbGeometryType::wkbMultiPolygon,
        features: of(name),
    };
    let mut layers = vec![
        polygons("grids"),
        polygons("communities"),
        polygons("streets"),
        Out {
            name: "components",
            kind: OGRwkbGeometryType::wkbPoint,
            features: of("components"),
        },
    ];
    // The duty layers, in the order of their first changed feature.
    let mut duty: Vec<&str> = Vec::new();
    for f in &features {
        if let Some(name) = f["properties"]["layer"].as_str() {
            if !layers.iter().any(|l| l.name == name) && !duty.contains(&name) {
                duty.push(name);
            }
        }
    }
    layers.extend(duty.into_iter().map(polygons));
    write(path, &layers, crs)
}
