//! `plan`: the exact mapping of every case of the plan fixture (id → new grid, method,
//! review flags), the impact totals, and the written files (byte-identical reruns, the xlsx
//! read back with calamine holding the CSV's rows, run.json's SHA-256s).

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::plan::{self, Populations};
use gridkeeper::remap::{self, Method, Review};
use gridkeeper::{diff, LayerKind};

use common::center::{center, Center};
use common::{load, plan_fixture};

mod common;

fn fx(p: &str) -> PathBuf {
    common::fixture("plan").join(p)
}

struct Run {
    remap: remap::Remap<'static>,
    plan: plan::Plan,
}

fn run() -> Run {
    // The old data and its cases as the district center holds them.
    let Center { prior: old, cases } = center();
    let (new, profile) = load(&fx("new"));
    let t = &profile.thresholds;
    let cs = diff::run(&old, &new, &profile, t).expect("diff");
    // The mappings borrow from the data; a test's small fixtures may live for the process.
    let (old, new, cs, cases) = (
        Box::leak(Box::new(old)),
        Box::leak(Box::new(new)),
        Box::leak(Box::new(cs)),
        Box::leak(Box::new(cases)),
    );
    let remap = remap::run(old, new, cs, cases, &profile.closed_case_statuses(), t);
    let pops = Populations::load(&fx("population.csv")).expect("population");
    let plan = plan::build(old, new, &profile.name, cs, &remap, Some(&pops));
    Run { remap, plan }
}

/// (case id, new grid, method, review flags, involved).
type Mapped = (String, Option<String>, Method, Vec<Review>, bool);

/// Every case of `remap` as [`Mapped`], in file order.
fn every_mapping(remap: &remap::Remap) -> Vec<Mapped> {
    remap
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                c.new[0].map(str::to_string),
                c.method,
                c.review.iter().collect(),
                c.involved,
            )
        })
        .collect()
}

#[test]
fn every_case_maps_exactly() {
    let r = run();
    let got = every_mapping(&r.remap);
    let s = |x: &str| Some(x.to_string());
    let want = vec![
        // an unchanged grid: its code carries over; no change involved
        (
            "C01".to_string(),
            s("350582001001001"),
            Method::Unchanged,
            vec![],
            false,
        ),
        // a split grid: the point decides which piece
        (
            "C02".into(),
            s("350582101001001"),
            Method::Located,
            vec![],
            true,
        ),
        (
            "C03".into(),
            s("350582101001009"),
            Method::Located,
            vec![],
            true,
        ),
        // no point and two successors of equal share: for review
        (
            "C04".into(),
            None,
            Method::Unresolved,
            vec![Review::AmbiguousLineage],
            true,
        ),
        // merged across the community boundary: community changes too
        (
            "C05".into(),
            s("350582001001002"),
            Method::Located,
            vec![],
            true,
        ),
        // no point, a single successor
        (
            "C06".into(),
            s("350582001001002"),
            Method::Lineage,
            vec![],
            true,
        ),
        // on the new boundary between the two pieces: the piece keeping the old code
        (
            "C07".into(),
            s("350582101001001"),
            Method::Boundary,
            vec![],
            true,
        ),
        // in the removed edge grid, 50 m from two grids: the smaller code
        (
            "C08".into(),
            s("350582101001007"),
            Method::Nearest,
            vec![],
            true,
        ),
        // 90 m outside the new grids: for review
        (
            "C09".into(),
            None,
            Method::Unresolved,
            vec![Review::OutsideCoverage],
            true,
        ),
        // an open component case whose component changed owner: re-dispatch
        (
            "C10".into(),
            s("350582101001002"),
            Method::Unchanged,
            vec![Review::Redispatch],
            false,
        ),
        // a recoded grid
        (
            "C11".into(),
            s("350582101001014"),
            Method::Unchanged,
            vec![],
            true,
        ),
        // filed under 001001002, its point lies in 001001003 (unchanged): the point decides
        (
            "C12".into(),
            s("350582001001003"),
            Method::Unchanged,
            vec![],
            true,
        ),
        // filed under a grid that never existed, no point
        (
            "C13".into(),
            None,
            Method::Unresolved,
            vec![Review::UnknownGrid],
            true,
        ),
    ];
    assert_eq!(got, want);
    let c05 = r.remap.get(4).expect("case 5");
    assert_eq!(c05.new[1], Some("350582001001"));
    assert_eq!(c05.old[1], Some("350582001002"));
    let c10 = r.remap.get(9).expect("case 10");
    assert_eq!(c10.owner, Some((Some("环卫站"), Some("物业公司"))));
    // bad historical records are findings, not silently fixed
    let f: Vec<(&str, &str)> = r
        .remap
        .findings
        .iter()
        .map(|f| (f.rule.id(), f.key.as_str()))
        .collect();
    assert_eq!(
        f,
        vec![("CASE-GRID-MISMATCH", "C12"), ("CASE-GRID-UNKNOWN", "C13")]
    );
}

