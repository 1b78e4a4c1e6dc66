//! Findings with a place as GeoJSON (`--errors-geojson`), to open in QGIS over the data:
//! overlap and gap polygons, error points, each with its rule, severity, keys and measure.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use std::collections::BTreeMap;

use crate::diff::ChangeSet;
use crate::error::Result;
use crate::finding::Finding;
use crate::i18n::Lang;
use crate::io::atomic;
use crate::io::write::{crs_member, geometry_json};
use crate::model::{BoundLayer, Dataset, LayerKind};

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
    write_features(path, features, crs)
}

/// Changed grids, communities, streets and components as GeoJSON features, for QGIS: each
/// polygon of a changed group (new shape; the old shape for removed ones) with its relation
/// and the group's old and new codes; each changed component's point with its changes.
pub fn changes(
    path: &Path,
    cs: &ChangeSet,
    old: &Dataset,
    new: &Dataset,
    crs: Option<&str>,
) -> Result<usize> {
    write_features(path, change_features(cs, old, new), crs)
}

/// The features [`changes`] writes, each with a `layer` property (`grids`, `communities`,
/// `streets`, `components`); also what the GeoPackage writer lays out in layers.
pub fn change_features(cs: &ChangeSet, old: &Dataset, new: &Dataset) -> Vec<Value> {
    let mut features: Vec<Value> = Vec::new();
    for d in &cs.layers {
        let (Some(ol), Some(nl)) = (old.layer(d.layer), new.layer(d.layer)) else {
            continue;
        };
        for g in d.changed() {
            let old_codes: Vec<&str> = g.old.iter().map(|&i| d.old_codes[i].as_str()).collect();
            let new_codes: Vec<&str> = g.new.iter().map(|&i| d.new_codes[i].as_str()).collect();
            let members: Vec<(&str, usize, &BoundLayer)> = if g.new.is_empty() {
                g.old.iter().map(|&i| ("old", i, ol)).collect()
            } else {
                g.new.iter().map(|&i| ("new", i, nl)).collect()
            };
            for (version, i, layer) in members {
                let Some(geom) = layer.geometry(i) else {
                    continue;
                };
                features.push(json!({
                    "type": "Feature",
                    "properties": {
                        "layer": d.layer.name(),
                        "version": version,
                        "code": layer.key(i),
                        "relation": g.relation.id(),
                        "old_codes": old_codes.join(" "),
                        "new_codes": new_codes.join(" "),
                        "reshaped": g.reshaped,
                        "recoded": g.recoded,
                        "reparented": g.reparented,
                    },
                    "geometry": geometry_json(geom),
                }));
            }
        }
    }
    // One point per changed component, listing its changes.
    let (Some(oc), Some(nc)) = (
        old.layer(LayerKind::Components),
        new.layer(LayerKind::Components),
    ) else {
        return features;
    };
    let mut by_component: BTreeMap<(Option<usize>, Option<usize>), Vec<&str>> = BTreeMap::new();
    for c in &cs.components {
        by_component
            .entry((c.new, c.old))
            .or_default()
            .push(c.change.id());
    }
    for ((n, o), changes) in by_component {
        let (layer, i, version) = match (n, o) {
            (Some(n), _) => (nc, n, "new"),
            (None, Some(o)) => (oc, o, "old"),
            (None, None) => continue,
        };
        let Some(geom) = layer.geometry(i) else {
            continue;
        };
        features.push(json!({
            "type": "Feature",
            "properties": {
                "layer": "components",
                "version": version,
                "code": layer.key(i),
                "old_code": o.map(|o| oc.key(o)),
                "changes": changes.join(" "),
            },
            "geometry": geometry_json(geom),
        }));
    }
    features
}

fn write_features(path: &Path, features: Vec<Value>, crs: Option<&str>) -> Result<usize> {
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
