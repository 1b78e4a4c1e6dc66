//! Section 3, 历史案件影响分析: which cases the change touches, where they go, and what that
//! does to each town's same-period baseline, area and case quota base.
//!
//! The quota rule of the assessment (60 % by population, 40 % by area):
//! `base_i = total / total_pop × pop_i × 0.6 + total / total_area × area_i × 0.4`, where
//! `total` is the number of cases in the baseline window (the 12 months before the new data
//! takes effect) and the areas are the towns' grid areas before and after.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use foldhash::fast::FixedState;
use rayon::prelude::*;
use serde::Serialize;

use super::population::Populations;
use super::unit_names;
use crate::diff::{ChangeSet, Relation};
use crate::model::{Dataset, LayerKind};
use crate::remap::{CaseMapping, Remap};

/// Cases of one changed old grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridImpact {
    /// The old grid.
    pub code: String,
    /// How it changed.
    pub relation: Relation,
    /// Its successors.
    pub new_codes: Vec<String>,
    /// Cases filed under it.
    pub cases: usize,
    /// Of which open.
    pub open: usize,
}

/// Cases of one community or street whose cases move.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitImpact {
    /// The code.
    pub code: String,
    /// The name.
    pub name: String,
    /// Involved cases filed under it or remapped to it.
    pub involved: usize,
    /// Cases that leave it.
    pub lost: usize,
    /// Cases that come to it.
    pub gained: usize,
    /// Open cases that leave or come.
    pub open_moving: usize,
}

/// One town (街道/镇): cases, area and quota base before and after.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Town {
    /// Street code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Cases filed under it (all years).
    pub cases_old: usize,
    /// Cases remapped to it (all years).
    pub cases_new: usize,
    /// Cases in the baseline window filed under it (同期基数, before).
    pub window_old: usize,
    /// Cases in the baseline window remapped to it (after).
    pub window_new: usize,
    /// Grid area before (m²).
    pub area_old: f64,
    /// Grid area after (m²).
    pub area_new: f64,
    /// Population, when given.
    pub population: Option<f64>,
    /// Case quota base before, when populations are given.
    pub quota_old: Option<f64>,
    /// Case quota base after.
    pub quota_new: Option<f64>,
}

/// Section 3.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Impact {
    /// All cases.
    pub total: usize,
    /// Cases involving a changed street, community or grid.
    pub involved: usize,
    /// Of which open.
    pub open_involved: usize,
    /// Open cases whose community or street changes (their responsible unit).
    pub responsible_changed: usize,
    /// Open cases (involved or not) whose component changed owner (to re-dispatch).
    pub redispatch: usize,
    /// Cases with no new street (for review).
    pub unresolved: usize,
    /// Per changed old grid.
    pub by_grid: Vec<GridImpact>,
    /// Per community with moving cases.
    pub by_community: Vec<UnitImpact>,
    /// Per street with moving cases.
    pub by_street: Vec<UnitImpact>,
    /// Involved cases per year.
    pub by_year: BTreeMap<i32, usize>,
    /// Involved cases per month (`YYYY-MM`).
    pub by_month: BTreeMap<String, usize>,
    /// Involved cases per class (`kind major-minor`).
    pub by_class: BTreeMap<String, usize>,
    /// The baseline window `[from, to)`.
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// Cases in the window (the quota's total).
    pub window_total: usize,
    /// Per town.
    pub towns: Vec<Town>,
}

fn units(remap: &Remap, level: usize, names: &BTreeMap<String, String>) -> Vec<UnitImpact> {
    let mut m: BTreeMap<&str, UnitImpact> = BTreeMap::new();
    for c in remap.involved() {
        let (o, n) = (c.old[level], c.new[level]);
        for code in [o, n].into_iter().flatten().collect::<BTreeSet<_>>() {
            m.entry(code).or_default().involved += 1;
        }
        // A case moves when it has both an old and a new unit and they differ (an unresolved
        // case goes nowhere yet: it is for review).
        if let (Some(o), Some(n)) = (o, n) {
            if o != n {
                let u = m.entry(o).or_default();
                u.lost += 1;
                u.open_moving += usize::from(c.open);
                let u = m.entry(n).or_default();
                u.gained += 1;
                u.open_moving += usize::from(c.open);
            }
        }
    }
    m.into_iter()
        .filter(|(_, u)| u.lost + u.gained > 0)
        .map(|(code, mut u)| {
            u.name = names.get(code).cloned().unwrap_or_default();
            u.code = code.to_string();
            u
        })
        .collect()
}

