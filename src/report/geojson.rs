//! Findings with a place as GeoJSON (`--errors-geojson`), to open in QGIS over the data:
//! overlap and gap polygons, error points, each with its rule, severity, keys and measure.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use crate::error::Result;
use crate::finding::Finding;
use crate::i18n::Lang;
use crate::io::atomic;
use crate::io::write::{crs_member, geometry_json};

/// The GeoJSON feature of a finding, if it has a geometry or a location.
pub fn feature(f: &Finding, lang: Lang) -> Option<Value> {
    let geometry = match (&f.geometry, f.location) {
        (Some(g), _) => geometry_json(g),
        (None, Some([x, y])) => json!({"type": "Point", "coordinates": [x, y]}),
        (None, None) => return None,
    };
    let mut properties = super::json::finding(f, lang);
    if let Some(map) = properties.as_object_mut() {
        map.remove("location");
        map.remove("detail");
    }
    Some(json!({"type": "Feature", "properties": properties, "geometry": geometry}))
}

/// Writes the findings that have a place; `crs` (e.g. `EPSG:4549`) becomes a `crs` member.
/// Returns how many were written.
pub fn write(path: &Path, findings: &[Finding], crs: Option<&str>, lang: Lang) -> Result<usize> {
    let features: Vec<Value> = findings.iter().filter_map(|f| feature(f, lang)).collect();
    let n = features.len();
    atomic::write_with(path, |w| {
        w.write_all(b"{\"type\":\"FeatureCollection\"")?;
        if let Some(code) = crs {
            write!(w, ",\"crs\":{}", crs_member(code))?;
        }
        w.write_all(b",\"features\":[")?;
        for (i, f) in features.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"\n")?;
            serde_json::to_writer(&mut *w, f)?;
        }
        w.write_all(b"\n]}\n")
    })?;
    Ok(n)
}
