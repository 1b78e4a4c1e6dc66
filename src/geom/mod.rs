//! Small helpers on polygonal geometries shared by the stages.

mod interior;

pub(crate) use interior::interior_point;

use geo::orient::{Direction, Orient};
use geo::Winding;
use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon, Rect};

/// The point of a point feature (a `Point`, or a `MultiPoint` of one point as a shapefile of
/// type 8 holds it), if its coordinates are finite.
pub(crate) fn single_point(g: &Geometry) -> Option<Coord> {
    let p = match g {
        Geometry::Point(p) => *p,
        Geometry::MultiPoint(mp) if mp.0.len() == 1 => mp.0[0],
        _ => return None,
    };
    (p.x().is_finite() && p.y().is_finite()).then_some(p.0)
}

/// The polygons of a polygonal geometry (none for points and lines).
pub(crate) fn polygons(g: &Geometry) -> Vec<&Polygon> {
    match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        _ => Vec::new(),
    }
}

/// The exterior and holes of a polygon.
pub(crate) fn rings_of(p: &Polygon) -> impl Iterator<Item = &LineString> {
    std::iter::once(p.exterior()).chain(p.interiors())
}

/// The exterior and holes of every polygon of a polygonal geometry.
pub(crate) fn rings(g: &Geometry) -> impl Iterator<Item = &LineString> {
    polygons(g).into_iter().flat_map(rings_of)
}

/// How many points the rings of polygon `p` have.
pub(crate) fn points_of(p: &Polygon) -> usize {
    rings_of(p).map(|r| r.0.len()).sum()
}

/// A geometry's polygons as one multipolygon (for boolean operations), each shell
/// anticlockwise and each hole clockwise: the boolean operations fill by winding number, so a
/// hole wound like its shell (a file may hold one: shapefile rings get their roles from
/// containment, GeoJSON keeps the file's winding) would count as filled.
pub(crate) fn as_multi(g: &Geometry) -> MultiPolygon {
    MultiPolygon(
        polygons(g)
            .into_iter()
            .map(|p| p.orient(Direction::Default))
            .collect(),
    )
}

/// The union of polygons, each shell anticlockwise and each hole clockwise first (see
/// [`as_multi`]): the union fills by winding number, so a clockwise square touching an
/// anticlockwise strip would lose an edge's worth of area (copies made only of those wound
/// otherwise).
pub(crate) fn union_of<'a>(polygons: impl IntoIterator<Item = &'a Polygon>) -> MultiPolygon {
    let polygons: Vec<&Polygon> = polygons.into_iter().collect();
    // Polygons without holes all wound one way (a shapefile's: clockwise) are taken as they
    // are; otherwise each is wound anticlockwise, copying only those wound otherwise.
    let ccw: Vec<bool> = polygons.iter().map(|p| p.exterior().is_ccw()).collect();
    let holes = polygons.iter().any(|p| !p.interiors().is_empty());
    let one_way = !holes && (ccw.iter().all(|&c| c) || ccw.iter().all(|&c| !c));
    let mut plain: Vec<&Polygon> = Vec::new();
    let mut wound: Vec<Polygon> = Vec::new();
    for (p, ccw) in polygons.into_iter().zip(ccw) {
        if one_way || (ccw && p.interiors().is_empty()) {
            plain.push(p);
        } else {
            wound.push(p.orient(Direction::Default));
        }
    }
    geo::unary_union(plain.into_iter().chain(wound.iter()))
}

/// The box of half-width `reach` around `c`.
pub(crate) fn around(c: Coord, reach: f64) -> Rect {
    grown(Rect::new(c, c), reach)
}

/// `r` grown by `by` on every side.
pub(crate) fn grown(r: Rect, by: f64) -> Rect {
    Rect::new(
        Coord {
            x: r.min().x - by,
            y: r.min().y - by,
        },
        Coord {
            x: r.max().x + by,
            y: r.max().y + by,
        },
    )
}

