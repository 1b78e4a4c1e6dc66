//! Points (部件与地址点位): each component in the grid its grid field names, none outside
//! the jurisdiction, none doubled; addresses inside the jurisdiction and not doubled.

use std::collections::HashMap;

use foldhash::fast::FixedState;
use geo::{Coord, Geometry};
use rayon::prelude::*;

use crate::finding::{Finding, Rule};
use crate::i18n::{Msg, Text};
use crate::index::{locate, EnvelopeIndex, Location};
use crate::measure::Measure;
use crate::progress::{self, Unit};
use crate::schema::Thresholds;

/// Polygons to locate points in: their geometries, index and keys.
pub(crate) struct Area<'a> {
    /// Geometries.
    pub geometries: &'a [Option<Geometry>],
    /// Their envelope index.
    pub index: &'a EnvelopeIndex,
    /// Their codes.
    pub keys: &'a [String],
    /// Whether `keys` are codes (a layer without a code field has `#i` keys, which no grid
    /// field can name).
    pub coded: bool,
    /// Which polygons are valid: a point that may lie in an invalid one is not judged.
    pub valid: &'a [bool],
    /// Whether any polygon is invalid (when none is, no point is under one).
    pub any_invalid: bool,
}

impl Area<'_> {
    /// Whether the point lies in the envelope of an invalid polygon (nothing can be said).
    fn under_invalid(&self, c: Coord) -> bool {
        if !self.any_invalid {
            return false; // the usual case: nothing to look up
        }
        let mut under = false;
        self.index.each_at(c, |i| {
            under = !self.valid.get(i).copied().unwrap_or(true);
            !under
        });
        under
    }
}

/// A point layer to check.
pub(crate) struct Points<'a> {
    /// The layer's name in findings.
    pub name: &'a str,
    /// Geometries (points).
    pub geometries: &'a [Option<Geometry>],
    /// Feature keys.
    pub keys: &'a [String],
    /// Per feature, the grid its field names (components only).
    pub stated_grid: Option<Vec<Option<&'a str>>>,
    /// Per feature, the value that must differ between near neighbours to tell them apart
    /// (components: class; addresses: name).
    pub group: Vec<Option<&'a str>>,
    /// How to measure.
    pub measure: Measure,
}

fn point_of(g: &Option<Geometry>) -> Option<Coord> {
    crate::geom::single_point(g.as_ref()?)
}

/// Whether a point is in the jurisdiction (inside or on the boundary of any polygon).
fn in_area(c: Coord, a: &Area) -> bool {
    !matches!(locate(c, a.index, a.geometries), Location::Outside)
}