#[test]
fn impact_totals_add_up() {
    let r = run();
    let i = &r.plan.impact;
    assert_eq!(i.total, 13);
    assert_eq!(i.involved, 11);
    assert_eq!(i.open_involved, 2);
    assert_eq!(i.redispatch, 1);
    assert_eq!(i.unresolved, 3);
    // every case is counted once per town before, and once after unless unresolved
    let before: usize = i.towns.iter().map(|t| t.cases_old).sum();
    let after: usize = i.towns.iter().map(|t| t.cases_new).sum();
    assert_eq!(before, i.total);
    assert_eq!(after + i.unresolved, i.total);
    // months and years count the involved cases
    assert_eq!(i.by_year.values().sum::<usize>(), i.involved);
    assert_eq!(i.by_month.values().sum::<usize>(), i.involved);
    assert_eq!(i.by_class.values().sum::<usize>(), i.involved);
    // the quota bases share out the window's total
    let q_old: f64 = i.towns.iter().filter_map(|t| t.quota_old).sum();
    let q_new: f64 = i.towns.iter().filter_map(|t| t.quota_new).sum();
    assert!((q_old - i.window_total as f64).abs() < 1e-9);
    assert!((q_new - i.window_total as f64).abs() < 1e-9);
    // 安海镇 lost a grid of 10,000 m²: its quota base falls, 青阳街道's rises
    let town = |c: &str| i.towns.iter().find(|t| t.code == c).expect("town");
    assert!(town("350582101").quota_new < town("350582101").quota_old);
    assert!(town("350582001").quota_new > town("350582001").quota_old);
    // section 5 lists exactly the involved cases, by id
    let ids: Vec<String> = r
        .plan
        .crosswalk
        .iter()
        .map(|&k| r.remap.id(k).expect("case").into_owned())
        .collect();
    assert_eq!(
        ids,
        ["C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C11", "C12", "C13"]
    );
    assert_eq!(r.plan.disposal.review_cases, 4);
    assert_eq!(r.plan.disposal.bad_records, 2);
    // section 4's component rule: the cases whose component is read back as changed
    let changed: Vec<String> = r
        .remap
        .iter()
        .filter(|c| c.owner.is_some() || c.component.is_some_and(|(old, new)| new != Some(old)))
        .map(|c| c.id.into_owned())
        .collect();
    assert_eq!(changed, ["C10"]);
    assert_eq!(r.plan.disposal.component_cases, 1);
}

