//! The broken-file corpus (fixtures/README.md, issue 9): for each broken input, the exact class
//! of what gridkeeper says — the error and its problem for input that stops the run (exit
//! code 2), the rule ids for input that is read and reported — and the exit code of
//! `gridkeeper validate`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::validate::{self, Options};
use gridkeeper::{DbfFault, Error, Problem, RecordFault};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn validate_cli(name: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gridkeeper"))
        .args(["validate", "--lang", "en", "--color", "never"])
        .arg(fixture(name))
        .output()
        .expect("run gridkeeper")
}

/// The error loading `name` stops with; the command line stops with exit code 2 and one
/// line naming `file` and saying `phrase`.
fn refused(name: &str, file: &str, phrase: &str) -> Error {
    let e = match dataset::load(&fixture(name), &LoadOptions::default()) {
        Err(e) => e,
        Ok(_) => panic!("{name}: loaded"),
    };
    let o = validate_cli(name);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    assert!(o.stdout.is_empty(), "{name}");
    assert_eq!(err.lines().count(), 1, "{name}: {err}");
    assert!(err.starts_with("gridkeeper: error: "), "{name}: {err}");
    assert!(err.contains(file), "{name}: {err}");
    assert!(err.contains(phrase), "{name}: {err}");
    e
}

/// (rule, layer, key) of every finding of `name`, and the exit code of the command line.
fn reported(name: &str) -> (Vec<(String, String, String)>, i32) {
    let (ds, profile) = dataset::load(&fixture(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let findings = validate::run(&ds, &profile, &Options::default())
        .into_iter()
        .map(|f| (f.rule.id().to_string(), f.layer, f.key))
        .collect();
    let o = validate_cli(name);
    let code = o.status.code().expect("exit code");
    (findings, code)
}

fn has(findings: &[(String, String, String)], rule: &str, layer: &str, key: &str) -> bool {
    findings
        .iter()
        .any(|(r, l, k)| r == rule && l == layer && k == key)
}

#[test]
fn truncated_shp() {
    let e = refused(
        "broken/truncated-shp",
        "grids.shp",
        "the file is truncated: 2276 bytes needed, 400 present",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::TooShort {
                needed: 2276,
                have: 400
            },
            ..
        }
    ));
}

#[test]
fn shp_record_length_past_the_end() {
    let e = refused(
        "broken/shp-record-past-end",
        "grids.shp",
        "record 5 (offset 644) is damaged: its length runs past the end of the file",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::BadRecord {
                record: 5,
                offset: 644,
                reason: RecordFault::PastEnd
            },
            ..
        }
    ));
}

#[test]
fn shp_record_claiming_ten_million_points() {
    // Refused from the record's length before any point is allocated.
    let e = refused(
        "broken/shp-too-many-points",
        "grids.shp",
        "record 3 (offset 372) is damaged: its content is shorter than its part and point counts need",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::BadRecord {
                record: 3,
                reason: RecordFault::TooShortForCounts,
                ..
            },
            ..
        }
    ));
}

#[test]
fn shx_missing_is_rebuilt_from_the_shp() {
    let (f, code) = reported("shx-missing");
    assert_eq!(f, [("SHX-MISSING".into(), "grids".into(), String::new())]);
    assert_eq!(code, 0);
    let (ds, _) = dataset::load(&fixture("shx-missing"), &LoadOptions::default()).expect("load");
    assert_eq!(ds.grids().count(), 16);
    let o = validate_cli("shx-missing");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("the .shx index is missing; it was rebuilt in memory by scanning the .shp"),
        "{out}"
    );
}

#[test]
fn shx_disagreeing_with_shp() {
    let (f, code) = reported("shx-mismatch");
    assert_eq!(f, [("SHX-MISMATCH".into(), "grids".into(), String::new())]);
    assert_eq!(code, 0);
}

#[test]
fn dbf_wrong_header_length() {
    let e = refused(
        "broken/dbf-header-length",
        "grids.dbf",
        "bad DBF header: the header length is too small",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::BadDbfHeader {
                reason: DbfFault::HeaderLength
            },
            ..
        }
    ));
}

#[test]
fn dbf_claiming_800_million_records() {
    let e = refused(
        "broken/dbf-lying-header",
        "grids.dbf",
        "the DBF header claims 800000000 records, the file holds 16 whole records",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::DbfTruncated {
                claimed: 800_000_000,
                present: 16
            },
            ..
        }
    ));
}

