//! Duty layers (责任网格) through diff and plan: the fixture `duty-plan` moves three unit
//! grids (350582001001002, -003, -004) from enforcement grid 350582001ZF001 (第一中队) to
//! 350582001ZF002 (第二中队); the sanitation layer stays as it was.

use gridkeeper::diff::{self, ChangeSet};
use gridkeeper::report::csv;
use gridkeeper::{Dataset, LayerKind};

use common::{fixture, gk_ok, layer, load, plan_of};

mod common;

fn change_set() -> (Dataset, Dataset, gridkeeper::schema::Profile, ChangeSet) {
    let (old, _) = load(&fixture("duty-plan/old"));
    let (new, profile) = load(&fixture("duty-plan/new"));
    let cs = diff::run(&old, &new, &profile, &profile.thresholds).expect("diff");
    (old, new, profile, cs)
}

#[test]
fn each_duty_layer_gets_its_lineage_and_crosswalk() {
    let (_, _, profile, cs) = change_set();
    let kinds: Vec<&str> = cs.layers.iter().map(|d| d.layer.name()).collect();
    assert_eq!(
        kinds,
        [
            "streets",
            "communities",
            "grids",
            "enforcement_grids",
            "sanitation_grids"
        ]
    );
    let enforcement = profile.kind("enforcement_grids").expect("declared");
    let rows = csv::crosswalk(cs.layer(enforcement).expect("diffed"));
    let rows: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    assert_eq!(
        rows,
        [
            "old_code,new_code,area_old,area_new,area_int,share_old,share_new,relation",
            "350582001ZF001,350582001ZF001,40000.000,10000.000,10000.000,0.250000,1.000000,reorganised",
            "350582001ZF001,350582001ZF002,40000.000,70000.000,30000.000,0.750000,0.428571,reorganised",
            "350582001ZF002,350582001ZF002,40000.000,70000.000,40000.000,1.000000,0.571429,reorganised",
            "350582101ZF001,350582101ZF001,80000.000,80000.000,80000.000,1.000000,1.000000,unchanged",
        ]
    );
    let sanitation = profile.kind("sanitation_grids").expect("declared");
    let counts = cs.layer(sanitation).expect("diffed").counts();
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(counts.get(&diff::Relation::Unchanged), Some(&2));
    // The unit grids themselves did not change.
    assert_eq!(
        cs.layer(LayerKind::Grids)
            .expect("grids")
            .counts()
            .get(&diff::Relation::Unchanged),
        Some(&16)
    );
}

/// (team or code, grids before/after, components before/after, cases before/after,
/// cases per year before/after, area before/after)
type Numbers = (
    String,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    f64,
    f64,
    f64,
    f64,
);

fn numbers(rows: &[gridkeeper::plan::LoadRow]) -> Vec<Numbers> {
    rows.iter()
        .map(|r| {
            let (b, a) = (r.before.expect("before"), r.after.expect("after"));
            (
                r.key.clone(),
                b.grids,
                a.grids,
                b.components,
                a.components,
                b.cases,
                a.cases,
                b.per_year,
                a.per_year,
                b.area,
                a.area,
            )
        })
        .collect()
}

