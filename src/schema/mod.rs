//! Profiles (数据标准配置): the fields, code structures and class tables a dataset is checked
//! against, as data files — built in, or a city's own folder given with `--schema DIR`.
//!
//! A profile folder holds `profile.toml` (name, title, layers, tables), one Table Schema per
//! layer (`grids.schema.json`, …) and its tables (`component_classes.csv`).

mod bind;
mod builtin;
pub mod code;
pub mod table;
mod thresholds;
pub mod value;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;

pub use self::bind::bind;
pub use self::builtin::BUILTIN_NAMES;
use self::code::CodeLayout;
use self::table::{FieldType, TableSchema};
pub use self::thresholds::Thresholds;
use crate::error::{Error, Expected, Problem, Result};
use crate::io::GeometryKind;
use crate::model::{DutyName, LayerKind};

/// The name of the profile used when neither the manifest nor the command line names one.
pub const DEFAULT_PROFILE: &str = "gbt30428-2013";

/// Where a profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary.
    Builtin,
    /// Read from a folder.
    Folder(PathBuf),
}

/// A lookup table of a profile (component classes).
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Key → name.
    pub rows: BTreeMap<String, String>,
}

/// One layer's schema, compiled.
#[derive(Debug, Clone)]
pub struct LayerSchema {
    /// The Table Schema as written.
    pub table: TableSchema,
    /// The geometry kind required.
    pub geometry: GeometryKind,
    /// Whether features may lack geometry.
    pub optional_geometry: bool,
    /// The compiled code layout.
    pub code: Option<CodeLayout>,
    /// Compiled `pattern` constraints, one per field.
    pub patterns: Vec<Option<Regex>>,
    /// Primary key fields.
    pub primary_key: Vec<String>,
}

impl LayerSchema {
    /// The field descriptor called `name`.
    pub fn field(&self, name: &str) -> Option<&table::Field> {
        self.table.fields.iter().find(|f| f.name == name)
    }
}

/// A compiled profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Its name.
    pub name: String,
    /// A title.
    pub title: String,
    /// What it is and where its facts come from.
    pub description: String,
    /// Where it came from.
    pub origin: Origin,
    /// Layers every dataset under this profile must have.
    pub required_layers: Vec<LayerKind>,
    /// Schemas by layer.
    pub layers: BTreeMap<LayerKind, LayerSchema>,
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Tolerances and thresholds of the spatial rules.
    pub thresholds: Thresholds,
    /// Case statuses that mean closed (the rest are open).
    pub closed_statuses: Vec<String>,
    /// The files it was built from (name → text), for `schema show` and `schema export`.
    pub files: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileToml {
    name: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    required_layers: Vec<String>,
    layers: BTreeMap<String, String>,
    #[serde(default)]
    tables: BTreeMap<String, TableToml>,
    #[serde(default)]
    thresholds: Thresholds,
    #[serde(default)]
    cases: CaseSettings,
}

/// How a profile reads case statuses (`[cases]` in `profile.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSettings {
    /// Statuses of cases that are closed (not open): `结案` closed, `作废` void.
    closed: Vec<String>,
}

