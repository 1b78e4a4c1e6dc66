//! Component changes (部件变更): matched by code, then unmatched ones of one class by
//! proximity (recoded), then of any class at the same place (reclassified); each matched
//! pair compared field by field, and the grid each lies in compared across the versions.

use std::collections::BTreeMap;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::hash_table::{Entry, HashTable};

use geo::{Coord, Geometry};
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::{Deserialize, Serialize};

use crate::index::{locate, EnvelopeIndex, Location};
use crate::measure::Measure;
use crate::model::{BoundLayer, FieldReader};
use crate::schema::Thresholds;

/// No index.
const NONE: u32 = u32::MAX;

/// What changed about a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// 新增 — only in the new version.
    Added,
    /// 删除 — only in the old version (or retired in the new one).
    Removed,
    /// 位置移动 — moved more than `component_moved_m`.
    Moved,
    /// 重新编码 — another code, same class and place.
    Recoded,
    /// 类型变更 — another class (and so another code) at the same place.
    Reclassified,
    /// 权属单位变更 — another owner.
    OwnerChanged,
    /// 主管部门变更 — another competent department.
    DepartmentChanged,
    /// 养护单位变更 — another maintainer.
    MaintainerChanged,
    /// 状态变更 — another status.
    StatusChanged,
    /// 所在网格变更 — it lies in a grid of another code.
    GridChanged,
}

impl Change {
    /// Every change, in report order.
    pub const ALL: [Change; 10] = [
        Change::Added,
        Change::Removed,
        Change::Moved,
        Change::Recoded,
        Change::Reclassified,
        Change::OwnerChanged,
        Change::DepartmentChanged,
        Change::MaintainerChanged,
        Change::StatusChanged,
        Change::GridChanged,
    ];

    /// The id used in files (`owner-changed`, …).
    pub fn id(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Moved => "moved",
            Change::Recoded => "recoded",
            Change::Reclassified => "reclassified",
            Change::OwnerChanged => "owner-changed",
            Change::DepartmentChanged => "department-changed",
            Change::MaintainerChanged => "maintainer-changed",
            Change::StatusChanged => "status-changed",
            Change::GridChanged => "grid-changed",
        }
    }

    /// The Chinese term.
    pub fn chinese(self) -> &'static str {
        match self {
            Change::Added => "新增",
            Change::Removed => "删除",
            Change::Moved => "位置移动",
            Change::Recoded => "重新编码",
            Change::Reclassified => "类型变更",
            Change::OwnerChanged => "权属单位变更",
            Change::DepartmentChanged => "主管部门变更",
            Change::MaintainerChanged => "养护单位变更",
            Change::StatusChanged => "状态变更",
            Change::GridChanged => "所在网格变更",
        }
    }
}

/// One change of one component (a row of `component_changes.csv`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentChange {
    /// What changed.
    pub change: Change,
    /// Index in the old layer.
    pub old: Option<usize>,
    /// Index in the new layer.
    pub new: Option<usize>,
    /// Its code last year.
    pub old_code: Option<String>,
    /// Its code this year.
    pub new_code: Option<String>,
    /// The value last year (class, owner, department, maintainer, status, grid).
    pub old_value: Option<String>,
    /// The value this year.
    pub new_value: Option<String>,
    /// How far it moved (m), for `moved`.
    pub distance: Option<f64>,
}

/// One version's components as the matcher needs them.
pub struct Components<'a> {
    /// The layer.
    pub layer: &'a BoundLayer,
    /// Whether each feature takes part (not retired).
    pub active: Vec<bool>,
    /// The code of the grid each lies in (by location; the grid field when it has no point).
    pub grid: Vec<Option<&'a str>>,
}

/// The point of a component, if it has a finite one.
fn point(layer: &BoundLayer, i: usize) -> Option<Coord> {
    crate::geom::single_point(layer.geometry(i)?)
}

fn value<'a>(layer: &'a BoundLayer, i: usize, field: &str) -> Option<&'a str> {
    layer.get(i, field).map(str::trim).filter(|v| !v.is_empty())
}

/// The code of the grid each component lies in: located among `grids` (a point on a
/// shared boundary takes the smallest code), else its grid field.
pub fn located_grids<'a>(
    layer: &'a BoundLayer,
    grids: &[Option<Geometry>],
    grid_codes: &[&'a str],
) -> Vec<Option<&'a str>> {
    let index = EnvelopeIndex::for_points(grids);
    let field = layer.field("grid");
    (0..layer.len())
        .into_par_iter()
        .map(|i| {
            let by_field = || field.text(i);
            let Some(c) = point(layer, i) else {
                return by_field();
            };
            match locate(c, &index, grids) {
                Location::Inside(g) => Some(grid_codes[g]),
                Location::OnBoundary(gs) => gs.iter().map(|&g| grid_codes[g]).min(),
                Location::Outside => by_field(),
            }
        })
        .collect()
}

