//! `validate` (数据检查): every rule of the profile over a dataset → findings.
//!
//! One file per family of rules: `layers` (layers, fields, how files were read), `crs`,
//! `attributes` (Table Schema constraints), `codes` (code structure, keys, classes),
//! [`admin`] (the administrative code list), and the spatial families run by `spatial`:
//! `geometry` (each feature, using [`validity`]), `coverage`, `nesting`, `points`.

pub mod admin;
mod attributes;
mod codes;
mod coverage;
mod crs;
mod duty;
mod geometry;
mod layers;
mod nesting;
mod points;
mod snapping;
mod spatial;
pub mod validity;

use crate::finding::{self, Finding};
use crate::i18n::Text;
use crate::io::Layer;
use crate::model::Dataset;
use crate::progress::{self, Bar, Unit};
use crate::schema::{Profile, Thresholds};

pub use self::admin::AdminCodes;

/// The stages of [`run`], in order (the names of their [`crate::timing`] records).
const STAGES: [&str; 7] = [
    "validate.layers",
    "validate.attributes",
    "validate.codes",
    "validate.geometry",
    "validate.coverage",
    "validate.nesting",
    "validate.points",
];

/// Stage `name` begins: its label on `bar` (the stages of [`run`]).
fn begin(bar: &Bar, name: &str) {
    bar.message(|l| Text::stage(name, l).into_owned());
}

/// Stage `name` ended `clock.elapsed()` after it began: recorded, and one more on `bar`.
fn end(bar: &Bar, name: &str, clock: std::time::Instant) {
    crate::timing::record(name, clock.elapsed());
    bar.inc(1);
}

/// Settings of a validation run beyond the profile.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The administrative code list to check street and community codes and names against.
    pub admin_codes: Option<AdminCodes>,
    /// Thresholds of the spatial rules; `None`: the profile's.
    pub thresholds: Option<Thresholds>,
}

/// Runs every rule and returns the findings in report order.
///
/// ```no_run
/// use gridkeeper::{dataset, validate};
/// let (ds, profile) = dataset::load("district/2026".as_ref(), &Default::default())?;
/// let findings = validate::run(&ds, &profile, &validate::Options::default());
/// for f in &findings {
///     println!("{} {} {}", f.rule.id(), f.key, f.text(gridkeeper::Lang::En));
/// }
/// # Ok::<(), gridkeeper::Error>(())
/// ```
pub fn run(dataset: &Dataset, profile: &Profile, options: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    let bar = progress::bar(
        |l| Text::StageValidate.get(l).to_string(),
        STAGES.len() as u64,
        Unit::Stages,
        0,
    );
    let stage = |name: &str, f: &mut dyn FnMut()| {
        begin(&bar, name);
        let clock = std::time::Instant::now();
        f();
        end(&bar, name, clock);
    };
    stage("validate.layers", &mut || {
        layers::check(dataset, profile, &mut out);
        crs::check(dataset, &mut out);
    });
    stage("validate.attributes", &mut || {
        attributes::check(dataset, profile, &mut out)
    });
    stage("validate.codes", &mut || {
        codes::check(dataset, profile, &mut out)
    });
    let thresholds = options.thresholds.as_ref().unwrap_or(&profile.thresholds);
    spatial::check(dataset, profile, thresholds, &bar, &mut out);
    if let Some(list) = &options.admin_codes {
        admin::check(dataset, list, &mut out);
    }
    finding::sort(&mut out);
    out
}

/// The code rules alone — structure, region and parent prefixes, class part and class
/// table, unique codes, references between layers — in report order: what [`run`] checks in
/// its `validate.codes` stage.
pub fn check_codes(dataset: &Dataset, profile: &Profile) -> Vec<Finding> {
    let mut out = Vec::new();
    codes::check(dataset, profile, &mut out);
    finding::sort(&mut out);
    out
}

/// Checks one layer file without a profile: how it was read, whether it states a CRS, each
/// feature's geometry, and for polygons overlaps and gaps between features.
/// Findings name the file as their layer, and each feature by its zero-based index and,
/// when the file has one, its id field (`id`, `fid`, `objectid`, `code`).
pub fn file(layer: &Layer, thresholds: &Thresholds) -> Vec<Finding> {
    let mut out = Vec::new();
    let name = layer
        .source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    layers::check_file(layer, &name, &mut out);
    let id = layers::id_field(layer);
    let keys: Vec<String> = (0..layer.len())
        .map(|i| match id.and_then(|f| layer.value(i, f)) {
            Some(v) if !v.trim().is_empty() => v.to_string(),
            _ => format!("#{i}"),
        })
        .collect();
    crs::check_file(layer, &name, &keys, &mut out);
    spatial::check_file(layer, &name, &keys, thresholds, &mut out);
    finding::sort(&mut out);
    out
}
