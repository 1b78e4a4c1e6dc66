//! `gridkeeper validate`.

use std::path::Path;

use gridkeeper::dataset::{self, CrsOptions, LoadOptions};
use gridkeeper::io::crs::{Crs, CrsSource};
use gridkeeper::io::reproject::{Towgs84, Transform};
use gridkeeper::report::{geojson, json, text, Subject};
use gridkeeper::schema::Thresholds;
use gridkeeper::timing::stage;
use gridkeeper::validate::{self, AdminCodes};
use gridkeeper::{io, Error, Expected, Finding, Lang, Problem, Result, Severity, TransformFault};

use super::args::{CrsArgs, ProfileArgs, ReportFormat, ValidateArgs};
use super::Context;

/// Resolves `--encoding`.
pub fn encoding_arg(label: Option<&str>) -> Result<Option<&'static encoding_rs::Encoding>> {
    match label {
        None => Ok(None),
        Some(l) => io::encoding::resolve_label(l)
            .map(Some)
            .ok_or_else(|| Error::UnknownEncoding {
                path: "--encoding".into(),
                label: l.to_string(),
            }),
    }
}

/// The load options of `--encoding` and `--profile` / `--schema`.
pub fn load_options(a: &ProfileArgs) -> Result<LoadOptions> {
    Ok(LoadOptions {
        encoding: encoding_arg(a.encoding.as_deref())?,
        profile: a
            .profile
            .clone()
            .or_else(|| a.schema.as_ref().map(|p| p.display().to_string())),
        skip: Vec::new(),
    })
}

/// Resolves `--towgs84`.
pub fn towgs84_arg(text: Option<&str>) -> Result<Option<Towgs84>> {
    match text {
        None => Ok(None),
        Some(t) => Towgs84::parse(t).map(Some).ok_or_else(|| Error::Usage {
            problem: Problem::BadValue {
                key: "--towgs84".into(),
                value: t.to_string(),
                expected: Expected::Towgs84,
            },
        }),
    }
}

/// The CRS options of the command line.
pub fn crs_options(a: &CrsArgs) -> Result<CrsOptions> {
    Ok(CrsOptions {
        crs: a.crs.clone(),
        reproject: a.reproject,
        towgs84: towgs84_arg(a.towgs84.as_deref())?,
    })
}

/// A single file with `--crs` (its CRS when it states none) and `--reproject` (to `--crs`).
fn settle_file(layer: io::Layer, o: &CrsOptions) -> Result<io::Layer> {
    let mut layer = layer;
    let target = o
        .crs
        .as_deref()
        .map(|c| Crs::parse(c, CrsSource::Manifest).with_towgs84(o.towgs84));
    if layer.crs.is_none() {
        layer.crs = target.clone();
    }
    let from = layer.crs.clone().map(|c| c.with_towgs84(o.towgs84));
    if !o.reproject {
        return Ok(layer);
    }
    let usage = |from: String, to: String, fault| Error::Usage {
        problem: Problem::Reproject {
            layer: Some(layer.source.display().to_string()),
            from,
            to,
            fault: Box::new(fault),
        },
    };
    let (Some(from), Some(to)) = (from, target) else {
        return Err(usage("-".into(), "-".into(), TransformFault::NoTarget));
    };
    if from.same_as(&to) == Some(true) {
        return Ok(layer);
    }
    let t = Transform::new(&from, &to).map_err(|f| usage(from.label(), to.label(), f))?;
    t.layer(&layer, &to)
        .map_err(|f| usage(from.label(), to.label(), f))
}

/// Writes the findings with a place as a GeoPackage (`--errors-gpkg`, gdal builds).
fn errors_gpkg(path: &Path, findings: &[Finding], crs: Option<&str>, lang: Lang) -> Result<()> {
    #[cfg(feature = "gdal")]
    {
        gridkeeper::report::gpkg::errors(path, findings, crs, lang).map(|_| ())
    }
    #[cfg(not(feature = "gdal"))]
    {
        let _ = (findings, crs, lang);
        Err(Error::UnsupportedFormat {
            path: path.to_path_buf(),
            needs_gdal: true,
        })
    }
}

/// The profile's thresholds with the `--set name=value` overrides applied.
pub fn thresholds_with(base: &Thresholds, sets: &[String]) -> Result<Thresholds> {
    let mut t = base.clone();
    for s in sets {
        t.set(s).map_err(|problem| Error::Usage { problem })?;
    }
    Ok(t)
}

pub fn run(ctx: &Context, a: ValidateArgs) -> Result<i32> {
    let clock = std::time::Instant::now();
    let options = load_options(&a.profile)?;
    let thresholds = |base: &Thresholds| thresholds_with(base, &a.profile.set);
    let (subject, findings, crs) = if io::is_single_source(&a.dataset) {
        let read = io::ReadOptions {
            encoding: options.encoding,
            ..io::ReadOptions::default()
        };
        let layer = stage("read", || {
            settle_file(io::read_layer(&a.dataset, &read)?, &crs_options(&a.crs)?)
        })?;
        let t = thresholds(&Thresholds::default())?;
        let crs = layer
            .crs
            .as_ref()
            .and_then(|c| c.epsg)
            .map(|e| format!("EPSG:{e}"));
        let findings = stage("validate", || validate::file(&layer, &t));
        (Subject::file(&layer), findings, crs)
    } else {
        let crs = crs_options(&a.crs)?;
        let (ds, profile) = stage("read", || dataset::load_with(&a.dataset, &options, &crs))?;
        let admin_codes = match &a.admin_codes {
            Some(p) => Some(AdminCodes::load(p)?),
            None => None,
        };
        let t = thresholds(&profile.thresholds)?;
        let findings = stage("validate", || {
            validate::run(
                &ds,
                &profile,
                &validate::Options {
                    admin_codes,
                    thresholds: Some(t),
                },
            )
        });
        (
            Subject::dataset(&ds, &profile),
            findings,
            ds.manifest.crs.clone(),
        )
    };
    let write = std::time::Instant::now();
    if let Some(path) = &a.errors_geojson {
        geojson::write(path, &findings, crs.as_deref(), ctx.lang)?;
    }
    if let Some(path) = &a.errors_gpkg {
        errors_gpkg(path, &findings, crs.as_deref(), ctx.lang)?;
    }
    let body = match a.format {
        ReportFormat::Text => text::validation(
            &subject,
            &findings,
            &text::TextOptions {
                lang: ctx.lang,
                color: ctx.color && a.output.is_none(),
                max_per_rule: a.max_per_rule,
            },
        ),
        ReportFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&json::validation(&subject, &findings, ctx.lang))
                    .unwrap_or_default();
            s.push('\n');
            s
        }
    };
    match &a.output {
        Some(path) => io::atomic::write_bytes(path, body.as_bytes())?,
        None => super::print(&body),
    }
    gridkeeper::timing::record("write", write.elapsed());
    super::stage_summary(ctx, clock.elapsed());
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if errors { 1 } else { 0 })
}
