//! Data errors of each family of rules in an otherwise clean submission, and what they cost:
//! each case copies the `on-time` fixture's data, changes it, makes its plan with
//! `gridkeeper plan` (so the plan matches the data) and checks and scores the package.

use std::path::{Path, PathBuf};

use gridkeeper::check;
use gridkeeper::score::{self, ScoringRules};
use serde_json::Value;

use common::center::{center, check_path};
use common::{command, copy_dir, fixture};

mod common;

fn read(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json")
}

fn write(p: &Path, v: &Value) {
    std::fs::write(p, serde_json::to_vec_pretty(v).expect("json")).expect("write");
}

/// The feature of `layer` (a GeoJSON file of the package's data) whose `key` is `value`.
fn edit(pkg: &Path, layer: &str, key: &str, value: &str, f: impl Fn(&mut Value)) {
    let path = pkg.join("data").join(format!("{layer}.geojson"));
    let mut v = read(&path);
    let features = v["features"].as_array_mut().expect("features");
    let feat = features
        .iter_mut()
        .find(|x| x["properties"][key] == value)
        .expect("feature");
    f(feat);
    write(&path, &v);
}

/// A package of the on-time data changed by `change`, with its own plan.
fn package(dir: &Path, name: &str, change: impl Fn(&Path)) -> PathBuf {
    let pkg = dir.join(name);
    copy_dir(&fixture("submissions/on-time/data"), &pkg.join("data"));
    std::fs::copy(
        fixture("submissions/on-time/submission.toml"),
        pkg.join("submission.toml"),
    )
    .expect("copy");
    change(&pkg);
    let data = pkg.join("data");
    let plan = pkg.join("plan");
    let o = command(&["-q", "plan"])
        .arg(fixture("plan/old"))
        .arg(&data)
        .arg("--cases")
        .arg(fixture("plan/cases.csv"))
        .arg("--out")
        .arg(&plan)
        .output()
        .expect("plan");
    assert!(
        o.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    pkg
}

/// A reason: (points lost, [(rule, count)]).
type Why = (u32, Vec<(String, usize)>);
/// Each item's (points, reasons).
type Items = Vec<(u32, Vec<Why>)>;
/// A reason as written in the test.
type WhyLit<'a> = (u32, &'a [(&'a str, usize)]);

fn items(list: &[(u32, &[WhyLit])]) -> Items {
    list.iter()
        .map(|(p, reasons)| {
            (
                *p,
                reasons
                    .iter()
                    .map(|(lost, causes)| {
                        (
                            *lost,
                            causes.iter().map(|(r, n)| (r.to_string(), *n)).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn each_family_of_data_errors_costs_its_item() {
    let c = center();
    let rules = ScoringRules::builtin().expect("rules");
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let square = |x0: f64, y0: f64, x1: f64, y1: f64| serde_json::json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]});
    let cases_of: Vec<(&str, PathBuf, Items)> = vec![
        // geometry: a grid drawn as a bow-tie.
        (
            "geometry",
            package(dir, "geometry", |p| {
                edit(p, "grids", "BGID", "350582101001006", |f| {
                    f["geometry"] = serde_json::json!({"type": "Polygon", "coordinates": [[
                        [350500.0, 2745000.0], [350600.0, 2745100.0],
                        [350600.0, 2745000.0], [350500.0, 2745100.0], [350500.0, 2745000.0]]]});
                })
            }),
            items(&[
                (2, &[]),
                (1, &[(1, &[("GEOM-SELF-INTERSECTION", 1)])]),
                (3, &[]),
            ]),
        ),
        // coverage: a grid reaching 10 m into its neighbour.
        (
            "coverage",
            package(dir, "coverage", |p| {
                edit(p, "grids", "BGID", "350582101001006", |f| {
                    f["geometry"] = square(350500.0, 2745000.0, 350610.0, 2745100.0);
                })
            }),
            items(&[(2, &[]), (1, &[(1, &[("COVER-OVERLAP", 1)])]), (3, &[])]),
        ),
        // nesting: a grid whose community field names the community next door.
        (
            "nesting",
            package(dir, "nesting", |p| {
                edit(p, "grids", "BGID", "350582001001004", |f| {
                    f["properties"]["SQDM"] = "350582001002".into();
                })
            }),
            // The community it leaves is partly uncovered (a base layer: 地理信息); the grid's
            // code and its place disagree with its field (codes, nesting: two tiers).
            items(&[
                (1, &[(1, &[("NEST-UNCOVERED", 1)])]),
                (0, &[(2, &[("CODE-PARENT", 1), ("NEST-WRONG-PARENT", 1)])]),
                (3, &[]),
            ]),
        ),
        // points: a component outside the jurisdiction (in the dropped edge cell).
        (
            "points",
            package(dir, "points", |p| {
                edit(p, "components", "OBJCODE", "3505820118000008", |f| {
                    f["geometry"]["coordinates"] = serde_json::json!([350750.0, 2745050.0]);
                })
            }),
            items(&[
                (2, &[]),
                (2, &[]),
                (2, &[(1, &[("COMP-OUTSIDE-JURISDICTION", 1)])]),
            ]),
        ),
        // crs: the addresses declared in another CRS.
        (
            "crs",
            package(dir, "crs", |p| {
                let m = p.join("data/dataset.toml");
                let text = std::fs::read_to_string(&m).expect("read");
                let text = text.replace(
                    "[layers.pois]\npath = \"pois.geojson\"\n",
                    "[layers.pois]\npath = \"pois.geojson\"\ncrs = \"EPSG:4548\"\n",
                );
                std::fs::write(&m, text).expect("write");
            }),
            items(&[(1, &[(1, &[("CRS-MISMATCH", 1)])]), (2, &[]), (3, &[])]),
        ),
        // dataset: the components layer left out.
        (
            "dataset",
            package(dir, "dataset", |p| {
                let m = p.join("data/dataset.toml");
                let text = std::fs::read_to_string(&m).expect("read");
                let text =
                    text.replace("\n[layers.components]\npath = \"components.geojson\"\n", "");
                std::fs::write(&m, text).expect("write");
            }),
            items(&[(2, &[]), (2, &[]), (0, &[(3, &[("LAYER-MISSING", 1)])])]),
        ),
    ];
    for (name, pkg, want) in cases_of {
        let report = check_path(&c, &pkg, &check::Options::default());
        let sheet = score::score(&report, &rules);
        let got: Items = sheet
            .items
            .iter()
            .map(|i| {
                (
                    i.points,
                    i.reasons
                        .iter()
                        .map(|r| (r.lost, r.causes.clone()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(got, want, "{name}: {:#?}", report.findings);
    }
}
