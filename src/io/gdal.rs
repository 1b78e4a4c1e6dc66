//! Any OGR vector source through GDAL (cargo feature `gdal`): GeoPackage, File Geodatabase
//! (OpenFileGDB), MapInfo TAB/MIF, KML, GML, FlatGeobuf, SpatiaLite, … read into the same
//! [`Layer`] as the built-in readers.
//!
//! A source with several layers is named `file.gpkg:layer`; one with a single layer needs no
//! name. Text arrives as UTF-8 (GDAL recodes from the source's declared encoding); with
//! `--encoding`, the label goes to the driver as its `ENCODING` open option where the driver
//! has one (Shapefile, MapInfo, CSV, DXF, …). Every spatial reference GDAL hands out gets
//! the traditional GIS axis order (longitude/latitude, easting/northing), whatever EPSG's
//! order is.

use std::path::Path;

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{
    geometry_type_flatten, geometry_type_has_m, geometry_type_has_z, FieldValue, Geometry,
    GeometryRef, LayerAccess, OGRFieldType, OGRwkbGeometryType,
};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags, Metadata};
use geo::{Coord, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};

use super::crs::{Crs, CrsSource};
use super::layer::{FieldDef, FieldKind, GeometryKind, Layer, TextColumn};
use super::ReadOptions;
use crate::error::{Error, Problem, Result};

/// An error of GDAL's about `path`.
fn gdal_error(path: &Path, e: gdal::errors::GdalError) -> Error {
    Error::malformed(
        path,
        Problem::Gdal {
            message: e.to_string(),
        },
    )
}

/// Keeps GDAL's own warnings off the terminal: what matters reaches the user through the
/// errors gridkeeper reports (GDAL's last message is in each).
pub(crate) fn quiet() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| gdal::config::set_error_handler(|_, _, _| {}));
}

/// Notes the source as an input of the run, with the files GDAL reads beside it: those of
/// its folder with the same stem (MapInfo's `.dat`, `.map`, `.id`; `.mif` and `.mid`), or the
/// files in it when it is a folder (a File Geodatabase).
fn note_with_siblings(path: &Path) {
    use crate::io::atomic::note_input;
    note_input(path);
    if path.is_dir() {
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
            note_input(entry.path());
        }
        return;
    }
    let Some(stem) = path.file_stem() else {
        return;
    };
    for entry in std::fs::read_dir(super::folder_of(path))
        .into_iter()
        .flatten()
        .flatten()
    {
        let p = entry.path();
        if p.file_stem() == Some(stem) {
            note_input(p);
        }
    }
}

/// Opens a vector source read-only, with the driver's `ENCODING` open option when asked for
/// and the driver has it.
fn open(path: &Path, encoding: Option<&str>) -> Result<Dataset> {
    quiet();
    note_with_siblings(path);
    let flags = || GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY;
    let plain = DatasetOptions {
        open_flags: flags(),
        ..DatasetOptions::default()
    };
    let ds = Dataset::open_ex(path, plain).map_err(|e| gdal_error(path, e))?;
    let Some(label) = encoding else {
        return Ok(ds);
    };
    let takes_encoding = ds
        .driver()
        .metadata_item("DMD_OPENOPTIONLIST", "")
        .is_some_and(|l| l.contains("name='ENCODING'"));
    if !takes_encoding {
        return Ok(ds);
    }
    drop(ds);
    let option = format!("ENCODING={label}");
    let options = [option.as_str()];
    Dataset::open_ex(
        path,
        DatasetOptions {
            open_flags: flags(),
            open_options: Some(&options),
            ..DatasetOptions::default()
        },
    )
    .map_err(|e| gdal_error(path, e))
}

/// The names of a source's layers.
pub fn layer_names(path: &Path) -> Result<Vec<String>> {
    let ds = open(path, None)?;
    Ok(ds.layers().map(|l| l.name()).collect())
}

