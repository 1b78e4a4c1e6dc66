//! `diff` (年度变更比对): last year's dataset against this year's → the change set that the
//! plan and the center's check are built on: the lineage of grids, communities and streets
//! ([`lineage`]) and the changes of components ([`components`]).

pub mod components;
pub mod hausdorff;
pub mod lineage;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::NaiveDate;
use geo::{BooleanOps, Geometry};
use rayon::prelude::*;
use serde::Serialize;

use self::components::{located_grids, ComponentChange, Components};
use self::lineage::{Lineage, Side};
use crate::error::{Error, Result};
use crate::finding::{self, Finding, Rule};
use crate::geom::as_multi;
use crate::i18n::{Msg, Text};
use crate::measure::Measure;
use crate::model::{BoundLayer, Dataset, LayerKind};
use crate::progress::{self, Unit};
use crate::schema::code::Target;
use crate::schema::value::parse_date;
use crate::schema::{Profile, Thresholds};
use crate::timing;
use crate::validate::validity::geometry_validity_errors;

pub use self::components::Change;
pub use self::lineage::{Group, Pair, Relation};

/// The lineage of one polygon layer with the codes it speaks of.
#[derive(Debug, Clone, Serialize)]
pub struct LayerDiff {
    /// Which layer.
    pub layer: LayerKind,
    /// Old features' codes.
    pub old_codes: Vec<String>,
    /// New features' codes.
    pub new_codes: Vec<String>,
    /// The lineage.
    pub lineage: Lineage,
}

impl LayerDiff {
    /// Groups with a relation other than `unchanged`.
    pub fn changed(&self) -> impl Iterator<Item = &Group> {
        self.lineage
            .groups
            .iter()
            .filter(|g| g.relation != Relation::Unchanged)
    }

    /// How many groups have each relation.
    pub fn counts(&self) -> BTreeMap<Relation, usize> {
        let mut m = BTreeMap::new();
        for g in &self.lineage.groups {
            *m.entry(g.relation).or_insert(0) += 1;
        }
        m
    }
}

/// Everything that changed between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSet {
    /// The CRS both versions were compared in (the new version's; the old one is
    /// transformed to it when it is in another), as a label.
    pub crs: Option<String>,
    /// How areas were measured.
    pub measure: Measure,
    /// Last year's effective date.
    pub old_effective: Option<NaiveDate>,
    /// This year's effective date.
    pub new_effective: Option<NaiveDate>,
    /// The polygon layers present in both versions: streets, communities, grids, and the
    /// profile's duty layers (责任网格).
    pub layers: Vec<LayerDiff>,
    /// Component changes, one row per change.
    pub components: Vec<ComponentChange>,
    /// What the comparison itself found (codes reused, features left out).
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

impl ChangeSet {
    /// The diff of one polygon layer.
    pub fn layer(&self, kind: LayerKind) -> Option<&LayerDiff> {
        self.layers.iter().find(|l| l.layer == kind)
    }

    /// The diffs of the duty layers (责任网格), in name order.
    pub fn duty_layers(&self) -> impl Iterator<Item = &LayerDiff> {
        self.layers.iter().filter(|l| l.layer.duty().is_some())
    }
}

/// Whether each feature is retired in its version: its end date on or before the version's
/// effective date (or, for components, its currency 作废 "void"). An end date before the
/// feature's start date is a typing error (`DATE-ORDER`), not a retirement. In parallel.
pub(crate) fn retired(layer: &BoundLayer, effective: Option<NaiveDate>) -> Vec<bool> {
    let currency = (layer.kind == LayerKind::Components).then(|| layer.field("currency"));
    let (start, end) = (layer.field("start"), layer.field("end"));
    (0..layer.len())
        .into_par_iter()
        .map(|i| {
            if currency.is_some_and(|c| c.get(i).map(str::trim) == Some("作废")) {
                return true;
            }
            let (Some(eff), Some(end)) = (effective, end.get(i)) else {
                return false;
            };
            let Some(end) = parse_date(end, Some("any")) else {
                return false;
            };
            let start = start.get(i).and_then(|s| parse_date(s, Some("any")));
            end <= eff && start.is_none_or(|s| s <= end)
        })
        .collect()
}