#[test]
fn the_files_of_a_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    plan_fixture(&a);
    plan_fixture(&b);
    for f in [
        "plan.md",
        "plan.xlsx",
        "grid_crosswalk.csv",
        "case_crosswalk.csv",
        "changes.geojson",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).expect(f),
            std::fs::read(b.join(f)).expect(f),
            "{f} differs"
        );
    }
    // run.json differs only in the output paths
    let run = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p.join("run.json")).expect("run.json")).expect("json")
    };
    let (ra, rb) = (run(&a), run(&b));
    assert_eq!(ra["inputs"], rb["inputs"]);
    let cases_input = ra["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|i| i["path"] == "fixtures/plan/cases.csv")
        .expect("cases input");
    let (sha, bytes) = gridkeeper::io::hash::sha256_file(&fx("cases.csv")).expect("hash");
    assert_eq!(cases_input["sha256"], sha.as_str());
    assert_eq!(cases_input["bytes"], bytes);
    assert_eq!(ra["counts"]["cases_involved"], 11);
    assert_eq!(ra["thresholds"]["case_nearest_m"], 50.0);

    // The plan document has its five sections.
    let md = std::fs::read_to_string(a.join("plan.md")).expect("md");
    for h in [
        "## 一、基本情况",
        "## 二、数据变更情况",
        "## 三、历史案件影响分析",
        "## 四、历史案件处置办法说明",
        "## 五、历史案件对照表",
    ] {
        assert!(md.contains(h), "missing {h}");
    }
    assert!(md.contains("4. 坐标在本版网格范围之外的案件，归入 50 米内最近的网格：1 件。"));

    // The case crosswalk: BOM, header, one row per involved case.
    let csv = std::fs::read_to_string(a.join("case_crosswalk.csv")).expect("csv");
    assert!(csv.starts_with('\u{feff}'));
    let rows: Vec<Vec<String>> = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[7][0], "C08");
    assert_eq!(rows[7][7], "350582101001007");
    assert_eq!(rows[7][12], "nearest");

    // The workbook: its sheets, and the case sheet holding the CSV's rows (dates as dates).
    let mut wb: Xlsx<_> = open_workbook(a.join("plan.xlsx")).expect("xlsx");
    assert_eq!(
        wb.sheet_names(),
        [
            "变更清单",
            "网格对照表",
            "部件对照表",
            "历史案件对照表",
            "影响分析",
            "需人工核查"
        ]
    );
    let sheet = wb.worksheet_range("历史案件对照表").expect("sheet");
    let cells: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(cells.len(), rows.len());
    for (k, row) in rows.iter().enumerate().skip(1) {
        assert_eq!(cells[k][0], Data::String(row[0].clone()));
        match &cells[k][1] {
            Data::DateTime(d) => {
                let got = d.as_datetime().expect("date").date().to_string();
                assert_eq!(got, row[1]);
            }
            other => panic!("row {k}: a date expected, got {other:?}"),
        }
        // the new grid
        let new_grid = match &cells[k][9] {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => panic!("{other:?}"),
        };
        assert_eq!(new_grid, row[7]);
    }
    // numbers are numbers in the grid crosswalk
    let grid = wb.worksheet_range("网格对照表").expect("grid sheet");
    assert!(matches!(grid.get((1, 2)), Some(Data::Float(_))));
}

/// On the demo district: every case with a point lying strictly inside one new grid is
/// remapped to that grid (found here by brute force); every case filed under (or lying in) a
/// changed grid is in the cross-reference table, and no case of an unchanged area is; the
/// impact totals add up to the case count.
#[test]
fn demo_cases_follow_their_points() {
    use geo::coordinate_position::{CoordPos, CoordinatePosition};
    use gridkeeper::demo::{self, DemoOptions};
    for seed in [4, 2026] {
        let d = demo::generate(&DemoOptions {
            seed,
            grids: 300,
            components: 3_000,
            cases: 3_000,
            defects: false,
        });
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = demo::write(&d, dir.path()).expect("write");
        let (old, _) = dataset::load(&paths.old, &LoadOptions::default()).expect("old");
        let (new, profile) = dataset::load(&paths.new, &LoadOptions::default()).expect("new");
        let t = &profile.thresholds;
        let cs = diff::run(&old, &new, &profile, t).expect("diff");
        let cases = old.layer(LayerKind::Cases).expect("cases layer");
        let r = remap::run(&old, &new, &cs, cases, &profile.closed_case_statuses(), t);
        assert_eq!(r.len(), 3_000);
        let grids = new.layer(LayerKind::Grids).expect("grids");
        let old_grids = old.layer(LayerKind::Grids).expect("old grids");
        let inside = |layer: &gridkeeper::BoundLayer, c: geo::Coord| -> Vec<String> {
            (0..layer.len())
                .filter(|&g| {
                    layer
                        .geometry(g)
                        .is_some_and(|geom| geom.coordinate_position(&c) == CoordPos::Inside)
                })
                .map(|g| layer.key(g))
                .collect()
        };
        // grids that changed, by old code
        let gd = cs.layer(LayerKind::Grids).expect("grid diff");
        let changed: std::collections::BTreeSet<String> = gd
            .changed()
            .flat_map(|g| g.old.iter().map(|&o| gd.old_codes[o].clone()))
            .collect();
        let mut checked = 0;
        for m in r.iter() {
            // the new grid by feature index is the one read back by code
            assert_eq!(
                r.new_grid(m.case).map(|k| grids.key(k)).as_deref(),
                m.new[0],
                "seed {seed} case {}",
                m.id
            );
            let point = match cases.geometry(m.case) {
                Some(geo::Geometry::Point(p)) => Some(p.0),
                _ => None,
            };
            if let Some(c) = point {
                let hits = inside(grids, c);
                if let [only] = hits.as_slice() {
                    assert_eq!(m.new[0], Some(only.as_str()), "seed {seed} case {}", m.id);
                    checked += 1;
                }
            }
            // the old grid that counts: where its point lies, else as filed
            let basis = point
                .and_then(|c| inside(old_grids, c).into_iter().next())
                .or_else(|| m.old[0].map(str::to_string));
            let in_changed = basis.as_ref().is_some_and(|g| changed.contains(g));
            let codes_moved = m.old != m.new;
            assert_eq!(
                m.involved,
                in_changed || codes_moved,
                "seed {seed} case {}",
                m.id
            );
        }
        assert!(checked > 2_000, "seed {seed}: only {checked} cases checked");
        let plan = plan::build(&old, &new, &profile.name, &cs, &r, None);
        let i = &plan.impact;
        assert_eq!(i.total, 3_000);
        assert_eq!(i.towns.iter().map(|t| t.cases_old).sum::<usize>(), 3_000);
        assert_eq!(
            i.towns.iter().map(|t| t.cases_new).sum::<usize>() + i.unresolved,
            3_000
        );
        assert_eq!(plan.crosswalk.len(), i.involved);
        assert_eq!(i.by_month.values().sum::<usize>(), i.involved);
        // section 4's component rule counts the cases read back with a changed component
        let (mut recoded, mut removed, mut owner) = (0, 0, 0);
        for m in r.iter() {
            match m.component {
                Some((_, None)) => removed += 1,
                Some((old, Some(new))) if old != new => recoded += 1,
                _ if m.owner.is_some() => owner += 1,
                _ => {}
            }
        }
        assert!(recoded > 0 && removed > 0 && owner > 0, "seed {seed}");
        assert_eq!(plan.disposal.component_cases, recoded + removed + owner);
        // the demo's bad records are exactly the findings of the remapping
        let mut bad: Vec<String> = r.findings.iter().map(|f| f.key.clone()).collect();
        bad.sort();
        let mut want = d.truth.cases.bad_grid.clone();
        want.sort();
        assert_eq!(bad, want, "seed {seed}");
    }
}

