//! Polygon validity (多边形拓扑有效性) as OGC simple features define it and JTS/GEOS
//! `IsValidOp` checks it, with a location for every error.
//!
//! Unlike [`geo::Validation`], every error carries a coordinate, and the kinds follow
//! JTS/GEOS: self-intersections, self-touching rings, holes outside their shell or nested,
//! a disconnected interior, nested shells, duplicate rings and parts sharing an edge.
//! Repeated consecutive vertices and ring orientation are not errors.
//!
//! How: repeated points are removed; segments of every ring are grouped in chunks of 8,
//! indexed by an R-tree for rings of more than 64 segments, and every pair of segments with
//! intersecting envelopes is classified with robust predicates. That is O(n log n) when
//! each segment's envelope meets few others, as in real boundaries (a ring of a million
//! vertices takes about 0.1 s); a ring of long spikes packed side by side, where every
//! envelope meets thousands of others, costs up to quadratic time. Touches between rings of
//! a part form a graph of ring and point nodes; a cycle splits the interior. Rings that
//! neither cross nor overlap are then tested for nesting by point location.
//!
//! ```
//! use geo::wkt;
//! use gridkeeper::validate::validity::{Validity, ValidityKind};
//!
//! let bow_tie = wkt!(POLYGON((0. 0., 10. 10., 10. 0., 0. 10., 0. 0.)));
//! let errors = bow_tie.validity_errors();
//! assert_eq!(errors.len(), 1);
//! assert_eq!(errors[0].kind, ValidityKind::SelfIntersection);
//! assert_eq!(errors[0].location, geo::coord! { x: 5., y: 5. });
//! ```

mod index;
mod intersect;
mod rings;
mod topology;

use std::ops::Range;

use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};

use self::index::{intersecting_pairs, Budget};
use self::rings::{dedup, Ring};
use self::topology::{is_ring_nested, nested_point, TouchGraph};

/// Kinds of validity error, named as JTS/GEOS name them.
///
/// GEOS reports [`NestedShells`](Self::NestedShells) and the rest under its own names, but
/// folds [`DuplicateRings`](Self::DuplicateRings) and
/// [`PartsShareEdge`](Self::PartsShareEdge) into "Self-intersection".
///
/// ```
/// use gridkeeper::validate::validity::ValidityKind;
/// assert_eq!(ValidityKind::HoleOutsideShell.id(), "hole-outside-shell");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValidityKind {
    /// A ring with fewer than 3 distinct consecutive points (4 with the closing point).
    TooFewPoints,
    /// A NaN or infinite coordinate; the polygon is not checked further.
    InvalidCoordinate,
    /// Segments crossing, or overlapping along a line (a spike, a cut line), within a
    /// ring or between rings of a polygon; or the shells of two parts crossing.
    SelfIntersection,
    /// A ring touching itself at a point (a self-tangency, the ESRI "inverted hole").
    RingSelfIntersection,
    /// A hole outside its shell, wholly or partly.
    HoleOutsideShell,
    /// A hole inside another hole.
    NestedHoles,
    /// Holes touching each other or the shell at points that split the interior.
    DisconnectedInterior,
    /// The shell of a part inside another part (and not inside one of its holes).
    NestedShells,
    /// Two rings with the same vertex cycle, whatever the start and direction.
    DuplicateRings,
    /// Two parts of a multipolygon whose boundaries share a segment.
    PartsShareEdge,
    /// Rings whose envelopes meet in more pairs than the check may visit (tens of thousands
    /// of rings nested or piled on each other): not checked to the end, not valid.
    TooComplex,
}

impl ValidityKind {
    /// Every kind, in order.
    ///
    /// ```
    /// use gridkeeper::validate::validity::ValidityKind;
    /// assert_eq!(ValidityKind::ALL.len(), 11);
    /// ```
    pub const ALL: [ValidityKind; 11] = [
        ValidityKind::TooFewPoints,
        ValidityKind::InvalidCoordinate,
        ValidityKind::SelfIntersection,
        ValidityKind::RingSelfIntersection,
        ValidityKind::HoleOutsideShell,
        ValidityKind::NestedHoles,
        ValidityKind::DisconnectedInterior,
        ValidityKind::NestedShells,
        ValidityKind::DuplicateRings,
        ValidityKind::PartsShareEdge,
        ValidityKind::TooComplex,
    ];

