//! Writing a demo district: GBK shapefiles and GeoJSON for both versions, each folder with
//! its `dataset.toml`, last year's historical cases (`cases.csv`) in both of last year's
//! folders, and `truth.json`. Every file goes through the atomic writers and
//! depends only on the demo, so the same options give byte-identical files.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use encoding_rs::GBK;

use super::{fields, Demo, DemoVersion};
use crate::error::{Error, Result};
use crate::io::atomic;
use crate::io::write::{write_geojson, write_shapefile, ShapefileOptions};

/// Where a demo was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPaths {
    /// The output folder.
    pub root: PathBuf,
    /// Last year's shapefile dataset (`out/2025`).
    pub old: PathBuf,
    /// This year's shapefile dataset (`out/2026`).
    pub new: PathBuf,
    /// Last year's GeoJSON dataset (`out/geojson/2025`).
    pub geojson_old: PathBuf,
    /// This year's GeoJSON dataset (`out/geojson/2026`).
    pub geojson_new: PathBuf,
    /// The truth (`out/truth.json`).
    pub truth: PathBuf,
    /// Last year's historical cases, 历史案件 (`out/2025/cases.csv`; a copy is in
    /// `out/geojson/2025/`).
    pub cases: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Shapefile,
    GeoJson,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Shapefile => "shp",
            Format::GeoJson => "geojson",
        }
    }
}

/// The `dataset.toml` of one version folder (with a cases entry when it has cases).
fn manifest(demo: &Demo, v: &DemoVersion, format: Format, cases: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# gridkeeper demo district (演示数据), seed {}: generated, see truth.json",
        demo.options.seed
    );
    let _ = writeln!(s, "region = \"{}\"", demo.region);
    let _ = writeln!(s, "year = {}", v.year);
    let _ = writeln!(s, "effective = \"{}\"", v.effective.format("%Y-%m-%d"));
    let _ = writeln!(s, "profile = \"{}\"", demo.profile);
    let _ = writeln!(s, "crs = \"{}\"", demo.crs);
    for (kind, _) in v.layers() {
        let map: Vec<String> = fields(kind)
            .iter()
            .map(|(canonical, local)| format!("{canonical} = \"{local}\""))
            .collect();
        let _ = writeln!(s);
        let _ = writeln!(s, "[layers.{}]", kind.name());
        let _ = writeln!(s, "path = \"{}.{}\"", kind.name(), format.ext());
        let _ = writeln!(s, "fields = {{ {} }}", map.join(", "));
    }
    if cases {
        // The CSV's columns are the canonical names: no mapping.
        let _ = writeln!(s);
        let _ = writeln!(s, "[layers.cases]");
        let _ = writeln!(s, "path = \"{CASES_FILE}\"");
    }
    s
}

/// The file name of the cases.
const CASES_FILE: &str = "cases.csv";

/// Writes one version into `dir` in `format`; its manifest names `cases.csv` when `cases`.
fn write_version(
    demo: &Demo,
    v: &DemoVersion,
    dir: &Path,
    format: Format,
    cases: bool,
) -> Result<()> {
    atomic::create_dir(dir)?;
    for (kind, layer) in v.layers() {
        let path = dir.join(format!("{}.{}", kind.name(), format.ext()));
        match format {
            Format::Shapefile => {
                let options = ShapefileOptions {
                    encoding: GBK,
                    prj: Some(super::PRJ),
                    stamp: (v.year, 7, 1),
                };
                write_shapefile(layer, &path, &options)?;
            }
            Format::GeoJson => write_geojson(layer, &path, Some(&demo.crs))?,
        }
    }
    atomic::write_bytes(
        &dir.join(crate::dataset::MANIFEST),
        manifest(demo, v, format, cases).as_bytes(),
    )
}

/// Writes `demo` under `out`: `2025/` and `2026/` (GBK shapefiles), `geojson/2025/` and
/// `geojson/2026/`, each with its `dataset.toml`, the cases as `2025/cases.csv` (and a copy
/// in `geojson/2025/`), and `truth.json`.
///
/// ```no_run
/// use gridkeeper::demo::{generate, write, DemoOptions};
/// let demo = generate(&DemoOptions::default());
/// let paths = write(&demo, "gridkeeper-demo".as_ref())?;
/// println!("{}", paths.new.display());
/// # Ok::<(), gridkeeper::Error>(())
/// ```
pub fn write(demo: &Demo, out: &Path) -> Result<DemoPaths> {
    atomic::create_dir(out)?;
    let paths = DemoPaths {
        root: out.to_path_buf(),
        old: out.join(demo.old.year.to_string()),
        new: out.join(demo.new.year.to_string()),
        geojson_old: out.join("geojson").join(demo.old.year.to_string()),
        geojson_new: out.join("geojson").join(demo.new.year.to_string()),
        truth: out.join("truth.json"),
        cases: out.join(demo.old.year.to_string()).join(CASES_FILE),
    };
    let jobs = [
        (&demo.old, &paths.old, Format::Shapefile, true),
        (&demo.new, &paths.new, Format::Shapefile, false),
        (&demo.old, &paths.geojson_old, Format::GeoJson, true),
        (&demo.new, &paths.geojson_new, Format::GeoJson, false),
    ];
    // The folders must exist before the cases go into one of them.
    atomic::create_dir(&paths.old)?;
    // The four folders are independent: write them side by side.
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|&(v, dir, format, cases)| {
                (
                    dir,
                    scope.spawn(move || write_version(demo, v, dir, format, cases)),
                )
            })
            .collect();
        // The cases are written once, beside the four folders, and copied afterwards.
        let cases = (
            &paths.cases,
            scope.spawn(|| super::cases::write_csv(&demo.cases, &paths.cases)),
        );
        handles
            .into_iter()
            .chain(std::iter::once(cases))
            .map(|(dir, h)| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::io(
                        dir,
                        std::io::Error::other("writer thread panicked"),
                    ))
                })
            })
            .collect()
    });
    for r in results {
        r?;
    }
    let copy = paths.geojson_old.join(CASES_FILE);
    atomic::write_with(&copy, |w| {
        std::io::copy(&mut std::fs::File::open(&paths.cases)?, w).map(|_| ())
    })?;
    atomic::write_with(&paths.truth, |w| {
        serde_json::to_writer_pretty(&mut *w, &demo.truth)?;
        w.write_all(b"\n")
    })?;
    Ok(paths)
}
