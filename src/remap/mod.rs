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

mod fates;
mod mapping;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

use chrono::NaiveDate;
use foldhash::fast::FixedState;
use geo::{Closest, ClosestPoint, Coord, Distance, Euclidean, Geometry, Point};
use rayon::prelude::*;
use serde::Serialize;

use self::mapping::{CaseFields, Record, Sources, NONE};
pub use self::mapping::{CaseMapping, Reviews, Summary};

use crate::diff::{active_geometries, ChangeSet, Relation};
use crate::finding::{Finding, Rule};
use crate::i18n::{Msg, Text};
use crate::index::{locate, EnvelopeIndex, Location};
use crate::measure::Measure;
use crate::model::{BoundLayer, Dataset, FieldReader, LayerKind};
use crate::progress::{self, Unit};
use crate::schema::value::parse_datetime;
use crate::schema::Thresholds;

/// Maps keyed by codes: foldhash with a fixed seed (no output depends on iteration order).
type FastMap<K, V> = HashMap<K, V, FixedState>;

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
    /// No point (or one in no grid, old or new), and its old grid has no single clear successor.
    AmbiguousLineage,
    /// No point (or one in no grid, old or new), and its old grid is unknown.
    UnknownGrid,
    /// Open, and its component changed owner: re-dispatch to the new owner.
    Redispatch,
    /// Its component no longer exists.
    ComponentRemoved,
}

impl Review {
    /// Every flag, in report order.
    pub const ALL: [Review; 5] = [
        Review::OutsideCoverage,
        Review::AmbiguousLineage,
        Review::UnknownGrid,
        Review::Redispatch,
        Review::ComponentRemoved,
    ];

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

/// The result of remapping: one compact record per case, read back as [`CaseMapping`]s
/// that borrow their text from the layers.
#[derive(Debug, Clone, Default)]
pub struct Remap<'a> {
    records: Vec<Record>,
    sources: Option<Sources<'a>>,
    /// Bad historical data found on the way.
    pub findings: Vec<Finding>,
}

impl<'a> Remap<'a> {
    /// Number of cases.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when there are no cases.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Case `i` (in file order), or `None` past the end.
    pub fn get(&self, i: usize) -> Option<CaseMapping<'a>> {
        Some(self.sources.as_ref()?.mapping(i, self.records.get(i)?))
    }

    /// Every case, in file order.
    pub fn iter(&self) -> impl Iterator<Item = CaseMapping<'a>> + '_ {
        self.select(|_| true)
    }

    /// The cases that involve a changed street, community or grid, in file order.
    pub fn involved(&self) -> impl Iterator<Item = CaseMapping<'a>> + '_ {
        self.select(|s| s.involved)
    }

    /// The cases whose [`Summary`] `keep` accepts, in file order: only those are read.
    pub fn select<'s>(
        &'s self,
        keep: impl Fn(Summary) -> bool + 's,
    ) -> impl Iterator<Item = CaseMapping<'a>> + 's {
        // Records come with their sources (an empty remap has neither).
        let sources = self.sources.as_ref();
        self.records
            .iter()
            .enumerate()
            .filter(move |(_, r)| keep(r.summary()))
            .filter_map(move |(i, r)| Some(sources?.mapping(i, r)))
    }

    /// Each case's [`Summary`], in file order, without reading the cases.
    pub fn summaries(&self) -> impl Iterator<Item = Summary> + '_ {
        self.records.iter().map(Record::summary)
    }

    /// How many cases concern a component that was recoded, reclassified to another code,
    /// removed or given another owner — those whose [`CaseMapping::component`] differs or
    /// whose [`CaseMapping::owner`] is set — counted without reading the cases.
    pub fn component_cases(&self) -> usize {
        let Some(s) = &self.sources else {
            return 0;
        };
        self.records
            .par_iter()
            .enumerate()
            .filter(|(i, r)| {
                s.fates.get(r.fate as usize).is_some_and(|f| {
                    f.owner_changed
                        || s.cases
                            .component
                            .text(*i)
                            .is_some_and(|code| f.new_code != Some(code))
                })
            })
            .count()
    }

    /// Case `i`'s old grid (as filed) and new grid, without reading the rest of it.
    pub fn grid(&self, i: usize) -> Option<(Option<&'a str>, Option<&'a str>)> {
        let (s, r) = (self.sources.as_ref()?, self.records.get(i)?);
        let new = s.grids.get(r.new_grid as usize).and_then(|t| t[0]);
        Some((s.cases.grid.text(i), new))
    }

    /// Case `i`'s new grid, as a feature index of the new grids layer.
    pub fn new_grid(&self, i: usize) -> Option<usize> {
        let r = self.records.get(i)?;
        (r.new_grid != NONE).then_some(r.new_grid as usize)
    }

    /// Whether any case has a description.
    pub fn has_descriptions(&self) -> bool {
        self.sources
            .as_ref()
            .is_some_and(|s| (0..self.records.len()).any(|i| s.cases.description.text(i).is_some()))
    }

    /// Each case's date, in file order, without reading the rest of the case.
    pub fn dates(&self) -> impl Iterator<Item = Option<chrono::NaiveDate>> + '_ {
        self.records.iter().map(|r| r.date)
    }

    /// Case `i`'s id (`#i` when it has none), without reading the rest of it.
    pub fn id(&self, i: usize) -> Option<std::borrow::Cow<'a, str>> {
        Some(self.sources.as_ref()?.id(i))
    }
}

