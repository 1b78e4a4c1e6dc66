//! Each fixture in `fixtures/` (see fixtures/README.md) gives exactly its findings:
//! rule id, layer, feature key and field, nothing more, nothing less.

use std::path::{Path, PathBuf};

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::validate::{self, AdminCodes, Options};
use gridkeeper::{Lang, Severity};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// (rule, layer, key, field) of every finding of a fixture, in report order.
fn findings(name: &str, options: &Options) -> Vec<(String, String, String, String)> {
    let (ds, profile) = dataset::load(&fixture(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    validate::run(&ds, &profile, options)
        .into_iter()
        .map(|f| {
            (
                f.rule.id().to_string(),
                f.layer,
                f.key,
                f.field.unwrap_or_default(),
            )
        })
        .collect()
}

fn expect(name: &str, want: &[(&str, &str, &str, &str)]) {
    let got = findings(name, &Options::default());
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want, "fixture {name}");
}

#[test]
fn clean_datasets_have_no_findings() {
    expect("clean", &[]);
    expect("clean-shapefile", &[]);
}

#[test]
fn attributes() {
    expect(
        "attr-required",
        &[("ATTR-REQUIRED", "components", "3505820118000003", "owner")],
    );
    expect(
        "attr-type",
        &[
            ("ATTR-TYPE", "grids", "350582001001002", "area"),
            ("ATTR-TYPE", "grids", "350582001002001", "start"),
        ],
    );
    expect(
        "attr-enum",
        &[
            ("ATTR-ENUM", "components", "3505820118000004", "status"),
            ("ATTR-ENUM", "components", "3505820301000006", "currency"),
        ],
    );
    expect(
        "attr-range",
        &[("ATTR-RANGE", "grids", "350582001002003", "area")],
    );
    expect(
        "date-order",
        &[("DATE-ORDER", "grids", "350582101001002", "end")],
    );
}

#[test]
fn a_city_profile_with_pattern_length_and_unique() {
    expect(
        "city-profile",
        &[
            ("ATTR-LENGTH", "pois", "X123", "name"),
            ("ATTR-PATTERN", "pois", "X123", "code"),
            ("ATTR-UNIQUE", "pois", "X123", "address"),
        ],
    );
}

#[test]
fn codes_and_keys() {
    expect(
        "key-duplicate",
        &[("KEY-DUPLICATE", "components", "3505820118000003", "code")],
    );
    expect(
        "key-foreign",
        &[
            ("KEY-FOREIGN", "components", "3505820103000002", "grid"),
            ("KEY-FOREIGN", "grids", "350582001009001", "community"),
        ],
    );
    expect(
        "code-format",
        &[
            ("CODE-FORMAT", "components", "350582020100005", "code"),
            ("CODE-FORMAT", "grids", "35058210100108", "code"),
        ],
    );
    expect(
        "code-region",
        &[("CODE-REGION", "components", "3505830118000008", "code")],
    );
    expect(
        "code-parent",
        &[("CODE-PARENT", "grids", "350582001002009", "community")],
    );
    expect(
        "code-class",
        &[("CODE-CLASS", "components", "3505820101000001", "class")],
    );
    expect(
        "class-unknown",
        &[("CLASS-UNKNOWN", "components", "3505820199000005", "code")],
    );
    // GB/T 47678-2026: letters in grid sequences and 17-digit component codes pass; the
    // class table is the city's, so classes are not checked (and it says so).
    expect(
        "class-table-empty",
        &[("CLASS-TABLE-EMPTY", "components", "", "")],
    );
}

#[test]
fn layers_and_fields() {
    expect("layer-missing", &[("LAYER-MISSING", "components", "", "")]);
    expect("layer-empty", &[("LAYER-EMPTY", "pois", "", "")]);
    expect(
        "field-missing",
        &[
            ("FIELD-MISSING", "communities", "", "street"),
            ("FIELD-MISSING", "grids", "", "code"),
        ],
    );
}

#[test]
fn crs() {
    // The grids say EPSG:4490 but hold the district's metres: implausible as degrees too.
    expect(
        "crs-mismatch",
        &[
            ("CRS-MISMATCH", "grids", "", ""),
            ("CRS-OUT-OF-AREA", "grids", "350582001001001", ""),
        ],
    );
    expect("crs-missing", &[("CRS-MISSING", "grids", "", "")]);
    expect("crs-unrecognised", &[("CRS-UNRECOGNISED", "grids", "", "")]);
    // The same grids in lon/lat and in Xi'an 1980, transformed to EPSG:4549 by
    // `reproject = true` (with the city's parameters for Xi'an 1980): nothing else is found.
    expect("crs-reproject", &[("CRS-REPROJECTED", "grids", "", "")]);
    expect("crs-xian1980", &[("CRS-REPROJECTED", "grids", "", "")]);
    // A shapefile without .prj whose CRS the manifest gives.
    expect("crs-layer-crs", &[]);
}

#[test]
fn how_files_were_read() {
    expect(
        "encoding-guessed",
        &[("ENCODING-GUESSED", "streets", "", "")],
    );
    expect("shx-missing", &[("SHX-MISSING", "grids", "", "")]);
    expect("shx-mismatch", &[("SHX-MISMATCH", "grids", "", "")]);
    expect(
        "trailing-bytes",
        &[("FILE-TRAILING-BYTES", "grids", "", "")],
    );
    // The .dbf lacks the last record: that grid has no code or community.
    expect(
        "record-count-mismatch",
        &[
            ("RECORD-COUNT-MISMATCH", "grids", "", ""),
            ("ATTR-REQUIRED", "grids", "#15", "code"),
            ("ATTR-REQUIRED", "grids", "#15", "community"),
        ],
    );
}

#[test]
fn gbk_without_cpg_is_guessed_and_still_right() {
    let (ds, _) =
        dataset::load(&fixture("encoding-guessed"), &LoadOptions::default()).expect("load");
    let streets = ds.layer(gridkeeper::LayerKind::Streets).expect("streets");
    assert_eq!(streets.layer.encoding.as_deref(), Some("GB18030"));
    assert_eq!(streets.get(0, "name"), Some("青阳街道"));
    assert_eq!(streets.get(1, "name"), Some("安海镇"));
}

#[test]
fn gbk_with_cpg_reads_chinese() {
    let (ds, _) =
        dataset::load(&fixture("clean-shapefile"), &LoadOptions::default()).expect("load");
    let grids = ds.layer(gridkeeper::LayerKind::Grids).expect("grids");
    assert_eq!(grids.layer.encoding.as_deref(), Some("GBK"));
    assert_eq!(grids.fields.columns["code"].1, "BGID");
    assert_eq!(grids.get(0, "code"), Some("350582001001001"));
}

#[test]
fn administrative_code_list() {
    let list = AdminCodes::load(&fixture("admin-codes.csv")).expect("admin codes");
    // 12-digit statistical forms are shortened: 350582001000 → 350582001.
    assert_eq!(
        list.names.get("350582001").map(String::as_str),
        Some("青阳街道")
    );
    let got = findings(
        "clean",
        &Options {
            admin_codes: Some(list),
            ..Options::default()
        },
    );
    let want = vec![
        ("ADMIN-UNKNOWN", "communities", "350582001002", "code"),
        ("ADMIN-NAME", "streets", "350582101", "name"),
    ];
    let want: Vec<(String, String, String, String)> = want
        .into_iter()
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn every_rule_has_a_fixture_or_a_test_here_or_in_the_single_file_tests() {
    // The rules exercised by this file, plus those only a single-file check can raise
    // (tests/cli.rs: DBF-MISSING, MULTIPATCH; tests/crs.rs: the coordinate sanity hints) and
    // the comparison's (tests/diff.rs), the case remapping's (tests/plan.rs) and the center's
    // check (tests/submissions.rs).
    let covered = include_str!("fixtures.rs").to_string()
        + include_str!("cli.rs")
        + include_str!("diff.rs")
        + include_str!("crs.rs")
        + include_str!("plan.rs")
        + include_str!("submissions.rs");
    for rule in gridkeeper::Rule::ALL {
        assert!(
            covered.contains(&format!("\"{}\"", rule.id())),
            "rule {} has no fixture test",
            rule.id()
        );
    }
}

#[test]
fn messages_in_both_languages() {
    let (ds, profile) =
        dataset::load(&fixture("code-parent"), &LoadOptions::default()).expect("load");
    let f = &validate::run(&ds, &profile, &Options::default())[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.text(Lang::Zh),
        "编码 350582001002009 的 county+street+community 部分为 350582001002，而字段 community 为 350582001001"
    );
    assert_eq!(
        f.text(Lang::En),
        "code 350582001002009: its county+street+community part is 350582001002 but field community is 350582001001"
    );
}

/// The findings of a fixture with their measure and location.
fn measured(name: &str) -> Vec<gridkeeper::Finding> {
    let (ds, profile) = dataset::load(&fixture(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    validate::run(&ds, &profile, &Options::default())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1e-12)
}

const X0: f64 = 350_000.0;
const Y0: f64 = 2_745_000.0;

#[test]
fn invalid_polygons_are_named_as_jts_names_them_with_their_place() {
    let f = measured("geom-invalid");
    let got: Vec<(&str, &str, Option<[f64; 2]>)> = f
        .iter()
        .map(|f| (f.rule.id(), f.key.as_str(), f.location))
        .collect();
    assert_eq!(
        got,
        vec![
            // a bow-tie: its edges cross at the cell's centre
            (
                "GEOM-SELF-INTERSECTION",
                "350582001001001",
                Some([X0 + 50.0, Y0 + 150.0])
            ),
            (
                "GEOM-HOLE-OUTSIDE-SHELL",
                "350582001002002",
                Some([X0 + 410.0, Y0 + 140.0])
            ),
            // the shell touches itself at one vertex (an inverted hole)
            (
                "GEOM-RING-SELF-INTERSECTION",
                "350582101001008",
                Some([X0 + 750.0, Y0 + 50.0])
            ),
        ]
    );
}

#[test]
fn geometry_hygiene() {
    expect(
        "geom-hygiene",
        &[
            ("GEOM-REPEATED-VERTEX", "grids", "350582001001001", ""),
            ("GEOM-SHORT-SEGMENT", "grids", "350582001001002", ""),
            ("GEOM-SLIVER", "grids", "350582001001005", ""),
            ("GEOM-SMALL-AREA", "grids", "350582101001009", ""),
        ],
    );
    let f = measured("geom-hygiene");
    assert!(close(f[1].measure.expect("length"), 0.005));
    assert!(close(f[2].measure.expect("area"), 10.0));
    assert!(close(f[3].measure.expect("area"), 0.81));
    expect(
        "geom-null-type",
        &[
            ("COVER-GAP", "grids", "", ""),
            ("GEOM-NULL", "grids", "350582001001004", ""),
            ("GEOM-TYPE", "grids", "350582001001005", ""),
        ],
    );
    expect("geom-zm", &[("GEOM-ZM", "pois", "", "")]);
}

#[test]
fn raw_geometry_defects_seen_while_reading() {
    expect(
        "geom-raw",
        &[
            ("GEOM-COORDINATE-TEXT", "cases", "A2025000002", ""),
            ("GEOM-INVALID-COORDINATE", "cases", "A2025000003", ""),
            // the three-point ring has no area: its cell is a gap
            ("COVER-GAP", "grids", "", ""),
            ("GEOM-RING-NOT-CLOSED", "grids", "350582001001001", ""),
            ("GEOM-TOO-FEW-POINTS", "grids", "350582101001008", ""),
        ],
    );
}

#[test]
fn grid_area_guidance_follows_the_thresholds() {
    let (ds, profile) = dataset::load(&fixture("clean"), &LoadOptions::default()).expect("load");
    let mut t = profile.thresholds.clone();
    t.set("grid_area_nominal_m2=2500").expect("set");
    t.set("grid_area_factor=2").expect("set");
    let f = validate::run(
        &ds,
        &profile,
        &Options {
            thresholds: Some(t),
            ..Options::default()
        },
    );
    assert_eq!(f.len(), 16);
    assert!(f
        .iter()
        .all(|f| f.rule.id() == "GRID-AREA" && close(f.measure.unwrap_or(0.0), 10_000.0)));
}

#[test]
fn overlaps_with_their_polygon_and_area() {
    let f = measured("cover-overlap");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule.id(), "COVER-OVERLAP");
    assert_eq!(f[0].key, "350582001001002");
    assert!(f[0]
        .text(Lang::En)
        .contains("overlaps 350582001001001 by 500.00 m²"));
    assert!(close(f[0].measure.expect("area"), 500.0));
    use geo::Area;
    let g = f[0].geometry.as_ref().expect("overlap polygon");
    assert!(close(g.unsigned_area(), 500.0));
}

#[test]
fn gaps_inside_at_the_edge_and_holes() {
    let f = measured("cover-gap");
    let got: Vec<(&str, f64, String)> = f
        .iter()
        .map(|f| (f.rule.id(), f.measure.unwrap_or(0.0), f.text(Lang::En)))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(close(got[0].1, 5.0) && got[0].2.starts_with("sliver gap of 5.00 m² inside the jurisdiction, next to 350582101001003, 350582101001007"));
    assert!(close(got[1].1, 150.0) && got[1].2.starts_with("uncovered area of 150.00 m² inside the jurisdiction, next to 350582101001002, 350582101001006"));
    // A community 10 m short of its street: a gap at the jurisdiction's edge, and the two
    // grids of that strip stick out of their community.
    let f = measured("cover-communities");
    let got: Vec<(&str, &str, &str, f64)> = f
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
    assert_eq!(got.len(), 3);
    assert_eq!((got[0].0, got[0].1), ("COVER-GAP", "communities"));
    assert!(close(got[0].3, 2000.0));
    assert!(f[0]
        .text(Lang::En)
        .contains("at the edge of the jurisdiction"));
    assert_eq!(
        (got[1].0, got[1].2),
        ("NEST-OUTSIDE-PARENT", "350582001002002")
    );
    assert_eq!(
        (got[2].0, got[2].2),
        ("NEST-OUTSIDE-PARENT", "350582001002004")
    );
    assert!(close(got[1].3, 1000.0) && close(got[2].3, 1000.0));
    // A pond nobody fills is a hole, not a gap; the hole filled by an island grid is fine.
    expect(
        "cover-hole",
        &[
            ("COMP-OUTSIDE-GRID", "components", "3505820118000004", ""),
            ("COVER-HOLE", "grids", "350582001002001", ""),
            ("GRID-AREA", "grids", "350582001002009", ""),
        ],
    );
    assert!(close(
        measured("cover-hole")[1].measure.expect("area"),
        400.0
    ));
    expect(
        "cover-vertex-mismatch",
        &[("COVER-VERTEX-MISMATCH", "grids", "350582001001003", "")],
    );
}

#[test]
fn a_grid_filed_under_the_wrong_community() {
    expect(
        "nest-wrong-parent",
        &[
            ("NEST-UNCOVERED", "communities", "350582001002", ""),
            ("NEST-WRONG-PARENT", "grids", "350582001001005", ""),
        ],
    );
    let f = measured("nest-wrong-parent");
    assert!(close(f[0].measure.expect("area"), 10_000.0));
    assert_eq!(
        f[1].text(Lang::En),
        "its code/field says 350582001001, its geometry lies in 350582001002 (100.0%)"
    );
}

#[test]
fn components_and_addresses_in_place() {
    expect(
        "points",
        &[
            ("COMP-ON-BOUNDARY", "components", "3505820101000001", ""),
            ("COMP-WRONG-GRID", "components", "3505820103000002", "grid"),
            (
                "COMP-OUTSIDE-JURISDICTION",
                "components",
                "3505820118000003",
                "",
            ),
            ("COMP-DUPLICATE", "components", "3505820118000009", ""),
            ("POI-DUPLICATE", "pois", "DZ000003", ""),
            ("POI-OUTSIDE-JURISDICTION", "pois", "DZ000004", ""),
        ],
    );
}

/// Duty layers (责任网格): coverage, one duty grid per unit grid, codes and fields.
#[test]
fn duty_layers() {
    expect("duty-clean", &[]);
    expect("duty-gap", &[("COVER-GAP", "enforcement_grids", "", "")]);
    let gap = findings_full("duty-gap");
    assert_eq!(gap[0].measure, Some(5000.0));
    assert_eq!(
        gap[0].text(Lang::En),
        "uncovered area of 5000.00 m² at the edge of the jurisdiction, next to 350582001ZF002"
    );
    expect(
        "duty-split",
        &[("DUTY-GRID-SPLIT", "grids", "350582001002001", "")],
    );
    let split = findings_full("duty-split");
    assert_eq!(
        split[0].message,
        gridkeeper::i18n::Msg::DutyGridSplit {
            duty: "enforcement_grids".into(),
            shares: vec![
                ("350582001ZF001".into(), 0.5),
                ("350582001ZF002".into(), 0.5)
            ],
        }
    );
    assert_eq!(split[0].measure, Some(5000.0));
    assert_eq!(
        split[0].text(Lang::Zh),
        "单元网格分属 2 个执法网格（应只属一个）：350582001ZF001 50.0%，350582001ZF002 50.0%"
    );
    assert_eq!(
        split[0].text(Lang::En),
        "the unit grid is split between 2 enforcement grids (it must lie in one): \
         350582001ZF001 50.0%, 350582001ZF002 50.0%"
    );
    expect(
        "duty-fields",
        &[
            ("CODE-FORMAT", "sanitation_grids", "350582001HX001", "code"),
            (
                "ATTR-REQUIRED",
                "sanitation_grids",
                "350582101HW001",
                "team",
            ),
        ],
    );
}

fn findings_full(name: &str) -> Vec<gridkeeper::Finding> {
    let (ds, profile) = dataset::load(&fixture(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    validate::run(&ds, &profile, &Options::default())
}

#[test]
fn holes_notches_and_invalid_neighbours() {
    // A grid's hole an island grid fills in part: the rest is a gap (an error), not a hole.
    expect(
        "cover-hole-partly-filled",
        &[
            ("COVER-GAP", "grids", "", ""),
            ("COVER-VERTEX-MISMATCH", "grids", "350582001001009", ""),
            ("GRID-AREA", "grids", "350582001001009", ""),
        ],
    );
    assert!(close(
        measured("cover-hole-partly-filled")[0]
            .measure
            .expect("area"),
        134.0
    ));
    // The same with the hole wound like its shell (anticlockwise): still a hole.
    expect(
        "cover-hole-same-winding",
        &[
            ("COVER-GAP", "grids", "", ""),
            ("COVER-VERTEX-MISMATCH", "grids", "350582001001009", ""),
            ("GRID-AREA", "grids", "350582001001009", ""),
        ],
    );
    assert!(close(
        measured("cover-hole-same-winding")[0]
            .measure
            .expect("area"),
        200.0
    ));
    // A community's notch cut across grid 350582001001001: every vertex of the grid is in the
    // community and no vertex of the community inside the grid, yet 2,000 m² lie outside.
    expect(
        "nest-notch",
        &[
            ("NEST-UNCOVERED", "communities", "350582001002", ""),
            ("KEY-FOREIGN", "components", "3505820103000002", "grid"),
            ("NEST-OUTSIDE-PARENT", "grids", "350582001001001", ""),
            ("COVER-VERTEX-MISMATCH", "grids", "350582001001003", ""),
            ("NEST-OUTSIDE-PARENT", "grids", "350582001001003", ""),
            ("COVER-VERTEX-MISMATCH", "grids", "350582001001004", ""),
            ("NEST-OUTSIDE-PARENT", "grids", "350582001001004", ""),
        ],
    );
    assert!(close(
        measured("nest-notch")[2].measure.expect("area"),
        2000.0
    ));
    // The same notch in an enforcement grid.
    expect(
        "duty-notch",
        &[
            ("DUTY-GRID-SPLIT", "grids", "350582001001001", ""),
            ("DUTY-GRID-SPLIT", "grids", "350582001001003", ""),
        ],
    );
    // An invalid community takes no part in nesting: its grids are not judged against it.
    expect(
        "nest-invalid-parent",
        &[
            (
                "GEOM-RING-SELF-INTERSECTION",
                "communities",
                "350582001001",
                "",
            ),
            (
                "GEOM-RING-SELF-INTERSECTION",
                "communities",
                "350582001001",
                "",
            ),
            ("GEOM-SELF-INTERSECTION", "communities", "350582001001", ""),
            ("GEOM-SELF-INTERSECTION", "communities", "350582001001", ""),
        ],
    );
    // A grid made invalid by a spike that crosses far out hides no gap outside its rings.
    expect(
        "cover-gap-near-invalid",
        &[
            ("COVER-GAP", "grids", "", ""),
            ("GEOM-SELF-INTERSECTION", "grids", "350582001001001", ""),
            ("COVER-VERTEX-MISMATCH", "grids", "350582101001007", ""),
        ],
    );
    assert!(close(
        measured("cover-gap-near-invalid")[0].measure.expect("area"),
        500.0
    ));
}

#[test]
fn grids_wound_both_ways_cover_the_jurisdiction() {
    // The clean dataset with every other grid's rings reversed (a layer merged from two
    // tools): the union still covers the jurisdiction, so no gap. Before, the grids wound
    // clockwise touching those wound anticlockwise lost area in the union: four
    // COVER-GAP findings of 20,000 m².
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("clean");
    std::fs::create_dir(&dir).expect("dir");
    for entry in std::fs::read_dir(fixture("clean"))
        .expect("clean")
        .flatten()
    {
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    let path = dir.join("grids.geojson");
    let mut grids: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("grids")).expect("json");
    let features = grids["features"].as_array_mut().expect("features");
    for f in features.iter_mut().skip(1).step_by(2) {
        let g = &mut f["geometry"];
        let polygons: Vec<&mut serde_json::Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&mut g["coordinates"]],
            _ => g["coordinates"]
                .as_array_mut()
                .expect("parts")
                .iter_mut()
                .collect(),
        };
        for rings in polygons {
            for ring in rings.as_array_mut().expect("rings") {
                ring.as_array_mut().expect("ring").reverse();
            }
        }
    }
    std::fs::write(&path, serde_json::to_vec(&grids).expect("json")).expect("write");
    let (ds, profile) = dataset::load(&dir, &LoadOptions::default()).expect("load");
    let found: Vec<String> = validate::run(&ds, &profile, &Options::default())
        .into_iter()
        .map(|f| format!("{} {} {}", f.rule.id(), f.layer, f.key))
        .collect();
    assert!(found.is_empty(), "{found:?}");
}
