//! The demo district generator, through the library: tiling, codes, containment, truth,
//! validation of the written data, determinism.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use geo::{Area, Contains, Geometry, Point, Validation};
use gridkeeper::demo::{self, Demo, DemoOptions, GridRelation};
use gridkeeper::diff::Change;
use gridkeeper::{dataset, validate, Dataset, LayerKind, Severity};

use common::{layer, load};

mod common;

const SEEDS: [u64; 3] = [1, 7, 2026];
const SIZES: [(usize, usize); 2] = [(60, 500), (400, 5_000)];

fn options(seed: u64, grids: usize, components: usize, defects: bool) -> DemoOptions {
    DemoOptions {
        seed,
        grids,
        components,
        defects,
        ..Default::default()
    }
}

fn area(g: Option<&Geometry>) -> f64 {
    g.map_or(0.0, |g| g.unsigned_area())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

/// Perfect tiling: the grids add up to the district, each community's grids to the
/// community, each street's communities to the street.
fn check_tiling(ds: &Dataset, district: f64, what: &str) {
    let grids = layer(ds, LayerKind::Grids);
    let comms = layer(ds, LayerKind::Communities);
    let streets = layer(ds, LayerKind::Streets);
    for l in [grids, comms, streets] {
        for i in 0..l.len() {
            let g = l.geometry(i).unwrap();
            let one = match g {
                Geometry::Polygon(p) => p.interiors().is_empty(),
                Geometry::MultiPolygon(mp) => mp.0.len() == 1 && mp.0[0].interiors().is_empty(),
                _ => false,
            };
            assert!(
                one,
                "{what}: {} {i} is not one polygon without holes",
                l.kind
            );
            assert!(g.is_valid(), "{what}: {} {i} invalid", l.kind);
        }
    }
    let total: f64 = (0..grids.len()).map(|i| area(grids.geometry(i))).sum();
    assert!(
        close(total, district),
        "{what}: grids {total} vs district {district}"
    );
    let street_total: f64 = (0..streets.len()).map(|i| area(streets.geometry(i))).sum();
    assert!(
        close(street_total, district),
        "{what}: streets {street_total} vs district {district}"
    );
    // By the community field (the CODE-PARENT defect changes one code, not the field).
    let mut by_comm: HashMap<&str, f64> = HashMap::new();
    for i in 0..grids.len() {
        let code = grids.get(i, "code").unwrap_or_default();
        let comm = grids.get(i, "community").unwrap_or_default();
        *by_comm.entry(comm).or_default() += area(grids.geometry(i));
        // The AREA field is the planar area with two decimals.
        let field: f64 = grids.get(i, "area").unwrap_or_default().parse().unwrap();
        assert!(
            (field - area(grids.geometry(i))).abs() <= 0.006,
            "{what}: AREA of {code}"
        );
    }
    assert_eq!(
        by_comm.len(),
        comms.len(),
        "{what}: communities without grids"
    );
    let mut by_street: HashMap<&str, f64> = HashMap::new();
    for i in 0..comms.len() {
        let code = comms.get(i, "code").unwrap_or_default();
        let a = area(comms.geometry(i));
        let sum = by_comm.get(code).copied().unwrap_or_default();
        assert!(
            close(sum, a),
            "{what}: community {code}: grids {sum} vs polygon {a}"
        );
        *by_street
            .entry(comms.get(i, "street").unwrap_or_default())
            .or_default() += a;
    }
    for i in 0..streets.len() {
        let code = streets.get(i, "code").unwrap_or_default();
        let a = area(streets.geometry(i));
        assert!(close(by_street[code], a), "{what}: street {code}");
    }
}

/// Codes have their structure; every component lies inside the grid its BGID names.
fn check_codes_and_containment(ds: &Dataset, demo: &Demo, what: &str) {
    let grids = layer(ds, LayerKind::Grids);
    let comps = layer(ds, LayerKind::Components);
    let streets = layer(ds, LayerKind::Streets);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    for i in 0..streets.len() {
        let code = streets.get(i, "code").unwrap_or_default();
        assert!(
            digits(code, 9) && code.starts_with(demo::REGION),
            "{what}: street {code}"
        );
        let kind = &code[6..7];
        let name = streets.get(i, "name").unwrap_or_default();
        assert!(
            (kind == "0" && name.ends_with("街道")) || (kind == "1" && name.ends_with('镇')),
            "{what}: {code} {name}"
        );
    }
    let code_parent: BTreeSet<&str> = demo
        .truth
        .defects
        .iter()
        .filter(|d| d.rule == "CODE-PARENT")
        .map(|d| d.key.as_str())
        .collect();
    let mut by_code: HashMap<&str, &Geometry> = HashMap::new();
    for i in 0..grids.len() {
        let code = grids.get(i, "code").unwrap_or_default();
        assert!(
            digits(code, 15) && code.starts_with(demo::REGION),
            "{what}: grid {code}"
        );
        assert_eq!(
            grids.get(i, "street"),
            Some(&code[..9]),
            "{what}: street of {code}"
        );
        if !code_parent.contains(code) {
            assert_eq!(
                grids.get(i, "community"),
                Some(&code[..12]),
                "{what}: community of {code}"
            );
        }
        assert!(
            by_code.insert(code, grids.geometry(i).unwrap()).is_none(),
            "{what}: {code} twice"
        );
    }
    let table: BTreeSet<String> = gridkeeper::schema::Profile::builtin(demo::PROFILE)
        .unwrap()
        .tables["classes"]
        .rows
        .keys()
        .cloned()
        .collect();
    let defect_features: BTreeSet<usize> = demo
        .truth
        .defects
        .iter()
        .filter(|d| d.layer == "components")
        .map(|d| d.feature)
        .collect();
    for i in 0..comps.len() {
        let code = comps.get(i, "code").unwrap_or_default();
        assert!(
            digits(code, 16) && code.starts_with(demo::REGION),
            "{what}: component {code}"
        );
        if !defect_features.contains(&i) {
            assert!(table.contains(&code[6..10]), "{what}: class of {code}");
            assert_eq!(comps.get(i, "class"), Some(&code[6..10]), "{what}: {code}");
        }
        let grid = comps.get(i, "grid").unwrap_or_default();
        let Some(Geometry::Point(p)) = comps.geometry(i) else {
            panic!("{what}: {code} is not a point")
        };
        let poly = by_code
            .get(grid)
            .unwrap_or_else(|| panic!("{what}: {code} in unknown grid {grid}"));
        assert!(
            poly.contains(&Point::from(p.0)),
            "{what}: {code} outside its grid {grid}"
        );
    }
}

fn codes(ds: &Dataset, kind: LayerKind) -> BTreeSet<String> {
    let l = layer(ds, kind);
    (0..l.len())
        .filter_map(|i| l.get(i, "code").map(str::to_string))
        .collect()
}

/// The truth lists the differences intended, and they are true of the data.
fn check_truth(demo: &Demo, old: &Dataset, new: &Dataset) {
    let t = &demo.truth;
    let k = demo::grid_changes(demo.options.grids);
    for relation in GridRelation::ALL {
        let want = if relation == GridRelation::Split {
            k + 1
        } else {
            k
        };
        assert_eq!(t.grid_count(relation), want, "{relation:?}");
    }
    let (old_grids, new_grids) = (codes(old, LayerKind::Grids), codes(new, LayerKind::Grids));
    for d in &t.grids {
        assert!(d.old.iter().all(|c| old_grids.contains(c)), "{d:?}");
        assert!(d.new.iter().all(|c| new_grids.contains(c)), "{d:?}");
        match d.relation {
            GridRelation::Split => assert!((2..=3).contains(&d.new.len()) && d.old.len() == 1),
            GridRelation::Merged => assert!(d.old.len() == 2 && d.new.len() == 1),
            GridRelation::Reshaped => assert!(d.old == d.new && d.old.len() == 2),
            GridRelation::Recoded => assert!(d.old[0][..12] == d.new[0][..12] && d.old != d.new),
            GridRelation::Reparented => assert_ne!(d.old[0][..12], d.new[0][..12]),
            GridRelation::Added => assert!(d.old.is_empty() && !old_grids.contains(&d.new[0])),
            GridRelation::Removed => assert!(d.new.is_empty() && !new_grids.contains(&d.old[0])),
        }
    }
    let splits: Vec<_> = t
        .grids
        .iter()
        .filter(|d| d.relation == GridRelation::Split)
        .collect();
    assert!(
        splits.iter().any(|d| !d.new.contains(&d.old[0])),
        "a split keeping no code"
    );
    assert!(
        splits.iter().any(|d| d.new.contains(&d.old[0])),
        "a split keeping a code"
    );

    let kc = demo::component_changes(demo.options.components);
    for change in Change::ALL {
        let n = t
            .components
            .iter()
            .filter(|d| d.change == change && d.reason.is_none())
            .count();
        if change == Change::GridChanged {
            assert!(n > 0, "no grid-changed component");
        } else {
            assert_eq!(n, kc, "{change:?}");
        }
    }
    let (old_c, new_c) = (
        codes(old, LayerKind::Components),
        codes(new, LayerKind::Components),
    );
    for d in &t.components {
        if let Some(c) = &d.old_code {
            assert!(old_c.contains(c), "{d:?}");
        }
        if let Some(c) = &d.new_code {
            assert!(new_c.contains(c), "{d:?}");
        }
        match d.change {
            Change::Added => {
                assert!(d.old_code.is_none() && !old_c.contains(d.new_code.as_ref().unwrap()))
            }
            Change::Removed => {
                assert!(d.new_code.is_none() && !new_c.contains(d.old_code.as_ref().unwrap()))
            }
            Change::Moved => assert!((5.0..=30.5).contains(&d.distance.unwrap())),
            Change::Recoded | Change::Reclassified => {
                assert_ne!(d.old_code, d.new_code)
            }
            Change::GridChanged => assert_ne!(d.old_grid, d.new_grid),
            _ => {
                assert_eq!(d.old_code, d.new_code);
                assert_ne!(d.old_value, d.new_value);
            }
        }
    }
    let mut seen = BTreeSet::new();
    for d in &t.components {
        let key = d.new_code.clone().or(d.old_code.clone());
        assert!(seen.insert(key), "{d:?} changed twice");
    }
}

/// Error findings of `validate` on a folder, as (rule, key, feature).
fn errors(dir: &Path) -> Vec<(String, String, Option<usize>)> {
    let (ds, profile) = dataset::load(dir, &Default::default()).unwrap();
    let mut out: Vec<_> = validate::run(&ds, &profile, &validate::Options::default())
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.rule.id().to_string(), f.key, f.feature))
        .collect();
    out.sort();
    out
}

