//! Per-feature geometry (几何检查): OGC validity with JTS's error names and a location,
//! hygiene (null, wrong kind, Z/M, repeated vertices, short segments, slivers, small
//! polygons) and the unit grid's area guidance.

use geo::{Coord, CoordsIter, Geometry};
use rayon::prelude::*;

use crate::finding::{Finding, Rule};
use crate::geom::{polygons, rings};
use crate::i18n::Msg;
use crate::io::{GeometryKind, Layer, RawDefect};
use crate::measure::Measure;
use crate::schema::Thresholds;

/// What the geometry checks of one layer need to know.
pub(super) struct LayerGeometry<'a> {
    /// The layer's name in findings.
    pub name: &'a str,
    /// The data.
    pub layer: &'a Layer,
    /// Feature keys (code, or `#i`).
    pub keys: &'a [String],
    /// The geometry kind the layer needs (`None`: any).
    pub expected: GeometryKind,
    /// Features may lack a geometry.
    pub optional: bool,
    /// Apply the unit grid's area guidance.
    pub grids: bool,
    /// How to measure.
    pub measure: Measure,
}

/// Checks every feature; returns the findings in feature order and, per feature, whether
/// its polygon is valid (the coverage and nesting checks use valid polygons only).
pub(super) fn check(l: &LayerGeometry, t: &Thresholds) -> (Vec<Finding>, Vec<bool>) {
    let mut defects: Vec<Vec<&RawDefect>> = vec![Vec::new(); l.layer.len()];
    for (i, d) in &l.layer.defects {
        if let Some(v) = defects.get_mut(*i) {
            v.push(d);
        }
    }
    let per_feature: Vec<(Vec<Finding>, bool)> = (0..l.layer.len())
        .into_par_iter()
        .map(|i| feature(l, t, i, &defects[i]))
        .collect();
    let mut out = Vec::new();
    if l.layer.has_z_or_m && !t.allow_z_m {
        out.push(Finding::new(Rule::GeomZm, l.name, Msg::GeomZm));
    }
    let mut valid = Vec::with_capacity(per_feature.len());
    for (f, ok) in per_feature {
        out.extend(f);
        valid.push(ok);
    }
    (out, valid)
}

fn feature(
    l: &LayerGeometry,
    t: &Thresholds,
    i: usize,
    raw: &[&RawDefect],
) -> (Vec<Finding>, bool) {
    let mut out = Vec::new();
    let at = |rule, msg| Finding::new(rule, l.name, msg).at(i, l.keys[i].clone());
    let mut broken = false;
    for d in raw {
        let f = match d {
            RawDefect::RingNotClosed { ring, at: xy } => {
                at(Rule::GeomRingNotClosed, Msg::RingNotClosed { ring: *ring }).located(*xy)
            }
            RawDefect::TooFewPoints { part, points } => {
                broken = true;
                at(
                    Rule::GeomTooFewPoints,
                    Msg::TooFewPoints {
                        part: *part,
                        points: *points,
                    },
                )
            }
            RawDefect::NonFiniteCoordinate { part } => {
                broken = true;
                at(
                    Rule::GeomInvalidCoordinate,
                    Msg::InvalidCoordinate { part: *part },
                )
            }
            RawDefect::UnparsableCoordinate { text } => at(
                Rule::GeomCoordinateText,
                Msg::CoordinateText { text: text.clone() },
            ),
        };
        out.push(f);
    }
    // An empty geometry (GeoJSON `"coordinates": []`, a shapefile polygon of no parts) is
    // no geometry, as GDAL reads it: `GEOM-NULL` like a null one.
    let Some(g) = l.layer.geometries[i]
        .as_ref()
        .filter(|g| g.coords_iter().next().is_some())
    else {
        if !l.optional && raw.is_empty() {
            out.push(at(Rule::GeomNull, Msg::GeomNull));
        }
        return (out, false);
    };
    let kind = GeometryKind::of(g);
    if l.expected != GeometryKind::None && kind != l.expected {
        out.push(at(
            Rule::GeomType,
            Msg::GeomType {
                found: kind.name().to_string(),
                expected: l.expected.name().to_string(),
            },
        ));
        return (out, false);
    }
    if kind != GeometryKind::Polygon || broken {
        return (out, false);
    }
    let errors = super::validity::geometry_validity_errors(g);
    for e in &errors {
        let rule = validity_rule(e.kind.id());
        out.push(
            at(
                rule,
                Msg::GeomInvalid {
                    defect: e.kind.id().to_string(),
                    polygon: e.polygon,
                    ring: e.ring,
                },
            )
            .located([e.location.x, e.location.y]),
        );
    }
    let valid = errors.is_empty();
    if valid {
        hygiene(l, t, i, g, &mut out);
    }
    (out, valid)
}