/// The geometries of `layer` (a layer of a version effective on `effective`) that take part
/// as `diff` has it: a retired feature's is `None`. Borrowed when none is retired.
pub(crate) fn active_geometries(
    layer: &BoundLayer,
    effective: Option<NaiveDate>,
) -> Cow<'_, [Option<Geometry>]> {
    let all = &layer.layer.geometries[..];
    let retired = retired(layer, effective);
    if !retired.contains(&true) {
        return Cow::Borrowed(all);
    }
    Cow::Owned(
        all.iter()
            .zip(retired)
            .map(|(g, r)| if r { None } else { g.clone() })
            .collect(),
    )
}

fn codes(layer: &BoundLayer) -> Vec<String> {
    (0..layer.len())
        .map(|i| {
            layer
                .get(i, "code")
                .map(str::trim)
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// The code range naming a feature's parent (the grid code's community part, the community
/// code's street part), from the profile's code layout.
fn parent_range(profile: &Profile, kind: LayerKind) -> Option<std::ops::Range<usize>> {
    let duty_parent = profile.parent_of(kind).map(|(_, field)| field);
    let field = match kind {
        LayerKind::Grids => "community",
        LayerKind::Communities => "street",
        // A duty grid's parent (its street) by the foreign key to its schema's parent layer.
        LayerKind::Duty(_) => duty_parent.as_deref()?,
        _ => return None,
    };
    profile
        .layer(kind)?
        .code
        .as_ref()?
        .equals
        .iter()
        .find(|e| e.target == Target::Field(field.to_string()))
        .map(|e| e.range.clone())
}

struct Prepared<'a> {
    codes: Vec<String>,
    geometries: Vec<Option<&'a Geometry>>,
    retired: Vec<bool>,
}

fn prepare<'a>(
    layer: &'a BoundLayer,
    effective: Option<NaiveDate>,
    side: &str,
    findings: &mut Vec<Finding>,
) -> Prepared<'a> {
    let codes = codes(layer);
    let retired = retired(layer, effective);
    // Each geometry checked in parallel; the skipped ones reported in feature order.
    let geometries: Vec<Option<&Geometry>> = (0..layer.len())
        .into_par_iter()
        .map(|i| {
            let g = layer.geometry(i).filter(|_| !retired[i])?;
            geometry_validity_errors(g).is_empty().then_some(g)
        })
        .collect();
    for (i, g) in geometries.iter().enumerate() {
        if g.is_none() && !retired[i] {
            findings.push(
                Finding::new(
                    Rule::DiffSkipped,
                    layer.kind.name(),
                    Msg::DiffSkipped {
                        version: side.to_string(),
                    },
                )
                .at(i, layer.key(i)),
            );
        }
    }
    Prepared {
        codes,
        geometries,
        retired,
    }
}

fn side<'a>(p: &'a Prepared<'a>, parents: &'a [Option<String>]) -> Side<'a> {
    Side {
        codes: p.codes.iter().map(String::as_str).collect(),
        geometries: p.geometries.clone(),
        parents: parents.iter().map(|x| x.as_deref()).collect(),
    }
}

/// Geometries by feature index (`None`: the feature takes no part).
type Geometries = Vec<Option<Geometry>>;

