//! Binding a layer's own field names to a profile's canonical fields.

use std::collections::BTreeMap;

use super::LayerSchema;
use crate::error::{Error, Expected, Problem};
use crate::io::{GeometryKind, Layer};
use crate::model::{BoundLayer, FieldMap, LayerKind};

/// Binds `layer` to `schema`: each canonical field is found by the manifest's mapping
/// (`fields = { code = "BGID" }`), else by its own name, else by the profile's aliases, all
/// compared without regard to case. Fails when the layer holds the wrong kind of geometry
/// (`Error::WrongGeometry`) or the mapping names a canonical field the profile does not have
/// (`Problem::BadValue`, for the caller to attach to its manifest).
///
/// ```
/// use gridkeeper::io::{read_layer, ReadOptions};
/// # let dir = tempfile::tempdir()?;
/// # let p = dir.path().join("g.geojson");
/// # std::fs::write(&p, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"BGID":"350582001001001"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#)?;
/// let layer = read_layer(&p, &ReadOptions::default())?;
/// let profile = gridkeeper::schema::Profile::builtin("gbt30428-2013")?;
/// let schema = profile.layer(gridkeeper::LayerKind::Grids).unwrap();
/// let bound = gridkeeper::schema::bind(layer, gridkeeper::LayerKind::Grids, schema, &Default::default())?;
/// assert_eq!(bound.get(0, "code"), Some("350582001001001")); // found through the alias BGID
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bind(
    layer: Layer,
    kind: LayerKind,
    schema: &LayerSchema,
    mapping: &BTreeMap<String, String>,
) -> Result<BoundLayer, Error> {
    check_geometry(&layer, kind, schema)?;
    for canonical in mapping.keys() {
        if schema.field(canonical).is_none() {
            return Err(Error::Usage {
                problem: Problem::BadValue {
                    key: format!("layers.{}.fields", kind.name()),
                    value: canonical.clone(),
                    expected: Expected::CanonicalField,
                },
            });
        }
    }
    let mut fields = FieldMap::default();
    for f in &schema.table.fields {
        if let Some(local) = mapping.get(&f.name) {
            match layer.field_index(local) {
                Some(i) => {
                    fields
                        .columns
                        .insert(f.name.clone(), (i, layer.fields[i].name.clone()));
                }
                None => {
                    fields.unresolved.insert(f.name.clone(), local.clone());
                }
            }
            continue;
        }
        let found = layer
            .field_index(&f.name)
            .or_else(|| f.aliases.iter().find_map(|a| layer.field_index(a)));
        if let Some(i) = found {
            fields
                .columns
                .insert(f.name.clone(), (i, layer.fields[i].name.clone()));
        }
    }
    Ok(BoundLayer {
        kind,
        layer,
        fields,
    })
}

fn check_geometry(layer: &Layer, kind: LayerKind, schema: &LayerSchema) -> Result<(), Error> {
    let found = layer.geometry_kind;
    let ok = match (schema.geometry, found) {
        (GeometryKind::None, _) => true,
        (_, GeometryKind::Mixed) => true,
        (_, GeometryKind::None) => layer.is_empty() || schema.optional_geometry,
        (want, got) => want == got,
    };
    if ok {
        Ok(())
    } else if found == GeometryKind::None
        && crate::io::Format::of(&layer.source) == Some(crate::io::Format::Csv)
    {
        // A CSV point layer without coordinate columns: say which columns it has.
        Err(Error::malformed(
            &layer.source,
            Problem::NoCoordinateColumns {
                columns: layer.fields.iter().map(|f| f.name.clone()).collect(),
            },
        ))
    } else {
        Err(Error::WrongGeometry {
            path: layer.source.clone(),
            layer: kind.name().to_string(),
            expected: schema.geometry,
            found,
        })
    }
}