/// The rule of a validity error kind.
fn validity_rule(id: &str) -> Rule {
    match id {
        "too-few-points" => Rule::GeomTooFewPoints,
        "invalid-coordinate" => Rule::GeomInvalidCoordinate,
        "ring-self-intersection" => Rule::GeomRingSelfIntersection,
        "hole-outside-shell" => Rule::GeomHoleOutsideShell,
        "nested-holes" => Rule::GeomNestedHoles,
        "disconnected-interior" => Rule::GeomDisconnectedInterior,
        "nested-shells" => Rule::GeomNestedShells,
        "duplicate-rings" => Rule::GeomDuplicateRings,
        "parts-share-edge" => Rule::GeomPartsShareEdge,
        "too-complex" => Rule::GeomTooComplex,
        _ => Rule::GeomSelfIntersection,
    }
}

fn hygiene(l: &LayerGeometry, t: &Thresholds, i: usize, g: &Geometry, out: &mut Vec<Finding>) {
    let at = |rule, msg| Finding::new(rule, l.name, msg).at(i, l.keys[i].clone());
    let mut repeated = 0usize;
    let mut first_repeat: Option<Coord> = None;
    let mut shortest: Option<(f64, Coord)> = None;
    for r in rings(g) {
        for w in r.0.windows(2) {
            if w[0] == w[1] {
                repeated += 1;
                first_repeat.get_or_insert(w[0]);
                continue;
            }
            let d = l.measure.distance(w[0], w[1]);
            if d < t.min_segment_m && shortest.is_none_or(|(s, _)| d < s) {
                shortest = Some((d, w[0]));
            }
        }
    }
    if let Some(c) = first_repeat {
        out.push(
            at(
                Rule::GeomRepeatedVertex,
                Msg::RepeatedVertex { count: repeated },
            )
            .located([c.x, c.y]),
        );
    }
    if let Some((d, c)) = shortest {
        out.push(
            at(
                Rule::GeomShortSegment,
                Msg::ShortSegment {
                    length: d,
                    min: t.min_segment_m,
                },
            )
            .located([c.x, c.y])
            .measured(d),
        );
    }
    let area = l.measure.area(g);
    let first = rings(g).next().and_then(|r| r.0.first().copied());
    let loc = first.map(|c| [c.x, c.y]);
    let perimeter: f64 = polygons(g).iter().map(|p| l.measure.perimeter(p)).sum();
    let thinness = if perimeter > 0.0 {
        4.0 * std::f64::consts::PI * area / (perimeter * perimeter)
    } else {
        0.0
    };
    let mut f = if area < t.min_area_m2 {
        Some(at(
            Rule::GeomSmallArea,
            Msg::SmallArea {
                area,
                min: t.min_area_m2,
            },
        ))
    } else if thinness < t.sliver_thinness && area < t.sliver_max_area_m2 {
        Some(at(Rule::GeomSliver, Msg::Sliver { area, thinness }))
    } else if l.grids
        && (area < t.grid_area_nominal_m2 / t.grid_area_factor
            || area > t.grid_area_nominal_m2 * t.grid_area_factor)
    {
        Some(at(
            Rule::GridArea,
            Msg::GridArea {
                area,
                nominal: t.grid_area_nominal_m2,
                factor: t.grid_area_factor,
            },
        ))
    } else {
        None
    };
    if let (Some(finding), Some(xy)) = (f.take(), loc) {
        out.push(finding.located(xy).measured(area));
    }
}