#[test]
fn three_unit_grids_move_from_one_team_to_another() {
    let (old, new, profile, cs) = change_set();
    let (remapped, plan) = plan_of(&old, &new, &profile, &cs);
    let layers: Vec<&str> = plan.workload.iter().map(|w| w.layer.name()).collect();
    assert_eq!(layers, ["enforcement_grids", "sanitation_grids"]);
    let w = &plan.workload[0];
    assert_eq!(w.years, 2);
    let s = |v: &str| v.to_string();
    // The teams that gain or lose the most first.
    assert_eq!(
        numbers(&w.teams),
        [
            (s("第一中队"), 4, 1, 3, 1, 6, 1, 3.0, 0.5, 40000.0, 10000.0),
            (s("第二中队"), 4, 7, 2, 4, 1, 6, 0.5, 3.0, 40000.0, 70000.0),
            (s("第三中队"), 8, 8, 3, 3, 1, 1, 0.5, 0.5, 80000.0, 80000.0),
        ]
    );
    assert_eq!(
        numbers(&w.grids),
        [
            (
                s("350582001ZF001"),
                4,
                1,
                3,
                1,
                6,
                1,
                3.0,
                0.5,
                40000.0,
                10000.0
            ),
            (
                s("350582001ZF002"),
                4,
                7,
                2,
                4,
                1,
                6,
                0.5,
                3.0,
                40000.0,
                70000.0
            ),
            (
                s("350582101ZF001"),
                8,
                8,
                3,
                3,
                1,
                1,
                0.5,
                0.5,
                80000.0,
                80000.0
            ),
        ]
    );
    // Cases remapped to their new duty grid: the five of the three moved unit grids.
    let moving: Vec<(String, String, String)> = w
        .moving
        .iter()
        .map(|m| {
            (
                remapped.id(m.case).expect("case").into_owned(),
                m.old.0.clone().unwrap_or_default(),
                m.new.0.clone().unwrap_or_default(),
            )
        })
        .collect();
    let ids = ["D02", "D03", "D04", "D05", "D08"];
    assert_eq!(
        moving,
        ids.map(|id| (s(id), s("350582001ZF001"), s("350582001ZF002")))
    );
    // The sanitation layer did not change: no team gains or loses.
    let w = &plan.workload[1];
    assert!(w.moving.is_empty() && w.changes.is_empty());
    assert!(w.teams.iter().all(|t| t.before == t.after));
    // The document names the gainer and the loser, in both languages.
    let md = gridkeeper::report::markdown::plan(
        &plan,
        &remapped,
        &cs,
        &profile.thresholds,
        gridkeeper::Lang::Zh,
    );
    assert!(md.contains("## 六、责任网格工作量"), "{md}");
    assert!(md.contains(
        "执法网格共 3 个责任单位；年均案件按 2 个自然年计；5 件案件改变责任网格。\
         增加最多：第二中队（单元网格 +3，年均案件 +2.50）。\
         减少最多：第一中队（单元网格 -3，年均案件 -2.50）。"
    ));
    assert!(md.contains("| 第一中队 | 40000.00 | 10000.00 | 4 | 1 | 3 | 1 | 3.00 | 0.50 | -2.50 |"));
    let en = gridkeeper::report::markdown::plan(
        &plan,
        &remapped,
        &cs,
        &profile.thresholds,
        gridkeeper::Lang::En,
    );
    assert!(en.contains(
        "enforcement grids: 3 teams; cases per year over 2 calendar years; 5 cases change duty grid. \
         Gains most: 第二中队 (+3 unit grids, +2.50 cases/year). \
         Loses most: 第一中队 (-3 unit grids, -2.50 cases/year)."
    ), "{en}");
    assert!(en.contains("## 6. Duty grid workload"));
    // plan.xlsx holds the workload sheet.
    let sheets = gridkeeper::report::xlsx::sheets(&plan, &remapped, &cs, gridkeeper::Lang::Zh);
    let sheet = sheets
        .iter()
        .find(|s| s.name == "工作量")
        .expect("workload sheet");
    assert_eq!(sheet.rows.len(), 3 + 3 + 2 + 2);
}