/// Compares last year's dataset with this year's.
///
/// Two versions in different CRSs are compared in the new one's: the old one is transformed
/// to it first ([`crate::reprojection::align`]; callers that also write the old version's
/// geometries, as `changes.geojson` does, align the datasets themselves and pass the aligned
/// ones). Fails only when no transformation is possible (an unrecognised CRS, a datum change
/// without the city's parameters).
pub fn run(old: &Dataset, new: &Dataset, profile: &Profile, t: &Thresholds) -> Result<ChangeSet> {
    let (old, new) = crate::reprojection::align(old, new)?;
    let (old, new) = (old.as_ref(), new.as_ref());
    let manifest_crs = new.crs();
    let mut findings = Vec::new();
    let mut layers = Vec::new();
    let mut measure = Measure::Planar;
    // The grids of both versions that take part, to locate components in.
    let mut grid_geoms: Option<(Geometries, Geometries)> = None;
    // The administrative layers, the unit grids, and the profile's duty layers (责任网格).
    let kinds = [LayerKind::Streets, LayerKind::Communities, LayerKind::Grids]
        .into_iter()
        .chain(profile.duty_layers());
    for kind in kinds {
        let (Some(ol), Some(nl)) = (old.layer(kind), new.layer(kind)) else {
            continue;
        };
        let clock = Instant::now();
        measure = Measure::of_layer(&nl.layer, manifest_crs.as_ref());
        let po = prepare(ol, old.manifest.effective, "old", &mut findings);
        let pn = prepare(nl, new.manifest.effective, "new", &mut findings);
        let range = parent_range(profile, kind);
        let parents = |codes: &[String]| -> Vec<Option<String>> {
            codes
                .iter()
                .map(|c| {
                    range
                        .as_ref()
                        .and_then(|r| c.get(r.clone()))
                        .map(str::to_string)
                })
                .collect()
        };
        let (opar, npar) = (parents(&po.codes), parents(&pn.codes));
        let bar = |pairs| {
            progress::bar(
                |l| {
                    let layer = l.pick(kind.chinese(), kind.english());
                    format!("{} {layer}", Text::StageDiff.get(l))
                },
                pairs,
                Unit::Pairs,
                10_000,
            )
        };
        let lin = lineage::lineage_with(&side(&po, &opar), &side(&pn, &npar), measure, t, &bar)
            .map_err(|problem| Error::Malformed {
                path: nl.layer.source.clone(),
                problem,
            })?;
        code_reuse(kind, &po, &pn, &lin, ol, nl, measure, t, &mut findings);
        timing::record(&format!("diff.lineage.{}", kind.name()), clock.elapsed());
        if kind == LayerKind::Grids {
            grid_geoms = Some((
                po.geometries.iter().map(|g| g.cloned()).collect(),
                pn.geometries.iter().map(|g| g.cloned()).collect(),
            ));
        }
        layers.push(LayerDiff {
            layer: kind,
            old_codes: po.codes,
            new_codes: pn.codes,
            lineage: lin,
        });
    }
    let mut component_changes = Vec::new();
    let clock = Instant::now();
    if let (Some(oc), Some(nc)) = (
        old.layer(LayerKind::Components),
        new.layer(LayerKind::Components),
    ) {
        fn grids_of<'a>(
            d: &'a Dataset,
            geoms: Option<&Vec<Option<Geometry>>>,
            l: &'a BoundLayer,
        ) -> Vec<Option<&'a str>> {
            let codes: Vec<&str> = d.layer(LayerKind::Grids).map_or_else(Vec::new, |g| {
                let code = g.field("code");
                (0..g.len())
                    .map(|i| code.get(i).map_or("", str::trim))
                    .collect()
            });
            match geoms {
                Some(g) => located_grids(l, g, &codes),
                None => located_grids(l, &[], &[]),
            }
        }
        let cm = Measure::of_layer(&nc.layer, manifest_crs.as_ref());
        let active = |d: &Dataset, l: &BoundLayer| -> Vec<bool> {
            retired(l, d.manifest.effective)
                .into_iter()
                .map(|r| !r)
                .collect()
        };
        let (old_c, new_c) = rayon::join(
            || Components {
                layer: oc,
                active: active(old, oc),
                grid: grids_of(old, grid_geoms.as_ref().map(|g| &g.0), oc),
            },
            || Components {
                layer: nc,
                active: active(new, nc),
                grid: grids_of(new, grid_geoms.as_ref().map(|g| &g.1), nc),
            },
        );
        let (changes, reused) = components::compare(&old_c, &new_c, cm, t);
        component_changes = changes;
        for r in reused {
            let code = nc.get(r.new, "code").unwrap_or("").trim().to_string();
            findings.push(
                Finding::new(
                    Rule::DiffCodeReused,
                    LayerKind::Components.name(),
                    Msg::CodeReused {
                        code,
                        retired: false,
                    },
                )
                .at(r.new, nc.key(r.new))
                .measured(r.distance),
            );
        }
        timing::record("diff.components", clock.elapsed());
    }
    finding::sort(&mut findings);
    Ok(ChangeSet {
        crs: manifest_crs.map(|c| c.label()),
        measure,
        old_effective: old.manifest.effective,
        new_effective: new.manifest.effective,
        layers,
        components: component_changes,
        findings,
    })
}

