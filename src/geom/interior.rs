//! A point inside a polygon (内点), found in time n log n.
//!
//! `geo`'s `InteriorPoint` takes the middle of the longest stretch of a horizontal line
//! through the middle of the polygon's box that lies inside it, but tests the stretches one
//! by one against the whole polygon, longest first: on a comb whose gaps are longer than its
//! teeth that is every other stretch, each in time n. Here the stretches come from the edges
//! crossing the line, sorted, inside and outside in turn (even-odd), so the longest inside
//! is found in one pass.

use geo::{BoundingRect, Coord, Polygon};

/// A point inside the polygons `parts` (a polygon, or a multipolygon's parts): the middle of
/// the longest stretch of a horizontal line through the middle of a part's box that lies
/// inside the part, over all parts (the first of equally long ones). `None` without parts;
/// a vertex for a part the line finds no stretch in (one without area).
///
/// The line avoids the vertices as `geo`'s `InteriorPoint` does (halfway to the nearest
/// vertex above or below when one lies on it), so for a valid polygon the two give the same
/// stretch.
pub(crate) fn interior_point<'a>(parts: impl IntoIterator<Item = &'a Polygon>) -> Option<Coord> {
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
    let vertices = || {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .flat_map(|r| r.0.iter())
    };
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
    let mut xs: Vec<f64> = std::iter::once(p.exterior())
        .chain(p.interiors())
        .flat_map(|r| r.0.windows(2))
        .filter(|w| (w[0].y < y) != (w[1].y < y))
        .map(|w| w[0].x + (y - w[0].y) * (w[1].x - w[0].x) / (w[1].y - w[0].y))
        .collect();
    xs.sort_by(f64::total_cmp);
    let mut best: Option<(f64, f64)> = None;
    for pair in xs.chunks_exact(2) {
        let length = pair[1] - pair[0];
        if best.is_none_or(|(l, _)| length > l) {
            best = Some((length, (pair[0] + pair[1]) / 2.0));
        }
    }
    Some(match best {
        Some((length, x)) => (Coord { x, y }, length),
        None => (first, 0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::polygons;
    use geo::{coord, Geometry, InteriorPoint, LineString, MultiPolygon};

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
                interior_point(polygons(&g)),
                g.interior_point().map(|p| p.0),
                "{g:?}"
            );
        }
        assert_eq!(
            interior_point([&polygon(
                &[(0., 0.), (10., 0.), (10., 10.), (0., 10.), (0., 0.)],
                &[&[(1., 4.), (6., 4.), (6., 6.), (1., 6.), (1., 4.)]],
            )]),
            Some(coord! {x: 8.0, y: 5.0})
        );
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
        let comb = polygon(&ring, &[]);
        assert_eq!(interior_point([&comb]), Some(coord! {x: 0.5, y: 5.0}));
    }

    #[test]
    fn nothing_without_parts_and_a_vertex_without_area() {
        assert_eq!(
            interior_point(polygons(&Geometry::Point(coord! {x: 1., y: 1.}.into()))),
            None
        );
        let flat = polygon(&[(0., 0.), (4., 0.), (2., 0.), (0., 0.)], &[]);
        assert_eq!(interior_point([&flat]), Some(coord! {x: 0.0, y: 0.0}));
    }
}