/// A case's kind, major and minor class, as filed.
type Class<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// What the pass over the cases counts: one per thread, then added up.
#[derive(Default)]
struct Tally<'a> {
    /// Per old grid: cases, open cases.
    per_grid: HashMap<&'a str, (usize, usize), FixedState>,
    towns: BTreeMap<&'a str, Town>,
    window_total: usize,
    unresolved: usize,
    redispatch: usize,
    involved: usize,
    open_involved: usize,
    responsible_changed: usize,
    by_year: BTreeMap<i32, usize>,
    by_month: BTreeMap<(i32, u32), usize>,
    by_class: BTreeMap<Class<'a>, usize>,
}

impl<'a> Tally<'a> {
    /// Counts one case (`w`: in the baseline window).
    fn add(&mut self, c: &CaseMapping<'a>, w: bool) {
        if let Some(g) = c.old[0] {
            let e = self.per_grid.entry(g).or_default();
            e.0 += 1;
            e.1 += usize::from(c.open);
        }
        self.window_total += usize::from(w);
        if let Some(s) = c.old[2] {
            let t = self.towns.entry(s).or_default();
            t.cases_old += 1;
            t.window_old += usize::from(w);
        }
        if let Some(s) = c.new[2] {
            let t = self.towns.entry(s).or_default();
            t.cases_new += 1;
            t.window_new += usize::from(w);
        }
        if c.new[2].is_none() {
            self.unresolved += 1;
        }
        if c.open && c.owner.is_some() {
            self.redispatch += 1;
        }
        if !c.involved {
            return;
        }
        self.involved += 1;
        if c.open {
            self.open_involved += 1;
            if c.new[2].is_some() && (c.old[1] != c.new[1] || c.old[2] != c.new[2]) {
                self.responsible_changed += 1;
            }
        }
        if let Some(d) = c.date {
            *self.by_year.entry(d.year()).or_insert(0) += 1;
            *self.by_month.entry((d.year(), d.month())).or_insert(0) += 1;
        }
        *self.by_class.entry((c.kind, c.major, c.minor)).or_insert(0) += 1;
    }

