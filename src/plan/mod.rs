//! The change plan (更新方案): what a town submits with its yearly grid and component update,
//! built from the change set of `diff` and the remapped historical cases. Its five sections:
//!
//! 1. 基本情况 — counts and areas per street and community, old and new; components per
//!    class and owner ([`Basics`]);
//! 2. 数据变更情况 — every change, grouped by relation ([`Changes`]);
//! 3. 历史案件影响分析 — cases affected per changed grid, community and street, per year,
//!    month and class; open cases that change their responsible unit; each town's gain or
//!    loss, its same-period baseline, its area and case quota base before and after ([`Impact`]);
//! 4. 历史案件处置办法说明 — the rules that were applied, with their counts, and what is
//!    left for review ([`Disposal`]);
//! 5. 历史案件对照表 — every case involving a changed street, community or grid.
//!
//! Building the plan is pure: files are written by `report::{markdown, xlsx, csv, json}`.

mod basics;
mod impact;
pub mod population;
pub mod workload;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diff::{Change, ChangeSet, LayerDiff, Relation};
use crate::finding::Finding;
use crate::measure::Measure;
use crate::model::{Dataset, LayerKind};
use crate::remap::{Method, Remap, Review};
use crate::timing::stage;

pub use self::basics::{AreaRow, Basics, CountRow};
pub use self::impact::{Impact, Town};
pub use self::population::Populations;
pub use self::workload::{Load, LoadRow, Workload};

/// One changed group of a polygon layer with its codes and areas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupChange {
    /// The relation.
    pub relation: Relation,
    /// Old codes with their areas (m²).
    pub old: Vec<(String, f64)>,
    /// New codes with their areas (m²).
    pub new: Vec<(String, f64)>,
    /// Some shape changed.
    pub reshaped: bool,
    /// Some code changed.
    pub recoded: bool,
    /// Some community/street changed.
    pub reparented: bool,
}

/// Section 2: what changed.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// Changed groups of grids, streets and communities, in code order.
    pub grids: Vec<GroupChange>,
    /// Changed groups of communities.
    pub communities: Vec<GroupChange>,
    /// Changed groups of streets.
    pub streets: Vec<GroupChange>,
    /// Count of grid groups per relation (including `unchanged`).
    pub grid_counts: BTreeMap<Relation, usize>,
    /// Count of component changes per kind.
    pub component_counts: BTreeMap<Change, usize>,
}

/// Section 4: the rules applied to the cases, with their counts.
#[derive(Debug, Clone, Serialize)]
pub struct Disposal {
    /// How many cases (of all) each method decided.
    pub methods: BTreeMap<Method, usize>,
    /// How many involved cases each method decided.
    pub involved_methods: BTreeMap<Method, usize>,
    /// How many cases carry each review flag.
    pub reviews: BTreeMap<Review, usize>,
    /// Cases needing review.
    pub review_cases: usize,
    /// Bad historical records found (filed grid ≠ the grid of the point, unknown grids,
    /// repeated ids): records with a finding, each once.
    pub bad_records: usize,
    /// Cases whose component was recoded, removed or given another owner.
    pub component_cases: usize,
}

/// The whole plan.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The region code.
    pub region: Option<String>,
    /// Last year's data year and effective date.
    pub old_version: (Option<i32>, Option<NaiveDate>),
    /// This year's data year and effective date.
    pub new_version: (Option<i32>, Option<NaiveDate>),
    /// The profile.
    pub profile: String,
    /// How areas were measured.
    pub measure: Measure,
    /// Section 1.
    pub basics: Basics,
    /// Section 2.
    pub changes: Changes,
    /// Section 3.
    pub impact: Impact,
    /// Section 4.
    pub disposal: Disposal,
    /// Section 5: the involved cases, as indices into the remap's cases, ordered by case id.
    pub crosswalk: Vec<usize>,
    /// Section 6 (when both versions have duty layers): the workload of each duty layer.
    pub workload: Vec<Workload>,
    /// Findings of the remapping (bad historical records).
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// The names of the streets (街道) or communities (社区) by code: last year's, and this
/// year's where a code has one.
fn unit_names(old: &Dataset, new: &Dataset, kind: LayerKind) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for l in [old.layer(kind), new.layer(kind)].into_iter().flatten() {
        names.extend((0..l.len()).filter_map(|i| {
            Some((
                l.get(i, "code")?.trim().to_string(),
                l.get(i, "name")?.trim().to_string(),
            ))
        }));
    }
    names
}

fn group_changes(d: Option<&LayerDiff>) -> Vec<GroupChange> {
    let Some(d) = d else { return Vec::new() };
    d.changed()
        .map(|g| GroupChange {
            relation: g.relation,
            old: g
                .old
                .iter()
                .map(|&i| (d.old_codes[i].clone(), d.lineage.old_area[i]))
                .collect(),
            new: g
                .new
                .iter()
                .map(|&i| (d.new_codes[i].clone(), d.lineage.new_area[i]))
                .collect(),
            reshaped: g.reshaped,
            recoded: g.recoded,
            reparented: g.reparented,
        })
        .collect()
}

/// Builds the plan.
pub fn build(
    old: &Dataset,
    new: &Dataset,
    profile: &str,
    cs: &ChangeSet,
    remap: &Remap,
    populations: Option<&Populations>,
) -> Plan {
    let mut component_counts = BTreeMap::new();
    for c in &cs.components {
        *component_counts.entry(c.change).or_insert(0) += 1;
    }
    let changes = Changes {
        grids: group_changes(cs.layer(LayerKind::Grids)),
        communities: group_changes(cs.layer(LayerKind::Communities)),
        streets: group_changes(cs.layer(LayerKind::Streets)),
        grid_counts: cs
            .layer(LayerKind::Grids)
            .map(LayerDiff::counts)
            .unwrap_or_default(),
        component_counts,
    };
    let mut methods = BTreeMap::new();
    let mut involved_methods = BTreeMap::new();
    let mut reviews = BTreeMap::new();
    let mut review_cases = 0;
    let basics = stage("plan.basics", || basics::build(old, new, cs));
    for m in remap.summaries() {
        *methods.entry(m.method).or_insert(0) += 1;
        if m.involved {
            *involved_methods.entry(m.method).or_insert(0) += 1;
        }
        for r in m.review.iter() {
            *reviews.entry(r).or_insert(0) += 1;
        }
        if !m.review.is_empty() {
            review_cases += 1;
        }
    }
    let mut crosswalk: Vec<_> = remap.involved().map(|m| (m.id, m.case)).collect();
    crosswalk.sort_unstable();
    let crosswalk: Vec<usize> = crosswalk.into_iter().map(|(_, i)| i).collect();
    Plan {
        region: new.manifest.region.clone(),
        old_version: (old.manifest.year, old.manifest.effective),
        new_version: (new.manifest.year, new.manifest.effective),
        profile: profile.to_string(),
        measure: cs.measure,
        impact: stage("plan.impact", || {
            impact::build(old, new, cs, remap, &basics.streets, populations)
        }),
        basics,
        changes,
        disposal: Disposal {
            methods,
            involved_methods,
            reviews,
            review_cases,
            bad_records: remap
                .findings
                .iter()
                .filter_map(|f| f.feature)
                .collect::<std::collections::BTreeSet<usize>>()
                .len(),
            component_cases: remap.component_cases(),
        },
        crosswalk,
        workload: stage("plan.workload", || workload::build(old, new, cs, remap)),
        findings: remap.findings.clone(),
    }
}
