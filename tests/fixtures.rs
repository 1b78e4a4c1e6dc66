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
            ("CODE-FORMAT", "grids", "35058210100108", "code"),
            ("CODE-FORMAT", "streets", "350582601", "code"),
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
    expect("crs-mismatch", &[("CRS-MISMATCH", "grids", "", "")]);
    expect("crs-missing", &[("CRS-MISSING", "grids", "", "")]);
    expect("crs-unrecognised", &[("CRS-UNRECOGNISED", "grids", "", "")]);
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
    // (tests/cli.rs: DBF-MISSING, MULTIPATCH).
    let covered = include_str!("fixtures.rs").to_string() + include_str!("cli.rs");
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
