//! Loading a dataset folder (数据集): its manifest `dataset.toml`, or conventional file names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::{Error, Expected, Problem, Result};
use crate::io::reproject::Towgs84;
use crate::io::{self, ReadOptions};
use crate::model::{Dataset, LayerEntry, LayerKind, Manifest};
pub use crate::reprojection::CrsOptions;
use crate::schema::{self, Profile, DEFAULT_PROFILE};

/// The manifest's file name.
pub const MANIFEST: &str = "dataset.toml";

/// Extensions tried, in order, for conventional layer names.
const EXTENSIONS: &[&str] = &["shp", "geojson", "json", "csv"];

/// How to load a dataset.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Decode every layer's text with this encoding (`--encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// A profile name or folder that overrides the manifest's (`--profile`, `--schema`).
    pub profile: Option<String>,
    /// Layers left unread because the command has no use for them (`diff` skips the
    /// historical cases). Their files must still exist.
    pub skip: Vec<LayerKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestToml {
    region: Option<String>,
    year: Option<i64>,
    effective: Option<toml::Value>,
    profile: Option<String>,
    crs: Option<String>,
    towgs84: Option<Vec<f64>>,
    #[serde(default)]
    reproject: bool,
    #[serde(default)]
    layers: BTreeMap<String, LayerToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerToml {
    path: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    encoding: Option<String>,
    crs: Option<String>,
    towgs84: Option<Vec<f64>>,
}

/// Parses a date as manifests write it: `2026-07-01` (a TOML date or a string).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Reads and checks `dataset.toml`.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    crate::io::atomic::note_input(path);
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let bad = |key: &str, value: String, expected: Expected| Error::Manifest {
        path: path.to_path_buf(),
        problem: Problem::BadValue {
            key: key.to_string(),
            value,
            expected,
        },
    };
    let raw: ManifestToml = toml::from_str(&text).map_err(|e| Error::Manifest {
        path: path.to_path_buf(),
        problem: Problem::Toml {
            message: e.to_string(),
        },
    })?;
    if let Some(r) = &raw.region {
        if r.len() != 6 || !r.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("region", r.clone(), Expected::RegionCode));
        }
    }
    let year = match raw.year {
        None => None,
        Some(y) if (1900..=2200).contains(&y) => Some(y as i32),
        Some(y) => return Err(bad("year", y.to_string(), Expected::Year)),
    };
    let effective = match &raw.effective {
        None => None,
        Some(toml::Value::Datetime(d)) => match parse_iso_date(&d.to_string()) {
            Some(d) => Some(d),
            None => return Err(bad("effective", d.to_string(), Expected::Date)),
        },
        Some(toml::Value::String(s)) => match parse_iso_date(s) {
            Some(d) => Some(d),
            None => return Err(bad("effective", s.clone(), Expected::Date)),
        },
        Some(other) => return Err(bad("effective", other.to_string(), Expected::Date)),
    };
    let towgs84 = |key: &str, v: &Option<Vec<f64>>| match v {
        None => Ok(None),
        Some(v) => Towgs84::from_slice(v).map(Some).ok_or_else(|| {
            let text: Vec<String> = v.iter().map(|x| x.to_string()).collect();
            bad(key, format!("[{}]", text.join(", ")), Expected::Towgs84)
        }),
    };
    let top_towgs84 = towgs84("towgs84", &raw.towgs84)?;
    let mut layers = BTreeMap::new();
    for (name, l) in raw.layers {
        // A name other than the built-in ones must be a duty layer of the profile, which is
        // known only once it is loaded ([`load_with`] checks it then).
        let plausible = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if LayerKind::from_name(&name).is_none() && !plausible {
            return Err(bad(
                &format!("layers.{name}"),
                name.clone(),
                Expected::LayerName,
            ));
        }
        if l.path.trim().is_empty() {
            return Err(bad(
                &format!("layers.{name}.path"),
                l.path,
                Expected::NonEmpty,
            ));
        }
        let layer_towgs84 = towgs84(&format!("layers.{name}.towgs84"), &l.towgs84)?;
        layers.insert(
            name,
            LayerEntry {
                path: PathBuf::from(l.path),
                fields: l.fields,
                encoding: l.encoding,
                crs: l.crs,
                towgs84: layer_towgs84,
            },
        );
    }
    Ok(Manifest {
        path: Some(path.to_path_buf()),
        region: raw.region,
        year,
        effective,
        profile: raw.profile,
        crs: raw.crs,
        towgs84: top_towgs84,
        reproject: raw.reproject,
        layers,
    })
}

