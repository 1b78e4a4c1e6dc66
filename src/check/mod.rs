//! The center's check of a submission (检查报送材料): lead time, the data, the plan.
//!
//! - **Lead time**: the dataset's effective date less the date the center received the
//!   package is at least `lead_days` (21), else `SUBMIT-LATE` with the days.
//! - **The data**: everything [`crate::validate`] checks.
//! - **The plan**: the five sections present and with content (`plan.md`, else the sheets
//!   of `plan.xlsx`); the case and grid crosswalks re-derived independently — the prior cut
//!   to the submission's streets ([`crate::submission::scope`]), [`crate::diff`],
//!   [`crate::remap`], [`crate::plan`], written by [`crate::report::csv`] exactly as
//!   `gridkeeper plan` does — and compared row by row ([`compare`]).
//!
//! Findings of the check itself have rules of the families `submission`, `plan` and
//! `crosswalk` (`docs/rules.md`).

pub mod compare;
pub mod submitted;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use self::compare::Compared;
use self::submitted::{case_table, grid_table, SectionState};
use crate::dataset::{self, LoadOptions};
use crate::diff;
use crate::error::Result;
use crate::finding::{self, Finding, Rule, Severity};
use crate::i18n::Msg;
use crate::model::{BoundLayer, Dataset, LayerKind};
use crate::report::csv as csv_report;
use crate::schema::{Origin, Profile, Thresholds};
use crate::submission::{scope, Package};
use crate::validate::{self, AdminCodes};
use crate::{plan, remap};

/// The default lead time in days (three weeks).
pub const LEAD_DAYS: i64 = 21;

/// Settings of a check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The received date from the command line; `None`: the package's `submission.toml`.
    pub received: Option<NaiveDate>,
    /// Days the package must arrive before it takes effect.
    pub lead_days: i64,
    /// How the submitted dataset is loaded (`--encoding`, `--profile`). Without a profile the
    /// package's manifest names one: [`Options::judge_by`] settles the center's first.
    pub load: LoadOptions,
    /// Threshold overrides (`--set`); `None`: the profile's.
    pub set: Vec<String>,
    /// The administrative code list, if given.
    pub admin_codes: Option<AdminCodes>,
}

impl Options {
    /// Packages are judged by the center's profile: the one given (`--profile`), else
    /// `prior` (the prior's), never one a package's manifest names, so that a town cannot
    /// bring rules of its own.
    pub fn judge_by(&mut self, prior: &Profile) {
        if self.load.profile.is_none() {
            self.load.profile = Some(match &prior.origin {
                Origin::Builtin => prior.name.clone(),
                Origin::Folder(dir) => dir.display().to_string(),
            });
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            received: None,
            lead_days: LEAD_DAYS,
            load: LoadOptions::default(),
            set: Vec::new(),
            admin_codes: None,
        }
    }
}

/// What the data shows changed, re-derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Changes {
    /// Changed groups of grids.
    pub grids: usize,
    /// Component changes.
    pub components: usize,
    /// Cases involving a change.
    pub cases: usize,
}

/// The result of checking one submission.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The package as given.
    pub package: String,
    /// The prior dataset as given.
    pub prior: String,
    /// The town/street code: `submission.toml`'s, else the one street of the data.
    pub town: Option<String>,
    /// The town's name: `submission.toml`'s, else the street's name in the data.
    pub name: Option<String>,
    /// When the center received it.
    pub received: NaiveDate,
    /// When the data takes effect.
    pub effective: Option<NaiveDate>,
    /// Days between receipt and effect.
    pub lead: Option<i64>,
    /// Days required.
    pub lead_required: i64,
    /// The dataset folder, relative to the package.
    pub dataset: String,
    /// The profile the data was checked against.
    pub profile: String,
    /// The plan folder, relative to the package.
    pub plan: Option<String>,
    /// The plan files found, relative to the package.
    pub plan_files: Vec<String>,
    /// The sections, with the file they were judged from.
    pub sections: Option<(String, [SectionState; 5])>,
    /// The streets the prior was cut to (empty: the whole prior).
    pub scope: Vec<String>,
    /// What changed, re-derived.
    pub changes: Changes,
    /// The case crosswalk comparison (`None`: not compared).
    pub cases: Option<Compared>,
    /// The grid crosswalk comparison (`None`: not compared).
    pub grids: Option<Compared>,
    /// Every finding, in report order.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// The town of a submission: the manifest's, else the only street of the data.
