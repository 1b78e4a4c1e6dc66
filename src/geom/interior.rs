//! A point inside a polygon (内点), found in time n log n.
//!
//! `geo`'s `InteriorPoint` takes the middle of the longest stretch of a horizontal line
//! through the middle of the polygon's box that lies inside it, but tests the stretches one
//! by one against the whole polygon, longest first: on a comb whose gaps are longer than its
//! teeth that is every other stretch, each in time n. Here the stretches come from the edges
//! crossing the line, sorted, inside and outside in turn (even-odd), so the longest inside
//! is found in one pass.

use geo::coordinate_position::CoordPos;
use geo::{BoundingRect, Coord, CoordinatePosition, Geometry, InteriorPoint, Polygon};

use super::{points_of, polygons, rings_of};

/// Geometries with a part of more points than this take the one-pass algorithm; smaller ones
/// (every unit grid) `geo`'s `InteriorPoint`, bit for bit as before.
const ONE_PASS_ABOVE: usize = 1024;

/// A point inside `g`: `geo`'s `InteriorPoint` for a point, a line or a polygonal geometry
/// whose parts have up to [`ONE_PASS_ABOVE`] points; for a larger one, `geo`'s choice made in
/// time n log n: of the stretches of a horizontal line through the middle of a part's box
/// (moved off the vertices), the longest whose middle is not outside the part, over all parts
/// (a vertex for a part without any). The longest stretch inside by the even-odd rule is
/// tried first (for a valid polygon it is the one); when it lies outside (an invalid
/// polygon) the stretches are tried longest first, at most [`TRIED`] of them, then a vertex.
/// All parts of a geometry with one large part take this way. The crossings may differ from
/// `geo`'s in the last bit, and for an invalid polygon the point may be another than `geo`'s
/// (a stretch its rings cover twice, or none of the first 64 inside).
pub(crate) fn interior_point(g: &Geometry) -> Option<Coord> {
    let parts = polygons(g);
    let points = parts.iter().map(|p| points_of(p)).max().unwrap_or(0);
    if parts.is_empty() || points <= ONE_PASS_ABOVE {
        return g.interior_point().map(|p| p.0);
    }
    one_pass(parts)
}

/// The one-pass interior point of polygons `parts`.
fn one_pass<'a>(parts: impl IntoIterator<Item = &'a Polygon>) -> Option<Coord> {
    let mut best: Option<(Coord, f64)> = None;
    for p in parts {
        if let Some((c, length)) = longest_stretch(p) {
            if best.is_none_or(|(_, l)| length > l) {
                best = Some((c, length));
            }
        }
    }
    best.map(|(c, _)| c)
}

/// The middle of the longest inside stretch of `p`'s scan line, and its length (0 for a
/// vertex where there is none).
fn longest_stretch(p: &Polygon) -> Option<(Coord, f64)> {
    let first = *p.exterior().0.first()?;
    let Some(bounds) = p.bounding_rect() else {
        return Some((first, 0.0));
    };
    let vertices = || rings_of(p).flat_map(|r| r.0.iter());
    let mut y = (bounds.min().y + bounds.max().y) / 2.0;
    if vertices().any(|c| c.y == y) {
        let nearest = vertices()
            .filter(|c| c.y != y)
            .min_by(|a, b| (a.y - y).abs().total_cmp(&(b.y - y).abs()));
        if let Some(c) = nearest {
            y = (y + c.y) / 2.0;
        }
    }
    if !y.is_finite() {
        return Some((first, 0.0));
    }
    let mut xs: Vec<f64> = rings_of(p)
        .flat_map(|r| r.0.windows(2))
        .filter(|w| (w[0].y < y) != (w[1].y < y))
        .map(|w| w[0].x + (y - w[0].y) * (w[1].x - w[0].x) / (w[1].y - w[0].y))
        .collect();
    xs.sort_by(f64::total_cmp);
    // The stretches between consecutive crossings, longest first (of equal ones the
    // western): `geo`'s order of trial. Every other one is inside by the even-odd rule.
    let mut stretches: Vec<(f64, f64, bool)> = xs
        .windows(2)
        .enumerate()
        .map(|(k, w)| (w[1] - w[0], (w[0] + w[1]) / 2.0, k % 2 == 0))
        .collect();
    stretches.sort_by(|a, b| b.0.total_cmp(&a.0));
    let found = |(length, x, _): (f64, f64, bool)| {
        let c = Coord { x, y };
        match p.coordinate_position(&c) {
            CoordPos::Outside => None,
            CoordPos::Inside => Some((c, length)),
            CoordPos::OnBoundary => Some((c, 0.0)),
        }
    };
    // A valid polygon's longest even-odd stretch is the one `geo` takes; an invalid one's
    // may lie outside it, and then the stretches are tried in `geo`'s order, a bounded number.
    let by_parity = stretches.iter().copied().find(|s| s.2).and_then(found);
    Some(
        by_parity
            .or_else(|| stretches.iter().copied().take(TRIED).find_map(found))
            .unwrap_or((first, 0.0)),
    )
}