/// Whether `c` lies inside `g` by the even-odd rule over all its rings. It answers for an
/// invalid polygon too (a crossed spike, a ring touching itself), where the containment tests
/// of a valid one do not apply, and only where its rings enclose — not across its envelope.
pub(crate) fn inside_even_odd(c: Coord, g: &Geometry) -> bool {
    let mut inside = false;
    for p in polygons(g) {
        for r in rings_of(p) {
            let pts = &r.0;
            let Some(&last) = pts.last() else {
                continue;
            };
            let mut prev = last;
            for &cur in pts {
                if (prev.y > c.y) != (cur.y > c.y) {
                    let x = prev.x + (c.y - prev.y) * (cur.x - prev.x) / (cur.y - prev.y);
                    if c.x < x {
                        inside = !inside;
                    }
                }
                prev = cur;
            }
        }
    }
    inside
}

/// Whether two vertex cycles (open: a ring without its closing point) are the same from
/// some start, in either direction: a ring and the same ring started elsewhere or walked
/// the other way. Linear time (Knuth–Morris–Pratt over `b` twice round), however many
/// vertices repeat.
pub(crate) fn same_cycle(a: &[Coord], b: &[Coord]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.is_empty() {
        return true;
    }
    let reversed: Vec<Coord> = a.iter().rev().copied().collect();
    occurs_round(a, b) || occurs_round(&reversed, b)
}

/// Whether `p` occurs in the cycle `t` (as long as `p`), from some start.
fn occurs_round(p: &[Coord], t: &[Coord]) -> bool {
    let n = p.len();
    // fail[i]: the longest proper border of p[..=i].
    let mut fail = vec![0usize; n];
    let mut k = 0;
    for i in 1..n {
        while k > 0 && p[i] != p[k] {
            k = fail[k - 1];
        }
        if p[i] == p[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut k = 0;
    for i in 0..2 * n - 1 {
        let c = t[i % n];
        while k > 0 && c != p[k] {
            k = fail[k - 1];
        }
        if c == p[k] {
            k += 1;
            if k == n {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_of_polygons_wound_either_way() {
        use geo::orient::{Direction, Orient};
        use geo::{coord, Area, Rect};
        // A strip and a square on it, each wound either way: the union is both (10 m²).
        let strip = Rect::new(coord! {x: 0., y: 0.}, coord! {x: 9., y: 1.}).to_polygon();
        let square = Rect::new(coord! {x: 0., y: 1.}, coord! {x: 1., y: 2.}).to_polygon();
        let cw = |p: &Polygon| p.orient(Direction::Reversed);
        for (a, b) in [
            (strip.clone(), square.clone()),
            (cw(&strip), cw(&square)),
            (cw(&strip), square.clone()),
            (strip.clone(), cw(&square)),
        ] {
            let u = union_of([&a, &b]);
            assert_eq!((u.0.len(), u.unsigned_area()), (1, 10.0));
        }
    }

    /// The same answers as trying every start, on cycles of two values (where starts
    /// repeat most), and linear on a long spike ring and its rotation.
    #[test]
    fn same_cycle_agrees_with_every_start() {
        let slow = |a: &[Coord], b: &[Coord]| {
            let n = a.len();
            a.len() == b.len()
                && (n == 0
                    || (0..n).any(|s| {
                        (0..n).all(|k| a[k] == b[(s + k) % n])
                            || (0..n).all(|k| a[k] == b[(s + n - k) % n])
                    }))
        };
        let c = |bits: u32, n: usize| -> Vec<Coord> {
            (0..n)
                .map(|i| Coord {
                    x: f64::from((bits >> i) & 1),
                    y: 0.0,
                })
                .collect()
        };
        for n in 0..=7 {
            for x in 0..1u32 << n {
                for y in 0..1u32 << n {
                    let (a, b) = (c(x, n), c(y, n));
                    assert_eq!(same_cycle(&a, &b), slow(&a, &b), "{x:b} {y:b}");
                }
            }
        }
        let p = Coord { x: 0.0, y: 0.0 };
        let q = Coord { x: 1.0, y: 1.0 };
        let mut spike: Vec<Coord> = (0..200_000)
            .map(|i| if i % 2 == 0 { p } else { q })
            .collect();
        spike.push(Coord { x: 2.0, y: 0.0 });
        let mut turned = spike.clone();
        turned.rotate_left(2);
        assert!(same_cycle(&spike, &turned));
        turned[7] = Coord { x: 3.0, y: 0.0 };
        assert!(!same_cycle(&spike, &turned));
    }
}
