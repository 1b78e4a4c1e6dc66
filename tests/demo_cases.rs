//! The demo district's historical cases (历史案件), checked on the written and re-read data:
//! each case lies in the grid it is filed under (but for the listed bad records), carries
//! that grid's community and street, component cases sit at their component, and the file
//! is deterministic and valid.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDateTime;
use geo::{Contains, Coord, Geometry, Point};
use gridkeeper::demo::{self, Demo, DemoOptions, CASE_FIELDS, CASE_STATUSES};
use gridkeeper::{dataset, validate, Dataset, LayerKind};

use common::{layer, load};

mod common;

const SEEDS: [u64; 2] = [3, 2026];
/// (grids, components, cases)
const SIZES: [(usize, usize, usize); 2] = [(120, 1_000, 1_500), (400, 5_000, 8_000)];

fn options(seed: u64, grids: usize, components: usize, cases: usize) -> DemoOptions {
    DemoOptions {
        seed,
        grids,
        components,
        cases,
        ..Default::default()
    }
}

fn point(g: Option<&Geometry>) -> Option<Coord> {
    match g {
        Some(Geometry::Point(p)) => Some(p.0),
        _ => None,
    }
}

fn dist(a: Coord, b: Coord) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

fn datetime(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("time {text}: {e}"))
}

/// Everything checked on one written district.
fn check(demo: &Demo, old: &Dataset, what: &str) {
    let truth = &demo.truth.cases;
    let grids = layer(old, LayerKind::Grids);
    let by_code: HashMap<&str, usize> = (0..grids.len())
        .map(|i| (grids.get(i, "code").unwrap(), i))
        .collect();
    let comps = layer(old, LayerKind::Components);
    let comp_at: HashMap<&str, (Coord, &str)> = (0..comps.len())
        .map(|i| {
            let at = point(comps.geometry(i)).unwrap();
            (
                comps.get(i, "code").unwrap(),
                (at, comps.get(i, "class").unwrap()),
            )
        })
        .collect();
    let pois: Vec<Coord> = {
        let p = layer(old, LayerKind::Pois);
        (0..p.len()).filter_map(|i| point(p.geometry(i))).collect()
    };
    let cases = layer(old, LayerKind::Cases);
    assert_eq!(cases.len(), demo.options.cases, "{what}");
    assert_eq!(truth.total, cases.len(), "{what}");
    let names: Vec<&str> = cases.layer.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, CASE_FIELDS, "{what}");

    let first = datetime("2023-01-01 00:00:00");
    let last = datetime("2026-06-30 23:59:59");
    let settled = datetime("2025-04-01 00:00:00");
    let mut ids = HashSet::new();
    let mut misfiled = BTreeSet::new();
    let (mut with_point, mut component, mut open, mut near_poi) = (0, 0, 0, 0);
    let text = |i: usize, f: &str| cases.get(i, f).unwrap_or("");
    for i in 0..cases.len() {
        let id = text(i, "id");
        assert!(
            id.len() >= 11 && id.starts_with('A') && id[1..].bytes().all(|b| b.is_ascii_digit()),
            "{what}: id {id}"
        );
        assert!(ids.insert(id.to_string()), "{what}: id {id} twice");
        let time = datetime(text(i, "time"));
        assert!(first <= time && time <= last, "{what}: {id} at {time}");
        assert_eq!(&id[1..5], &text(i, "time")[..4], "{what}: {id} year");
        let status = text(i, "status");
        assert!(CASE_STATUSES.contains(&status), "{what}: {id} {status}");
        if !matches!(status, "结案" | "作废") {
            open += 1;
            assert!(time >= settled, "{what}: {id} of {time} still {status}");
        }

        // As filed: a grid of the 2025 data, its community and street.
        let grid = text(i, "grid");
        let g = *by_code
            .get(grid)
            .unwrap_or_else(|| panic!("{what}: {id} filed under unknown grid {grid:?}"));
        assert_eq!(
            text(i, "community"),
            grids.get(g, "community").unwrap(),
            "{what}: {id}"
        );
        assert_eq!(
            text(i, "street"),
            grids.get(g, "street").unwrap(),
            "{what}: {id}"
        );

        // The point as written: both coordinates with 2 decimals, or neither.
        let (x, y) = (text(i, "x"), text(i, "y"));
        let at = point(cases.geometry(i));
        assert_eq!(x.is_empty(), y.is_empty(), "{what}: {id}");
        assert_eq!(at.is_some(), !x.is_empty(), "{what}: {id}");
        if let Some(p) = at {
            with_point += 1;
            for v in [x, y] {
                assert_eq!(
                    v.split('.').nth(1).map(str::len),
                    Some(2),
                    "{what}: {id} {v}"
                );
            }
            let poly = grids.geometry(g).unwrap();
            if !poly.contains(&Point(p)) {
                misfiled.insert(id.to_string());
            }
            if pois.iter().any(|&q| dist(p, q) < 30.0) {
                near_poi += 1;
            }
        }

        let (major, minor) = (text(i, "major"), text(i, "minor"));
        assert!(major.len() == 2 && minor.len() == 2, "{what}: {id} class");
        match text(i, "kind") {
            "部件" => {
                component += 1;
                let code = text(i, "component");
                let (c, class) = comp_at
                    .get(code)
                    .unwrap_or_else(|| panic!("{what}: {id} names unknown component {code:?}"));
                assert_eq!(format!("{major}{minor}"), *class, "{what}: {id}");
                if let Some(p) = at {
                    assert!(dist(p, *c) <= 2.0, "{what}: {id} {} m away", dist(p, *c));
                }
            }
            "事件" => {
                assert_eq!(text(i, "component"), "", "{what}: {id}");
                assert!(("01"..="05").contains(&major), "{what}: {id} major {major}");
            }
            other => panic!("{what}: {id} kind {other}"),
        }
    }

    // Exactly the listed cases are filed under a grid their point is not in.
    let listed: BTreeSet<String> = truth.bad_grid.iter().cloned().collect();
    assert_eq!(misfiled, listed, "{what}");
    assert!(listed.len() >= 3, "{what}: {} bad records", listed.len());
    assert!(
        listed.len() * 1000 <= cases.len() * 3,
        "{what}: too many bad records"
    );

    let n = cases.len();
    assert_eq!(truth.with_point, with_point, "{what}");
    assert_eq!(truth.component, component, "{what}");
    assert_eq!(truth.open, open, "{what}");
    let without = n - with_point;
    assert!(
        without * 100 >= n * 8 && without * 100 <= n * 12,
        "{what}: {without} of {n} without a point"
    );
    assert!(open > 0, "{what}: no open case");
    assert!(
        component * 5 >= n && component * 2 <= n,
        "{what}: {component} component cases"
    );
    // Clustered: a good share of the points within 30 m of a POI.
    assert!(
        near_poi * 4 >= with_point,
        "{what}: {near_poi} of {with_point} near a POI"
    );
}

