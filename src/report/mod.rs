//! Report writers (报告): one per format, no logic of their own.

pub mod check;
pub mod csv;
pub mod document;
pub mod geojson;
#[cfg(feature = "gdal")]
pub mod gpkg;
pub mod html;
pub mod json;
pub mod markdown;
pub mod score;
pub mod text;
pub mod xlsx;

use crate::io::crs::{Crs, CrsSource};
use crate::io::Layer;
use crate::measure::Measure;
use crate::model::Dataset;
use crate::schema::Profile;

/// What a validation report is about: the dataset (or single file), its profile, its layers.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The dataset folder or file, as given.
    pub source: String,
    /// The profile's name; `None` for a schema-free single-file check.
    pub profile: Option<String>,
    /// The dataset's region code.
    pub region: Option<String>,
    /// The dataset's year.
    pub year: Option<i32>,
    /// When the dataset takes effect (`YYYY-MM-DD`).
    pub effective: Option<String>,
    /// The CRS the run checks in: the manifest's (or, for a single file, the file's), as a
    /// label.
    pub crs: Option<String>,
    /// The layers checked.
    pub layers: Vec<LayerSummary>,
}

/// One layer of a [`Subject`].
#[derive(Debug, Clone)]
pub struct LayerSummary {
    /// Layer name (`grids`), or the file name for a single file.
    pub name: String,
    /// The file it was read from.
    pub file: String,
    /// Number of features.
    pub features: usize,
    /// Geometry kind.
    pub geometry: &'static str,
    /// The CRS as the file states it.
    pub crs: Option<String>,
    /// The text encoding used.
    pub encoding: Option<String>,
    /// How areas and lengths were measured (`planar`, `geodesic`).
    pub measure: &'static str,
    /// Canonical field → the file's field name.
    pub fields: Vec<(String, String)>,
}

fn summary(
    name: &str,
    layer: &Layer,
    manifest_crs: Option<&Crs>,
    fields: Vec<(String, String)>,
) -> LayerSummary {
    LayerSummary {
        name: name.to_string(),
        file: layer.source.display().to_string(),
        features: layer.len(),
        geometry: layer.geometry_kind.name(),
        crs: layer.crs.as_ref().map(|c| c.label()),
        encoding: layer.encoding.clone(),
        measure: Measure::of_layer(layer, manifest_crs).name(),
        fields,
    }
}

impl Subject {
    /// The subject of a dataset validation.
    pub fn dataset(ds: &Dataset, profile: &Profile) -> Subject {
        let crs = ds
            .manifest
            .crs
            .as_deref()
            .map(|c| Crs::parse(c, CrsSource::Manifest));
        Subject {
            source: ds.root.display().to_string(),
            profile: Some(profile.name.clone()),
            region: ds.manifest.region.clone(),
            year: ds.manifest.year,
            effective: ds.manifest.effective.map(|d| d.to_string()),
            crs: crs.as_ref().map(Crs::label),
            layers: ds
                .layers
                .iter()
                .map(|(k, l)| {
                    let fields = l
                        .fields
                        .columns
                        .iter()
                        .map(|(c, (_, local))| (c.clone(), local.clone()))
                        .collect();
                    summary(k.name(), &l.layer, crs.as_ref(), fields)
                })
                .collect(),
        }
    }

    /// The subject of a single-file check.
    pub fn file(layer: &Layer) -> Subject {
        let name = layer
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Subject {
            source: layer.source.display().to_string(),
            profile: None,
            region: None,
            year: None,
            effective: None,
            crs: layer.crs.as_ref().map(Crs::label),
            layers: vec![summary(&name, layer, None, Vec::new())],
        }
    }
}