/// A CRS from GDAL's spatial reference: its WKT, recognised as any `.prj` is; the EPSG code
/// GDAL identifies when the WKT names none that gridkeeper recognises.
fn crs_of(mut srs: SpatialRef) -> Option<Crs> {
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let wkt = srs.to_wkt().ok()?;
    let mut crs = Crs::parse(&wkt, CrsSource::Source);
    if crs.epsg.is_none() && srs.auto_identify_epsg().is_ok() {
        let code = srs.auth_code().ok().and_then(|c| u32::try_from(c).ok());
        if srs.auth_name().as_deref() == Some("EPSG") {
            if let Some(code) = code {
                crs.epsg = Some(code);
                crs.name = super::crs::epsg_name(code).or(crs.name);
            }
        }
    }
    Some(crs)
}

/// The PROJ string GDAL makes of a WKT (or any CRS text GDAL reads), for CRSs gridkeeper's
/// own recognition does not cover.
pub fn proj_string(text: &str) -> Option<String> {
    let mut srs = SpatialRef::from_definition(text).ok()?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    srs.to_proj4().ok().filter(|p| !p.trim().is_empty())
}

fn field_kind(t: OGRFieldType::Type) -> FieldKind {
    match t {
        OGRFieldType::OFTString => FieldKind::Text,
        OGRFieldType::OFTInteger | OGRFieldType::OFTInteger64 | OGRFieldType::OFTReal => {
            FieldKind::Number
        }
        OGRFieldType::OFTDate => FieldKind::Date,
        _ => FieldKind::Other,
    }
}

/// A field value as the text gridkeeper keeps (dates `YYYY-MM-DD`, lists joined by commas).
fn text(v: FieldValue) -> String {
    let join = |v: Vec<String>| v.join(",");
    match v {
        FieldValue::IntegerValue(i) => i.to_string(),
        FieldValue::Integer64Value(i) => i.to_string(),
        FieldValue::RealValue(r) => r.to_string(),
        FieldValue::StringValue(s) => s,
        FieldValue::DateValue(d) => d.format("%Y-%m-%d").to_string(),
        FieldValue::DateTimeValue(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
        FieldValue::IntegerListValue(v) => join(v.iter().map(|x| x.to_string()).collect()),
        FieldValue::Integer64ListValue(v) => join(v.iter().map(|x| x.to_string()).collect()),
        FieldValue::RealListValue(v) => join(v.iter().map(|x| x.to_string()).collect()),
        FieldValue::StringListValue(v) => join(v),
    }
}

fn coords(g: &Geometry) -> Vec<Coord> {
    let mut pts = Vec::new();
    g.get_points(&mut pts);
    pts.into_iter().map(|(x, y, _)| Coord { x, y }).collect()
}

fn polygon(g: &Geometry) -> Polygon {
    let rings: Vec<LineString> = (0..g.geometry_count())
        .map(|i| LineString(coords(&g.get_geometry(i))))
        .collect();
    let mut rings = rings.into_iter();
    let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
    Polygon::new(exterior, rings.collect())
}

/// The parts of a multi-geometry (or the rings of a polygon).
fn parts(g: &Geometry) -> impl Iterator<Item = GeometryRef<'_>> {
    (0..g.geometry_count()).map(move |i| g.get_geometry(i))
}

/// A GDAL geometry as a `geo` one: linear types walked directly (Z and M dropped), curves
/// and anything else through GDAL's GeoJSON export, which linearises them.
fn to_geo(g: &Geometry) -> Option<geo::Geometry> {
    if g.is_empty() {
        return None;
    }
    Some(match geometry_type_flatten(g.geometry_type()) {
        OGRwkbGeometryType::wkbPoint => {
            let (x, y, _) = g.get_point(0);
            geo::Geometry::Point(Point::new(x, y))
        }
        OGRwkbGeometryType::wkbMultiPoint => geo::Geometry::MultiPoint(MultiPoint(
            parts(g)
                .map(|p| {
                    let (x, y, _) = p.get_point(0);
                    Point::new(x, y)
                })
                .collect(),
        )),
        OGRwkbGeometryType::wkbLineString | OGRwkbGeometryType::wkbLinearRing => {
            geo::Geometry::LineString(LineString(coords(g)))
        }
        OGRwkbGeometryType::wkbMultiLineString => geo::Geometry::MultiLineString(MultiLineString(
            parts(g).map(|l| LineString(coords(&l))).collect(),
        )),
        OGRwkbGeometryType::wkbPolygon => geo::Geometry::Polygon(polygon(g)),
        OGRwkbGeometryType::wkbMultiPolygon => {
            geo::Geometry::MultiPolygon(MultiPolygon(parts(g).map(|p| polygon(&p)).collect()))
        }
        _ => {
            let json: geojson::Geometry = g.json().ok()?.parse().ok()?;
            geo::Geometry::try_from(json).ok()?
        }
    })
}

