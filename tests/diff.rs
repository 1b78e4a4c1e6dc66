//! `diff`: every relation on hand-made pairs of versions (fixtures/diff/), the demo's truth
//! reproduced exactly, and the properties diff(A, A) = unchanged, diff(B, A) = inverse.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gridkeeper::demo::{self, DemoOptions, GridRelation};
use gridkeeper::diff::{self, Change, ChangeSet, Relation};
use gridkeeper::schema::Thresholds;
use gridkeeper::LayerKind;

use common::load;

mod common;

/// `fixtures/diff/NAME`.
fn fixture(name: &str) -> PathBuf {
    common::fixture("diff").join(name)
}

fn run(old: &Path, new: &Path) -> ChangeSet {
    let (o, _) = load(old);
    let (n, p) = load(new);
    diff::run(&o, &n, &p, &p.thresholds).expect("diff")
}

fn fixture_diff(name: &str) -> ChangeSet {
    run(&fixture(name).join("old"), &fixture(name).join("new"))
}

/// The changed groups of a layer as (relation, old codes, new codes).
fn groups(cs: &ChangeSet, kind: LayerKind) -> Vec<(Relation, Vec<String>, Vec<String>)> {
    let d = cs.layer(kind).expect("layer");
    d.changed()
        .map(|g| {
            (
                g.relation,
                g.old.iter().map(|&i| d.old_codes[i].clone()).collect(),
                g.new.iter().map(|&i| d.new_codes[i].clone()).collect(),
            )
        })
        .collect()
}

fn g(r: Relation, old: &[&str], new: &[&str]) -> (Relation, Vec<String>, Vec<String>) {
    (
        r,
        old.iter().map(|s| s.to_string()).collect(),
        new.iter().map(|s| s.to_string()).collect(),
    )
}

fn component_rows(cs: &ChangeSet) -> Vec<(Change, String, String)> {
    cs.components
        .iter()
        .map(|c| {
            (
                c.change,
                c.old_value.clone().unwrap_or_default(),
                c.new_value.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn split_with_a_piece_keeping_the_code_and_without() {
    let cs = fixture_diff("split");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![
            g(
                Relation::Split,
                &["350582101001001"],
                &["350582101001001", "350582101001009"]
            ),
            g(
                Relation::Split,
                &["350582101001002"],
                &["350582101001010", "350582101001011"]
            ),
        ]
    );
    // the component at x = 550 lies on the new boundary: the smaller code takes it
    assert_eq!(
        component_rows(&cs),
        vec![(
            Change::GridChanged,
            "350582101001002".into(),
            "350582101001010".into()
        )]
    );
    // the crosswalk: one row per pair, shares exact
    let d = cs.layer(LayerKind::Grids).expect("grids");
    let rows: Vec<(String, String, f64, f64, Relation)> = d
        .lineage
        .pairs
        .iter()
        .filter(|p| p.relation != Relation::Unchanged)
        .map(|p| {
            (
                d.old_codes[p.old].clone(),
                d.new_codes[p.new].clone(),
                p.share_old,
                p.share_new,
                p.relation,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "350582101001001".into(),
                "350582101001001".into(),
                0.5,
                1.0,
                Relation::Split
            ),
            (
                "350582101001001".into(),
                "350582101001009".into(),
                0.5,
                1.0,
                Relation::Split
            ),
            (
                "350582101001002".into(),
                "350582101001010".into(),
                0.5,
                1.0,
                Relation::Split
            ),
            (
                "350582101001002".into(),
                "350582101001011".into(),
                0.5,
                1.0,
                Relation::Split
            ),
        ]
    );
}

#[test]
fn a_merge_across_a_community_boundary_is_reparented() {
    let cs = fixture_diff("merge-across-community");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![g(
            Relation::Merged,
            &["350582001001002", "350582001002001"],
            &["350582001001002"]
        )]
    );
    let grp = cs
        .layer(LayerKind::Grids)
        .and_then(|d| d.changed().next())
        .expect("group");
    assert!(grp.reparented && grp.recoded && grp.reshaped);
    // the communities' common boundary moved with it
    assert_eq!(
        groups(&cs, LayerKind::Communities),
        vec![g(
            Relation::Reshaped,
            &["350582001001", "350582001002"],
            &["350582001001", "350582001002"]
        )]
    );
    assert_eq!(
        component_rows(&cs),
        vec![(
            Change::GridChanged,
            "350582001002001".into(),
            "350582001001002".into()
        )]
    );
}

#[test]
fn reorganised_n_to_m() {
    let cs = fixture_diff("reorganised");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![g(
            Relation::Reorganised,
            &["350582101001005", "350582101001006"],
            &["350582101001012", "350582101001013"]
        )]
    );
}

#[test]
fn a_sliver_below_the_noise_floor_is_no_change() {
    let cs = fixture_diff("noise");
    assert_eq!(groups(&cs, LayerKind::Grids), vec![]);
    assert!(cs.components.is_empty());
    // with a lower floor the 5 m² transfer is a change: both grids reshaped, one group
    let (o, _) = load(&fixture("noise").join("old"));
    let (n, p) = load(&fixture("noise").join("new"));
    let mut t = p.thresholds.clone();
    t.set("lineage_min_area_m2=1").expect("set");
    t.set("lineage_min_share=0").expect("set");
    let cs = diff::run(&o, &n, &p, &t).expect("diff");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![g(
            Relation::Reshaped,
            &["350582001001001", "350582001001002"],
            &["350582001001001", "350582001001002"]
        )]
    );
}