    /// The stable suffix used in rule ids, e.g. `self-intersection`.
    ///
    /// ```
    /// use gridkeeper::validate::validity::ValidityKind;
    /// assert_eq!(ValidityKind::RingSelfIntersection.id(), "ring-self-intersection");
    /// ```
    pub fn id(&self) -> &'static str {
        match self {
            ValidityKind::TooFewPoints => "too-few-points",
            ValidityKind::InvalidCoordinate => "invalid-coordinate",
            ValidityKind::SelfIntersection => "self-intersection",
            ValidityKind::RingSelfIntersection => "ring-self-intersection",
            ValidityKind::HoleOutsideShell => "hole-outside-shell",
            ValidityKind::NestedHoles => "nested-holes",
            ValidityKind::DisconnectedInterior => "disconnected-interior",
            ValidityKind::NestedShells => "nested-shells",
            ValidityKind::DuplicateRings => "duplicate-rings",
            ValidityKind::PartsShareEdge => "parts-share-edge",
            ValidityKind::TooComplex => "too-complex",
        }
    }
}

/// One validity error and where it is.
///
/// An error between two rings is reported on the later one (higher part, then ring index):
/// a hole crossing its shell is reported on the hole, two overlapping parts on the second.
///
/// ```
/// use geo::wkt;
/// use gridkeeper::validate::validity::{Validity, ValidityKind};
///
/// let p = wkt!(POLYGON((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (20. 20., 20. 25., 25. 25., 20. 20.)));
/// let e = p.validity_errors()[0];
/// assert_eq!((e.kind, e.polygon, e.ring), (ValidityKind::HoleOutsideShell, 0, 1));
/// assert_eq!(e.location, geo::coord! { x: 20., y: 20. });
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidityError {
    /// What is wrong.
    pub kind: ValidityKind,
    /// Where: an intersection or touch point, or the first point of the offending ring.
    pub location: Coord,
    /// Part index in a multipolygon, 0 for a polygon.
    pub polygon: usize,
    /// Ring index in the part: 0 = shell, 1.. = holes.
    pub ring: usize,
}

/// OGC validity of polygonal geometries, with locations.
///
/// Errors come sorted by polygon, ring, kind and location, without duplicates. A crossing
/// is listed at each crossing point, a spike at its tip; other overlaps along a line once
/// per pair of rings, at the lowest point of the overlap. Parts whose rings cross, overlap,
/// touch themselves or duplicate each other are not tested further for holes outside the
/// shell, nesting or a disconnected interior (those tests need simple rings), as JTS stops
/// at its first error. After 1,000 intersection problems in one geometry the scan stops
/// and those later tests are skipped for all parts; the list is then incomplete but never
/// empty. Rings are compared in pairs whose envelopes meet, at most
/// [`crate::index::pair_budget`] of them for the geometry (64 a ring and 100,000): past it
/// the check stops with [`ValidityKind::TooComplex`] on the first ring, so that tens of
/// thousands of nested rings take seconds, not hours.
///
/// ```
/// use geo::wkt;
/// use gridkeeper::validate::validity::Validity;
///
/// let square = wkt!(POLYGON((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.)));
/// assert!(square.is_valid());
/// ```
pub trait Validity {
    /// Every validity error, sorted.
    ///
    /// ```
    /// use geo::wkt;
    /// use gridkeeper::validate::validity::{Validity, ValidityKind};
    ///
    /// let spike = wkt!(POLYGON((0. 0., 10. 0., 10. 5., 15. 5., 10. 5., 10. 10., 0. 10., 0. 0.)));
    /// assert_eq!(spike.validity_errors()[0].kind, ValidityKind::SelfIntersection);
    /// ```
    fn validity_errors(&self) -> Vec<ValidityError>;

    /// Whether there are no validity errors.
    ///
    /// ```
    /// use geo::wkt;
    /// use gridkeeper::validate::validity::Validity;
    ///
    /// let corners = wkt!(MULTIPOLYGON(((0. 0., 1. 0., 1. 1., 0. 1., 0. 0.)), ((1. 1., 2. 1., 2. 2., 1. 2., 1. 1.))));
    /// assert!(corners.is_valid());
    /// ```
    fn is_valid(&self) -> bool {
        self.validity_errors().is_empty()
    }
}

/// A polygon: part index 0.
///
/// ```
/// use geo::wkt;
/// use gridkeeper::validate::validity::Validity;
/// assert!(!wkt!(POLYGON((0. 0., 10. 10., 10. 0., 0. 10., 0. 0.))).is_valid());
/// ```
impl Validity for Polygon<f64> {
    fn validity_errors(&self) -> Vec<ValidityError> {
        check(&[self])
    }
}