/// Reads one layer of an OGR source (`layer`: its name; `None` for a single-layer source).
/// `name` is how the layer is called in messages and reports (`file.gpkg:layer`).
pub fn read(path: &Path, layer: Option<&str>, name: &Path, options: &ReadOptions) -> Result<Layer> {
    let encoding = options.encoding.map(|e| e.name());
    let ds = open(path, encoding)?;
    let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
    let which = match layer {
        Some(l) => names.iter().position(|n| n == l),
        None if names.len() == 1 => Some(0),
        None => None,
    };
    let Some(index) = which else {
        return Err(Error::malformed(
            path,
            Problem::GdalLayer {
                wanted: layer.map(str::to_string),
                layers: names,
            },
        ));
    };
    let mut lyr = ds.layer(index).map_err(|e| gdal_error(path, e))?;
    let crs = lyr.spatial_ref().and_then(crs_of);
    let fields: Vec<FieldDef> = lyr
        .defn()
        .fields()
        .map(|f| FieldDef {
            name: f.name(),
            kind: field_kind(f.field_type()),
        })
        .collect();
    let declared = lyr
        .defn()
        .geom_fields()
        .next()
        .map(|g| g.field_type())
        .unwrap_or(OGRwkbGeometryType::wkbUnknown);
    // The count the file claims, as a hint only: a GeoPackage may claim 2^62 features.
    let rows = lyr.try_feature_count().unwrap_or(0).min(1 << 20) as usize;
    let mut columns: Vec<TextColumn> = (0..fields.len())
        .map(|_| TextColumn::with_capacity(rows))
        .collect();
    let mut geometries = Vec::with_capacity(rows);
    let mut has_z_or_m = geometry_type_has_z(declared) || geometry_type_has_m(declared);
    for feature in lyr.features() {
        for (i, column) in columns.iter_mut().enumerate() {
            let value = feature.field(i).map_err(|e| gdal_error(path, e))?.map(text);
            if !column.push(value.as_deref()) {
                return Err(Error::malformed(
                    path,
                    Problem::ColumnTooLarge {
                        field: fields[i].name.clone(),
                    },
                ));
            }
        }
        let g = feature.geometry();
        if let Some(g) = g {
            has_z_or_m |=
                geometry_type_has_z(g.geometry_type()) || geometry_type_has_m(g.geometry_type());
        }
        geometries.push(g.and_then(to_geo));
    }
    let geometry_kind = layer_kind(declared, &geometries);
    Ok(Layer {
        source: name.to_path_buf(),
        geometry_kind,
        has_z_or_m,
        fields,
        columns,
        geometries,
        defects: Vec::new(),
        crs,
        encoding: Some(encoding.unwrap_or("UTF-8").to_string()),
        notes: Vec::new(),
    })
}

/// The layer's geometry kind: declared, else from what it holds.
fn layer_kind(
    declared: OGRwkbGeometryType::Type,
    geometries: &[Option<geo::Geometry>],
) -> GeometryKind {
    use OGRwkbGeometryType as T;
    match geometry_type_flatten(declared) {
        T::wkbPoint | T::wkbMultiPoint => GeometryKind::Point,
        T::wkbLineString
        | T::wkbMultiLineString
        | T::wkbCircularString
        | T::wkbCompoundCurve
        | T::wkbMultiCurve => GeometryKind::Line,
        T::wkbPolygon | T::wkbMultiPolygon | T::wkbCurvePolygon | T::wkbMultiSurface => {
            GeometryKind::Polygon
        }
        T::wkbNone => GeometryKind::None,
        _ => {
            let mut kinds = geometries.iter().flatten().map(GeometryKind::of);
            match kinds.next() {
                None => GeometryKind::None,
                Some(first) if kinds.all(|k| k == first) => first,
                Some(_) => GeometryKind::Mixed,
            }
        }
    }
}
