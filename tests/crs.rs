//! Coordinate systems through the command line: the sanity hints on single files
//! (fixtures/crs-hints/), `--reproject`, `--crs`, `--towgs84`, the manifest's `towgs84`,
//! and bad input stopping with exit code 2 and a message that says what to do.

use std::path::Path;

use common::{gk, json, root, stderr};

mod common;

/// (rule, key, detail) of every finding.
fn findings(v: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["key"].as_str().unwrap_or("").to_string(),
                f["detail"].clone(),
            )
        })
        .collect()
}

/// A copy of a fixture folder whose manifest's `../clean/` paths point at the real one, with
/// `edit` applied to the manifest.
fn copy_fixture(name: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = root().join("fixtures").join(name);
    for e in std::fs::read_dir(&from).expect("fixture").flatten() {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
    }
    let m = dir.path().join("dataset.toml");
    let clean = root().join("fixtures/clean");
    let text = std::fs::read_to_string(&m)
        .expect("manifest")
        .replace("../clean", &clean.display().to_string().replace('\\', "/"));
    std::fs::write(&m, edit(text)).expect("write");
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn implausible_coordinates_are_hinted() {
    let cases = [
        (
            "lonlat-swapped.geojson",
            "CRS-AXES-SWAPPED",
            serde_json::json!({"kind": "crs-axes-swapped", "crs": "EPSG:4490", "count": 2, "geographic": true}),
        ),
        (
            "zone-prefix-missing.geojson",
            "CRS-ZONE-PREFIX",
            serde_json::json!({"kind": "crs-zone-prefix", "crs": "EPSG:4527", "count": 2, "expected": 39, "found": null, "fits": "EPSG:4548"}),
        ),
        (
            "zone-prefix-unexpected.geojson",
            "CRS-ZONE-PREFIX",
            serde_json::json!({"kind": "crs-zone-prefix", "crs": "EPSG:4549", "count": 1, "expected": null, "found": 40, "fits": "EPSG:4528"}),
        ),
        (
            "out-of-area.geojson",
            "CRS-OUT-OF-AREA",
            serde_json::json!({"kind": "crs-out-of-area", "crs": "EPSG:4549", "count": 1, "area": "118.0°E–122.0°E, 3.0°N–54.0°N"}),
        ),
    ];
    for (file, rule, detail) in cases {
        let p = format!("fixtures/crs-hints/{file}");
        let o = gk(&["validate", &p, "--format", "json", "--lang", "en"]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        let got = findings(&json(&o));
        assert_eq!(
            got,
            vec![(rule.to_string(), "p0".to_string(), detail)],
            "{file}"
        );
    }
}

#[test]
fn reproject_from_the_command_line_or_the_manifest() {
    // Without reprojection the lon/lat grids are a mismatch …
    let dir = copy_fixture("crs-reproject", |m| m.replace("reproject = true\n", ""));
    let o = gk(&["validate", path(dir.path()), "--format", "json"]);
    let rules: Vec<String> = findings(&json(&o)).into_iter().map(|f| f.0).collect();
    assert!(rules.contains(&"CRS-MISMATCH".to_string()), "{rules:?}");
    // … and with --reproject they are checked in EPSG:4549 and found right.
    let o = gk(&[
        "validate",
        path(dir.path()),
        "--reproject",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        findings(&v).into_iter().map(|f| f.0).collect::<Vec<_>>(),
        vec!["CRS-REPROJECTED"]
    );
    // every report states its CRS
    assert_eq!(
        v["crs"],
        "EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E)"
    );
    let grids = v["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .find(|l| l["layer"] == "grids")
        .expect("grids");
    assert_eq!(grids["measure"], "planar");
    assert!(grids["crs"].as_str().unwrap_or("").starts_with("EPSG:4549"));
}

#[test]
fn the_citys_parameters_from_the_command_line() {
    let dir = copy_fixture("crs-xian1980", |m| {
        m.lines()
            .filter(|l| !l.starts_with("towgs84"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    // without them: exit 2, saying what is missing and where to put it
    let o = gk(&["validate", path(dir.path()), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("dataset.toml: bad dataset manifest: layer grids (grids.geojson) cannot be reprojected from EPSG:2385 (Xian 1980 / 3-degree Gauss-Kruger CM 120E) to EPSG:4549")
            && e.contains("a datum change (Xian 1980 → CGCS2000) needs the city's seven parameters: add towgs84 = [dx, dy, dz, rx, ry, rz, ds]"),
        "{e}"
    );
    let o = gk(&["validate", path(dir.path())]);
    assert!(stderr(&o).contains("未提供本市的七参数"), "{}", stderr(&o));
    // with --towgs84: checked, nothing wrong
    let o = gk(&[
        "validate",
        path(dir.path()),
        "--towgs84",
        "24,-123,-94,0.02,-0.25,-0.13,1.1",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        findings(&json(&o))
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        vec!["CRS-REPROJECTED"]
    );
}

#[test]
fn bad_crs_input_exits_2_with_a_clear_message() {
    // an unknown CRS on the command line
    let o = gk(&[
        "validate",
        "fixtures/clean",
        "--reproject",
        "--crs",
        "EPSG:CGCS",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("“EPSG:CGCS” is not a CRS gridkeeper can transform"),
        "{}",
        stderr(&o)
    );
    // an unrecognised CRS in the manifest, reprojection asked for
    let dir = copy_fixture("crs-reproject", |m| {
        m.replace(
            "crs = \"EPSG:4549\"",
            "crs = \"LOCAL_CS[\\\"site grid\\\"]\"",
        )
    });
    let o = gk(&["validate", path(dir.path()), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not a CRS gridkeeper can transform"),
        "{}",
        stderr(&o)
    );
    // reprojection without any CRS to go to
    let o = gk(&[
        "validate",
        "fixtures/crs-hints/out-of-area.geojson",
        "--reproject",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no CRS to reproject to"),
        "{}",
        stderr(&o)
    );
    // parameters that are not seven numbers, in the manifest and on the command line
    let dir = copy_fixture("crs-xian1980", |m| m.replace("1.1]", "]"));
    let o = gk(&["validate", path(dir.path()), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "towgs84 = “[24, -123, -94, 0.02, -0.25, -0.13]” is invalid: expected seven numbers"
        ),
        "{}",
        stderr(&o)
    );
    let o = gk(&[
        "validate",
        "fixtures/clean",
        "--towgs84",
        "1,2,3",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--towgs84 = “1,2,3” is invalid: expected seven numbers"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_single_file_reprojected_to_crs() {
    let o = gk(&[
        "validate",
        "fixtures/crs-reproject/grids.geojson",
        "--reproject",
        "--crs",
        "EPSG:4549",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        v["crs"],
        "EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E)"
    );
    assert_eq!(v["layers"][0]["measure"], "planar");
    let rules: Vec<String> = findings(&v).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, vec!["CRS-REPROJECTED"]);
}

#[test]
fn diff_across_a_datum_change() {
    // the clean district against the same grids in Xi'an 1980: unchanged, in the new CRS
    let o = gk(&[
        "diff",
        "fixtures/crs-xian1980",
        "fixtures/clean",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        v["crs"],
        "EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E)"
    );
    for l in v["layers"].as_array().expect("layers") {
        let counts = l["counts"].as_object().expect("counts");
        assert_eq!(counts.keys().collect::<Vec<_>>(), vec!["unchanged"], "{l}");
    }
    // without the parameters: refused, naming what is missing
    let dir = copy_fixture("crs-xian1980", |m| {
        m.lines()
            .filter(|l| !l.starts_with("towgs84") && !l.starts_with("reproject"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let o = gk(&["diff", path(dir.path()), "fixtures/clean", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("needs the city's seven parameters"),
        "{}",
        stderr(&o)
    );
    // … which --towgs84 supplies
    let o = gk(&[
        "diff",
        path(dir.path()),
        "fixtures/clean",
        "--towgs84",
        "24,-123,-94,0.02,-0.25,-0.13,1.1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A layer whose CRS gridkeeper cannot read (a site grid's LOCAL_CS) is taken to be in its
/// manifest's CRS when two versions are compared, as before reprojection existed; validate
/// reports it (CRS-UNRECOGNISED).
#[test]
fn diff_takes_an_unrecognised_layer_crs_for_the_manifests() {
    let o = gk(&[
        "diff",
        "fixtures/crs-unrecognised",
        "fixtures/clean",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for l in json(&o)["layers"].as_array().expect("layers") {
        let counts = l["counts"].as_object().expect("counts");
        assert_eq!(counts.keys().collect::<Vec<_>>(), vec!["unchanged"], "{l}");
    }
}
