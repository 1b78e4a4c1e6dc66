//! Remapping historical cases (历史案件重新归属): each case gets its new street, community and
//! grid, the method that decided them, and a review flag where a person must look.
//!
//! Methods, in order:
//! - `unchanged`: the case's old grid is unchanged or only recoded (a 1:1 group with the
//!   same shape) → its new code;
//! - `located`: the case's point lies in one new grid;
//! - `boundary`: the point lies on a boundary between new grids → the one that descends
//!   from the case's old grid (largest share), else the smallest code;
//! - `nearest`: the point lies outside every new grid → the nearest within
//!   `case_nearest_m`; farther is flagged for review;
//! - `lineage`: no usable point → the old grid's successor when the lineage is 1:1 or one
//!   successor holds at least `case_lineage_share` of it; else flagged for review.
//!
//! A component-linked case also gets its component's new code and owner; an open case whose
//! component changed owner is flagged: it must be re-dispatched to the new owner. A case whose
//! stored old grid is not the old grid its point lies in is a finding (bad historical data is
//! reported, not silently fixed); its point decides.

use std::collections::HashMap;

use chrono::NaiveDate;
use geo::{Coord, Distance, Euclidean, Geometry, Point};
use rayon::prelude::*;
use serde::Serialize;

use crate::diff::{Change, ChangeSet, Relation};
use crate::finding::{Finding, Rule};
use crate::i18n::{Msg, Text};
use crate::index::{locate, EnvelopeIndex, Location};
use crate::measure::Measure;
use crate::model::{BoundLayer, Dataset, FieldReader, LayerKind};
use crate::progress::{self, Unit};
use crate::schema::value::parse_datetime;
use crate::schema::Thresholds;

/// How a case's new grid was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The old grid is unchanged or only recoded.
    Unchanged,
    /// The point lies in one new grid.
    Located,
    /// The point lies on a boundary between new grids.
    Boundary,
    /// The point lies outside the new grids, near one.
    Nearest,
    /// No usable point: the old grid's successor.
    Lineage,
    /// Nothing decided it: for review.
    Unresolved,
}

impl Method {
    /// Every method, in report order.
    pub const ALL: [Method; 6] = [
        Method::Unchanged,
        Method::Located,
        Method::Boundary,
        Method::Nearest,
        Method::Lineage,
        Method::Unresolved,
    ];

    /// The id used in files.
    pub fn id(self) -> &'static str {
        match self {
            Method::Unchanged => "unchanged",
            Method::Located => "located",
            Method::Boundary => "boundary",
            Method::Nearest => "nearest",
            Method::Lineage => "lineage",
            Method::Unresolved => "unresolved",
        }
    }
}

/// Why a case needs a person's look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Review {
    /// Its point lies outside every new grid, farther than the tolerance.
    OutsideCoverage,
    /// No point, and its old grid has no single clear successor.
    AmbiguousLineage,
    /// No point, and its old grid is unknown.
    UnknownGrid,
    /// Open, and its component changed owner: re-dispatch to the new owner.
    Redispatch,
    /// Its component no longer exists.
    ComponentRemoved,
}

impl Review {
    /// The id used in files.
    pub fn id(self) -> &'static str {
        match self {
            Review::OutsideCoverage => "outside-coverage",
            Review::AmbiguousLineage => "ambiguous-lineage",
            Review::UnknownGrid => "unknown-grid",
            Review::Redispatch => "redispatch",
            Review::ComponentRemoved => "component-removed",
        }
    }
}

/// One case, remapped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseMapping {
    /// Index in the cases layer.
    pub case: usize,
    /// 案件编号.
    pub id: String,
    /// 上报时间 (date part).
    pub date: Option<NaiveDate>,
    /// Kind (部件/事件) as filed.
    pub kind: Option<String>,
    /// Major class as filed.
    pub major: Option<String>,
    /// Minor class as filed.
    pub minor: Option<String>,
    /// Status as filed.
    pub status: Option<String>,
    /// 问题描述 — what was reported, if the file says.
    pub description: Option<String>,
    /// Whether it is still open (its status is not a closed one).
    pub open: bool,
    /// Old grid, community, street as filed.
    pub old: [Option<String>; 3],
    /// New grid, community, street.
    pub new: [Option<String>; 3],
    /// How the new grid was decided.
    pub method: Method,
    /// Review flags.
    pub review: Vec<Review>,
    /// The component it concerns: old code, new code.
    pub component: Option<(String, Option<String>)>,
    /// The component's owner: old, new (when it changed).
    pub owner: Option<(Option<String>, Option<String>)>,
    /// It involves a changed street, community or grid.
    pub involved: bool,
}