#[test]
fn a_moved_boundary_reshapes_both_neighbours() {
    let cs = fixture_diff("reshaped");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![g(
            Relation::Reshaped,
            &["350582001001003", "350582001001004"],
            &["350582001001003", "350582001001004"]
        )]
    );
    let d = cs.layer(LayerKind::Grids).expect("grids");
    let rows: Vec<(String, String, f64)> = d
        .lineage
        .pairs
        .iter()
        .filter(|p| p.relation == Relation::Reshaped)
        .map(|p| {
            (
                d.old_codes[p.old].clone(),
                d.new_codes[p.new].clone(),
                p.area,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("350582001001003".into(), "350582001001003".into(), 10_000.0),
            ("350582001001004".into(), "350582001001003".into(), 2_000.0),
            ("350582001001004".into(), "350582001001004".into(), 8_000.0),
        ]
    );
}

#[test]
fn recoded_and_reparented() {
    let cs = fixture_diff("recoded");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![
            g(
                Relation::Reparented,
                &["350582001001004"],
                &["350582001002009"]
            ),
            g(
                Relation::Recoded,
                &["350582101001004"],
                &["350582101001014"]
            ),
        ]
    );
    assert_eq!(
        groups(&cs, LayerKind::Communities),
        vec![g(
            Relation::Reshaped,
            &["350582001001", "350582001002"],
            &["350582001001", "350582001002"]
        )]
    );
}

#[test]
fn a_code_reused_for_another_place() {
    let cs = fixture_diff("code-reused");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![
            g(Relation::Added, &[], &["350582101001008"]),
            g(Relation::Removed, &["350582101001008"], &[]),
        ]
    );
    let f: Vec<(&str, &str, &str)> = cs
        .findings
        .iter()
        .map(|f| (f.rule.id(), f.layer.as_str(), f.key.as_str()))
        .collect();
    assert_eq!(f, vec![("DIFF-CODE-REUSED", "grids", "350582101001008")]);
}

#[test]
fn rings_starting_elsewhere_or_turning_the_other_way_are_unchanged() {
    let cs = fixture_diff("ring-order");
    assert_eq!(groups(&cs, LayerKind::Grids), vec![]);
    assert!(cs.components.is_empty() && cs.findings.is_empty());
}

#[test]
fn a_retired_grid_takes_part_as_removed() {
    let cs = fixture_diff("retired");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        vec![g(
            Relation::Recoded,
            &["350582001001004"],
            &["350582001001009"]
        )]
    );
}