#[test]
fn districts_tile_nest_and_tell_the_truth() {
    for seed in SEEDS {
        for (grids, components) in SIZES {
            let what = format!("seed {seed}, {grids} grids");
            let demo = demo::generate(&options(seed, grids, components, true));
            let dir = tempfile::tempdir().unwrap();
            let paths = demo::write(&demo, dir.path()).unwrap();
            assert_eq!(demo.new.components.len(), components);
            let n = demo.new.grids.len();
            assert!(
                n * 10 >= grids * 9 && n * 10 <= grids * 12,
                "{what}: {n} grids"
            );

            let new = load(&paths.new).0;
            let old = load(&paths.old).0;
            for (ds, v, label) in [(&new, &demo.new, "2026"), (&old, &demo.old, "2025")] {
                let what = format!("{what} {label}");
                check_tiling(ds, v.district.unsigned_area(), &what);
                check_codes_and_containment(ds, &demo, &what);
            }
            // The GeoJSON copy holds the same features.
            let gj = load(&paths.geojson_new).0;
            check_tiling(
                &gj,
                demo.new.district.unsigned_area(),
                &format!("{what} geojson"),
            );
            assert_eq!(
                codes(&gj, LayerKind::Components),
                codes(&new, LayerKind::Components)
            );
            check_truth(&demo, &old, &new);

            // Validation finds exactly the seeded defects.
            let want: Vec<_> = {
                let mut v: Vec<_> = demo
                    .truth
                    .defects
                    .iter()
                    .map(|d| (d.rule.clone(), d.key.clone(), Some(d.feature)))
                    .collect();
                v.sort();
                v
            };
            let rules: BTreeSet<&str> = want.iter().map(|w| w.0.as_str()).collect();
            assert_eq!(
                rules,
                BTreeSet::from([
                    "ATTR-ENUM",
                    "ATTR-REQUIRED",
                    "CLASS-UNKNOWN",
                    "CODE-CLASS",
                    "CODE-PARENT",
                    "DATE-ORDER",
                    "KEY-DUPLICATE"
                ])
            );
            assert_eq!(errors(&paths.new), want, "{what}: 2026");
            assert_eq!(errors(&paths.geojson_new), want, "{what}: geojson 2026");
            assert_eq!(errors(&paths.old), vec![], "{what}: 2025");
        }
    }
}

