//! The workload of the duty layers (责任网格工作量): per duty grid and per team, before and
//! after — area, unit grids, components, cases per year — and each case's old and new duty
//! grid. The seed's "balanced load" (均衡负荷) principle: the teams that gain or lose the most
//! are named first.
//!
//! A unit grid belongs to the duty grid its interior point lies in (validate's
//! `DUTY-GRID-SPLIT` reports one that several share); a component to the one its point lies
//! in; a case to the duty grid of its unit grid — before: the old grid it was filed under;
//! after: the new grid it was remapped to.

use std::collections::{BTreeMap, HashMap};

use foldhash::fast::FixedState;
use rayon::prelude::*;

use chrono::Datelike;
use geo::{Coord, InteriorPoint};
use serde::Serialize;

use crate::diff::{active_geometries, ChangeSet, LayerDiff};
use crate::index::{locate, EnvelopeIndex, Location};
use crate::measure::Measure;
use crate::model::{BoundLayer, Dataset, LayerKind};
use crate::remap::Remap;

use super::{group_changes, GroupChange};

/// One side's load of a duty grid or a team.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Load {
    /// Area (m²).
    pub area: f64,
    /// Unit grids.
    pub grids: usize,
    /// Components.
    pub components: usize,
    /// Historical cases.
    pub cases: usize,
    /// Cases per year: `cases` over the calendar years the cases span.
    pub per_year: f64,
}

/// A duty grid's or a team's load, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadRow {
    /// The duty grid's code, or the team.
    pub key: String,
    /// The duty grid's team (last year's when it is gone), empty for a team row.
    pub team: String,
    /// Last year's load (`None`: no such duty grid or team).
    pub before: Option<Load>,
    /// This year's.
    pub after: Option<Load>,
}

impl LoadRow {
    fn side(v: Option<Load>) -> Load {
        v.unwrap_or_default()
    }

    /// After minus before.
    pub fn delta(&self) -> Load {
        let (b, a) = (Self::side(self.before), Self::side(self.after));
        Load {
            area: a.area - b.area,
            grids: 0,
            components: 0,
            cases: 0,
            per_year: a.per_year - b.per_year,
        }
    }

    /// Change of unit grids.
    pub fn grids_delta(&self) -> i64 {
        Self::side(self.after).grids as i64 - Self::side(self.before).grids as i64
    }

    /// Change of components.
    pub fn components_delta(&self) -> i64 {
        Self::side(self.after).components as i64 - Self::side(self.before).components as i64
    }
}

/// A case whose duty grid or team changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DutyCase {
    /// Index into the remap's cases.
    pub case: usize,
    /// Old duty grid and team.
    pub old: (Option<String>, Option<String>),
    /// New duty grid and team.
    pub new: (Option<String>, Option<String>),
}

/// The workload of one duty layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workload {
    /// The duty layer.
    pub layer: LayerKind,
    /// Its changed groups (lineage).
    pub changes: Vec<GroupChange>,
    /// The calendar years the cases span (first to last, at least 1).
    pub years: usize,
    /// Per team, those that gain or lose the most first (cases per year, then unit grids,
    /// then area, then name).
    pub teams: Vec<LoadRow>,
    /// Per duty grid, in code order.
    pub grids: Vec<LoadRow>,
    /// The cases whose duty grid or team changes, in case id order.
    pub moving: Vec<DutyCase>,
}

/// One version's duty layer located: each duty grid's code, team, area; the duty grid of
/// each unit grid (by code) and of each component.
struct Side<'a> {
    codes: Vec<String>,
    teams: Vec<String>,
    loads: Vec<Load>,
    of_grid: HashMap<&'a str, usize, FixedState>,
}

/// "No index" in the per-case tables.
const NONE: u32 = u32::MAX;

fn index(k: Option<&usize>) -> u32 {
    k.map_or(NONE, |&k| k as u32)
}

/// Each case's unit grids as the duty layers look them up, worked out once for all of them:
/// its old grid (as filed) as an index into the old grids' distinct codes, its new grid as a
/// feature index of the new grids (the remap's). 8 bytes a case.
struct CaseGrids<'a> {
    /// The old unit grids' distinct codes.
    old_codes: Vec<&'a str>,
    /// Each new unit grid's code, by feature index.
    new_codes: Vec<Option<&'a str>>,
    /// Per case: the index of its old grid's code in `old_codes`, and its new grid.
    cases: Vec<(u32, u32)>,
}

