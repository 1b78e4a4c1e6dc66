//! With `--features gdal`: the demo district converted by `ogr2ogr` to a GeoPackage and to a
//! File Geodatabase validates and diffs as the Shapefile version does; GeoPackage outputs
//! read back; multi-layer sources need a layer name. Skipped, saying why, when `ogr2ogr` is
//! not installed.
#![cfg(feature = "gdal")]

use std::path::Path;
use std::process::Command;

use gridkeeper::demo::{self, DemoOptions};

use common::{gk, json, stderr};

mod common;

fn have_ogr2ogr() -> bool {
    let found = Command::new("ogr2ogr").arg("--version").output().is_ok();
    if !found {
        println!("skipped: ogr2ogr is not installed (apt-get install gdal-bin)");
    }
    found
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Converts every shapefile of `version` into one source `out` (driver `format`), a layer per
/// file, and writes a dataset folder `dir` whose manifest names `out:layer` for each; other
/// files (cases.csv) stay where they are.
fn convert(version: &Path, format: &str, out: &Path, dir: &Path) {
    let manifest = std::fs::read_to_string(version.join("dataset.toml")).expect("manifest");
    let mut lines = Vec::new();
    for line in manifest.lines() {
        let Some(file) = line
            .strip_prefix("path = \"")
            .and_then(|l| l.strip_suffix('"'))
        else {
            lines.push(line.to_string());
            continue;
        };
        match file.strip_suffix(".shp") {
            Some(layer) => {
                let o = Command::new("ogr2ogr")
                    .args(["-f", format, "-append", "-nln", layer, s(out)])
                    .arg(version.join(file))
                    .output()
                    .expect("ogr2ogr");
                assert!(o.status.success(), "ogr2ogr: {}", stderr(&o));
                lines.push(format!("path = \"{}:{layer}\"", out.display()));
            }
            None => lines.push(format!("path = \"{}\"", version.join(file).display())),
        }
    }
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(dir.join("dataset.toml"), lines.join("\n") + "\n").expect("write");
}

/// (rule, layer, key, field) of each finding.
fn findings(v: &serde_json::Value) -> Vec<(String, String, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let t = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (t("rule"), t("layer"), t("key"), t("field"))
        })
        .collect()
}

/// The diff with the areas and shares taken out of the crosswalks (compared separately,
/// within a tolerance: FileGDB stores coordinates on a 0.1 mm grid, so a share printed to six
/// decimals can round the other way).
fn without_areas(v: &serde_json::Value) -> (serde_json::Value, Vec<[f64; 5]>) {
    let mut v = v.clone();
    let mut areas = Vec::new();
    for key in ["old", "new"] {
        v[key] = serde_json::Value::Null;
    }
    if let Some(layers) = v["layers"].as_array_mut() {
        for l in layers {
            if let Some(rows) = l["crosswalk"].as_array_mut() {
                for r in rows {
                    let mut a = [0.0; 5];
                    for (i, k) in ["area_old", "area_new", "area_int", "share_old", "share_new"]
                        .iter()
                        .enumerate()
                    {
                        a[i] = r[k].as_str().and_then(|x| x.parse().ok()).unwrap_or(0.0);
                        r[k] = serde_json::Value::Null;
                    }
                    areas.push(a);
                }
            }
            if let Some(groups) = l["groups"].as_array_mut() {
                for g in groups {
                    g["area_change"] = serde_json::Value::Null;
                    g["hausdorff"] = serde_json::Value::Null;
                }
            }
        }
    }
    (v, areas)
}

/// A demo district of 300 grids and 3,000 components written into `dir/demo`.
fn small_demo(dir: &Path) -> demo::DemoPaths {
    let d = demo::generate(&DemoOptions {
        grids: 300,
        components: 3_000,
        ..DemoOptions::default()
    });
    demo::write(&d, &dir.join("demo")).expect("write")
}

