//! The spatial rules over a dataset, in order: each feature's geometry, each polygon
//! layer's coverage, nesting of grids in communities in streets, and the points.

use std::collections::HashSet;
use std::time::Instant;

use foldhash::fast::FixedState;
use geo::{MultiPolygon, Polygon};
use rayon::prelude::*;

use super::coverage::Coverage;
use super::geometry::{self, LayerGeometry};
use super::nesting::{self, Children};
use super::points::{self, Area, Points};
use super::{begin, end};
use crate::finding::Finding;
use crate::io::crs::{Crs, CrsSource};
use crate::io::{GeometryKind, Layer};
use crate::measure::Measure;
use crate::model::{BoundLayer, Dataset, LayerKind};
use crate::progress::Bar;
use crate::schema::{Profile, Thresholds};

struct Checked<'a> {
    bound: &'a BoundLayer,
    keys: Vec<String>,
    valid: Vec<bool>,
    measure: Measure,
}

fn keys_of(bound: &BoundLayer) -> Vec<String> {
    bound.keys()
}

/// Runs the spatial rules of a dataset.
pub(super) fn check(
    ds: &Dataset,
    profile: &Profile,
    t: &Thresholds,
    bar: &Bar,
    out: &mut Vec<Finding>,
) {
    let manifest_crs = ds
        .manifest
        .crs
        .as_deref()
        .map(|c| Crs::parse(c, CrsSource::Manifest));
    let mut checked: Vec<(LayerKind, Checked)> = Vec::new();
    begin(bar, "validate.geometry");
    let clock = Instant::now();
    for (kind, bound) in &ds.layers {
        let Some(schema) = profile.layer(*kind) else {
            continue;
        };
        let keys = keys_of(bound);
        let measure = Measure::of_layer(&bound.layer, manifest_crs.as_ref());
        let (findings, valid) = geometry::check(
            &LayerGeometry {
                name: kind.name(),
                layer: &bound.layer,
                keys: &keys,
                expected: schema.geometry,
                optional: schema.optional_geometry,
                grids: *kind == LayerKind::Grids,
                measure,
            },
            t,
        );
        out.extend(findings);
        checked.push((
            *kind,
            Checked {
                bound,
                keys,
                valid,
                measure,
            },
        ));
    }
    end(bar, "validate.geometry", clock);
    begin(bar, "validate.coverage");
    let clock = Instant::now();
    let get = |k: LayerKind| checked.iter().find(|(kind, _)| *kind == k).map(|(_, c)| c);
    // The polygon layers with a coverage: the administrative ones, the unit grids and the
    // profile's duty layers (责任网格).
    let polygon_kinds: Vec<LayerKind> =
        [LayerKind::Streets, LayerKind::Communities, LayerKind::Grids]
            .into_iter()
            .chain(profile.duty_layers())
            .collect();
    let coverages: Vec<(LayerKind, Coverage)> = polygon_kinds
        .par_iter()
        .copied()
        .filter_map(|k| {
            let c = get(k)?;
            (c.bound.layer.geometry_kind == GeometryKind::Polygon
                || c.bound.layer.geometry_kind == GeometryKind::Mixed)
                .then(|| {
                    (
                        k,
                        Coverage::new(
                            k.name(),
                            &c.bound.layer.geometries,
                            &c.valid,
                            &c.keys,
                            c.measure,
                        ),
                    )
                })
        })
        .collect();
    let coverage = |k: LayerKind| {
        coverages
            .iter()
            .find(|(kind, _)| *kind == k)
            .map(|(_, c)| c)
    };
    // The jurisdiction is the union of the streets.
    let streets_union: Option<MultiPolygon> = coverage(LayerKind::Streets).map(Coverage::union);
    // Each layer's overlaps and gaps, the layers side by side; the findings in layer order.
    let checked_coverages: Vec<(Vec<Finding>, Vec<Finding>, Vec<Polygon>)> = coverages
        .par_iter()
        .map(|(kind, c)| {
            let neighbours = c.neighbours(t);
            let (union, jurisdiction) = match (kind, &streets_union) {
                (LayerKind::Streets, Some(u)) => (u.clone(), None),
                (_, Some(u)) => (c.union(), Some(u)),
                (_, None) => (c.union(), None),
            };
            let (findings, gaps) = c.gaps(jurisdiction, &union, t);
            (neighbours, findings, gaps)
        })
        .collect();
    let mut gaps_of: Vec<(LayerKind, Vec<Polygon>)> = Vec::new();
    for ((kind, _), (neighbours, findings, gaps)) in coverages.iter().zip(checked_coverages) {
        out.extend(neighbours);
        out.extend(findings);
        gaps_of.push((*kind, gaps));
    }
    end(bar, "validate.coverage", clock);
    begin(bar, "validate.nesting");
    let clock = Instant::now();
    // Nesting: grids in communities, communities in streets, each duty layer in its parent.
    let mut nestings: Vec<(LayerKind, LayerKind, String)> = vec![
        (
            LayerKind::Grids,
            LayerKind::Communities,
            "community".to_string(),
        ),
        (
            LayerKind::Communities,
            LayerKind::Streets,
            "street".to_string(),
        ),
    ];
    for duty in profile.duty_layers() {
        if let Some((parent, field)) = profile.parent_of(duty) {
            nestings.push((duty, parent, field));
        }
    }
    for (child, parent, field) in nestings {
        let (field, word) = (field.as_str(), parent.name());
        let (Some(cc), Some(pc), Some(cb), Some(pb)) =
            (coverage(child), coverage(parent), get(child), get(parent))
        else {
            continue;
        };
        if cb.bound.fields.column(field).is_none() {
            continue; // FIELD-MISSING says it; without the field there is nothing to compare
        }
        let parent_codes: Vec<Option<&str>> = (0..pb.bound.len())
            .map(|i| pb.bound.get(i, "code"))
            .collect();
        // A parent code that names no parent is KEY-FOREIGN's to report, not nesting's.
        let known: HashSet<&str> = parent_codes.iter().flatten().copied().collect();
        let stated: Vec<Option<&str>> = (0..cb.bound.len())
            .map(|i| {
                cb.bound
                    .get(i, field)
                    .map(str::trim)
                    .filter(|s| known.contains(s))
            })
            .collect();
        let gaps = gaps_of
            .iter()
            .find(|(k, _)| *k == child)
            .map(|(_, g)| g.as_slice())
            .unwrap_or(&[]);
        let children = Children {
            cover: cc,
            stated,
            parent_word: word,
        };
        out.extend(nesting::check(&children, pc, &parent_codes, gaps, t));
    }
    // Each unit grid in one duty grid of each duty layer.
    if let Some(grids) = coverage(LayerKind::Grids) {
        for duty in profile.duty_layers() {
            if let Some(d) = coverage(duty) {
                out.extend(super::duty::split_grids(grids, d, t));
            }
        }
    }
    end(bar, "validate.nesting", clock);
    begin(bar, "validate.points");
    let clock = Instant::now();
    // Points.
    let area = |k: LayerKind| {
        coverage(k).map(|c| Area {
            geometries: c.geometries,
            index: &c.index,
            keys: c.keys,
            coded: get(k).is_some_and(|l| l.bound.fields.column("code").is_some()),
            valid: c.valid,
            any_invalid: c.valid.iter().any(|&v| !v),
        })
    };
    let (grids_area, streets_area) = (area(LayerKind::Grids), area(LayerKind::Streets));
    let grid_codes: HashSet<&str, FixedState> = get(LayerKind::Grids)
        .map(|g| {
            let code = g.bound.field("code");
            (0..g.bound.len()).filter_map(|i| code.get(i)).collect()
        })
        .unwrap_or_default();
    if let Some(c) = get(LayerKind::Components) {
        let p = Points {
            name: "components",
            geometries: &c.bound.layer.geometries,
            keys: &c.keys,
            // A grid code that names no grid is KEY-FOREIGN's to report.
            stated_grid: Some({
                let grid = c.bound.field("grid");
                (0..c.bound.len())
                    .into_par_iter()
                    .map(|i| grid.get(i).filter(|g| grid_codes.contains(g.trim())))
                    .collect()
            }),
            group: {
                let class = c.bound.field("class");
                (0..c.bound.len()).map(|i| class.get(i)).collect()
            },
            measure: c.measure,
        };
        out.extend(points::components(
            &p,
            grids_area.as_ref(),
            streets_area.as_ref(),
            t,
        ));
    }
    if let Some(c) = get(LayerKind::Pois) {
        let p = Points {
            name: "pois",
            geometries: &c.bound.layer.geometries,
            keys: &c.keys,
            stated_grid: None,
            group: (0..c.bound.len()).map(|i| c.bound.get(i, "name")).collect(),
            measure: c.measure,
        };
        out.extend(points::addresses(&p, streets_area.as_ref(), t));
    }
    end(bar, "validate.points", clock);
}

/// The spatial rules of a single file: geometry, and coverage for polygons.
pub(super) fn check_file(
    layer: &Layer,
    name: &str,
    keys: &[String],
    t: &Thresholds,
    out: &mut Vec<Finding>,
) {
    let measure = Measure::of_layer(layer, None);
    let expected = match layer.geometry_kind {
        GeometryKind::Mixed => GeometryKind::None,
        k => k,
    };
    let (findings, valid) = geometry::check(
        &LayerGeometry {
            name,
            layer,
            keys,
            expected,
            optional: false,
            grids: false,
            measure,
        },
        t,
    );
    out.extend(findings);
    if layer.geometry_kind == GeometryKind::Polygon {
        let c = Coverage::new(name, &layer.geometries, &valid, keys, measure);
        out.extend(c.neighbours(t));
        let union = c.union();
        out.extend(c.gaps(None, &union, t).0);
    }
}
