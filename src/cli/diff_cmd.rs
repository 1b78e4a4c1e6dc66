//! `gridkeeper diff`.

use std::path::Path;

use gridkeeper::dataset::{self, CrsOptions, LoadOptions};
use gridkeeper::report::{csv, geojson, json, text};
use gridkeeper::reprojection;
use gridkeeper::timing::stage;
use gridkeeper::{diff, io, Error, LayerKind, Result};

use super::args::{DiffArgs, ReportFormat};
use super::validate_cmd::{load_options, thresholds_with, towgs84_arg};
use super::Context;

pub fn run(ctx: &Context, a: DiffArgs) -> Result<i32> {
    let clock = std::time::Instant::now();
    let options = LoadOptions {
        // The historical cases are plan's: diff compares the layers without them.
        skip: vec![LayerKind::Cases],
        ..load_options(&a.profile)?
    };
    let crs = CrsOptions {
        towgs84: towgs84_arg(a.towgs84.as_deref())?,
        ..CrsOptions::default()
    };
    let (old, new) = stage("read", || {
        rayon::join(
            || dataset::load_with(&a.old, &options, &crs),
            || dataset::load_with(&a.new, &options, &crs),
        )
    });
    let ((old, _), (new, profile)) = (old?, new?);
    let t = thresholds_with(&profile.thresholds, &a.profile.set)?;
    // Both versions in the new one's CRS, for the comparison and for changes.geojson alike.
    let diffed = stage("diff", || -> Result<_> {
        let (old, new) = reprojection::align(&old, &new)?;
        let cs = diff::run(old.as_ref(), new.as_ref(), &profile, &t)?;
        Ok((old, new, cs))
    })?;
    let (old, new, cs) = (diffed.0.as_ref(), diffed.1.as_ref(), diffed.2);
    let write = std::time::Instant::now();
    let (old_name, new_name) = (a.old.display().to_string(), a.new.display().to_string());
    let mut report = json::diff(&cs, &old_name, &new_name, &profile.name, ctx.lang);
    let mut written = Vec::new();
    if let Some(out) = &a.out {
        io::atomic::create_dir(out)?;
        // The crosswalks, component_changes.csv, changes.geojson (and .gpkg), diff.json.
        let files = cs.layers.len() + 3 + usize::from(a.gpkg);
        let mut bar = super::Writing::new(files);
        for (kind, file) in [
            (LayerKind::Grids, "grid_crosswalk.csv".to_string()),
            (
                LayerKind::Communities,
                "community_crosswalk.csv".to_string(),
            ),
            (LayerKind::Streets, "street_crosswalk.csv".to_string()),
        ]
        .into_iter()
        .chain(
            cs.duty_layers()
                .map(|d| (d.layer, duty_crosswalk_file(d.layer))),
        ) {
            if let Some(d) = cs.layer(kind) {
                bar.next(&out.join(&file));
                csv::write_crosswalk(&out.join(&file), d)?;
                written.push(out.join(&file));
            }
        }
        let p = out.join("component_changes.csv");
        bar.next(&p);
        csv::write(&p, &csv::component_changes(&cs))?;
        written.push(p);
        let p = out.join("changes.geojson");
        bar.next(&p);
        geojson::changes(&p, &cs, old, new, new.manifest.crs.as_deref())?;
        written.push(p);
        if a.gpkg {
            let p = out.join("changes.gpkg");
            bar.next(&p);
            changes_gpkg(&p, &cs, old, new)?;
            written.push(p);
        }
        let p = out.join("diff.json");
        written.push(p.clone());
        // The names of this run's files in the folder, for the next run to know which of
        // its own it leaves behind (names only: the same run into another folder gives
        // the same bytes).
        let files: Vec<&str> = written
            .iter()
            .filter_map(|p| p.file_name()?.to_str())
            .collect();
        report["outputs"] = serde_json::json!(files);
        super::stale::remove_stale_outputs(out, "diff.json", &files)?;
        bar.next(&p);
        write_json(&p, &report)?;
    }
    match a.format {
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            super::print(&s);
        }
        ReportFormat::Text => {
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            super::print(&text::diff(&cs, old, new, &names, ctx.lang));
        }
    }
    gridkeeper::timing::record("write", write.elapsed());
    super::stage_summary(ctx, clock.elapsed());
    Ok(0)
}

/// The crosswalk file of a duty layer: `enforcement_grids` → `enforcement_grid_crosswalk.csv`.
pub fn duty_crosswalk_file(kind: LayerKind) -> String {
    let name = kind.name();
    format!("{}_crosswalk.csv", name.strip_suffix('s').unwrap_or(name))
}

/// Writes the changed features as a GeoPackage (`--gpkg`, gdal builds).
fn changes_gpkg(
    path: &Path,
    cs: &diff::ChangeSet,
    old: &gridkeeper::Dataset,
    new: &gridkeeper::Dataset,
) -> Result<()> {
    #[cfg(feature = "gdal")]
    {
        gridkeeper::report::gpkg::changes(path, cs, old, new, new.manifest.crs.as_deref())
            .map(|_| ())
    }
    #[cfg(not(feature = "gdal"))]
    {
        let _ = (cs, old, new);
        Err(Error::UnsupportedFormat {
            path: path.to_path_buf(),
            needs_gdal: true,
        })
    }
}

fn write_json(path: &Path, v: &serde_json::Value) -> Result<()> {
    let mut s =
        serde_json::to_string_pretty(v).map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    s.push('\n');
    io::atomic::write_bytes(path, s.as_bytes())
}
