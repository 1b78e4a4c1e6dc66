//! What the integration tests share: where the fixtures are, running the `gridkeeper` binary
//! and reading what it printed, copying a fixture to change it, and the district center's
//! prior data (`center`).
//!
//! Each test file takes it with `mod common;` and uses a part of it, so the parts it leaves
//! are not dead code.
#![allow(dead_code)]

pub mod center;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gridkeeper::{BoundLayer, Dataset, LayerKind};

/// The crate's root folder: the binary runs there, so relative fixture paths work.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/PATH`.
pub fn fixture(path: &str) -> PathBuf {
    root().join("fixtures").join(path)
}

/// The binary with `args`, run in the crate's root without colours, not yet started.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gridkeeper"));
    c.args(args).current_dir(root()).env("NO_COLOR", "1");
    c
}

/// Runs the binary with `args` (see [`command`]) and returns what it did.
pub fn gk(args: &[&str]) -> Output {
    command(args).output().expect("run gridkeeper")
}

/// Runs the binary with `args` and asserts that it exits with 0.
pub fn gk_ok(args: &[&str]) -> Output {
    let o = gk(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "gridkeeper {args:?}: {}",
        stderr(&o)
    );
    o
}

/// What the run printed to standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What the run printed to standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as JSON (`--format json`).
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {} {}", stdout(o), stderr(o)))
}

/// Copies the folder `from` with everything in it to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// The dataset in `dir`, with the profile its manifest names.
pub fn load(dir: &Path) -> (Dataset, gridkeeper::schema::Profile) {
    gridkeeper::dataset::load(dir, &Default::default())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The layer of `kind` in `ds`, which must have one.
pub fn layer(ds: &Dataset, kind: LayerKind) -> &BoundLayer {
    ds.layer(kind).unwrap_or_else(|| panic!("no {kind} layer"))
}

/// The cases of `old` remapped through `changes` (案件重映射), and the change plan (变更方案)
/// built from them.
pub fn plan_of<'a>(
    old: &'a Dataset,
    new: &'a Dataset,
    profile: &gridkeeper::schema::Profile,
    changes: &'a gridkeeper::diff::ChangeSet,
) -> (gridkeeper::remap::Remap<'a>, gridkeeper::plan::Plan) {
    let remapped = gridkeeper::remap::run(
        old,
        new,
        changes,
        layer(old, LayerKind::Cases),
        &profile.closed_case_statuses(),
        &profile.thresholds,
    );
    let plan = gridkeeper::plan::build(old, new, &profile.name, changes, &remapped, None);
    (remapped, plan)
}

/// `gridkeeper plan` of the plan fixture (`fixtures/plan`: old, new, cases and population)
/// into the folder `out`, which must succeed.
pub fn plan_fixture(out: &Path) -> Output {
    gk_ok(&[
        "plan",
        "fixtures/plan/old",
        "fixtures/plan/new",
        "--cases",
        "fixtures/plan/cases.csv",
        "--population",
        "fixtures/plan/population.csv",
        "--out",
        out.to_str().expect("utf-8 path"),
        "--quiet",
    ])
}

/// Copies the dataset folder `fixtures/NAME` to `to`, its manifest's paths into
/// `fixtures/clean/` (two or three levels up) made absolute so that they still lead there.
pub fn copy_version(name: &str, to: &Path) {
    copy_dir(&fixture(name), to);
    let manifest = to.join("dataset.toml");
    let text = std::fs::read_to_string(&manifest).expect("dataset.toml");
    let clean = format!("{}/", fixture("clean").display());
    let text = text
        .replace("../../../clean/", &clean)
        .replace("../../clean/", &clean);
    std::fs::write(&manifest, text).expect("write");
}

/// `fixtures/plan/old` (last year's clean district) copied to `dir`, its layer `file` (of
/// `fixtures/clean/`) kept in `dir` with its features changed by `edit`.
pub fn plan_old_with(dir: &Path, file: &str, edit: impl FnOnce(&mut Vec<serde_json::Value>)) {
    copy_version("plan/old", dir);
    let clean = fixture("clean").join(file);
    let mut layer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&clean).expect("read")).expect("GeoJSON");
    edit(layer["features"].as_array_mut().expect("features"));
    std::fs::write(dir.join(file), layer.to_string()).expect("write");
    let manifest = std::fs::read_to_string(dir.join("dataset.toml")).expect("dataset.toml");
    let named = clean.display().to_string();
    assert!(manifest.contains(&named), "{manifest}");
    std::fs::write(dir.join("dataset.toml"), manifest.replace(&named, file)).expect("write");
}

/// Appends to the GeoJSON file `path` a copy of its feature whose `key` property is `value`
/// (or, with `from`, of that file's), changed by `change`.
pub fn add_feature_copy(
    path: &Path,
    from: Option<&Path>,
    key: &str,
    value: &str,
    change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) {
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("GeoJSON")
    };
    let mut layer = read(path);
    let source = from.map_or_else(|| layer.clone(), read);
    let mut copy = source["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"][key] == value)
        .unwrap_or_else(|| panic!("no feature with {key} = {value}"))
        .clone();
    change(copy["properties"].as_object_mut().expect("properties"));
    layer["features"]
        .as_array_mut()
        .expect("features")
        .push(copy);
    std::fs::write(path, layer.to_string()).expect("write");
}

/// Writes `ds` to the folder `dir` as GeoJSON layers (their columns as read) with a
/// `dataset.toml` giving its region, year, effective date, profile and CRS.
pub fn write_dataset(ds: &Dataset, dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let m = &ds.manifest;
    let quoted = |v: Option<String>| v.map_or_else(String::new, |v| format!("{v:?}"));
    let mut toml = format!(
        "region = {}\nyear = {}\neffective = {}\nprofile = {}\ncrs = {}\n",
        quoted(m.region.clone()),
        m.year.map_or_else(String::new, |y| y.to_string()),
        m.effective.map_or_else(String::new, |d| d.to_string()),
        quoted(m.profile.clone()),
        quoted(m.crs.clone()),
    );
    for (kind, l) in &ds.layers {
        let file = format!("{}.geojson", kind.name());
        gridkeeper::io::write::write_geojson(&l.layer, &dir.join(&file), m.crs.as_deref())
            .expect("write layer");
        toml.push_str(&format!("\n[layers.{}]\npath = {file:?}\n", kind.name()));
    }
    std::fs::write(dir.join("dataset.toml"), toml).expect("write dataset.toml");
}
