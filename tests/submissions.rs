//! `check` and `score`: the exact score and reasons of every submission fixture
//! (fixtures/submissions/, made by fixtures/make_submissions.py), the rows a tampered plan
//! gets wrong, the received date and lead time, and a plan read from its workbook alone.
//! Zip packages and the command line: `tests/packages.rs`.

use std::path::Path;

use gridkeeper::check::{self, CheckReport};
use gridkeeper::score::{self, ScoringRules};
use gridkeeper::submission::{Limits, Package};

use common::center::{center, check_path};
use common::{copy_dir, fixture};

mod common;

/// (points lost, [(rule id, count)]).
type Why = (u32, Vec<(String, usize)>);
/// An item's (id, points, reasons).
type ItemScored = (String, u32, Vec<Why>);
/// Every item of a score sheet.
type Scored = Vec<ItemScored>;

fn scored(r: &CheckReport) -> Scored {
    let rules = ScoringRules::builtin().expect("rules");
    score::score(r, &rules)
        .items
        .into_iter()
        .map(|i| {
            let reasons = i.reasons.into_iter().map(|r| (r.lost, r.causes)).collect();
            (i.id, i.points, reasons)
        })
        .collect()
}

fn item(id: &str, points: u32, reasons: &[(u32, &[(&str, usize)])]) -> ItemScored {
    (
        id.to_string(),
        points,
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
}

#[test]
fn every_fixture_scores_exactly() {
    let c = center();
    let o = check::Options::default();
    let late: &[(&str, usize)] = &[("SUBMIT-LATE", 1)];
    let sections: &[(&str, usize)] = &[("PLAN-SECTION-EMPTY", 1), ("PLAN-SECTION-MISSING", 1)];
    let no_plan: &[(&str, usize)] = &[("PLAN-MISSING", 1)];
    let unchanged: &[(&str, usize)] = &[("SUBMIT-UNCHANGED", 1)];
    let cases: Vec<(&str, Scored, u32)> = vec![
        (
            "on-time",
            vec![
                item("geo", 2, &[]),
                item("grids", 2, &[]),
                item("components", 3, &[]),
            ],
            7,
        ),
        (
            "late",
            vec![
                item("geo", 2, &[]),
                item("grids", 1, &[(1, late)]),
                item("components", 1, &[(2, late)]),
            ],
            4,
        ),
        (
            "missing-sections",
            vec![
                item("geo", 2, &[]),
                item("grids", 1, &[(1, sections)]),
                item("components", 1, &[(2, sections)]),
            ],
            4,
        ),
        (
            "tampered",
            vec![
                item("geo", 2, &[]),
                item(
                    "grids",
                    1,
                    &[(
                        1,
                        &[
                            ("XWALK-CASE-GRID", 1),
                            ("XWALK-CASE-MISSING", 1),
                            ("XWALK-GRID-MISSING", 1),
                        ],
                    )],
                ),
                item("components", 3, &[]),
            ],
            6,
        ),
        (
            "copied-plan",
            vec![
                item("geo", 2, &[]),
                item(
                    "grids",
                    1,
                    &[(
                        1,
                        &[
                            ("XWALK-CASE-MISSING", 9),
                            ("XWALK-GRID-EXTRA", 3),
                            ("XWALK-GRID-MISSING", 4),
                            ("XWALK-GRID-RELATION", 2),
                        ],
                    )],
                ),
                item("components", 3, &[]),
            ],
            6,
        ),
        (
            "no-plan",
            vec![
                item("geo", 2, &[]),
                item("grids", 0, &[(2, no_plan)]),
                item("components", 0, &[(3, no_plan)]),
            ],
            2,
        ),
        (
            "unchanged",
            vec![
                item("geo", 2, &[]),
                item("grids", 0, &[(2, unchanged)]),
                item("components", 0, &[(3, unchanged)]),
            ],
            2,
        ),
        (
            "data-errors",
            vec![
                item("geo", 1, &[(1, &[("ATTR-REQUIRED", 1)])]),
                item("grids", 0, &[(2, &[("ATTR-TYPE", 1), ("CODE-FORMAT", 1)])]),
                item(
                    "components",
                    0,
                    &[(
                        3,
                        &[
                            ("ATTR-ENUM", 1),
                            ("CODE-CLASS", 1),
                            ("COMP-WRONG-GRID", 1),
                            ("KEY-FOREIGN", 1),
                        ],
                    )],
                ),
            ],
            1,
        ),
    ];
    let rules = ScoringRules::builtin().expect("rules");
    for (name, want, total) in cases {
        let r = check_path(&c, &fixture(&format!("submissions/{name}")), &o);
        assert_eq!(scored(&r), want, "{name}: {:#?}", r.findings);
        assert_eq!(score::score(&r, &rules).total, total, "{name}");
        assert_eq!(r.town.as_deref(), Some("350582101"), "{name}");
        assert_eq!(r.name.as_deref(), Some("安海镇"), "{name}");
    }
}

#[test]
fn the_clean_plan_matches_its_data_row_for_row() {
    let c = center();
    let r = check_path(
        &c,
        &fixture("submissions/on-time"),
        &check::Options::default(),
    );
    assert!(!r.has_errors(), "{:#?}", r.findings);
    let cases = r.cases.expect("cases compared");
    assert_eq!(
        (cases.submitted, cases.derived, cases.matching),
        (11, 11, 11)
    );
    let grids = r.grids.expect("grids compared");
    assert_eq!(
        (grids.submitted, grids.derived, grids.matching),
        (17, 17, 17)
    );
    assert_eq!(r.lead, Some(30));
    assert!(r.scope.is_empty());
}

#[test]
fn the_tampered_rows_are_named_with_both_values() {
    let c = center();
    let r = check_path(
        &c,
        &fixture("submissions/tampered"),
        &check::Options::default(),
    );
    let text: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.rule.family() == "crosswalk")
        .map(|f| format!("{} {} {}", f.rule.id(), f.key, f.text(gridkeeper::Lang::En)))
        .collect();
    assert_eq!(
        text,
        [
            "XWALK-CASE-MISSING C05 a case involving a change is not in the table (re-derived: grid 350582001002001 → 350582001001002)",
            "XWALK-CASE-GRID C02 new grid 350582101001002 in the table; the data gives 350582101001001",
            "XWALK-GRID-MISSING 350582101001004→350582101001014 the data gives 350582101001004 → 350582101001014 (recoded); the table lacks it",
        ]
    );
}

