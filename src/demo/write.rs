//! Writing a demo district: GBK shapefiles and GeoJSON for both versions, each folder with
//! its `dataset.toml`, and `truth.json`. Every file goes through the atomic writers and
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

/// The `dataset.toml` of one version folder.
fn manifest(demo: &Demo, v: &DemoVersion, format: Format) -> String {
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
    s
}

/// Writes one version into `dir` in `format`.
fn write_version(demo: &Demo, v: &DemoVersion, dir: &Path, format: Format) -> Result<()> {
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
        manifest(demo, v, format).as_bytes(),
    )
}

/// Writes `demo` under `out`: `2025/` and `2026/` (GBK shapefiles), `geojson/2025/` and
/// `geojson/2026/`, each with its `dataset.toml`, and `truth.json`.
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
    };
    let jobs = [
        (&demo.old, &paths.old, Format::Shapefile),
        (&demo.new, &paths.new, Format::Shapefile),
        (&demo.old, &paths.geojson_old, Format::GeoJson),
        (&demo.new, &paths.geojson_new, Format::GeoJson),
    ];
    // The four folders are independent: write them side by side.
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|&(v, dir, format)| {
                (
                    dir,
                    scope.spawn(move || write_version(demo, v, dir, format)),
                )
            })
            .collect();
        handles
            .into_iter()
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
    atomic::write_with(&paths.truth, |w| {
        serde_json::to_writer_pretty(&mut *w, &demo.truth)?;
        w.write_all(b"\n")
    })?;
    Ok(paths)
}