/// Components against grids (placement) and against the jurisdiction.
pub(crate) fn components(
    p: &Points,
    grids: Option<&Area>,
    jurisdiction: Option<&Area>,
    t: &Thresholds,
) -> Vec<Finding> {
    let bar = progress::bar(
        |l| {
            format!(
                "{} {}",
                Text::StageValidate.get(l),
                Text::StagePoints.get(l)
            )
        },
        p.geometries.len() as u64,
        Unit::Features,
        10_000,
    );
    let per: Vec<Vec<Finding>> = (0..p.geometries.len())
        .into_par_iter()
        .map(|i| {
            bar.tick(i);
            let mut out = Vec::new();
            let Some(c) = point_of(&p.geometries[i]) else {
                return out;
            };
            let f = |rule, msg| {
                Finding::new(rule, p.name, msg)
                    .at(i, p.keys[i].clone())
                    .located([c.x, c.y])
            };
            if let Some(j) = jurisdiction {
                if !in_area(c, j) && !j.under_invalid(c) {
                    out.push(f(
                        Rule::CompOutsideJurisdiction,
                        Msg::CompOutsideJurisdiction,
                    ));
                    return out;
                }
            }
            let Some(g) = grids else {
                return out;
            };
            let stated = p
                .stated_grid
                .as_ref()
                .and_then(|s| s[i])
                .map(str::trim)
                .filter(|s| !s.is_empty());
            if g.under_invalid(c) {
                return out;
            }
            match locate(c, g.index, g.geometries) {
                Location::Inside(k) => {
                    if let (Some(s), true) = (stated, g.coded) {
                        if s != g.keys[k] {
                            out.push(
                                f(
                                    Rule::CompWrongGrid,
                                    Msg::CompWrongGrid {
                                        stated: s.to_string(),
                                        actual: g.keys[k].clone(),
                                    },
                                )
                                .field("grid"),
                            );
                        }
                    }
                }
                Location::OnBoundary(ks) => {
                    let codes: Vec<String> = ks.iter().map(|&k| g.keys[k].clone()).collect();
                    if let (Some(s), true) = (stated, g.coded) {
                        if !codes.iter().any(|c| c == s) {
                            out.push(
                                f(
                                    Rule::CompWrongGrid,
                                    Msg::CompWrongGrid {
                                        stated: s.to_string(),
                                        actual: codes.join("/"),
                                    },
                                )
                                .field("grid"),
                            );
                        }
                    }
                    out.push(f(
                        Rule::CompOnBoundary,
                        Msg::CompOnBoundary { grids: codes },
                    ));
                }
                Location::Outside => out.push(f(Rule::CompOutsideGrid, Msg::CompOutsideGrid)),
            }
            out
        })
        .collect();
    let mut out: Vec<Finding> = per.into_iter().flatten().collect();
    crate::timing::stage("validate.points.duplicates", || {
        out.extend(duplicates(p, Rule::CompDuplicate, t.component_duplicate_m));
    });
    out
}

/// Addresses against the jurisdiction, and doubled addresses.
pub(crate) fn addresses(p: &Points, jurisdiction: Option<&Area>, t: &Thresholds) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(j) = jurisdiction {
        for i in 0..p.geometries.len() {
            if let Some(c) = point_of(&p.geometries[i]) {
                if !in_area(c, j) {
                    out.push(
                        Finding::new(
                            Rule::PoiOutsideJurisdiction,
                            p.name,
                            Msg::PoiOutsideJurisdiction,
                        )
                        .at(i, p.keys[i].clone())
                        .located([c.x, c.y]),
                    );
                }
            }
        }
    }
    out.extend(duplicates(p, Rule::PoiDuplicate, t.poi_duplicate_m));
    out
}

/// The most points a point's search reads on each side of it in each of its three columns:
/// only a pile of hundreds of points of one class within a metre or two reaches it.
const READ_A_SIDE: usize = 128;

