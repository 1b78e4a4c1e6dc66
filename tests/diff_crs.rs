//! `diff` across coordinate systems: the demo district with last year's version in CGCS2000
//! longitude/latitude (EPSG:4490) and this year's in EPSG:4549 gives the same change set —
//! codes, relations, component changes; crosswalk areas within 1e-6 relative — as both in
//! EPSG:4549.

use std::path::Path;
use std::time::Instant;

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::demo::{self, DemoOptions};
use gridkeeper::diff::{self, ChangeSet};
use gridkeeper::io::crs::{Crs, CrsSource};
use gridkeeper::io::reproject::Transform;
use gridkeeper::io::write::write_geojson;

fn run(old: &Path, new: &Path) -> ChangeSet {
    let (o, _) = dataset::load(old, &LoadOptions::default()).expect("old");
    let (n, p) = dataset::load(new, &LoadOptions::default()).expect("new");
    diff::run(&o, &n, &p, &p.thresholds).expect("diff")
}

/// Every layer's groups as (relation, old codes, new codes), and its crosswalk rows as
/// (old code, new code, relation) with their areas (old, new, intersection).
type Groups = Vec<(String, Vec<String>, Vec<String>)>;
type Rows = Vec<((String, String, String), [f64; 3])>;

fn shape(cs: &ChangeSet) -> (Vec<(String, Groups, Rows)>, Vec<String>) {
    let layers = cs
        .layers
        .iter()
        .map(|d| {
            let code = |v: &[usize], c: &[String]| v.iter().map(|&i| c[i].clone()).collect();
            let groups = d
                .lineage
                .groups
                .iter()
                .map(|g| {
                    (
                        g.relation.id().to_string(),
                        code(&g.old, &d.old_codes),
                        code(&g.new, &d.new_codes),
                    )
                })
                .collect();
            let rows = gridkeeper::report::csv::crosswalk(d)
                .into_iter()
                .skip(1)
                .map(|r| {
                    let n = |i: usize| r[i].parse::<f64>().unwrap_or(0.0);
                    (
                        (r[0].clone(), r[1].clone(), r[7].clone()),
                        [n(2), n(3), n(4)],
                    )
                })
                .collect();
            (d.layer.name().to_string(), groups, rows)
        })
        .collect();
    let components = cs
        .components
        .iter()
        .map(|c| format!("{} {:?} {:?}", c.change.id(), c.old_code, c.new_code))
        .collect();
    (layers, components)
}

/// Writes `version` into `dir` as GeoJSON in `to`, with `manifest` (the 4549 one) pointing
/// at it; its cases, when given, as `cases.geojson` in `to` too (their `x`/`y` columns keep
/// the old numbers: the point is what counts), else left out.
fn write_in(
    version: &demo::DemoVersion,
    cases: Option<&gridkeeper::io::Layer>,
    to: &Crs,
    manifest: &Path,
    dir: &Path,
) {
    std::fs::create_dir_all(dir).expect("dir");
    let from = Crs::parse(demo::CRS, CrsSource::Manifest);
    let t = Transform::new(&from, to).expect("transform");
    for (kind, layer) in version.layers() {
        let moved = t.layer(layer, to).expect("reproject");
        let path = dir.join(format!("{}.geojson", kind.name()));
        write_geojson(&moved, &path, Some(&to.code_or_text())).expect("write");
    }
    let text = std::fs::read_to_string(manifest).expect("manifest");
    let text = text.replace(
        &format!("crs = \"{}\"", demo::CRS),
        &format!("crs = \"{}\"", to.code_or_text()),
    );
    let text = match (text.find("\n[layers.cases]"), cases) {
        (Some(_), Some(c)) => {
            let moved = t.layer(c, to).expect("reproject cases");
            write_geojson(&moved, &dir.join("cases.geojson"), Some(&to.code_or_text()))
                .expect("write cases");
            text.replace("path = \"cases.csv\"", "path = \"cases.geojson\"")
        }
        (Some(i), None) => {
            let rest = &text[i + 1..];
            let end = rest.find("\n[").map(|j| i + 1 + j).unwrap_or(text.len());
            format!("{}{}", &text[..i], &text[end..])
        }
        (None, _) => text,
    };
    std::fs::write(dir.join("dataset.toml"), text).expect("write manifest");
}

