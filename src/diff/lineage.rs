//! Polygon lineage (网格变更谱系): which old grids became which new ones, from overlap shares.
//!
//! For every old × new pair whose envelopes meet (an R-tree join), the intersection area
//! gives `share_old = A∩ / A_old` and `share_new = A∩ / A_new`. Pairs under the noise floor
//! (area below `lineage_min_area_m2`, or both shares below `lineage_min_share`) are dropped
//! as digitising noise. Each connected component of the remaining bipartite graph is one
//! group with one relation. Identity first: a feature whose code survives and whose old and
//! new shapes hold the largest mutual share keeps its identity, so a boundary moved between
//! two neighbours that keep their codes makes both *reshaped* (the transferred piece is a
//! crosswalk row of its own); a group with any feature outside such an identity pair is a
//! split (1:N), merge (N:1) or reorganisation (N:M) — even when a piece keeps its code.

use std::collections::{BTreeMap, BTreeSet};

use geo::{BooleanOps, Geometry};
use rayon::prelude::*;
use serde::Serialize;

use super::hausdorff::vertex_hausdorff;

/// The largest share of either feature a piece handed between two features may hold and
/// still be a boundary adjustment rather than a reorganisation of the two (see [`lineage_with`]).
const TRANSFER_SHARE: f64 = 0.1;

use crate::error::Problem;
use crate::geom::{as_multi, polygons};
use crate::index::{pair_budget, EnvelopeIndex};
use crate::measure::Measure;
use crate::progress::Bar;
use crate::schema::Thresholds;

/// How a group of features changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// 未变更 — same code, same shape within the noise floor.
    Unchanged,
    /// 边界调整 — same code, 1:1, shape changed (or a piece moved between two survivors).
    Reshaped,
    /// 重新编码 — 1:1, another code (same community and street).
    Recoded,
    /// 调整所属社区/街道 — 1:1, the code's community or street part changed.
    #[serde(rename = "re-parented")]
    Reparented,
    /// 拆分 — one old feature became several (1:N).
    Split,
    /// 合并 — several old features became one (N:1).
    Merged,
    /// 重组 — several became several (N:M).
    Reorganised,
    /// 新增 — no old counterpart.
    Added,
    /// 撤销 — no new counterpart.
    Removed,
}

impl Relation {
    /// Every relation, in report order.
    pub const ALL: [Relation; 9] = [
        Relation::Unchanged,
        Relation::Reshaped,
        Relation::Recoded,
        Relation::Reparented,
        Relation::Split,
        Relation::Merged,
        Relation::Reorganised,
        Relation::Added,
        Relation::Removed,
    ];

    /// The id used in files (`split`, `re-parented`, …).
    pub fn id(self) -> &'static str {
        match self {
            Relation::Unchanged => "unchanged",
            Relation::Reshaped => "reshaped",
            Relation::Recoded => "recoded",
            Relation::Reparented => "re-parented",
            Relation::Split => "split",
            Relation::Merged => "merged",
            Relation::Reorganised => "reorganised",
            Relation::Added => "added",
            Relation::Removed => "removed",
        }
    }

    /// The Chinese term.
    pub fn chinese(self) -> &'static str {
        match self {
            Relation::Unchanged => "未变更",
            Relation::Reshaped => "边界调整",
            Relation::Recoded => "重新编码",
            Relation::Reparented => "调整所属社区",
            Relation::Split => "拆分",
            Relation::Merged => "合并",
            Relation::Reorganised => "重组",
            Relation::Added => "新增",
            Relation::Removed => "撤销",
        }
    }

    /// The relation seen from the other side (`diff(B, A)` of `diff(A, B)`).
    pub fn inverse(self) -> Relation {
        match self {
            Relation::Split => Relation::Merged,
            Relation::Merged => Relation::Split,
            Relation::Added => Relation::Removed,
            Relation::Removed => Relation::Added,
            r => r,
        }
    }
}

/// One version of a polygon layer, as the lineage needs it.
#[derive(Debug, Clone)]
pub struct Side<'a> {
    /// Codes (empty text for a feature without one).
    pub codes: Vec<&'a str>,
    /// Geometries; `None` for features that take no part (null, invalid, retired).
    pub geometries: Vec<Option<&'a Geometry>>,
    /// The parent part of each code (community or street), for re-parenting.
    pub parents: Vec<Option<&'a str>>,
}