#[test]
fn received_on_the_command_line_overrides_the_manifest() {
    let c = center();
    let o = check::Options {
        received: Some(chrono::NaiveDate::from_ymd_opt(2026, 6, 10).expect("date")),
        ..Default::default()
    };
    let r = check_path(&c, &fixture("submissions/late"), &o);
    assert_eq!(r.lead, Some(21));
    assert!(r.findings.iter().all(|f| f.rule.id() != "SUBMIT-LATE"));
    let o = check::Options {
        lead_days: 31,
        ..Default::default()
    };
    let r = check_path(&c, &fixture("submissions/on-time"), &o);
    let late: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.rule.id() == "SUBMIT-LATE")
        .map(|f| f.text(gridkeeper::Lang::En))
        .collect();
    assert_eq!(
        late,
        ["received 2026-06-01, effective 2026-07-01: 30 days ahead, 31 required"]
    );
}

#[test]
fn a_plan_of_the_workbook_alone_is_read_from_its_sheets() {
    let c = center();
    let tmp = tempfile::tempdir().expect("tmp");
    let pkg = tmp.path().join("xlsx-only");
    copy_dir(&fixture("submissions/on-time"), &pkg);
    for f in ["plan.md", "case_crosswalk.csv", "grid_crosswalk.csv"] {
        std::fs::remove_file(pkg.join("plan").join(f)).expect("rm");
    }
    let r = check_path(&c, &pkg, &check::Options::default());
    let found: Vec<(&str, String)> = r
        .findings
        .iter()
        .filter(|f| f.severity == gridkeeper::Severity::Error)
        .map(|f| (f.rule.id(), f.key.clone()))
        .collect();
    // The workbook has no sheets for sections 1 and 4; its crosswalk sheets match the data.
    assert_eq!(
        found,
        [
            ("PLAN-SECTION-MISSING", "1".to_string()),
            ("PLAN-SECTION-MISSING", "4".to_string())
        ]
    );
    assert_eq!(r.cases.map(|x| x.matching), Some(11));
    assert_eq!(r.grids.map(|x| x.matching), Some(17));
}

/// Rewrites a CSV of a package (UTF-8 with BOM) through `edit`.
fn edit_csv(path: &Path, edit: impl Fn(&mut Vec<Vec<String>>)) {
    let text = std::fs::read_to_string(path).expect("read");
    let mut rows: Vec<Vec<String>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    edit(&mut rows);
    let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    std::fs::write(path, format!("\u{feff}{}\n", body.join("\n"))).expect("write");
}