/// Greedy one-to-one pairing of candidate `(distance, old, new)` triples: shortest first,
/// ties by old then new code, so the result does not depend on input order.
fn pair_up(
    mut cands: Vec<(f64, usize, usize)>,
    old: &BoundLayer,
    new: &BoundLayer,
    old_taken: &mut [bool],
    new_taken: &mut [bool],
) -> Vec<(usize, usize, f64)> {
    cands.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then_with(|| old.key(a.1).cmp(&old.key(b.1)))
            .then_with(|| new.key(a.2).cmp(&new.key(b.2)))
    });
    let mut out = Vec::new();
    for (d, o, n) in cands {
        if !old_taken[o] && !new_taken[n] {
            old_taken[o] = true;
            new_taken[n] = true;
            out.push((o, n, d));
        }
    }
    out
}

/// The most new components an old one looks at, nearest first, when it is matched by place
/// (and, in file order, among the new ones under its code when a code is typed on several).
const NEAR_LOOKED_AT: usize = 256;

/// Candidates within `radius` of each unmatched old component among unmatched new ones of
/// the same class (`same_class`) or of another one (the [`NEAR_LOOKED_AT`] nearest of them).
/// For the same class each class has its own tree, so that hundreds of components of other
/// classes at one place do not hide the one of its class a little farther.
fn near(
    old: &Components,
    new: &Components,
    old_taken: &[bool],
    new_taken: &[bool],
    same_class: bool,
    measure: Measure,
    radius: f64,
) -> Vec<(f64, usize, usize)> {
    type Tree = RTree<GeomWithData<[f64; 2], usize>>;
    let mut by_class: BTreeMap<Option<&str>, Vec<GeomWithData<[f64; 2], usize>>> = BTreeMap::new();
    for n in (0..new.layer.len()).filter(|&n| new.active[n] && !new_taken[n]) {
        if let Some(c) = point(new.layer, n) {
            let class = if same_class {
                value(new.layer, n, "class")
            } else {
                None
            };
            by_class
                .entry(class)
                .or_default()
                .push(GeomWithData::new([c.x, c.y], n));
        }
    }
    let trees: BTreeMap<Option<&str>, Tree> = by_class
        .into_iter()
        .map(|(class, entries)| (class, RTree::bulk_load(entries)))
        .collect();
    let mut out = Vec::new();
    for o in (0..old.layer.len()).filter(|&o| old.active[o] && !old_taken[o]) {
        let Some(c) = point(old.layer, o) else {
            continue;
        };
        let class = value(old.layer, o, "class");
        let Some(tree) = trees.get(&if same_class { class } else { None }) else {
            continue;
        };
        let r = measure.to_units(radius, c) * 1.01;
        // The nearest first, and no more than NEAR_LOOKED_AT of them: 100,000 old and 100,000
        // new components at one place would otherwise be 10^10 candidate pairs.
        for e in tree.nearest_neighbor_iter(&[c.x, c.y]).take(NEAR_LOOKED_AT) {
            let (dx, dy) = (e.geom()[0] - c.x, e.geom()[1] - c.y);
            if dx * dx + dy * dy > r * r {
                break;
            }
            let n = e.data;
            if !same_class && class == value(new.layer, n, "class") {
                continue;
            }
            let d = measure.distance(
                c,
                Coord {
                    x: e.geom()[0],
                    y: e.geom()[1],
                },
            );
            if d <= radius {
                out.push((d, o, n));
            }
        }
    }
    out
}

/// A code found in both versions on components farther apart than `component_reuse_m`: not
/// one component moved, but the code given to another one.
#[derive(Debug, Clone, PartialEq)]
pub struct ReusedCode {
    /// Index in the old layer.
    pub old: usize,
    /// Index in the new layer.
    pub new: usize,
    /// How far apart they are (m).
    pub distance: f64,
}