/// A multipolygon: parts are checked together (overlaps, shared edges, nesting).
///
/// ```
/// use geo::wkt;
/// use gridkeeper::validate::validity::{Validity, ValidityKind};
/// let mp = wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.)), ((10. 0., 20. 0., 20. 10., 10. 10., 10. 0.))));
/// assert_eq!(mp.validity_errors()[0].kind, ValidityKind::PartsShareEdge);
/// ```
impl Validity for MultiPolygon<f64> {
    fn validity_errors(&self) -> Vec<ValidityError> {
        let parts: Vec<&Polygon<f64>> = self.0.iter().collect();
        check(&parts)
    }
}

/// Validity errors of a geometry: polygons, multipolygons, rectangles and triangles are
/// checked; other kinds (points, lines, collections) give no errors.
///
/// ```
/// use geo::{wkt, Geometry};
/// use gridkeeper::validate::validity::geometry_validity_errors;
/// let g = Geometry::Polygon(wkt!(POLYGON((0. 0., 10. 10., 10. 0., 0. 10., 0. 0.))));
/// assert_eq!(geometry_validity_errors(&g).len(), 1);
/// assert!(geometry_validity_errors(&Geometry::Point(geo::point! { x: 1., y: 2. })).is_empty());
/// ```
pub fn geometry_validity_errors(geometry: &Geometry<f64>) -> Vec<ValidityError> {
    match geometry {
        Geometry::Polygon(p) => p.validity_errors(),
        Geometry::MultiPolygon(mp) => mp.validity_errors(),
        Geometry::Rect(r) => r.to_polygon().validity_errors(),
        Geometry::Triangle(t) => t.to_polygon().validity_errors(),
        _ => Vec::new(),
    }
}

fn error(kind: ValidityKind, location: Coord, polygon: usize, ring: usize) -> ValidityError {
    ValidityError {
        kind,
        location,
        polygon,
        ring,
    }
}

fn error_on(kind: ValidityKind, location: Coord, ring: &Ring) -> ValidityError {
    error(kind, location, ring.part, ring.ring)
}

/// The whole check over the parts of a (multi)polygon.
fn check(parts: &[&Polygon<f64>]) -> Vec<ValidityError> {
    let mut errors = Vec::new();
    let mut rings: Vec<Ring> = Vec::new();
    // The rings of each analysed part in `rings` (shell first); empty if not analysed.
    let mut ranges: Vec<Range<usize>> = vec![0..0; parts.len()];
    for (p, poly) in parts.iter().enumerate() {
        if let Some(prepared) = prepare(p, poly, &mut errors) {
            let start = rings.len();
            rings.extend(prepared);
            ranges[p] = start..rings.len();
        }
    }

    // Duplicate rings, then segment intersections between all other ring pairs.
    let mut tainted = vec![false; parts.len()];
    // Each duplicate pairs a ring with the first equal one, the representative of its class.
    let duplicates = rings::duplicates(&rings);
    for &(a, b) in &duplicates {
        errors.push(error_on(
            ValidityKind::DuplicateRings,
            rings[b].pts[0],
            &rings[b],
        ));
        tainted[rings[a].part] = true;
        tainted[rings[b].part] = true;
    }
    // Rings of one class of duplicates are not compared segment by segment.
    let mut class: Vec<usize> = (0..rings.len()).collect();
    for &(a, b) in &duplicates {
        class[b] = a;
    }
    let mut budget = Budget::for_rings(rings.len());
    let found = intersect::find(&rings, &class, &mut budget);
    for &(kind, a, b, at) in &found.points {
        errors.push(error_on(kind, at, &rings[b]));
        tainted[rings[a].part] = true;
        tainted[rings[b].part] = true;
    }
    for (&(a, b), &at) in &found.overlaps {
        let kind = if rings[a].part == rings[b].part {
            ValidityKind::SelfIntersection
        } else {
            ValidityKind::PartsShareEdge
        };
        errors.push(error_on(kind, at, &rings[b]));
        tainted[rings[a].part] = true;
        tainted[rings[b].part] = true;
    }
    if !budget.exceeded() && found.points.len() + found.overlaps.len() < intersect::MAX_FINDINGS {
        let ok: Vec<bool> = tainted.iter().map(|t| !t).collect();
        topology_checks(
            &rings,
            &ranges,
            &ok,
            found.touches,
            &mut budget,
            &mut errors,
        );
    }
    if budget.exceeded() {
        if let Some(first) = rings.first() {
            errors.push(error_on(ValidityKind::TooComplex, first.pts[0], first));
        }
    }

    errors.sort_by(|x, y| {
        (x.polygon, x.ring, x.kind)
            .cmp(&(y.polygon, y.ring, y.kind))
            .then(x.location.x.total_cmp(&y.location.x))
            .then(x.location.y.total_cmp(&y.location.y))
    });
    errors.dedup_by(|x, y| {
        (x.polygon, x.ring, x.kind) == (y.polygon, y.ring, y.kind)
            && x.location.x.to_bits() == y.location.x.to_bits()
            && x.location.y.to_bits() == y.location.y.to_bits()
    });
    errors
}

