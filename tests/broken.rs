//! The broken-file corpus (fixtures/README.md, issue 9): for each broken input, the exact class
//! of what gridkeeper says — the error and its problem for input that stops the run (exit
//! code 2), the rule ids for input that is read and reported — and the exit code of
//! `gridkeeper validate`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::validate::{self, Options};
use gridkeeper::{DbfFault, Error, Problem, RecordFault};

#[path = "common/hostile.rs"]
mod hostile;

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

/// A `.shp` of one polygon record with the given rings (shape type 5, no `.shx`, no `.dbf`).
fn polygon_shp(rings: &[Vec<(f64, f64)>]) -> Vec<u8> {
    let points: usize = rings.iter().map(Vec::len).sum();
    let content_len = 44 + 4 * rings.len() + 16 * points;
    let mut b = vec![0u8; 100];
    b[0..4].copy_from_slice(&9994i32.to_be_bytes());
    b[24..28].copy_from_slice(&(((100 + 8 + content_len) / 2) as i32).to_be_bytes());
    b[28..32].copy_from_slice(&1000i32.to_le_bytes());
    b[32..36].copy_from_slice(&5i32.to_le_bytes());
    b.extend_from_slice(&1i32.to_be_bytes());
    b.extend_from_slice(&((content_len / 2) as i32).to_be_bytes());
    b.extend_from_slice(&5i32.to_le_bytes());
    b.extend_from_slice(&[0u8; 32]); // the record's box (not trusted)
    b.extend_from_slice(&(rings.len() as i32).to_le_bytes());
    b.extend_from_slice(&(points as i32).to_le_bytes());
    let mut start = 0i32;
    for r in rings {
        b.extend_from_slice(&start.to_le_bytes());
        start += r.len() as i32;
    }
    for &(x, y) in rings.iter().flatten() {
        b.extend_from_slice(&x.to_le_bytes());
        b.extend_from_slice(&y.to_le_bytes());
    }
    b
}