/// (case id, new grid, method) of every case of `cases` remapped from `old` to `new`.
fn mapped(
    old: &gridkeeper::Dataset,
    new: &gridkeeper::Dataset,
    cases: &gridkeeper::BoundLayer,
) -> Vec<(String, Option<String>, Method)> {
    let profile = gridkeeper::schema::Profile::builtin("gbt30428-2013").expect("profile");
    let t = &profile.thresholds;
    let cs = diff::run(old, new, &profile, t).expect("diff");
    remap::run(old, new, &cs, cases, &profile.closed_case_statuses(), t)
        .iter()
        .map(|c| (c.id.to_string(), c.new[0].map(str::to_string), c.method))
        .collect()
}

/// The plan fixture's case file with only `rows` (after its header).
fn cases_of(dir: &Path, rows: &[&str]) -> gridkeeper::BoundLayer {
    let text = std::fs::read_to_string(fx("cases.csv")).expect("cases");
    let head = text.lines().next().expect("header");
    let path = dir.join("cases.csv");
    std::fs::write(&path, format!("{head}\n{}\n", rows.join("\n"))).expect("write");
    let profile = gridkeeper::schema::Profile::builtin("gbt30428-2013").expect("profile");
    dataset::read_bound(
        &path,
        LayerKind::Cases,
        profile.layer(LayerKind::Cases).expect("schema"),
        &Default::default(),
        None,
    )
    .expect("cases")
}

#[test]
fn nearest_is_measured_in_metres_in_longitude_latitude_too() {
    use gridkeeper::io::crs::{Crs, CrsSource};

    // Both outside the new grids: N1 53 m south of 350582101001014 and 60 m east of -007,
    // N2 45 m south of -014.
    let tmp = tempfile::tempdir().expect("tmp");
    let cases = cases_of(
        tmp.path(),
        &[
            "N1,2026-03-01 12:00:00,事件,03,02,,350760.0,2745047.0,350582101001008,350582101001,350582101,结案",
            "N2,2026-03-01 12:00:00,事件,03,02,,350760.0,2745055.0,350582101001008,350582101001,350582101,结案",
        ],
    );
    let old = center().prior;
    let (new, _) = load(&fx("new"));
    let s = |x: &str| Some(x.to_string());
    let want = vec![
        ("N1".to_string(), None, Method::Unresolved),
        ("N2".to_string(), s("350582101001014"), Method::Nearest),
    ];
    assert_eq!(mapped(&old, &new, &cases), want);
    // The same in CGCS2000 longitude/latitude: 50 m is 50 m north-south as east-west.
    let lonlat = Crs::parse("EPSG:4490", CrsSource::Manifest);
    let (old_ll, new_ll) = (
        old.reprojected(&lonlat).expect("old"),
        new.reprojected(&lonlat).expect("new"),
    );
    let cases_ll = gridkeeper::reprojection::bring_layer(&cases, old.crs().as_ref(), Some(&lonlat))
        .expect("cases");
    assert_eq!(mapped(&old_ll, &new_ll, &cases_ll), want);
}