/// Pairs of points of the same group closer than `tolerance` metres: reported on the later.
///
/// The points are cut into columns as wide as the search radius and sorted by group, column,
/// y and index: a point's neighbours of its group lie in its own column and the two beside
/// it, each a run of the sorted points found by binary search (no tree to build, the runs
/// are read in order, and the points are searched in parallel). Each run is read outward
/// from the point's own y, at most [`READ_A_SIDE`] points below and as many above: the
/// nearest earlier point is found unless hundreds of points of the group lie within the
/// radius, where the nearest of those read is taken (a pile of 200,000 would otherwise be
/// read 200,000 times).
pub(crate) fn duplicates(p: &Points, rule: Rule, tolerance: f64) -> Vec<Finding> {
    if tolerance.is_nan() || tolerance <= 0.0 {
        return Vec::new();
    }
    // A point's search radius in the layer's units.
    let radius = |c: Coord| p.measure.to_units(tolerance, c) * 1.01;
    // Only points of a group can pair.
    let points: Vec<(Coord, usize)> = (0..p.geometries.len())
        .into_par_iter()
        .filter(|&i| p.group[i].is_some())
        .filter_map(|i| Some((point_of(&p.geometries[i])?, i)))
        .collect();
    let width = points.iter().map(|q| radius(q.0)).fold(0.0, f64::max);
    if !(width > 0.0 && width.is_finite()) {
        return Vec::new();
    }
    let column = |c: Coord| (c.x / width).floor() as i64;
    // Each group as a number (in the order first met), to sort and search by.
    let mut numbers: HashMap<&str, u32, FixedState> = HashMap::default();
    let group_of: Vec<u32> = points
        .iter()
        .map(|&(_, i)| {
            let next = numbers.len() as u32;
            *numbers
                .entry(p.group[i].unwrap_or_default())
                .or_insert(next)
        })
        .collect();
    // Sorted by group, then column, y and index.
    type Entry = (u32, i64, Coord, usize);
    let mut sorted: Vec<Entry> = points
        .iter()
        .zip(&group_of)
        .map(|(&(c, i), &g)| (g, column(c), c, i))
        .collect();
    let order = |a: &Entry, b: &Entry| {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.y.total_cmp(&b.2.y))
            .then(a.3.cmp(&b.3))
    };
    sorted.par_sort_unstable_by(order);
    // Each (group, column)'s run of the sorted points.
    let mut columns: Vec<(u32, i64, usize, usize)> = Vec::new();
    for (k, e) in sorted.iter().enumerate() {
        match columns.last_mut() {
            Some(last) if (last.0, last.1) == (e.0, e.1) => last.3 = k + 1,
            _ => columns.push((e.0, e.1, k, k + 1)),
        }
    }
    let run_of = |group: u32, x: i64| -> Option<&[Entry]> {
        let at = columns
            .binary_search_by(|col| col.0.cmp(&group).then(col.1.cmp(&x)))
            .ok()?;
        Some(&sorted[columns[at].2..columns[at].3])
    };
    // In the sorted order, so that neighbouring searches read neighbouring memory.
    let mut found: Vec<(usize, usize, f64, Coord)> = sorted
        .par_iter()
        .filter_map(|&(group, cx, c, i)| {
            // An earlier point of the group at the very same place is the nearest (distance
            // 0, the lowest index): the points of the column with this y come in index order,
            // right before this one, so it is found at once.
            if c.x.is_finite() && c.y.is_finite() {
                if let Some(run) = run_of(group, cx) {
                    let from = run.partition_point(|e| e.2.y.total_cmp(&c.y).is_lt());
                    for &(_, _, o, j) in run[from..].iter().take(READ_A_SIDE) {
                        if j >= i || o.y.total_cmp(&c.y).is_ne() {
                            break;
                        }
                        if o.x == c.x {
                            return Some((i, j, 0.0, c));
                        }
                    }
                }
            }
            let r = radius(c);
            let mut best: Option<(usize, f64)> = None;
            let mut consider = |o: Coord, j: usize| {
                if j >= i || (o.x - c.x).abs() > r {
                    return;
                }
                let d = p.measure.distance(c, o);
                if d <= tolerance && best.is_none_or(|(bj, bd)| d < bd || d == bd && j < bj) {
                    best = Some((j, d));
                }
            };
            for x in [cx.saturating_sub(1), cx, cx.saturating_add(1)] {
                let Some(run) = run_of(group, x) else {
                    continue;
                };
                // Outward from this point's y: below it, then from it up.
                let at = run.partition_point(|e| e.2.y.total_cmp(&c.y).then(e.3.cmp(&i)).is_lt());
                for &(_, _, o, j) in run[..at].iter().rev().take(READ_A_SIDE) {
                    if o.y < c.y - r {
                        break;
                    }
                    consider(o, j);
                }
                for &(_, _, o, j) in run[at..].iter().take(READ_A_SIDE) {
                    if o.y > c.y + r {
                        break;
                    }
                    consider(o, j);
                }
            }
            best.map(|(j, d)| (i, j, d, c))
        })
        .collect();
    found.sort_unstable_by_key(|f| f.0);
    found
        .into_iter()
        .map(|(i, j, d, c)| {
            let msg = if rule == Rule::CompDuplicate {
                Msg::CompDuplicate {
                    other: p.keys[j].clone(),
                    distance: d,
                }
            } else {
                Msg::PoiDuplicate {
                    other: p.keys[j].clone(),
                    distance: d,
                }
            };
            Finding::new(rule, p.name, msg)
                .at(i, p.keys[i].clone())
                .located([c.x, c.y])
                .measured(d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Point;

    /// Every later point paired with its nearest earlier one of the same group within the
    /// tolerance (ties: the earlier), by looking at every pair.
    fn brute_force(p: &Points, tolerance: f64) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::new();
        for i in 0..p.geometries.len() {
            let (Some(c), Some(g)) = (point_of(&p.geometries[i]), p.group[i]) else {
                continue;
            };
            let best = (0..i)
                .filter(|&j| p.group[j] == Some(g))
                .filter_map(|j| Some((j, p.measure.distance(c, point_of(&p.geometries[j])?))))
                .filter(|&(_, d)| d <= tolerance)
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            if let Some((j, d)) = best {
                out.push((i, j, d));
            }
        }
        out
    }

    #[test]
    fn doubled_points_are_those_a_look_at_every_pair_finds() {
        // 3,000 points on 60 m × 60 m, three groups, some without a group or a point, some
        // on the same spot; a fixed pseudo-random sequence.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut geometries = Vec::new();
        let mut group = Vec::new();
        for k in 0..3_000 {
            let (x, y) = if k % 50 == 7 {
                (30.0, 30.0)
            } else {
                (
                    (next() % 60_000) as f64 / 1000.0,
                    (next() % 60_000) as f64 / 1000.0,
                )
            };
            geometries.push((k % 97 != 3).then(|| Geometry::Point(Point::new(x, y))));
            group.push(["a", "b", "c"].get((next() % 4) as usize).copied());
        }
        let keys: Vec<String> = (0..geometries.len()).map(|k| format!("P{k}")).collect();
        let p = Points {
            name: "components",
            geometries: &geometries,
            keys: &keys,
            stated_grid: None,
            group,
            measure: Measure::Planar,
        };
        let want = brute_force(&p, 0.5);
        assert!(want.len() > 100, "{}", want.len());
        assert_eq!(pairs(&p), want);
    }

    /// (feature, the earlier one it doubles, distance) of each `COMP-DUPLICATE` at 0.5 m.
    fn pairs(p: &Points) -> Vec<(usize, usize, f64)> {
        duplicates(p, Rule::CompDuplicate, 0.5)
            .into_iter()
            .map(|f| {
                let Msg::CompDuplicate { other, distance } = f.message else {
                    panic!("{:?}", f.message);
                };
                let j = other[1..].parse::<usize>().expect("key");
                (f.feature.expect("feature"), j, distance)
            })
            .collect()
    }

    /// Piles that made every point read every other: points of one class 10^-7 m apart on
    /// one line (each paired with the one before it, the nearest), and points of 3,000
    /// classes on one spot (none paired); both as a look at every pair finds.
    #[test]
    fn piles_of_points_are_read_in_bounded_steps() {
        let n = 3_000;
        let keys: Vec<String> = (0..n).map(|k| format!("P{k}")).collect();
        let line: Vec<Option<Geometry>> = (0..n)
            .map(|k| Some(Geometry::Point(Point::new(1e-7 * k as f64, 0.0))))
            .collect();
        let classes: Vec<String> = (0..n).map(|k| format!("c{k}")).collect();
        let p = Points {
            name: "components",
            geometries: &line,
            keys: &keys,
            stated_grid: None,
            group: vec![Some("a"); n],
            measure: Measure::Planar,
        };
        let got = pairs(&p);
        assert_eq!(got.len(), n - 1);
        assert!(got
            .iter()
            .enumerate()
            .all(|(k, &(i, j, _))| (i, j) == (k + 1, k)));
        assert_eq!(got, brute_force(&p, 0.5));
        // The same line in reverse file order: each still pairs with its neighbour.
        let reversed: Vec<Option<Geometry>> = line.iter().rev().cloned().collect();
        let p = Points {
            geometries: &reversed,
            ..p
        };
        assert_eq!(pairs(&p), brute_force(&p, 0.5));
        let spot = vec![Some(Geometry::Point(Point::new(5.0, 5.0))); n];
        let p = Points {
            geometries: &spot,
            group: classes.iter().map(|c| Some(c.as_str())).collect(),
            ..p
        };
        assert_eq!(pairs(&p), Vec::new());
    }
}