#[test]
fn the_demo_in_two_crss_diffs_as_in_one() {
    let d = demo::generate(&DemoOptions {
        seed: 2026,
        grids: 900,
        components: 8_000,
        defects: false,
        ..DemoOptions::default()
    });
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = demo::write(&d, &tmp.path().join("demo")).expect("write");
    let lonlat = Crs::parse("EPSG:4490", CrsSource::Manifest);
    let old4490 = tmp.path().join("old4490");
    write_in(
        &d.old,
        None,
        &lonlat,
        &paths.geojson_old.join("dataset.toml"),
        &old4490,
    );

    let same = run(&paths.geojson_old, &paths.geojson_new);
    let mixed = run(&old4490, &paths.geojson_new);
    assert_eq!(mixed.crs, same.crs);
    assert!(mixed
        .crs
        .as_deref()
        .is_some_and(|c| c.starts_with("EPSG:4549")));
    let (want_layers, want_components) = shape(&same);
    let (got_layers, got_components) = shape(&mixed);
    assert_eq!(got_components, want_components);
    assert!(!want_components.is_empty());
    for ((name, groups, rows), (_, want_groups, want_rows)) in got_layers.iter().zip(&want_layers) {
        assert_eq!(groups, want_groups, "{name}: groups");
        assert_eq!(rows.len(), want_rows.len(), "{name}: rows");
        for ((key, a), (want_key, b)) in rows.iter().zip(want_rows) {
            assert_eq!(key, want_key, "{name}");
            for i in 0..3 {
                assert!(
                    (a[i] - b[i]).abs() <= 1e-6 * b[i].abs().max(1.0),
                    "{name} {key:?}: {} vs {}",
                    a[i],
                    b[i]
                );
            }
        }
    }
    assert!(mixed.findings.is_empty(), "{:?}", mixed.findings);

    // The other way round the comparison runs in EPSG:4490 (geodesic areas): the same
    // groups and component changes.
    let new4490 = tmp.path().join("new4490");
    write_in(
        &d.new,
        None,
        &lonlat,
        &paths.geojson_new.join("dataset.toml"),
        &new4490,
    );
    let back = run(&paths.geojson_old, &new4490);
    assert!(back
        .crs
        .as_deref()
        .is_some_and(|c| c.starts_with("EPSG:4490")));
    assert_eq!(back.measure.name(), "geodesic");
    let (layers, components) = shape(&back);
    assert_eq!(components, want_components);
    for ((name, groups, _), (_, want, _)) in layers.iter().zip(&want_layers) {
        let extra: Vec<_> = groups.iter().filter(|g| !want.contains(g)).collect();
        let missing: Vec<_> = want.iter().filter(|g| !groups.contains(g)).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "{name}: groups in EPSG:4490: {extra:?} instead of {missing:?}"
        );
    }
}

/// `plan` with last year's version — its historical cases too — in EPSG:4490 maps every
/// case as with both versions in EPSG:4549: the same case crosswalk, byte for byte.
#[test]
fn plan_across_crss_maps_the_cases_the_same() {
    let d = demo::generate(&DemoOptions {
        seed: 7,
        grids: 400,
        components: 3_000,
        defects: false,
        ..DemoOptions::default()
    });
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = demo::write(&d, &tmp.path().join("demo")).expect("write");
    let lonlat = Crs::parse("EPSG:4490", CrsSource::Manifest);
    let old4490 = tmp.path().join("old4490");
    write_in(
        &d.old,
        Some(&d.cases),
        &lonlat,
        &paths.geojson_old.join("dataset.toml"),
        &old4490,
    );
    let plan = |old: &Path, out: &Path| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gridkeeper"))
            .args([
                "plan",
                s(old),
                s(&paths.geojson_new),
                "--out",
                s(out),
                "--quiet",
            ])
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read(out.join("case_crosswalk.csv")).expect("case_crosswalk.csv")
    };
    let same = plan(&paths.geojson_old, &tmp.path().join("same"));
    let mixed = plan(&old4490, &tmp.path().join("mixed"));
    assert!(same.len() > 100, "the demo's cases reach changed grids");
    assert_eq!(
        String::from_utf8_lossy(&mixed),
        String::from_utf8_lossy(&same)
    );
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// How long reprojecting the demo takes (run with `cargo test --release --test diff_crs --
/// --ignored --nocapture`); prints, asserts nothing about speed.
#[test]
#[ignore]
fn measure_reprojection_of_a_large_demo() {
    let t0 = Instant::now();
    let d = demo::generate(&DemoOptions {
        grids: 50_000,
        components: 1_000_000,
        defects: false,
        ..DemoOptions::default()
    });
    println!("generated in {:.1} s", t0.elapsed().as_secs_f64());
    let from = Crs::parse(demo::CRS, CrsSource::Manifest);
    let to = Crs::parse("EPSG:4490", CrsSource::Manifest);
    let t = Transform::new(&from, &to).expect("transform");
    for (kind, layer) in d.new.layers() {
        let vertices: usize = layer
            .geometries
            .iter()
            .flatten()
            .map(geo::CoordsIter::coords_count)
            .sum();
        let t1 = Instant::now();
        let moved = t.layer(layer, &to).expect("reproject");
        println!(
            "{kind}: {} features, {vertices} vertices reprojected in {:.3} s",
            moved.len(),
            t1.elapsed().as_secs_f64()
        );
    }
}