/// The plan of `fixtures/plan/old` against the new version in `new`, without cases.
fn plan_without_cases(new: &Path) -> plan::Plan {
    let Center { prior: old, .. } = center();
    let (new, profile) = load(new);
    let cs = diff::run(&old, &new, &profile, &profile.thresholds).expect("diff");
    plan::build(
        &old,
        &new,
        &profile.name,
        &cs,
        &remap::Remap::default(),
        None,
    )
}

#[test]
fn section_one_counts_no_void_component() {
    // The new version with a void (作废) copy of a manhole cover under a code of its own:
    // section 1 counts the components as they were, as the change list does.
    let tmp = tempfile::tempdir().expect("tmp");
    let new_dir = tmp.path().join("new");
    common::copy_version("plan/new", &new_dir);
    let before = plan_without_cases(&new_dir);
    common::add_feature_copy(
        &new_dir.join("components.geojson"),
        None,
        "OBJCODE",
        "3505820101000001",
        |p| {
            p.insert("OBJCODE".into(), "3505820101000099".into());
            p.insert("OBJUPTODAT".into(), "作废".into());
        },
    );
    let after = plan_without_cases(&new_dir);
    assert_eq!(after.basics.components, before.basics.components);
    assert_eq!(after.basics.classes, before.basics.classes);
    assert_eq!(after.basics.owners, before.basics.owners);
    let changes = |p: &plan::Plan| serde_json::to_value(&p.changes).expect("json");
    assert_eq!(changes(&after), changes(&before));
    // The copy in use is counted.
    common::add_feature_copy(
        &new_dir.join("components.geojson"),
        None,
        "OBJCODE",
        "3505820101000099",
        |p| {
            p.insert("OBJCODE".into(), "3505820101000098".into());
            p.insert("OBJUPTODAT".into(), "在用".into());
        },
    );
    let counted = plan_without_cases(&new_dir);
    assert_eq!(
        counted.basics.components,
        (before.basics.components.0, before.basics.components.1 + 1)
    );
    let cover = |p: &plan::Plan| {
        p.basics
            .classes
            .iter()
            .find(|c| c.key == "0101")
            .map(|c| (c.old, c.new))
    };
    let (old, new) = cover(&before).expect("class 0101");
    assert_eq!(cover(&counted), Some((old, new + 1)));
}

#[test]
fn a_point_in_no_old_grid_does_not_override_its_filed_grid() {
    // Placeholder coordinates (0, 0), in no grid old or new: the filed grid decides. S1's is
    // unchanged; S2's merged into one successor; S3's split in two equal halves.
    let tmp = tempfile::tempdir().expect("tmp");
    let cases = cases_of(
        tmp.path(),
        &[
            "S1,2026-03-01 12:00:00,事件,03,02,,0.0,0.0,350582001001001,350582001001,350582001,结案",
            "S2,2026-03-01 12:00:00,事件,03,02,,0.0,0.0,350582001002001,350582001002,350582001,结案",
            "S3,2026-03-01 12:00:00,事件,03,02,,0.0,0.0,350582101001001,350582101001,350582101,结案",
        ],
    );
    let old = center().prior;
    let (new, profile) = load(&fx("new"));
    let t = &profile.thresholds;
    let cs = diff::run(&old, &new, &profile, t).expect("diff");
    let r = remap::run(&old, &new, &cs, &cases, &profile.closed_case_statuses(), t);
    let got = every_mapping(&r);
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        got,
        [
            (
                "S1".into(),
                s("350582001001001"),
                Method::Unchanged,
                vec![],
                false
            ),
            (
                "S2".into(),
                s("350582001001002"),
                Method::Lineage,
                vec![],
                true
            ),
            (
                "S3".into(),
                None,
                Method::Unresolved,
                vec![Review::AmbiguousLineage],
                true
            ),
        ]
    );
    let found: Vec<(&str, &str, Option<[f64; 2]>, String)> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.id(),
                f.key.as_str(),
                f.location,
                f.text(gridkeeper::Lang::En),
            )
        })
        .collect();
    let text = |grid: &str| {
        format!(
            "its point lies in no grid of the old data (a placeholder, swapped or foreign \
             coordinates?): it does not override its filed grid {grid}"
        )
    };
    assert_eq!(
        found,
        [
            (
                "CASE-POINT-OUTSIDE",
                "S1",
                Some([0.0, 0.0]),
                text("350582001001001")
            ),
            (
                "CASE-POINT-OUTSIDE",
                "S2",
                Some([0.0, 0.0]),
                text("350582001002001")
            ),
            (
                "CASE-POINT-OUTSIDE",
                "S3",
                Some([0.0, 0.0]),
                text("350582101001001")
            ),
        ]
    );
}