    /// The two tallies added up.
    fn merge(mut self, other: Tally<'a>) -> Tally<'a> {
        for (g, (n, open)) in other.per_grid {
            let e = self.per_grid.entry(g).or_default();
            e.0 += n;
            e.1 += open;
        }
        for (s, t) in other.towns {
            let e = self.towns.entry(s).or_default();
            e.cases_old += t.cases_old;
            e.cases_new += t.cases_new;
            e.window_old += t.window_old;
            e.window_new += t.window_new;
        }
        self.window_total += other.window_total;
        self.unresolved += other.unresolved;
        self.redispatch += other.redispatch;
        self.involved += other.involved;
        self.open_involved += other.open_involved;
        self.responsible_changed += other.responsible_changed;
        for (k, n) in other.by_year {
            *self.by_year.entry(k).or_insert(0) += n;
        }
        for (k, n) in other.by_month {
            *self.by_month.entry(k).or_insert(0) += n;
        }
        for (k, n) in other.by_class {
            *self.by_class.entry(k).or_insert(0) += n;
        }
        self
    }
}

pub(super) fn build(
    old: &Dataset,
    new: &Dataset,
    cs: &ChangeSet,
    remap: &Remap,
    streets: &[super::AreaRow],
    populations: Option<&Populations>,
) -> Impact {
    let mut out = Impact {
        total: remap.len(),
        ..Impact::default()
    };
    // The baseline window: the 12 months before the new data takes effect.
    let to = new
        .manifest
        .effective
        .or_else(|| remap.dates().flatten().max().and_then(|d| d.succ_opt()));
    out.window = to.and_then(|to| Some((to.checked_sub_months(Months::new(12))?, to)));
    let in_window = |d: Option<NaiveDate>| match (out.window, d) {
        (Some((from, to)), Some(d)) => d >= from && d < to,
        _ => false,
    };
    // One pass over the cases for every count below, in parallel: each thread tallies its
    // share, and the tallies are added up (sums and counts: the order does not matter).
    let Tally {
        per_grid,
        mut towns,
        window_total,
        unresolved,
        redispatch,
        involved,
        open_involved,
        responsible_changed,
        by_year,
        by_month,
        by_class,
    } = (0..remap.len())
        .into_par_iter()
        .fold(Tally::default, |mut t, i| {
            if let Some(c) = remap.get(i) {
                t.add(&c, in_window(c.date));
            }
            t
        })
        .reduce(Tally::default, Tally::merge);
    out.unresolved = unresolved;
    out.redispatch = redispatch;
    out.involved = involved;
    out.open_involved = open_involved;
    out.responsible_changed = responsible_changed;
    out.by_year = by_year;
    out.by_month = by_month
        .into_iter()
        .map(|((y, m), n)| (format!("{y:04}-{m:02}"), n))
        .collect();
    for ((kind, major, minor), n) in by_class {
        let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
        let class = format!("{} {}-{}", dash(kind), dash(major), dash(minor));
        *out.by_class.entry(class).or_insert(0) += n;
    }
    // Per changed old grid.
    if let Some(d) = cs.layer(LayerKind::Grids) {
        for g in d.changed() {
            for &o in &g.old {
                let code = &d.old_codes[o];
                let (cases, open) = per_grid.get(code.as_str()).copied().unwrap_or_default();
                out.by_grid.push(GridImpact {
                    code: code.clone(),
                    relation: g.relation,
                    new_codes: g.new.iter().map(|&n| d.new_codes[n].clone()).collect(),
                    cases,
                    open,
                });
            }
        }
        out.by_grid.sort_by(|a, b| a.code.cmp(&b.code));
    }
    let street_names = unit_names(old, new, LayerKind::Streets);
    let community_names = unit_names(old, new, LayerKind::Communities);
    out.by_community = units(remap, 1, &community_names);
    out.by_street = units(remap, 2, &street_names);
    out.window_total = window_total;
    // Areas from the grids, per street.
    for row in streets {
        let t = towns.entry(&row.code).or_default();
        t.area_old = row.old_area;
        t.area_new = row.new_area;
    }
    let mut towns: Vec<Town> = towns
        .into_iter()
        .map(|(code, mut t)| {
            t.name = street_names.get(code).cloned().unwrap_or_default();
            t.population = populations.and_then(|p| p.by_street.get(code).copied());
            t.code = code.to_string();
            t
        })
        .collect();
    if let Some(p) = populations {
        let total_pop: f64 = p.by_street.values().sum();
        let (area_old, area_new): (f64, f64) = towns
            .iter()
            .fold((0.0, 0.0), |a, t| (a.0 + t.area_old, a.1 + t.area_new));
        let total = window_total as f64;
        let base = |pop: f64, area: f64, total_area: f64| {
            let by_pop = if total_pop > 0.0 {
                total / total_pop * pop * 0.6
            } else {
                0.0
            };
            let by_area = if total_area > 0.0 {
                total / total_area * area * 0.4
            } else {
                0.0
            };
            by_pop + by_area
        };
        for t in &mut towns {
            let pop = t.population.unwrap_or(0.0);
            t.quota_old = Some(base(pop, t.area_old, area_old));
            t.quota_new = Some(base(pop, t.area_new, area_new));
        }
    }
    out.towns = towns;
    out
}