#[test]
fn cases_lie_in_their_grids_but_the_listed_bad_ones() {
    for seed in SEEDS {
        for (grids, components, cases) in SIZES {
            let what = format!("seed {seed}, {grids} grids, {cases} cases");
            let demo = demo::generate(&options(seed, grids, components, cases));
            let dir = tempfile::tempdir().unwrap();
            let paths = demo::write(&demo, dir.path()).unwrap();
            assert_eq!(paths.cases, paths.old.join("cases.csv"));
            check(&demo, &load(&paths.old).0, &what);
            check(
                &demo,
                &load(&paths.geojson_old).0,
                &format!("{what} geojson"),
            );
        }
    }
}

#[test]
fn same_options_same_cases_and_a_valid_2025_folder() {
    let o = options(7, 200, 2_000, 3_000);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pa = demo::write(&demo::generate(&o), a.path()).unwrap();
    let pb = demo::write(&demo::generate(&o), b.path()).unwrap();
    let bytes = std::fs::read(&pa.cases).unwrap();
    assert_eq!(bytes, std::fs::read(&pb.cases).unwrap());
    assert_eq!(
        bytes,
        std::fs::read(pa.geojson_old.join("cases.csv")).unwrap()
    );
    assert!(
        bytes.starts_with(
            b"\xEF\xBB\xBFid,time,kind,major,minor,component,x,y,grid,community,street,status\r\n"
        ) || bytes.starts_with(
            b"\xEF\xBB\xBFid,time,kind,major,minor,component,x,y,grid,community,street,status\n"
        )
    );
    // Another seed, other cases.
    let c = tempfile::tempdir().unwrap();
    let pc = demo::write(&demo::generate(&options(8, 200, 2_000, 3_000)), c.path()).unwrap();
    assert_ne!(bytes, std::fs::read(&pc.cases).unwrap());

    // The manifests name the layer; validation finds nothing at all.
    for dir in [&pa.old, &pa.geojson_old] {
        let manifest = std::fs::read_to_string(dir.join("dataset.toml")).unwrap();
        assert!(
            manifest.contains("[layers.cases]\npath = \"cases.csv\""),
            "{manifest}"
        );
        let (ds, profile) = dataset::load(dir, &Default::default()).unwrap();
        assert_eq!(layer(&ds, LayerKind::Cases).len(), 3_000);
        let found = validate::run(&ds, &profile, &validate::Options::default());
        assert!(found.is_empty(), "{}: {found:#?}", dir.display());
    }
    // This year's folders have no cases.
    let manifest = std::fs::read_to_string(pa.new.join("dataset.toml")).unwrap();
    assert!(!manifest.contains("cases"));
    // The truth lists the bad records.
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&pa.truth).unwrap()).unwrap();
    assert_eq!(truth["cases"]["total"], 3_000);
    assert!(truth["cases"]["bad_grid"].as_array().unwrap().len() >= 3);
}

#[test]
fn few_cases_are_kept_to_the_smallest_count() {
    let demo = demo::generate(&options(1, 60, 500, 0));
    assert_eq!(demo.options.cases, *DemoOptions::CASES.start());
    assert_eq!(demo.cases.len(), demo.options.cases);
    // Under 1,000 cases, 0.2 % is no bad record.
    assert!(demo.truth.cases.bad_grid.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let paths = demo::write(&demo, dir.path()).unwrap();
    let text = std::fs::read_to_string(&paths.cases).unwrap();
    assert_eq!(text.lines().count(), 1 + demo.options.cases);
    let (ds, profile) = dataset::load(&paths.old, &Default::default()).unwrap();
    assert!(validate::run(&ds, &profile, &validate::Options::default()).is_empty());
}