/// The result of remapping.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Remap {
    /// One mapping per case, in file order.
    pub cases: Vec<CaseMapping>,
    /// Bad historical data found on the way.
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// A layer's polygons, index and codes, to locate points in.
struct Polygons<'a> {
    geometries: Vec<Option<Geometry>>,
    index: EnvelopeIndex,
    layer: &'a BoundLayer,
}

impl<'a> Polygons<'a> {
    fn new(layer: &'a BoundLayer) -> Polygons<'a> {
        let geometries = layer.layer.geometries.clone();
        Polygons {
            index: EnvelopeIndex::new(&geometries),
            geometries,
            layer,
        }
    }

    fn code(&self, i: usize) -> Option<String> {
        self.layer.get(i, "code").map(|c| c.trim().to_string())
    }

    fn locate(&self, c: Coord) -> Location {
        locate(c, &self.index, &self.geometries)
    }

    /// The nearest polygon within `metres`, and its distance (ties: the smaller code).
    fn nearest(&self, c: Coord, measure: Measure, metres: f64) -> Option<(usize, f64)> {
        let r = measure.to_units(metres, c);
        let rect = geo::Rect::new(
            Coord {
                x: c.x - r,
                y: c.y - r,
            },
            Coord {
                x: c.x + r,
                y: c.y + r,
            },
        );
        self.index
            .in_rect(rect)
            .into_iter()
            .filter_map(|i| {
                let d = Euclidean.distance(&Point(c), self.geometries[i].as_ref()?);
                let d = match measure {
                    Measure::Planar => d,
                    Measure::Geodesic => d * 111_320.0 * c.y.to_radians().cos().abs(),
                };
                (d <= metres).then_some((i, d))
            })
            .min_by(|a, b| {
                a.1.total_cmp(&b.1)
                    .then_with(|| self.code(a.0).cmp(&self.code(b.0)))
                    .then(a.0.cmp(&b.0))
            })
    }
}

fn point(layer: &BoundLayer, i: usize) -> Option<Coord> {
    match layer.geometry(i)? {
        Geometry::Point(p) if p.x().is_finite() && p.y().is_finite() => Some(p.0),
        _ => None,
    }
}

fn text(layer: &BoundLayer, i: usize, field: &str) -> Option<String> {
    layer
        .get(i, field)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// How an old grid carries over: its group's relation, its 1:1 successor (same shape), and
/// its successors with their share of it.
struct Succession {
    relation: Relation,
    one_to_one: Option<usize>,
    successors: Vec<(usize, f64)>,
}

fn succession(cs: &ChangeSet) -> HashMap<String, Succession> {
    let mut out = HashMap::new();
    let Some(d) = cs.layer(LayerKind::Grids) else {
        return out;
    };
    // Each old grid's pairs, in pair order (one pass, not one per grid).
    let mut by_old: Vec<Vec<(usize, f64)>> = vec![Vec::new(); d.old_codes.len()];
    for p in &d.lineage.pairs {
        if let Some(v) = by_old.get_mut(p.old) {
            v.push((p.new, p.share_old));
        }
    }
    for (o, code) in d.old_codes.iter().enumerate() {
        let Some(gi) = d.lineage.old_group[o] else {
            continue;
        };
        let g = &d.lineage.groups[gi];
        let mut successors = std::mem::take(&mut by_old[o]);
        successors.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let one_to_one = match (g.old.as_slice(), g.new.as_slice()) {
            ([_], [n]) if !g.reshaped => Some(*n),
            _ => None,
        };
        out.insert(
            code.clone(),
            Succession {
                relation: g.relation,
                one_to_one,
                successors,
            },
        );
    }
    out
}

/// Remaps the cases of `cases` (a layer filed under the old data) onto the new data.
pub fn run(
    old: &Dataset,
    new: &Dataset,
    cs: &ChangeSet,
    cases: &BoundLayer,
    closed: &[String],
    t: &Thresholds,
) -> Remap {
    let (Some(og), Some(ng)) = (old.layer(LayerKind::Grids), new.layer(LayerKind::Grids)) else {
        return Remap::default();
    };
    let (old_grids, new_grids) = (Polygons::new(og), Polygons::new(ng));
    let measure = Measure::of_layer(&ng.layer, None);
    let succ = succession(cs);
    let new_code_of: Vec<Option<String>> = (0..ng.len()).map(|i| new_grids.code(i)).collect();
    let old_codes: HashMap<String, usize> = (0..og.len())
        .filter_map(|i| old_grids.code(i).map(|c| (c, i)))
        .collect();
    // Components: old code → (new code, old owner, new owner, removed).
    let comp = component_fates(old, new, cs);
    // Each field's column looked up once, not once per case.
    struct CaseFields<'a> {
        community: FieldReader<'a>,
        component: FieldReader<'a>,
        description: FieldReader<'a>,
        grid: FieldReader<'a>,
        kind: FieldReader<'a>,
        major: FieldReader<'a>,
        minor: FieldReader<'a>,
        status: FieldReader<'a>,
        street: FieldReader<'a>,
        time: FieldReader<'a>,
    }
    let of_case = CaseFields {
        community: cases.field("community"),
        component: cases.field("component"),
        description: cases.field("description"),
        grid: cases.field("grid"),
        kind: cases.field("kind"),
        major: cases.field("major"),
        minor: cases.field("minor"),
        status: cases.field("status"),
        street: cases.field("street"),
        time: cases.field("time"),
    };
    let (grid_community, grid_street) = (ng.field("community"), ng.field("street"));
    let owned = |f: &FieldReader, i: usize| f.text(i).map(str::to_string);
    let bar = progress::bar(
        |l| Text::StageRemap.get(l).to_string(),
        cases.len() as u64,
        Unit::Cases,
        10_000,
    );
    // Unzipped as they come: no second copy of the mappings (the largest thing `plan` holds).
    let (mapped, findings): (Vec<CaseMapping>, Vec<Vec<Finding>>) = (0..cases.len())
        .into_par_iter()
        .map(|i| {
            bar.tick(i);
            let mut findings = Vec::new();
            let old_grid = owned(&of_case.grid, i);
            let pt = point(cases, i);
            // The old grid its point lies in, to check the filed code.
            let located_old = pt.and_then(|c| match old_grids.locate(c) {
                Location::Inside(k) => old_grids.code(k),
                _ => None,
            });
            if let (Some(filed), Some(there)) = (&old_grid, &located_old) {
                if filed != there {
                    findings.push(
                        Finding::new(
                            Rule::CaseGridMismatch,
                            "cases",
                            Msg::CaseGridMismatch {
                                filed: filed.clone(),
                                located: there.clone(),
                            },
                        )
                        .at(i, cases.key(i))
                        .field("grid"),
                    );
                }
            } else if let Some(filed) = &old_grid {
                if !old_codes.contains_key(filed) {
                    findings.push(
                        Finding::new(
                            Rule::CaseGridUnknown,
                            "cases",
                            Msg::CaseGridUnknown {
                                filed: filed.clone(),
                            },
                        )
                        .at(i, cases.key(i))
                        .field("grid"),
                    );
                }
            }
            // The old grid that counts: where its point is, else as filed.
            let basis = located_old.clone().or_else(|| old_grid.clone());
            let s = basis.as_ref().and_then(|c| succ.get(c));
            let mut review = Vec::new();
            let (method, new_index) = match (s.and_then(|s| s.one_to_one), pt) {
                (Some(n), _) if located_old.is_some() || pt.is_none() => {
                    (Method::Unchanged, Some(n))
                }
                (_, Some(c)) => match new_grids.locate(c) {
                    Location::Inside(k) => (Method::Located, Some(k)),
                    Location::OnBoundary(ks) => {
                        // the candidate descending most from its old grid, else the smallest code
                        let from_lineage = s.and_then(|s| {
                            s.successors
                                .iter()
                                .find(|(n, _)| ks.contains(n))
                                .map(|(n, _)| *n)
                        });
                        let pick = from_lineage.or_else(|| {
                            ks.iter()
                                .copied()
                                .min_by(|a, b| new_code_of[*a].cmp(&new_code_of[*b]))
                        });
                        (Method::Boundary, pick)
                    }
                    Location::Outside => match new_grids.nearest(c, measure, t.case_nearest_m) {
                        Some((k, _)) => (Method::Nearest, Some(k)),
                        None => {
                            review.push(Review::OutsideCoverage);
                            (Method::Unresolved, None)
                        }
                    },
                },
                (_, None) => match s {
                    None => {
                        review.push(Review::UnknownGrid);
                        (Method::Unresolved, None)
                    }
                    Some(s) => match s.successors.as_slice() {
                        // one successor, or one holding the largest share (no tie) above the threshold
                        [(n, _)] => (Method::Lineage, Some(*n)),
                        [(n, a), (_, b), ..] if a > b && *a >= t.case_lineage_share => {
                            (Method::Lineage, Some(*n))
                        }
                        _ => {
                            review.push(Review::AmbiguousLineage);
                            (Method::Unresolved, None)
                        }
                    },
                },
            };
            let new_triple = match new_index {
                Some(k) => {
                    let code = new_code_of[k].clone();
                    let community = owned(&grid_community, k)
                        .or_else(|| code.as_ref().and_then(|c| c.get(..12)).map(str::to_string));
                    let street = owned(&grid_street, k).or_else(|| {
                        community
                            .as_ref()
                            .and_then(|c| c.get(..9))
                            .map(str::to_string)
                    });
                    [code, community, street]
                }
                None => [None, None, None],
            };
            let status = owned(&of_case.status, i);
            let open = status
                .as_ref()
                .is_none_or(|s| !closed.iter().any(|c| c == s));
            let component = owned(&of_case.component, i).map(|c| {
                let fate = comp.get(&c);
                if fate.is_some_and(|f| f.removed) {
                    review.push(Review::ComponentRemoved);
                }
                let new_code = fate.map_or(Some(c.clone()), |f| f.new_code.clone());
                (c, new_code)
            });
            let owner = component.as_ref().and_then(|(c, _)| {
                let f = comp.get(c)?;
                f.owner_changed
                    .then(|| (f.owner_old.clone(), f.owner_new.clone()))
            });
            if owner.is_some() && open {
                review.push(Review::Redispatch);
            }
            let old_triple = [
                old_grid.clone(),
                owned(&of_case.community, i),
                owned(&of_case.street, i),
            ];
            let changed_grid = s.is_some_and(|s| s.relation != Relation::Unchanged);
            let involved = changed_grid
                || old_triple[0] != new_triple[0]
                || (old_triple[1].is_some() && old_triple[1] != new_triple[1])
                || (old_triple[2].is_some() && old_triple[2] != new_triple[2]);
            review.sort();
            review.dedup();
            let mapping = CaseMapping {
                case: i,
                id: cases.key(i),
                date: owned(&of_case.time, i)
                    .and_then(|t| parse_datetime(&t, Some("any")))
                    .map(|d| d.date()),
                kind: owned(&of_case.kind, i),
                major: owned(&of_case.major, i),
                minor: owned(&of_case.minor, i),
                status,
                description: owned(&of_case.description, i),
                open,
                old: old_triple,
                new: new_triple,
                method,
                review,
                component,
                owner,
                involved,
            };
            (mapping, findings)
        })
        .unzip();
    let mut findings: Vec<Finding> = findings.into_iter().flatten().collect();
    crate::finding::sort(&mut findings);
    Remap {
        cases: mapped,
        findings,
    }
}

/// What became of a component, by its old code.
struct Fate {
    new_code: Option<String>,
    removed: bool,
    owner_changed: bool,
    owner_old: Option<String>,
    owner_new: Option<String>,
}

fn component_fates(old: &Dataset, new: &Dataset, cs: &ChangeSet) -> HashMap<String, Fate> {
    let mut out: HashMap<String, Fate> = HashMap::new();
    let (Some(oc), Some(nc)) = (
        old.layer(LayerKind::Components),
        new.layer(LayerKind::Components),
    ) else {
        return out;
    };
    for c in &cs.components {
        let Some(code) = c.old_code.clone() else {
            continue;
        };
        let fate = out.entry(code.clone()).or_insert_with(|| Fate {
            new_code: Some(code.clone()),
            removed: false,
            owner_changed: false,
            owner_old: c.old.and_then(|o| text(oc, o, "owner")),
            owner_new: c.new.and_then(|n| text(nc, n, "owner")),
        });
        match c.change {
            Change::Removed => {
                fate.removed = true;
                fate.new_code = None;
            }
            Change::Recoded | Change::Reclassified => fate.new_code = c.new_code.clone(),
            Change::OwnerChanged => fate.owner_changed = true,
            _ => {}
        }
    }
    out
}