/// How many stretches are tried against the polygon when the even-odd one is outside it.
const TRIED: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, LineString, MultiPolygon};

    fn polygon(points: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> Polygon {
        Polygon::new(
            LineString::from(points.to_vec()),
            holes.iter().map(|h| LineString::from(h.to_vec())).collect(),
        )
    }

    #[test]
    fn same_point_as_geo_on_valid_polygons() {
        let square = polygon(&[(0., 0.), (4., 0.), (4., 4.), (0., 4.), (0., 0.)], &[]);
        // A vertex on the middle line (y = 2): the line moves halfway to y = 3.
        let notched = polygon(
            &[
                (0., 0.),
                (6., 0.),
                (6., 4.),
                (3., 3.),
                (1., 2.),
                (0., 4.),
                (0., 0.),
            ],
            &[],
        );
        let holed = polygon(
            &[(0., 0.), (10., 0.), (10., 10.), (0., 10.), (0., 0.)],
            &[&[(1., 4.), (6., 4.), (6., 6.), (1., 6.), (1., 4.)]],
        );
        let two = MultiPolygon(vec![
            polygon(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)], &[]),
            polygon(&[(5., 0.), (9., 0.), (9., 3.), (5., 3.), (5., 0.)], &[]),
        ]);
        for g in [
            Geometry::from(square),
            notched.into(),
            holed.into(),
            two.into(),
        ] {
            assert_eq!(
                one_pass(polygons(&g)),
                g.interior_point().map(|p| p.0),
                "{g:?}"
            );
        }
        assert_eq!(
            one_pass([&polygon(
                &[(0., 0.), (10., 0.), (10., 10.), (0., 10.), (0., 0.)],
                &[&[(1., 4.), (6., 4.), (6., 6.), (1., 6.), (1., 4.)]],
            )]),
            Some(coord! {x: 8.0, y: 5.0})
        );
    }

    #[test]
    fn near_geo_on_random_convex_quadrilaterals() {
        // Sloped edges: the crossings may differ from geo's in the last bits, no more.
        let mut seed: u64 = 2026;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2_000 {
            let (x, y) = (500_000.0 + next() * 1_000.0, 2_730_000.0 + next() * 1_000.0);
            let quad = polygon(
                &[
                    (x, y),
                    (x + 80.0 + next() * 20.0, y + next() * 5.0),
                    (x + 80.0 + next() * 20.0, y + 80.0 + next() * 20.0),
                    (x - next() * 5.0, y + 80.0 + next() * 20.0),
                    (x, y),
                ],
                &[],
            );
            let want = Geometry::from(quad.clone()).interior_point().map(|p| p.0);
            let got = one_pass([&quad]);
            let (Some(w), Some(g)) = (want, got) else {
                panic!("{want:?} {got:?}");
            };
            assert!((w.x - g.x).abs() < 1e-6 && w.y == g.y, "{w:?} {g:?}");
        }
    }

    #[test]
    fn a_comb_of_many_teeth_in_one_pass() {
        // 50,000 teeth 1 wide, 2 apart, on a spine: the middle line crosses every tooth and
        // every inside stretch is as long; the first is taken.
        let mut ring = vec![(0.0, 0.0)];
        for t in 0..50_000 {
            let x = f64::from(t) * 3.0;
            ring.extend([(x, 10.0), (x + 1.0, 10.0), (x + 1.0, 1.0), (x + 3.0, 1.0)]);
        }
        ring.extend([(150_000.0, 0.0), (0.0, 0.0)]);
        let comb = Geometry::from(polygon(&ring, &[]));
        assert_eq!(interior_point(&comb), Some(coord! {x: 0.5, y: 5.0}));
    }

    #[test]
    fn geo_for_points_and_small_polygons_and_a_vertex_without_area() {
        let point = Geometry::Point(coord! {x: 1., y: 1.}.into());
        assert_eq!(interior_point(&point), Some(coord! {x: 1., y: 1.}));
        assert_eq!(one_pass(polygons(&point)), None);
        // A shell with a hole reaching out of it (invalid): the longest even-odd stretch lies
        // in the hole's overhang, outside; tried in geo's order, both take (1, 5).
        let invalid = Geometry::from(polygon(
            &[(0., 0.), (10., 0.), (10., 10.), (0., 10.), (0., 0.)],
            &[&[(2., 4.), (30., 4.), (30., 6.), (2., 6.), (2., 4.)]],
        ));
        assert_eq!(interior_point(&invalid), Some(coord! {x: 1.0, y: 5.0}));
        assert_eq!(one_pass(polygons(&invalid)), Some(coord! {x: 1.0, y: 5.0}));
        let flat = polygon(&[(0., 0.), (4., 0.), (2., 0.), (0., 0.)], &[]);
        assert_eq!(one_pass([&flat]), Some(coord! {x: 0.0, y: 0.0}));
    }
}