#[test]
fn invalid_grids_are_left_out_and_named() {
    // fixtures/geom-invalid: the clean district with three invalid grids
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let cs = run(&root.join("clean"), &root.join("geom-invalid"));
    let f: Vec<(&str, &str)> = cs
        .findings
        .iter()
        .map(|f| (f.rule.id(), f.key.as_str()))
        .collect();
    assert_eq!(
        f,
        vec![
            ("DIFF-SKIPPED", "350582001001001"),
            ("DIFF-SKIPPED", "350582001002002"),
            ("DIFF-SKIPPED", "350582101001008"),
        ]
    );
    // with no new counterpart, their old versions are removed
    let removed: Vec<(Relation, Vec<String>, Vec<String>)> = groups(&cs, LayerKind::Grids);
    assert_eq!(
        removed,
        vec![
            g(Relation::Removed, &["350582001001001"], &[]),
            g(Relation::Removed, &["350582001002002"], &[]),
            g(Relation::Removed, &["350582101001008"], &[]),
        ]
    );
}

// ---- the demo district ----

fn demo_versions(
    seed: u64,
    grids: usize,
    components: usize,
) -> (tempfile::TempDir, demo::DemoPaths, demo::Demo) {
    let d = demo::generate(&DemoOptions {
        seed,
        grids,
        components,
        defects: false,
        ..Default::default()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = demo::write(&d, dir.path()).expect("write");
    (dir, paths, d)
}

fn truth_relation(r: GridRelation) -> Relation {
    match r {
        GridRelation::Split => Relation::Split,
        GridRelation::Merged => Relation::Merged,
        GridRelation::Reshaped => Relation::Reshaped,
        GridRelation::Recoded => Relation::Recoded,
        GridRelation::Reparented => Relation::Reparented,
        GridRelation::Added => Relation::Added,
        GridRelation::Removed => Relation::Removed,
    }
}

#[test]
fn the_demo_truth_is_reproduced_exactly() {
    for (seed, grids, components) in [(1, 300, 3_000), (7, 900, 12_000), (2026, 2_500, 20_000)] {
        let what = format!("seed {seed}, {grids} grids");
        let (_dir, paths, d) = demo_versions(seed, grids, components);
        let cs = run(&paths.old, &paths.new);
        // grids: every difference applied, nothing else
        let mut want: Vec<(Relation, Vec<String>, Vec<String>)> = d
            .truth
            .grids
            .iter()
            .map(|t| {
                let mut o = t.old.clone();
                let mut n = t.new.clone();
                o.sort();
                n.sort();
                (truth_relation(t.relation), o, n)
            })
            .collect();
        want.sort();
        want.dedup();
        let mut got = groups(&cs, LayerKind::Grids);
        got.sort();
        assert_eq!(got, want, "{what}");
        // components: each truth change is found for its component; every other change is a
        // grid change explained by the grids' codes
        let mut found: BTreeMap<(Option<String>, Option<String>), BTreeSet<Change>> =
            BTreeMap::new();
        for c in &cs.components {
            found
                .entry((c.old_code.clone(), c.new_code.clone()))
                .or_default()
                .insert(c.change);
        }
        for t in &d.truth.components {
            let key = (t.old_code.clone(), t.new_code.clone());
            let changes = found.remove(&key).unwrap_or_default();
            assert!(
                changes.contains(&t.change),
                "{what}: {t:?} not found (got {changes:?})"
            );
            let extra: BTreeSet<&Change> = changes
                .iter()
                .filter(|c| **c != t.change && **c != Change::GridChanged)
                .collect();
            assert!(extra.is_empty(), "{what}: {t:?} also {extra:?}");
        }
        for (key, changes) in &found {
            assert_eq!(
                changes,
                &BTreeSet::from([Change::GridChanged]),
                "{what}: unexpected {key:?}"
            );
        }
        assert!(cs.findings.is_empty(), "{what}: {:?}", cs.findings);
    }
}

#[test]
fn the_same_version_twice_is_all_unchanged() {
    for seed in [3, 11] {
        let (_dir, paths, _) = demo_versions(seed, 400, 4_000);
        for dir in [&paths.old, &paths.new] {
            let cs = run(dir, dir);
            for d in &cs.layers {
                assert!(
                    d.lineage
                        .groups
                        .iter()
                        .all(|g| g.relation == Relation::Unchanged),
                    "seed {seed} {}",
                    d.layer
                );
                assert!(d
                    .lineage
                    .pairs
                    .iter()
                    .all(|p| p.share_old == 1.0 && p.share_new == 1.0));
            }
            assert!(cs.components.is_empty());
        }
    }
}

#[test]
fn backwards_is_the_inverse() {
    for seed in [5, 9] {
        let (_dir, paths, _) = demo_versions(seed, 600, 6_000);
        let fwd = run(&paths.old, &paths.new);
        let back = run(&paths.new, &paths.old);
        for kind in [LayerKind::Streets, LayerKind::Communities, LayerKind::Grids] {
            let mut f: Vec<(Relation, Vec<String>, Vec<String>)> = groups(&fwd, kind)
                .into_iter()
                .map(|(r, o, n)| (r.inverse(), n, o))
                .collect();
            let mut b = groups(&back, kind);
            f.sort();
            b.sort();
            assert_eq!(f, b, "seed {seed} {kind}");
        }
        // the crosswalk's pairs are the same pairs, sides swapped
        let pairs = |cs: &ChangeSet, swap: bool| -> BTreeSet<(String, String, u64)> {
            let d = cs.layer(LayerKind::Grids).expect("grids");
            d.lineage
                .pairs
                .iter()
                .map(|p| {
                    let (o, n) = (d.old_codes[p.old].clone(), d.new_codes[p.new].clone());
                    let a = (p.area * 100.0).round() as u64;
                    if swap {
                        (n, o, a)
                    } else {
                        (o, n, a)
                    }
                })
                .collect()
        };
        assert_eq!(pairs(&fwd, false), pairs(&back, true), "seed {seed}");
    }
}

#[test]
fn the_crosswalk_conserves_area() {
    let (_dir, paths, _) = demo_versions(13, 500, 2_000);
    let cs = run(&paths.old, &paths.new);
    let d = cs.layer(LayerKind::Grids).expect("grids");
    let t = Thresholds::default();
    // Σ over a new grid's rows of area_int = its area, within the noise floor per row
    let mut sum = vec![0.0; d.new_codes.len()];
    let mut rows = vec![0usize; d.new_codes.len()];
    for p in &d.lineage.pairs {
        sum[p.new] += p.area;
        rows[p.new] += 1;
    }
    for (n, &a) in d.lineage.new_area.iter().enumerate() {
        if rows[n] == 0 {
            continue; // added
        }
        assert!(
            (a - sum[n]).abs() <= t.lineage_min_area_m2 * rows[n] as f64 + 1e-6 * a,
            "{}: {a} vs {}",
            d.new_codes[n],
            sum[n]
        );
    }
}

#[test]
fn an_end_date_retires_a_grid_unless_it_comes_before_the_start() {
    // plan/new with grid 350582001001001 (started 2025-07-01) given an end date: the day
    // before the version takes effect (2026-07-01) retires it; 2017-12-31, before its
    // start, is a typing error (DATE-ORDER) and retires nothing.
    let (old, profile) = load(&common::fixture("plan/new"));
    let with_end = |end: &str| {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("new");
        common::copy_version("plan/new", &dir);
        let path = dir.join("grids.geojson");
        let mut layer: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        for f in layer["features"].as_array_mut().expect("features") {
            if f["properties"]["BGID"] == "350582001001001" {
                f["properties"]["CHDATE"] = end.into();
            }
        }
        std::fs::write(&path, layer.to_string()).expect("write");
        let (new, _) = load(&dir);
        let cs = diff::run(&old, &new, &profile, &profile.thresholds).expect("diff");
        groups(&cs, LayerKind::Grids)
    };
    assert_eq!(
        with_end("2026-06-30"),
        [g(Relation::Removed, &["350582001001001"], &[])]
    );
    assert_eq!(with_end("2017-12-31"), []);
}

#[test]
fn a_component_at_nan_is_no_point() {
    // fixtures/diff/nan-multipoint: a shapefile of one-point MultiPoints, every component
    // recoded, one of this year's at NaN (the reader keeps it; validate reports it). It is
    // matched with nothing by place: the old one there is removed, the NaN one added.
    let cs = fixture_diff("nan-multipoint");
    let changes: Vec<Change> = cs.components.iter().map(|c| c.change).collect();
    use Change::*;
    assert_eq!(
        changes,
        [Recoded, Recoded, Removed, Recoded, Added, Recoded, Recoded, Recoded, Recoded]
    );
}

#[test]
fn a_grid_mended_this_year_is_no_reused_code() {
    // fixtures/diff/fixed-geometry: last year's 350582101001003 was a bow-tie (left out of
    // the comparison), this year's is the mended square in the same place.
    let cs = fixture_diff("fixed-geometry");
    let found: Vec<(&str, &str)> = cs
        .findings
        .iter()
        .map(|f| (f.rule.id(), f.key.as_str()))
        .collect();
    assert_eq!(found, [("DIFF-SKIPPED", "350582101001003")]);
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        [g(Relation::Added, &[], &["350582101001003"])]
    );
}

#[test]
fn a_retired_record_before_the_grid_in_use_is_no_reused_code() {
    // Last year's file holds a retired record of 350582001001001 (its shape until 2024, 1 km
    // east; or, the second time, without geometry) before the grid in use under the same
    // code. This year's 350582001001001 is the grid in use, unchanged: no reuse.
    for moved in [true, false] {
        let tmp = tempfile::tempdir().expect("tmp");
        let old_dir = tmp.path().join("old");
        common::plan_old_with(&old_dir, "grids.geojson", |features| {
            let mut history = features
                .iter()
                .find(|f| f["properties"]["BGID"] == "350582001001001")
                .expect("the grid")
                .clone();
            history["properties"]["ORDATE"] = "2020-07-01".into();
            history["properties"]["CHDATE"] = "2024-12-31".into();
            if moved {
                for xy in history["geometry"]["coordinates"][0]
                    .as_array_mut()
                    .expect("ring")
                {
                    xy[0] = (xy[0].as_f64().expect("x") + 1000.0).into();
                }
            } else {
                history["geometry"] = serde_json::Value::Null;
            }
            features.insert(0, history);
        });
        let cs = run(&old_dir, &common::fixture("plan/old"));
        let found: Vec<(&str, &str)> = cs
            .findings
            .iter()
            .map(|f| (f.rule.id(), f.key.as_str()))
            .collect();
        assert_eq!(found, [], "moved: {moved}");
        assert_eq!(groups(&cs, LayerKind::Grids), [], "moved: {moved}");
    }
}

#[test]
fn a_component_code_typed_twice_keeps_the_one_at_its_place() {
    // This year's file has a second manhole cover 3505820101000001, 200 m from the first
    // (or without a point), before it or after it: the first is unchanged, the second added,
    // and no code reused.
    for (first, pointless) in [(true, false), (false, false), (true, true)] {
        let tmp = tempfile::tempdir().expect("tmp");
        let new_dir = tmp.path().join("new");
        common::plan_old_with(&new_dir, "components.geojson", |features| {
            let mut twin = features
                .iter()
                .find(|f| f["properties"]["OBJCODE"] == "3505820101000001")
                .expect("the cover")
                .clone();
            if pointless {
                twin["geometry"] = serde_json::Value::Null;
            } else {
                let x = twin["geometry"]["coordinates"][0].as_f64().expect("x");
                twin["geometry"]["coordinates"][0] = (x + 200.0).into();
            }
            if first {
                features.insert(0, twin);
            } else {
                features.push(twin);
            }
        });
        let cs = run(&common::fixture("plan/old"), &new_dir);
        let changes: Vec<(Change, Option<&str>, Option<&str>)> = cs
            .components
            .iter()
            .map(|c| (c.change, c.old_code.as_deref(), c.new_code.as_deref()))
            .collect();
        assert_eq!(
            changes,
            [(Change::Added, None, Some("3505820101000001"))],
            "first: {first}, without a point: {pointless}"
        );
        assert!(
            !cs.findings
                .iter()
                .any(|f| f.rule.id() == "DIFF-CODE-REUSED"),
            "first: {first}, without a point: {pointless}"
        );
    }
}

#[test]
fn a_code_typed_on_hundreds_of_components_is_matched_by_code_for_256() {
    // 300 lamps under one placeholder code, 10 m apart, the same in both years: the first 256
    // of each year match by code (unchanged); the other 44 are the same lamps by place, so
    // recoded to the code they already have (garbage in, bounded work out).
    let with_lamps = |dir: &Path| {
        common::plan_old_with(dir, "components.geojson", |features| {
            let lamp = features
                .iter()
                .find(|f| f["properties"]["OBJCODE"] == "3505820101000001")
                .expect("a cover")
                .clone();
            for k in 0..300 {
                let mut f = lamp.clone();
                f["properties"]["OBJCODE"] = "3505820101009999".into();
                let x = f["geometry"]["coordinates"][0].as_f64().expect("x");
                f["geometry"]["coordinates"][0] = (x + 10.0 * f64::from(k)).into();
                features.push(f);
            }
        });
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let (old_dir, new_dir) = (tmp.path().join("old"), tmp.path().join("new"));
    with_lamps(&old_dir);
    with_lamps(&new_dir);
    let cs = run(&old_dir, &new_dir);
    let changes: Vec<Change> = cs.components.iter().map(|c| c.change).collect();
    assert_eq!(changes, vec![Change::Recoded; 44]);
    assert!(cs.findings.is_empty(), "{:?}", cs.findings);
}

#[test]
fn a_boundary_adjusted_beside_a_recode_or_a_split_is_no_reorganisation() {
    // 350582101001002 recoded 350582101001014, its boundary with -001 moved 1 m (100 m²):
    // the recode stays a recode, -001 is reshaped, the 100 m² a row of its own.
    let cs = fixture_diff("recoded-and-adjusted");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        [
            g(
                Relation::Reshaped,
                &["350582101001001"],
                &["350582101001001"]
            ),
            g(
                Relation::Recoded,
                &["350582101001002"],
                &["350582101001014"]
            ),
        ]
    );
    let d = cs.layer(LayerKind::Grids).expect("grids");
    let rows: Vec<(&str, &str, f64, Relation)> = d
        .lineage
        .pairs
        .iter()
        .filter(|p| p.relation != Relation::Unchanged)
        .map(|p| {
            (
                d.old_codes[p.old].as_str(),
                d.new_codes[p.new].as_str(),
                p.area,
                p.relation,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "350582101001001",
                "350582101001001",
                10_000.0,
                Relation::Reshaped
            ),
            (
                "350582101001002",
                "350582101001001",
                100.0,
                Relation::Reshaped
            ),
            (
                "350582101001002",
                "350582101001014",
                9_900.0,
                Relation::Recoded
            ),
        ]
    );
    // -002 split in two, its boundary with -001 moved 0.11 m (11 m², over the noise floor):
    // a split, and -001 reshaped beside it.
    let cs = fixture_diff("split-beside-a-sliver");
    assert_eq!(
        groups(&cs, LayerKind::Grids),
        [
            g(
                Relation::Reshaped,
                &["350582101001001"],
                &["350582101001001"]
            ),
            g(
                Relation::Split,
                &["350582101001002"],
                &["350582101001014", "350582101001015"]
            ),
        ]
    );
}

#[test]
fn a_component_code_given_to_another_place_is_reused_not_moved() {
    // fixtures/diff/component-code-reused: a manhole cover recoded 3505820101000777 in its
    // place, its old code 3505820101000001 given to a new one 300 m away.
    let cs = fixture_diff("component-code-reused");
    let rows: Vec<(Change, Option<&str>, Option<&str>)> = cs
        .components
        .iter()
        .map(|c| (c.change, c.old_code.as_deref(), c.new_code.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            (Change::Added, None, Some("3505820101000001")),
            (
                Change::Recoded,
                Some("3505820101000001"),
                Some("3505820101000777")
            ),
        ]
    );
    let found: Vec<(&str, &str, &str, f64)> = cs
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.id(),
                f.layer.as_str(),
                f.key.as_str(),
                f.measure.unwrap_or(0.0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("DIFF-CODE-REUSED", "components", "3505820101000001", 300.0)]
    );
}