#[test]
fn two_old_grids_under_one_code_keep_their_own_successors() {
    // Last year 350582001001003 was typed as 350582001001001, the code of its northern
    // neighbour; this year it has its own code again. A case in either keeps its own grid.
    let tmp = tempfile::tempdir().expect("tmp");
    let old_dir = tmp.path().join("old");
    common::plan_old_with(&old_dir, "grids.geojson", |features| {
        for f in features {
            if f["properties"]["BGID"] == "350582001001003" {
                f["properties"]["BGID"] = "350582001001001".into();
            }
        }
    });
    let (old, _) = load(&old_dir);
    let new_dir = tmp.path().join("new");
    common::copy_version("plan/old", &new_dir);
    let (new, _) = load(&new_dir);
    let cases = cases_of(
        tmp.path(),
        &[
            "T1,2026-03-01 12:00:00,事件,03,02,,350050.0,2745150.0,350582001001001,350582001001,350582001,结案",
            "T2,2026-03-01 12:00:00,事件,03,02,,350050.0,2745050.0,350582001001001,350582001001,350582001,结案",
            "T3,2026-03-01 12:00:00,事件,03,02,,,,350582001001001,350582001001,350582001,结案",
        ],
    );
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        mapped(&old, &new, &cases),
        [
            ("T1".to_string(), s("350582001001001"), Method::Unchanged),
            ("T2".to_string(), s("350582001001003"), Method::Unchanged),
            // without a point: the first grid under the code
            ("T3".to_string(), s("350582001001001"), Method::Unchanged),
        ]
    );
}

#[test]
fn a_filed_code_names_the_grid_under_it_that_takes_part_in_the_lineage() {
    // Last year's file starts with a bow-tie typed under 350582001001001, far from the district
    // (diff leaves it out); the real 350582001001001 is recoded 350582001001009 this year. A
    // case filed under the code without a point follows the real grid, not the bow-tie.
    let tmp = tempfile::tempdir().expect("tmp");
    let old_dir = tmp.path().join("old");
    common::plan_old_with(&old_dir, "grids.geojson", |features| {
        let mut bow_tie = features
            .iter()
            .find(|f| f["properties"]["BGID"] == "350582001001001")
            .expect("350582001001001")
            .clone();
        bow_tie["geometry"]["coordinates"] = serde_json::json!([[
            [351000.0, 2746000.0],
            [351100.0, 2746100.0],
            [351100.0, 2746000.0],
            [351000.0, 2746100.0],
            [351000.0, 2746000.0]
        ]]);
        features.insert(0, bow_tie);
    });
    let (old, _) = load(&old_dir);
    let new_dir = tmp.path().join("new");
    common::plan_old_with(&new_dir, "grids.geojson", |features| {
        for f in features {
            if f["properties"]["BGID"] == "350582001001001" {
                f["properties"]["BGID"] = "350582001001009".into();
            }
        }
    });
    let (new, _) = load(&new_dir);
    let cases = cases_of(
        tmp.path(),
        &[
            "T1,2026-03-01 12:00:00,事件,03,02,,,,350582001001001,350582001001,350582001,结案",
            "T2,2026-03-01 12:00:00,事件,03,02,,350050.0,2745150.0,350582001001001,350582001001,350582001,结案",
        ],
    );
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        mapped(&old, &new, &cases),
        [
            ("T1".to_string(), s("350582001001009"), Method::Unchanged),
            ("T2".to_string(), s("350582001001009"), Method::Unchanged),
        ]
    );
}