#[test]
fn shp_record_of_300000_empty_parts_reads_in_linear_time() {
    // Every ring compared with every other one was 4.5 × 10^10 tests: hours. Empty parts
    // (4 bytes each in the file) take no part in telling shells from holes and are left out
    // of the geometry; the first 16 are reported (a defect, then a finding, for each of
    // millions was gigabytes).
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("parts.shp");
    let mut rings = vec![Vec::new(); 300_000];
    rings.push(vec![
        (0.0, 0.0),
        (0.0, 10.0),
        (10.0, 10.0),
        (10.0, 0.0),
        (0.0, 0.0),
    ]);
    rings.push(vec![
        (2.0, 2.0),
        (4.0, 2.0),
        (4.0, 4.0),
        (2.0, 4.0),
        (2.0, 2.0),
    ]);
    std::fs::write(&path, polygon_shp(&rings)).expect("write");
    let layer = gridkeeper::io::read_layer(&path, &Default::default()).expect("read");
    let Some(geo::Geometry::MultiPolygon(mp)) = layer.geometries[0].as_ref() else {
        panic!("{:?}", layer.geometries[0].as_ref().map(|_| "another kind"));
    };
    assert_eq!(mp.0.len(), 1);
    assert_eq!(mp.0[0].exterior().0.len(), 5);
    assert_eq!(mp.0[0].interiors().len(), 1);
    let too_few: Vec<usize> = layer
        .defects
        .iter()
        .map(|(record, d)| match d {
            gridkeeper::io::RawDefect::TooFewPoints { part, points: 0 } if *record == 0 => *part,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(too_few, (0..16).collect::<Vec<_>>());
}

#[test]
fn shp_rings_that_cannot_enclose_an_area_keep_the_polygon_invalid() {
    // A square, then 20 parts of two points and one with a NaN: each is reported (16 of a
    // kind at most), and the first 16 broken ones stay in the polygon as shells of their
    // own, so that diff and check, which read the geometry and not the reader's defects,
    // find it invalid as the validity check does (the square alone would pass).
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("broken.shp");
    let mut rings = vec![vec![
        (0.0, 0.0),
        (0.0, 10.0),
        (10.0, 10.0),
        (10.0, 0.0),
        (0.0, 0.0),
    ]];
    for k in 0..20 {
        let x = 20.0 + f64::from(k);
        rings.push(vec![(x, 0.0), (x, 1.0)]);
    }
    rings.push(vec![(0.0, 0.0), (f64::NAN, 1.0), (1.0, 1.0), (0.0, 0.0)]);
    std::fs::write(&path, polygon_shp(&rings)).expect("write");
    let layer = gridkeeper::io::read_layer(&path, &Default::default()).expect("read");
    let Some(g @ geo::Geometry::MultiPolygon(mp)) = layer.geometries[0].as_ref() else {
        panic!("{:?}", layer.geometries[0].as_ref().map(|_| "another kind"));
    };
    // the square and the first 16 two-point parts
    assert_eq!(mp.0.len(), 17);
    assert_eq!(mp.0[0].exterior().0.len(), 5);
    let kinds: Vec<gridkeeper::validate::validity::ValidityKind> =
        gridkeeper::validate::validity::geometry_validity_errors(g)
            .iter()
            .map(|e| e.kind)
            .collect();
    assert_eq!(
        kinds,
        [gridkeeper::validate::validity::ValidityKind::TooFewPoints; 16]
    );
    let defects: Vec<(usize, String)> = layer
        .defects
        .iter()
        .map(|(_, d)| match d {
            gridkeeper::io::RawDefect::RingNotClosed { ring, .. } => (*ring, "open".into()),
            gridkeeper::io::RawDefect::TooFewPoints { part, .. } => (*part, "few".into()),
            gridkeeper::io::RawDefect::NonFiniteCoordinate { part } => (*part, "nan".into()),
            other => panic!("{other:?}"),
        })
        .collect();
    let mut want: Vec<(usize, String)> = Vec::new();
    for part in 1..=20 {
        if part <= 16 {
            want.push((part, "open".into()));
        }
        if part <= 16 {
            want.push((part, "few".into()));
        }
    }
    want.push((21, "nan".into()));
    assert_eq!(defects, want);
}

#[test]
fn geojson_of_200000_empty_holes_keeps_16_defects_of_a_kind() {
    // 600 kB of `[]` holes, then 100 open holes of two points: a defect, then a finding, for
    // each was 1.7 GB a MB of file. The first 16 of each kind are kept; the feature is
    // invalid and not checked further.
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("holes.geojson");
    let shell = "[[0,0],[10,0],[10,10],[0,10],[0,0]]";
    let holes = vec!["[]"; 200_000].join(",");
    let open = vec!["[[1,1],[2,2]]"; 100].join(",");
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[{shell},{holes},{open}]}}}}]}}"#
    );
    std::fs::write(&path, text).expect("write");
    let layer = gridkeeper::io::read_layer(&path, &Default::default()).expect("read");
    let kinds: Vec<(&str, usize)> = layer
        .defects
        .iter()
        .map(|(row, d)| {
            assert_eq!(*row, 0);
            match d {
                gridkeeper::io::RawDefect::TooFewPoints { part, points: 0 } => ("few", *part),
                gridkeeper::io::RawDefect::RingNotClosed { ring, .. } => ("open", *ring),
                other => panic!("{other:?}"),
            }
        })
        .collect();
    let mut want: Vec<(&str, usize)> = (1..=16).map(|r| ("few", r)).collect();
    want.extend((200_001..=200_016).map(|r| ("open", r)));
    assert_eq!(kinds, want);
    let findings = validate::file(&layer, &Default::default());
    let mut geometry: Vec<&str> = findings
        .iter()
        .map(|f| f.rule.id())
        .filter(|r| r.starts_with("GEOM-"))
        .collect();
    geometry.sort_unstable();
    let mut want = vec!["GEOM-RING-NOT-CLOSED"; 16];
    want.extend(["GEOM-TOO-FEW-POINTS"; 16]);
    assert_eq!(geometry, want);
}