/// The names in the folder `dir` as (lower-case name, name), sorted: names are compared
/// without regard to case, and of two that differ only in case the same one is found each run.
fn file_names(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut names: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_lowercase(),
                PathBuf::from(e.file_name()),
            )
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Finds layers by conventional file names (`grids.shp`, `部件.shp`, `cases.csv`, …),
/// comparing names without regard to case.
pub fn conventional_layers(dir: &Path) -> Result<BTreeMap<String, LayerEntry>> {
    let names = file_names(dir)?;
    let mut layers = BTreeMap::new();
    for kind in LayerKind::ALL {
        'found: for stem in kind.conventional_stems() {
            for ext in EXTENSIONS {
                let want = format!("{}.{ext}", stem.to_lowercase());
                if let Some((_, file)) = names.iter().find(|(n, _)| *n == want) {
                    layers.insert(
                        kind.name().to_string(),
                        LayerEntry {
                            path: file.clone(),
                            ..LayerEntry::default()
                        },
                    );
                    break 'found;
                }
            }
        }
    }
    Ok(layers)
}

/// Finds the files of a profile's duty layers by their names (`enforcement_grids.shp`, …).
fn conventional_duty_layers(dir: &Path, profile: &Profile) -> Result<BTreeMap<String, LayerEntry>> {
    let names = file_names(dir)?;
    let mut layers = BTreeMap::new();
    for kind in profile.duty_layers() {
        for ext in EXTENSIONS {
            let want = format!("{}.{ext}", kind.name());
            if let Some((_, file)) = names.iter().find(|(n, _)| *n == want) {
                layers.insert(
                    kind.name().to_string(),
                    LayerEntry {
                        path: file.clone(),
                        ..LayerEntry::default()
                    },
                );
                break;
            }
        }
    }
    Ok(layers)
}