fn town_of(pkg: &Package, ds: &Dataset) -> (Option<String>, Option<String>) {
    let streets = ds.layer(LayerKind::Streets);
    let name_of = |code: &str| -> Option<String> {
        let l = streets?;
        (0..l.len())
            .find(|&i| l.get(i, "code").map(str::trim) == Some(code))
            .and_then(|i| l.get(i, "name"))
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
    };
    let codes = scope::streets_of(ds);
    let town = pkg.manifest.town.clone().or_else(|| {
        (codes.len() == 1)
            .then(|| codes.iter().next().cloned())
            .flatten()
    });
    let name = pkg
        .manifest
        .name
        .clone()
        .or_else(|| town.as_deref().and_then(name_of));
    (town, name)
}

/// Checks one opened package against the prior (last year's district data) and the
/// historical cases: `cases` (`--cases`), else the prior's `cases` layer.
pub fn run(
    pkg: &Package,
    prior: &Dataset,
    cases: Option<&BoundLayer>,
    o: &Options,
) -> Result<CheckReport> {
    let received = pkg.received(o.received)?;
    let (ds, profile) = dataset::load(&pkg.dataset, &o.load)?;
    let mut t: Thresholds = profile.thresholds.clone();
    for s in &o.set {
        t.set(s)
            .map_err(|problem| crate::error::Error::Usage { problem })?;
    }
    let mut findings = validate::run(
        &ds,
        &profile,
        &validate::Options {
            admin_codes: o.admin_codes.clone(),
            thresholds: Some(t.clone()),
        },
    );
    let (town, name) = town_of(pkg, &ds);
    let streets = scope::streets_of(&ds);
    if let Some(stated) = &pkg.manifest.town {
        if !streets.is_empty() && !streets.contains(stated) {
            findings.push(Finding::new(
                Rule::SubmitTown,
                "submission",
                Msg::SubmitTown {
                    stated: stated.clone(),
                    found: streets.iter().cloned().collect(),
                },
            ));
        }
    }
    // Lead time.
    let effective = ds.manifest.effective;
    let lead = effective.map(|e| (e - received).num_days());
    match (effective, lead) {
        (Some(e), Some(days)) if days < o.lead_days => findings.push(Finding::new(
            Rule::SubmitLate,
            "submission",
            Msg::SubmitLate {
                received: received.to_string(),
                effective: e.to_string(),
                days,
                required: o.lead_days,
            },
        )),
        (None, _) => findings.push(Finding::new(
            Rule::SubmitNoEffective,
            "submission",
            Msg::SubmitNoEffective,
        )),
        _ => {}
    }
    // The prior cut to the submission's streets.
    let mut cut_to: BTreeSet<String> = streets.clone();
    if cut_to.is_empty() {
        cut_to.extend(town.iter().cloned());
    }
    let prior_streets = scope::streets_of(prior);
    let cut = !cut_to.is_empty() && prior_streets.iter().any(|s| !cut_to.contains(s));
    let prior_cut;
    let prior_used = if cut {
        prior_cut = scope::restrict(prior, &cut_to);
        &prior_cut
    } else {
        prior
    };
    let source_cases = cases.or_else(|| prior.layer(LayerKind::Cases));
    let cases_cut;
    let cases_used = if cut {
        cases_cut = match source_cases {
            // A case without street or grid is the town's by its point, located in the
            // prior's grids in their CRS. The cases cut keep their own coordinates: `plan`
            // brings them to the new version's CRS in one step, and so does the re-derivation.
            Some(c) => {
                // Cases without a CRS of their own (a CSV) are in the prior's, as `plan` has them.
                let grids_crs = prior.layer_crs(LayerKind::Grids);
                let located =
                    crate::reprojection::bring_layer(c, prior.crs().as_ref(), grids_crs.as_ref())?;
                Some(scope::restrict_cases_located(
                    c,
                    &located,
                    &cut_to,
                    prior_used.layer(LayerKind::Grids),
                ))
            }
            None => None,
        };
        cases_cut.as_ref()
    } else {
        source_cases
    };
    // Re-derive as `plan` does: in one CRS, the cases brought along.
    let (prior_used, ds_used, cases_used) =
        crate::reprojection::align_with_cases(prior_used, &ds, cases_used)?;
    let (prior_used, cases_used) = (prior_used.as_ref(), cases_used.as_deref());
    let ds = ds_used.as_ref();
    let cs = diff::run(prior_used, ds, &profile, &t)?;
    findings.extend(cs.findings.iter().cloned());
    // A duty layer (责任网格) that stays as it was is no stale submission: teams change less
    // often than grids.
    for d in cs.layers.iter().filter(|d| d.layer.duty().is_none()) {
        let both = prior_used.layer(d.layer).is_some_and(|l| !l.is_empty())
            && ds.layer(d.layer).is_some_and(|l| !l.is_empty());
        if both && d.changed().next().is_none() {
            findings.push(Finding::new(
                Rule::SubmitUnchanged,
                d.layer.name(),
                Msg::SubmitUnchanged,
            ));
        }
    }
    let comps_both = prior_used
        .layer(LayerKind::Components)
        .is_some_and(|l| !l.is_empty())
        && ds
            .layer(LayerKind::Components)
            .is_some_and(|l| !l.is_empty());
    if comps_both && cs.components.is_empty() {
        findings.push(Finding::new(
            Rule::SubmitUnchanged,
            LayerKind::Components.name(),
            Msg::SubmitUnchanged,
        ));
    }
    let remapped = match cases_used {
        Some(c) => remap::run(prior_used, ds, &cs, c, &profile.closed_case_statuses(), &t),
        None => remap::Remap::default(),
    };
    let built = plan::build(prior_used, ds, &profile.name, &cs, &remapped, None);
    let changes = Changes {
        grids: built.changes.grids.len(),
        components: cs.components.len(),
        cases: built.crosswalk.len(),
    };
    // The submitted plan.
    let rel = |p: &std::path::Path| pkg.relative(p);
    let sub = submitted::read(pkg.plan.as_deref(), &rel);
    let mut cases_cmp = None;
    let mut grids_cmp = None;
    if sub.files.is_empty() {
        findings.push(Finding::new(Rule::PlanMissing, "plan", Msg::PlanMissing));
    } else {
        findings.extend(sub.findings.iter().cloned());
        let md = sub
            .sections
            .as_ref()
            .map_or_else(|| "plan.md".to_string(), |s| s.0.clone());
        let states = sub
            .sections
            .as_ref()
            .map_or([SectionState::Absent; 5], |s| s.1);
        for (k, st) in states.iter().enumerate() {
            let section = k as u8 + 1;
            let (rule, msg) = match st {
                SectionState::Present => continue,
                SectionState::Absent => (
                    Rule::PlanSectionMissing,
                    Msg::PlanSectionMissing {
                        section,
                        file: md.clone(),
                    },
                ),
                SectionState::Empty => (
                    Rule::PlanSectionEmpty,
                    Msg::PlanSectionEmpty {
                        section,
                        file: md.clone(),
                    },
                ),
            };
            let mut f = Finding::new(rule, "plan", msg);
            f.key = section.to_string();
            findings.push(f);
        }
        for (missing, part) in [
            (sub.no_cases, "case_crosswalk"),
            (sub.no_grids, "grid_crosswalk"),
        ] {
            if missing {
                findings.push(Finding::new(
                    Rule::PlanFileMissing,
                    "plan",
                    Msg::PlanFileMissing {
                        part: part.to_string(),
                    },
                ));
            }
        }
        if let Some(table) = &sub.cases {
            if cases_used.is_some() {
                let rows = csv_report::case_crosswalk(&built, &remapped);
                let derived = case_table(&rows, false).unwrap_or_default();
                let own: BTreeSet<String> = remapped.iter().map(|c| c.id.into_owned()).collect();
                // Every case the center holds, the other towns' too (the cut leaves them out).
                let all: BTreeSet<String> = match (cut, source_cases) {
                    (true, Some(l)) => (0..l.len())
                        .filter_map(|i| l.get(i, "id"))
                        .map(|id| id.trim().to_string())
                        .collect(),
                    _ => own.clone(),
                };
                cases_cmp = Some(compare::cases(table, &derived, &own, &all, &mut findings));
            } else {
                findings.push(Finding::new(
                    Rule::XwalkCasesUnchecked,
                    table.file.clone(),
                    Msg::XwalkCasesUnchecked,
                ));
            }
        }
        if let (Some(table), Some(d)) = (&sub.grids, cs.layer(LayerKind::Grids)) {
            let rows = csv_report::crosswalk(d);
            let derived = grid_table(&rows, false).unwrap_or_default();
            grids_cmp = Some(compare::grids(table, &derived, &mut findings));
        }
    }
    finding::sort(&mut findings);
    Ok(CheckReport {
        package: pkg.source.display().to_string(),
        prior: prior.root.display().to_string(),
        town,
        name,
        received,
        effective,
        lead,
        lead_required: o.lead_days,
        dataset: pkg.relative(&pkg.dataset),
        profile: profile.name.clone(),
        plan: pkg.plan.as_deref().map(|p| pkg.relative(p)),
        plan_files: sub.files.clone(),
        sections: sub.sections.clone(),
        scope: if cut {
            cut_to.into_iter().collect()
        } else {
            Vec::new()
        },
        changes,
        cases: cases_cmp,
        grids: grids_cmp,
        findings,
    })
}