#[test]
fn dbf_with_a_record_fewer_than_the_shp() {
    let (f, code) = reported("record-count-mismatch");
    assert!(has(&f, "RECORD-COUNT-MISMATCH", "grids", ""), "{f:?}");
    assert_eq!(code, 1);
}

#[test]
fn prj_of_garbage() {
    let (f, code) = reported("prj-garbage");
    assert_eq!(
        f,
        [("CRS-UNRECOGNISED".into(), "grids".into(), String::new())]
    );
    assert_eq!(code, 0);
    // The garbage is shown, its control bytes escaped rather than sent to the terminal.
    let o = validate_cli("prj-garbage");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(r"the CRS could not be recognised: \x00\x01PK\x03\x04"),
        "{out}"
    );
    assert!(!out.bytes().any(|b| b < 0x20 && b != b'\n'), "{out:?}");
}

#[test]
fn cpg_naming_an_unknown_encoding() {
    let e = refused(
        "broken/unknown-cpg",
        "grids.cpg",
        "unknown encoding “KLINGON-1”",
    );
    assert!(matches!(e, Error::UnknownEncoding { ref label, .. } if label == "KLINGON-1"));
}

#[test]
fn empty_layer() {
    let (f, code) = reported("layer-empty");
    assert_eq!(f, [("LAYER-EMPTY".into(), "pois".into(), String::new())]);
    assert_eq!(code, 0);
}

#[test]
fn nan_coordinates_and_a_ring_of_two_points_in_a_shapefile() {
    let (f, code) = reported("geom-raw-shapefile");
    assert!(
        has(&f, "GEOM-INVALID-COORDINATE", "grids", "350582001001001"),
        "{f:?}"
    );
    assert!(
        has(&f, "GEOM-TOO-FEW-POINTS", "grids", "350582001001002"),
        "{f:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn nan_coordinates_in_geojson() {
    // JSON has no NaN: the file is not JSON.
    let e = refused(
        "broken/geojson-nan",
        "grids.geojson",
        "malformed JSON: expected value at line 30 column 8",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::Json { .. },
            ..
        }
    ));
}

#[test]
fn geojson_not_json() {
    let e = refused(
        "broken/not-json",
        "grids.geojson",
        "malformed JSON: EOF while parsing a list at line 2 column 0",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::Json { .. },
            ..
        }
    ));
}

#[test]
fn geojson_not_a_feature_collection() {
    let e = refused("broken/not-geojson", "grids.geojson", "not GeoJSON");
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::NotGeoJson { ref found },
            ..
        } if found == "Topology"
    ));
}

#[test]
fn geojson_nested_100000_deep() {
    let e = refused(
        "broken/geojson-deep",
        "grids.geojson",
        "malformed JSON: recursion limit exceeded",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::Json { .. },
            ..
        }
    ));
}

#[test]
fn geojson_with_mixed_geometry_types() {
    let (f, code) = reported("geom-mixed");
    let types: Vec<&str> = f
        .iter()
        .filter(|(r, _, _)| r == "GEOM-TYPE")
        .map(|(_, _, k)| k.as_str())
        .collect();
    assert_eq!(types, ["350582001001004", "350582001002004"]);
    assert_eq!(code, 1);
}

#[test]
fn csv_without_coordinate_columns() {
    let e = refused(
        "broken/csv-no-coordinates",
        "pois.csv",
        "no coordinate columns (header: DZBM, MC, DZ, LX)",
    );
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::NoCoordinateColumns { ref columns },
            ..
        } if columns.len() == 4
    ));
}

#[test]
fn csv_rows_with_missing_coordinates() {
    let (f, code) = reported("csv-missing-coordinates");
    assert_eq!(
        f,
        [
            ("GEOM-NULL".into(), "pois".into(), "DZ000003".into()),
            (
                "GEOM-COORDINATE-TEXT".into(),
                "pois".into(),
                "DZ000004".into()
            ),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn geojson_multipolygon_with_a_polygon_without_rings() {
    // Found by the `validate` fuzz target: refused, not a panic.
    let name = "fuzz-regressions/multipolygon-without-rings.geojson";
    let e = match gridkeeper::io::read_layer(&fixture(name), &Default::default()) {
        Err(e) => e,
        Ok(_) => panic!("{name}: read"),
    };
    assert!(matches!(
        e,
        Error::Malformed {
            problem: Problem::Json { ref message },
            ..
        } if message.contains("`MultiPolygon` with unexpected coordinates dimensions: 2")
    ));
    let o = validate_cli(name);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("malformed JSON"));
}