/// Every finding of `validate` on a folder, whatever its severity, as (rule, key).
fn all_findings(dir: &Path) -> Vec<(String, String)> {
    let (ds, profile) = dataset::load(dir, &Default::default()).unwrap();
    validate::run(&ds, &profile, &validate::Options::default())
        .into_iter()
        .map(|f| (f.rule.id().to_string(), f.key))
        .collect()
}

/// A coverage of several hundred irregular grids without defects gives no findings at all:
/// no overlaps, gaps, vertex mismatches, nesting or placement findings, no warnings.
#[test]
fn without_defects_nothing_is_found() {
    for seed in SEEDS {
        let demo = demo::generate(&options(seed, 400, 5_000, false));
        assert!(demo.truth.defects.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let paths = demo::write(&demo, dir.path()).unwrap();
        assert_eq!(all_findings(&paths.new), vec![], "seed {seed}");
        assert_eq!(all_findings(&paths.old), vec![], "seed {seed}");
        assert_eq!(all_findings(&paths.geojson_old), vec![], "seed {seed}");
    }
}

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn same_options_same_bytes() {
    let o = options(7, 400, 5_000, true);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    demo::write(&demo::generate(&o), a.path()).unwrap();
    demo::write(&demo::generate(&o), b.path()).unwrap();
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    // Per version: 7 layers (5 and the two duty layers) × (.shp .shx .dbf .cpg .prj) +
    // dataset.toml, 7 GeoJSON + dataset.toml; last year's cases.csv in both of last year's
    // folders.
    assert_eq!(
        fa.len(),
        2 * (7 * 5 + 1) + 2 * (7 + 1) + 1 + 2,
        "{:?}",
        fa.keys()
    );
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs");
    }
    // Writing again over the same folder changes nothing.
    demo::write(&demo::generate(&o), a.path()).unwrap();
    assert_eq!(files(a.path()), fa);
    // Another seed gives another district.
    let c = tempfile::tempdir().unwrap();
    demo::write(&demo::generate(&options(8, 400, 5_000, true)), c.path()).unwrap();
    assert_ne!(files(c.path())["2026/grids.shp"], fa["2026/grids.shp"]);
}