#[test]
fn a_recoded_component_is_found_among_hundreds_of_another_class() {
    // A manhole cover recoded and moved 0.5 m, with 300 new lamps put exactly where it was:
    // the cover is matched among the covers near it, not among the 256 nearest of any class
    // (which are all lamps), so it is recoded, not reclassified as a lamp.
    let tmp = tempfile::tempdir().expect("tmp");
    let clean = common::fixture("clean");
    let feature = |code: &str, class: &str, x: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"OBJCODE":"{code}","OBJNAME":"x","OBJTYPE":"{class}","BGID":"350582001001001","DEPTNAME1":"城管局","DEPTNAME2":"a","DEPTNAME3":"a","OBJSTATE":"完好","OBJUPTODAT":"在用","ORDATE":"2025-07-01","CHDATE":null,"DATASOURCE":"实测","NOTE":null}},"geometry":{{"type":"Point","coordinates":[{x},2745170.0]}}}}"#
        )
    };
    let write = |version: &str, year: u32, features: Vec<String>| {
        let dir = tmp.path().join(version);
        std::fs::create_dir_all(&dir).expect("dir");
        let mut manifest = format!(
            "region = \"350582\"\nyear = {year}\neffective = {year}-07-01\nprofile = \"gbt30428-2013\"\ncrs = \"EPSG:4549\"\n"
        );
        for layer in ["streets", "communities", "grids"] {
            let path = clean.join(format!("{layer}.geojson"));
            manifest.push_str(&format!(
                "\n[layers.{layer}]\npath = {:?}\n",
                path.display().to_string()
            ));
        }
        manifest.push_str("\n[layers.components]\npath = \"components.geojson\"\n");
        std::fs::write(dir.join("dataset.toml"), manifest).expect("manifest");
        std::fs::write(
            dir.join("components.geojson"),
            format!(
                r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4549"}}}},"features":[{}]}}"#,
                features.join(",")
            ),
        )
        .expect("components");
        dir
    };
    let old = write(
        "old",
        2025,
        vec![feature("3505820101000001", "0101", 350030.0)],
    );
    let mut lamps: Vec<String> = (0..300)
        .map(|i| feature(&format!("35058201181{i:05}"), "0118", 350030.0))
        .collect();
    lamps.push(feature("3505820101000777", "0101", 350030.5));
    let new = write("new", 2026, lamps);
    let cs = run(&old, &new);
    let mut changes: BTreeMap<Change, usize> = BTreeMap::new();
    for c in &cs.components {
        *changes.entry(c.change).or_default() += 1;
    }
    assert_eq!(
        changes,
        BTreeMap::from([(Change::Added, 300), (Change::Recoded, 1)])
    );
    let recoded = cs
        .components
        .iter()
        .find(|c| c.change == Change::Recoded)
        .expect("recoded");
    assert_eq!(
        (recoded.old_code.as_deref(), recoded.new_code.as_deref()),
        (Some("3505820101000001"), Some("3505820101000777"))
    );
}