/// An old × new pair with a real intersection (a crosswalk row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// Old feature index.
    pub old: usize,
    /// New feature index.
    pub new: usize,
    /// Intersection area (m²).
    pub area: f64,
    /// Share of the old feature's area.
    pub share_old: f64,
    /// Share of the new feature's area.
    pub share_new: f64,
    /// The row's relation.
    pub relation: Relation,
}

/// A connected group of old and new features with one relation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The relation.
    pub relation: Relation,
    /// Old features, by index, in code order.
    pub old: Vec<usize>,
    /// New features, by index, in code order.
    pub new: Vec<usize>,
    /// Some shape changed.
    pub reshaped: bool,
    /// Some code changed.
    pub recoded: bool,
    /// Some code's community/street part changed.
    pub reparented: bool,
    /// For 1:1 groups: new area − old area (m²).
    pub area_change: Option<f64>,
    /// For 1:1 groups: the (vertex) Hausdorff distance between the shapes (m).
    pub hausdorff: Option<f64>,
}

/// The lineage of one polygon layer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Lineage {
    /// Areas of the old features (m²; 0 for those that take no part).
    pub old_area: Vec<f64>,
    /// Areas of the new features.
    pub new_area: Vec<f64>,
    /// Pairs above the noise floor, sorted by (old, new).
    pub pairs: Vec<Pair>,
    /// Groups, sorted by their first old (else new) code.
    pub groups: Vec<Group>,
    /// Per old feature, its group (`None` if it takes no part).
    pub old_group: Vec<Option<usize>>,
    /// Per new feature, its group.
    pub new_group: Vec<Option<usize>>,
}

/// Whether two polygonal geometries are the same set of rings, whatever each ring's start
/// vertex and direction (a fast path before any boolean operation).
pub fn same_shape(a: &Geometry, b: &Geometry) -> bool {
    let (pa, pb) = (polygons(a), polygons(b));
    if pa.len() != pb.len() {
        return false;
    }
    pa.iter().zip(pb.iter()).all(|(x, y)| {
        x.interiors().len() == y.interiors().len()
            && same_ring(&x.exterior().0, &y.exterior().0)
            && x.interiors()
                .iter()
                .zip(y.interiors())
                .all(|(r, s)| same_ring(&r.0, &s.0))
    })
}

fn open_ring(r: &[geo::Coord]) -> &[geo::Coord] {
    if r.len() > 1 && r.first() == r.last() {
        &r[..r.len() - 1]
    } else {
        r
    }
}

fn same_ring(a: &[geo::Coord], b: &[geo::Coord]) -> bool {
    crate::geom::same_cycle(open_ring(a), open_ring(b))
}

struct Graph {
    parent: Vec<usize>,
}