impl<'a> CaseGrids<'a> {
    fn new(old: &[(&'a str, Coord)], new: &'a Dataset, remap: &Remap) -> CaseGrids<'a> {
        let mut id: HashMap<&str, u32, FixedState> = HashMap::default();
        let mut old_codes = Vec::new();
        for &(code, _) in old {
            id.entry(code).or_insert_with(|| {
                old_codes.push(code);
                (old_codes.len() - 1) as u32
            });
        }
        let new_codes = new.layer(LayerKind::Grids).map_or_else(Vec::new, |g| {
            let code = g.field("code");
            (0..g.len()).map(|k| code.text(k)).collect()
        });
        let cases = (0..remap.len())
            .into_par_iter()
            .map(|case| {
                let filed = remap.grid(case).and_then(|(filed, _)| filed);
                let new = remap.new_grid(case).map_or(NONE, |k| k as u32);
                (filed.and_then(|c| id.get(c)).map_or(NONE, |&i| i), new)
            })
            .collect();
        CaseGrids {
            old_codes,
            new_codes,
            cases,
        }
    }
}

fn text(layer: &BoundLayer, i: usize, field: &str) -> Option<String> {
    layer
        .get(i, field)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Where a version's unit grids and components are, found once for every duty layer.
struct Points<'a> {
    /// Each unit grid's code and interior point.
    grids: Vec<(&'a str, Coord)>,
    /// Each component's point.
    components: Vec<Coord>,
}

impl<'a> Points<'a> {
    /// The points of `ds`, in parallel; retired grids and components take no part, as in
    /// `diff`.
    fn of(ds: &'a Dataset) -> Points<'a> {
        let grids = ds.layer(LayerKind::Grids).map_or_else(Vec::new, |grids| {
            let code = grids.field("code");
            let geometries = active_geometries(grids, ds.manifest.effective);
            (0..grids.len())
                .into_par_iter()
                .filter_map(|i| {
                    let inner = crate::geom::interior_point(geometries[i].as_ref()?)?;
                    Some((code.text(i)?, inner))
                })
                .filter(|(_, c)| c.x.is_finite() && c.y.is_finite())
                .collect()
        });
        let components = ds
            .layer(LayerKind::Components)
            .map_or_else(Vec::new, |comps| {
                active_geometries(comps, ds.manifest.effective)
                    .par_iter()
                    .filter_map(|g| Some(g.as_ref()?.interior_point()?.0))
                    .filter(|c| c.x.is_finite() && c.y.is_finite())
                    .collect()
            });
        Points { grids, components }
    }
}

fn side<'a>(ds: &'a Dataset, duty: &BoundLayer, measure: Measure, points: &Points<'a>) -> Side<'a> {
    // Retired duty grids, unit grids and components take no part, as in `diff`.
    let geometries = active_geometries(duty, ds.manifest.effective);
    let index = EnvelopeIndex::for_points(&geometries);
    let n = duty.len();
    let mut loads: Vec<Load> = (0..n)
        .map(|i| Load {
            area: geometries[i].as_ref().map_or(0.0, |g| measure.area(g)),
            ..Load::default()
        })
        .collect();
    let at = |p: Coord| -> Option<usize> {
        match locate(p, &index, &geometries) {
            Location::Inside(k) => Some(k),
            Location::OnBoundary(ks) => ks.first().copied(),
            Location::Outside => None,
        }
    };
    let mut of_grid = HashMap::default();
    let located: Vec<Option<usize>> = points.grids.par_iter().map(|&(_, p)| at(p)).collect();
    for (&(code, _), k) in points.grids.iter().zip(located) {
        if let Some(k) = k {
            loads[k].grids += 1;
            of_grid.insert(code, k);
        }
    }
    let located: Vec<Option<usize>> = points.components.par_iter().map(|&p| at(p)).collect();
    for k in located.into_iter().flatten() {
        loads[k].components += 1;
    }
    Side {
        codes: (0..n).map(|i| duty.key(i)).collect(),
        teams: (0..n)
            .map(|i| text(duty, i, "team").unwrap_or_default())
            .collect(),
        loads,
        of_grid,
    }
}

/// The workload of every duty layer in both versions.
pub fn build(old: &Dataset, new: &Dataset, cs: &ChangeSet, remap: &Remap) -> Vec<Workload> {
    let mut out = Vec::new();
    if cs.duty_layers().next().is_none() {
        return out;
    }
    let years = {
        let span = remap
            .dates()
            .flatten()
            .map(|d| d.year())
            .fold(None, |span, y| match span {
                None => Some((y, y)),
                Some((a, b)) => Some((y.min(a), y.max(b))),
            });
        span.map_or(1, |(a, b)| (b - a + 1) as usize)
    };
    let points = rayon::join(|| Points::of(old), || Points::of(new));
    let case_grids = CaseGrids::new(&points.0.grids, new, remap);
    for d in cs.duty_layers() {
        let (Some(ol), Some(nl)) = (old.layer(d.layer), new.layer(d.layer)) else {
            continue;
        };
        let (o, n) = rayon::join(
            || side(old, ol, cs.measure, &points.0),
            || side(new, nl, cs.measure, &points.1),
        );
        out.push(layer(o, n, d, remap, &case_grids, years));
    }
    out
}

fn layer<'a>(
    mut o: Side<'a>,
    mut n: Side<'a>,
    d: &LayerDiff,
    remap: &Remap,
    case_grids: &CaseGrids,
    years: usize,
) -> Workload {
    // Each case's duty grid before (its old unit grid's) and after (its new one's): the
    // duty grid of each old grid code and of each new grid, then one array read a case.
    let old_duty: Vec<u32> = case_grids
        .old_codes
        .iter()
        .map(|c| index(o.of_grid.get(c)))
        .collect();
    let new_duty: Vec<u32> = case_grids
        .new_codes
        .iter()
        .map(|c| c.map_or(NONE, |c| index(n.of_grid.get(c))))
        .collect();
    let at = |table: &[u32], k: u32| table.get(k as usize).copied().unwrap_or(NONE);
    let duty: Vec<(u32, u32)> = case_grids
        .cases
        .par_iter()
        .map(|&(old, new)| (at(&old_duty, old), at(&new_duty, new)))
        .collect();
    let mut moving = Vec::new();
    for (case, (before, after)) in duty.into_iter().enumerate() {
        let before = (before != NONE).then_some(before as usize);
        let after = (after != NONE).then_some(after as usize);
        if let Some(k) = before {
            o.loads[k].cases += 1;
        }
        if let Some(k) = after {
            n.loads[k].cases += 1;
        }
        let old_pair = (before.map(|k| &o.codes[k]), before.map(|k| &o.teams[k]));
        let new_pair = (after.map(|k| &n.codes[k]), after.map(|k| &n.teams[k]));
        if old_pair != new_pair {
            moving.push((remap.id(case).unwrap_or_default(), case, before, after));
        }
    }
    moving.sort_unstable();
    let moving: Vec<DutyCase> = moving
        .into_iter()
        .map(|(_, case, before, after)| DutyCase {
            case,
            old: (
                before.map(|k| o.codes[k].clone()),
                before.map(|k| o.teams[k].clone()),
            ),
            new: (
                after.map(|k| n.codes[k].clone()),
                after.map(|k| n.teams[k].clone()),
            ),
        })
        .collect();
    for s in [&mut o, &mut n] {
        for l in &mut s.loads {
            l.per_year = l.cases as f64 / years as f64;
        }
    }
    // Per duty grid, by code.
    let mut grids: BTreeMap<String, LoadRow> = BTreeMap::new();
    for (s, after) in [(&o, false), (&n, true)] {
        for (k, code) in s.codes.iter().enumerate() {
            let row = grids.entry(code.clone()).or_insert_with(|| LoadRow {
                key: code.clone(),
                team: s.teams[k].clone(),
                before: None,
                after: None,
            });
            if after {
                row.after = Some(s.loads[k]);
                if !s.teams[k].is_empty() {
                    row.team = s.teams[k].clone();
                }
            } else {
                row.before = Some(s.loads[k]);
            }
        }
    }
    // Per team: the sums of its duty grids.
    let mut teams: BTreeMap<String, LoadRow> = BTreeMap::new();
    for (s, after) in [(&o, false), (&n, true)] {
        for (k, team) in s.teams.iter().enumerate() {
            let row = teams.entry(team.clone()).or_insert_with(|| LoadRow {
                key: team.clone(),
                team: String::new(),
                before: None,
                after: None,
            });
            let slot = if after {
                &mut row.after
            } else {
                &mut row.before
            };
            let sum = slot.get_or_insert_with(Load::default);
            let l = s.loads[k];
            sum.area += l.area;
            sum.grids += l.grids;
            sum.components += l.components;
            sum.cases += l.cases;
            sum.per_year += l.per_year;
        }
    }
    let mut teams: Vec<LoadRow> = teams.into_values().collect();
    teams.sort_by(|a, b| {
        b.delta()
            .per_year
            .abs()
            .total_cmp(&a.delta().per_year.abs())
            .then(b.grids_delta().abs().cmp(&a.grids_delta().abs()))
            .then(b.delta().area.abs().total_cmp(&a.delta().area.abs()))
            .then(a.key.cmp(&b.key))
    });
    Workload {
        layer: d.layer,
        changes: group_changes(Some(d)),
        years,
        teams,
        grids: grids.into_values().collect(),
        moving,
    }
}