/// Compares two versions of the components layer: the changes, and the codes reused.
pub fn compare(
    old: &Components,
    new: &Components,
    measure: Measure,
    t: &Thresholds,
) -> (Vec<ComponentChange>, Vec<ReusedCode>) {
    let (ol, nl) = (old.layer, new.layer);
    let mut old_taken = vec![false; ol.len()];
    let mut new_taken = vec![false; nl.len()];
    // 1. By code.
    let (old_code, new_code) = (ol.field("code"), nl.field("code"));
    // The new components of each code: the first and last of them by index in a table of
    // u32s hashed by the code they point at (9 bytes a slot, where a map keyed by the code's
    // text takes 25), the others chained after the first (`next`; a code is duplicated only
    // in defective data). The codes are hashed in parallel first; the table is filled in order.
    let hasher = FixedState::default();
    let hashes = |codes: FieldReader, active: &[bool]| -> Vec<Option<u64>> {
        (0..active.len())
            .into_par_iter()
            .map(|i| {
                let c = codes.text(i).filter(|_| active[i])?;
                Some(hasher.hash_one(c))
            })
            .collect()
    };
    let (old_hash, new_hash) = rayon::join(
        || hashes(old_code, &old.active),
        || hashes(new_code, &new.active),
    );
    let code_of = |n: u32| new_code.text(n as usize).unwrap_or_default();
    // (first, last) new component of each code.
    let hash_of = |&(n, _): &(u32, u32)| new_hash[n as usize].unwrap_or_default();
    let mut by_code: HashTable<(u32, u32)> = HashTable::with_capacity(nl.len());
    let mut next = vec![NONE; nl.len()];
    for (n, h) in new_hash.iter().enumerate() {
        let (Some(h), Some(c)) = (h, new_code.text(n)) else {
            continue;
        };
        match by_code.entry(*h, |&(m, _)| code_of(m) == c, hash_of) {
            Entry::Vacant(slot) => {
                slot.insert((n as u32, n as u32));
            }
            Entry::Occupied(mut slot) => {
                let last = &mut slot.get_mut().1;
                next[*last as usize] = n as u32;
                *last = n as u32;
            }
        }
    }
    // Each old component's first new namesake, looked up in parallel.
    let mut first: Vec<u32> = old_hash
        .par_iter()
        .enumerate()
        .map(|(o, h)| {
            let (Some(h), Some(c)) = (h, old_code.text(o)) else {
                return NONE;
            };
            by_code
                .find(*h, |&(m, _)| code_of(m) == c)
                .map_or(NONE, |&(n, _)| n)
        })
        .collect();
    drop(by_code);
    // Past the first NEAR_LOOKED_AT old components under a code, none (a code typed on
    // thousands is no match by code): counted in order by the code's first new component.
    let mut olds_of = vec![0u32; nl.len()];
    for f in first.iter_mut().filter(|f| **f != NONE) {
        let seen = &mut olds_of[*f as usize];
        *seen += 1;
        if *seen as usize > NEAR_LOOKED_AT {
            *f = NONE;
        }
    }
    // A code on two components of either version: its pairs contend (keyed by old component).
    let shared = |o: usize| {
        let f = first[o];
        f != NONE && (olds_of[f as usize] > 1 || next[f as usize] != NONE)
    };
    // Each old component against the new ones of its code (the first NEAR_LOOKED_AT of them),
    // in parallel: (how far apart, old, new); NaN where either has no point (where it was
    // cannot be told: matched, after every pair whose distance is known).
    let mut namesakes: Vec<(f64, u32, u32)> = first
        .par_iter()
        .enumerate()
        .flat_map_iter(|(o, &first)| {
            let chain = std::iter::successors(Some(first).filter(|&n| n != NONE), |&n| {
                Some(next[n as usize]).filter(|&m| m != NONE)
            })
            .take(NEAR_LOOKED_AT);
            let a = point(ol, o);
            chain.map(move |n| {
                let apart = a.zip(point(nl, n as usize));
                let d = apart.map_or(f64::NAN, |(a, b)| measure.distance(a, b));
                (d, o as u32, n)
            })
        })
        .collect();
    // The pairs of codes on two components of a version apart, nearest first, unknown last
    // (a NaN sorts by its sign bit in `total_cmp`), so that of several under one code each
    // takes the one at its place, whatever the order of the files. The others (one old and
    // one new component under their code) cannot contend: they stay in old order, first.
    let mut contended: Vec<(f64, u32, u32)> = namesakes
        .iter()
        .filter(|p| shared(p.1 as usize))
        .copied()
        .collect();
    namesakes.retain(|p| !shared(p.1 as usize));
    drop((next, first, olds_of, old_hash, new_hash));
    contended.par_sort_unstable_by(|a, b| {
        let known = |d: f64| (d.is_nan(), if d.is_nan() { 0.0 } else { d });
        let (ka, kb) = (known(a.0), known(b.0));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let repeated = !contended.is_empty();
    namesakes.extend(contended);
    // (old, new, how): u32 indices, 12 bytes a pair (two million pairs at city scale).
    let mut matched: Vec<(u32, u32, Option<Change>)> = Vec::with_capacity(ol.len().min(nl.len()));
    for &(d, o, n) in &namesakes {
        let (o, n) = (o as usize, n as usize);
        if (d <= t.component_reuse_m || d.is_nan()) && !old_taken[o] && !new_taken[n] {
            old_taken[o] = true;
            new_taken[n] = true;
            matched.push((o as u32, n as u32, None));
        }
    }
    if repeated {
        matched.sort_unstable();
    }
    // A code whose old and new components are all farther apart than `component_reuse_m`:
    // given to another component. Each pair left is reported once for each side, nearest
    // first, and left for matching by place (the old one may be found recoded there).
    let mut reused = Vec::new();
    let (mut old_told, mut new_told) = (vec![false; ol.len()], vec![false; nl.len()]);
    for &(distance, o, n) in &namesakes {
        let (o, n) = (o as usize, n as usize);
        if distance > t.component_reuse_m
            && !(old_taken[o] || new_taken[n] || old_told[o] || new_told[n])
        {
            old_told[o] = true;
            new_told[n] = true;
            reused.push(ReusedCode {
                old: o,
                new: n,
                distance,
            });
        }
    }
    reused.sort_by_key(|r| r.old);
    drop(namesakes);
    // 2. Same class, close by: recoded. 3. Any class at the same place: reclassified.
    let cands = near(
        old,
        new,
        &old_taken,
        &new_taken,
        true,
        measure,
        t.component_match_m,
    );
    for (o, n, _) in pair_up(cands, ol, nl, &mut old_taken, &mut new_taken) {
        matched.push((o as u32, n as u32, Some(Change::Recoded)));
    }
    let cands = near(
        old,
        new,
        &old_taken,
        &new_taken,
        false,
        measure,
        t.component_match_m,
    );
    for (o, n, _) in pair_up(cands, ol, nl, &mut old_taken, &mut new_taken) {
        matched.push((o as u32, n as u32, Some(Change::Reclassified)));
    }
    let row = |change, o: Option<usize>, n: Option<usize>| ComponentChange {
        change,
        old: o,
        new: n,
        old_code: o.and_then(|o| old_code.text(o)).map(str::to_string),
        new_code: n.and_then(|n| new_code.text(n)).map(str::to_string),
        old_value: None,
        new_value: None,
        distance: None,
    };
    let (old_class, new_class) = (ol.field("class"), nl.field("class"));
    let compared = [
        ("owner", Change::OwnerChanged),
        ("department", Change::DepartmentChanged),
        ("maintainer", Change::MaintainerChanged),
        ("status", Change::StatusChanged),
    ]
    .map(|(field, change)| (ol.field(field), nl.field(field), change));
    // Each matched pair compared in parallel, its changes in pair order.
    let mut out: Vec<ComponentChange> = matched
        .par_iter()
        .flat_map_iter(|&(o, n, how)| {
            let (o, n) = (o as usize, n as usize);
            let mut changes = Vec::new();
            let with = |change, a: Option<&str>, b: Option<&str>| ComponentChange {
                old_value: a.map(str::to_string),
                new_value: b.map(str::to_string),
                ..row(change, Some(o), Some(n))
            };
            match how {
                Some(Change::Reclassified) => changes.push(with(
                    Change::Reclassified,
                    old_class.text(o),
                    new_class.text(n),
                )),
                Some(c) => changes.push(row(c, Some(o), Some(n))),
                None => {}
            }
            if let (Some(a), Some(b)) = (point(ol, o), point(nl, n)) {
                let d = measure.distance(a, b);
                if d > t.component_moved_m {
                    changes.push(ComponentChange {
                        distance: Some((d * 1000.0).round() / 1000.0),
                        ..row(Change::Moved, Some(o), Some(n))
                    });
                }
            }
            for (old_field, new_field, change) in &compared {
                let (a, b) = (old_field.text(o), new_field.text(n));
                if a != b {
                    changes.push(with(*change, a, b));
                }
            }
            let (a, b) = (old.grid[o], new.grid[n]);
            if a != b {
                changes.push(with(Change::GridChanged, a, b));
            }
            changes
        })
        .collect();
    for o in (0..ol.len()).filter(|&o| old.active[o] && !old_taken[o]) {
        out.push(row(Change::Removed, Some(o), None));
    }
    for n in (0..nl.len()).filter(|&n| new.active[n] && !new_taken[n]) {
        out.push(row(Change::Added, None, Some(n)));
    }
    out.sort_by(|a, b| {
        let key = |c: &ComponentChange| {
            (
                c.new_code
                    .clone()
                    .or_else(|| c.old_code.clone())
                    .unwrap_or_default(),
                c.change,
                c.old_code.clone().unwrap_or_default(),
            )
        };
        key(a).cmp(&key(b))
    });
    (out, reused)
}