/// The codes of a layer, in order.
fn codes(ds: &Dataset, kind: LayerKind) -> Vec<String> {
    let l = layer(ds, kind);
    (0..l.len())
        .map(|i| l.get(i, "code").unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_towns_cut_keeps_its_own_duty_grids() {
    let (old, profile) = load(&fixture("duty-plan/old"));
    let streets = ["350582001".to_string()].into();
    let cut = gridkeeper::submission::scope::restrict(&old, &streets);
    let duty = |name: &str| codes(&cut, profile.kind(name).expect("declared"));
    assert_eq!(
        duty("enforcement_grids"),
        ["350582001ZF001", "350582001ZF002"]
    );
    assert_eq!(duty("sanitation_grids"), ["350582001HW001"]);
    assert_eq!(codes(&cut, LayerKind::Streets), ["350582001"]);
}

#[test]
fn an_unchanged_duty_layer_is_no_stale_submission() {
    use gridkeeper::check;
    use gridkeeper::submission::{Limits, Package};

    // The whole district as a town's package: its own files, its own plan.
    let tmp = tempfile::tempdir().expect("tmp");
    let pkg = tmp.path().join("package");
    let data = pkg.join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    for layer in ["streets", "communities", "grids", "components", "pois"] {
        let name = format!("{layer}.geojson");
        std::fs::copy(fixture("clean").join(&name), data.join(&name)).expect("copy");
    }
    for layer in ["enforcement_grids", "sanitation_grids"] {
        let name = format!("{layer}.geojson");
        std::fs::copy(fixture("duty-plan/new").join(&name), data.join(&name)).expect("copy");
    }
    let manifest = std::fs::read_to_string(fixture("duty-plan/new/dataset.toml")).expect("read");
    std::fs::write(
        data.join("dataset.toml"),
        manifest.replace("../../clean/", ""),
    )
    .expect("write");
    std::fs::write(
        pkg.join("submission.toml"),
        "town = \"350582001\"\nname = \"青阳街道\"\nreceived = 2026-06-01\ndataset = \"data\"\nplan = \"plan\"\n",
    )
    .expect("write");
    let plan = pkg.join("plan");
    let cases = fixture("duty-plan/cases.csv");
    gk_ok(&[
        "plan",
        "fixtures/duty-plan/old",
        data.to_str().expect("utf-8"),
        "--cases",
        cases.to_str().expect("utf-8"),
        "--out",
        plan.to_str().expect("utf-8"),
        "--quiet",
    ]);

    let (prior, _) = load(&fixture("duty-plan/old"));
    let (_, profile) = load(&fixture("duty-plan/new"));
    let case_layer = gridkeeper::dataset::read_bound(
        &cases,
        LayerKind::Cases,
        profile.layer(LayerKind::Cases).expect("cases schema"),
        &Default::default(),
        None,
    )
    .expect("cases");
    let opened = Package::open(&pkg, &Limits::default()).expect("open");
    let report = check::run(
        &opened,
        &prior,
        Some(&case_layer),
        &check::Options::default(),
    )
    .expect("check");
    let found: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rule.id().to_string(), f.layer.clone()))
        .collect();
    // Only the enforcement grids changed: the four base layers are stale, the unchanged
    // sanitation grids are not.
    let stale = |layer: &str| ("SUBMIT-UNCHANGED".to_string(), layer.to_string());
    assert_eq!(
        found,
        [
            stale("communities"),
            stale("components"),
            stale("grids"),
            stale("streets")
        ]
    );
}

#[test]
fn a_retired_duty_grid_takes_no_unit_grids() {
    // This year's enforcement grids with a copy of 350582001ZF002 under another code and team,
    // retired the day before the version takes effect (2026-07-01).
    let tmp = tempfile::tempdir().expect("tmp");
    let new_dir = tmp.path().join("new");
    common::copy_version("duty-plan/new", &new_dir);
    common::add_feature_copy(
        &new_dir.join("enforcement_grids.geojson"),
        None,
        "ZRWGBM",
        "350582001ZF002",
        |p| {
            p.insert("ZRWGBM".into(), "350582001ZF009".into());
            p.insert("ZRDW".into(), "第九中队".into());
            p.insert("CHDATE".into(), "2026-06-30".into());
        },
    );

    let (old, _) = load(&fixture("duty-plan/old"));
    let (new, profile) = load(&new_dir);
    let cs = diff::run(&old, &new, &profile, &profile.thresholds).expect("diff");
    let (_, plan) = plan_of(&old, &new, &profile, &cs);
    let w = &plan.workload[0];
    let (retired, teams): (Vec<_>, Vec<_>) =
        w.teams.iter().cloned().partition(|r| r.key == "第九中队");
    let s = |v: &str| v.to_string();
    // The three teams as without the retired grid; the retired one holds nothing.
    assert_eq!(
        numbers(&teams),
        [
            (s("第一中队"), 4, 1, 3, 1, 6, 1, 3.0, 0.5, 40000.0, 10000.0),
            (s("第二中队"), 4, 7, 2, 4, 1, 6, 0.5, 3.0, 40000.0, 70000.0),
            (s("第三中队"), 8, 8, 3, 3, 1, 1, 0.5, 0.5, 80000.0, 80000.0),
        ]
    );
    let after: Vec<_> = retired
        .iter()
        .map(|r| r.after.map(|a| (a.grids, a.components, a.area)))
        .collect();
    assert_eq!(after, [Some((0, 0, 0.0))]);
}