#[test]
fn geojson_of_properties_most_features_lack_is_refused() {
    // The first feature names 20,000 properties, the 2,000 after it none: a table of 40
    // million cells from 300 kB. Refused before the columns are made.
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("wide.geojson");
    let props: Vec<String> = (0..20_000).map(|i| format!("\"p{i}\":0")).collect();
    let mut text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"geometry\":null,\"properties\":{{{}}}}}",
        props.join(",")
    );
    for _ in 0..2_000 {
        text.push_str(",{\"type\":\"Feature\",\"geometry\":null,\"properties\":null}");
    }
    text.push_str("]}");
    std::fs::write(&path, &text).expect("write");
    match gridkeeper::io::read_layer(&path, &Default::default()) {
        Err(Error::Malformed {
            problem: Problem::TooManyCells { fields, rows },
            ..
        }) => assert_eq!((fields, rows), (20_000, 2_001)),
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("read"),
    }
    let o = Command::new(env!("CARGO_BIN_EXE_gridkeeper"))
        .args(["validate", "--lang", "en"])
        .arg(&path)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("wide.geojson")
            && err.contains("20000 distinct property names × 2001 features"),
        "{err}"
    );
}

#[test]
fn dbf_with_a_field_of_width_zero_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("zero.dbf");
    let mut d = vec![0u8; 32];
    d[0] = 3;
    d[4..8].copy_from_slice(&3u32.to_le_bytes());
    d[8..10].copy_from_slice(&(32u16 * 3 + 1).to_le_bytes());
    d[10..12].copy_from_slice(&2u16.to_le_bytes());
    for (name, width) in [(&b"A"[..], 1u8), (&b"EMPTY"[..], 0)] {
        let mut f = [0u8; 32];
        f[..name.len()].copy_from_slice(name);
        f[11] = b'C';
        f[16] = width;
        d.extend_from_slice(&f);
    }
    d.push(0x0D);
    d.extend_from_slice(b" x y z");
    std::fs::write(&path, d).expect("write");
    match gridkeeper::io::read_layer(&path, &Default::default()) {
        Err(Error::Malformed {
            problem:
                Problem::BadDbfHeader {
                    reason: DbfFault::FieldWidth,
                },
            ..
        }) => {}
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("read"),
    }
}

#[test]
fn layer_of_stacked_copies_is_refused() {
    // 2,000 copies of one grid: 1,999,000 pairs to compare, where 64 a polygon and 100,000
    // (228,000) are allowed. 400 copies (79,800 pairs) are read, and their overlaps reported.
    let tmp = tempfile::tempdir().expect("tmp");
    let write = |name: &str, copies: usize| {
        let feature = r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[500000,2730000],[500100,2730000],[500100,2730100],[500000,2730100],[500000,2730000]]]}}"#;
        let text = format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4549"}}}},"features":[{}]}}"#,
            vec![feature; copies].join(",")
        );
        let path = tmp.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let stacked = write("stacked.geojson", 2_000);
    match gridkeeper::io::read_layer(&stacked, &Default::default()) {
        Err(Error::Malformed {
            path,
            problem: Problem::Stacked { polygons, budget },
        }) => {
            assert_eq!(path, stacked);
            assert_eq!((polygons, budget), (2_000, 228_000));
        }
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("read"),
    }
    let o = Command::new(env!("CARGO_BIN_EXE_gridkeeper"))
        .args(["validate", "--lang", "en"])
        .arg(&stacked)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("stacked.geojson")
            && err.contains("the boxes of its 2000 polygons meet in more than 228000 pairs"),
        "{err}"
    );
    let fewer = write("fewer.geojson", 400);
    let layer = gridkeeper::io::read_layer(&fewer, &Default::default()).expect("read");
    let overlaps = validate::file(&layer, &Default::default())
        .iter()
        .filter(|f| f.rule.id() == "COVER-OVERLAP")
        .count();
    assert_eq!(overlaps, 79_800);
}

#[test]
fn neighbours_sharing_a_boundary_of_100000_vertices() {
    // Two strips sharing a 100 km boundary with a vertex every metre, three of them missing
    // from the upper strip: 10^10 vertex × edge comparisons without the edge index.
    let text = hostile::long_neighbours_geojson(100_000, &[100, 50_000, 99_000]);
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("long.geojson");
    std::fs::write(&path, text).expect("write");
    let layer = gridkeeper::io::read_layer(&path, &Default::default()).expect("read");
    let coverage: Vec<(String, String)> = validate::file(&layer, &Default::default())
        .into_iter()
        .filter(|f| f.rule.id().starts_with("COVER-"))
        .map(|f| (f.rule.id().to_string(), format!("{:?}", f.message)))
        .collect();
    assert_eq!(
        coverage,
        vec![(
            "COVER-VERTEX-MISMATCH".to_string(),
            "VertexMismatch { other: \"#0\", count: 3 }".to_string()
        )]
    );
}