impl Default for CaseSettings {
    fn default() -> CaseSettings {
        CaseSettings {
            closed: vec!["结案".to_string(), "作废".to_string()],
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableToml {
    file: String,
    key: String,
    name: String,
}

impl Profile {
    /// A built-in profile by name (`gbt30428-2013`, `cjt213-2005`, `gbt47678-2026`).
    pub fn builtin(name: &str) -> Result<Profile> {
        let files = builtin::files(name).ok_or_else(|| Error::Profile {
            source: name.to_string(),
            problem: Problem::UnknownProfile {
                name: name.to_string(),
                known: BUILTIN_NAMES.iter().map(|s| s.to_string()).collect(),
            },
        })?;
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Profile::compile(name, Origin::Builtin, files)
    }

    /// A profile from a folder.
    pub fn from_dir(dir: &Path) -> Result<Profile> {
        let label = dir.display().to_string();
        let toml_path = dir.join("profile.toml");
        crate::io::atomic::note_input(&toml_path);
        let main = std::fs::read_to_string(&toml_path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Missing {
                    path: toml_path.clone(),
                    needed_by: None,
                }
            } else {
                Error::io(&toml_path, e)
            }
        })?;
        let parsed = parse_toml(&main, &label)?;
        let mut files = vec![("profile.toml".to_string(), main)];
        let mut wanted: Vec<String> = parsed.layers.values().cloned().collect();
        wanted.extend(parsed.tables.values().map(|t| t.file.clone()));
        for name in wanted {
            if name.contains("..") || Path::new(&name).is_absolute() {
                return Err(Error::Profile {
                    source: label,
                    problem: Problem::BadValue {
                        key: "layers".into(),
                        value: name,
                        expected: Expected::NonEmpty,
                    },
                });
            }
            let p = dir.join(&name);
            crate::io::atomic::note_input(&p);
            let text = std::fs::read_to_string(&p).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Error::Missing {
                        path: p.clone(),
                        needed_by: Some(toml_path.clone()),
                    }
                } else {
                    Error::io(&p, e)
                }
            })?;
            files.push((name, text));
        }
        Profile::compile(&label, Origin::Folder(dir.to_path_buf()), files)
    }

    /// A profile named by the command line or the manifest: a built-in name, or a folder.
    pub fn resolve(name_or_dir: &str, base: Option<&Path>) -> Result<Profile> {
        if BUILTIN_NAMES.contains(&name_or_dir) {
            return Profile::builtin(name_or_dir);
        }
        let p = Path::new(name_or_dir);
        let candidate = match base {
            Some(b) if p.is_relative() => b.join(p),
            _ => p.to_path_buf(),
        };
        if candidate.is_dir() {
            return Profile::from_dir(&candidate);
        }
        Err(Error::Profile {
            source: name_or_dir.to_string(),
            problem: Problem::UnknownProfile {
                name: name_or_dir.to_string(),
                known: BUILTIN_NAMES.iter().map(|s| s.to_string()).collect(),
            },
        })
    }

    fn compile(label: &str, origin: Origin, files: Vec<(String, String)>) -> Result<Profile> {
        let err = |problem| Error::Profile {
            source: label.to_string(),
            problem,
        };
        let text = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str())
        };
        let parsed = parse_toml(text("profile.toml").unwrap_or_default(), label)?;
        let mut layers = BTreeMap::new();
        for (layer_name, file) in &parsed.layers {
            let json = text(file).unwrap_or_default();
            let table: TableSchema = serde_json::from_str(json).map_err(|e| {
                err(Problem::Json {
                    message: format!("{file}: {e}"),
                })
            })?;
            let duty = table.spatial.as_ref().and_then(|s| s.duty.as_ref());
            let kind = match (LayerKind::from_name(layer_name), duty) {
                (Some(k), None) => k,
                // A duty layer: a name of its own, a polygon layer.
                (None, Some(words)) if duty_name_ok(layer_name) => {
                    if table.spatial.as_ref().map(|s| s.geometry.as_str()) != Some("polygon") {
                        return Err(err(Problem::BadValue {
                            key: format!("{file}: spatial.geometry"),
                            value: table
                                .spatial
                                .as_ref()
                                .map(|s| s.geometry.clone())
                                .unwrap_or_default(),
                            expected: Expected::OneOf(vec!["polygon".into()]),
                        }));
                    }
                    LayerKind::Duty(DutyName::declare(layer_name, &words.zh, &words.en))
                }
                _ => {
                    return Err(err(Problem::BadValue {
                        key: format!("layers.{layer_name}"),
                        value: layer_name.clone(),
                        expected: Expected::LayerName,
                    }))
                }
            };
            layers.insert(kind, compile_layer(table, file).map_err(err)?);
        }
        let known_layer = |name: &str| {
            LayerKind::from_name(name).is_some()
                || layers.keys().any(|k: &LayerKind| k.name() == name)
        };
        let mut tables = BTreeMap::new();
        for (name, t) in &parsed.tables {
            let body = text(&t.file).unwrap_or_default();
            tables.insert(name.clone(), read_table(body, t).map_err(err)?);
        }
        // Cross-references: foreign keys name known layers, lookups name known tables.
        for (kind, l) in &layers {
            for fk in &l.table.foreign_keys {
                if !known_layer(&fk.reference.resource) {
                    return Err(err(Problem::DanglingReference {
                        at: format!("{}.schema.json: foreignKeys", kind.name()),
                        name: fk.reference.resource.clone(),
                    }));
                }
            }
            if let Some(code) = &l.code {
                for lk in &code.lookups {
                    if !tables.contains_key(&lk.table) {
                        return Err(err(Problem::DanglingReference {
                            at: format!("{}.schema.json: spatial.code.lookup", kind.name()),
                            name: lk.table.clone(),
                        }));
                    }
                }
            }
        }
        parsed.thresholds.check().map_err(|problem| {
            err(match problem {
                Problem::BadValue {
                    key,
                    value,
                    expected,
                } => Problem::BadValue {
                    key: format!("thresholds.{key}"),
                    value,
                    expected,
                },
                other => other,
            })
        })?;
        let mut required_layers = Vec::new();
        for n in &parsed.required_layers {
            let declared = layers.keys().find(|k| k.name() == n).copied();
            required_layers.push(LayerKind::from_name(n).or(declared).ok_or_else(|| {
                err(Problem::BadValue {
                    key: "required_layers".into(),
                    value: n.clone(),
                    expected: Expected::LayerName,
                })
            })?);
        }
        Ok(Profile {
            name: parsed.name,
            title: parsed.title,
            description: parsed.description,
            origin,
            required_layers,
            layers,
            tables,
            thresholds: parsed.thresholds,
            closed_statuses: parsed.cases.closed,
            files,
        })
    }

    /// Case statuses that mean closed (结案, 作废 unless the profile says otherwise).
    pub fn closed_case_statuses(&self) -> Vec<String> {
        self.closed_statuses.clone()
    }

    /// The schema of a layer.
    pub fn layer(&self, kind: LayerKind) -> Option<&LayerSchema> {
        self.layers.get(&kind)
    }

    /// The layer called `name` in a manifest: a built-in kind, or a duty layer this profile
    /// declares.
    pub fn kind(&self, name: &str) -> Option<LayerKind> {
        LayerKind::from_name(name)
            .or_else(|| self.layers.keys().find(|k| k.name() == name).copied())
    }

    /// The duty layers (责任网格) this profile declares, in name order.
    pub fn duty_layers(&self) -> Vec<LayerKind> {
        self.layers
            .keys()
            .filter(|k| k.duty().is_some())
            .copied()
            .collect()
    }

    /// The field of layer `kind` that names its parent layer's code (the foreign key to
    /// `spatial.parent`), with the parent.
    pub fn parent_of(&self, kind: LayerKind) -> Option<(LayerKind, String)> {
        let schema = self.layer(kind)?;
        let parent = self.kind(schema.table.spatial.as_ref()?.parent.as_deref()?)?;
        let fk = schema
            .table
            .foreign_keys
            .iter()
            .find(|fk| fk.reference.resource == parent.name())?;
        Some((parent, fk.fields.to_vec().first()?.clone()))
    }

    /// Writes the profile's files into `dir` (created if needed), as a starting point for a
    /// city's own profile.
    pub fn export(&self, dir: &Path) -> Result<()> {
        crate::io::atomic::create_dir(dir)?;
        for (name, text) in &self.files {
            let path = dir.join(name);
            // A profile may keep its schemas in a subfolder (`layers/grids.schema.json`).
            if let Some(folder) = path.parent() {
                crate::io::atomic::create_dir(folder)?;
            }
            crate::io::atomic::write_bytes(&path, text.as_bytes())?;
        }
        Ok(())
    }
}