/// A layer's polygons, index and codes, to locate points in.
struct Polygons<'a> {
    /// The polygons that take part (a retired grid's is `None`, as in `diff`).
    geometries: Cow<'a, [Option<Geometry>]>,
    index: EnvelopeIndex,
    code: FieldReader<'a>,
}

impl<'a> Polygons<'a> {
    /// The grids of `layer`, a version effective on `effective`, but the retired ones.
    fn new(layer: &'a BoundLayer, effective: Option<NaiveDate>) -> Polygons<'a> {
        let geometries = active_geometries(layer, effective);
        Polygons {
            index: EnvelopeIndex::for_points(&geometries),
            geometries,
            code: layer.field("code"),
        }
    }

    fn code(&self, i: usize) -> Option<&'a str> {
        self.code.text(i)
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
                let g = self.geometries[i].as_ref()?;
                let d = match measure {
                    Measure::Planar => Euclidean.distance(&Point(c), g),
                    // Degrees are no distance: the geodesic distance to the closest point.
                    Measure::Geodesic => match g.closest_point(&Point(c)) {
                        Closest::Intersection(p) | Closest::SinglePoint(p) => {
                            measure.distance(c, p.0)
                        }
                        Closest::Indeterminate => return None,
                    },
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
    crate::geom::single_point(layer.geometry(i)?)
}

/// How an old grid carries over: its group's relation, its 1:1 successor (same shape), and
/// its successors with their share of it.
struct Succession {
    relation: Relation,
    one_to_one: Option<usize>,
    successors: Vec<(usize, f64)>,
}

/// Each old grid's succession, by feature index (`None`: it takes no part in the lineage).
/// By index, not by code: two old grids under one code (a typing duplicate) each keep their own.
fn succession(cs: &ChangeSet) -> Vec<Option<Succession>> {
    let Some(d) = cs.layer(LayerKind::Grids) else {
        return Vec::new();
    };
    // Each old grid's pairs, in pair order (one pass, not one per grid).
    let mut by_old: Vec<Vec<(usize, f64)>> = vec![Vec::new(); d.old_codes.len()];
    for p in &d.lineage.pairs {
        if let Some(v) = by_old.get_mut(p.old) {
            v.push((p.new, p.share_old));
        }
    }
    by_old
        .into_iter()
        .zip(&d.lineage.old_group)
        .map(|(mut successors, group)| {
            let g = &d.lineage.groups[(*group)?];
            successors.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let one_to_one = match (g.old.as_slice(), g.new.as_slice()) {
                ([_], [n]) if !g.reshaped => Some(*n),
                _ => None,
            };
            Some(Succession {
                relation: g.relation,
                one_to_one,
                successors,
            })
        })
        .collect()
}

/// Remaps the cases of `cases` (a layer filed under the old data) onto the new data.
pub fn run<'a>(
    old: &'a Dataset,
    new: &'a Dataset,
    cs: &'a ChangeSet,
    cases: &'a BoundLayer,
    closed: &[String],
    t: &Thresholds,
) -> Remap<'a> {
    let (Some(og), Some(ng)) = (old.layer(LayerKind::Grids), new.layer(LayerKind::Grids)) else {
        return Remap::default();
    };
    let (old_grids, new_grids) = (
        Polygons::new(og, old.manifest.effective),
        Polygons::new(ng, new.manifest.effective),
    );
    let measure = Measure::of_layer(&ng.layer, None);
    let succ = succession(cs);
    // Each old grid's succession by feature index: a located case's.
    let succ_at: Vec<Option<&Succession>> = (0..og.len())
        .map(|k| succ.get(k).and_then(Option::as_ref))
        .collect();
    // The old grid a filed code names (its succession, community and street): the first under
    // the code that takes part in the lineage, else the first (two under one code are a
    // typing duplicate; a retired one takes no part).
    let mut old_codes: FastMap<&str, usize> = FastMap::default();
    for k in 0..og.len() {
        let Some(code) = old_grids.code(k) else {
            continue;
        };
        let first = old_codes.entry(code).or_insert(k);
        if succ_at[*first].is_none() && succ_at[k].is_some() {
            *first = k;
        }
    }
    let old_triples = mapping::grid_triples(og);
    let (fates, fate_of) = fates::build(old, new, cs);
    let sources = Sources {
        cases: CaseFields {
            id: cases.field("id"),
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
        },
        grids: mapping::grid_triples(ng),
        old_grids: old_triples,
        old_codes,
        fates,
    };
    let (of_case, grids) = (&sources.cases, &sources.grids);
    let bar = progress::bar(
        |l| Text::StageRemap.get(l).to_string(),
        cases.len() as u64,
        Unit::Cases,
        10_000,
    );
    let (records, findings): (Vec<Record>, Vec<Vec<Finding>>) = (0..cases.len())
        .into_par_iter()
        .map(|i| {
            bar.tick(i);
            let mut findings = Vec::new();
            let old_triple = sources.old(i);
            let old_grid = old_triple[0];
            let pt = point(cases, i);
            // The old grid its point lies in, to check the filed code.
            let old_place = pt.map(|c| old_grids.locate(c));
            let located_at = match old_place {
                Some(Location::Inside(k)) => Some(k),
                _ => None,
            };
            let located_old = located_at.and_then(|k| old_grids.code(k));
            // A point in no old grid at all (a 0,0 placeholder, swapped x and y, another
            // coordinate system): reported, and it does not override the filed grid.
            let stray = matches!(old_place, Some(Location::Outside));
            if let (true, Some(c)) = (stray, pt) {
                findings.push(
                    Finding::new(
                        Rule::CasePointOutside,
                        "cases",
                        Msg::CasePointOutside {
                            filed: old_grid.map(str::to_string),
                        },
                    )
                    .at(i, cases.key(i))
                    .located([c.x, c.y]),
                );
            }
            match (old_grid, located_old) {
                (Some(filed), Some(there)) if filed != there => findings.push(
                    Finding::new(
                        Rule::CaseGridMismatch,
                        "cases",
                        Msg::CaseGridMismatch {
                            filed: filed.to_string(),
                            located: there.to_string(),
                        },
                    )
                    .at(i, cases.key(i))
                    .field("grid"),
                ),
                (Some(filed), None) if !sources.old_codes.contains_key(filed) => findings.push(
                    Finding::new(
                        Rule::CaseGridUnknown,
                        "cases",
                        Msg::CaseGridUnknown {
                            filed: filed.to_string(),
                        },
                    )
                    .at(i, cases.key(i))
                    .field("grid"),
                ),
                _ => {}
            }
            // The old grid that counts: where its point is, else as filed.
            let s = match (located_at, located_old) {
                (Some(k), Some(_)) => succ_at[k],
                _ => old_grid
                    .and_then(|c| sources.old_codes.get(c))
                    .and_then(|&k| succ_at[k]),
            };
            let mut review = Reviews::NONE;
            let (method, new_index) = match (s.and_then(|s| s.one_to_one), pt) {
                (Some(n), _) if located_old.is_some() || pt.is_none() || stray => {
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
                                .min_by(|a, b| new_grids.code(*a).cmp(&new_grids.code(*b)))
                        });
                        (Method::Boundary, pick)
                    }
                    Location::Outside => match new_grids.nearest(c, measure, t.case_nearest_m) {
                        Some((k, _)) => (Method::Nearest, Some(k)),
                        // in no grid, old or new: as if it had no point
                        None if stray => by_lineage(s, t, &mut review),
                        None => {
                            review.insert(Review::OutsideCoverage);
                            (Method::Unresolved, None)
                        }
                    },
                },
                (_, None) => by_lineage(s, t, &mut review),
            };
            let new_triple = new_index.map_or([None; 3], |k| grids[k]);
            let open = of_case
                .status
                .text(i)
                .is_none_or(|s| !closed.iter().any(|c| c == s));
            let fate = of_case
                .component
                .text(i)
                .and_then(|c| fate_of.get(c).copied());
            if let Some(f) = fate.map(|k| &sources.fates[k as usize]) {
                if f.removed {
                    review.insert(Review::ComponentRemoved);
                }
                if f.owner_changed && open {
                    review.insert(Review::Redispatch);
                }
            }
            let changed_grid = s.is_some_and(|s| s.relation != Relation::Unchanged);
            let involved = changed_grid
                || old_triple[0] != new_triple[0]
                || (old_triple[1].is_some() && old_triple[1] != new_triple[1])
                || (old_triple[2].is_some() && old_triple[2] != new_triple[2]);
            let record = Record {
                new_grid: new_index.map_or(NONE, |k| k as u32),
                fate: fate.unwrap_or(NONE),
                date: of_case
                    .time
                    .text(i)
                    .and_then(|t| parse_datetime(t, Some("any")))
                    .map(|d| d.date()),
                method,
                review,
                open,
                involved,
            };
            (record, findings)
        })
        .unzip();
    let mut findings: Vec<Finding> = findings.into_iter().flatten().collect();
    findings.extend(repeated_ids(cases, &of_case.id));
    crate::finding::sort(&mut findings);
    Remap {
        records,
        sources: Some(sources),
        findings,
    }
}