#[test]
fn cases_as_one_point_multipoints_map_as_points() {
    // A case shapefile of type 8 (MultiPoint) holds each case's point as a MultiPoint of one.
    let Center { prior: old, cases } = center();
    let (new, profile) = load(&fx("new"));
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("cases.geojson");
    gridkeeper::io::write::write_geojson(&cases.layer, &path, Some("EPSG:4549")).expect("write");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("GeoJSON");
    let mut points = 0;
    for f in doc["features"].as_array_mut().expect("features") {
        if f["geometry"]["type"] == "Point" {
            let xy = f["geometry"]["coordinates"].clone();
            f["geometry"] = serde_json::json!({"type": "MultiPoint", "coordinates": [xy]});
            points += 1;
        }
    }
    assert!(points >= 10, "{points}");
    std::fs::write(&path, doc.to_string()).expect("write");
    let multi = dataset::read_bound(
        &path,
        LayerKind::Cases,
        profile.layer(LayerKind::Cases).expect("schema"),
        &Default::default(),
        None,
    )
    .expect("cases");
    assert!(matches!(
        multi.geometry(0),
        Some(geo::Geometry::MultiPoint(_))
    ));
    assert_eq!(mapped(&old, &new, &multi), mapped(&old, &new, &cases));
}

#[test]
fn a_grid_left_out_of_the_comparison_is_named_in_section_two() {
    // This year's 350582001001003 is a bow-tie: diff leaves it out, so it is in none of
    // section 2's tables; the plan says why.
    let tmp = tempfile::tempdir().expect("tmp");
    let new_dir = tmp.path().join("new");
    common::copy_version("plan/new", &new_dir);
    let path = new_dir.join("grids.geojson");
    let mut grids: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("grids")).expect("GeoJSON");
    for f in grids["features"].as_array_mut().expect("features") {
        if f["properties"]["BGID"] == "350582001001003" {
            f["geometry"]["coordinates"] = serde_json::json!([[
                [350000.0, 2745000.0],
                [350100.0, 2745100.0],
                [350100.0, 2745000.0],
                [350000.0, 2745100.0],
                [350000.0, 2745000.0]
            ]]);
        }
    }
    std::fs::write(&path, grids.to_string()).expect("write");
    let Center { prior: old, .. } = center();
    let (new, profile) = load(&new_dir);
    let t = &profile.thresholds;
    let cs = diff::run(&old, &new, &profile, t).expect("diff");
    let r = remap::Remap::default();
    let p = plan::build(&old, &new, &profile.name, &cs, &r, None);
    let zh = gridkeeper::report::markdown::plan(&p, &r, &cs, t, gridkeeper::Lang::Zh);
    assert!(
        zh.contains(
            "### （四）比对说明：未参与比对的要素与重复使用的编码\n\n\
         | 规则 | 图层 | 要素 | 说明 |\n"
        ),
        "{zh}"
    );
    assert!(zh.contains(
        "| DIFF-SKIPPED | grids | 350582001001003 | 本版中该要素没有几何或几何无效，未参与比对（见 validate） |\n"
    ), "{zh}");
    let en = gridkeeper::report::markdown::plan(&p, &r, &cs, t, gridkeeper::Lang::En);
    assert!(
        en.contains(
            "| DIFF-SKIPPED | grids | 350582001001003 | left out of the comparison: no geometry, \
         or an invalid one, in the new version (see validate) |\n"
        ),
        "{en}"
    );
    // The unchanged fixture has no such notes.
    let clean = plan_without_cases(&fx("new"));
    let cs = diff::run(&old, &load(&fx("new")).0, &profile, t).expect("diff");
    assert!(cs.findings.is_empty(), "{:?}", cs.findings);
    let zh = gridkeeper::report::markdown::plan(&clean, &r, &cs, t, gridkeeper::Lang::Zh);
    assert!(!zh.contains("比对说明"), "{zh}");
}