/// Reads one layer file and binds it to its schema. For a CSV point layer the coordinate
/// columns are the ones the mapping gives `x` and `y`, else the first known pair (`x`/`y`,
/// `lon`/`lat`, …, or the schema's aliases of `x` and `y`).
pub fn read_bound(
    path: &Path,
    kind: LayerKind,
    schema: &crate::schema::LayerSchema,
    fields: &BTreeMap<String, String>,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<crate::model::BoundLayer> {
    let xy = match (fields.get("x"), fields.get("y")) {
        (Some(x), Some(y)) => Some((x.clone(), y.clone())),
        _ => None,
    };
    let read = ReadOptions {
        encoding,
        require_attributes: true,
        xy,
    };
    let mut layer = io::read_layer(path, &read)?;
    if read.xy.is_none()
        && layer.geometry_kind == io::GeometryKind::None
        && io::Format::of(path) == Some(io::Format::Csv)
    {
        // No known pair of coordinate columns: try the schema's aliases of x and y.
        let aliases = |f: &str| {
            schema
                .field(f)
                .map(|d| d.aliases.clone())
                .unwrap_or_default()
        };
        let pair = aliases("x").into_iter().find_map(|x| {
            let y = aliases("y")
                .into_iter()
                .find(|y| layer.field_index(y).is_some())?;
            layer.field_index(&x).map(|_| (x, y))
        });
        if let Some(xy) = pair {
            layer = io::read_layer(
                path,
                &ReadOptions {
                    xy: Some(xy),
                    ..read
                },
            )?;
        }
    }
    schema::bind(layer, kind, schema, fields)
}

/// Loads a dataset folder and the profile it is checked against.
///
/// The profile is, in order: `options.profile`, the manifest's `profile` (a name or a
/// folder relative to the dataset), the default (`gbt30428-2013`).
pub fn load(dir: &Path, options: &LoadOptions) -> Result<(Dataset, Profile)> {
    load_with(dir, options, &CrsOptions::default())
}

/// [`load`] with the command line's CRS settings (`--crs`, `--reproject`, `--towgs84`):
/// layers get the CRS and datum parameters the manifest gives them, and with `reproject`
/// every layer in another CRS is transformed to the manifest's
/// ([`crate::reprojection::settle`]).
pub fn load_with(
    dir: &Path,
    options: &LoadOptions,
    crs: &CrsOptions,
) -> Result<(Dataset, Profile)> {
    if !dir.exists() {
        return Err(Error::Missing {
            path: dir.to_path_buf(),
            needed_by: None,
        });
    }
    let manifest_path = dir.join(MANIFEST);
    let mut manifest = if manifest_path.is_file() {
        read_manifest(&manifest_path)?
    } else {
        Manifest {
            layers: conventional_layers(dir)?,
            ..Manifest::default()
        }
    };
    let profile = match (&options.profile, &manifest.profile) {
        (Some(p), _) => Profile::resolve(p, None)?,
        (None, Some(p)) => Profile::resolve(p, Some(dir))?,
        (None, None) => Profile::builtin(DEFAULT_PROFILE)?,
    };
    if manifest.profile.is_none() || options.profile.is_some() {
        manifest.profile = Some(profile.name.clone());
    }
    if manifest.path.is_none() {
        // No manifest: the profile's duty layers under their own names too.
        let found = conventional_duty_layers(dir, &profile)?;
        manifest.layers.extend(found);
    }
    let mut layers = BTreeMap::new();
    for (name, entry) in &manifest.layers {
        let Some(kind) = profile.kind(name) else {
            return Err(Error::Manifest {
                path: manifest_path.clone(),
                problem: Problem::BadValue {
                    key: format!("layers.{name}"),
                    value: name.clone(),
                    expected: Expected::LayerName,
                },
            });
        };
        let Some(schema) = profile.layer(kind) else {
            continue;
        };
        let path = dir.join(&entry.path);
        if !io::source_exists(&path) {
            return Err(Error::Missing {
                path,
                needed_by: manifest.path.clone(),
            });
        }
        if options.skip.contains(&kind) {
            continue;
        }
        let encoding = match (options.encoding, &entry.encoding) {
            (Some(e), _) => Some(e),
            (None, Some(label)) => {
                Some(
                    io::encoding::resolve_label(label).ok_or_else(|| Error::UnknownEncoding {
                        path: manifest_path.clone(),
                        label: label.clone(),
                    })?,
                )
            }
            (None, None) => None,
        };
        let bound =
            read_bound(&path, kind, schema, &entry.fields, encoding).map_err(|e| match e {
                Error::Usage { problem } => Error::Manifest {
                    path: manifest_path.clone(),
                    problem,
                },
                other => other,
            })?;
        layers.insert(kind, bound);
    }
    let mut dataset = Dataset {
        root: dir.to_path_buf(),
        manifest,
        layers,
    };
    crate::reprojection::settle(&mut dataset, crs)?;
    Ok((dataset, profile))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (layer, file) of each layer found by its name in a folder of `files`, made in this order.
    fn found(files: &[&str]) -> Vec<(String, PathBuf)> {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in files {
            std::fs::write(dir.path().join(name), "").expect("write");
        }
        let profile = Profile::builtin("gbt30428-2013").expect("profile");
        let mut layers = conventional_layers(dir.path()).expect("layers");
        layers.extend(conventional_duty_layers(dir.path(), &profile).expect("duty layers"));
        layers.into_iter().map(|(k, e)| (k, e.path)).collect()
    }

    #[test]
    fn names_that_differ_only_in_case_find_the_same_file_each_run() {
        let mut files = vec![
            "grids.geojson",
            "Grids.geojson",
            "GRIDS.geojson",
            "enforcement_grids.geojson",
            "Enforcement_Grids.geojson",
            "Enforcement_grids.geojson",
            "ENFORCEMENT_GRIDS.geojson",
            "enforcement_Grids.geojson",
            "streets.json",
        ];
        // Sorted by the lower-case name, then the name: capitals first, whatever order the
        // folder lists them in.
        let want = [
            ("enforcement_grids", "ENFORCEMENT_GRIDS.geojson"),
            ("grids", "GRIDS.geojson"),
            ("streets", "streets.json"),
        ]
        .map(|(k, p)| (k.to_string(), PathBuf::from(p)));
        assert_eq!(found(&files), want);
        files.reverse();
        assert_eq!(found(&files), want);
    }
}