fn rule_keys(r: &CheckReport) -> Vec<(String, String, Option<String>)> {
    r.findings
        .iter()
        .filter(|f| ["submission", "plan", "crosswalk"].contains(&f.rule.family()))
        .map(|f| (f.rule.id().to_string(), f.key.clone(), f.field.clone()))
        .collect()
}

fn keys(list: &[(&str, &str, Option<&str>)]) -> Vec<(String, String, Option<String>)> {
    list.iter()
        .map(|(r, k, f)| (r.to_string(), k.to_string(), f.map(str::to_string)))
        .collect()
}

#[test]
fn every_submission_plan_and_crosswalk_rule_on_edited_packages() {
    let c = center();
    let tmp = tempfile::tempdir().expect("tmp");
    let pkg = tmp.path().join("edited");
    copy_dir(&fixture("submissions/on-time"), &pkg);
    // No effective date; a town that is not in the data.
    let manifest = pkg.join("data/dataset.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    std::fs::write(&manifest, text.replace("effective = 2026-07-01\n", "")).expect("write");
    let sub = pkg.join("submission.toml");
    let text = std::fs::read_to_string(&sub).expect("read");
    std::fs::write(&sub, text.replace("350582101", "350582199")).expect("write");
    // The case table: an uninvolved case, an unknown one, a repeated one, another
    // community and street, another old grid; one grid row's overlap area edited.
    edit_csv(&pkg.join("plan/case_crosswalk.csv"), |rows| {
        let c01 = "C01,2025-03-02,事件,01,01,结案,350582001001001,350582001001001,350582001001,350582001001,350582001,350582001,unchanged,,,,";
        rows.push(c01.split(',').map(str::to_string).collect());
        let mut c99 = rows[1].clone();
        c99[0] = "C99".into();
        rows.push(c99);
        rows.push(rows[1].clone());
        for r in rows.iter_mut() {
            if r[0] == "C03" {
                r[9] = "350582001001".into();
                r[11] = "350582001".into();
            }
            if r[0] == "C07" {
                r[6] = "350582101001002".into();
            }
        }
    });
    edit_csv(&pkg.join("plan/grid_crosswalk.csv"), |rows| {
        rows[1][4] = "9000.000".into();
    });
    let r = check_path(&c, &pkg, &check::Options::default());
    assert_eq!(
        rule_keys(&r),
        keys(&[
            ("XWALK-CASE-DUPLICATE", "C02", None),
            ("XWALK-CASE-COMMUNITY", "C03", Some("new_community")),
            ("XWALK-CASE-STREET", "C03", Some("new_street")),
            ("XWALK-CASE-OLD", "C07", Some("old_grid")),
            ("XWALK-CASE-EXTRA", "C01", None),
            ("XWALK-CASE-EXTRA", "C99", None),
            (
                "XWALK-GRID-AREA",
                "350582001001001→350582001001001",
                Some("area_int")
            ),
            ("SUBMIT-NO-EFFECTIVE", "", None),
            ("SUBMIT-TOWN", "", None),
        ])
    );
    let extra: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.rule.id() == "XWALK-CASE-EXTRA")
        .map(|f| f.text(gridkeeper::Lang::En))
        .collect();
    assert_eq!(
        extra,
        [
            "the case involves no changed street, community or grid: it does not belong in the table",
            "no historical case has this id"
        ]
    );
    // A case table without its new_grid column; no grid crosswalk at all.
    edit_csv(&pkg.join("plan/case_crosswalk.csv"), |rows| {
        for r in rows.iter_mut() {
            r.remove(7);
        }
    });
    std::fs::remove_file(pkg.join("plan/grid_crosswalk.csv")).expect("rm");
    std::fs::remove_file(pkg.join("plan/plan.xlsx")).expect("rm");
    let r = check_path(&c, &pkg, &check::Options::default());
    let plan: Vec<(String, String)> = r
        .findings
        .iter()
        .filter(|f| f.rule.family() == "plan")
        .map(|f| (f.rule.id().to_string(), f.text(gridkeeper::Lang::En)))
        .collect();
    assert_eq!(
        plan,
        [
            (
                "PLAN-FILE-BAD".to_string(),
                "plan/case_crosswalk.csv has no column new_grid".to_string()
            ),
            (
                "PLAN-FILE-MISSING".to_string(),
                "the grid crosswalk is missing (grid_crosswalk.csv, or the grid sheet of plan.xlsx)"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn without_cases_the_case_crosswalk_is_not_compared() {
    // The prior (fixtures/plan/old) has no cases layer, and no --cases is given.
    let c = center();
    let pkg = Package::open(&fixture("submissions/on-time"), &Limits::default()).expect("open");
    let r = check::run(&pkg, &c.prior, None, &check::Options::default()).expect("check");
    assert_eq!(rule_keys(&r), keys(&[("XWALK-CASES-UNCHECKED", "", None)]));
    assert!(r.cases.is_none());
    assert_eq!(r.grids.map(|g| g.matching), Some(17));
}

#[test]
fn a_plan_made_without_cases_passes_its_own_check() {
    // The on-time package with its plan made again by `gridkeeper plan` without any case:
    // section 4 says there are none rather than standing empty (PLAN-SECTION-EMPTY).
    let tmp = tempfile::tempdir().expect("tmp");
    let pkg = tmp.path().join("no-cases");
    copy_dir(&fixture("submissions/on-time"), &pkg);
    let plan = pkg.join("plan");
    std::fs::remove_dir_all(&plan).expect("remove the plan");
    common::gk_ok(&[
        "plan",
        "fixtures/plan/old",
        pkg.join("data").to_str().expect("utf-8"),
        "--out",
        plan.to_str().expect("utf-8"),
        "--quiet",
    ]);
    let md = std::fs::read_to_string(plan.join("plan.md")).expect("plan.md");
    assert!(
        md.contains("## 四、历史案件处置办法说明\n\n没有历史案件，无需处置。\n"),
        "{md}"
    );
    let c = center();
    let pkg = Package::open(&pkg, &Limits::default()).expect("open");
    let r = check::run(&pkg, &c.prior, None, &check::Options::default()).expect("check");
    assert_eq!(rule_keys(&r), keys(&[("XWALK-CASES-UNCHECKED", "", None)]));
}

#[test]
fn a_package_in_another_crs_is_re_derived_in_one() {
    use gridkeeper::io::crs::{Crs, CrsSource};

    // The on-time package with its data in CGCS2000 longitude/latitude (the prior is in the
    // 3° Gauss-Krüger zone), and its plan made again by `gridkeeper plan`.
    let tmp = tempfile::tempdir().expect("tmp");
    let pkg = tmp.path().join("lonlat");
    copy_dir(&fixture("submissions/on-time"), &pkg);
    let data = pkg.join("data");
    let (ds, _) = common::load(&data);
    let lonlat = Crs::parse("EPSG:4490", CrsSource::Manifest);
    for l in ds
        .reprojected(&lonlat)
        .expect("reprojected")
        .layers
        .values()
    {
        let file = data.join(l.layer.source.file_name().expect("file name"));
        gridkeeper::io::write::write_geojson(&l.layer, &file, Some("EPSG:4490")).expect("write");
    }
    let manifest = std::fs::read_to_string(data.join("dataset.toml")).expect("manifest");
    let manifest = manifest.replace("crs = \"EPSG:4549\"", "crs = \"EPSG:4490\"");
    std::fs::write(data.join("dataset.toml"), manifest).expect("write");
    let plan = pkg.join("plan");
    std::fs::remove_dir_all(&plan).expect("remove the plan");
    common::gk_ok(&[
        "plan",
        "fixtures/plan/old",
        data.to_str().expect("utf-8"),
        "--cases",
        "fixtures/plan/cases.csv",
        "--out",
        plan.to_str().expect("utf-8"),
        "--quiet",
    ]);
    let c = center();
    let o = check::Options::default();
    let lonlat = check_path(&c, &pkg, &o);
    assert_eq!(
        lonlat
            .findings
            .iter()
            .filter(|f| f.rule.family() == "crosswalk")
            .count(),
        0
    );
    let gauss_kruger = check_path(&c, &fixture("submissions/on-time"), &o);
    assert_eq!(rule_keys(&lonlat), rule_keys(&gauss_kruger));
    assert_eq!(
        (lonlat.cases, lonlat.grids),
        (gauss_kruger.cases, gauss_kruger.grids)
    );
}

/// 安海镇's part of both years under `dir`: the prior (`dir/prior`) and a package
/// (`dir/package`) with its data and a submission.toml, without a plan yet.
fn anhai(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use gridkeeper::submission::scope;

    let streets = ["350582101".to_string()].into();
    let prior = dir.join("prior");
    let pkg = dir.join("package");
    common::write_dataset(&scope::restrict(&center().prior, &streets), &prior);
    let (new, _) = common::load(&fixture("submissions/on-time/data"));
    common::write_dataset(&scope::restrict(&new, &streets), &pkg.join("data"));
    std::fs::write(
        pkg.join("submission.toml"),
        "town = \"350582101\"\nname = \"安海镇\"\nreceived = 2026-06-01\ndataset = \"data\"\nplan = \"plan\"\n",
    )
    .expect("write");
    (prior, pkg)
}

#[test]
fn cases_in_another_crs_are_cut_to_the_town_in_the_prior_s() {
    use gridkeeper::io::crs::{Crs, CrsSource};
    use gridkeeper::LayerKind;

    // 安海镇's package checked with the district's cases without street, community or grid
    // columns (kept for the town by their points), once as a CSV in the prior's CRS and once
    // as GeoJSON in CGCS2000 longitude/latitude: the same cases are the town's.
    let tmp = tempfile::tempdir().expect("tmp");
    let (prior, pkg) = anhai(tmp.path());
    let data = pkg.join("data");
    let c = center();
    let profile = gridkeeper::schema::Profile::builtin("gbt30428-2013").expect("profile");
    // id,time,kind,major,minor,component,x,y,grid,community,street,status
    let text = std::fs::read_to_string(fixture("plan/cases.csv")).expect("cases");
    let stripped: Vec<String> = text
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            [&cells[..8], &cells[11..]].concat().join(",")
        })
        .collect();
    let csv = tmp.path().join("cases.csv");
    std::fs::write(&csv, stripped.join("\n") + "\n").expect("write");
    common::gk_ok(&[
        "plan",
        prior.to_str().expect("utf-8"),
        data.to_str().expect("utf-8"),
        "--cases",
        csv.to_str().expect("utf-8"),
        "--out",
        pkg.join("plan").to_str().expect("utf-8"),
        "--quiet",
    ]);
    let read = |path: &Path| {
        gridkeeper::dataset::read_bound(
            path,
            LayerKind::Cases,
            profile.layer(LayerKind::Cases).expect("schema"),
            &Default::default(),
            None,
        )
        .expect("cases")
    };
    let projected = read(&csv);
    let lonlat = Crs::parse("EPSG:4490", CrsSource::Manifest);
    let moved =
        gridkeeper::reprojection::bring_layer(&projected, c.prior.crs().as_ref(), Some(&lonlat))
            .expect("to longitude/latitude");
    let geojson = tmp.path().join("cases.geojson");
    gridkeeper::io::write::write_geojson(&moved.layer, &geojson, Some("EPSG:4490")).expect("write");
    let geographic = read(&geojson);
    let opened = Package::open(&pkg, &Limits::default()).expect("open");
    let o = check::Options::default();
    let by_csv = check::run(&opened, &c.prior, Some(&projected), &o).expect("check");
    let by_geojson = check::run(&opened, &c.prior, Some(&geographic), &o).expect("check");
    assert_eq!(by_csv.scope, ["350582101"]);
    assert!(
        !by_csv
            .findings
            .iter()
            .any(|f| f.rule.family() == "crosswalk"),
        "{:?}",
        rule_keys(&by_csv)
    );
    assert_eq!(rule_keys(&by_geojson), rule_keys(&by_csv));
    assert_eq!(by_geojson.cases, by_csv.cases);
    assert!(by_csv.cases.is_some_and(|c| c.matching > 0));
}

#[test]
fn another_towns_case_in_the_table_is_named_so() {
    use gridkeeper::Msg;

    // 安海镇's part of both years, its plan made with the district's whole case file.
    let tmp = tempfile::tempdir().expect("tmp");
    let (prior, pkg) = anhai(tmp.path());
    let data = pkg.join("data");
    let c = center();
    common::gk_ok(&[
        "plan",
        prior.to_str().expect("utf-8"),
        data.to_str().expect("utf-8"),
        "--cases",
        "fixtures/plan/cases.csv",
        "--out",
        pkg.join("plan").to_str().expect("utf-8"),
        "--quiet",
    ]);
    let r = check_path(&c, &pkg, &check::Options::default());
    assert_eq!(r.scope, ["350582101"]);
    let extra: Vec<(&str, &Msg)> = r
        .findings
        .iter()
        .filter(|f| f.rule.id() == "XWALK-CASE-EXTRA")
        .map(|f| (f.key.as_str(), &f.message))
        .collect();
    // Cases of 青阳街道 (350582001), which the center's cut leaves out.
    let elsewhere = Msg::XwalkCaseExtra {
        known: false,
        elsewhere: true,
    };
    assert_eq!(
        extra,
        [
            ("C01", &elsewhere),
            ("C05", &elsewhere),
            ("C06", &elsewhere),
            ("C12", &elsewhere),
            ("C13", &elsewhere),
        ]
    );
}