/// The most old records under one code a new feature's code is judged against.
const RECORDS_A_CODE: usize = 16;

/// A code in use last year (or retired) now given to a feature somewhere else.
#[allow(clippy::too_many_arguments)]
fn code_reuse(
    kind: LayerKind,
    old: &Prepared,
    new: &Prepared,
    lin: &Lineage,
    ol: &BoundLayer,
    nl: &BoundLayer,
    measure: Measure,
    t: &Thresholds,
    out: &mut Vec<Finding>,
) {
    // The larger share of each old × new pair, to look pairs up by their ends.
    let mut pair_share: HashMap<(usize, usize), f64> = HashMap::with_capacity(lin.pairs.len());
    for p in &lin.pairs {
        let s = pair_share
            .entry((p.old, p.new))
            .or_insert(f64::NEG_INFINITY);
        *s = s.max(p.share_old.max(p.share_new));
    }
    // The old features under each code, in order (a retired record and its successor in
    // history may share one): those in use first, at most RECORDS_A_CODE (a placeholder code
    // on thousands tells nothing of a reuse).
    let mut old_by_code: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in old.codes.iter().enumerate() {
        if !c.is_empty() {
            old_by_code.entry(c.as_str()).or_default().push(i);
        }
    }
    for olds in old_by_code.values_mut() {
        olds.sort_by_key(|&o| old.retired[o]);
        olds.truncate(RECORDS_A_CODE);
    }
    for (n, c) in new.codes.iter().enumerate() {
        let (Some(olds), Some(ng)) = (old_by_code.get(c.as_str()), new.geometries[n]) else {
            continue;
        };
        // Where each old feature with this code was: from the lineage, or (retired) directly.
        // One left out (null or invalid: DIFF-SKIPPED, or retired without geometry) cannot
        // tell where it was, so neither can it tell a reuse.
        let at_same_place = |o: usize| -> Option<bool> {
            if old.retired[o] {
                let og = ol.geometry(o)?;
                let int = measure.area(&Geometry::MultiPolygon(
                    as_multi(og).intersection(&as_multi(ng)),
                ));
                Some(
                    int >= t.lineage_min_area_m2
                        && int >= 0.5 * lin.new_area[n].min(measure.area(og)),
                )
            } else {
                old.geometries[o]?;
                Some(pair_share.get(&(o, n)).is_some_and(|&share| share >= 0.5))
            }
        };
        let judged: Vec<(usize, bool)> = olds
            .iter()
            .filter_map(|&o| Some((o, at_same_place(o)?)))
            .collect();
        // Reused when every old feature that can tell was elsewhere: the finding names the
        // first of them (in use before retired).
        let o = match judged.first() {
            Some(&(o, _)) if !judged.iter().any(|&(_, same)| same) => o,
            _ => continue,
        };
        out.push(
            Finding::new(
                Rule::DiffCodeReused,
                kind.name(),
                Msg::CodeReused {
                    code: c.clone(),
                    retired: old.retired[o],
                },
            )
            .at(n, nl.key(n)),
        );
    }
}
