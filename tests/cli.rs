//! The command line: exit codes, reports, single files, profiles, and bad input of every
//! kind stopping with exit code 2 and a message naming the file and the problem.

use std::path::Path;

use common::{gk, root, stderr, stdout};

mod common;

#[test]
fn exit_codes_follow_the_findings() {
    let clean = gk(&["validate", "fixtures/clean"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert!(stdout(&clean).contains("未发现问题"));
    // Errors → 1.
    let bad = gk(&["validate", "fixtures/attr-required", "--lang", "en"]);
    assert_eq!(bad.status.code(), Some(1));
    let out = stdout(&bad);
    assert!(out.contains("ATTR-REQUIRED"), "{out}");
    assert!(
        out.contains("components 3505820118000003 (#2) [owner]: a required value is empty"),
        "{out}"
    );
    // Warnings only → 0.
    assert_eq!(
        gk(&["validate", "fixtures/shx-missing"]).status.code(),
        Some(0)
    );
}

#[test]
fn json_report_is_complete_and_deterministic() {
    let a = gk(&[
        "validate",
        "fixtures/code-format",
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    let b = gk(&[
        "validate",
        "fixtures/code-format",
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("json");
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["summary"]["by_rule"]["CODE-FORMAT"], 2);
    assert_eq!(v["profile"], "gbt30428-2013");
    assert_eq!(v["region"], "350582");
    let f = &v["findings"][1];
    assert_eq!(f["rule"], "CODE-FORMAT");
    assert_eq!(f["layer"], "grids");
    assert_eq!(f["key"], "35058210100108");
    assert_eq!(f["feature"], 15);
    assert_eq!(f["detail"]["kind"], "code-length");
    assert_eq!(f["detail"]["found"], 14);
    let grids = v["layers"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["layer"] == "grids"))
        .expect("grids layer");
    assert_eq!(grids["fields"]["code"], "BGID");
    assert_eq!(grids["features"], 16);
}

#[test]
fn report_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r.json");
    let o = gk(&[
        "validate",
        "fixtures/clean",
        "--format",
        "json",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("report")).expect("json");
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn a_polygon_of_20000_nested_rings_is_too_complex() {
    // One feature of 20,000 concentric squares (their boxes meet in 2 × 10^8 pairs): the
    // check stops at its budget and says so, in seconds rather than hours; the square
    // beside it is checked as usual.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("rings.geojson");
    let square = |x: f64, y: f64, h: f64| {
        serde_json::json!([[
            [x - h, y - h],
            [x + h, y - h],
            [x + h, y + h],
            [x - h, y + h],
            [x - h, y - h]
        ]])
    };
    let (x, y) = (500_000.0, 2_730_000.0);
    let nested: Vec<serde_json::Value> = (0..20_000)
        .map(|k| square(x, y, f64::from(20_000 - k) * 0.01))
        .collect();
    let doc = serde_json::json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:4549"}},
        "features": [
            {"type": "Feature", "properties": {"id": "plain"},
             "geometry": {"type": "Polygon", "coordinates": square(x + 500.0, y, 50.0)}},
            {"type": "Feature", "properties": {"id": "nested"},
             "geometry": {"type": "MultiPolygon", "coordinates": nested}},
        ],
    });
    std::fs::write(&path, doc.to_string()).expect("write");
    let o = gk(&["validate", path.to_str().expect("path"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let geometry: Vec<(String, u64)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("GEOM-")))
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["feature"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    assert_eq!(geometry, [("GEOM-TOO-COMPLEX".to_string(), 1)]);
}

#[test]
fn single_files_without_a_profile() {
    // A MultiPatch flattened to polygons: its triangles and rings share edges and cross.
    let o = gk(&[
        "validate",
        "fixtures/real-shapefiles/shapelib/multipatch.shp",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let by_rule = &v["summary"]["by_rule"];
    assert_eq!(by_rule["MULTIPATCH"], 1);
    assert_eq!(by_rule["CRS-MISSING"], 1);
    assert_eq!(by_rule["GEOM-ZM"], 1);
    assert_eq!(by_rule["GEOM-TOO-FEW-POINTS"], 8);
    assert_eq!(by_rule["GEOM-PARTS-SHARE-EDGE"], 5);
    let o = gk(&[
        "validate",
        "fixtures/real-shapefiles/shapefile-rs/point.shp",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["CRS-MISSING", "DBF-MISSING"]);
}

/// An empty Polygon or MultiPolygon (`"coordinates": []`) has no geometry: `GEOM-NULL` naming
/// the file (the layer of a single file) and the feature, like a null geometry.
#[test]
fn empty_polygons_in_a_single_file_are_geom_null() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("grids.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"G1"},"geometry":{"type":"MultiPolygon","coordinates":[]}},
{"type":"Feature","properties":{"id":"G2"},"geometry":{"type":"Polygon","coordinates":[]}},
{"type":"Feature","properties":{"id":"G3"},"geometry":null},
{"type":"Feature","properties":{"id":"G4"},"geometry":{"type":"MultiPolygon",
 "coordinates":[[[[0,0],[0.001,0],[0.001,0.001],[0,0.001],[0,0]]]]}}
]}"#,
    )
    .expect("write");
    let o = gk(&[
        "validate",
        file.to_str().expect("utf-8"),
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let found: Vec<(&str, &str, &str, u64)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default(),
                f["layer"].as_str().unwrap_or_default(),
                f["key"].as_str().unwrap_or_default(),
                f["feature"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("GEOM-NULL", "grids.geojson", "G1", 0),
            ("GEOM-NULL", "grids.geojson", "G2", 1),
            ("GEOM-NULL", "grids.geojson", "G3", 2),
        ]
    );
    assert_eq!(v["layers"][0]["layer"], "grids.geojson");
    assert_eq!(v["layers"][0]["file"], file.to_str().expect("utf-8"));
}

/// Every kind of bad input stops the run: exit 2, one line naming the file and the problem.
#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "bad-region",
            "dataset.toml",
            "region = “35058” is invalid: expected a 6-digit county code",
        ),
        (
            "dbf-lying-header",
            "grids.dbf",
            "the DBF header claims 800000000 records, the file holds 16 whole records",
        ),
        ("missing-dbf", "grids.dbf", "no such file (needed by"),
        ("missing-layer-file", "grids.shp", "no such file (needed by"),
        (
            "needs-gdal",
            "grids.gpkg",
            if cfg!(feature = "gdal") {
                "GDAL cannot read it"
            } else {
                "this build lacks GDAL support"
            },
        ),
        (
            "not-geojson",
            "grids.geojson",
            "not GeoJSON (type “Topology”",
        ),
        (
            "not-json",
            "grids.geojson",
            "malformed JSON: EOF while parsing",
        ),
        (
            "truncated-shp",
            "grids.shp",
            "the file is truncated: 2276 bytes needed, 400 present",
        ),
        ("unknown-cpg", "grids.cpg", "unknown encoding “KLINGON-1”"),
        (
            "unknown-profile",
            "gbt99999-2030",
            "unknown profile “gbt99999-2030”",
        ),
        (
            "wrong-geometry",
            "grids.geojson",
            "layer grids needs polygon geometries, the file holds point",
        ),
    ];
    for (dir, file, phrase) in cases {
        let path = format!("fixtures/broken/{dir}");
        let o = gk(&["validate", &path, "--lang", "en"]);
        assert_eq!(o.status.code(), Some(2), "{dir}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with("gridkeeper: error: "), "{dir}: {err}");
        assert!(
            err.contains(file),
            "{dir}: message does not name {file}: {err}"
        );
        assert!(err.contains(phrase), "{dir}: {err}");
        assert_eq!(err.lines().count(), 1, "{dir}: {err}");
        assert!(o.stdout.is_empty(), "{dir}");
    }
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(gk(&["validate"]).status.code(), Some(2));
    assert_eq!(gk(&["frobnicate"]).status.code(), Some(2));
    let o = gk(&[
        "validate",
        "fixtures/clean",
        "--encoding",
        "klingon",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--encoding: unknown encoding “klingon”"));
    let o = gk(&["validate", "fixtures/no-such-folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fixtures/no-such-folder"));
}

#[test]
fn profiles_list_show_export() {
    let o = gk(&["schema", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let list = stdout(&o);
    for name in ["gbt30428-2013", "cjt213-2005", "gbt47678-2026"] {
        assert!(list.contains(name), "{list}");
    }
    let o = gk(&["schema", "show", "cjt213-2005", "--lang", "en"]);
    assert!(stdout(&o).contains("county(6) + street(3) + community(3) + sequence(2) = 14"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("my-city");
    let o = gk(&[
        "schema",
        "export",
        "gbt30428-2013",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["profile.toml", "grids.schema.json", "component_classes.csv"] {
        assert!(Path::new(&out).join(f).is_file(), "{f}");
    }
    // The exported folder is a working profile.
    let o = gk(&[
        "validate",
        "fixtures/clean",
        "--schema",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn help_explains_the_exit_codes() {
    let o = gk(&["validate", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let h = stdout(&o);
    assert!(h.contains("Exit codes: 0 no errors; 1 findings of severity error; 2 could not run"));
}

fn rules_and_keys(v: &serde_json::Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["key"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn one_file_one_polygon_per_kind_of_invalidity() {
    let o = gk(&[
        "validate",
        "fixtures/geom-kinds.geojson",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let got = rules_and_keys(&v);
    let want: Vec<(String, String)> = [
        ("GEOM-SELF-INTERSECTION", "bow-tie"),
        ("GEOM-RING-SELF-INTERSECTION", "inverted-hole"),
        ("GEOM-HOLE-OUTSIDE-SHELL", "hole-outside"),
        ("GEOM-NESTED-HOLES", "nested-holes"),
        ("GEOM-DISCONNECTED-INTERIOR", "disconnected"),
        ("GEOM-NESTED-SHELLS", "nested-shells"),
        ("GEOM-DUPLICATE-RINGS", "duplicate-rings"),
        ("GEOM-PARTS-SHARE-EDGE", "shared-edge"),
        ("GEOM-TOO-FEW-POINTS", "too-few"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    // Each feature is named by its index and its id field.
    assert_eq!(v["findings"][0]["feature"], 1);
    assert_eq!(
        v["findings"][0]["location"],
        serde_json::json!([350105.0, 2745005.0])
    );
}

#[test]
fn errors_as_geojson_for_qgis() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("errors.geojson");
    let o = gk(&[
        "validate",
        "fixtures/cover-gap",
        "--errors-geojson",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("errors file")).expect("json");
    assert_eq!(v["crs"]["properties"]["name"], "urn:ogc:def:crs:EPSG::4549");
    let features = v["features"].as_array().expect("features");
    assert_eq!(features.len(), 2);
    for f in features {
        assert_eq!(f["properties"]["rule"], "COVER-GAP");
        assert_eq!(f["geometry"]["type"], "Polygon");
    }
    let area = features[1]["properties"]["measure"]
        .as_f64()
        .expect("measure");
    assert!((area - 150.0).abs() < 1e-6 * 150.0, "{area}");
}

#[test]
fn thresholds_from_the_command_line() {
    // With a gap tolerance above both gaps, nothing is left to report.
    let o = gk(&[
        "validate",
        "fixtures/cover-gap",
        "--set",
        "gap_tolerance_m2=200",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = gk(&[
        "validate",
        "fixtures/cover-gap",
        "--set",
        "no_such=1",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--set = “no_such” is invalid"),
        "{}",
        stderr(&o)
    );
    // A search radius out of its range: a kilometre-wide duplicate search pairs every
    // component with every other one.
    let o = gk(&[
        "validate",
        "fixtures/cover-gap",
        "--set",
        "component_duplicate_m=1e12",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("component_duplicate_m = “1000000000000” is invalid")
            && stderr(&o).contains("a number from 0 to 100"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn lon_lat_files_are_measured_geodesically() {
    // No crs member: RFC 7946 longitude/latitude. A 0.0001° cell at 24.8°N is about 112 m²
    // (PROJ 9.5.1, pyproj Geod GRS80: 112.00262 m²); its planar "area" would be 1e-8 square degrees.
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("cell.geojson");
    std::fs::write(
        &p,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"c"},
        "geometry":{"type":"Polygon","coordinates":[[[118.5,24.8],[118.5001,24.8],[118.5001,24.8001],[118.5,24.8001],[118.5,24.8]]]}}]}"#,
    )
    .expect("write");
    let o = gk(&[
        "validate",
        p.to_str().expect("path"),
        "--format",
        "json",
        "--set",
        "min_area_m2=200",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["layers"][0]["measure"], "geodesic");
    assert_eq!(v["layers"][0]["crs"], "EPSG:4326 (WGS 84)");
    assert_eq!(v["findings"][0]["rule"], "GEOM-SMALL-AREA");
    let area = v["findings"][0]["measure"].as_f64().expect("area");
    assert!((area - 112.00262).abs() < 1e-3, "{area}");
}

#[test]
fn diff_writes_its_tables_byte_identical_on_reruns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |out: &Path| {
        let o = gk(&[
            "diff",
            "fixtures/diff/split/old",
            "fixtures/diff/split/new",
            "--out",
            out.to_str().expect("path"),
            "--lang",
            "en",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let text = run(&a);
    run(&b);
    assert!(text.contains("grids  split 2 (unchanged 14)"), "{text}");
    for f in [
        "grid_crosswalk.csv",
        "community_crosswalk.csv",
        "street_crosswalk.csv",
        "component_changes.csv",
        "changes.geojson",
        "diff.json",
    ] {
        let (x, y) = (
            std::fs::read(a.join(f)).expect(f),
            std::fs::read(b.join(f)).expect(f),
        );
        assert_eq!(x, y, "{f} differs between two runs");
    }
    let csv = std::fs::read_to_string(a.join("grid_crosswalk.csv")).expect("csv");
    assert!(csv.starts_with(
        "\u{feff}old_code,new_code,area_old,area_new,area_int,share_old,share_new,relation\n"
    ));
    assert!(csv.contains("\n350582101001001,350582101001009,10000.000,5000.000,5000.000,0.500000,1.000000,split\n"), "{csv}");
    assert!(csv.contains("\n350582001001001,350582001001001,10000.000,10000.000,10000.000,1.000000,1.000000,unchanged\n"));
    let changes = std::fs::read_to_string(a.join("component_changes.csv")).expect("csv");
    assert_eq!(
        changes,
        "\u{feff}change,old_code,new_code,old_value,new_value,distance_m\ngrid-changed,3505820301000006,3505820301000006,350582101001002,350582101001010,\n"
    );
    let gj: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("changes.geojson")).expect("geojson"))
            .expect("json");
    let props: Vec<(String, String)> = gj["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            (
                f["properties"]["code"].as_str().unwrap_or("").to_string(),
                f["properties"]["relation"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        props,
        vec![
            ("350582101001001".to_string(), "split".to_string()),
            ("350582101001009".to_string(), "split".to_string()),
            ("350582101001010".to_string(), "split".to_string()),
            ("350582101001011".to_string(), "split".to_string()),
            ("3505820301000006".to_string(), String::new()),
        ]
    );
}

#[test]
fn diff_as_json_and_across_two_crs() {
    let o = gk(&[
        "diff",
        "fixtures/diff/code-reused/old",
        "fixtures/diff/code-reused/new",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let grids = &v["layers"][2];
    assert_eq!(grids["layer"], "grids");
    assert_eq!(grids["counts"]["added"], 1);
    assert_eq!(grids["counts"]["removed"], 1);
    assert_eq!(v["findings"][0]["rule"], "DIFF-CODE-REUSED");
    // Two versions in different CRSs are compared in the new one's: the old one is
    // transformed to it (here the new manifest says EPSG:4490 over files in EPSG:4549, so
    // both are), and the same district twice is unchanged.
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = root().join("fixtures/clean");
    for e in std::fs::read_dir(&clean).expect("clean").flatten() {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
    }
    let manifest = dir.path().join("dataset.toml");
    let m = std::fs::read_to_string(&manifest)
        .expect("manifest")
        .replace("EPSG:4549", "EPSG:4490");
    std::fs::write(&manifest, m).expect("write");
    let o = gk(&[
        "diff",
        "fixtures/clean",
        dir.path().to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["crs"], "EPSG:4490 (CGCS2000)");
    assert_eq!(v["measure"], "geodesic");
    for l in v["layers"].as_array().expect("layers") {
        let counts = l["counts"].as_object().expect("counts");
        assert_eq!(counts.keys().collect::<Vec<_>>(), vec!["unchanged"], "{l}");
    }
}

#[test]
fn diff_leaves_the_cases_unread_and_plan_reads_them() {
    // Last year's data names a cases file that cannot be read (a row with a field too many).
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = root().join("fixtures/clean");
    let old = dir.path().join("old");
    std::fs::create_dir(&old).expect("old");
    let mut manifest = String::from(
        "region = \"350582\"\nyear = 2025\nprofile = \"gbt30428-2013\"\ncrs = \"EPSG:4549\"\n",
    );
    for layer in ["streets", "communities", "grids", "components", "pois"] {
        let path = clean.join(format!("{layer}.geojson"));
        manifest.push_str(&format!(
            "\n[layers.{layer}]\npath = {:?}\n",
            path.display().to_string()
        ));
    }
    manifest.push_str("\n[layers.cases]\npath = \"cases.csv\"\n");
    std::fs::write(old.join("dataset.toml"), manifest).expect("manifest");
    std::fs::write(old.join("cases.csv"), "id,x,y\nC1,1,2\nC2,3,4,5\n").expect("cases");
    let old = old.display().to_string();
    let diff = gk(&["diff", &old, "fixtures/clean"]);
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    let out = dir.path().join("plan");
    let plan = gk(&[
        "plan",
        &old,
        "fixtures/clean",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(plan.status.code(), Some(2), "{}", stderr(&plan));
    assert!(stderr(&plan).contains("cases.csv"), "{}", stderr(&plan));
    assert!(!out.exists(), "a failed plan leaves no folder");
}