#[test]
fn a_retired_grid_takes_no_cases() {
    // The new version keeps last year's 350582101001008, which diff finds removed, with an end
    // date before the version takes effect (2026-07-01).
    let tmp = tempfile::tempdir().expect("tmp");
    let new_dir = tmp.path().join("new");
    common::copy_version("plan/new", &new_dir);
    common::add_feature_copy(
        &new_dir.join("grids.geojson"),
        Some(&common::fixture("clean/grids.geojson")),
        "BGID",
        "350582101001008",
        |p| {
            p.insert("CHDATE".into(), "2026-06-30".into());
        },
    );

    let Center { prior: old, cases } = center();
    let (new, _) = load(&new_dir);
    let got: Vec<_> = mapped(&old, &new, &cases)
        .into_iter()
        .filter(|(id, ..)| id == "C08" || id == "C09")
        .collect();
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        got,
        [
            ("C08".to_string(), s("350582101001007"), Method::Nearest),
            ("C09".to_string(), None, Method::Unresolved),
        ]
    );
}

#[test]
fn a_case_file_of_grids_alone_gives_the_same_plan() {
    // The cases with their filed grid but without the community and street columns, as many
    // systems export them: both come from the filed grid.
    let tmp = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(fx("cases.csv")).expect("cases");
    let keep = |line: &str| -> String {
        let cells: Vec<&str> = line.split(',').collect();
        // id,time,kind,major,minor,component,x,y,grid,community,street,status
        [&cells[..9], &cells[11..]].concat().join(",")
    };
    let stripped: Vec<String> = text.lines().map(keep).collect();
    assert!(stripped[0].ends_with("grid,status"), "{}", stripped[0]);
    std::fs::write(tmp.path().join("cases.csv"), stripped.join("\n") + "\n").expect("write");
    let profile = gridkeeper::schema::Profile::builtin("gbt30428-2013").expect("profile");
    let read = |p: &Path| {
        dataset::read_bound(
            p,
            LayerKind::Cases,
            profile.layer(LayerKind::Cases).expect("schema"),
            &Default::default(),
            None,
        )
        .expect("cases")
    };
    let (full, grids_only) = (read(&fx("cases.csv")), read(&tmp.path().join("cases.csv")));
    let old = center().prior;
    let (new, _) = load(&fx("new"));
    let t = &profile.thresholds;
    let cs = diff::run(&old, &new, &profile, t).expect("diff");
    let plan_of = |cases| {
        let r = remap::run(&old, &new, &cs, cases, &profile.closed_case_statuses(), t);
        let p = plan::build(&old, &new, &profile.name, &cs, &r, None);
        let olds: Vec<[Option<String>; 3]> = r
            .iter()
            .map(|c| c.old.map(|v| v.map(str::to_string)))
            .collect();
        (olds, serde_json::to_value(&p.impact).expect("json"))
    };
    let (want, got) = (plan_of(&full), plan_of(&grids_only));
    assert_eq!(got.0, want.0);
    assert_eq!(got.1, want.1);
}

#[test]
fn a_case_id_listed_again_is_reported_and_both_records_mapped() {
    let tmp = tempfile::tempdir().expect("tmp");
    let row = |id: &str| {
        format!("{id},2026-03-01 12:00:00,事件,03,02,,350760.0,2745055.0,350582101001008,350582101001,350582101,结案")
    };
    let rows = [
        row("D1"),
        row("D2"),
        row("D1"),
        row(" D2 "),
        row("D1"),
        row("D3"),
    ];
    let cases = cases_of(
        tmp.path(),
        &rows.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let profile = gridkeeper::schema::Profile::builtin("gbt30428-2013").expect("profile");
    let t = &profile.thresholds;
    let old = center().prior;
    let (new, _) = load(&fx("new"));
    let cs = diff::run(&old, &new, &profile, t).expect("diff");
    let r = remap::run(&old, &new, &cs, &cases, &profile.closed_case_statuses(), t);
    assert_eq!(r.iter().count(), 6);
    let found: Vec<(&str, Option<usize>, String)> = r
        .findings
        .iter()
        .filter(|f| f.rule.id() == "CASE-ID-DUPLICATE")
        .map(|f| {
            (
                f.field.as_deref().unwrap_or(""),
                f.feature,
                f.message.render(gridkeeper::Lang::En),
            )
        })
        .collect();
    let again = |record: usize, first: usize| {
        (
            "id",
            Some(record),
            format!("the same id as #{first} (both records go into the case crosswalk)"),
        )
    };
    // Records #2 and #4 repeat #0's id, #3 (spaces around it) #1's.
    assert_eq!(found, vec![again(2, 0), again(3, 1), again(4, 0)]);
}
