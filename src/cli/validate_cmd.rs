//! `gridkeeper validate`.

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::report::{geojson, json, text, Subject};
use gridkeeper::schema::Thresholds;
use gridkeeper::validate::{self, AdminCodes};
use gridkeeper::{io, Error, Result, Severity};

use super::args::{ReportFormat, ValidateArgs};
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

/// The profile's thresholds with the `--set name=value` overrides applied.
pub fn thresholds_with(base: &Thresholds, sets: &[String]) -> Result<Thresholds> {
    let mut t = base.clone();
    for s in sets {
        t.set(s).map_err(|problem| Error::Usage { problem })?;
    }
    Ok(t)
}

pub fn run(ctx: &Context, a: ValidateArgs) -> Result<i32> {
    let options = LoadOptions {
        encoding: encoding_arg(a.encoding.as_deref())?,
        profile: a
            .profile
            .clone()
            .or_else(|| a.schema.as_ref().map(|p| p.display().to_string())),
    };
    let thresholds = |base: &Thresholds| thresholds_with(base, &a.set);
    let (subject, findings, crs) = if a.dataset.is_file() {
        let read = io::ReadOptions {
            encoding: options.encoding,
            ..io::ReadOptions::default()
        };
        let layer = io::read_layer(&a.dataset, &read)?;
        let t = thresholds(&Thresholds::default())?;
        let crs = layer
            .crs
            .as_ref()
            .and_then(|c| c.epsg)
            .map(|e| format!("EPSG:{e}"));
        (Subject::file(&layer), validate::file(&layer, &t), crs)
    } else {
        let (ds, profile) = dataset::load(&a.dataset, &options)?;
        let admin_codes = match &a.admin_codes {
            Some(p) => Some(AdminCodes::load(p)?),
            None => None,
        };
        let t = thresholds(&profile.thresholds)?;
        let findings = validate::run(
            &ds,
            &profile,
            &validate::Options {
                admin_codes,
                thresholds: Some(t),
            },
        );
        (
            Subject::dataset(&ds, &profile),
            findings,
            ds.manifest.crs.clone(),
        )
    };
    if let Some(path) = &a.errors_geojson {
        geojson::write(path, &findings, crs.as_deref(), ctx.lang)?;
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
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if errors { 1 } else { 0 })
}