#[test]
fn geopackage_and_file_geodatabase_validate_and_diff_as_shapefiles() {
    if !have_ogr2ogr() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = small_demo(tmp.path());
    let shp_validate = gk(&["validate", s(&paths.new), "--format", "json"]);
    let shp_diff = gk(&["diff", s(&paths.old), s(&paths.new), "--format", "json"]);
    assert_eq!(shp_diff.status.code(), Some(0), "{}", stderr(&shp_diff));
    let want_findings = findings(&json(&shp_validate));
    assert!(!want_findings.is_empty(), "the demo has seeded defects");
    let (want_diff, want_areas) = without_areas(&json(&shp_diff));
    for (format, ext) in [("GPKG", "gpkg"), ("OpenFileGDB", "gdb")] {
        let root = tmp.path().join(ext);
        let (old_src, new_src) = (
            root.join(format!("d2025.{ext}")),
            root.join(format!("d2026.{ext}")),
        );
        let (old_dir, new_dir) = (root.join("2025"), root.join("2026"));
        std::fs::create_dir_all(&root).expect("dir");
        convert(&paths.old, format, &old_src, &old_dir);
        convert(&paths.new, format, &new_src, &new_dir);
        let v = gk(&["validate", s(&new_dir), "--format", "json"]);
        assert_eq!(
            v.status.code(),
            shp_validate.status.code(),
            "{format}: {}",
            stderr(&v)
        );
        assert_eq!(findings(&json(&v)), want_findings, "{format}: validate");
        let o = gk(&["diff", s(&old_dir), s(&new_dir), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        let (got, areas) = without_areas(&json(&o));
        assert_eq!(got, want_diff, "{format}: diff");
        // FileGDB stores coordinates on a grid (0.1 mm): areas agree to 1e-6 relative, shares
        // (printed to six decimals) to one unit of the last decimal
        assert_eq!(areas.len(), want_areas.len());
        for (a, b) in areas.iter().zip(&want_areas) {
            for i in 0..3 {
                assert!(
                    (a[i] - b[i]).abs() <= 1e-6 * b[i].abs().max(1.0),
                    "{format}: area {} vs {}",
                    a[i],
                    b[i]
                );
            }
            for i in 3..5 {
                assert!(
                    (a[i] - b[i]).abs() <= 1.5e-6,
                    "{format}: share {} vs {}",
                    a[i],
                    b[i]
                );
            }
        }
    }
}

#[test]
fn geopackage_outputs_read_back() {
    if !have_ogr2ogr() {
        return;
    }
    let root = common::root();
    let tmp = tempfile::tempdir().expect("tempdir");
    // errors of the cover-overlap fixture: an overlap polygon
    let errors = tmp.path().join("errors.gpkg");
    let o = gk(&[
        "validate",
        s(&root.join("fixtures/cover-overlap")),
        "--errors-gpkg",
        s(&errors),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let layer = format!("{}:error_polygons", errors.display());
    let back = gridkeeper::io::read_layer(layer.as_ref(), &Default::default()).expect("read back");
    assert_eq!(back.len(), 1);
    let rule = back.field_index("rule").expect("rule field");
    assert_eq!(back.value(0, rule), Some("COVER-OVERLAP"));
    assert_eq!(back.crs.as_ref().and_then(|c| c.epsg), Some(4549));
    // the change set of the split fixture
    let out = tmp.path().join("changes");
    let diff = root.join("fixtures/diff/split");
    let o = gk(&[
        "diff",
        s(&diff.join("old")),
        s(&diff.join("new")),
        "--out",
        s(&out),
        "--gpkg",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // the same inputs give the same bytes: GDAL's change time is fixed
    let again = tmp.path().join("again");
    let o = gk(&[
        "diff",
        s(&diff.join("old")),
        s(&diff.join("new")),
        "--out",
        s(&again),
        "--gpkg",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read(out.join("changes.gpkg")).expect("first")
            == std::fs::read(again.join("changes.gpkg")).expect("second"),
        "changes.gpkg differs between two runs"
    );
    // no temporary file left beside the outputs
    let hidden: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    let grids = format!("{}:grids", out.join("changes.gpkg").display());
    let back = gridkeeper::io::read_layer(grids.as_ref(), &Default::default()).expect("grids");
    let relation = back.field_index("relation").expect("relation");
    assert!(back.len() >= 2);
    assert!((0..back.len()).all(|i| back.value(i, relation) == Some("split")));
    // a source of several layers needs a layer name
    let o = gk(&["validate", s(&out.join("changes.gpkg")), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the source has several layers (")
            && stderr(&o).contains("): name one as file:layer"),
        "{}",
        stderr(&o)
    );
    let o = gk(&[
        "validate",
        &format!("{}:nope", out.join("changes.gpkg").display()),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no layer “nope”"),
        "{}",
        stderr(&o)
    );
}

/// A MapInfo TAB in GBK (code page 936): GDAL reads its charset and hands over UTF-8.
#[test]
fn mapinfo_in_gbk_reads_chinese() {
    if !have_ogr2ogr() {
        return;
    }
    let root = common::root();
    let tmp = tempfile::tempdir().expect("tempdir");
    let tab = tmp.path().join("streets.tab");
    let o = Command::new("ogr2ogr")
        .args(["-f", "MapInfo File", "-lco", "ENCODING=CP936"])
        .arg(&tab)
        .arg(root.join("fixtures/clean/streets.geojson"))
        .output()
        .expect("ogr2ogr");
    assert!(o.status.success(), "{}", stderr(&o));
    let layer = gridkeeper::io::read_layer(&tab, &Default::default()).expect("read");
    let name = (0..layer.fields.len())
        .find(|&i| (0..layer.len()).any(|r| layer.value(r, i) == Some("青阳街道")));
    assert!(name.is_some(), "no field holds 青阳街道");
    // The files GDAL reads beside the .tab are inputs too: no output may replace them.
    let dat = tmp.path().join("streets.dat");
    let before = std::fs::read(&dat).expect("dat");
    let o = gk(&["validate", s(&tab), "-o", s(&dat), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is one of this run's inputs"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&dat).expect("dat"), before);
}

/// A CRS gridkeeper's own recognition does not cover (an ESRI Lambert Conformal Conic)
/// transforms through GDAL's reading of its WKT. Expected from PROJ 9.5.1 / pyproj 3.7.2:
/// (116°E, 40°N) → (905907.8229811414, 4859921.691713117).
#[test]
fn any_wkt_gdal_reads_is_transformable() {
    use gridkeeper::io::crs::{Crs, CrsSource};
    use gridkeeper::io::reproject::Transform;
    let lcc = r#"PROJCS["Asia_Lambert_Conformal_Conic",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",62.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    let to = Crs::parse(lcc, CrsSource::Prj);
    assert_eq!(to.epsg, None);
    let t = Transform::new(&Crs::parse("EPSG:4326", CrsSource::Manifest), &to).expect("t");
    let p = t.coord(geo::coord! {x: 116.0, y: 40.0}).expect("p");
    assert!(
        (p.x - 905907.8229811414).abs() < 1e-3 && (p.y - 4859921.691713117).abs() < 1e-3,
        "{p:?}"
    );
}

/// `changes.gpkg` has a layer per duty layer with changes, holding the features
/// `changes.geojson` has for it, with their relations.
#[test]
fn changes_geopackage_holds_the_duty_layers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = small_demo(tmp.path());
    let out = tmp.path().join("out");
    let o = gk(&[
        "diff",
        s(&paths.old),
        s(&paths.new),
        "--out",
        s(&out),
        "--gpkg",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let geojson: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("changes.geojson")).expect("geojson"))
            .expect("json");
    for layer in ["enforcement_grids", "sanitation_grids"] {
        let mut want: Vec<String> = geojson["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter(|f| f["properties"]["layer"] == layer)
            .map(|f| {
                f["properties"]["relation"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        want.sort();
        assert!(want.iter().any(|r| r == "split"), "{layer}: {want:?}");
        let source = format!("{}:{layer}", out.join("changes.gpkg").display());
        let back = gridkeeper::io::read_layer(source.as_ref(), &Default::default())
            .unwrap_or_else(|e| panic!("{layer}: {e}"));
        let relation = back.field_index("relation").expect("relation");
        let mut got: Vec<String> = (0..back.len())
            .map(|i| back.value(i, relation).unwrap_or("").to_string())
            .collect();
        got.sort();
        assert_eq!(got, want, "{layer}");
    }
}

/// A GeoPackage whose `gpkg_ogr_contents` claims 2^62 features: the claim is a hint, never
/// an allocation (it was a capacity-overflow panic).
#[test]
fn a_geopackage_claiming_2_to_the_62_features_reads_its_real_ones() {
    if !have_ogr2ogr() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let gpkg = tmp.path().join("grids.gpkg");
    let o = Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-nln", "grids", s(&gpkg)])
        .arg(common::fixture("clean/grids.geojson"))
        .output()
        .expect("ogr2ogr");
    assert!(o.status.success(), "ogr2ogr: {}", stderr(&o));
    let o = Command::new("ogrinfo")
        .arg(s(&gpkg))
        .args([
            "-sql",
            "UPDATE gpkg_ogr_contents SET feature_count = 4611686018427387904",
        ])
        .output()
        .expect("ogrinfo");
    assert!(o.status.success(), "ogrinfo: {}", stderr(&o));
    let layer = format!("{}:grids", gpkg.display());
    let read = gridkeeper::io::read_layer(layer.as_ref(), &Default::default()).expect("read");
    assert_eq!(read.len(), 16);
}