impl Graph {
    fn new(n: usize) -> Graph {
        Graph {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

/// Computes the lineage between two versions of a polygon layer; refused
/// ([`Problem::VersionsCrossed`]) when their envelopes meet in more old × new pairs than
/// [`pair_budget`] allows for both layers together.
pub fn lineage(
    old: &Side,
    new: &Side,
    measure: Measure,
    t: &Thresholds,
) -> Result<Lineage, Problem> {
    lineage_with(old, new, measure, t, &|_| Bar::hidden())
}

/// [`lineage`], counting the old × new candidate pairs measured on the bar `bar` makes
/// (given how many there are).
pub fn lineage_with(
    old: &Side,
    new: &Side,
    measure: Measure,
    t: &Thresholds,
    bar: &dyn Fn(u64) -> Bar,
) -> Result<Lineage, Problem> {
    let area = |g: &Option<&Geometry>| g.map_or(0.0, |g| measure.area(g));
    let old_area: Vec<f64> = old.geometries.par_iter().map(area).collect();
    let new_area: Vec<f64> = new.geometries.par_iter().map(area).collect();
    let owned =
        |s: &Side| -> Vec<Option<Geometry>> { s.geometries.iter().map(|g| g.cloned()).collect() };
    let (oi, ni) = (
        EnvelopeIndex::new(&owned(old)),
        EnvelopeIndex::new(&owned(new)),
    );
    let budget = pair_budget(oi.len() + ni.len());
    if oi.pairs_with_exceed(&ni, budget) {
        return Err(Problem::VersionsCrossed {
            old: oi.len(),
            new: ni.len(),
            budget,
        });
    }
    let candidates = oi.pairs_with(&ni);
    let bar = bar(candidates.len() as u64);
    let measured: Vec<Option<(usize, usize, f64)>> = candidates
        .par_iter()
        .enumerate()
        .map(|(k, &(o, n))| {
            bar.tick(k);
            let (a, b) = (old.geometries[o]?, new.geometries[n]?);
            let int = if same_shape(a, b) {
                old_area[o]
            } else {
                measure.area(&Geometry::MultiPolygon(
                    as_multi(a).intersection(&as_multi(b)),
                ))
            };
            Some((o, n, int))
        })
        .collect();
    let mut pairs: Vec<Pair> = measured
        .into_iter()
        .flatten()
        .filter_map(|(o, n, int)| {
            let so = if old_area[o] > 0.0 {
                (int / old_area[o]).min(1.0)
            } else {
                0.0
            };
            let sn = if new_area[n] > 0.0 {
                (int / new_area[n]).min(1.0)
            } else {
                0.0
            };
            let noise = int < t.lineage_min_area_m2 || so.max(sn) < t.lineage_min_share;
            (!noise).then_some(Pair {
                old: o,
                new: n,
                area: int,
                share_old: so,
                share_new: sn,
                relation: Relation::Unchanged,
            })
        })
        .collect();
    pairs.sort_by_key(|p| (p.old, p.new));

    // Identity pairs: same code, each the other's partner of largest share. Of two partners
    // with equal shares (a grid split in exact halves) the namesake is the larger, so the
    // answer does not hang on which comes first in the file.
    let namesakes = |o: usize, n: usize| !old.codes[o].is_empty() && old.codes[o] == new.codes[n];
    let mut best_old: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
    let mut best_new: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
    for p in &pairs {
        let named = namesakes(p.old, p.new);
        let e = best_old.entry(p.old).or_insert((-1.0, usize::MAX));
        if p.share_old > e.0 || (p.share_old == e.0 && named && !namesakes(p.old, e.1)) {
            *e = (p.share_old, p.new);
        }
        let e = best_new.entry(p.new).or_insert((-1.0, usize::MAX));
        if p.share_new > e.0 || (p.share_new == e.0 && named && !namesakes(e.1, p.new)) {
            *e = (p.share_new, p.old);
        }
    }
    let identity = |p: &Pair| {
        namesakes(p.old, p.new)
            && best_old.get(&p.old).map(|b| b.1) == Some(p.new)
            && best_new.get(&p.new).map(|b| b.1) == Some(p.old)
    };
    let is_identity: Vec<bool> = pairs.iter().map(identity).collect();
    let mut old_id = vec![false; old.codes.len()];
    let mut new_id = vec![false; new.codes.len()];
    for (p, &id) in pairs.iter().zip(&is_identity) {
        if id {
            old_id[p.old] = true;
            new_id[p.new] = true;
        }
    }

    // A small piece: handed between two features, the larger part of neither.
    let small = |p: &Pair| {
        best_old.get(&p.old).map(|b| b.1) != Some(p.new)
            && best_new.get(&p.new).map(|b| b.1) != Some(p.old)
            && p.share_old.max(p.share_new) < TRANSFER_SHARE
    };
    // Connected components: nodes 0..n_old are old features, then new ones.
    let n_old = old.codes.len();
    // First of the pairs that are not small pieces: what each feature is part of besides
    // them, and whether every feature there keeps its identity (it stays, or its boundary
    // moves) or some do not (a recode, a split, a merge or more).
    let mut major = Graph::new(n_old + new.codes.len());
    for p in pairs.iter().filter(|p| !small(p)) {
        major.union(p.old, n_old + p.new);
    }
    let mut major_kept = vec![true; n_old + new.codes.len()];
    for v in 0..major_kept.len() {
        let kept = if v < n_old {
            old_id[v]
        } else {
            new_id[v - n_old]
        };
        let root = major.find(v);
        major_kept[root] &= kept;
    }
    let mut graph = Graph::new(n_old + new.codes.len());
    let mut is_transfer = vec![false; pairs.len()];
    for (p, transferred) in pairs.iter().zip(&mut is_transfer) {
        // A small piece between two parts of the change, one of which holds a feature that
        // does not keep its identity: a boundary adjustment beside a recode, a split or a
        // merge, not a reorganisation of the two. It is a row of its own, reshaping both.
        // Between neighbours that all keep their identity it joins them: all reshaped.
        let transfer = small(p) && {
            let (a, b) = (major.find(p.old), major.find(n_old + p.new));
            a != b && !(major_kept[a] && major_kept[b])
        };
        if transfer {
            *transferred = true;
        } else {
            graph.union(p.old, n_old + p.new);
        }
    }
    let mut members: BTreeMap<usize, (BTreeSet<usize>, BTreeSet<usize>)> = BTreeMap::new();
    for (o, g) in old.geometries.iter().enumerate() {
        if g.is_some() {
            members.entry(graph.find(o)).or_default().0.insert(o);
        }
    }
    for (n, g) in new.geometries.iter().enumerate() {
        if g.is_some() {
            members
                .entry(graph.find(n_old + n))
                .or_default()
                .1
                .insert(n);
        }
    }
    let mut by_root: BTreeMap<usize, usize> = BTreeMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for (root, (os, ns)) in &members {
        let os: Vec<usize> = os.iter().copied().collect();
        let ns: Vec<usize> = ns.iter().copied().collect();
        let all_identity = os.iter().all(|&o| old_id[o]) && ns.iter().all(|&n| new_id[n]);
        let recoded = {
            let a: BTreeSet<&str> = os.iter().map(|&o| old.codes[o]).collect();
            let b: BTreeSet<&str> = ns.iter().map(|&n| new.codes[n]).collect();
            a != b
        };
        let reparented = {
            let a: BTreeSet<Option<&str>> = os.iter().map(|&o| old.parents[o]).collect();
            let b: BTreeSet<Option<&str>> = ns.iter().map(|&n| new.parents[n]).collect();
            !os.is_empty() && !ns.is_empty() && a != b
        };
        // Shape: one old and one new feature whose pair holds both but for the noise floor is
        // unchanged (a strip either handed elsewhere is above the floor, so it counts); the
        // same seen from either version.
        let reshaped = match (os.as_slice(), ns.as_slice()) {
            ([o], [n]) => {
                // `pairs` is sorted by old feature: the old feature's rows are one run.
                let start = pairs.partition_point(|p| p.old < *o);
                let end = pairs.partition_point(|p| p.old <= *o);
                !pairs[start..end]
                    .iter()
                    .find(|p| p.new == *n)
                    .is_some_and(|p| unchanged_pair(p, &old_area, &new_area, t))
            }
            _ => true,
        };
        let relation = match (os.len(), ns.len()) {
            (0, _) => Relation::Added,
            (_, 0) => Relation::Removed,
            _ if all_identity => {
                if reshaped {
                    Relation::Reshaped
                } else {
                    Relation::Unchanged
                }
            }
            (1, 1) if reparented => Relation::Reparented,
            (1, 1) => Relation::Recoded,
            (1, _) => Relation::Split,
            (_, 1) => Relation::Merged,
            _ => Relation::Reorganised,
        };
        let (area_change, hausdorff) = match (os.as_slice(), ns.as_slice()) {
            ([o], [n]) => {
                let (a, b) = (old.geometries[*o], new.geometries[*n]);
                // The distance itself is measured below, for every group at once.
                let h = match (a, b) {
                    (Some(_), Some(_)) => Some(0.0),
                    _ => None,
                };
                (Some(new_area[*n] - old_area[*o]), h)
            }
            _ => (None, None),
        };
        by_root.insert(*root, groups.len());
        groups.push(Group {
            relation,
            old: os,
            new: ns,
            reshaped: reshaped && relation != Relation::Added && relation != Relation::Removed,
            recoded: recoded && relation != Relation::Added && relation != Relation::Removed,
            reparented,
            area_change,
            hausdorff,
        });
    }
    // Each 1:1 group's Hausdorff distance, in parallel, where the shapes differ.
    let distances: Vec<Option<f64>> = groups
        .par_iter()
        .map(
            |g| match (g.old.as_slice(), g.new.as_slice(), g.hausdorff) {
                ([o], [n], Some(_)) => {
                    let (a, b) = (old.geometries[*o]?, new.geometries[*n]?);
                    (!same_shape(a, b)).then(|| vertex_hausdorff(a, b, measure))
                }
                _ => None,
            },
        )
        .collect();
    for (g, d) in groups.iter_mut().zip(distances) {
        if let Some(d) = d {
            g.hausdorff = Some(d);
        }
    }
    // Row relations: the group's, except inside a reshaped group, where an identity pair is
    // unchanged or reshaped on its own and a transferred piece is reshaped.
    for ((p, &id), &transfer) in pairs.iter_mut().zip(&is_identity).zip(&is_transfer) {
        let g = &groups[by_root[&graph.find(p.old)]];
        p.relation = if transfer {
            Relation::Reshaped
        } else if g.relation == Relation::Reshaped
            && id
            && unchanged_pair(p, &old_area, &new_area, t)
        {
            Relation::Unchanged
        } else {
            g.relation
        };
    }
    // Order groups by their first code (old, else new) for stable reports.
    let key = |g: &Group| {
        let o = g.old.first().map(|&i| old.codes[i]).unwrap_or("");
        let n = g.new.first().map(|&i| new.codes[i]).unwrap_or("");
        (o.to_string(), n.to_string())
    };
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&i| key(&groups[i]));
    let mut rank = vec![0; groups.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut sorted: Vec<Option<Group>> = vec![None; groups.len()];
    for (i, g) in groups.into_iter().enumerate() {
        sorted[rank[i]] = Some(g);
    }
    let mut groups: Vec<Group> = sorted.into_iter().flatten().collect();
    for g in &mut groups {
        g.old.sort_by_key(|&i| old.codes[i]);
        g.new.sort_by_key(|&i| new.codes[i]);
    }
    let mut old_group = vec![None; old.codes.len()];
    let mut new_group = vec![None; new.codes.len()];
    for (gi, g) in groups.iter().enumerate() {
        for &o in &g.old {
            old_group[o] = Some(gi);
        }
        for &n in &g.new {
            new_group[n] = Some(gi);
        }
    }
    Ok(Lineage {
        old_area,
        new_area,
        pairs,
        groups,
        old_group,
        new_group,
    })
}

/// A pair whose two features differ by less than the noise floor on either side.
fn unchanged_pair(p: &Pair, old_area: &[f64], new_area: &[f64], t: &Thresholds) -> bool {
    old_area[p.old] - p.area < t.lineage_min_area_m2
        && new_area[p.new] - p.area < t.lineage_min_area_m2
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, polygon, Rect};

    fn sq(x: f64, y: f64, w: f64, h: f64) -> Geometry {
        Rect::new(coord! {x: x, y: y}, coord! {x: x + w, y: y + h})
            .to_polygon()
            .into()
    }

    fn run(old: &[(&str, Geometry)], new: &[(&str, Geometry)]) -> Lineage {
        let (oc, og): (Vec<&str>, Vec<&Geometry>) = old.iter().map(|(c, g)| (*c, g)).unzip();
        let (nc, ng): (Vec<&str>, Vec<&Geometry>) = new.iter().map(|(c, g)| (*c, g)).unzip();
        let o = Side {
            parents: oc.iter().map(|c| Some(&c[..1])).collect(),
            codes: oc,
            geometries: og.into_iter().map(Some).collect(),
        };
        let n = Side {
            parents: nc.iter().map(|c| Some(&c[..1])).collect(),
            codes: nc,
            geometries: ng.into_iter().map(Some).collect(),
        };
        lineage(&o, &n, Measure::Planar, &Thresholds::default()).expect("few pairs")
    }

    #[test]
    fn versions_crossing_in_more_pairs_than_the_budget_are_refused() {
        // 400 strips across and 400 down: each layer meets its neighbours only, the two
        // versions 160,000 times (64 × 800 + 100,000 = 151,200 allowed). 100 and 100 pass.
        fn strips(n: usize, across: bool) -> Vec<(String, Geometry)> {
            (0..n)
                .map(|i| {
                    let (a, b) = (i as f64, i as f64 + 1.0);
                    let (lo, hi) = (coord! {x: a, y: 0.0}, coord! {x: b, y: n as f64});
                    let r = if across {
                        Rect::new(coord! {x: lo.y, y: lo.x}, coord! {x: hi.y, y: hi.x})
                    } else {
                        Rect::new(lo, hi)
                    };
                    (format!("1{i:04}"), r.to_polygon().into())
                })
                .collect()
        }
        fn side(v: &[(String, Geometry)]) -> Side<'_> {
            Side {
                codes: v.iter().map(|(c, _)| c.as_str()).collect(),
                geometries: v.iter().map(|(_, g)| Some(g)).collect(),
                parents: v.iter().map(|_| Some("1")).collect(),
            }
        }
        let (old, new) = (strips(400, true), strips(400, false));
        match lineage(
            &side(&old),
            &side(&new),
            Measure::Planar,
            &Thresholds::default(),
        ) {
            Err(Problem::VersionsCrossed { old, new, budget }) => {
                assert_eq!((old, new, budget), (400, 400, 151_200))
            }
            other => panic!("{:?}", other.map(|l| l.pairs.len())),
        }
        let (old, new) = (strips(100, true), strips(100, false));
        let l = lineage(
            &side(&old),
            &side(&new),
            Measure::Planar,
            &Thresholds::default(),
        )
        .expect("within the budget");
        // Measured, and each crossing (1 m², under the 10 m² floor) is noise.
        assert_eq!(
            (l.old_area.len(), l.new_area.len(), l.pairs.len()),
            (100, 100, 0)
        );
    }

    fn relations(l: &Lineage) -> Vec<Relation> {
        l.groups.iter().map(|g| g.relation).collect()
    }

    #[test]
    fn the_basic_relations() {
        // unchanged, split with a piece keeping the code, merge into a survivor, added, removed
        let l = run(
            &[
                ("A1", sq(0., 0., 100., 100.)),
                ("A2", sq(100., 0., 100., 100.)),
                ("A3", sq(200., 0., 50., 100.)),
                ("A4", sq(250., 0., 50., 100.)),
                ("A9", sq(900., 0., 100., 100.)),
            ],
            &[
                ("A1", sq(0., 0., 100., 100.)),
                ("A2", sq(100., 0., 50., 100.)),
                ("A5", sq(150., 0., 50., 100.)),
                ("A3", sq(200., 0., 100., 100.)),
                ("A8", sq(500., 0., 100., 100.)),
            ],
        );
        assert_eq!(
            relations(&l),
            // groups in code order: the added one (no old code) first
            vec![
                Relation::Added,
                Relation::Unchanged,
                Relation::Split,
                Relation::Merged,
                Relation::Removed
            ]
        );
    }

    #[test]
    fn a_moved_boundary_reshapes_both() {
        let l = run(
            &[
                ("A1", sq(0., 0., 100., 100.)),
                ("A2", sq(100., 0., 100., 100.)),
            ],
            &[
                ("A1", sq(0., 0., 110., 100.)),
                ("A2", sq(110., 0., 90., 100.)),
            ],
        );
        assert_eq!(relations(&l), vec![Relation::Reshaped]);
        assert_eq!(l.groups[0].old.len(), 2);
        // the transferred piece is a row of its own
        let rows: Vec<(usize, usize, f64)> =
            l.pairs.iter().map(|p| (p.old, p.new, p.area)).collect();
        assert_eq!(
            rows,
            vec![(0, 0, 10_000.0), (1, 0, 1_000.0), (1, 1, 9_000.0)]
        );
    }

    #[test]
    fn a_split_beside_a_strip_to_the_neighbour_stays_a_split() {
        // A1 cut into A1 and A3, its last 5 m handed to A2: a split and a reshape, the strip
        // a row of its own. The same when A1 is cut in exact halves, in either file order.
        for (cut, a3_first) in [(55., false), (47.5, false), (47.5, true)] {
            let mut new = vec![
                ("A1", sq(0., 0., cut, 100.)),
                ("A3", sq(cut, 0., 95. - cut, 100.)),
                ("A2", sq(95., 0., 105., 100.)),
            ];
            if a3_first {
                new.swap(0, 1);
            }
            let l = run(
                &[
                    ("A1", sq(0., 0., 100., 100.)),
                    ("A2", sq(100., 0., 100., 100.)),
                ],
                &new,
            );
            let what = format!("cut at {cut}, A3 first: {a3_first}");
            assert_eq!(
                relations(&l),
                vec![Relation::Split, Relation::Reshaped],
                "{what}"
            );
            let code = |n: usize| new[n].0;
            let rows: Vec<(usize, &str, f64, Relation)> = l
                .pairs
                .iter()
                .map(|p| (p.old, code(p.new), p.area, p.relation))
                .collect();
            assert_eq!(
                rows,
                if a3_first {
                    vec![
                        (0, "A3", 100. * (95. - cut), Relation::Split),
                        (0, "A1", 100. * cut, Relation::Split),
                        (0, "A2", 500., Relation::Reshaped),
                        (1, "A2", 10_000., Relation::Reshaped),
                    ]
                } else {
                    vec![
                        (0, "A1", 100. * cut, Relation::Split),
                        (0, "A3", 100. * (95. - cut), Relation::Split),
                        (0, "A2", 500., Relation::Reshaped),
                        (1, "A2", 10_000., Relation::Reshaped),
                    ]
                },
                "{what}"
            );
        }
    }

    #[test]
    fn a_merge_or_a_split_beside_a_strip_to_a_neighbour_stays_one() {
        // A1 takes in A2 and hands its first 5 m to A3: a merge and a reshape.
        let merged = run(
            &[
                ("A1", sq(0., 0., 100., 100.)),
                ("A2", sq(100., 0., 50., 100.)),
                ("A3", sq(-100., 0., 100., 100.)),
            ],
            &[
                ("A1", sq(5., 0., 145., 100.)),
                ("A3", sq(-100., 0., 105., 100.)),
            ],
        );
        assert_eq!(
            relations(&merged),
            vec![Relation::Merged, Relation::Reshaped]
        );
        // A3 split into A3 (the larger piece, keeping the code) and A4, A3 taking a 5 m
        // strip of A1 besides: a reshape and a split, the strip a row of its own.
        let split = run(
            &[
                ("A1", sq(0., 0., 100., 100.)),
                ("A3", sq(-100., 0., 100., 100.)),
            ],
            &[
                ("A1", sq(5., 0., 95., 100.)),
                ("A3", sq(-60., 0., 65., 100.)),
                ("A4", sq(-100., 0., 40., 100.)),
            ],
        );
        assert_eq!(relations(&split), vec![Relation::Reshaped, Relation::Split]);
        let strip: Vec<(usize, usize, Relation)> = split
            .pairs
            .iter()
            .filter(|p| p.area == 500.)
            .map(|p| (p.old, p.new, p.relation))
            .collect();
        assert_eq!(strip, [(0, 1, Relation::Reshaped)]);
        // X hands 15 % to Z and a 5 m strip to Y, all keeping their codes: boundaries moved
        // between neighbours, one reshaped group of the three.
        let moved = run(
            &[
                ("A1", sq(0., 0., 100., 100.)),
                ("A2", sq(100., 0., 100., 100.)),
                ("A3", sq(-100., 0., 100., 100.)),
            ],
            &[
                ("A1", sq(5., 0., 110., 100.)),
                ("A2", sq(115., 0., 85., 100.)),
                ("A3", sq(-100., 0., 105., 100.)),
            ],
        );
        assert_eq!(relations(&moved), vec![Relation::Reshaped]);
        assert_eq!(moved.groups[0].old.len(), 3);
    }

    #[test]
    fn recoded_and_reparented_and_noise() {
        let l = run(
            &[
                ("A1", sq(0., 0., 100., 100.)),
                ("A2", sq(100., 0., 100., 100.)),
                ("A3", sq(200., 0., 100., 100.)),
            ],
            // A2 recoded A7; A3 moved to parent B; a 2 m² sliver between A1 and A7 is noise
            &[
                ("A1", sq(0., 0., 100.02, 100.)),
                ("A7", sq(100.02, 0., 99.98, 100.)),
                ("B3", sq(200., 0., 100., 100.)),
            ],
        );
        assert_eq!(
            relations(&l),
            vec![Relation::Unchanged, Relation::Recoded, Relation::Reparented]
        );
        // the 2 m² the recoded grid lost is below the noise floor: not reshaped
        assert!(!l.groups[1].reshaped);
        assert!(!l.groups[2].reshaped);
    }

    #[test]
    fn ring_start_and_direction_do_not_matter() {
        let a: Geometry =
            polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)].into();
        let b: Geometry =
            polygon![(x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 0.), (x: 0., y: 1.)].into();
        assert!(same_shape(&a, &b));
        assert!(!same_shape(&a, &sq(0., 0., 1., 2.)));
    }
}