#[test]
fn manifest_names_the_local_fields() {
    let demo = demo::generate(&options(1, 60, 500, true));
    let dir = tempfile::tempdir().unwrap();
    let paths = demo::write(&demo, dir.path()).unwrap();
    let text = std::fs::read_to_string(paths.new.join("dataset.toml")).unwrap();
    for needle in [
        "region = \"350582\"",
        "year = 2026",
        "effective = \"2026-07-01\"",
        "profile = \"gbt30428-2013\"",
        "crs = \"EPSG:4549\"",
        "[layers.grids]",
        "code = \"BGID\"",
        "maintainer = \"DEPTNAME3\"",
        "currency = \"OBJUPTODAT\"",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
    let ds = load(&paths.new).0;
    assert_eq!(ds.manifest.year, Some(2026));
    let comps = layer(&ds, LayerKind::Components);
    assert_eq!(comps.fields.columns["owner"].1, "DEPTNAME2");
    assert_eq!(comps.layer.encoding.as_deref(), Some("GBK"));
    assert_eq!(comps.layer.crs.as_ref().and_then(|c| c.epsg), Some(4549));
    // Chinese text survives the GBK round trip.
    let names: BTreeSet<&str> = (0..comps.len())
        .filter_map(|i| comps.get(i, "name"))
        .collect();
    assert!(
        names.contains("路灯") || names.contains("行道树"),
        "{names:?}"
    );
    let old = load(&paths.old).0;
    assert_eq!(
        old.manifest.effective.map(|d| d.to_string()).as_deref(),
        Some("2025-07-01")
    );
}