/// A case without a usable point, by its old grid's lineage: the only successor, or the one
/// holding the largest share (no tie) of at least `case_lineage_share`; else for review.
fn by_lineage(
    s: Option<&Succession>,
    t: &Thresholds,
    review: &mut Reviews,
) -> (Method, Option<usize>) {
    let Some(s) = s else {
        review.insert(Review::UnknownGrid);
        return (Method::Unresolved, None);
    };
    match s.successors.as_slice() {
        [(n, _)] => (Method::Lineage, Some(*n)),
        [(n, a), (_, b), ..] if a > b && *a >= t.case_lineage_share => (Method::Lineage, Some(*n)),
        _ => {
            review.insert(Review::AmbiguousLineage);
            (Method::Unresolved, None)
        }
    }
}

/// `CASE-ID-DUPLICATE` on each record whose id an earlier record has: ids sorted by their
/// hash (16 bytes a case), then compared within runs of one hash.
fn repeated_ids(cases: &BoundLayer, id: &FieldReader) -> Vec<Finding> {
    let state = FixedState::default();
    let mut hashed: Vec<(u64, u32)> = (0..cases.len())
        .into_par_iter()
        .filter_map(|i| Some((state.hash_one(id.text(i)?), i as u32)))
        .collect();
    hashed.par_sort_unstable();
    let mut out = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Within a run (in record order), each record against the first with its id.
        let mut firsts: Vec<(&str, usize)> = Vec::new();
        for &(_, i) in run {
            let i = i as usize;
            let Some(text) = id.text(i) else { continue };
            match firsts.iter().find(|(t, _)| *t == text) {
                Some(&(_, first)) => out.push(
                    Finding::new(
                        Rule::CaseIdDuplicate,
                        "cases",
                        Msg::CaseIdDuplicate { first },
                    )
                    .at(i, cases.key(i))
                    .field("id"),
                ),
                None => firsts.push((text, i)),
            }
        }
    }
    out
}
