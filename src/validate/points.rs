//! Points (部件与地址点位): each component in the grid its grid field names, none outside
//! the jurisdiction, none doubled; addresses inside the jurisdiction and not doubled.

use geo::{Coord, Geometry};
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

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
    match g.as_ref()? {
        Geometry::Point(p) if p.x().is_finite() && p.y().is_finite() => Some(p.0),
        Geometry::MultiPoint(mp) if mp.0.len() == 1 && mp.0[0].x().is_finite() => Some(mp.0[0].0),
        _ => None,
    }
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
    out.extend(duplicates(p, Rule::CompDuplicate, t.component_duplicate_m));
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

/// Pairs of points of the same group closer than `tolerance` metres: reported on the later.
pub(crate) fn duplicates(p: &Points, rule: Rule, tolerance: f64) -> Vec<Finding> {
    if tolerance.is_nan() || tolerance <= 0.0 {
        return Vec::new();
    }
    let entries: Vec<GeomWithData<[f64; 2], usize>> = (0..p.geometries.len())
        .filter_map(|i| point_of(&p.geometries[i]).map(|c| GeomWithData::new([c.x, c.y], i)))
        .collect();
    let tree = RTree::bulk_load(entries.clone());
    let per: Vec<Option<Finding>> = entries
        .par_iter()
        .map(|e| {
            let i = e.data;
            let group = p.group[i]?;
            let c = Coord {
                x: e.geom()[0],
                y: e.geom()[1],
            };
            let r = p.measure.to_units(tolerance, c) * 1.01;
            let mut best: Option<(usize, f64)> = None;
            for n in tree.locate_within_distance([c.x, c.y], r * r) {
                let j = n.data;
                if j >= i || p.group[j] != Some(group) {
                    continue;
                }
                let d = p.measure.distance(
                    c,
                    Coord {
                        x: n.geom()[0],
                        y: n.geom()[1],
                    },
                );
                if d <= tolerance && best.is_none_or(|(bj, bd)| d < bd || d == bd && j < bj) {
                    best = Some((j, d));
                }
            }
            let (j, d) = best?;
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
            Some(
                Finding::new(rule, p.name, msg)
                    .at(i, p.keys[i].clone())
                    .located([c.x, c.y])
                    .measured(d),
            )
        })
        .collect();
    per.into_iter().flatten().collect()
}
