//! `gridkeeper check`: the center's check of one submission.

use std::collections::BTreeMap;
use std::path::Path;

use gridkeeper::check::{self, CheckReport};
use gridkeeper::dataset::{self, parse_iso_date, LoadOptions};
use gridkeeper::report::{check as check_report, html, xlsx};
use gridkeeper::schema::Profile;
use gridkeeper::submission::{Limits, Package};
use gridkeeper::validate::AdminCodes;
use gridkeeper::{io, BoundLayer, Dataset, Error, Expected, LayerKind, Problem, Result};

use super::args::{CenterArgs, CheckArgs, ReportFormat};
use super::validate_cmd::load_options;
use super::Context;

/// What `check` and `score` load once: the prior, its profile, the cases, the settings.
pub struct Center {
    /// Last year's district dataset.
    pub prior: Dataset,
    /// The cases from `--cases` (`None`: the prior's own layer, if any).
    pub cases: Option<BoundLayer>,
    /// The check settings.
    pub options: check::Options,
    /// Zip limits.
    pub limits: Limits,
}

/// `--cases-fields id=CASEID,time=SBSJ` → canonical → local.
fn field_pairs(text: &str) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').ok_or_else(|| Error::Usage {
            problem: Problem::BadValue {
                key: "--cases-fields".into(),
                value: pair.to_string(),
                expected: Expected::FieldPairs,
            },
        })?;
        out.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(out)
}

/// Reads the historical cases of `--cases`, with the `--cases-fields` names.
pub(super) fn read_cases(
    path: &Path,
    fields: Option<&str>,
    profile: &Profile,
    load: &LoadOptions,
) -> Result<BoundLayer> {
    let schema = profile
        .layer(LayerKind::Cases)
        .ok_or_else(|| Error::Profile {
            source: profile.name.clone(),
            problem: Problem::DanglingReference {
                at: "layers".into(),
                name: "cases".into(),
            },
        })?;
    let fields = match fields {
        Some(f) => field_pairs(f)?,
        None => BTreeMap::new(),
    };
    dataset::read_bound(path, LayerKind::Cases, schema, &fields, load.encoding)
}

impl Center {
    /// Loads the prior and the cases and settles the options; `lead_days` is the default
    /// lead time when `--lead-days` is not given.
    pub fn load(a: &CenterArgs, lead_days: i64) -> Result<Center> {
        let load = load_options(&a.profile)?;
        let received = match &a.received {
            None => None,
            Some(t) => Some(parse_iso_date(t).ok_or_else(|| Error::Usage {
                problem: Problem::BadValue {
                    key: "--received".into(),
                    value: t.clone(),
                    expected: Expected::Date,
                },
            })?),
        };
        let (prior, profile) = dataset::load(&a.prior, &load)?;
        let cases = match &a.cases {
            Some(p) => Some(read_cases(p, a.cases_fields.as_deref(), &profile, &load)?),
            None => None,
        };
        let admin_codes = match &a.admin_codes {
            Some(p) => Some(AdminCodes::load(p)?),
            None => None,
        };
        let mut options = check::Options {
            received,
            lead_days: a.lead_days.map_or(lead_days, i64::from),
            load,
            set: a.profile.set.clone(),
            admin_codes,
        };
        options.judge_by(&profile);
        Ok(Center {
            prior,
            cases,
            options,
            limits: Limits {
                max_entries: a.max_entries,
                max_bytes: a.max_expanded_mb.saturating_mul(1 << 20),
            },
        })
    }

    /// Opens and checks one package.
    pub fn check(&self, path: &Path) -> Result<CheckReport> {
        let pkg = Package::open(path, &self.limits)?;
        check::run(&pkg, &self.prior, self.cases.as_ref(), &self.options)
    }
}

/// Writes JSON to a file atomically.
pub fn write_json(path: &Path, v: &serde_json::Value) -> Result<()> {
    let mut s =
        serde_json::to_string_pretty(v).map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    s.push('\n');
    io::atomic::write_bytes(path, s.as_bytes())
}

/// `gridkeeper check`: opens and checks one package, writes the report (and `--xlsx`);
/// exit code 1 when a finding is an error.
pub fn run(ctx: &Context, a: CheckArgs) -> Result<i32> {
    let center = Center::load(&a.center, check::LEAD_DAYS)?;
    let report = center.check(&a.submission)?;
    if let Some(path) = &a.xlsx {
        xlsx::write(
            path,
            &check_report::sheets(&report, ctx.lang),
            report.received,
        )?;
    }
    if let Some(path) = &a.html {
        io::atomic::write_bytes(path, html::check(&report, ctx.lang).as_bytes())?;
    }
    let body = match a.format {
        ReportFormat::Text => check_report::text(&report, ctx.lang, a.max_per_rule),
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&check_report::json(&report, ctx.lang))
                .unwrap_or_default();
            s.push('\n');
            s
        }
    };
    match &a.output {
        Some(path) => io::atomic::write_bytes(path, body.as_bytes())?,
        None => super::print(&body),
    }
    Ok(if report.has_errors() { 1 } else { 0 })
}