/// A duty layer's name: lower-case ASCII letters, digits and `_`, starting with a letter.
fn duty_name_ok(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn parse_toml(text: &str, label: &str) -> Result<ProfileToml> {
    toml::from_str(text).map_err(|e| Error::Profile {
        source: label.to_string(),
        problem: Problem::Toml {
            message: format!("profile.toml: {e}"),
        },
    })
}

fn compile_layer(table: TableSchema, file: &str) -> std::result::Result<LayerSchema, Problem> {
    let spatial = table.spatial.clone();
    let geometry = match spatial.as_ref().map(|s| s.geometry.as_str()) {
        None | Some("none") => GeometryKind::None,
        Some("point") => GeometryKind::Point,
        Some("line") => GeometryKind::Line,
        Some("polygon") => GeometryKind::Polygon,
        Some(other) => {
            return Err(Problem::BadValue {
                key: format!("{file}: spatial.geometry"),
                value: other.to_string(),
                expected: Expected::OneOf(vec![
                    "point".into(),
                    "line".into(),
                    "polygon".into(),
                    "none".into(),
                ]),
            })
        }
    };
    let mut patterns = Vec::with_capacity(table.fields.len());
    for f in &table.fields {
        patterns.push(match &f.constraints.pattern {
            None => None,
            Some(p) => Some(
                Regex::new(&format!("^(?:{p})$")).map_err(|_| Problem::BadValue {
                    key: format!("{file}: {}.constraints.pattern", f.name),
                    value: p.clone(),
                    expected: Expected::Regex,
                })?,
            ),
        });
    }
    let known = |name: &str| table.fields.iter().any(|f| f.name == name);
    let code = match spatial.as_ref().and_then(|s| s.code.as_ref()) {
        None => None,
        Some(spec) => {
            let layout = CodeLayout::compile(spec, &format!("{file}: spatial.code"))?;
            for name in std::iter::once(&layout.field).chain(layout.equals.iter().filter_map(|e| {
                match &e.target {
                    code::Target::Field(f) => Some(f),
                    code::Target::Region => None,
                }
            })) {
                if !known(name) {
                    return Err(Problem::DanglingReference {
                        at: format!("{file}: spatial.code"),
                        name: name.clone(),
                    });
                }
            }
            Some(layout)
        }
    };
    let primary_key = table
        .primary_key
        .as_ref()
        .map(|k| k.to_vec())
        .unwrap_or_default();
    let mut referenced: Vec<String> = primary_key.clone();
    for fk in &table.foreign_keys {
        referenced.extend(fk.fields.to_vec());
    }
    if let Some(l) = spatial.as_ref().and_then(|s| s.lifespan.as_ref()) {
        referenced.push(l.start.clone());
        referenced.push(l.end.clone());
    }
    for name in referenced {
        if !known(&name) {
            return Err(Problem::DanglingReference {
                at: file.to_string(),
                name,
            });
        }
    }
    for f in &table.fields {
        if f.kind == FieldType::Date {
            if let Some(fmt) = &f.format {
                if fmt != "default" && fmt != "any" && !fmt.contains('%') {
                    return Err(Problem::BadValue {
                        key: format!("{file}: {}.format", f.name),
                        value: fmt.clone(),
                        expected: Expected::OneOf(vec![
                            "default".into(),
                            "any".into(),
                            "%Y…".into(),
                        ]),
                    });
                }
            }
        }
    }
    Ok(LayerSchema {
        optional_geometry: spatial.as_ref().is_some_and(|s| s.optional_geometry),
        table,
        geometry,
        code,
        patterns,
        primary_key,
    })
}

fn read_table(body: &str, spec: &TableToml) -> std::result::Result<Table, Problem> {
    let mut reader = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Problem::Csv {
            message: format!("{}: {e}", spec.file),
        })?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Problem::DanglingReference {
                at: spec.file.clone(),
                name: name.to_string(),
            })
    };
    let (k, n) = (col(&spec.key)?, col(&spec.name)?);
    let mut rows = BTreeMap::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| Problem::Csv {
            message: format!("{}: {e}", spec.file),
        })?;
        if let Some(key) = rec.get(k).map(str::trim).filter(|s| !s.is_empty()) {
            rows.insert(key.to_string(), rec.get(n).unwrap_or("").to_string());
        }
    }
    Ok(Table { rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_compiles() {
        for name in BUILTIN_NAMES {
            let p = Profile::builtin(name).expect(name);
            assert_eq!(&p.name, name);
            assert!(p
                .layer(LayerKind::Grids)
                .and_then(|l| l.code.as_ref())
                .is_some());
        }
    }

    #[test]
    fn code_lengths_per_profile() {
        let len = |p: &str, k| {
            Profile::builtin(p)
                .expect(p)
                .layer(k)
                .and_then(|l| l.code.as_ref())
                .map(|c| c.length)
        };
        assert_eq!(len("gbt30428-2013", LayerKind::Grids), Some(15));
        assert_eq!(len("cjt213-2005", LayerKind::Grids), Some(14));
        assert_eq!(len("gbt47678-2026", LayerKind::Grids), Some(15));
        assert_eq!(len("gbt30428-2013", LayerKind::Components), Some(16));
        assert_eq!(len("gbt47678-2026", LayerKind::Components), Some(17));
    }

    #[test]
    fn builtin_profiles_declare_two_duty_layers() {
        for name in BUILTIN_NAMES {
            let p = Profile::builtin(name).expect(name);
            let duty: Vec<&str> = p.duty_layers().iter().map(|k| k.name()).collect();
            assert_eq!(duty, ["enforcement_grids", "sanitation_grids"]);
            let k = p.kind("enforcement_grids").expect("declared");
            assert_eq!(k.chinese(), "执法网格");
            assert_eq!(k.english(), "enforcement grids");
            assert_eq!(
                p.layer(k).and_then(|l| l.code.as_ref()).map(|c| c.length),
                Some(14)
            );
            assert_eq!(
                p.parent_of(k),
                Some((LayerKind::Streets, "street".to_string()))
            );
            assert!(!p.required_layers.contains(&k));
            assert_eq!(p.kind("patrol_grids"), None);
        }
        let p = Profile::builtin(DEFAULT_PROFILE).expect("builtin");
        assert_eq!(
            p.parent_of(LayerKind::Grids),
            Some((LayerKind::Communities, "community".to_string()))
        );
    }

    #[test]
    fn a_duty_layer_must_be_polygons_with_a_plain_name() {
        let base = Profile::builtin(DEFAULT_PROFILE).expect("builtin");
        let mut files = base.files.clone();
        let schema = files
            .iter()
            .find(|(n, _)| n == "enforcement_grids.schema.json")
            .map(|(_, t)| t.clone())
            .expect("schema");
        files.push((
            "patrol.schema.json".into(),
            schema.replace("执法网格", "巡查网格"),
        ));
        let with = |line: &str, files: &[(String, String)]| {
            let mut files = files.to_vec();
            for f in files.iter_mut().filter(|(n, _)| n == "profile.toml") {
                f.1 =
                    f.1.replace("[tables.classes]", &format!("{line}\n\n[tables.classes]"));
            }
            Profile::compile("city", Origin::Builtin, files)
        };
        let p = with("patrol_grids = \"patrol.schema.json\"", &files).expect("compiles");
        let k = p.kind("patrol_grids").expect("declared");
        assert_eq!(k.chinese(), "巡查网格");
        assert!(with("Patrol = \"patrol.schema.json\"", &files).is_err());
        let mut points = files.clone();
        for f in points.iter_mut().filter(|(n, _)| n == "patrol.schema.json") {
            f.1 =
                f.1.replace("\"geometry\": \"polygon\"", "\"geometry\": \"point\"");
        }
        assert!(with("patrol_grids = \"patrol.schema.json\"", &points).is_err());
    }

    #[test]
    fn class_table_has_the_domain_rows() {
        let p = Profile::builtin("gbt30428-2013").expect("builtin");
        let t = &p.tables["classes"];
        assert_eq!(t.rows.len(), 83);
        assert_eq!(t.rows.get("0101").map(String::as_str), Some("上水井盖"));
    }
}