/// Checks coordinates and point counts of one part and prepares its rings; `None` when the
/// part has errors already (or nothing to analyse).
fn prepare<'a>(
    p: usize,
    poly: &'a Polygon<f64>,
    errors: &mut Vec<ValidityError>,
) -> Option<Vec<Ring<'a>>> {
    let all: Vec<&LineString<f64>> = std::iter::once(poly.exterior())
        .chain(poly.interiors())
        .collect();
    let before = errors.len();
    for (r, ls) in all.iter().enumerate() {
        if let Some(&c) = ls.0.iter().find(|c| !(c.x.is_finite() && c.y.is_finite())) {
            errors.push(error(ValidityKind::InvalidCoordinate, c, p, r));
        }
    }
    if errors.len() > before {
        return None;
    }
    let mut clean = Vec::with_capacity(all.len());
    for (r, ls) in all.iter().enumerate() {
        let Some(&first) = ls.0.first() else {
            continue; // an empty ring: nothing to check
        };
        let pts = dedup(&ls.0);
        if pts.len() < 4 {
            errors.push(error(ValidityKind::TooFewPoints, first, p, r));
        } else {
            clean.push((r, pts));
        }
    }
    if errors.len() > before {
        return None;
    }
    if poly.exterior().0.is_empty() {
        // Holes without a shell lie outside it (JTS).
        for (r, pts) in &clean {
            errors.push(error(ValidityKind::HoleOutsideShell, pts[0], p, *r));
        }
        return None;
    }
    Some(
        clean
            .into_iter()
            .map(|(r, pts)| Ring::new(p, r, pts))
            .collect(),
    )
}

/// Touch cycles, holes in shells, nested holes and nested shells, for parts whose rings
/// neither cross nor overlap (`ok`).
fn topology_checks(
    rings: &[Ring],
    ranges: &[Range<usize>],
    ok: &[bool],
    mut touches: Vec<(usize, usize, Coord)>,
    budget: &mut Budget,
    errors: &mut Vec<ValidityError>,
) {
    touches.retain(|&(a, _, _)| ok[rings[a].part]);
    touches.sort_by(|x, y| {
        (x.0, x.1)
            .cmp(&(y.0, y.1))
            .then(x.2.x.total_cmp(&y.2.x))
            .then(x.2.y.total_cmp(&y.2.y))
    });
    if !touches.is_empty() {
        let mut graph = TouchGraph::new(rings.len());
        for &(a, b, at) in &touches {
            if graph.touch(a, b, at) {
                errors.push(error_on(ValidityKind::DisconnectedInterior, at, &rings[b]));
            }
        }
    }

    let analysed = |p: usize| ok[p] && !ranges[p].is_empty();
    for (p, range) in ranges.iter().enumerate() {
        if !analysed(p) {
            continue;
        }
        let shell = &rings[range.start];
        let holes = &rings[range.start + 1..range.end];
        for hole in holes {
            if !shell.env.covers(&hole.env) || !is_ring_nested(hole, shell) {
                errors.push(error_on(ValidityKind::HoleOutsideShell, hole.pts[0], hole));
            }
        }
        let envs: Vec<_> = holes.iter().map(|h| h.env).collect();
        let mut reported = vec![false; holes.len()];
        intersecting_pairs(&envs, budget, |x, y| {
            for (inner, outer) in [(x, y), (y, x)] {
                let (hi, ho) = (&holes[inner], &holes[outer]);
                if !reported[inner] && ho.env.covers(&hi.env) && is_ring_nested(hi, ho) {
                    reported[inner] = true;
                    errors.push(error_on(ValidityKind::NestedHoles, hi.pts[0], hi));
                }
            }
            false
        });
        if budget.exceeded() {
            return;
        }
    }

    let shells: Vec<usize> = (0..ranges.len()).filter(|&p| analysed(p)).collect();
    if shells.len() < 2 {
        return;
    }
    let envs: Vec<_> = shells.iter().map(|&p| rings[ranges[p].start].env).collect();
    let mut reported = vec![false; shells.len()];
    intersecting_pairs(&envs, budget, |x, y| {
        for (inner, outer) in [(x, y), (y, x)] {
            if reported[inner] || !envs[outer].covers(&envs[inner]) {
                continue;
            }
            let shell = &rings[ranges[shells[inner]].start];
            if let Some(at) = nested_point(shell, &rings[ranges[shells[outer]].clone()]) {
                reported[inner] = true;
                errors.push(error_on(ValidityKind::NestedShells, at, shell));
            }
        }
        false
    });
}
