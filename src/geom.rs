//! Small helpers on polygonal geometries shared by the stages.

use geo::orient::{Direction, Orient};
use geo::{Coord, Geometry, MultiPolygon, Polygon, Rect};

/// The polygons of a polygonal geometry (none for points and lines).
pub(crate) fn polygons(g: &Geometry) -> Vec<&Polygon> {
    match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        _ => Vec::new(),
    }
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

/// The union of polygons, those with holes oriented first (see [`as_multi`]).
pub(crate) fn union_of<'a>(polygons: impl IntoIterator<Item = &'a Polygon>) -> MultiPolygon {
    let mut plain: Vec<&Polygon> = Vec::new();
    let mut holed: Vec<Polygon> = Vec::new();
    for p in polygons {
        if p.interiors().is_empty() {
            plain.push(p);
        } else {
            holed.push(p.orient(Direction::Default));
        }
    }
    geo::unary_union(plain.into_iter().chain(holed.iter()))
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
        for r in std::iter::once(p.exterior()).chain(p.interiors()) {
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
